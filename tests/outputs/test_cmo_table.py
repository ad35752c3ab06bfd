"""The realist CMO table: a row per configuration, as a table and as a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from changemodel import ChangeModel, Kind, LoadError
from changemodel._csv import read_table
from changemodel.analysis.cmo import configurations
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
    for (_, cells), config in zip(table.rows, configs, strict=True):
        assert [i.text for i in cells[1]] == [c.label for c in config.contexts]
        assert cells[2][0].text == config.mechanism.label
        assert cells[3][0].text == config.outcome.label
    header, rows = read_table(table.to_csv())
    assert header == ["Intervention", "Context", "Mechanism", "Outcome"]
    assert len(rows) == len(configs)


def test_cmo_table_shows_resource_and_reasoning() -> None:
    m = ChangeModel("m")
    mech = m.mechanism("m", "Trust", resource="Shared experience", reasoning="They get it")
    m.context("c", "Clear role", moderates=[mech])
    mech >> m.process_outcome("o", "Hope")
    ((_, cells),) = cmo_table(m).rows
    assert [(i.lead, i.text) for i in cells[2]] == [
        (None, "Trust"),
        ("Resource", "Shared experience"),
        ("Reasoning", "They get it"),
    ]
    assert m.elements_of(Kind.CONTEXT)


def test_cmo_csv_round_trip_keeps_the_configurations(tmp_path: Path) -> None:
    from changemodel.analysis.cmo import configuration_rows

    model = peer_worker()
    report = write_cmo_csv(model, tmp_path / "cmo.csv")
    back = read_cmo_csv(tmp_path / "cmo.csv")

    def rows(m: ChangeModel) -> list[list[tuple[str, str]]]:
        return sorted(sorted(r.items()) for r in configuration_rows(m))

    assert rows(back) == rows(model)
    assert ("element:lived_experience_shared", "*") in report
    assert rows(from_cmo_csv(to_cmo_csv(model))) == rows(model)
    (tmp_path / "cmo.csv").write_text("context,mechanism,outcome\nC,M,O\nC,,O\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cmo.csv:3: configuration 2: .*exactly one mechanism"):
        read_cmo_csv(tmp_path / "cmo.csv")
