"""The logic-model table, read back by a Markdown parser, an HTML parser and csv."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from changemodel import ChangeModel
from changemodel._csv import neutralise, read_table, restore
from changemodel.formats._text import clean
from changemodel.formats.table import (
    STAGE_HEADINGS,
    Item,
    Table,
    logic_model_table,
    write_table,
)
from changemodel.testing.strategies import hostile_text
from tests.formats._support import peer_worker

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class _Cells(HTMLParser):
    """Collects the text of every th/td (``<br>`` as a line break) and a few facts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, str, dict[str, str | None]]]] = []
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}
        self.tag = ""
        self.tags: list[str] = []
        self.html_lang: str | None = None
        self.caption = ""
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell, self.tag, self.attrs = [], tag, dict(attrs)
        elif self.cell is not None and tag in ("br", "li"):
            if tag == "br" or any(c.strip() for c in self.cell):
                self.cell.append("\n")
        elif tag == "caption":
            self.in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.tag, "".join(self.cell), self.attrs))
            self.cell = None
        elif tag == "caption":
            self.in_caption = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.in_caption:
            self.caption += data


def html_cells(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(text)
    parser.close()
    return parser


def one_cell_table(text: str) -> Table:
    return Table("t", "caption", ("Heading",), ((None, ((Item(text),),)),))


def markdown_html(text: str) -> str:
    rendered: str = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    return rendered


@FAST
@given(hostile_text())
def test_markdown_cells_hold_any_text(text: str) -> None:
    rendered = markdown_html(one_cell_table(text).to_markdown())
    cells = html_cells(rendered).rows
    assert [c[1] for c in cells[0]] == ["Heading"]
    assert cells[1][0][1] == clean(text)


@FAST
@given(hostile_text())
def test_html_cells_hold_any_text(text: str) -> None:
    page = html_cells(one_cell_table(text).to_html())
    assert page.rows[1][0][1] == clean(text)
    assert "script" not in page.tags and "img" not in page.tags


@FAST
@given(hostile_text())
def test_csv_cells_hold_any_text(text: str) -> None:
    header, rows = read_table(one_cell_table(text).to_csv())
    assert header == ["Heading"]
    assert rows == [[clean(text)]]


@FAST
@given(st.text())
def test_formula_neutralising_is_undone_exactly(text: str) -> None:
    written = neutralise(text)
    assert restore(written) == text
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_spreadsheet_sees_no_formula() -> None:
    text = one_cell_table('=HYPERLINK("http://x")').to_csv()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == ['\'=HYPERLINK("http://x")']


def test_logic_model_table_of_the_example() -> None:
    model = peer_worker()
    table = logic_model_table(model)
    assert table.header == tuple(h for _, h in STAGE_HEADINGS)
    rows = dict(table.rows)
    assert set(rows) == {"Components", "Context", "Assumptions", "Indicators"}
    components = rows["Components"]
    for kind, cell in zip((k for k, _ in STAGE_HEADINGS), components, strict=True):
        assert {i.text for i in cell} == {e.label for e in model.elements_of(kind)}
    downstream = {i.text: i.lead for i in components[5]}
    assert downstream == {
        "Mental well-being": "Intermediate",
        "Fewer (compulsory) psychiatric admissions": "Long term",
    }
    assert all(i.note == "reported" for i in components[3])  # mechanisms, from the abstract
    assert all(i.note == "inferred" for i in components[4])  # reconstructed outcomes
    # each context sits under the columns of what it moderates
    context = rows["Context"]
    assert {i.text for i in context[1]} == {
        "A clear and distinctive peer worker role",
        "Training, supervision and support for peer workers",
    }
    assert "The team and organisation take the role in" in {i.text for i in context[3]}
    # the assumption sits under the column of the links it underpins
    assert [i.text for i in rows["Assumptions"][3]] == [
        "Peer workers are willing to share their lived experience"
    ]


def test_unlinked_context_goes_in_a_whole_model_row() -> None:
    m = ChangeModel("m")
    m.activity("a", "A")
    m.context("c", "Policy climate")
    rows = dict(logic_model_table(m).rows)
    assert [i.text for i in rows["Context (whole model)"][0]] == ["Policy climate"]


def test_html_page_is_accessible_and_printable() -> None:
    page_text = logic_model_table(peer_worker()).to_html(lang="en-GB")
    page = html_cells(page_text)
    assert page.html_lang == "en-GB"
    assert page.caption == "Peer worker change model: logic model"
    header = page.rows[0]
    assert [a.get("scope") for tag, _, a in header if tag == "th"] == ["col"] * 6
    for row in page.rows[1:]:
        assert row[0][0] == "th" and row[0][2].get("scope") == "row"
    assert "@media print" in page_text and "<title>" in page_text


def test_markdown_table_of_the_example_parses_with_every_row() -> None:
    table = logic_model_table(peer_worker())
    rows = html_cells(markdown_html(table.to_markdown())).rows
    assert [c[1] for c in rows[0]][1:] == list(table.header)
    assert [r[0][1] for r in rows[1:]] == [head for head, _ in table.rows]
    assert all(len(r) == 7 for r in rows)


def test_write_table_file_by_suffix(tmp_path: Path) -> None:
    table = logic_model_table(peer_worker())
    for name, start in (("t.md", "| |"), ("t.html", "<!DOCTYPE html>"), ("t.csv", ",Inputs")):
        write_table(table, tmp_path / name)
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    buffer = io.StringIO()
    write_table(table, buffer, "csv")
    assert buffer.getvalue() == table.to_csv()


def test_notebook_display_of_a_table() -> None:
    table = logic_model_table(peer_worker())
    assert table._repr_html_().startswith('<table class="changemodel">')
    assert table._repr_markdown_() == table.to_markdown()
