"""The evaluation plan: MRC headings, gaps, and safe Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import Actor, ChangeModel, Indicator, InvalidValueError
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
        (
            "Realist evaluation",
            "indicators without a data source for 1 outcome of configurations: hope_empowerment",
        ),
        (
            "Realist evaluation",
            "neither resource nor reasoning stated for 3 mechanisms: trusting_relationships,"
            " role_modelling and engagement",
        ),
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
    assert plan.realist is not None
    realist = plan.realist
    parts = (realist.configurations, realist.left_out, realist.contrasts, realist.topics)
    extra = sum(len(p) for p in parts) + len(realist.sources)
    gaps = sum(g.kind != "no indicator" for g in plan.gaps)
    assert len(rows) == len(plan.rows) + extra + gaps
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


def _realist() -> ChangeModel:
    """Two contrasting configurations, a refuted one and a partial one."""
    m = ChangeModel("Group classes")
    m.activity("classes", "Run weekly group classes")
    m.mechanism(
        "trust",
        "Trust in the group",
        resource="A facilitator who knows the members",
        reasoning="Members feel safe to speak",
    )
    m.mechanism("pressure", "Peer pressure")
    m.context("small", "Groups are small")
    m.context("large", "A large group")
    m.process_outcome(
        "talk",
        "Disclosure",
        indicators=[{"name": "Disclosure log", "timepoints": ["week 8"], "data_source": "diaries"}],
    )
    m.process_outcome("quit", "Withdrawal", intended=False, indicators=[{"name": "Drop-outs"}])
    actors = [Actor("facilitator", "offers a safe space"), Actor("member")]
    m.configuration(
        "C1",
        intervention=["classes"],
        contexts=["small"],
        mechanisms=["trust"],
        outcomes=["talk"],
        actors=actors,
        confidence="moderate",
        statement="Small groups let members speak.",
    )
    m.configuration(
        "C2", intervention=["classes"], contexts=["large"], mechanisms=["trust"], outcomes=["quit"]
    )
    m.configuration("C3", contexts=["large"], mechanisms=["pressure"], status="refuted")
    m.configuration("C4", contexts=["small"], mechanisms=["pressure"])
    return m


def test_the_realist_section_when_configurations_exist() -> None:
    plan = evaluation_plan(_realist())
    section = plan.realist
    assert section is not None
    assert [(c.id, c.kind) for c in section.configurations] == [("C1", "test"), ("C2", "monitor")]
    assert section.configurations[0].statement == "Small groups let members speak."
    assert str(section.configurations[0].confidence).startswith("very low (weakest:")
    assert section.left_out == (("C3", "refuted"), ("C4", "not testable yet: no outcome"))
    (contrast,) = section.contrasts
    assert contrast.text == (
        'C1 and C2 share the mechanism "Trust in the group": sample both. In settings where'
        " groups are small, C1 expects an increase in disclosure; in a context of a large"
        " group, C2 expects an increase in withdrawal."
    )
    (topic,) = section.topics
    assert topic.text == (
        'Trust in the group (trust; C1, C2). Resource: "A facilitator who knows the members",'
        ' offered by facilitators. Reasoning: "Members feel safe to speak", of members.'
    )
    assert [o.text for o in section.sources] == [
        "Disclosure (talk; C1): Disclosure log at week 8, from diaries.",
        "Withdrawal (quit; C2), to monitor: Drop-outs, no data source stated.",
    ]
    # each missing thing once, grouped by kind, under the realist heading
    realist_gaps = [g for g in plan.gaps if g.heading == "Realist evaluation"]
    assert [(g.kind, g.elements) for g in realist_gaps] == [("no data source", ("quit",))]
    assert realist_gaps[0].message == (
        "indicators without a data source for 1 outcome of configurations: quit"
    )


def test_the_realist_section_in_every_rendering() -> None:
    plan = evaluation_plan(_realist())
    md = plan.to_markdown()
    assert "\n## Realist evaluation\n\n### Configurations to test\n\n- **C1** (initial):" in md
    assert "\n### Contexts to sample for each contrast\n\n- C1 and C2 share" in md
    assert "\n### Interview topics per mechanism\n\n- Trust in the group (trust; C1, C2)." in md
    assert "\n### Data sources per outcome\n\n- Disclosure (talk; C1):" in md
    assert "Left out: C3 (refuted) and C4 (not testable yet: no outcome)." in md
    assert md.index("## Realist evaluation") < md.index("## Gaps")
    rows = list(csv.DictReader(io.StringIO(plan.to_csv())))
    realist = [r for r in rows if r["heading"] == "Realist evaluation" and not r["gap"]]
    assert [(r["aspect"], r["element"]) for r in realist] == [
        ("configuration to test", "C1"),
        ("configuration to test", "C2"),
        ("configuration left out", "C3"),
        ("configuration left out", "C4"),
        ("contrast to sample", "C1 C2"),
        ("interview topic", "trust"),
        ("data source", "talk"),
        ("data source", "quit"),
    ]
    data = json.loads(plan.to_json())["realist"]
    assert [c["id"] for c in data["configurations"]] == ["C1", "C2"]
    assert data["interview_topics"][0]["offered_by"] == ["facilitators"]
    assert data["interview_topics"][0]["reasoned_by"] == ["members"]
    # a model without configurations has no realist section
    assert evaluation_plan(layered_model(20, seed=2)).realist is None
    assert "Realist evaluation" not in evaluation_plan(layered_model(20, seed=2)).to_markdown()


def test_realist_gaps_name_mechanisms_without_resource_reasoning_or_actor() -> None:
    m = _realist()
    m.process_outcome("calm", "Calm")
    m.configuration("C5", contexts=["small"], mechanisms=["pressure"], outcomes=["calm"])
    gaps = {g.kind: g for g in evaluation_plan(m).gaps if g.heading == "Realist evaluation"}
    assert gaps["no resource or reasoning"].message == (
        "neither resource nor reasoning stated for 1 mechanism: pressure"
    )
    assert gaps["no actor"].message == "no actor named to interview about 1 mechanism: pressure"


def test_peer_worker_realist_section() -> None:
    section = evaluation_plan(peer_worker()).realist
    assert section is not None
    assert [c.id for c in section.configurations] == ["PW1", "PW2", "PW3"]
    assert section.contrasts == ()
    assert section.topics[0].text == (
        "Building trusting relationships based on shared lived experience"
        " (trusting_relationships; PW1). Resource and reasoning not stated: ask what is"
        " offered and how people respond (peer workers and service users)."
    )


@settings(max_examples=60, deadline=None)
@given(models(configured=True))
def test_a_plan_never_crashes_on_configured_models(m: ChangeModel) -> None:
    plan = evaluation_plan(m)
    assert (plan.realist is None) == (not m.configurations)
    plan.to_markdown()
    plan.to_csv()
    data = json.loads(plan.to_json())
    if plan.realist is not None:
        inactive = {c.id for c in m.configurations if not c.status.is_active}
        assert not {c["id"] for c in data["realist"]["configurations"]} & inactive
