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
    assert all(
        "fewer (compulsory) psychiatric admissions should fall" in h.text for h in to_admissions
    )
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
    assert "when a clear and distinctive peer worker role" in via_trust.text
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
    assert engaging.text.startswith("When a clear and distinctive peer worker role; the team ")
    assert "peer workers support service users should trigger engaging service users" in (
        engaging.text
    )
    assert "(for peer worker and service user)" in engaging.text
    assert engaging.text.endswith("leading to engagement with services and attendance.")


def test_formatting_lists_what_would_test_each() -> None:
    text = format_hypotheses(iter_hypotheses(peer_worker(), limit=100))
    assert text.count("\nH") == 3 and text.startswith("H1. If ")
    assert "    measure wellbeing: Mental well-being (WEMWBS, baseline, 12 months)" in text
    assert "    no indicator yet: trusting_relationships" in text


def test_acronyms_keep_their_case() -> None:
    m = ChangeModel("Acronym")
    _ = m.activity("a", "CBT sessions") >> m.process_outcome("o", "WEMWBS score")
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == "If CBT sessions, then WEMWBS score should increase."


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
