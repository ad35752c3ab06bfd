"""One converter between plain data (what YAML, JSON and TOML hold) and the domain objects.

Everything a file can hold is described once, on the attrs fields of the
domain classes (:mod:`changemodel.domain`): each field carries a
:class:`~changemodel.domain.FieldInfo` in its metadata (what it means, its key
in files when that differs from the attribute name, the formats that do not
carry it). This module turns that description into the reader and the writer
of the canonical file (built on `cattrs <https://catt.rs>`_); the JSON Schema
(:mod:`changemodel.formats.schema`), the loss reports and the columns of the
interchange formats are derived from the same fields.

The convention, for whoever extends the file format:

- **A new field** of an existing object: add it to its attrs class in
  ``domain.py`` with a default and ``metadata=meta("what it is", ...)``. The
  reader, the writer, the schema and the loss reports pick it up; nothing else
  needs editing. A field that files write before a subclass's own fields says
  ``head=True``; a field under another name in files says ``key=...``.
- **A new kind of object listed at the top of a model file** (say
  ``configurations:``): define its attrs class in ``domain.py`` the same way
  (with an ``id`` field), and add one ``Part`` line to ``PARTS`` at the end of
  ``domain.py``. The model must accept the objects in :meth:`ChangeModel.add
  <changemodel.model.ChangeModel.add>` and list them under an attribute named
  as the part's key.
- A field typed with a class of its own (an enum, another attrs class, a
  tuple of them) needs nothing more; a new *kind of value* (a type not handled
  below) needs a structure hook here and a schema rule in
  :mod:`changemodel.formats.schema`.

Reading never trusts the data: every problem is collected as an
:class:`Issue` with the path of the value it concerns (``elements[3].kind``),
so a reader can say where each one is; one bad value does not hide the others.

>>> from changemodel.domain import Link
>>> unstructure(Link("a", "b", confidence=0.5))
{'from': 'a', 'to': 'b', 'confidence': 0.5}
>>> link, issues = structure({"from": "a", "to": "b", "sing": "reduces"}, Link)
>>> for issue in issues:
...     print(issue.path, issue.message, issue.suggestion)
('sing',) unknown key 'sing' sign
"""

from __future__ import annotations

import enum
import functools
import math
import types
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final, TypeVar, Union, get_args, get_origin

import attrs

from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    KIND_ONLY,
    PARTS,
    Element,
    Kind,
    ModelHeader,
    Severity,
    field_info,
    file_key,
    keys_of,
)
from changemodel.errors import ChangeModelError, InvalidValueError, did_you_mean
from changemodel.text import join, with_article

if TYPE_CHECKING:
    import cattrs

__all__ = ["Issue", "describe", "structure", "unstructure"]

T = TypeVar("T")

Path = tuple[str | int, ...]


@attrs.frozen
class Issue:
    """A problem with a value being read: where (a path below the value read), and what."""

    path: Path
    message: str
    value: object = None
    expected: str | None = None
    suggestion: str | None = None


class _Problem(ChangeModelError, ValueError):
    """Raised by a structure hook; becomes an :class:`Issue` at the hook's path."""

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        expected: str | None = None,
        suggestion: str | None = None,
        path: Path = (),
    ) -> None:
        super().__init__(message)
        self.issue = Issue(path, message, value, expected, suggestion)

    @classmethod
    def at(cls, issue: Issue, path: Path) -> _Problem:
        """*issue* found inside a value, raised again at *path*."""
        return cls(
            issue.message,
            value=issue.value,
            expected=issue.expected,
            suggestion=issue.suggestion,
            path=path,
        )


