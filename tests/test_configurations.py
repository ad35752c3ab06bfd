"""Realist configurations: the domain object, the model's bookkeeping, the file format
and the contrast case through every format that carries configurations."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from changemodel import (
    ChangeModel,
    Confidence,
    ConfidenceLevel,
    Configuration,
    ConfigurationStatus,
    DuplicateIdError,
    IndicatorStatus,
    IntegrityError,
    InvalidValueError,
    LoadError,
    ProcessOutcome,
    Relation,
    UnknownIdError,
    dumps,
    loads,
)
from changemodel.domain import Indicator
from changemodel.testing.strategies import models


def contrast() -> ChangeModel:
    """The same mechanism under two contexts with two outcomes, one unintended."""
    m = ChangeModel("Group visits")
    m.activity("visit", "Group visit")
    m.context("small", "Small group")
    m.context("large", "Large group")
    m.mechanism("trust", "Trust in peers", resource="Time together", reasoning="Feels safe")
    m.process_outcome("disclosure", "Disclosure")
    m.process_outcome("withdrawal", "Withdrawal", intended=False)
    m.configuration(
        "CMOC1", intervention="visit", contexts="small", mechanisms="trust", outcomes="disclosure"
    )
    m.configuration(
        "CMOC2",
        intervention="visit",
        contexts="large",
        mechanisms="trust",
        outcomes="withdrawal",
        status="refined",
        refines="CMOC1",
        confidence=Confidence("low", coherence="one study of two"),
    )
    return m


def assert_contrast(m: ChangeModel) -> None:
    one, two = (m.get_configuration(i) for i in ("CMOC1", "CMOC2"))
    assert (one.contexts, one.mechanisms, one.outcomes) == (("small",), ("trust",), ("disclosure",))
    assert (two.contexts, two.mechanisms, two.outcomes) == (("large",), ("trust",), ("withdrawal",))
    withdrawal = m["withdrawal"]
    assert isinstance(withdrawal, ProcessOutcome) and withdrawal.intended is False


# ------------------------------------------------------------------ domain


def test_a_configuration_is_frozen_and_validated() -> None:
    c = Configuration("R4", contexts=["c"], confidence="very_low")
    assert c.status is ConfigurationStatus.INITIAL
    assert c.confidence == Confidence(ConfidenceLevel.VERY_LOW)
    assert c.missing == ("mechanisms", "outcomes") and c.is_partial
    with pytest.raises(AttributeError):
        c.id = "R5"  # type: ignore[misc]
    with pytest.raises(InvalidValueError, match="not a configuration status"):
        Configuration("R4", status="proven")
    with pytest.raises(InvalidValueError, match="refine itself"):
        Configuration("R4", refines=["R4"])
    with pytest.raises(InvalidValueError, match="lists 'c' twice"):
        Configuration("R4", contexts=["c", "c"])
    with pytest.raises(InvalidValueError, match="not a confidence level"):
        Configuration("R4", confidence="certain")


def test_outcomes_and_indicators_gain_intended_and_status() -> None:
    assert ProcessOutcome("o", "O").intended is True
    with pytest.raises(InvalidValueError, match="intended must be true or false"):
        ProcessOutcome("o", "O", intended="no")  # type: ignore[arg-type]
    assert Indicator("Attendance", status="in_use").status is IndicatorStatus.IN_USE
    assert Indicator("Attendance", status="proposed").status is IndicatorStatus.PROPOSED


# ------------------------------------------------------------------- model


def test_configurations_keep_file_order_and_assert_their_links() -> None:
    m = contrast()
    assert [c.id for c in m.configurations] == ["CMOC1", "CMOC2"]
    assert {lk.id for lk in m.asserted_links("CMOC2")} == {
        "visit->trust",
        "trust->withdrawal",
        "large-moderates->trust",
    }
    assert m.get_link("large", "trust", Relation.MODERATES)
    assert [c.id for c in m.configurations_of("trust")] == ["CMOC1", "CMOC2"]


def test_ids_are_checked_when_a_configuration_is_added() -> None:
    m = contrast()
    with pytest.raises(DuplicateIdError, match="already has a configuration"):
        m.configuration("CMOC1", contexts="small")
    with pytest.raises(DuplicateIdError, match="collides"):
        m.configuration("cmoc1", contexts="small")
    with pytest.raises(UnknownIdError, match="contexts names an unknown element 'tiny'"):
        m.configuration("CMOC3", contexts="tiny")
    with pytest.raises(IntegrityError, match="mechanisms lists 'large', which is a context"):
        m.configuration("CMOC3", mechanisms="large")
    assert [c.id for c in m.configurations] == ["CMOC1", "CMOC2"]


def test_renaming_and_removing_keep_configurations_consistent() -> None:
    m = contrast()
    m.rename("trust", "peer_trust")
    assert m.get_configuration("CMOC1").mechanisms == ("peer_trust",)
    with pytest.raises(IntegrityError, match="links depend on it"):
        m.remove("small")
    m.remove_link("small", "peer_trust", Relation.MODERATES)
    with pytest.raises(IntegrityError, match=r"configurations name it \(CMOC1\)"):
        m.remove("small")
    m.remove("small", cascade=True)
    assert m.get_configuration("CMOC1").contexts == ()
    m.rename_configuration("CMOC1", "CMOC1a")
    assert m.get_configuration("CMOC2").refines == ("CMOC1a",)
    with pytest.raises(IntegrityError, match="CMOC2 refine it"):
        m.remove_configuration("CMOC1a")
    m.remove_configuration("CMOC1a", cascade=True)
    assert m.get_configuration("CMOC2").refines == ()
    with pytest.raises(UnknownIdError, match="no configuration with id 'CMOC1a'"):
        m.get_configuration("CMOC1a")


def test_update_and_copy() -> None:
    m = contrast()
    copy = m.copy()
    m.update_configuration("CMOC1", status="supported")
    assert copy.get_configuration("CMOC1").status is ConfigurationStatus.INITIAL
    assert copy != m
    with pytest.raises(UnknownIdError):
        m.update_configuration("CMOC1", outcomes=("nowhere",))
    with pytest.raises(InvalidValueError, match="rename_configuration"):
        m.update_configuration("CMOC1", id="CMOC9")  # type: ignore[call-arg]


# ------------------------------------------------------------- file format


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_the_contrast_survives_the_model_file(syntax: str) -> None:
    m = contrast()
    back = loads(dumps(m, syntax), syntax)  # type: ignore[arg-type]
    assert back == m
    assert_contrast(back)


@settings(max_examples=40, deadline=None)
@given(models(max_elements=10, configured=True, hostile=True))
def test_configurations_survive_file_and_load(model: ChangeModel) -> None:
    for syntax in ("yaml", "json"):
        back = loads(dumps(model, syntax), syntax)
        assert back.configurations == model.configurations
        assert back == model


@settings(max_examples=20, deadline=None)
@given(models(max_elements=10, configured=True, full=True))
def test_every_field_of_a_configuration_survives(model: ChangeModel) -> None:
    assert loads(dumps(model)) == model


def test_a_wrong_id_in_a_configuration_names_the_configuration_and_key() -> None:
    text = dumps(contrast()).replace("  - large\n", "  - larger\n")
    with pytest.raises(LoadError) as info:
        loads(text, file="m.yaml")
    message = str(info.value)
    assert "configurations[1].contexts[0]" in message
    assert "configuration 'CMOC2': contexts names an unknown element 'larger'" in message
    assert message.startswith("m.yaml:")


def test_unknown_keys_and_bad_values_in_a_configuration_are_located() -> None:
    text = dumps(contrast()).replace("  status: refined\n", "  status: proven\n  colour: red\n")
    with pytest.raises(LoadError) as info:
        loads(text, file="m.yaml")
    message = str(info.value)
    assert "configurations[1].colour: unknown key 'colour'" in message


def test_the_schema_accepts_configurations(tmp_path: Path) -> None:
    import jsonschema

    from changemodel.formats.schema import schema

    data = json.loads(dumps(contrast(), "json"))
    jsonschema.validate(data, schema())
    data["configurations"][0]["status"] = "proven"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


# ------------------------------------------------------- interchange formats


def test_the_contrast_survives_graphml_and_node_link() -> None:
    import networkx as nx

    from changemodel.formats.graphml import from_graphml, graphml_losses, to_graphml
    from changemodel.formats.nodelink import from_node_link, to_node_link

    m = contrast()
    text = to_graphml(m)
    graph = nx.read_graphml(
        io.BytesIO(text.encode("utf-8")), force_multigraph=True
    )  # a real parser
    assert "configurations" in graph.graph
    back = from_graphml(text)
    assert back == m
    assert_contrast(back)
    assert not graphml_losses(m).losses
    data = json.loads(json.dumps(to_node_link(m)))
    assert from_node_link(data) == m
    assert_contrast(from_node_link(data))


def test_the_contrast_survives_the_cmo_csv(tmp_path: Path) -> None:
    from changemodel.analysis.cmo import configuration_rows
    from changemodel.outputs.cmo_table import read_cmo_csv, write_cmo_csv

    m = contrast()
    write_cmo_csv(m, tmp_path / "cmo.csv")
    back = read_cmo_csv(tmp_path / "cmo.csv")
    assert configuration_rows(back) == configuration_rows(m)
    one, two = (back.get_configuration(i) for i in ("CMOC1", "CMOC2"))
    assert [back[c].label for c in one.contexts] == ["Small group"]
    assert [back[c].label for c in two.contexts] == ["Large group"]
    assert one.mechanisms == two.mechanisms
    withdrawal = back[two.outcomes[0]]
    assert isinstance(withdrawal, ProcessOutcome) and withdrawal.intended is False
    assert two.refines == ("CMOC1",) and two.status is ConfigurationStatus.REFINED


def test_the_contrast_survives_the_spreadsheet(tmp_path: Path) -> None:
    from changemodel._csv import read_table
    from changemodel.formats.spreadsheet import read_spreadsheet, write_spreadsheet

    m = contrast()
    paths = [tmp_path / f"{name}.csv" for name in ("elements", "links", "configurations")]
    report = write_spreadsheet(m, *paths)
    assert not [loss for loss in report if loss.subject.startswith("configuration:")]
    header, cells = read_table(paths[2].read_text(encoding="utf-8"))
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    assert [(r["id"], r["contexts"], r["mechanisms"], r["outcomes"]) for r in rows] == [
        ("CMOC1", "small", "trust", "disclosure"),
        ("CMOC2", "large", "trust", "withdrawal"),
    ]
    assert json.loads(rows[1]["confidence"]) == {"level": "low", "coherence": "one study of two"}
    back = read_spreadsheet(*paths, title=m.title)
    assert back.configurations == m.configurations
    assert_contrast(back)
    # without the configurations table, the report says they are lost
    lost = write_spreadsheet(m, *paths[:2]).keys()
    assert {("configuration:CMOC1", "*"), ("configuration:CMOC2", "*")} <= lost


def test_the_cmo_csv_loss_report_keeps_the_configurations_it_writes(tmp_path: Path) -> None:
    from changemodel.outputs.cmo_table import read_cmo_csv, write_cmo_csv

    m = contrast()
    report = write_cmo_csv(m, tmp_path / "cmo.csv")
    lost = {(loss.subject, loss.field) for loss in report}
    back = read_cmo_csv(tmp_path / "cmo.csv")
    assert {c.id for c in back.configurations} == {"CMOC1", "CMOC2"}
    assert not any(subject.startswith("configuration:") and field == "*" for subject, field in lost)
    # what the table does not hold is named: the confidence notes, not the level
    assert ("configuration:CMOC2", "confidence.coherence") in lost
    two = back.get_configuration("CMOC2")
    assert two.confidence is not None and two.confidence.coherence is None


def test_kumu_carries_configurations_as_fields() -> None:
    from changemodel.formats.kumu import from_kumu, kumu_losses, to_kumu

    m = contrast()
    data = to_kumu(m)
    trust = next(e for e in data["elements"] if e["id"] == "trust")
    assert trust["configurations"] == ["CMOC1", "CMOC2"]
    back = from_kumu(json.loads(json.dumps(data)), title=m.title)
    assert_contrast(back)
    lost = {(loss.subject, loss.field) for loss in kumu_losses(m)}
    assert ("configuration:CMOC2", "status") in lost
    assert ("configuration:CMOC2", "confidence") in lost


@pytest.mark.parametrize("name", ["dagitty", "mermaid", "elements-csv", "dot"])
def test_formats_without_configurations_report_their_loss(name: str) -> None:
    from changemodel.outputs.registry import export

    _, report = export(contrast(), name)
    lost = {(loss.subject, loss.field) for loss in report}
    assert {("configuration:CMOC1", "*"), ("configuration:CMOC2", "*")} <= lost
    # the elements table has a column for intended; dagitty and Mermaid have none
    unintended_lost = ("element:withdrawal", "intended") in lost
    assert unintended_lost is (name in ("dagitty", "mermaid"))


# ----------------------------------------------------------------- diagrams


def test_the_diagram_marks_membership_and_draws_one_configuration() -> None:
    from changemodel.formats.dot import to_dot
    from tests.formats._support import parse_dot

    m = contrast()
    whole, _, _ = parse_dot(to_dot(m))
    assert "CMOC1, CMOC2" in whole["trust"]["label"]
    one, edges, _ = parse_dot(to_dot(m, configuration="CMOC2"))
    names = set(one)
    assert {"large", "trust", "withdrawal", "visit"} <= names
    assert ("trust", "withdrawal") in edges
    assert not {"small", "disclosure"} & names
    assert "CMOC2 (refined)" in to_dot(m, configuration="CMOC2")
    with pytest.raises(UnknownIdError, match="did you mean 'CMOC2'"):
        to_dot(m, configuration="CMOC3")


def test_render_draws_one_configuration_from_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from changemodel.cli import cli as main

    source = tmp_path / "m.yaml"
    source.write_text(dumps(contrast()), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "m.dot"
    result = runner.invoke(
        main, ["export", str(source), "--to", "dot", "-o", str(out), "--configuration", "CMOC1"]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '"small"' in text or "small [" in text
    assert "withdrawal" not in text
    result = runner.invoke(
        main, ["export", str(source), "--to", "dot", "-o", str(out), "--configuration", "X9"]
    )
    assert result.exit_code == 2 and "no configuration with id 'X9'" in result.output


# ---------------------------------------------------------- diff and merge


def test_diff_says_what_changed_per_configuration() -> None:
    from changemodel.analysis.diff import ModelDiff, apply, diff

    old = contrast()
    new = old.copy()
    new.update_configuration("CMOC1", contexts=("small", "large"), status="refined")
    new.configuration("CMOC3", contexts="large", status="candidate")
    d = diff(old, new)
    assert d.to_text().splitlines() == [
        "+ configuration CMOC3",
        "~ configuration CMOC1: contexts: added 'large'; status: 'initial' -> 'refined'",
    ]
    assert "### Configurations" in d.to_markdown()
    again = ModelDiff.from_json(d.to_json())
    assert again == d
    assert apply(again, old) == new


def test_merge_reports_configurations_that_disagree() -> None:
    from changemodel.analysis.compose import MergeConflictError, find_conflicts, merge

    a = contrast()
    b = a.copy()
    b.update_configuration("CMOC2", status="supported", tags=("site B",))
    conflicts = find_conflicts(a, b)
    assert [(c.section, c.id, c.attribute) for c in conflicts] == [
        ("configuration", "CMOC2", "status")
    ]
    with pytest.raises(MergeConflictError, match="CMOC2"):
        merge(a, b)
    c = a.copy()
    c.update_configuration("CMOC2", tags=("site C",))
    c.configuration("CMOC3", contexts="small")
    merged = merge(a, c)
    assert [x.id for x in merged.configurations] == ["CMOC1", "CMOC2", "CMOC3"]
    assert merged.get_configuration("CMOC2").tags == ("site C",)


@settings(max_examples=40, deadline=None)
@given(models(full=True))
def test_contrasting_pairs_are_every_contrasting_pair_once(model: ChangeModel) -> None:
    configs = model.configurations
    expected = [
        (a.id, b.id, a.contrast_with(b))
        for i, a in enumerate(configs)
        for b in configs[i + 1 :]
        if a.contrast_with(b)
    ]
    assert [(a.id, b.id, s) for a, b, s in model.contrasting_pairs()] == expected
    assert list(model.contrasting_pairs(reversed(configs))) == [
        (a, b, a.contrast_with(b))
        for i, a in enumerate(configs[::-1])
        for b in configs[::-1][i + 1 :]
        if a.contrast_with(b)
    ]


def test_the_contrast_case_is_one_pair() -> None:
    m = contrast()
    ((a, b, shared),) = m.contrasting_pairs()
    assert (a.id, b.id, shared) == ("CMOC1", "CMOC2", ("trust",))
