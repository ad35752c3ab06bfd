"""Mediators, moderators, single points of failure (dominators) and assumption load."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, Kind
from changemodel.analysis.mediation import (
    assumption_load,
    mediators,
    moderators,
    single_points_of_failure,
)
from changemodel.analysis.pathways import iter_pathways
from changemodel.testing.generate import layered_model
from tests.analysis._support import causal_digraph, dag_models, peer_worker

FAST = settings(max_examples=50, deadline=None)


def test_peer_worker_mediators_of_wellbeing() -> None:
    found = {
        x.element.id: (x.pathways, x.total, x.necessary)
        for x in mediators(peer_worker(), "peer_support", "wellbeing")
    }
    assert found == {
        "role_modelling": (1, 2, False),
        "trusting_relationships": (1, 2, False),
        "hope_empowerment": (2, 2, True),
    }


def test_peer_worker_moderators() -> None:
    found = {
        x.context.id: x.moderates
        for x in moderators(peer_worker(), "peer_support", "fewer_admissions")
    }
    assert found == {
        "distinct_role": ("peer_support",),
        "training_support": ("peer_support", "trusting_relationships"),
        "team_acceptance": ("engagement",),
    }


def test_peer_worker_single_points_of_failure() -> None:
    m = peer_worker()
    spof = single_points_of_failure(m, "wellbeing")
    assert [e.id for e in spof.elements] == ["peer_support", "hope_empowerment", "wellbeing"]
    assert spof.assumptions == ("lived_experience_shared",)
    other = single_points_of_failure(m, "fewer_admissions")
    assert [e.id for e in other.elements] == [
        "peer_support",
        "service_engagement",
        "fewer_admissions",
    ]
    assert other.assumptions == ()
    assert single_points_of_failure(m, "peer_support", activity="wellbeing").pathways == 0


def test_peer_worker_assumption_load() -> None:
    m = peer_worker()
    (load,) = assumption_load(m, "fewer_admissions")
    assert (load.assumption, load.pathways, load.total, load.critical) == (
        "lived_experience_shared",
        1,
        2,
        False,
    )
    (everywhere,) = assumption_load(m)
    # every pathway from the activity to any outcome: 2 to hope, 2 to attendance, 2 + 2 beyond
    assert everywhere.total == 8
    assert everywhere.pathways == 6
    assert {lk.id for lk in everywhere.links} == {
        "peer_support->trusting_relationships",
        "peer_support->role_modelling",
    }


def _dominators(m: ChangeModel, sources: list[str], target: str) -> set[str]:
    graph = causal_digraph(m)
    graph.add_node("__root__")
    for s in sources:
        graph.add_edge("__root__", s)
    idom = nx.immediate_dominators(graph, "__root__")
    if target not in idom:
        return set()
    chain = set()
    node = target
    while node != "__root__":
        chain.add(node)
        node = idom[node]
    return chain


@FAST
@given(dag_models(), st.data())
def test_single_points_agree_with_networkx_dominators(m: ChangeModel, data: st.DataObject) -> None:
    ids = [e.id for e in m.elements if e.id.startswith("n")]
    target = data.draw(st.sampled_from(ids))
    sources = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    spof = single_points_of_failure(m, target, activity=sources)
    if spof.pathways == 0:
        assert spof.elements == ()
        return
    assert {e.id for e in spof.elements} == _dominators(m, sources, target)


@FAST
@given(dag_models(), st.data())
def test_counts_agree_with_the_enumeration(m: ChangeModel, data: st.DataObject) -> None:
    ids = [e.id for e in m.elements if e.id.startswith("n")]
    source = data.draw(st.sampled_from(ids))
    target = data.draw(st.sampled_from(ids))
    listed = list(iter_pathways(m, source, target, limit=10**6))
    for x in mediators(m, source, target):
        assert x.total == len(listed)
        assert x.pathways == sum(x.element.id in p.elements for p in listed)
        assert x.element.id not in (source, target)
    for load in assumption_load(m, target, activity=source):
        using = [p for p in listed if any(load.assumption in lk.assumptions for lk in p.links)]
        assert load.pathways == len(using)
    spof = single_points_of_failure(m, target, activity=source)
    expected = {
        a
        for a in ("a0", "a1")
        if listed and all(any(a in lk.assumptions for lk in p.links) for p in listed)
    }
    assert set(spof.assumptions) == expected


def test_on_a_generated_model_every_mediator_lies_between() -> None:
    m = layered_model(140, seed=2, fan_out=4)
    outcome = m.elements_of(Kind.DOWNSTREAM_OUTCOME)[0].id
    found = mediators(m, None, outcome)
    assert found
    total = found[0].total
    assert all(0 < x.pathways <= total for x in found)
    assert {x.element.kind for x in found} <= {
        Kind.INPUT,
        Kind.ACTIVITY,
        Kind.OUTPUT,
        Kind.MECHANISM,
        Kind.PROCESS_OUTCOME,
        Kind.DOWNSTREAM_OUTCOME,
    }
