"""Testable hypotheses per pathway and per configuration."""

from __future__ import annotations

import itertools

from hypothesis import given, settings

from changemodel import ChangeModel, Kind, Sign
from changemodel.analysis.hypotheses import (
    configuration_hypotheses,
    format_hypotheses,
    iter_hypotheses,
)
from changemodel.analysis.pathways import count_pathways
from changemodel.testing.generate import layered_model
from tests.analysis._support import dag_models, peer_worker


def test_peer_worker_pathway_hypotheses() -> None:
    found = list(iter_hypotheses(peer_worker(), limit=100))
    assert len(found) == 4
    assert all(
        h.text.startswith("If peer workers support service users, then, through ") for h in found
    )
    to_admissions = [h for h in found if h.elements[-1].id == "fewer_admissions"]
    assert len(to_admissions) == 2
    assert all(h.sign is Sign.REDUCES for h in to_admissions)
    # the label already says "fewer": no second direction word
    assert all(
        "fewer (compulsory) psychiatric admissions should follow" in h.text for h in to_admissions
    )
    assert not any("should fall" in h.text for h in to_admissions)
    via_trust = next(
        h
        for h in found
        if [e.id for e in h.elements]
        == ["peer_support", "trusting_relationships", "hope_empowerment", "wellbeing"]
    )
    assert via_trust.assumptions == ("lived_experience_shared",)
    assert [(i.subject, i.indicator.instrument) for i in via_trust.indicators] == [
        ("hope_empowerment", None),
        ("wellbeing", "WEMWBS"),
    ]
    assert via_trust.untested == ("trusting_relationships",)
    assert not via_trust.testable
    assert "given a clear and distinctive peer worker role; and training" in via_trust.text
    assert [o.element for o in via_trust.observations] == [
        "trusting_relationships",
        "hope_empowerment",
        "wellbeing",
    ]
    wellbeing = via_trust.observations[-1]
    assert wellbeing.timepoints == ("12 months",)
    assert wellbeing.comparator == "baseline"
    assert via_trust.observations[0].indicator is None
    assert via_trust.confidence is not None
    assert via_trust.confidence.level == "very low"
    assert [s.subject for s in via_trust.confidence.weakest] == [
        "trusting_relationships->hope_empowerment"
    ]
    assert {item.subject for item in via_trust.evidence} >= {
        "trusting_relationships",
        "peer_support->trusting_relationships",
    }


def test_hypotheses_to_one_outcome_and_the_limit() -> None:
    m = peer_worker()
    assert len(list(iter_hypotheses(m, limit=100, outcome="hope_empowerment"))) == 2
    assert len(list(iter_hypotheses(m, limit=3))) == 3
    assert list(iter_hypotheses(m, limit=0)) == []


def test_configuration_hypotheses() -> None:
    found = configuration_hypotheses(peer_worker())
    assert len(found) == 4
    engaging = next(h for h in found if h.elements[1].id == "engagement")
    assert engaging.text.startswith("Given a clear and distinctive peer worker role; and ")
    assert "and when the team and organisation take the role in, peer workers" in engaging.text
    assert "should bring about engaging service users" in engaging.text
    assert "in peer workers and service users," in engaging.text
    assert engaging.text.endswith(", and engagement with services and attendance should increase.")


def test_formatting_lists_what_would_test_each() -> None:
    text = format_hypotheses(iter_hypotheses(peer_worker(), limit=100))
    assert text.count("\nH") == 3 and text.startswith("H1. If ")
    assert (
        "    observe: an increase in mental well-being (wellbeing): Mental well-being (WEMWBS)"
        " at 12 months, compared with baseline\n" in text
    )
    assert (
        "    observe: building trusting relationships based on shared lived experience"
        " (trusting_relationships): no indicator yet\n" in text
    )
    assert (
        "    confidence: very low (weakest: role_modelling->hope_empowerment, no evidence)\n"
        in (text)
    )
    assert "    in whom: peer workers and service users\n" in text


def test_acronyms_keep_their_case() -> None:
    m = ChangeModel("Acronym")
    _ = m.activity("a", "CBT sessions") >> m.process_outcome("o", "WEMWBS score")
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == "If CBT sessions are delivered, then WEMWBS score should increase."


def test_lazy_on_a_generated_model() -> None:
    m = layered_model(300, seed=1, fan_out=4)
    first = list(itertools.islice(iter_hypotheses(m, limit=10**9), 7))
    assert len(first) == 7
    assert all(h.elements[0].kind is Kind.ACTIVITY for h in first)


@settings(max_examples=60, deadline=None)
@given(dag_models())
def test_one_hypothesis_per_pathway_to_each_final_outcome(m: ChangeModel) -> None:
    finals = [
        e.id
        for e in m.elements
        if e.kind.is_outcome
        and not [lk for lk in m.links_from(e.id) if lk.is_causal and not lk.feedback]
    ]
    expected = sum(count_pathways(m, None, f) for f in finals)
    found = list(iter_hypotheses(m, limit=10**6))
    assert len(found) == expected
    assert all(h.text.startswith("If ") and h.text.endswith(".") for h in found)


def test_an_unintended_outcome_is_monitored_not_aimed_for() -> None:
    m = ChangeModel("Side effects")
    coaching = m.activity("coaching", "Coach patients", actors=["nurse"])
    efficacy = m.mechanism("efficacy", "Self-efficacy", actors=["patient"])
    control = m.process_outcome(
        "control",
        "Lower HbA1c",
        indicators=[{"name": "HbA1c", "timepoints": ["baseline", "12 months"]}],
    )
    hypo = m.process_outcome("hypo", "Hypoglycaemic episodes", tags=["unintended"])
    _ = coaching >> efficacy >> control
    _ = efficacy >> hypo
    found = {h.elements[-1].id: h for h in iter_hypotheses(m, limit=10)}
    aim, side = found["control"], found["hypo"]
    assert aim.kind == "test"
    assert aim.text == (
        "If the intervention coaches patients, then, through self-efficacy,"
        " lower HbA1c should follow."
    )
    assert side.kind == "monitor"
    assert side.text == (
        "Monitor for an increase in hypoglycaemic episodes, which may follow if the"
        " intervention coaches patients through self-efficacy."
    )
    text = format_hypotheses([aim, side])
    assert text.startswith("H1. If ") and "\nM1. Monitor for " in text
    assert "    in whom: patients\n" in text
    assert "lower HbA1c (control): HbA1c at 12 months, compared with baseline" in text
    assert side.to_data()["kind"] == "monitor"


def test_a_reducing_link_is_not_doubled() -> None:
    m = ChangeModel("Stigma")
    contact = m.activity("contact", "Contact with people with lived experience")
    stigma = m.process_outcome("stigma", "Decreased self-stigma")
    seeking = m.downstream_outcome("seeking", "Help-seeking")
    _ = contact.reduces(stigma)
    _ = stigma.leads_to(seeking)
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == (
        "If contact with people with lived experience is delivered, then decreased"
        " self-stigma should follow, and then help-seeking should increase."
    )
    assert h.sign is Sign.INCREASES
