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
  (with an ``id`` field), and add one :class:`Part` line to :data:`PARTS`. The
  model must accept the objects in :meth:`ChangeModel.add
  <changemodel.model.ChangeModel.add>` and list them under the part's
  ``attribute``.
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
import math
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from changemodel.domain import (
    ELEMENT_CLASSES,
    Element,
    Kind,
    Link,
    ModelHeader,
    Reference,
    Relation,
    Theory,
    field_info,
    file_key,
)
from changemodel.errors import ChangeModelError, InvalidValueError, did_you_mean
from changemodel.text import join, with_article

__all__ = [
    "ELEMENT_KEYS",
    "KIND_ONLY",
    "PARTS",
    "Issue",
    "ModelHeader",
    "Part",
    "describe",
    "file_fields",
    "keys_of",
    "structure",
    "unstructure",
]

T = TypeVar("T")

Path = tuple[str | int, ...]


def _by_id(obj: Any) -> Any:
    return obj.id


_KIND_ORDER: Final = {kind: i for i, kind in enumerate(Kind)}
_RELATION_ORDER: Final = {relation: i for i, relation in enumerate(Relation)}


def _element_order(element: Element) -> Any:
    return (_KIND_ORDER[element.kind], element.id)


def _link_order(link: Link) -> Any:
    return (link.source, link.target, _RELATION_ORDER[link.relation])


@attrs.frozen
class Part:
    """A list of objects at the top of a model file."""

    #: the key in the file (``references``), also the :class:`ChangeModel` attribute
    #: that lists them
    key: str
    #: the class of its objects
    cls: type
    #: the name of one object in messages and in ``model.locations`` keys
    noun: str
    #: what the list holds, for the schema
    doc: str
    #: the order objects are written in (by id unless said otherwise)
    order: Callable[[Any], Any] = _by_id


#: The lists of objects a model file holds, in the order they are read and written
#: (an object may name those of earlier parts). Links, which name elements, come last.
PARTS: Final = (
    Part("references", Reference, "reference", "the sources cited"),
    Part("theories", Theory, "theory", "bodies of theory that explain mechanisms"),
    Part("elements", Element, "element", "the elements of the change model", _element_order),
    Part("links", Link, "link", "the links between elements", _link_order),
)


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


# ----------------------------------------------------------- the fields


_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}
_KEYS: dict[type, tuple[str, ...]] = {}


def file_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of a domain class in file order (``head`` fields first)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _file_fields(cls)
    return known


def _file_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    fields = attrs.fields(cls)
    head = [f for f in fields if field_info(f).head]
    if not head:
        return tuple(fields)
    own = [f for f in fields if f.name not in {a.name for a in attrs.fields(_base(cls))}]
    rest = [f for f in fields if f not in head and f not in own]
    return (*head, *own, *rest)


def _base(cls: type) -> type:
    return Element if issubclass(cls, Element) else cls


def keys_of(cls: type) -> tuple[str, ...]:
    """The keys of a domain object in files, in file order (``kind`` after an element's id)."""
    known = _KEYS.get(cls)
    if known is None:
        keys = [file_key(f) for f in file_fields(cls)]
        if issubclass(cls, Element):
            keys.insert(1, "kind")
        known = _KEYS[cls] = tuple(keys)
    return known


def _element_keys() -> tuple[str, ...]:
    base = keys_of(Element)
    head = 1 + sum(field_info(f).head for f in attrs.fields(Element))  # with the kind
    own = [k for cls in reversed(ELEMENT_CLASSES.values()) for k in keys_of(cls) if k not in base]
    return (*base[:head], *dict.fromkeys(own), *base[head:])


#: Every key an element may have in a file, in file order.
ELEMENT_KEYS: Final = _element_keys()

#: Keys that only some kinds of element have, with those kinds.
KIND_ONLY: Final = {
    key: tuple(kind for kind, cls in ELEMENT_CLASSES.items() if key in keys_of(cls))
    for key in ELEMENT_KEYS
    if key not in keys_of(Element)
}


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


