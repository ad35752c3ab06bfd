"""Pathways: lazy bounded enumeration, counting by dynamic programming, confidence."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import (
    ChangeModel,
    IntegrityError,
    InvalidValueError,
    Link,
    Sign,
    UnknownIdError,
)
from changemodel.analysis.pathways import (
    count_pathways,
    iter_pathways,
    most_confident_pathway,
    pathway_elements,
)
from changemodel.testing.generate import layered_model
from tests.analysis._support import causal_digraph, dag_models, peer_worker

FAST = settings(max_examples=50, deadline=None)


def test_peer_worker_pathways_to_wellbeing() -> None:
    m = peer_worker()
    found = [str(p) for p in iter_pathways(m, "peer_support", "wellbeing", limit=10)]
    assert found == [
        "peer_support -> role_modelling -> hope_empowerment -> wellbeing",
        "peer_support -> trusting_relationships -> hope_empowerment -> wellbeing",
    ]
    assert count_pathways(m, "peer_support", "wellbeing") == 2
    assert count_pathways(m, None, "wellbeing") == 2
    assert count_pathways(m, ["peer_support", "peer_support"], "wellbeing") == 2


def test_peer_worker_pathways_to_admissions_reduce_them() -> None:
    m = peer_worker()
    paths = list(iter_pathways(m, None, "fewer_admissions", limit=10))
    assert len(paths) == count_pathways(m, None, "fewer_admissions") == 2
    assert {p.sign for p in paths} == {Sign.REDUCES}
    assert all(p.source == "peer_support" and p.target == "fewer_admissions" for p in paths)


def test_peer_worker_elements_on_pathways() -> None:
    m = peer_worker()
    ids = [e.id for e in pathway_elements(m, "peer_support", "fewer_admissions")]
    assert set(ids) == {
        "peer_support",
        "engagement",
        "trusting_relationships",
        "service_engagement",
        "fewer_admissions",
    }
    assert ids[0] == "peer_support" and ids[-1] == "fewer_admissions"
    assert pathway_elements(m, "wellbeing", "peer_support") == ()


def test_limit_bounds_the_enumeration() -> None:
    m = peer_worker()
    assert len(list(iter_pathways(m, None, "wellbeing", limit=1))) == 1
    assert list(iter_pathways(m, None, "wellbeing", limit=0)) == []


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3", None])
def test_limit_must_be_a_whole_number(bad: object) -> None:
    with pytest.raises(InvalidValueError, match="limit"):
        iter_pathways(peer_worker(), None, "wellbeing", limit=bad)  # type: ignore[arg-type]


def test_unknown_ids_suggest_the_closest() -> None:
    m = peer_worker()
    with pytest.raises(UnknownIdError, match="did you mean 'wellbeing'"):
        count_pathways(m, None, "wellbeng")
    with pytest.raises(UnknownIdError, match="peer_support"):
        list(iter_pathways(m, "peer_suport", "wellbeing", limit=3))


def test_enumeration_is_lazy_on_a_model_with_huge_numbers_of_pathways() -> None:
    # 30 diamonds in a row: 2**30 pathways; counting is exact, listing stops at the limit.
    m = ChangeModel("Diamonds")
    m.activity("d0", "start")
    for i in range(30):
        m.mechanism(f"u{i}", "up")
        m.mechanism(f"l{i}", "low")
        m.process_outcome(f"d{i + 1}", "join")
        m.chain(f"d{i}", f"u{i}", f"d{i + 1}")
        m.chain(f"d{i}", f"l{i}", f"d{i + 1}")
    assert count_pathways(m, "d0", "d30") == 2**30
    first = list(itertools.islice(iter_pathways(m, "d0", "d30", limit=1000), 5))
    assert len(first) == 5 and len({str(p) for p in first}) == 5
    assert all(len(p) == 60 for p in first)


def test_feedback_links_are_not_part_of_pathways() -> None:
    m = ChangeModel("Loop")
    _ = m.activity("a", "A") >> m.process_outcome("b", "B") >> m.downstream_outcome("c", "C")
    m.ref("c").feeds_back_to("a")
    assert count_pathways(m, "a", "c") == 1
    assert count_pathways(m, "c", "a") == 0
    assert list(iter_pathways(m, "c", "b", limit=5)) == []


def test_counts_on_a_generated_model_match_a_memoised_recursion() -> None:
    m = layered_model(140, seed=3, fan_out=4, feedback=True)
    graph = causal_digraph(m)
    target = m.elements_of("downstream_outcome")[-1].id

    memo: dict[str, int] = {}

    def paths_to_target(v: str) -> int:
        if v not in memo:
            memo[v] = 1 if v == target else sum(paths_to_target(w) for w in graph.successors(v))
        return memo[v]

    activities = [e.id for e in m.elements_of("activity")]
    expected = sum(paths_to_target(a) for a in activities)
    assert expected > 0
    assert count_pathways(m, None, target) == expected


@FAST
@given(dag_models(), st.data())
def test_count_equals_the_length_of_the_full_enumeration(
    m: ChangeModel, data: st.DataObject
) -> None:
    ids = [e.id for e in m.elements if e.id.startswith("n")]
    source = data.draw(st.sampled_from(ids))
    target = data.draw(st.sampled_from(ids))
    listed = list(iter_pathways(m, source, target, limit=10**6))
    assert count_pathways(m, source, target) == len(listed)
    expected = (
        [[source]]
        if source == target
        else list(nx.all_simple_paths(causal_digraph(m), source, target))
    )
    assert sorted(p.elements for p in listed) == sorted(tuple(p) for p in expected)
    for p in listed:
        assert all(not lk.feedback for lk in p.links)
        assert [lk.source for lk in p.links] == list(p.elements[:-1])
        assert [lk.target for lk in p.links] == list(p.elements[1:])
    on = {e.id for e in pathway_elements(m, source, target)}
    assert on == {v for p in listed for v in p.elements}


@FAST
@given(dag_models(), st.data())
def test_most_confident_pathway_is_the_best_of_all(m: ChangeModel, data: st.DataObject) -> None:
    ids = [e.id for e in m.elements if e.id.startswith("n")]
    source = data.draw(st.sampled_from(ids))
    target = data.draw(st.sampled_from(ids))
    default = data.draw(st.sampled_from([1.0, 0.5]))
    listed = list(iter_pathways(m, source, target, limit=10**6))
    best = most_confident_pathway(m, source, target, default=default)
    if not listed:
        assert best is None
        return
    assert best is not None
    assert best.elements in {p.elements for p in listed}
    top = max(p.confidence(default) for p in listed)
    assert math.isclose(best.confidence(default), top, rel_tol=1e-9, abs_tol=1e-12)


def test_most_confident_pathway_on_the_example_uses_the_default() -> None:
    m = peer_worker()
    m.replace(Link("peer_support", "role_modelling", confidence=0.9))
    best = most_confident_pathway(m, "peer_support", "wellbeing", default=0.5)
    assert best is not None
    assert str(best) == "peer_support -> role_modelling -> hope_empowerment -> wellbeing"
    assert best.confidence(0.5) == pytest.approx(0.9 * 0.5 * 0.5)
    with pytest.raises(InvalidValueError):
        most_confident_pathway(m, "peer_support", "wellbeing", default=2.0)


@FAST
@given(dag_models())
def test_the_analysis_order_is_the_models_topological_order(m: ChangeModel) -> None:
    def rank(id: str) -> tuple[int, str]:
        stage = m.element(id).kind.stage
        return (stage if stage is not None else -1, id)

    expected = tuple(nx.lexicographical_topological_sort(causal_digraph(m), key=rank))
    assert m.graph_index.order == expected == tuple(e.id for e in m.topological_order())


def test_a_cycle_is_named() -> None:
    m = ChangeModel("Cycle")
    _ = m.activity("a", "A") >> m.process_outcome("b", "B") >> m.downstream_outcome("c", "C")
    m.link("c", "a")
    with pytest.raises(IntegrityError, match=r"cycle not marked as feedback: (a|b|c) -> "):
        count_pathways(m, "a", "c")
