"""The report's section on tests against data: present only with data, complete,
escaped, and made from the command line as ``changemodel test`` makes it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from changemodel import ChangeModel
from changemodel.analysis.local_tests import local_tests
from changemodel.cli import cli
from changemodel.formats.data import read_data
from changemodel.outputs.report import to_html

from ._support import EXAMPLE, ROOT, Page, example

DATA = ROOT / "examples" / "peer_worker" / "monitoring.csv"
MAP = {"working_alliance": "trusting_relationships"}


def section(page: str) -> str:
    found = re.search(r'<section id="data-tests".*?</section>', page, re.S)
    assert found is not None
    return found.group(0)


def test_the_section_appears_only_with_data_and_lists_every_test() -> None:
    model = example()
    assert 'id="data-tests"' not in to_html(model, diagram=False)
    table = read_data(DATA)
    report = local_tests(model, table.columns, mapping=MAP, source="monitoring.csv")
    page = to_html(model, diagram=False, local_tests=report)
    assert '<a href="#data-tests">Tests against data</a>' in page
    text = section(page)
    rows = re.findall(r"<tr><td>(independence|direction \((?:increases|reduces)\))</td>", text)
    assert len(rows) == len(report.tests) == 11
    assert text.count('<span class="cm-sev cm-sev-error">rejected</span>') == 3
    assert "Implied independences: <strong>4 consistent, 3 rejected</strong>" in text
    assert "Directions of signed links: <strong>4 agree</strong>" in text
    # the elements are the page's own buttons, which open their details
    assert '<button type="button" class="cm-el cm-k-downstream_outcome" data-id="wellbeing">' in (
        text
    )
    assert "Elements without data:" in text and "Measuring no element: participant" in text
    assert "Assumptions: assumptions are not variables; the links they underpin stay." in text
    assert len(Page(page).scripts) == 2  # the section adds no script: the data and the page's own


def test_hostile_column_names_are_escaped() -> None:
    m = ChangeModel("Hostile")
    m.activity("a", "A")
    m.mechanism("b", "B")
    m.process_outcome("c", "C")
    m.chain("a", "b", "c")
    column = "<img src=x onerror=alert(1)>"
    data = {column: [1, 2, 3, 4, 5, 6], "b": [2, 1, 4, 3, 6, 5], "c": [1, 3, 2, 5, 4, 6]}
    report = local_tests(m, data, mapping={column: "a"})
    page = to_html(m, diagram=False, local_tests=report)
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in section(page)


def test_the_report_command_takes_the_data_options(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(EXAMPLE), "--no-diagram", "-o", str(out), "--data", str(DATA)]
    result = CliRunner().invoke(cli, [*args, "--map", "working_alliance=trusting_relationships"])
    assert result.exit_code == 0, result.stderr
    text = section(out.read_text(encoding="utf-8"))
    assert "3 rejected" in text and "Holm adjustment" in text
    result = CliRunner().invoke(cli, [*args, "--adjust", "bh", "--map", "wellbeing"])
    assert result.exit_code == 2
    assert "--map 'wellbeing': expected COLUMN=ID" in result.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("wellbeing\n1\nabc\n2\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["report", str(EXAMPLE), "--no-diagram", "-o", str(out), "--data", str(bad)]
    )
    assert result.exit_code == 2
    assert "bad.csv:3 holds 'abc'" in result.stderr
