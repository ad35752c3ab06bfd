"""The JSON Schema of the model file describes the validation settings as the engine reads them."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
import yaml

from changemodel.formats.schema import schema
from changemodel.validation import Config

GOOD: list[dict[str, Any]] = [
    {},
    {"profiles": "mrc"},
    {"profiles": ["mrc", "realist"], "select": "CM304", "ignore": ["fan-limit"]},
    {"severity": {"black-box-link": "error", "CM503": "info"}, "fail-on": "warning"},
    {"fan_limit": 3, "options": {"house_words": 12}},
    {"suppress": [{"rule": "CM201", "target": "x", "reason": "kept on purpose"}]},
    {"suppress": [{"rule": "missing-stage", "reason": "a sketch"}]},
]
BAD: list[dict[str, Any]] = [
    {"colour": "red"},
    {"fan_limit": 0},
    {"fail_on": "fatal"},
    {"severity": {"CM201": "loud"}},
    {"suppress": [{"rule": "CM201", "target": "x"}]},
    {"suppress": [{"rule": "CM201", "reason": "r", "because": "y"}]},
    {"select": [3]},
]


def document(settings: dict[str, Any]) -> dict[str, Any]:
    return {"changemodel": 1, "title": "t", "validation": settings}


@pytest.mark.parametrize("settings", GOOD)
def test_settings_the_engine_accepts_match_the_schema(settings: dict[str, Any]) -> None:
    jsonschema.validate(document(settings), schema())
    Config.from_data(settings)


@pytest.mark.parametrize("settings", BAD)
def test_settings_the_schema_refuses(settings: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document(settings), schema())


def test_documented_example_settings_match_the_schema() -> None:
    from changemodel.validation import default_registry

    for rule in default_registry().rules:
        jsonschema.validate(yaml.safe_load(rule.example), schema())