def _plain_mapping(value: object, _: type) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _Problem(f"expected a mapping, found {describe(value)}", value=value)


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
    def hook(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Problem(f"expected a list, found {describe(value)}", value=value)
        items = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            try:
                items.append(conv.structure(item, item_type))
            except Exception as exc:  # collected with its index, reported by _issues
                exc.__notes__ = [cattrs.errors.IterableValidationNote(f"@ index {i}", i, item_type)]
                errors.append(exc)
        if errors:
            raise IterableValidationError("while reading a list", errors, tuple)
        return tuple(items)

    return hook


def _mapping_hook(
    cls: type, functions: dict[type, Callable[[dict[str, Any], type], Any]]
) -> Callable[[object, type], Any]:
    def hook(value: object, _: type) -> Any:
        if not isinstance(value, dict):
            raise _Problem(
                f"expected a mapping, found {describe(value)}",
                value=value,
                expected="keys " + ", ".join(keys_of(cls)),
            )
        return functions[cls](value, cls)

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
    return _ELEMENT_FUNCTIONS[cls](body, cls)  # type: ignore[no-any-return]


def _unknown_key(key: object, allowed: tuple[str, ...]) -> _Problem:
    return _Problem(
        f"unknown key {key!r}",
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


def _make_converter() -> tuple[cattrs.Converter, dict[type, Callable[..., Any]]]:
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
    conv.register_structure_hook_func(_is_dict, _plain_mapping)
    conv.register_structure_hook_factory(_is_tuple, lambda t: _tuple_hook(conv, get_args(t)[0]))
    classes: list[type] = []
    for part in PARTS:
        classes.extend(_classes_in(part.cls))
    classes.append(ModelHeader)
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
    for cls in classes:
        renames: dict[str, Any] = {f.name: override(rename=file_key(f)) for f in attrs.fields(cls)}
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
                **renames,
            )
    return conv, functions


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
        t = f.type
        if _is_tuple(t):
            t = get_args(t)[0]
        if isinstance(t, type) and attrs.has(t):
            yield from _classes_in(t)
    yield cls


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


_CONVERTER, _ELEMENT_FUNCTIONS = _make_converter()


# ------------------------------------------------------------ the API


def unstructure(obj: Any) -> Any:
    """Plain data for a domain object, in file order, without the fields at their defaults."""
    return _CONVERTER.unstructure(obj)


def structure(data: object, cls: type[T]) -> tuple[T | None, list[Issue]]:
    """Read *data* as a *cls*: the object (``None`` if it could not be made) and every problem.

    Each :class:`Issue` has the path of its value below *data*.
    """
    try:
        return _CONVERTER.structure(data, cls), []
    except Exception as exc:
        return None, list(_issues(exc, (), cls))


def _issues(exc: BaseException, path: Path, cls: type | None) -> Iterator[Issue]:
    """The issues in an exception raised while reading the value at *path*."""
    if isinstance(exc, _Problems):
        for problem in exc.problems:
            yield _at(problem.issue, path)
    elif isinstance(exc, _Problem):
        yield _at(exc.issue, path)
    elif isinstance(exc, ClassValidationError):
        names = {f.name: file_key(f) for f in attrs.fields(exc.cl)}
        for sub, note in exc.group_exceptions()[0]:
            name = getattr(note, "name", None)
            key = names.get(str(name), str(name))
            if isinstance(sub, KeyError):
                yield Issue(path, f"missing required key {key!r}")
            else:
                yield from _issues(sub, (*path, key), None)
        for sub in exc.group_exceptions()[1]:
            if isinstance(sub, ForbiddenExtraKeysError):
                allowed = keys_of(exc.cl)
                for key in sorted(sub.extra_fields, key=str):
                    yield _at(_unknown_key(key, allowed).issue, path)
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
