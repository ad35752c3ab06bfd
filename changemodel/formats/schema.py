"""The JSON Schema of the canonical model file, generated from the domain classes.

Editors use it to complete and check model files (for YAML, point the YAML
language server at it). ``changemodel schema`` prints it. Nothing here is
written by hand: every object and key comes from the attrs fields of
:mod:`changemodel.domain` and their metadata, through the lists of
:mod:`changemodel.converter`, so the schema accepts what the reader accepts.

>>> schema()["properties"]["changemodel"]["const"]
1
>>> schema()["$defs"]["link"]["properties"]["sign"]["enum"]
['increases', 'reduces']
"""

from __future__ import annotations

import enum
import json
import types
from typing import Any, Final, Union, get_args, get_origin

import attrs

from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    ID_PATTERN,
    KIND_ONLY,
    PARTS,
    Element,
    Kind,
    Link,
    ModelHeader,
    Relation,
    Settings,
    Sign,
    field_info,
    file_fields,
    file_key,
    value_kind,
)

__all__ = ["SCHEMA_ID", "schema", "schema_text"]

SCHEMA_ID: Final = "https://changemodel.readthedocs.io/schema/changemodel-1.json"


def _name(cls: type) -> str:
    """``ProcessOutcome`` -> ``process_outcome``: the name of a class's definition."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in cls.__name__).lstrip("_")


def _summary(cls: type) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


def _optional(t: Any) -> Any:
    """``X | None`` -> ``X``."""
    if get_origin(t) in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def _value(field: attrs.Attribute[Any]) -> dict[str, Any]:
    """The schema of one field's value, with its default when that says something."""
    out = _type(field)
    default = field.default
    if isinstance(default, enum.Enum):
        default = default.value
    if default not in (attrs.NOTHING, None, ()) and not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        out["default"] = default
    return out


def _type(field: attrs.Attribute[Any]) -> dict[str, Any]:
    kind = value_kind(field)
    doc = field_info(field).doc
    t = _optional(field.type)
    if kind == "id":
        return {"$ref": "#/$defs/id", "description": doc}
    if kind == "ids":
        return {
            "type": "array",
            "items": {"$ref": "#/$defs/id"},
            "uniqueItems": True,
            "description": doc,
        }
    if kind in ("text", "required text"):
        out: dict[str, Any] = {"type": "string", "description": doc}
        if kind == "required text":
            out.update(minLength=1, pattern=r"\S")
        return out
    if kind == "texts":
        text = {"type": "string", "minLength": 1, "pattern": r"\S"}
        if field_info(field).lone:  # one value may stand for a list of one
            return {"oneOf": [text, {"type": "array", "items": text}], "description": doc}
        return {"type": "array", "items": text, "description": doc}
    if kind == "fraction":
        return {"type": "number", "minimum": 0, "maximum": 1, "description": doc}
    if kind == "positive":
        return {"type": "integer", "minimum": 1, "description": doc}
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return {"enum": [m.value for m in t], "description": doc}
    if t is bool:
        return {"type": "boolean", "description": doc}
    if get_origin(t) is dict:
        values = get_args(t)[1]
        out = {"type": "object", "description": doc}
        if isinstance(values, type) and issubclass(values, enum.Enum):
            out["additionalProperties"] = {"enum": [m.value for m in values]}
        return out
    if get_origin(t) is tuple:
        item = get_args(t)[0]
        return {"type": "array", "items": {"$ref": f"#/$defs/{_name(item)}"}, "description": doc}
    raise TypeError(f"no schema for the field {field.name!r} of type {field.type!r}")


