"""explain(outcome): the upstream part of the theory, as data and as text."""

from __future__ import annotations

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings

from changemodel import ChangeModel, Kind, UnknownIdError
from changemodel.analysis.explain import explain
from changemodel.testing.strategies import models
from tests.analysis._support import causal_digraph, dag_models, peer_worker


def test_explain_wellbeing_in_the_peer_worker_model() -> None:
    m = peer_worker()
    e = explain(m, "wellbeing")
    assert e.outcome.id == "wellbeing"
    assert [x.id for x in e.activities] == ["peer_support"]
    assert {x.id for x in e.mechanisms} == {"role_modelling", "trusting_relationships"}
    assert [x.id for x in e.process_outcomes] == ["hope_empowerment"]
    assert e.downstream_outcomes == ()
    assert {x.id for x in e.contexts} == {"distinct_role", "training_support"}
    assert e.moderates("training_support") == ("peer_support", "trusting_relationships")
    assert e.assumptions == ("lived_experience_shared",)
    assert e.pathways == 2
    subjects = {item.subject for item in e.evidence}
    assert {"wellbeing", "hope_empowerment", "hope_empowerment->wellbeing"} <= subjects
    assert "engagement" not in subjects
    refs = {item.evidence.reference for item in e.evidence}
    assert "tennant2007" in refs and "gillard2013" in refs
    assert {"attachment", "social_learning"} <= set(e.theories)


def test_explanation_text_names_everything_with_labels() -> None:
    m = peer_worker()
    text = explain(m, "fewer_admissions").to_text(m)
    assert text.splitlines()[0] == (
        "Fewer (compulsory) psychiatric admissions (fewer_admissions, downstream outcome)"
    )
    for expected in (
        "Engaging service users with mental health services and the community (engagement)",
        "The team and organisation take the role in (team_acceptance), moderates engagement",
        "Peer workers are willing to share their lived experience (lived_experience_shared)",
        "pathways from the activities: 2",
    ):
        assert expected in text


def test_explanation_is_frozen_and_hashable() -> None:
    e = explain(peer_worker(), "wellbeing")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        e.pathways = 3  # type: ignore[misc]
    assert hash(e) == hash(explain(peer_worker(), "wellbeing"))


def test_unknown_outcome() -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'wellbeing'"):
        explain(peer_worker(), "well_being")


def test_an_outcome_with_nothing_upstream() -> None:
    m = ChangeModel("Alone")
    m.process_outcome("o", "O")
    e = explain(m, "o")
    assert e.upstream == () and e.pathways == 0
    assert e.to_text() == "O (o, process outcome)\n  pathways from the activities: 0"


@settings(max_examples=40, deadline=None)
@given(dag_models())
def test_upstream_is_the_ancestors_without_feedback(m: ChangeModel) -> None:
    graph = causal_digraph(m)
    for element in m.elements:
        if element.kind is Kind.ASSUMPTION:
            continue
        e = explain(m, element.id)
        expected = {v for v in nx.ancestors(graph, element.id) if m[v].kind.stage is not None}
        assert {x.id for x in e.upstream} == expected
        assert all(graph.has_edge(lk.source, lk.target) for lk in e.links)


@settings(max_examples=25, deadline=None)
@given(models(max_elements=10))
def test_contexts_moderate_the_outcome_or_its_upstream(m: ChangeModel) -> None:
    for element in m.elements:
        e = explain(m, element.id)
        ids = {
            element.id,
            *(x.id for x in e.upstream),
            *(x.id for x in e.contexts),
            *e.assumptions,
        }
        for context in e.contexts:
            assert all(target in ids for target in e.moderates(context.id))


def test_the_configurations_naming_an_outcome_come_with_their_confidence() -> None:
    e = explain(peer_worker(), "hope_empowerment")
    assert [(c.id, c.status, c.confidence.level) for c in e.configurations] == [
        ("PW1", "candidate", "very low"),
        ("PW2", "candidate", "very low"),
    ]
    text = e.to_text()
    assert (
        "\n  configurations naming it:\n    - PW1 (candidate): very low (weakest: PW1, CERQual"
        " very low; and trusting_relationships->hope_empowerment, hypothesised)\n" in text
    )
    assert e.to_data()["configurations"][1] == {
        "id": "PW2",
        "status": "candidate",
        "confidence": e.configurations[1].confidence.to_data(),
    }
    # an outcome no configuration names lists none
    assert explain(peer_worker(), "wellbeing").configurations == ()
    assert "configurations naming it" not in explain(peer_worker(), "wellbeing").to_text()
