"""The canonical file: lossless round trips, the JSON Schema, located load errors."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import (
    ChangeModel,
    ChangeModelError,
    LoadError,
    LoadErrors,
    dump,
    dumps,
    load,
    loads,
)
from changemodel.formats.canonical import to_data
from changemodel.formats.schema import schema
from changemodel.testing.strategies import models, mutated_documents, yaml_documents

EXAMPLE = Path("examples/peer_worker/model.yaml")
SYNTAXES = ["yaml", "json"]


@pytest.mark.parametrize("syntax", SYNTAXES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=models(hostile=True, full=True))
def test_round_trip_is_lossless(syntax: str, model: ChangeModel) -> None:
    text = dumps(model, syntax)  # type: ignore[arg-type]
    again = loads(text, syntax)  # type: ignore[arg-type]
    assert again == model
    assert dumps(again, syntax) == text  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(max_elements=8))
def test_yaml_and_json_hold_the_same_data(model: ChangeModel) -> None:
    assert loads(dumps(model, "yaml")) == loads(dumps(model, "json"), "json")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(hostile=True))
def test_every_dump_validates_against_the_shipped_schema(model: ChangeModel) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    validator.validate(json.loads(dumps(model, "json")))


def test_schema_is_a_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def test_example_file_is_canonical_byte_for_byte() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert dumps(loads(text)) == text


def test_dump_to_path_and_load_back(tmp_path: Path) -> None:
    model = load(EXAMPLE)
    for name in ("m.yaml", "m.json"):
        dump(model, tmp_path / name)
        assert load(tmp_path / name) == model
    assert (tmp_path / "m.json").read_text().lstrip().startswith("{")


def test_locations_are_recorded() -> None:
    model = load(EXAMPLE)
    loc = model.locations["element:trusting_relationships"]
    assert loc.file == str(EXAMPLE)
    line = EXAMPLE.read_text().splitlines()[loc.line - 1]  # type: ignore[operator]
    assert "trusting_relationships" in line
    assert model.locations["link:peer_support->trusting_relationships"].line


def _error(text: str, syntax: str = "yaml") -> LoadError:
    with pytest.raises(LoadError) as info:
        loads(text, syntax, file="m.yaml")  # type: ignore[arg-type]
    return info.value


HEAD = "changemodel: 1\ntitle: T\n"


def test_misspelt_key_says_where_and_did_you_mean() -> None:
    err = _error(HEAD + "elements:\n- id: a\n  kind: activity\n  lable: A\n")
    assert err.location is not None and (err.location.line, err.location.column) == (6, 3)
    assert err.path == "elements[0].lable"
    assert err.suggestion == "label"
    assert "m.yaml:6:3" in str(err)


def test_unknown_kind_did_you_mean() -> None:
    err = _error(HEAD + "elements:\n- id: a\n  kind: mechansim\n  label: A\n")
    assert err.path == "elements[0].kind"
    assert err.suggestion == "mechanism"
    assert err.value == "mechansim"


def test_unknown_link_target_did_you_mean() -> None:
    text = HEAD + (
        "elements:\n- id: trust\n  kind: mechanism\n  label: T\n"
        "- id: hope\n  kind: process_outcome\n  label: H\n"
        "links:\n- from: trust\n  to: hpoe\n"
    )
    err = _error(text)
    assert err.path == "links[0].to"
    assert err.suggestion == "hope"
    assert err.location is not None and err.location.line == 12


def test_duplicate_keys_are_errors() -> None:
    err = _error(HEAD + "title: again\n")
    assert "duplicate key 'title'" in str(err)
    assert err.location is not None and err.location.line == 3
    err = _error('{"changemodel": 1, "title": "a", "title": "b"}', "json")
    assert "duplicate key 'title'" in str(err)


def test_duplicate_ids_are_errors() -> None:
    element = "- id: a\n  kind: activity\n  label: A\n"
    err = _error(HEAD + "elements:\n" + element + element)
    assert "already has an element with id 'a'" in str(err)
    assert err.path == "elements[1]"


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "description: !!python/object/apply:os.system ['echo hi']\n",
        HEAD + "description: !custom x\n",
        HEAD + "x: &a [1]\ny: *a\n",
        "--- \nchangemodel: 1\n--- \ntitle: T\n",
        "",
        "[1, 2",
        HEAD + "elements: 3\n",
        HEAD + "version: 1.0\n",
        "changemodel: 99\ntitle: T\n",
        "title: T\n",
        HEAD + "links:\n- from: a\n  to: b\n  confidence: high\n",
    ],
)
def test_malformed_documents_raise_located_library_errors(text: str) -> None:
    err = _error(text)
    assert err.location is not None and err.location.file == "m.yaml"
    assert err.location.line is not None


def test_version_as_number_hints_to_quote() -> None:
    assert "quote it" in str(_error(HEAD + "version: 1.0\n"))


def test_several_errors_are_reported_together() -> None:
    err = _error(
        HEAD + "elements:\n- id: a\n  kind: nope\n  label: A\n- id: 1b\n  kind: input\n  label: B\n"
    )
    assert isinstance(err, LoadErrors)
    assert len(err.errors) == 2


def test_invalid_utf8_is_located() -> None:
    with pytest.raises(LoadError, match="not valid UTF-8") as info:
        loads(b"changemodel: 1\ntitle: \xff\n", file="m.yaml")
    assert info.value.location is not None and info.value.location.line == 2


def test_bom_and_crlf_are_accepted() -> None:
    model = loads(("\ufeff" + HEAD).replace("\n", "\r\n").encode("utf-8"))
    assert model.title == "T"


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(LoadError, match="aliases"):
        loads(HEAD.replace("title: T\n", "") + "\n".join(lines) + "\ntitle: T\n")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(LoadError, match="nest"):
        loads(HEAD + "validation: " + "[" * 5000 + "]" * 5000 + "\n")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read the file"):
        load(tmp_path / "missing.yaml")


@settings(max_examples=200, deadline=None)
@given(yaml_documents())
def test_arbitrary_text_raises_only_library_errors(text: str) -> None:
    with contextlib.suppress(ChangeModelError):
        loads(text)


EXAMPLE_TEXT = {
    "yaml": EXAMPLE.read_text(encoding="utf-8"),
    "json": json.dumps(to_data(load(EXAMPLE)), indent=1),
}


@pytest.mark.parametrize("syntax", SYNTAXES)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_mutated_example_raises_only_located_library_errors(
    syntax: str, data: st.DataObject
) -> None:
    text = data.draw(mutated_documents(EXAMPLE_TEXT[syntax]))
    try:
        loads(text, syntax, file="m")  # type: ignore[arg-type]
    except LoadError as err:
        assert err.location is not None
        assert err.location.file == "m"


def test_an_unknown_top_level_key_does_not_hide_the_other_errors() -> None:
    text = (
        "changemodel: 1\ntitle: T\ncolour: red\n"
        "elements:\n- id: a\n  kind: activity\n  lable: A\n"
        "- id: b\n  kind: mechansim\n  label: B\n"
        "- id: c\n  kind: process_outcome\n  label: 3\n"
        "links:\n- from: a\n  to: c\n  sing: reduces\n- from: c\n  to: d\n"
    )
    err = _error(text)
    assert isinstance(err, LoadErrors)
    found = {(e.path, e.reason.split(" (")[0]) for e in err.errors}
    assert ("colour", "unknown key 'colour'") in found
    assert ("elements[0].lable", "unknown key 'lable'") in found
    assert ("elements[1].kind", "unknown kind 'mechansim'") in found
    assert ("elements[2].label", "expected text, found int 3") in found
    assert ("links[0].sing", "unknown key 'sing'") in found
    assert ("links[1].to", "link c->d refers to an unknown element 'd'") in found
    assert len(err.errors) == 6
    lines = {e.path: e.location.line for e in err.errors if e.location is not None}
    assert lines["colour"] == 3 and lines["links[0].sing"] == 17


def test_a_refused_element_does_not_cascade_into_its_links() -> None:
    text = HEAD + (
        "elements:\n- id: trust\n  kind: mechansim\n  label: T\n"
        "- id: hope\n  kind: process_outcome\n  label: H\n"
        "links:\n- from: trust\n  to: hope\n  sing: reduces\n- from: trust\n  to: hope\n"
    )
    err = _error(text)
    assert isinstance(err, LoadErrors)
    assert [(e.path, e.suggestion) for e in err.errors] == [
        ("elements[0].kind", "mechanism"),
        ("links[0].sing", "sign"),
    ]


def test_json_syntax_errors_say_line_and_column() -> None:
    err = _error('{\n  "changemodel": 1,\n  "title": "T",,\n}\n', "json")
    assert err.location is not None
    assert (err.location.line, err.location.column) == (3, 16)
    assert "invalid JSON" in err.reason


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        (
            HEAD + "links:\n- from: a\n  to: b\n  confidence: " + "9" * 400 + "\n",
            "confidence",
            "400 digits",
        ),
        (HEAD + "links:\n- from: a\n  to: b\n  feedback: !!bool maybe\n", "", "maybe"),
    ],
)
def test_numbers_and_flags_that_cannot_be_read_are_located(
    text: str, path: str, words: str
) -> None:
    err = _error(text)
    assert err.location is not None and err.location.line == 6
    assert words in str(err)


@pytest.mark.parametrize(
    "text",
    [
        '{"changemodel": 1, "title": "A\\ud800"}',
        '{"changemodel": 1, "title": "T", "elements": [{"id": "a", "kind": "input",'
        ' "label": "\\udc00x"}]}',
        "changemodel: 1\ntitle: T\ndescription: A\ud800\n",
    ],
)
def test_a_lone_surrogate_is_refused_on_reading(text: str) -> None:
    err = _error(text, "json")
    assert "lone surrogate" in str(err)
    assert err.location is not None and err.location.file == "m.yaml"


def test_a_surrogate_pair_is_one_character() -> None:
    model = loads('{"changemodel": 1, "title": "A\\ud83d\\ude00"}', "json")
    assert model.title == "A\U0001f600"


@pytest.mark.parametrize("syntax", SYNTAXES)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_whatever_loads_dumps_and_loads_equal(syntax: str, data: st.DataObject) -> None:
    text = data.draw(mutated_documents(EXAMPLE_TEXT[syntax]))
    try:
        model = loads(text, syntax)  # type: ignore[arg-type]
    except LoadError:
        return
    for out in SYNTAXES:
        assert loads(dumps(model, out), out) == model  # type: ignore[arg-type]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_loading_leaves_the_garbage_collector_alone(
    syntax: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load must not switch the collector off or freeze objects for the whole process.

    Other threads of a service keep running while a file loads; they must keep a
    working collector.
    """
    import gc

    from changemodel.testing.generate import layered_model

    text = dumps(layered_model(2000, seed=3), syntax)  # type: ignore[arg-type]
    calls: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    assert gc.isenabled()
    loads(text, syntax)  # type: ignore[arg-type]
    assert gc.isenabled()
    assert calls == []