class _Problems(ChangeModelError, ValueError):
    """Several problems found by one hook (an element's unknown kind and keys)."""

    def __init__(self, problems: list[_Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def describe(value: object) -> str:
    """How a value is named in messages: ``text 'abc'``, ``a list``, ``int 3``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, int) and abs(value) >= 10**40:
        return f"a whole number of {len(str(abs(value)))} digits"
    return f"{type(value).__name__} {value!r}"


# ------------------------------------------------------------- the hooks


def _text(value: object, _: type) -> str:
    if type(value) is str:
        return value
    hint = " (quote it to keep it as text)" if isinstance(value, int | float | bool) else ""
    raise _Problem(f"expected text, found {describe(value)}{hint}", value=value, expected="text")


def _number(value: object, _: type) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
    raise _Problem(
        f"expected a number between 0 and 1, found {describe(value)}",
        value=value,
        expected="a number between 0 and 1",
    )


def _whole(value: object, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _Problem(f"expected a whole number, found {describe(value)}", value=value)


def _flag(value: object, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _Problem(
        f"expected true or false, found {describe(value)}", value=value, expected="true or false"
    )


def _any(value: object, _: type) -> object:
    return value


def _severity(value: object, _: type) -> Severity:
    try:
        return Severity.parse(value)
    except InvalidValueError as exc:
        raise _Problem(str(exc), value=value) from None


def _dict_hook(
    conv: cattrs.Converter, args: tuple[Any, ...]
) -> Callable[[object, type], dict[str, Any]]:
    """A mapping with text keys; its values read as their type says."""
    value_type = args[1] if len(args) == 2 else Any

    def hook(value: object, _: type) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Problem(f"expected a mapping, found {describe(value)}", value=value)
        if value_type is Any:
            bad = next((k for k in value if not isinstance(k, str)), None)
            if bad is not None:
                raise _Problem(f"expected text keys, found {describe(bad)}", value=bad)
            return value
        out: dict[str, Any] = {}
        problems: list[_Problem] = []
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(_Problem(f"expected a text key, found {describe(key)}"))
                continue
            try:
                out[key] = conv.structure(item, value_type)
            except Exception as exc:
                problems.extend(_Problem.at(i, i.path) for i in _issues(exc, (key,), None))
        if problems:
            raise _Problems(problems)
        return out

    return hook


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    members = {m.value: m for m in cls}
    names = [str(v) for v in members]
    noun = " ".join(w.lower() for w in _words(cls.__name__))

    def hook(value: object, _: type) -> enum.Enum:
        if isinstance(value, str):
            member = members.get(value)
            if member is not None:
                return member
            raise _Problem(
                f"unknown {noun} {value!r}",
                value=value,
                expected="one of " + ", ".join(names),
                suggestion=did_you_mean(value, names),
            )
        raise _Problem(
            f"expected a {noun}, found {describe(value)}",
            value=value,
            expected="one of " + ", ".join(names),
        )

    return hook


def _words(name: str) -> list[str]:
    words: list[str] = []
    for char in name:
        if char.isupper() and words:
            words.append(char)
        elif words:
            words[-1] += char
        else:
            words.append(char)
    return words


def _tuple_hook(
    conv: cattrs.Converter, item_type: Any
) -> Callable[[object, type], tuple[Any, ...]]:
    from cattrs.errors import IterableValidationError, IterableValidationNote

    def hook(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Problem(f"expected a list, found {describe(value)}", value=value)
        items = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            try:
                items.append(conv.structure(item, item_type))
            except Exception as exc:  # collected with its index, reported by _issues
                exc.__notes__ = [IterableValidationNote(f"@ index {i}", i, item_type)]
                errors.append(exc)
        if errors:
            raise IterableValidationError("while reading a list", errors, tuple)
        return tuple(items)

    return hook


def _mapping_hook(
    cls: type, functions: dict[type, Callable[[dict[str, Any], type], Any]]
) -> Callable[[object, type], Any]:
    dashes = getattr(cls, "dashes", False)
    keys = set(keys_of(cls))

    def hook(value: object, _: type) -> Any:
        if not isinstance(value, dict):
            raise _Problem(
                f"expected a mapping, found {describe(value)}",
                value=value,
                expected="keys " + ", ".join(keys_of(cls)),
            )
        if not dashes:
            return functions[cls](value, cls)
        # "fail-on" is "fail_on"; messages name the key as written.
        written: dict[str, str] = {}
        data: dict[Any, Any] = {}
        twice: list[_Problem] = []
        for key, item in value.items():
            name = key.replace("-", "_") if isinstance(key, str) else key
            if name in keys and name in data:
                twice.append(
                    _Problem(
                        f"{written[name]!r} and {key!r} are the same {_noun(cls)}; give it once",
                        value=key,
                        path=(key,),
                    )
                )
            elif name in keys:
                written[name] = key
                data[name] = item
            else:
                data[key] = item
        if twice:
            raise _Problems(twice)
        try:
            return functions[cls](data, cls)
        except Exception as exc:
            problems = []
            for issue in _issues(exc, (), cls):
                path = issue.path
                if path and isinstance(path[0], str):
                    path = (written.get(path[0], path[0]), *path[1:])
                problems.append(_Problem.at(issue, path))
            raise _Problems(problems) from None

    return hook


def _element(value: object, _: type) -> Element:
    if not isinstance(value, dict):
        raise _Problem(
            f"expected a mapping, found {describe(value)}",
            value=value,
            expected="keys " + ", ".join(ELEMENT_KEYS),
        )
    kind_text = value.get("kind")
    problems: list[_Problem] = []
    cls: type[Element] | None = None
    if "kind" not in value:
        problems.append(_Problem("missing required key 'kind'"))
    elif not isinstance(kind_text, str):
        problems.append(_Problem(f"expected text, found {describe(kind_text)}", path=("kind",)))
    else:
        try:
            cls = ELEMENT_CLASSES[Kind(kind_text)]
        except ValueError:
            kinds = [k.value for k in Kind]
            problems.append(
                _Problem(
                    f"unknown kind {kind_text!r}",
                    value=kind_text,
                    expected="one of " + ", ".join(kinds),
                    suggestion=did_you_mean(kind_text, kinds),
                    path=("kind",),
                )
            )
    for key in value:
        if key not in ELEMENT_KEYS:
            problems.append(_unknown_key(key, ELEMENT_KEYS))
        elif cls is not None and key in KIND_ONLY and cls.kind not in KIND_ONLY[key]:
            only = join((with_article(k.label) for k in KIND_ONLY[key]), "or")
            problems.append(
                _Problem(
                    f"{key!r} belongs to {only}, not to {with_article(cls.kind.label)}",
                    path=(key,),
                )
            )
    if problems:
        raise _Problems(problems)
    assert cls is not None
    body = {k: v for k, v in value.items() if k != "kind"}
    return _converter()[1][cls](body, cls)  # type: ignore[no-any-return]


def _noun(cls: type) -> str:
    return str(getattr(cls, "key_noun", "key"))


def _unknown_key(key: object, allowed: tuple[str, ...], noun: str = "key") -> _Problem:
    return _Problem(
        f"unknown {noun} {key!r}",
        value=key,
        expected="one of " + ", ".join(allowed),
        suggestion=did_you_mean(str(key), allowed),
        path=(str(key),),
    )


def _is_tuple(t: Any) -> bool:
    return get_origin(t) is tuple and len(get_args(t)) == 2 and get_args(t)[1] is Ellipsis


def _is_dict(t: Any) -> bool:
    return bool(get_origin(t) in (dict,))


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _exactly(cls: type) -> Callable[[Any], bool]:
    return lambda t: t is cls


@functools.cache
def _converter() -> tuple[cattrs.Converter, dict[type, Callable[..., Any]]]:
    """The converter and the structuring functions of the classes, made on first use:
    reading a well-formed file needs neither (see :func:`structure`)."""
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

    conv = cattrs.Converter(
        detailed_validation=True,
        forbid_extra_keys=True,
        unstruct_collection_overrides={tuple: list},
    )
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(float, _number)
    conv.register_structure_hook(int, _whole)
    conv.register_structure_hook(bool, _flag)
    conv.register_structure_hook_func(_exactly(Any), _any)
    conv.register_structure_hook_factory(_is_dict, lambda t: _dict_hook(conv, get_args(t)))
    conv.register_structure_hook_factory(_is_tuple, lambda t: _tuple_hook(conv, get_args(t)[0]))
    classes: list[type] = []
    for part in PARTS:
        classes.extend(_classes_in(part.cls))
    classes.extend(_classes_in(ModelHeader))
    classes = list(dict.fromkeys(classes))
    # Every class's hook first (they find their function when called), then the
    # functions, which look up the hooks of the fields' types as they are made.
    functions: dict[type, Callable[..., Any]] = {}
    for cls in classes:
        if cls is Element:
            conv.register_structure_hook(Element, _element)
        elif not issubclass(cls, Element):
            conv.register_structure_hook(cls, _mapping_hook(cls, functions))
        for f in attrs.fields(cls):
            # An enum (a StrEnum is a str too) is read by a hook of its own.
            for t in (f.type, *get_args(f.type)):
                if _is_enum(t):
                    conv.register_structure_hook(t, _enum_hook(t))
                    conv.register_unstructure_hook(t, _enum_value)
    from cattrs.gen import override

    for cls in classes:
        renames: dict[str, Any] = {f.name: override(rename=file_key(f)) for f in attrs.fields(cls)}
        fields: dict[str, Any] = {f.name: _override(conv, f) for f in attrs.fields(cls)}
        unstructure: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True, **renames
        )
        conv.register_unstructure_hook(cls, _ordered(cls, unstructure))
        if cls is not Element:
            functions[cls] = make_dict_structure_fn(
                cls,
                conv,
                _cattrs_forbid_extra_keys=True,
                _cattrs_detailed_validation=True,
                **fields,
            )
    conv.register_structure_hook(Severity, _severity)  # its own words, as elsewhere
    return conv, functions


def _override(conv: cattrs.Converter, field: attrs.Attribute[Any]) -> Any:
    """How one field is read: its key in files and, when its metadata asks, a lone
    value taken for a list of one or a message saying what the value must be."""
    from cattrs.gen import override

    info = field_info(field)
    if not info.lone and not info.expected:
        return override(rename=file_key(field))
    base: Callable[[object, Any], Any] | None = None
    t = field.type

    def hook(value: object, _: Any) -> Any:
        nonlocal base
        if base is None:
            base = conv.get_structure_hook(_optional(t))
        if value is None and _optional(t) is not t:
            return None
        if info.lone and isinstance(value, str):
            value = [value]
        try:
            result = base(value, _optional(t))
        except _Problem as exc:
            if not info.expected or exc.issue.path:
                raise
            raise _Problem(
                f"expected {info.expected}, found {describe(value)}", value=value
            ) from None
        if field.validator is not None:
            # Checked here too, so that a bad value of this field is reported
            # along with those of the others.
            try:
                field.validator(None, field, result)
            except InvalidValueError as exc:
                raise _Problem(str(exc), value=value) from None
        return result

    return override(rename=file_key(field), struct_hook=hook)


def _enum_value(value: enum.Enum) -> object:
    return value.value


def _classes_in(cls: type) -> Iterator[type]:
    """A class, the attrs classes its fields hold and, for elements, every kind's class."""
    attrs.resolve_types(cls)  # the annotations are text until resolved
    if cls is Element:
        for sub in ELEMENT_CLASSES.values():
            yield from _classes_in(sub)
        yield Element
        return
    for f in attrs.fields(cls):
        t = _optional(f.type)
        if _is_tuple(t):
            t = get_args(t)[0]
        # an optional object (``Confidence | None``) holds the class too
        for held in (t, *get_args(t)):
            if isinstance(held, type) and attrs.has(held):
                yield from _classes_in(held)
    yield cls


def _optional(t: Any) -> Any:
    """``X | None`` -> ``X``."""
    if get_origin(t) in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def _ordered(cls: type, unstructure: Callable[[Any], dict[str, Any]]) -> Callable[[Any], Any]:
    """Write an object's keys in file order, an element's ``kind`` after its id."""
    keys = keys_of(cls)
    plain_order = [file_key(f) for f in attrs.fields(cls)]
    if issubclass(cls, Element):

        def element(obj: Element) -> dict[str, Any]:
            data = unstructure(obj)
            data["kind"] = obj.kind.value
            return {k: data[k] for k in keys if k in data}

        return element
    if list(keys) == plain_order:
        return unstructure

    def reorder(obj: Any) -> dict[str, Any]:
        data = unstructure(obj)
        return {k: data[k] for k in keys if k in data}

    return reorder


# ------------------------------------------------------------ the API


def unstructure(obj: Any) -> Any:
    """Plain data for a domain object, in file order, without the fields at their defaults."""
    return _converter()[0].unstructure(obj)


def structure(data: object, cls: type[T]) -> tuple[T | None, list[Issue]]:
    """Read *data* as a *cls*: the object (``None`` if it could not be made) and every problem.

    Each :class:`Issue` has the path of its value below *data*.

    Most data read is right: it is first built the quick way, where the domain
    classes' own validators are the only checks; only data that this refuses is
    read again field by field, to say what is wrong with each value.
    """
    quick = _QUICK.get(cls, _MISS)
    if quick is _MISS:
        quick = _QUICK[cls] = _quick(cls) if cls in _QUICK_CLASSES else None
    if quick is not None and type(data) is dict:
        try:
            obj = quick(data)
        except Exception:  # read again below, to say what is wrong
            obj = _MISS
        if obj is not _MISS:
            return obj, []
    try:
        return _converter()[0].structure(data, cls), []
    except Exception as exc:
        return None, list(_issues(exc, (), cls))


class _Miss:
    """What a quick builder returns for data it leaves to the detailed reader."""


_MISS: Final = _Miss()


def _quick(cls: type, *, drop: str | None = None) -> Callable[[dict[str, Any]], Any]:
    """Build a *cls* from a dict of the right shape with one call of its constructor.

    What the constructor's validators do not see is checked here: the keys, that
    lists are lists and that the objects in them are mappings (the constructors
    also take a lone text for a list, which a file may not). The key *drop* is
    allowed and left out (an element's ``kind``, which its class already says).
    """
    attrs.resolve_types(cls)  # the annotations are text until resolved
    if cls is Element:
        builders = {kind.value: _quick(sub, drop="kind") for kind, sub in ELEMENT_CLASSES.items()}

        def element(data: dict[str, Any]) -> Any:
            build = builders.get(data.get("kind"))  # type: ignore[arg-type]
            if build is None:
                return _MISS
            return build(data)

        return element
    allowed: set[str] = set()
    renamed: list[tuple[str, str]] = []
    lists: list[tuple[str, Callable[[dict[str, Any]], Any] | None]] = []
    objects: list[str] = []
    for f in attrs.fields(cls):
        key = file_key(f)
        allowed.add(key)
        if key != f.name:
            renamed.append((key, f.name))
        t = _optional(f.type)
        if _is_tuple(t):
            item = get_args(t)[0]
            lists.append(
                (f.name, _quick(item) if isinstance(item, type) and attrs.has(item) else None)
            )
        elif isinstance(t, type) and attrs.has(t) and f.converter is None:
            # an object that the constructor takes only made (a header's settings)
            objects.append(f.name)
    if drop is not None:
        allowed.add(drop)
    keys = frozenset(allowed)

    def build(data: dict[str, Any]) -> Any:
        if not data.keys() <= keys:
            return _MISS
        kwargs = dict(data)
        if drop is not None:
            del kwargs[drop]
        for key, name in renamed:
            if key in kwargs:
                kwargs[name] = kwargs.pop(key)
        for name in objects:
            if kwargs.get(name) is not None:
                return _MISS
        for name, make in lists:
            value = kwargs.get(name)
            if value is None:
                if name in kwargs:
                    return _MISS  # null where a list belongs: said in detail
                continue
            if type(value) is not list:
                return _MISS
            if make is not None:
                items = []
                for item in value:
                    if type(item) is not dict:
                        return _MISS
                    obj = make(item)
                    if obj is _MISS:
                        return _MISS
                    items.append(obj)
                kwargs[name] = tuple(items)
        return cls(**kwargs)

    return build


#: The classes built the quick way (each one's builder is made on first use): those
#: whose constructors' validators check every field.
_QUICK_CLASSES: Final = frozenset({*(part.cls for part in PARTS), ModelHeader})
_QUICK: Final[dict[type, Any]] = {}


def _issues(exc: BaseException, path: Path, cls: type | None) -> Iterator[Issue]:
    """The issues in an exception raised while reading the value at *path*."""
    from cattrs.errors import (
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
    )

    if isinstance(exc, _Problems):
        for problem in exc.problems:
            yield _at(problem.issue, path)
    elif isinstance(exc, _Problem):
        yield _at(exc.issue, path)
    elif isinstance(exc, ClassValidationError):
        fields = {f.name: f for f in attrs.fields(exc.cl)}
        for sub, note in exc.group_exceptions()[0]:
            name = str(getattr(note, "name", None))
            field = fields.get(name)
            key = file_key(field) if field is not None else name
            if isinstance(sub, KeyError):
                missing = field_info(field).missing if field is not None else None
                yield Issue(path, missing or f"missing required key {key!r}")
            else:
                yield from _issues(sub, (*path, key), None)
        for sub in exc.group_exceptions()[1]:
            if isinstance(sub, ForbiddenExtraKeysError):
                allowed = keys_of(exc.cl)
                noun = getattr(exc.cl, "key_noun", "key")
                for key in sorted(sub.extra_fields, key=str):
                    yield _at(_unknown_key(key, allowed, noun).issue, path)
            else:
                yield from _issues(sub, path, exc.cl)
    elif isinstance(exc, IterableValidationError):
        for sub in exc.exceptions:
            index = next(
                (n.index for n in getattr(sub, "__notes__", ()) if hasattr(n, "index")), None
            )
            yield from _issues(sub, path if index is None else (*path, index), None)
    elif isinstance(exc, InvalidValueError):
        # A domain class refused a value: say which field when it names one.
        fields = {f.name: file_key(f) for f in attrs.fields(cls)} if cls is not None else {}
        field = fields.get(exc.attribute or "")
        yield Issue((*path, field) if field else path, str(exc), exc.value)
    else:
        yield Issue(path, f"invalid value: {exc}")


def _at(issue: Issue, path: Path) -> Issue:
    return attrs.evolve(issue, path=(*path, *issue.path)) if path else issue
