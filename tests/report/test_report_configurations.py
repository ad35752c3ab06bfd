"""The report's configurations: the table with the columns of every CMO table, the
data the page highlights, partial rows, and the contrasts side by side."""

from __future__ import annotations

import re

from changemodel import ChangeModel
from changemodel.analysis.cmo import CMO_COLUMNS
from changemodel.outputs.report import to_html
from tests.test_configurations import contrast

from ._support import HOSTILE, Page, page_data


def section(page: str) -> str:
    found = re.search(r'<section id="cmo".*?</section>', page, re.S)
    assert found is not None
    return found.group(0)


def groups() -> ChangeModel:
    """The contrast of the configuration tests, CMOC2 refuted, and a partial candidate."""
    m = contrast()
    m.update_configuration("CMOC2", status="refuted", refines=(), confidence="low")
    m.context("mistrust", "Mistrust of clinicians")
    m.configuration("CMOC10", contexts="mistrust", mechanisms="trust", status="candidate")
    return m


def test_the_table_has_the_columns_of_every_cmo_table_and_a_row_per_configuration() -> None:
    text = section(to_html(groups(), diagram=False))
    headings = re.findall(r'<th scope="col">([^<]*)</th>', text.split("</thead>")[0])
    assert headings == [heading for _, heading in CMO_COLUMNS]
    rows = re.findall(r'<tr data-config="([^"]+)" data-status="([^"]+)">', text)
    assert rows == [("CMOC1", "initial"), ("CMOC2", "refuted"), ("CMOC10", "candidate")]
    # the partial configuration says what it lacks; the outcome's intended is "no"
    partial = text.split('data-config="CMOC10"')[1].split("</tr>")[0]
    assert '<span class="cm-note">(none)</span>' in partial
    refuted = text.split('data-config="CMOC2"')[1].split("</tr>")[0]
    assert "<td>no</td>" in refuted
    # the confidence: the level by the weakest-link rule, beside the stated CERQual one
    assert "<td>very low (CERQual low; weakest: visit, no evidence;" in refuted
    # the status filter offers the statuses present, in the table's order
    options = re.findall(r'<option value="([^"]*)">', text)
    assert options == ["", "initial", "refuted", "candidate"]
    assert "3 of 3 configurations shown." in text


def test_the_page_data_names_what_each_configuration_highlights() -> None:
    m = groups()
    data = page_data(to_html(m, diagram=False))
    configurations = data["configurations"]
    assert isinstance(configurations, dict)
    assert configurations["CMOC1"] == {
        "status": "initial",
        "elements": ["visit", "small", "trust", "disclosure"],
        "links": sorted(
            i
            for i, lk in enumerate(m.links)
            if lk.key in {x.key for x in m.asserted_links("CMOC1")}
        ),
    }
    assert configurations["CMOC10"]["elements"] == ["mistrust", "trust"]


def test_contrasting_configurations_stand_side_by_side_with_the_difference_marked() -> None:
    text = section(to_html(groups(), diagram=False))
    tables = re.findall(r'<table class="cm-table cm-contrast" data-contrast="([^"]+)">', text)
    assert tables == ["CMOC1 CMOC2"]  # the partial CMOC10 contrasts with nothing
    contrast = text.split('data-contrast="CMOC1 CMOC2"')[1]
    assert "the same mechanism (Trust in peers) under different contexts" in contrast
    assert "1 pair of configurations shares a mechanism" in text
    marked = re.findall(r'<mark><button [^>]*data-id="([^"]+)"', contrast)
    assert marked == ["small", "large", "disclosure", "withdrawal"]
    assert '<th scope="row">Mechanisms</th>' in contrast  # shared: not marked as differing
    assert '<th scope="row">Contexts (differ)</th>' in contrast
    assert "(unintended)" in contrast


def test_a_model_without_configurations_says_so() -> None:
    m = ChangeModel("No mechanisms")
    _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
    text = section(to_html(m, diagram=False))
    assert "stores no configuration and has no mechanism leading to an outcome" in text
    assert "cm-config-tools" not in text
    m = ChangeModel("Derived only")
    _ = m.activity("a", "Do") >> m.mechanism("m", "Why") >> m.process_outcome("o", "Change")
    text = section(to_html(m, diagram=False))
    assert (
        "The model stores no configurations; 1 is derived from the graph: a mechanism leading"
        " to an outcome that no stored configuration names together." in text
    )
    assert '<tr data-config="D1" data-status="derived">' in text


def test_hostile_configuration_text_is_escaped() -> None:
    m = groups()
    m.update_configuration("CMOC1", statement=HOSTILE[0], tags=[HOSTILE[1]])
    m.update("small", label=HOSTILE[3])
    page = to_html(m, diagram=False)
    assert "<img" not in page and "<svg onload" not in page
    assert len(Page(page).scripts) == 2


def test_many_contrasts_are_counted_and_the_first_ones_drawn() -> None:
    from changemodel.outputs.report import CONTRASTS_SHOWN

    m = ChangeModel("One mechanism, many settings")
    m.mechanism("trust", "Trust in peers")
    for i in range(10):  # ten settings, each with its own outcome: 45 contrasting pairs
        m.context(f"c{i}", f"Setting {i}")
        m.process_outcome(f"o{i}", f"Outcome {i}")
        m.configuration(f"R{i}", contexts=f"c{i}", mechanisms="trust", outcomes=f"o{i}")
    html = to_html(m, diagram=False)
    assert len(re.findall(r'<table class="cm-table cm-contrast"', html)) == CONTRASTS_SHOWN
    assert "45 pairs of configurations share a mechanism" in html
    assert f"The first {CONTRASTS_SHOWN} are shown" in html
    assert 'data-contrast="R0 R1"' in html and 'data-contrast="R8 R9"' not in html
