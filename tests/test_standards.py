"""Reporting standards: TIDieR, the MRC 2021 core elements and RAMESES II, as
validation profiles and as the intervention description."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from changemodel import ChangeModel, Configuration, Evidence, InvalidValueError, load
from changemodel.cli import cli
from changemodel.standards import STANDARDS, describe, read
from changemodel.validation import default_registry, validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_tidier_has_its_twelve_items_and_each_a_rule() -> None:
    items = STANDARDS["tidier"].items
    assert [i.number for i in items] == [str(n) for n in range(1, 13)]
    registry = default_registry()
    tidier = registry.in_profile("tidier")
    assert len(tidier) == 12
    assert [r.code for r in tidier] == [f"CM{701 + n}" for n in range(12)]
    for rule, item in zip(tidier, items, strict=True):
        assert f"TIDieR item {item.number} ({item.name})" in rule.what
        assert item.meets in rule.what
    assert len(registry.in_profile("mrc2021")) == 6
    assert len(registry.in_profile("rameses")) == 4


def test_a_finding_names_the_item_what_meets_it_and_what_is_missing() -> None:
    m = ChangeModel("Self-management")
    m.activity("education", "Group education", actors=["diabetes nurse"])
    m.activity("calls", "Follow-up calls")
    found = {f.code: f for f in validate(m, profiles=["tidier"])}
    who = found["CM705"]
    assert who.message == (
        "TIDieR item 5 (Who provided) is partly met, by Group education (education):"
        " diabetes nurses; no provider stated for Follow-up calls (calls)."
    )
    assert found["CM703"].message == (
        "TIDieR item 3 (What: materials) is not met: no materials stated for Group education"
        " (education) and Follow-up calls (calls)."
    )
    assert found["CM711"].message == (
        "TIDieR item 11 (How well: planned) is not met: no indicator of fidelity or adherence"
        " on an activity or output."
    )
    assert "CM701" not in found  # the activities name the intervention's components


def test_mrc2021_core_elements_on_the_peer_worker_example() -> None:
    m = load(EXAMPLES / "peer_worker" / "model.yaml")
    readings = {i.number: read(i, m) for i in STANDARDS["mrc2021"].items}
    assert readings["context"].status == "met"
    assert readings["stakeholders"].met == ("actors named: peer worker and service user",)
    assert readings["refinement"].met == ("version 1.0 of the theory",)
    assert readings["economic"].status == "missing"
    found = [f.message for f in validate(m, profiles=["mrc2021"]) if f.code.startswith("CM72")]
    assert found == [
        "MRC framework 2021 core element 'Economic considerations' is not met: no input,"
        " outcome or indicator about costs or value for money."
    ]


def test_a_context_that_shapes_nothing_is_named_as_a_context() -> None:
    m = ChangeModel("School meals")
    m.activity("meals", "Serve a free school lunch")
    m.context("cooks", "Teachers prepare the meals themselves")
    m.context("rural", "Rural schools", moderates=["meals"])
    reading = read(next(i for i in STANDARDS["mrc2021"].items if i.number == "context"), m)
    assert reading.met == ("Rural schools (rural), shaping meals",)
    assert reading.missing == (
        'what the context "Teachers prepare the meals themselves" (cooks) shapes',
    )


def test_rameses_main_findings_are_the_configurations_the_data_judged() -> None:
    """Item 15 asks for findings linked to the configurations: with stored
    configurations it reads them, not the mechanisms' evidence alone."""
    m = ChangeModel("School feeding")
    m.activity("meal", "School meal")
    m.context("poor", "Undernourished children")
    m.context("fed", "Well-nourished children")
    m.mechanism("deficit", "Deficit corrected")
    m.process_outcome("growth", "Growth")
    m.process_outcome("none", "No change in growth")
    m.add(
        Configuration(
            "R1",
            contexts=["poor"],
            mechanisms=["deficit"],
            outcomes=["growth"],
            status="supported",
            confidence="moderate",
            evidence=[Evidence(note="trials")],
        )
    )
    m.add(
        Configuration(
            "R2",
            contexts=["fed"],
            mechanisms=["deficit"],
            outcomes=["none"],
            status="refined",
            refines=["R1"],
        )
    )
    m.add(Configuration("R3", contexts=["fed"], mechanisms=["deficit"]))
    (item,) = (i for i in STANDARDS["rameses"].items if i.number == "15")
    reading = read(item, m)
    assert reading.met == (
        "configuration R1: supported; CERQual confidence moderate; 1 source",
        "configuration R2: refined; refines R1",
    )
    assert reading.missing == ("a finding for configuration R3 (still initial)",)
    assert reading.status == "partly met"


def test_describe_writes_the_intervention_item_by_item() -> None:
    m = ChangeModel("Falls prevention")
    m.activity("classes", "Group strength and balance classes", actors=["instructor"])
    text = describe(m, "tidier")
    tokens = MarkdownIt().enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "TIDieR description: Falls prevention"
    assert headings[1:] == [f"{i.number}. {i.name}" for i in STANDARDS["tidier"].items]
    assert "| 5 | Who provided | met |" in text
    assert "- Group strength and balance classes (classes): instructors" in text
    assert "**Missing:** no materials stated for Group strength and balance classes" in text
    assert "2 of 12 items met." in text
    with pytest.raises(InvalidValueError, match="unknown standard 'consort'"):
        describe(m, "consort")


def test_describe_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "description.md"
    model = EXAMPLES / "classic_logic_model" / "model.yaml"
    result = CliRunner().invoke(
        cli, ["describe", str(model), "--standard", "tidier", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# TIDieR description: ")
    assert "## 12. How well: actual" in text
    result = CliRunner().invoke(cli, ["describe", str(model), "--standard", "rameses"])
    assert result.exit_code == 0 and "## 4. Programme theory" in result.output
    result = CliRunner().invoke(cli, ["describe", str(model), "--standard", "nope"])
    assert result.exit_code == 2
