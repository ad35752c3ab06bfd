"""The canonical model file, in YAML or JSON: one data model, two syntaxes.

The file starts with the format version key ``changemodel``. Objects are
written in a stable order (references and theories by id, elements by kind
along the chain then id, links by source, target and relation) and fields
that hold their default are left out, so a one-element change is a small diff
and dumping a canonical file reproduces it byte for byte.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> print(dumps(m), end="")
changemodel: 1
title: Tiny
elements:
- id: a
  kind: activity
  label: Do
- id: o
  kind: process_outcome
  label: Change
links:
- from: a
  to: o
>>> loads(dumps(m)) == m
True
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Mapping
from typing import IO, Any, Final, Literal

import attrs
import yaml

from changemodel.domain import (
    Actor,
    Element,
    Evidence,
    Indicator,
    Kind,
    Link,
    Reference,
    Relation,
    Sign,
    Theory,
    element_class,
)
from changemodel.errors import (
    ChangeModelError,
    InvalidValueError,
    LoadError,
    LoadErrors,
    Location,
    UnknownIdError,
    did_you_mean,
)
from changemodel.formats._files import read_bytes, write_atomic
from changemodel.formats._located import (
    Path,
    Positions,
    decode,
    format_path,
    parse_json,
    parse_yaml,
)
from changemodel.model import ChangeModel

__all__ = [
    "FORMAT_VERSION",
    "Syntax",
    "dump",
    "dumps",
    "from_data",
    "load",
    "loads",
    "to_data",
]

#: The version of the file format this library writes and reads.
FORMAT_VERSION: Final = 1

Syntax = Literal["yaml", "json"]

_KIND_ORDER: Final = {kind: i for i, kind in enumerate(Kind)}

# Field order in the file, per object. The first entry of each is required.
_MODEL_KEYS: Final = (
    "changemodel",
    "title",
    "description",
    "version",
    "references",
    "theories",
    "elements",
    "links",
    "validation",
)
_REFERENCE_KEYS: Final = ("id", "citation", "doi", "url")
_THEORY_KEYS: Final = ("id", "name", "description", "references")
_ACTOR_KEYS: Final = ("name", "role")
_INDICATOR_KEYS: Final = (
    "name",
    "instrument",
    "timepoints",
    "data_source",
    "baseline",
    "target",
)
_EVIDENCE_KEYS: Final = ("reference", "quote", "page", "status", "strength", "note")
_ELEMENT_KEYS: Final = (
    "id",
    "kind",
    "label",
    "description",
    "horizon",
    "resource",
    "reasoning",
    "actors",
    "indicators",
    "evidence",
    "theories",
    "tags",
)
_LINK_KEYS: Final = (
    "from",
    "to",
    "relation",
    "sign",
    "confidence",
    "feedback",
    "rationale",
    "assumptions",
    "evidence",
    "theories",
)
_KIND_ONLY: Final = {
    "horizon": Kind.DOWNSTREAM_OUTCOME,
    "resource": Kind.MECHANISM,
    "reasoning": Kind.MECHANISM,
}

# --------------------------------------------------------------------- write


def _value(value: Any) -> Any:
    """Plain data for a field value (enums to their text, tuples to lists)."""
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if attrs.has(type(value)):
        return _object(value)
    if isinstance(value, str):  # StrEnum members included
        return str(value)
    return value


def _object(obj: Any, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The fields of an attrs object that differ from their defaults, in file order."""
    out: dict[str, Any] = {}
    fields = attrs.fields_dict(type(obj))
    for name in keys or tuple(fields):
        if name not in fields:
            continue
        value = getattr(obj, name)
        default = fields[name].default
        is_default = (
            value is None or value == () or (default is not attrs.NOTHING and value == default)
        )
        if is_default and name not in ("id", "name", "label", "citation"):
            continue
        out[name] = _value(value)
    return out


def _element_data(e: Element) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "kind": e.kind.value}
    body = _object(e, _ELEMENT_KEYS)
    body.pop("id")
    out.update(body)
    return {k: out[k] for k in _ELEMENT_KEYS if k in out}


def _link_data(link: Link) -> dict[str, Any]:
    out: dict[str, Any] = {"from": link.source, "to": link.target}
    for key, value in _object(link).items():
        if key not in ("source", "target"):
            out[key] = value
    return {k: out[k] for k in _LINK_KEYS if k in out}


