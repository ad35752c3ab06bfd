"""The evaluation plan: MRC headings, gaps, and safe Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, Indicator, InvalidValueError
from changemodel.analysis.plan import HEADINGS, evaluation_plan
from changemodel.testing.generate import layered_model
from changemodel.testing.strategies import hostile_text, models
from tests.analysis._support import peer_worker


def test_peer_worker_plan_sections() -> None:
    plan = evaluation_plan(peer_worker())
    assert [r.element for r in plan.section("Implementation")] == ["peer_support"]
    assert {r.element for r in plan.section("Mechanisms of impact")} == {
        "engagement",
        "role_modelling",
        "trusting_relationships",
        "hope_empowerment",
        "service_engagement",
    }
    assert {r.aspect for r in plan.section("Context")} == {"moderator"}
    outcomes = {r.element: r for r in plan.section("Outcomes")}
    assert outcomes["wellbeing"].instrument == "WEMWBS"
    assert outcomes["wellbeing"].timepoints == ("baseline", "12 months")
    assert outcomes["wellbeing"].aspect == "intermediate term"
    assert outcomes["fewer_admissions"].indicator is None
    gaps = [(g.heading, g.message) for g in plan.gaps]
    # each gap once, grouped by kind, not once per element
    assert gaps == [
        ("Implementation", "no indicator yet for 1 activity: peer_support"),
        ("Implementation", "no indicator of fidelity, dose, reach or adaptations"),
        (
            "Mechanisms of impact",
            "no indicator yet for 3 mechanisms: engagement, role_modelling and"
            " trusting_relationships",
        ),
        ("Mechanisms of impact", "indicators without a baseline or comparator: service_engagement"),
        (
            "Context",
            "no indicator yet for 3 contexts: distinct_role, team_acceptance and training_support",
        ),
        ("Outcomes", "no indicator yet for 1 downstream outcome: fewer_admissions"),
    ]
    assert plan.gaps[2].elements == ("engagement", "role_modelling", "trusting_relationships")
    assert plan.gaps[1].aspects == ("fidelity", "dose", "reach", "adaptations")
    with pytest.raises(InvalidValueError, match="unknown heading"):
        plan.section("Costs")


def test_implementation_aspects_from_indicators_and_tags() -> None:
    m = ChangeModel("Aspects")
    m.activity(
        "deliver",
        "Deliver sessions",
        indicators=[
            Indicator("Fidelity checklist"),
            Indicator("Number of sessions delivered"),
            Indicator("Uptake among those eligible"),
            Indicator("Number of people reached"),
        ],
    )
    m.output("changes", "Local changes", tags=["adaptations"], indicators=[Indicator("Log")])
    plan = evaluation_plan(m)
    assert [r.aspect for r in plan.rows] == ["fidelity", "dose", "reach", "reach", "adaptations"]
    assert [g.kind for g in plan.gaps] == ["no timepoint"]
    m = ChangeModel("Aspects")
    m.activity(
        "deliver", "Deliver sessions", indicators=[Indicator("Fidelity", timepoints=["6 m"])]
    )
    m.output("reached", "People reached", indicators=[Indicator("Reach", timepoints=["6 m"])])
    m.output("dose", "Sessions", indicators=[Indicator("Sessions", timepoints=["6 m"])])
    m.output("adapt", "Adaptations", indicators=[Indicator("Adaptations", timepoints=["6 m"])])
    assert evaluation_plan(m).gaps == ()
    assert "None: every element has an indicator." in evaluation_plan(m).to_markdown()


def test_mechanisms_are_described_as_what_they_are() -> None:
    m = ChangeModel("Realist")
    m.mechanism(
        "advice",
        "Tailored advice",
        resource="Advice tailored to the household",
        reasoning="Residents feel their situation is understood",
        actors=["adviser", "resident"],
    )
    m.mechanism("offer", "An offer of support", resource="A named contact")
    m.mechanism("felt", "Feeling safe", reasoning="People feel safe to ask")
    m.mechanism("bare", "Momentum")
    rows = {r.element: r for r in evaluation_plan(m).rows}
    assert [rows[i].aspect for i in ("advice", "offer", "felt", "bare")] == [
        "resource and reasoning",
        "resource offered",
        "reasoning",
        "mechanism",
    ]
    assert rows["advice"].description == (
        "resource offered: Advice tailored to the household; reasoning: Residents feel their"
        " situation is understood; whose: advisers and residents"
    )
    assert "participant response" not in evaluation_plan(m).to_markdown()


def test_unintended_outcomes_are_monitored_and_pathways_rated() -> None:
    m = ChangeModel("Side effects")
    a = m.activity("a", "Coach patients", evidence=[{"note": "trial", "status": "reported"}])
    o = m.process_outcome("o", "Hypoglycaemic episodes", tags=["unintended"])
    a.leads_to(o, evidence=[{"note": "case reports", "status": "inferred"}])
    plan = evaluation_plan(m)
    assert plan.rows[-1].aspect == "unintended: monitor"
    (pathway,) = plan.pathways
    assert pathway.elements == ("a", "o")
    assert str(pathway.confidence) == "very low (weakest: o, no evidence)"
    assert "## Confidence along pathways" in plan.to_markdown()
    assert json.loads(plan.to_json())["confidence_rule"] == "weakest link"


def test_renderings_of_the_example() -> None:
    plan = evaluation_plan(peer_worker())
    md = plan.to_markdown()
    for heading in HEADINGS:
        assert f"\n## {heading}" in md
    assert "\n## Implementation: fidelity, dose, reach and adaptations\n" in md
    assert "\n## Gaps\n" in md
    data = json.loads(plan.render("json"))
    assert [s["heading"] for s in data["sections"]] == list(HEADINGS)
    assert sum(len(s["rows"]) for s in data["sections"]) == len(plan.rows)
    rows = list(csv.DictReader(io.StringIO(plan.render("csv"))))
    assert len(rows) == len(plan.rows) + sum(g.kind != "no indicator" for g in plan.gaps)
    assert rows[0]["element"] == "peer_support" and rows[0]["gap"] == "no indicator"
    with pytest.raises(InvalidValueError):
        plan.render("pdf")


def test_a_generated_model_has_a_plan_row_for_every_element() -> None:
    m = layered_model(120, seed=5)
    plan = evaluation_plan(m)
    assert {r.element for r in plan.rows} == {e.id for e in m.elements}


@settings(max_examples=25, deadline=None)
@given(models(max_elements=6, hostile=True))
def test_csv_cells_never_start_a_formula(m: ChangeModel) -> None:
    text = evaluation_plan(m).to_csv()
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@settings(max_examples=60, deadline=None)
@given(st.lists(hostile_text(), min_size=1, max_size=4))
def test_markdown_tables_keep_their_shape(labels: list[str]) -> None:
    m = ChangeModel("Hostile")
    for i, label in enumerate(labels):
        m.process_outcome(f"o{i}", label, indicators=[Indicator(label, instrument=label)])
    md = evaluation_plan(m).to_markdown()
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(labels)
    for line in table:
        assert line.replace("\\\\", "").replace("\\|", "").count("|") == 9
