"""The generated JSON Schema and the reader agree, in both directions.

- every document the schema accepts loads, unless it breaks what a schema
  cannot state (a link to an element that is not in the file, two objects
  with one id, a self-loop not marked feedback);
- every document the reader accepts fits the schema.

Documents are drawn from the schema itself by a small generator for the part
of JSON Schema the generated schema uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import LoadError, dumps, load, loads
from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    Link,
    Reference,
    field_info,
    file_fields,
    file_key,
)
from changemodel.formats.schema import schema
from changemodel.testing.strategies import models, mutated_documents

SCHEMA = schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
#: A few ids, so that drawn links often join drawn elements.
IDS = ["a", "b", "c", "Trust", "hope-2", "x.y"]
#: What only the reader can check.
BEYOND_A_SCHEMA = ("unknown element", "already has", "collides with", "links to itself")


def _from_schema(node: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return st.deferred(lambda: _from_schema(defs[name], defs))
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of([_from_schema(n, defs) for n in node["oneOf"]])
    kind = node.get("type")
    strategy: st.SearchStrategy[Any]
    if kind == "string":
        pattern = node.get("pattern")
        if pattern and pattern.startswith("^[A-Za-z]"):
            strategy = st.one_of(st.sampled_from(IDS), st.from_regex(pattern, fullmatch=True))
        elif pattern and pattern.startswith("^"):
            strategy = st.from_regex(pattern, fullmatch=True)
        else:
            text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
            strategy = text.filter(lambda s: re.search(pattern, s) is not None) if pattern else text
            if node.get("minLength"):
                strategy = strategy.filter(lambda s: len(s) >= node["minLength"])
    elif kind == "number":
        low, high = node.get("minimum"), node.get("maximum")
        strategy = st.one_of(
            st.floats(low, high, allow_nan=False, allow_infinity=False),
            st.integers(
                int(low) if low is not None else None, int(high) if high is not None else None
            ),
        )
    elif kind == "integer":
        strategy = st.integers(min_value=node.get("minimum"), max_value=10**6)
    elif kind == "boolean":
        strategy = st.booleans()
    elif kind == "array":
        items = _from_schema(node.get("items", {}), defs)
        strategy = st.lists(items, max_size=4, unique=bool(node.get("uniqueItems")))
    elif kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        if properties:
            strategy = st.fixed_dictionaries(
                {k: _from_schema(v, defs) for k, v in properties.items() if k in required},
                optional={
                    k: _from_schema(v, defs) for k, v in properties.items() if k not in required
                },
            )
        else:
            extra = node.get("additionalProperties", True)
            values = _from_schema(extra, defs) if isinstance(extra, dict) else st.integers()
            strategy = st.dictionaries(st.text(max_size=8), values, max_size=3)
    else:
        strategy = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
    # What the generator cannot aim at (anyOf, if/then, not), it filters for.
    if {"anyOf", "allOf", "not"} & node.keys():
        check: Callable[[Any], bool] = jsonschema.Draft202012Validator(
            {**node, "$defs": defs}
        ).is_valid
        strategy = strategy.filter(check)
    return strategy


documents = _from_schema(SCHEMA, SCHEMA["$defs"])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(documents)
def test_every_document_the_schema_accepts_loads(document: dict[str, Any]) -> None:
    VALIDATOR.validate(document)
    texts = {
        "json": json.dumps(document, ensure_ascii=False),
        "yaml": yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
    }
    for syntax, text in texts.items():
        try:
            loads(text, syntax)  # type: ignore[arg-type]
        except LoadError as exc:
            for error in getattr(exc, "errors", (exc,)):
                assert any(words in error.reason for words in BEYOND_A_SCHEMA), str(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(hostile=True, full=True))
def test_every_model_the_reader_writes_fits_the_schema(model: Any) -> None:
    VALIDATOR.validate(json.loads(dumps(model, "json")))


EXAMPLE = "examples/peer_worker/model.yaml"


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_document_the_reader_accepts_fits_the_schema(data: st.DataObject) -> None:
    text = data.draw(mutated_documents(json.dumps(json.loads(dumps(load(EXAMPLE), "json")))))
    try:
        loads(text, "json")
    except LoadError:
        return
    VALIDATOR.validate(json.loads(text))


def test_the_schema_is_generated_from_the_fields() -> None:
    link = SCHEMA["$defs"]["link"]
    assert list(link["properties"]) == [file_key(f) for f in file_fields(Link)]
    assert link["properties"]["from"]["description"] == field_info(file_fields(Link)[0]).doc
    assert list(SCHEMA["$defs"]["element"]["properties"]) == list(ELEMENT_KEYS)
    assert SCHEMA["$defs"]["reference"]["required"] == ["id", "citation"]
    assert {"horizon", "resource", "reasoning"} <= set(ELEMENT_KEYS)
    assert len(ELEMENT_CLASSES) == len(SCHEMA["$defs"]["element"]["properties"]["kind"]["enum"])
    assert Reference.__attrs_attrs__[0].name == "id"


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ({"kind": "mechanism", "horizon": "long"}, "horizon"),
        ({"kind": "activity", "resource": "r"}, "resource"),
    ],
)
def test_the_schema_refuses_a_kind_s_field_on_another_kind(
    document: dict[str, Any], error: str
) -> None:
    element = {"id": "a", "label": "A", **document}
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"changemodel": 1, "title": "t", "elements": [element]})
    with pytest.raises(LoadError, match=error):
        loads(json.dumps({"changemodel": 1, "title": "t", "elements": [element]}), "json")


def test_the_schema_refuses_a_sign_on_a_moderation() -> None:
    link = {"from": "a", "to": "b", "relation": "moderates", "sign": "reduces"}
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"changemodel": 1, "title": "t", "links": [link]})