def to_data(model: ChangeModel) -> dict[str, Any]:
    """The model as plain data (dicts, lists, text, numbers) in canonical order."""
    data: dict[str, Any] = {"changemodel": FORMAT_VERSION, "title": model.title}
    if model.description is not None:
        data["description"] = model.description
    if model.version is not None:
        data["version"] = model.version
    refs = sorted(model.references, key=lambda r: r.id)
    if refs:
        data["references"] = [_object(r, _REFERENCE_KEYS) for r in refs]
    theories = sorted(model.theories, key=lambda t: t.id)
    if theories:
        data["theories"] = [_object(t, _THEORY_KEYS) for t in theories]
    elements = sorted(model.elements, key=lambda e: (_KIND_ORDER[e.kind], e.id))
    if elements:
        data["elements"] = [_element_data(e) for e in elements]
    links = sorted(
        model.links, key=lambda lk: (lk.source, lk.target, list(Relation).index(lk.relation))
    )
    if links:
        data["links"] = [_link_data(lk) for lk in links]
    if model.settings:
        data["validation"] = _sorted_settings(model.settings)
    return data


def _sorted_settings(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _sorted_settings(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted_settings(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Block style; text with line breaks as literal blocks; no anchors.

    PyYAML's own emitter, not LibYAML's: the two differ (LibYAML escapes
    characters beyond the Basic Multilingual Plane), and the canonical bytes
    must not depend on how PyYAML was built.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and value == value.strip(" ") and "\r" not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dumps(model: ChangeModel, syntax: Syntax = "yaml") -> str:
    """The model's canonical text in ``"yaml"`` or ``"json"``."""
    data = to_data(model)
    if syntax == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if syntax == "yaml":
        text: str = yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=88,
        )
        return text
    raise InvalidValueError(f"unknown syntax {syntax!r}; expected 'yaml' or 'json'", value=syntax)


def syntax_of(path: str | os.PathLike[str]) -> Syntax:
    """``json`` for ``*.json`` files, ``yaml`` otherwise."""
    return "json" if str(path).lower().endswith(".json") else "yaml"


def dump(
    model: ChangeModel, path: str | os.PathLike[str] | IO[str], syntax: Syntax | None = None
) -> None:
    """Write the model to a path (atomically; syntax from the suffix) or an open text file."""
    if isinstance(path, str | os.PathLike):
        write_atomic(path, dumps(model, syntax or syntax_of(path)))
    else:
        path.write(dumps(model, syntax or "yaml"))


# ---------------------------------------------------------------------- read


class _Reader:
    """Turns plain data into a model, collecting every problem with its location."""

    def __init__(self, positions: Positions, file: str | None) -> None:
        self.positions = positions
        self.file = file
        self.errors: list[LoadError] = []

    def where(self, path: Path) -> Location:
        probe = path
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), Location(self.file))

    def fail(self, message: str, path: Path, **kw: Any) -> None:
        self.errors.append(
            LoadError(message, location=self.where(path), path=format_path(path), **kw)
        )

    def mapping(
        self, value: Any, path: Path, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(
                f"expected a mapping, found {_describe(value)}",
                path,
                value=value,
                expected=f"keys {', '.join(allowed)}",
            )
            return None
        ok = True
        for key in value:
            if key not in allowed:
                ok = False
                self.fail(
                    f"unknown key {key!r}",
                    (*path, key),
                    value=key,
                    expected="one of " + ", ".join(allowed),
                    suggestion=did_you_mean(key, allowed),
                )
        for key in required:
            if key not in value:
                ok = False
                self.fail(f"missing required key {key!r}", path)
        return value if ok else None

    def sequence(self, value: Any, path: Path) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"expected a list, found {_describe(value)}", path, value=value)
            return []
        return value

    def text(self, mapping: dict[str, Any], key: str, path: Path) -> bool:
        value = mapping.get(key)
        if value is None or isinstance(value, str):
            return True
        hint = " (quote it to keep it as text)" if isinstance(value, int | float | bool) else ""
        self.fail(
            f"expected text, found {_describe(value)}{hint}",
            (*path, key),
            value=value,
            expected="text",
        )
        return False

    def build(self, make: Callable[..., Any], kwargs: dict[str, Any], path: Path) -> Any:
        try:
            return make(**kwargs)
        except InvalidValueError as exc:
            key = exc.attribute if exc.attribute in kwargs else None
            at = (*path, key) if key else path
            self.fail(str(exc), at, value=exc.value)
        except TypeError as exc:
            self.fail(f"invalid value: {exc}", path)
        return None

    def values(
        self,
        raw: Any,
        path: Path,
        cls: type,
        keys: tuple[str, ...],
        required: tuple[str, ...],
    ) -> tuple[Any, ...]:
        out = []
        for i, item in enumerate(self.sequence(raw, path)):
            ip = (*path, i)
            mapping = self.mapping(item, ip, keys, required)
            if mapping is None:
                continue
            if not all(self.text(mapping, k, ip) for k in keys if k not in ("timepoints",)):
                continue
            kwargs = dict(mapping)
            if "timepoints" in kwargs:
                tps = self.sequence(kwargs["timepoints"], (*ip, "timepoints"))
                if not all(isinstance(t, str) for t in tps):
                    self.fail("timepoints must be text", (*ip, "timepoints"))
                    continue
                kwargs["timepoints"] = tps
            obj = self.build(cls, kwargs, ip)
            if obj is not None:
                out.append(obj)
        return tuple(out)

    def ids(self, mapping: dict[str, Any], key: str, path: Path) -> list[str]:
        raw = mapping.get(key)
        items = self.sequence(raw, (*path, key))
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.fail(f"expected an id, found {_describe(item)}", (*path, key, i))
                return []
        return items

    # -- the parts of a model

    def reference(self, raw: Any, path: Path) -> Reference | None:
        m = self.mapping(raw, path, _REFERENCE_KEYS, ("id", "citation"))
        if m is None or not all(self.text(m, k, path) for k in _REFERENCE_KEYS):
            return None
        ref: Reference | None = self.build(Reference, m, path)
        return ref

    def theory(self, raw: Any, path: Path) -> Theory | None:
        m = self.mapping(raw, path, _THEORY_KEYS, ("id", "name"))
        if m is None or not all(self.text(m, k, path) for k in ("id", "name", "description")):
            return None
        kwargs = dict(m)
        kwargs["references"] = self.ids(m, "references", path)
        theory: Theory | None = self.build(Theory, kwargs, path)
        return theory

    def evidence(self, m: dict[str, Any], path: Path) -> tuple[Evidence, ...]:
        return self.values(m.get("evidence"), (*path, "evidence"), Evidence, _EVIDENCE_KEYS, ())

    def element(self, raw: Any, path: Path) -> Element | None:
        m = self.mapping(raw, path, _ELEMENT_KEYS, ("id", "kind", "label"))
        if m is None:
            return None
        texts = ("id", "kind", "label", "description", "horizon", "resource", "reasoning")
        if not all(self.text(m, k, path) for k in texts):
            return None
        kind_text = m["kind"]
        try:
            kind = Kind(kind_text)
        except ValueError:
            self.fail(
                f"unknown kind {kind_text!r}",
                (*path, "kind"),
                value=kind_text,
                expected="one of " + ", ".join(k.value for k in Kind),
                suggestion=did_you_mean(kind_text, [k.value for k in Kind]),
            )
            return None
        for key, only in _KIND_ONLY.items():
            if key in m and kind is not only:
                self.fail(f"{key!r} belongs to a {only.label}, not to a {kind.label}", (*path, key))
                return None
        kwargs: dict[str, Any] = {k: v for k, v in m.items() if k != "kind"}
        kwargs["actors"] = self.values(
            m.get("actors"), (*path, "actors"), Actor, _ACTOR_KEYS, ("name",)
        )
        kwargs["indicators"] = self.values(
            m.get("indicators"), (*path, "indicators"), Indicator, _INDICATOR_KEYS, ("name",)
        )
        kwargs["evidence"] = self.evidence(m, path)
        kwargs["theories"] = self.ids(m, "theories", path)
        tags = self.sequence(m.get("tags"), (*path, "tags"))
        kwargs["tags"] = tags
        element: Element | None = self.build(element_class(kind), kwargs, path)
        return element

    def link(self, raw: Any, path: Path) -> Link | None:
        m = self.mapping(raw, path, _LINK_KEYS, ("from", "to"))
        if m is None:
            return None
        if not all(self.text(m, k, path) for k in ("from", "to", "relation", "sign", "rationale")):
            return None
        for key, allowed in (("relation", Relation), ("sign", Sign)):
            if key in m and m[key] not in {v.value for v in allowed}:
                names = [v.value for v in allowed]
                self.fail(
                    f"unknown {key} {m[key]!r}",
                    (*path, key),
                    value=m[key],
                    expected="one of " + ", ".join(names),
                    suggestion=did_you_mean(m[key], names),
                )
                return None
        if "feedback" in m and not isinstance(m["feedback"], bool):
            self.fail("feedback must be true or false", (*path, "feedback"), value=m["feedback"])
            return None
        kwargs: dict[str, Any] = {k: v for k, v in m.items() if k not in ("from", "to")}
        kwargs["source"] = m["from"]
        kwargs["target"] = m["to"]
        kwargs["assumptions"] = self.ids(m, "assumptions", path)
        kwargs["theories"] = self.ids(m, "theories", path)
        kwargs["evidence"] = self.evidence(m, path)
        if isinstance(kwargs.get("confidence"), bool) or not isinstance(
            kwargs.get("confidence", 0.0), int | float
        ):
            self.fail("confidence must be a number between 0 and 1", (*path, "confidence"))
            return None
        link: Link | None = self.build(
            lambda source, target, **kw: Link(source, target, **kw), kwargs, path
        )
        return link

    def model(self, data: Any) -> ChangeModel | None:
        if not isinstance(data, dict):
            self.fail(f"a model file holds a mapping, found {_describe(data)}", ())
            return None
        if "changemodel" not in data:
            self.fail(
                "not a changemodel file: the format version key 'changemodel' is missing"
                f" (write 'changemodel: {FORMAT_VERSION}' first)",
                (),
            )
            return None
        version = data["changemodel"]
        if isinstance(version, bool) or not isinstance(version, int):
            self.fail("the format version must be a whole number", ("changemodel",), value=version)
            return None
        if version > FORMAT_VERSION:
            self.fail(
                f"this file is in format {version}, newer than this library reads"
                f" ({FORMAT_VERSION}); upgrade changemodel",
                ("changemodel",),
            )
            return None
        if version < 1:
            self.fail(f"unknown format version {version}", ("changemodel",))
            return None
        top = self.mapping(data, (), _MODEL_KEYS, ("changemodel", "title"))
        if top is None or not all(
            self.text(top, k, ()) for k in ("title", "description", "version")
        ):
            return None
        settings = top.get("validation", {})
        if not isinstance(settings, dict):
            self.fail("'validation' must be a mapping", ("validation",))
            settings = {}
        try:
            model = ChangeModel(
                top["title"],
                description=top.get("description"),
                version=top.get("version"),
                settings=settings,
            )
        except InvalidValueError as exc:
            self.fail(str(exc), ("title",))
            return None
        if settings:
            # Where each validation setting is, so malformed settings can be reported
            # with a line: "validation" and "validation:suppress[0].rule" and so on.
            for spot, loc in self.positions.items():
                if spot and spot[0] == "validation":
                    rest = spot[1:]
                    model.locations["validation" + (f":{format_path(rest)}" if rest else "")] = loc
        parts: list[tuple[str, Callable[[Any, Path], Any], str]] = [
            ("references", self.reference, "reference"),
            ("theories", self.theory, "theory"),
            ("elements", self.element, "element"),
        ]
        for key, read, prefix in parts:
            for i, raw in enumerate(self.sequence(top.get(key), (key,))):
                obj = read(raw, (key, i))
                if obj is not None:
                    self.add(model, obj, (key, i), f"{prefix}:{obj.id}")
        for i, raw in enumerate(self.sequence(top.get("links"), ("links",))):
            link = self.link(raw, ("links", i))
            if link is not None:
                self.add(model, link, ("links", i), f"link:{link.id}")
        return model

    def add(self, model: ChangeModel, obj: Any, path: Path, key: str) -> None:
        try:
            model.add(obj)
        except UnknownIdError as exc:
            side = "to" if isinstance(obj, Link) and exc.id == obj.target else "from"
            self.fail(
                exc.reason,
                (*path, side),
                value=exc.id,
                suggestion=exc.suggestion,
            )
        except ChangeModelError as exc:
            self.fail(str(exc), path)
        else:
            model.locations[key] = self.where(path)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    return f"{type(value).__name__} {value!r}"


