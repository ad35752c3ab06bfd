"""The graph index: checked against networkx on random graphs, kept while the model
stands still and rebuilt after every kind of change."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, IntegrityError, Kind, Link
from changemodel.analysis.causal import d_separated
from changemodel.analysis.pathways import count_pathways
from changemodel.domain import element_class
from changemodel.index import GraphIndex
from changemodel.testing.strategies import models
from changemodel.validation import validate

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = [k for k in Kind if k is not Kind.ASSUMPTION]


@st.composite
def graphs(draw: st.DrawFn) -> ChangeModel:
    """Models on up to 7 elements with any causal links, cycles and feedback included."""
    n = draw(st.integers(1, 7))
    model = ChangeModel("Random graph")
    for i in range(n):
        model.add(element_class(draw(st.sampled_from(KINDS)))(f"n{i}", f"Element {i}"))
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), unique=True, max_size=14)
    )
    for i, j in pairs:
        model.add(Link(f"n{i}", f"n{j}", feedback=i == j or draw(st.booleans())))
    return model


def digraph(model: ChangeModel, *, feedback: bool) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(e.id for e in model.elements)
    graph.add_edges_from(
        (lk.source, lk.target)
        for lk in model.links
        if lk.is_causal and (feedback or not lk.feedback)
    )
    return graph


def rank(model: ChangeModel) -> Callable[[str], tuple[int, str]]:
    def key(id: str) -> tuple[int, str]:
        stage = model.element(id).kind.stage
        return (stage if stage is not None else -1, id)

    return key


@FAST
@given(graphs())
def test_the_index_agrees_with_networkx(model: ChangeModel) -> None:
    index = model.graph_index
    forward = digraph(model, feedback=False)
    loops = [sorted(c) for c in nx.strongly_connected_components(forward) if len(c) > 1]
    assert index.unmarked_cycles == sorted(loops)
    on_or_after = {v for c in loops for v in c}
    on_or_after |= {d for v in set(on_or_after) for d in nx.descendants(forward, v)}
    assert index.unplaced == on_or_after
    assert index.is_acyclic == nx.is_directed_acyclic_graph(forward)
    if index.is_acyclic:
        expected = list(nx.lexicographical_topological_sort(forward, key=rank(model)))
        assert list(index.order) == expected
        assert index.placed == index.order
    else:
        with pytest.raises(IntegrityError, match="cycle not marked as feedback: n"):
            _ = index.order
    causal = digraph(model, feedback=True)
    looped = {v for c in nx.strongly_connected_components(causal) if len(c) > 1 for v in c}
    # loops matter to the feedback rules only when some link is marked feedback
    feedback = any(lk.feedback for lk in model.links)
    assert set(index.loop_components) == (looped if feedback else set())
    for e in model.elements:
        v = e.id
        reached = index.reachable([v])
        assert reached - {v} == nx.descendants(forward, v)
        assert (v in reached) == any(nx.has_path(forward, s, v) for s in forward.successors(v))
        assert index.reachable([v], forward=False, feedback=True) - {v} == nx.ancestors(causal, v)


@FAST
@given(graphs())
def test_pathway_counts_match_the_simple_paths(model: ChangeModel) -> None:
    index = model.graph_index
    if not index.is_acyclic:
        return
    forward = digraph(model, feedback=False)
    first, last = index.order[0], index.order[-1]
    counts = index.forward_counts([first])
    assert counts[last] == (
        len(list(nx.all_simple_paths(forward, first, last))) if first != last else 1
    )
    back = index.backward_counts([last])
    assert back[first] == counts[last]


def test_the_index_is_kept_until_the_model_changes() -> None:
    m = ChangeModel("Kept")
    _ = m.activity("a", "A") >> m.mechanism("m", "M") >> m.process_outcome("o", "O")
    index = m.graph_index
    assert count_pathways(m, "a", "o") == 1
    validate(m)
    m.element("a")
    list(m.links)
    assert m.graph_index is index


CHANGES: list[tuple[str, Callable[[ChangeModel], object]]] = [
    ("add an element", lambda m: m.process_outcome("p", "P")),
    ("add a link", lambda m: m.link("a", "o")),
    ("replace a link", lambda m: m.replace(Link("m", "o", feedback=True))),
    ("replace an element", lambda m: m.replace(element_class(Kind.MECHANISM)("o", "O"))),
    ("update an element", lambda m: m.update("o", label="Changed")),
    ("remove a link", lambda m: m.remove_link("m", "o")),
    ("remove an element", lambda m: m.remove("o", cascade=True)),
    ("rename an element", lambda m: m.rename("o", "z")),
    ("underpin a link", lambda m: m.underpin("m", "o", m.assumption("x", "X"))),
]


@pytest.mark.parametrize(("change", "apply"), CHANGES, ids=[c for c, _ in CHANGES])
def test_every_change_drops_the_index(change: str, apply: Callable[[ChangeModel], object]) -> None:
    m = ChangeModel("Changed")
    _ = m.activity("a", "A") >> m.mechanism("m", "M") >> m.process_outcome("o", "O")
    before = m.graph_index
    _ = before.order, before.links_out, before.linked
    apply(m)
    after = m.graph_index
    assert after is not before
    fresh = GraphIndex({e.id: e for e in m.elements}, m.links)
    assert after.placed == fresh.placed
    assert after.links == fresh.links
    assert after.links_out == fresh.links_out
    assert after.forward_out == fresh.forward_out
    assert dict(after.elements) == dict(fresh.elements)


def test_an_index_handed_out_does_not_change_with_the_model() -> None:
    m = ChangeModel("Snapshot")
    _ = m.activity("a", "A") >> m.process_outcome("o", "O")
    index = m.graph_index
    m.process_outcome("p", "P")
    assert list(index.elements) == ["a", "o"]
    assert index.order == ("a", "o")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(max_elements=8))
def test_generated_models_index_every_element(model: ChangeModel) -> None:
    index = model.graph_index
    assert set(index.placed) | index.unplaced == {e.id for e in model.elements}
    assert index.linked == {lk.source for lk in model.links} | {lk.target for lk in model.links}


def test_d_separation_keeps_its_causal_view_until_the_model_changes() -> None:
    m = ChangeModel("Chain")
    _ = m.activity("a", "A") >> m.mechanism("m", "M") >> m.process_outcome("o", "O")
    assert d_separated(m, "a", "o", ["m"])
    (view,) = m.graph_index.derived.values()
    assert d_separated(m, "a", "o", ["m"])
    assert list(m.graph_index.derived.values()) == [view]
    m.link("a", "o")
    assert not d_separated(m, "a", "o", ["m"])
    (new,) = m.graph_index.derived.values()
    assert new is not view


def test_a_scripting_call_that_fails_leaves_a_true_index() -> None:
    m = ChangeModel("Rolled back")
    _ = m.activity("a", "A") >> m.process_outcome("o", "O")
    _ = m.graph_index.order
    with pytest.raises(Exception, match="unknown"):
        m.context("c", "C", moderates=["a", "nowhere"])
    assert "c" not in m
    assert m.graph_index.order == ("a", "o")
    assert m.graph_index.moderates_out == {}
