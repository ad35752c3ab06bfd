"""The causal view: d-separation agrees with networkx; implied independencies hold."""

from __future__ import annotations

import inspect
import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, IntegrityError, InvalidValueError, UnknownIdError
from changemodel.analysis.causal import CausalView, causal_view, d_separated
from changemodel.testing.generate import layered_model
from tests.analysis._support import peer_worker


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 9) -> nx.DiGraph[str]:
    n = draw(st.integers(1, max_nodes))
    graph: nx.DiGraph[str] = nx.DiGraph()
    names = [f"v{i}" for i in range(n)]
    graph.add_nodes_from(names)
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.booleans()):
                graph.add_edge(names[i], names[j])
    return graph


@settings(max_examples=300, deadline=None)
@given(dags(), st.data())
def test_d_separation_agrees_with_networkx(graph: nx.DiGraph[str], data: st.DataObject) -> None:
    nodes = list(graph)
    chosen = data.draw(st.permutations(nodes))
    cut1 = data.draw(st.integers(1, len(nodes)))
    cut2 = data.draw(st.integers(cut1, len(nodes)))
    cut3 = data.draw(st.integers(cut2, len(nodes)))
    x, z, y = set(chosen[:cut1]), set(chosen[cut1:cut2]), set(chosen[cut2:cut3])
    if not y:
        return
    view = CausalView.from_networkx(graph)
    assert view.d_separated(x, y, z) == nx.is_d_separator(graph, x, y, z)


@settings(max_examples=100, deadline=None)
@given(dags())
def test_implied_independencies_hold_and_cover_every_non_adjacent_pair(
    graph: nx.DiGraph[str],
) -> None:
    view = CausalView.from_networkx(graph)
    found = list(view.implied_independencies())
    for ind in found:
        assert nx.is_d_separator(graph, {ind.x}, {ind.y}, set(ind.given))
        assert set(ind.given) == set(graph.predecessors(ind.x))
    pairs = {frozenset((i.x, i.y)) for i in found}
    n = len(graph)
    assert len(pairs) == len(found) == n * (n - 1) // 2 - graph.number_of_edges()


def test_the_peer_worker_causal_view() -> None:
    m = peer_worker()
    view = causal_view(m)
    assert "lived_experience_shared" not in view.order
    assert ("training_support", "trusting_relationships") in view.edges
    assert ("peer_support", "trusting_relationships") in view.edges
    assert view.d_separated("peer_support", "wellbeing", ["hope_empowerment"])
    assert not view.d_separated("peer_support", "wellbeing", ["trusting_relationships"])
    # conditioning on a common effect opens the path between its causes
    assert view.d_separated("distinct_role", "team_acceptance")
    assert not view.d_separated("distinct_role", "team_acceptance", ["service_engagement"])
    without = causal_view(m, contexts=False)
    assert "distinct_role" not in without.order
    assert d_separated(m, "role_modelling", "trusting_relationships", "peer_support")


def test_networkx_and_dagitty_exports() -> None:
    m = peer_worker()
    view = causal_view(m)
    graph = view.to_networkx()
    assert set(graph.edges) == set(view.edges)
    assert graph.nodes["wellbeing"]["kind"] == "downstream_outcome"
    text = view.to_dagitty(exposure="peer_support", outcome="wellbeing")
    lines = text.splitlines()
    assert lines[:3] == ["dag {", "peer_support [exposure]", "wellbeing [outcome]"]
    assert "hope_empowerment -> wellbeing" in lines and lines[-1] == "}"
    assert len([line for line in lines if "->" in line]) == len(view.edges)


def test_dagitty_quotes_names_that_are_not_identifiers() -> None:
    m = ChangeModel("Namespaced")
    _ = m.activity("site_a.support", "S") >> m.process_outcome("hope-1", "H")
    assert causal_view(m).to_dagitty().splitlines()[1:4] == [
        '"site_a.support"',
        '"hope-1"',
        '"site_a.support" -> "hope-1"',
    ]


def test_errors() -> None:
    view = causal_view(peer_worker())
    with pytest.raises(InvalidValueError, match="disjoint"):
        view.d_separated("wellbeing", "wellbeing")
    with pytest.raises(UnknownIdError, match="did you mean 'wellbeing'"):
        view.d_separated("wellbeng", "peer_support")
    m = ChangeModel("Moderation loop")
    _ = m.activity("a", "A") >> m.process_outcome("o", "O")
    m.context("c", "C", moderates=["a"])
    m.link("o", "c")
    with pytest.raises(IntegrityError, match="cycle"):
        causal_view(m)
    assert causal_view(m, contexts=False).order == ("a", "o")


def test_implied_independencies_are_lazy() -> None:
    view = causal_view(layered_model(600, seed=0))
    assert inspect.isgenerator(view.implied_independencies())
    graph = view.to_networkx()
    for statement in itertools.islice(view.implied_independencies(), 20):
        assert nx.is_d_separator(graph, {statement.x}, {statement.y}, set(statement.given))
