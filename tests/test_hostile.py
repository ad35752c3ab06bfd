"""Hostile input and output: every export of a model full of metacharacters is
inert in the program that opens it, and reading never changes a file."""

from __future__ import annotations

import csv
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from changemodel import Activity, ChangeModel, LoadError, dumps, load, loads
from changemodel.cli import cli
from changemodel.formats._files import WriteError, write_atomic
from changemodel.outputs.registry import export, import_model
from changemodel.testing.strategies import models

EXAMPLE = Path("examples/peer_worker/model.yaml")
NASTY = (
    '=HYPERLINK("http://x") <script>alert(1)</script> </script> '
    '<img src=x onerror=alert(1)> | [x](y) {"a"} \\ " ` %% ]]> -->'
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def nasty_model() -> ChangeModel:
    m = ChangeModel(NASTY, description=NASTY)
    a = m.activity("a", NASTY, description=NASTY, actors=[NASTY])
    mech = m.mechanism("m", "+" + NASTY, reasoning=NASTY)
    o = m.process_outcome("o", "-" + NASTY, indicators=[{"name": "@" + NASTY}])
    c = m.context("c", "@" + NASTY, moderates=[mech])
    a.leads_to(mech, rationale=NASTY)
    mech.reduces(o, rationale="=1+1")
    assert c.id == "c"
    return m


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.lower().startswith("on")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("fmt", ["table-html", "cmo-html"])
def test_html_exports_carry_no_markup_from_the_model(fmt: str) -> None:
    text, _ = export(nasty_model(), fmt)
    parser = _Tags()
    parser.feed(text)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert parser.handlers == []
    assert any("<script>alert(1)</script>" in t for t in parser.text)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("fmt", ["elements-csv", "links-csv", "cmo-csv", "table-csv"])
def test_csv_exports_neutralise_formulas(fmt: str) -> None:
    text, _ = export(nasty_model(), fmt)
    cells = _cells(text)
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("fmt", ["table-md", "cmo-md"])
def test_markdown_tables_keep_their_shape(fmt: str) -> None:
    text, _ = export(nasty_model(), fmt)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows
    widths = {line.replace("\\|", "").count("|") for line in rows}
    assert len(widths) == 1, widths


def test_spreadsheet_round_trip_restores_the_text(tmp_path: Path) -> None:
    from changemodel.formats.spreadsheet import read_spreadsheet, write_spreadsheet

    model = nasty_model()
    write_spreadsheet(model, tmp_path / "elements.csv", tmp_path / "links.csv")
    again = read_spreadsheet(tmp_path / "elements.csv", tmp_path / "links.csv")
    assert {e.id: e.label for e in again} == {e.id: e.label for e in model}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(hostile=True, max_elements=6))
def test_every_text_export_of_hostile_models_succeeds(model: ChangeModel) -> None:
    for fmt in ("dot", "mermaid", "graphml", "node-link", "dagitty", "kumu", "table-md"):
        text, losses = export(model, fmt)
        assert isinstance(text, str)
        assert losses.format
    for fmt in ("elements-csv", "links-csv", "table-csv"):
        text, _ = export(model, fmt)
        assert not [c for c in _cells(text) if c.startswith(FORMULA_STARTS)]


def test_huge_strings_round_trip() -> None:
    big = "x" * 2_000_000
    model = ChangeModel("Big", elements=[Activity("a", big)])
    assert loads(dumps(model))["a"].label == big
    assert loads(dumps(model, "json"), "json")["a"].label == big


@pytest.mark.parametrize(
    "document",
    [
        "changemodel: 1\ntitle: T\ntitle: U\n",
        "changemodel: 1\ntitle: T\nelements:\n- id: a\n  id: b\n  kind: input\n  label: A\n",
        "changemodel: 1\ntitle: T\nelements:\n- id: a\n  kind: input\n  label: A\n"
        "  indicators:\n  - name: n\n    name: m\n",
        "changemodel: 1\ntitle: T\nvalidation:\n  profiles: [mrc]\n  profiles: [realist]\n",
        '{"changemodel": 1, "title": "T", "elements": [{"id": "a", "id": "b"}]}',
    ],
)
def test_duplicate_keys_at_every_level(document: str) -> None:
    with pytest.raises(LoadError, match="duplicate key"):
        loads(document, "json" if document.startswith("{") else "yaml")


def test_ids_colliding_after_normalisation_in_a_file() -> None:
    text = (
        "changemodel: 1\ntitle: T\nelements:\n- {id: peer-support, kind: activity, label: A}\n"
        "- {id: Peer_Support, kind: activity, label: B}\n"
    )
    with pytest.raises(LoadError, match="collides with 'peer-support'") as info:
        loads(text, file="m.yaml")
    assert info.value.location is not None
    assert info.value.location.line == 5


def test_reading_never_modifies_the_input(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    load(path)
    CliRunner().invoke(cli, ["check", str(path)])
    CliRunner().invoke(cli, ["validate", str(path)])
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old contents\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(WriteError, match="No space left on device"):
        write_atomic(target, "new contents\n")
    assert target.read_text() == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_failed_export_on_the_command_line_touches_nothing(tmp_path: Path) -> None:
    target = tmp_path / "diagram.svg"
    target.write_text("old")
    bad = tmp_path / "bad.yaml"
    bad.write_text("changemodel: 1\ntitle: T\nelements: [\n")
    result = CliRunner().invoke(cli, ["render", str(bad), "-o", str(target)])
    assert result.exit_code == 2
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "diagram.svg"]


def test_kumu_json_with_hostile_labels_reads_back() -> None:
    model = nasty_model()
    text, _ = export(model, "kumu")
    assert json.loads(text)["elements"]
    again = import_model("kumu", io.StringIO(text))
    assert {e.label for e in again} == {e.label for e in model}
