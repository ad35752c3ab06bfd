"""Importers refuse what cannot become a model, with a located message.

Lone surrogates, huge numbers, deep nesting, malformed node-link structure,
broken CSV quoting and duplicate columns: each once read as a crash or as a
silently changed model.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from changemodel import ChangeModel
from changemodel.errors import LoadError
from changemodel.formats.canonical import load
from changemodel.formats.graphml import from_graphml, to_graphml
from changemodel.formats.kumu import read_kumu
from changemodel.formats.nodelink import read_node_link, to_node_link
from changemodel.formats.spreadsheet import (
    from_spreadsheet,
    read_spreadsheet,
    spreadsheet_losses,
    to_elements_csv,
    to_links_csv,
)
from changemodel.outputs.cmo_table import from_cmo_csv

EXAMPLE = "examples/peer_worker/model.yaml"


def node_link(nodes: str, edges: str = "[]") -> str:
    return f'{{"graph": {{"title": "T"}}, "nodes": {nodes}, "edges": {edges}}}'


A = '{"id": "a", "kind": "activity", "label": "A"}'
B = '{"id": "b", "kind": "mechanism", "label": "B"}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (node_link("[5]"), r"nodes\[0\]: expected a mapping, not int"),
        (
            node_link('[{"id": null}]'),
            r"nodes\[0\]\.id: expected an element id \(text\), found null",
        ),
        (node_link('[{"kind": "activity"}]'), r"nodes\[0\]\.id: .* found missing"),
        (node_link("{}"), "'nodes' must be a list, not dict"),
        ('{"nodes": []}', r"no 'edges' \(or 'links'\)"),
        (node_link(f"[{A}, {B}]", '[{"source": "a", "target": 5}]'), r"edges\[0\]\.target"),
        (node_link('[{"id": "a", "kind": "activity", "label": "A\\ud800"}]'), "lone surrogate"),
        (
            node_link(f"[{A}, {B}]", '[{"source": "a", "target": "b", "x": ' + "9" * 400 + "}]"),
            r":1:\d+: an integer of 400 digits is too large",
        ),
        (node_link('[{"id": "a", "tags": ' + "[" * 5000 + "]" * 5000 + "}]"), "nested more than"),
        (node_link('[{"id": "a", "tags": ' + "[" * 70 + "]" * 70 + "}]"), "nested more than 64"),
        (node_link(f"[{A}]").replace('"T"', "1e999"), "too large"),
    ],
)
def test_node_link_refuses_malformed_structure(text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        read_node_link(io.StringIO(text))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('"label": "A\\ud800"', "elements\\[0\\]\\.label: the text holds a lone surrogate"),
        ('"label": "A", "tags": ' + "[" * 3000 + "]" * 3000, "nested more than 64"),
        ('"label": "A", "size": ' + "9" * 5000, "an integer of 5000 digits"),
    ],
)
def test_kumu_refuses_text_and_numbers_it_cannot_keep(extra: str, message: str) -> None:
    text = '{"elements": [{"type": "activity", ' + extra + "}]}"
    with pytest.raises(LoadError, match=message):
        read_kumu(io.StringIO(text))


def test_a_lone_surrogate_in_a_text_stream_is_located() -> None:
    with pytest.raises(LoadError, match=r"<string>:2:6: the text holds a lone surrogate"):
        read_spreadsheet(io.StringIO("id,kind,label\na,act\ud800ivity,A\n"))


def test_graphml_list_fields_refuse_hostile_json() -> None:
    model = ChangeModel("T")
    model.activity("a", "A", tags=["x"])
    text = to_graphml(model)
    assert '["x"]' in text
    for value, message in (
        ("[" * 3000 + "]" * 3000, "nested more than 64"),
        ("[" + "9" * 5000 + "]", "an integer of 5000 digits"),
        ('["\\ud800"]', "lone surrogate"),
    ):
        with pytest.raises(LoadError, match=f"node 'a': 'tags' is not the JSON list.*{message}"):
            from_graphml(text.replace('["x"]', value))


def test_spreadsheet_an_unterminated_quote_is_an_error_not_a_folded_row() -> None:
    text = 'id,kind,label\na,activity,"Do\nb,mechanism,M\nc,context,C\n'
    with pytest.raises(LoadError, match=r"<string>:2: a quoted cell is never closed"):
        from_spreadsheet(text, None)
    with pytest.raises(LoadError, match=r":2: not valid CSV"):
        from_spreadsheet('id,kind,label\na,activity,"Do"x\n', None)
    with pytest.raises(LoadError, match="a quoted cell is never closed"):
        from_cmo_csv('context,mechanism,outcome\n"Rural,Trust,Uptake\n')


def test_spreadsheet_a_duplicate_column_is_an_error() -> None:
    with pytest.raises(LoadError, match=r":1: the column 'label' appears 2 times"):
        from_spreadsheet("id,kind,label,Label\na,activity,A,B\n", None)
    with pytest.raises(LoadError, match=r":1: the column 'context' appears 2 times"):
        from_cmo_csv("context,mechanism,outcome,context\nRural,Trust,Uptake,Urban\n")


def test_spreadsheet_keeps_cells_longer_than_the_csv_module_default(tmp_path: Path) -> None:
    model = ChangeModel("T")
    model.activity("a", "A", description="x" * 200_000)
    path = tmp_path / "e.csv"
    path.write_text(to_elements_csv(model), encoding="utf-8", newline="")
    assert read_spreadsheet(path, title="T") == model


def test_spreadsheet_keeps_cr_lf_inside_a_cell(tmp_path: Path) -> None:
    model = ChangeModel("T")
    model.activity("a", "A", description="one\r\ntwo\nthree")
    path = tmp_path / "e.csv"
    path.write_text(to_elements_csv(model), encoding="utf-8", newline="")
    back = read_spreadsheet(path, title="T")
    assert back.element("a").description == "one\r\ntwo\nthree"


def test_spreadsheet_loss_report_says_citations_will_dangle() -> None:
    model = load(EXAMPLE)
    report = spreadsheet_losses(model)
    notes = [loss for loss in report if loss.key == ("model", "citations")]
    assert len(notes) == 1
    assert "does not validate (CM101)" in notes[0].detail
    back = from_spreadsheet(to_elements_csv(model), to_links_csv(model))
    from changemodel.validation import validate

    codes = {finding.code for finding in validate(back)}
    assert "CM101" in codes


def test_node_link_export_reads_back_after_the_checks() -> None:
    model = load(EXAMPLE)
    text = json.dumps(to_node_link(model))
    assert read_node_link(io.StringIO(text)) == model


def test_a_deeply_nested_config_file_is_a_settings_error(tmp_path: Path) -> None:
    from changemodel.validation import SettingsError, load_pyproject

    path = tmp_path / "pyproject.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"pyproject\.toml: not valid TOML: nested too deeply"):
        load_pyproject(path)