def from_data(
    data: Any, *, positions: Positions | None = None, file: str | None = None
) -> ChangeModel:
    """Build a model from plain data; every problem is reported in one :class:`LoadError`."""
    reader = _Reader(positions or {}, file)
    model = reader.model(data)
    if reader.errors:
        raise reader.errors[0] if len(reader.errors) == 1 else LoadErrors(reader.errors)
    assert model is not None
    model.source = file
    return model


def loads(text: str | bytes, syntax: Syntax = "yaml", *, file: str | None = None) -> ChangeModel:
    """Read a model from YAML or JSON text."""
    # Reading allocates many small objects that all stay alive: the cyclic
    # garbage collector would only rescan them again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _loads(text, syntax, file)
    finally:
        if collecting:
            gc.enable()


def _loads(text: str | bytes, syntax: Syntax, file: str | None) -> ChangeModel:
    if isinstance(text, bytes):
        text = decode(text, file)
    elif text.startswith("\ufeff"):
        text = text[1:]
    if syntax == "json":
        data, positions = parse_json(text, file)
    elif syntax == "yaml":
        data, positions = parse_yaml(text, file)
    else:
        raise InvalidValueError(
            f"unknown syntax {syntax!r}; expected 'yaml' or 'json'", value=syntax
        )
    return from_data(data, positions=positions, file=file)


def load(path: str | os.PathLike[str] | IO[str], syntax: Syntax | None = None) -> ChangeModel:
    """Read a model file (syntax from the suffix: ``.json`` is JSON, anything else YAML)."""
    raw, name = read_bytes(path)
    if syntax is None:
        syntax = syntax_of(name) if isinstance(path, str | os.PathLike) and name else "yaml"
    return loads(raw, syntax, file=name)
