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
    ConfidenceLevel,
    ConfigurationStatus,
    EvidenceStatus,
    Horizon,
    IndicatorStatus,
    Kind,
    Relation,
    Sign,
    Strength,
)
from changemodel.validation.config import settings_schema

__all__ = ["SCHEMA_ID", "schema", "schema_text"]

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
            "intended": {
                "type": "boolean",
                "description": "outcome: false for an unintended outcome (default true)",
            },
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
            "if": {
                "not": {"properties": {"kind": {"enum": ["process_outcome", "downstream_outcome"]}}}
            },
            "then": {"not": {"required": ["intended"]}},
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
            "configurations": {"type": "array", "items": {"$ref": "#/$defs/configuration"}},
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
                    "status": _enum(IndicatorStatus, "proposed for the evaluation, or in use"),
                },
                ["name"],
                "How an element is measured.",
            ),
            "evidence": evidence,
            "element": element,
            "link": link,
            "confidence": _object(
                {
                    "level": _enum(ConfidenceLevel, "the overall GRADE-CERQual level"),
                    "methodological_limitations": _text("how the limitations were judged"),
                    "coherence": _text("how coherence was judged"),
                    "adequacy": _text("how the adequacy of data was judged"),
                    "relevance": _text("how relevance was judged"),
                },
                ["level"],
                "Confidence in a finding, graded with GRADE-CERQual.",
            ),
            "configuration": _object(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "statement": _text("the configuration in the source's words"),
                    "intervention": ids,
                    "contexts": ids,
                    "actors": {"type": "array", "items": {"$ref": "#/$defs/actor"}},
                    "mechanisms": ids,
                    "outcomes": ids,
                    "status": _enum(ConfigurationStatus, "where it stands (default initial)"),
                    "refines": ids,
                    "confidence": {
                        "anyOf": [
                            _enum(ConfidenceLevel, "the overall GRADE-CERQual level"),
                            {"$ref": "#/$defs/confidence"},
                        ]
                    },
                    "evidence": {"type": "array", "items": {"$ref": "#/$defs/evidence"}},
                    "tags": {"type": "array", "items": _text("a tag", min_length=1)},
                },
                ["id"],
                "A realist context-mechanism-outcome configuration.",
            ),
        },
    }


def schema_text() -> str:
    """The schema as indented JSON text."""
    return json.dumps(schema(), indent=2) + "\n"