def _object(cls: type) -> dict[str, Any]:
    attrs.resolve_types(cls)  # the annotations are text until resolved
    fields = file_fields(cls)
    properties = {file_key(f): _value(f) for f in fields}
    if getattr(cls, "dashes", False):  # "fail-on" for "fail_on"
        for key in list(properties):
            if "_" in key:
                properties[key.replace("_", "-")] = properties[key]
    out: dict[str, Any] = {
        "type": "object",
        "description": _summary(cls),
        "properties": properties,
        "required": [file_key(f) for f in fields if f.default is attrs.NOTHING],
        "additionalProperties": False,
    }
    one_of = getattr(cls, "one_of", None)
    if one_of:
        out["anyOf"] = [{"required": [key]} for key in one_of]
    twins = [key for key in properties if "_" in key and key.replace("_", "-") in properties]
    if twins:  # a key given in both spellings is refused
        out["allOf"] = [{"not": {"required": [key, key.replace("_", "-")]}} for key in twins]
    return out


def _element() -> dict[str, Any]:
    """Every kind's fields in one object; a kind's own fields only with that kind."""
    properties: dict[str, Any] = {}
    for cls in ELEMENT_CLASSES.values():
        for f in file_fields(cls):
            properties.setdefault(file_key(f), _value(f))
    properties["kind"] = {"enum": [k.value for k in Kind], "description": "what the element is"}
    out = _object(Element)
    out["properties"] = {key: properties[key] for key in ELEMENT_KEYS}
    out["required"] = ["id", "kind", *out["required"][1:]]
    out["allOf"] = [
        {
            "if": {"not": {"properties": {"kind": {"enum": [k.value for k in kinds]}}}},
            "then": {"not": {"required": [key]}},
        }
        for key, kinds in KIND_ONLY.items()
    ]
    return out


def _link() -> dict[str, Any]:
    """A link; only a causal link has a sign other than the default, or is a feedback."""
    out = _object(Link)
    causal = Relation.LEADS_TO.value
    out["allOf"] = [
        {
            "if": {
                "required": ["relation"],
                "properties": {"relation": {"not": {"const": causal}}},
            },
            "then": {
                "properties": {
                    "sign": {"const": Sign.INCREASES.value},
                    "feedback": {"const": False},
                }
            },
        }
    ]
    return out


def _definitions() -> dict[str, Any]:
    defs: dict[str, Any] = {"id": {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}}
    seen: list[type] = []

    def visit(cls: type) -> None:
        attrs.resolve_types(cls)
        for f in attrs.fields(cls):
            t = _optional(f.type)
            if get_origin(t) is tuple and attrs.has(get_args(t)[0]):
                visit(get_args(t)[0])
        if cls not in seen:
            seen.append(cls)

    for part in PARTS:
        if part.cls is Element:
            for cls in ELEMENT_CLASSES.values():
                visit(cls)
        else:
            visit(part.cls)
    visit(Settings)
    for cls in seen:
        if not issubclass(cls, Element) and cls not in (Link, Settings):
            defs[_name(cls)] = _object(cls)
    defs["element"] = _element()
    defs["link"] = _link()
    return defs


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format version 1, as a new dict."""
    properties: dict[str, Any] = {}
    for f in file_fields(ModelHeader):
        key = file_key(f)
        if key == "changemodel":
            properties[key] = {"const": 1, "description": field_info(f).doc}
        elif key == "validation":
            properties[key] = _object(Settings)
        else:
            properties[key] = _value(f)
    for part in PARTS:
        properties[part.key] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/{_name(part.cls)}"},
            "description": part.doc,
        }
    # The settings come last in files.
    properties["validation"] = properties.pop("validation")
    properties["validation"]["description"] = field_info(
        next(f for f in file_fields(ModelHeader) if f.name == "validation")
    ).doc
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "changemodel model file",
        "description": "A logic model or theory of change, format version 1.",
        "type": "object",
        "properties": properties,
        "required": [file_key(f) for f in file_fields(ModelHeader) if f.default is attrs.NOTHING],
        "additionalProperties": False,
        "$defs": _definitions(),
    }


def schema_text() -> str:
    """The schema as indented JSON text."""
    return json.dumps(schema(), indent=2) + "\n"
