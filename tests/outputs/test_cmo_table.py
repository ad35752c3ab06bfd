"""The realist CMO table: a row per configuration, as a table and as a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from changemodel import ChangeModel, Kind, LoadError, Mechanism, ProcessOutcome
from changemodel._csv import read_table
from changemodel.analysis.cmo import CMO_COLUMNS, column_key, configurations
from changemodel.outputs.cmo_table import (
    cmo_table,
    from_cmo_csv,
    read_cmo_csv,
    to_cmo_csv,
    write_cmo_csv,
)
from tests.formats._support import peer_worker


def test_cmo_table_has_a_row_per_configuration() -> None:
    model = peer_worker()
    table = cmo_table(model)
    configs = configurations(model)
    assert len(table.rows) == len(configs)
    column = {key: i for i, (key, _) in enumerate(CMO_COLUMNS)}
    for (_, cells), config in zip(table.rows, configs, strict=True):
        assert [i.text for i in cells[column["contexts"]]] == [c.label for c in config.contexts]
        assert [i.text for i in cells[column["mechanisms"]]] == [m.label for m in config.mechanisms]
        assert [i.text for i in cells[column["outcomes"]]] == [o.label for o in config.outcomes]
        assert [i.text for i in cells[column["status"]]] == [config.status_text]
    assert [c.id for c in configs] == ["PW1", "PW2", "PW3"]
    header, rows = read_table(table.to_csv())
    assert header == [heading for _, heading in CMO_COLUMNS]
    assert len(rows) == len(configs)


def test_cmo_table_shows_resource_and_reasoning() -> None:
    m = ChangeModel("m")
    mech = m.mechanism("m", "Trust", resource="Shared experience", reasoning="They get it")
    m.context("c", "Clear role", moderates=[mech])
    mech >> m.process_outcome("o", "Hope")
    ((_, cells),) = cmo_table(m).rows
    column = {key: i for i, (key, _) in enumerate(CMO_COLUMNS)}
    assert [i.text for i in cells[column["mechanisms"]]] == ["Trust"]
    assert [i.text for i in cells[column["resource"]]] == ["Shared experience"]
    assert [i.text for i in cells[column["reasoning"]]] == ["They get it"]
    assert m.elements_of(Kind.CONTEXT)


def test_cmo_table_and_csv_share_the_columns() -> None:
    header, _ = read_table(to_cmo_csv(peer_worker()))
    assert header == [key for key, _ in CMO_COLUMNS]


def test_cmo_csv_round_trip_keeps_the_configurations(tmp_path: Path) -> None:
    from changemodel.analysis.cmo import configuration_rows

    model = peer_worker()
    report = write_cmo_csv(model, tmp_path / "cmo.csv")
    back = read_cmo_csv(tmp_path / "cmo.csv")

    def rows(m: ChangeModel) -> list[list[tuple[str, str]]]:
        # a derived row's id is its number in causal order, which the ids made from
        # labels may change: compare derived rows without it
        return sorted(
            sorted((k, v) for k, v in r.items() if not (k == "id" and r["status"] == "derived"))
            for r in configuration_rows(m)
        )

    assert rows(back) == rows(model)
    assert ("element:lived_experience_shared", "*") in report
    assert rows(from_cmo_csv(to_cmo_csv(model))) == rows(model)
    (tmp_path / "cmo.csv").write_text(
        "context,mechanism,outcome,intended\nC,M,O,yes\nC,,O,perhaps\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"cmo.csv:3: configuration 2: .*intended must be yes"):
        read_cmo_csv(tmp_path / "cmo.csv")


def test_an_unknown_heading_is_named_on_the_header_line(tmp_path: Path) -> None:
    """A published table's own headings are checked before any row, on line 1."""
    (tmp_path / "cmo.csv").write_text(
        "CMOC,Context,Notes,Outcome\nC1,Rural,Feedback,Uptake\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"cmo.csv:1: heading 3: unknown column 'Notes'"):
        read_cmo_csv(tmp_path / "cmo.csv")
    (tmp_path / "cmo.csv").write_text(
        "CMOC,Context,Resource,Outcome\nC1,Rural,Feedback,Uptake\n", encoding="utf-8"
    )
    (c1,) = read_cmo_csv(tmp_path / "cmo.csv").configurations
    assert c1.id == "C1"


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("CMOC ID", "id"),
        ("cmo-id", "id"),
        ("Configuration ID", "id"),
        ("Context(s)", "contexts"),
        ("Mechanism (resource)", "resource"),
        ("Mechanism - resource", "resource"),
        ("M: resource", "resource"),
        ("Mechanism (reasoning)", "reasoning"),
        ("Mechanism (response)", "reasoning"),
        ("Outcome(s)", "outcomes"),
        ("Outcome kind", "outcome_kind"),
        ("Intended?", "intended"),
        ("Confidence (CERQual)", "confidence"),
        ("Notes", None),
        ("Intended outcome", None),
        ("Configuration", None),
    ],
)
def test_headings_as_researchers_type_them(heading: str, key: str | None) -> None:
    assert column_key(heading) == key


def test_a_hand_typed_table_with_split_mechanisms_reads(tmp_path: Path) -> None:
    """Headings of a published table, a resource and a reasoning per row, two rows
    sharing a mechanism under different contexts, a partial row."""
    (tmp_path / "cmo.csv").write_text(
        "CMOC,Context,Mechanism (resource),Mechanism (reasoning),Outcome(s),Intended?,Status\n"
        "R1,Undernourished children,Daily meal,Deficit corrected,Growth,yes,supported\n"
        "R2,Well-nourished children,Daily meal,Deficit corrected,No change in growth,,supported\n"
        "R3,Teachers cook,,,Less teaching time,no,\n",
        encoding="utf-8",
    )
    model = read_cmo_csv(tmp_path / "cmo.csv")
    r1, r2, r3 = model.configurations
    assert r1.mechanisms == r2.mechanisms and r1.contexts != r2.contexts
    (mechanism,) = (model.element(m) for m in r1.mechanisms)
    assert isinstance(mechanism, Mechanism)
    assert (mechanism.resource, mechanism.reasoning) == ("Daily meal", "Deficit corrected")
    outcome = model.element(r3.outcomes[0])
    assert r3.mechanisms == () and isinstance(outcome, ProcessOutcome)
    assert outcome.intended is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,contexts,mechanisms\nA,c,m,o\n", r"cmo.csv:2: cell 4 \('o'\) has no column"),
        ("id,contexts,,outcomes\nA,c,m,o\n", r"cmo.csv:2: cell 3 \('m'\) has no column: its h"),
    ],
)
def test_a_cell_without_a_heading_is_refused_not_dropped(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "cmo.csv").write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        read_cmo_csv(tmp_path / "cmo.csv")
    # an empty trailing cell (a spreadsheet's habit) is no loss
    (tmp_path / "cmo.csv").write_text("id,contexts,mechanisms\nA,c,m,,\n", encoding="utf-8")
    assert [c.id for c in read_cmo_csv(tmp_path / "cmo.csv").configurations] == ["A"]
