"""The JSON Schema of the canonical model file.

Editors use it to complete and check model files (for YAML, point the YAML
language server at it). ``changemodel schema`` prints it.

>>> schema()["properties"]["changemodel"]["const"]
1
"""

from __future__ import annotations

import json
from typing import Any, Final

from changemodel.domain import (
    ID_PATTERN,
    EvidenceStatus,
    Horizon,
    Kind,
    Relation,
    Sign,
    Strength,
)

__all__ = ["SCHEMA_ID", "schema", "schema_text", "settings_schema"]

SCHEMA_ID: Final = "https://changemodel.readthedocs.io/schema/changemodel-1.json"


def _text(description: str, *, min_length: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "description": description}
    if min_length:
        out["minLength"] = min_length
        out["pattern"] = r"\S"
    return out


def _enum(values: Any, description: str) -> dict[str, Any]:
    return {"enum": [v.value for v in values], "description": description}


def _object(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format version 1, as a new dict."""
    ident = {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"}
    ids = {"type": "array", "items": {"$ref": "#/$defs/id"}, "uniqueItems": True}
    evidence = _object(
        {
            "reference": {"$ref": "#/$defs/id", "description": "id of a reference"},
            "quote": _text("a quotation from the source"),
            "page": _text("page or section in the source"),
            "status": _enum(EvidenceStatus, "how the claim is known"),
            "strength": _enum(Strength, "how strongly the evidence supports the claim"),
            "note": _text("a remark on the evidence"),
        },
        [],
        "A source supporting an element or a link.",
    )
    evidence["anyOf"] = [
        {"required": ["reference"]},
        {"required": ["quote"]},
        {"required": ["note"]},
    ]
    element_kinds = [k.value for k in Kind]
    element = _object(
        {
            "id": {"$ref": "#/$defs/id"},
            "kind": {"enum": element_kinds},
            "label": _text("short text shown in diagrams and tables", min_length=1),
            "description": _text("longer explanation"),
            "horizon": _enum(Horizon, "when a downstream outcome is expected"),
            "resource": _text("mechanism: what the intervention offers"),
            "reasoning": _text("mechanism: the response it triggers"),
            "actors": {"type": "array", "items": {"$ref": "#/$defs/actor"}},
            "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
            "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
            "theories": ids,
            "tags": {"type": "array", "items": _text("a tag", min_length=1)},
        },
        ["id", "kind", "label"],
        "An element of the change model.",
    )
    element["allOf"] = [
        {
            "if": {"not": {"properties": {"kind": {"const": "downstream_outcome"}}}},
            "then": {"not": {"required": ["horizon"]}},
        },
        {
            "if": {"not": {"properties": {"kind": {"const": "mechanism"}}}},
            "then": {"not": {"anyOf": [{"required": ["resource"]}, {"required": ["reasoning"]}]}},
        },
    ]
    link = _object(
        {
            "from": {"$ref": "#/$defs/id"},
            "to": {"$ref": "#/$defs/id"},
            "relation": _enum(Relation, "what the link means (default leads_to)"),
            "sign": _enum(Sign, "direction of a causal link (default increases)"),
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "feedback": {"type": "boolean", "description": "a deliberate loop"},
            "rationale": _text("why the source leads to the target"),
            "assumptions": ids,
            "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
            "theories": ids,
        },
        ["from", "to"],
        "A link between two elements.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "changemodel model file",
        "description": "A logic model or theory of change, format version 1.",
        "type": "object",
        "properties": {
            "changemodel": {"const": 1, "description": "format version"},
            "title": _text("the model's title", min_length=1),
            "description": _text("what the model is about"),
            "version": _text("the theory's own version, e.g. '2.1'"),
            "references": {"type": "array", "items": {"$ref": "#/$defs/reference"}},
            "theories": {"type": "array", "items": {"$ref": "#/$defs/theory"}},
            "elements": {"type": "array", "items": {"$ref": "#/$defs/element"}},
            "links": {"type": "array", "items": {"$ref": "#/$defs/link"}},
            "validation": settings_schema(),
        },
        "required": ["changemodel", "title"],
        "additionalProperties": False,
        "$defs": {
            "id": ident,
            "reference": _object(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "citation": _text("the full citation", min_length=1),
                    "doi": _text("digital object identifier"),
                    "url": _text("web address"),
                },
                ["id", "citation"],
                "A citable source.",
            ),
            "theory": _object(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "name": _text("name of the theory", min_length=1),
                    "description": _text("what the theory says"),
                    "references": ids,
                },
                ["id", "name"],
                "A named body of theory.",
            ),
            "actor": _object(
                {"name": _text("who", min_length=1), "role": _text("their role")},
                ["name"],
                "Who acts or responds.",
            ),
            "indicator": _object(
                {
                    "name": _text("what is measured", min_length=1),
                    "instrument": _text("the instrument, e.g. WEMWBS"),
                    "timepoints": {"type": "array", "items": _text("when", min_length=1)},
                    "data_source": _text("where the data come from"),
                    "baseline": _text("the value at baseline"),
                    "target": _text("the value aimed for"),
                },
                ["name"],
                "How an element is measured.",
            ),
            "evidence": evidence,
            "element": element,
            "link": link,
        },
    }


def schema_text() -> str:
    """The schema as indented JSON text."""
    return json.dumps(schema(), indent=2) + "\n"


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of a settings mapping (the model file's ``validation:`` section).

    :mod:`changemodel.validation.config` reads these settings; a test holds the
    two to the same keys and values.

    >>> sorted(settings_schema()["properties"])[:3]
    ['fail-on', 'fail_on', 'fan-limit']
    """
    rule = {
        "type": "string",
        "pattern": r"^\s*([A-Za-z][A-Za-z0-9]{1,15}|[a-z][a-z0-9]*(-[a-z0-9]+)*)\s*$",
        "description": "a rule, by code (CM201) or name (isolated-element)",
    }
    rules = {"oneOf": [rule, {"type": "array", "items": rule}]}
    level = {"enum": ["error", "warning", "info"]}
    limit = {"type": "integer", "minimum": 1, "description": "the fan-in and fan-out limit"}
    threshold = {**level, "description": "the lowest severity that makes validation fail"}
    profile = {"type": "string", "pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"}
    return {
        "type": "object",
        "description": "validation settings: profiles, select, ignore, severity, fail_on,"
        " fan_limit, options and suppressions with their reasons",
        "properties": {
            "profiles": {
                "oneOf": [profile, {"type": "array", "items": profile}],
                "description": "the profiles to run besides integrity (default: structure)",
            },
            "select": {**rules, "description": "rules to run as well"},
            "ignore": {**rules, "description": "rules not to run (not integrity rules)"},
            "severity": {
                "type": "object",
                "additionalProperties": level,
                "description": "rule -> error, warning or info",
            },
            "fail_on": threshold,
            "fail-on": threshold,
            "fan_limit": limit,
            "fan-limit": limit,
            "options": {"type": "object", "description": "options for third-party rules"},
            "suppress": {
                "type": "array",
                "description": "findings to silence, each on one element or link, with a reason",
                "items": {
                    "type": "object",
                    "properties": {
                        "rule": rule,
                        "target": {
                            "type": "string",
                            "description": "an element or link id; none for the whole model",
                        },
                        "reason": {
                            "type": "string",
                            "pattern": r"\S",
                            "description": "why this finding does not apply",
                        },
                    },
                    "required": ["rule", "reason"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
