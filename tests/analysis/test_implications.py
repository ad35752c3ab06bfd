"""Testable implications equal a reference computed by a second route.

The reference decides d-separation with networkx (``is_d_separator`` on acyclic
graphs; on graphs with feedback loops, separation in the moral graph of the
ancestors, which is equivalent for cyclic graphs) and looks for a separator by
brute force over every set of measured variables.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, InvalidValueError, Kind, Link, UnknownIdError
from changemodel.analysis.causal import causal_view
from changemodel.analysis.implications import (
    format_implications,
    implication_graph,
    implications,
    indicated,
    iter_implications,
)
from changemodel.domain import element_class
from changemodel.testing.generate import layered_model
from tests.analysis._support import peer_worker

_KINDS = [Kind.ACTIVITY, Kind.MECHANISM, Kind.CONTEXT, Kind.PROCESS_OUTCOME]


@st.composite
def models(draw: st.DrawFn, *, loops: bool = True, max_nodes: int = 7) -> ChangeModel:
    """Small models with causal, moderation and part-of links, assumptions and
    (with *loops*) feedback links running backwards."""
    n = draw(st.integers(2, max_nodes))
    model = ChangeModel("Generated")
    for i in range(n):
        model.add(element_class(draw(st.sampled_from(_KINDS)))(f"n{i}", f"Element {i}"))
    model.add(element_class(Kind.ASSUMPTION)("a0", "An assumption"))
    for i, j in itertools.combinations(range(n), 2):
        relation = draw(st.sampled_from(["none", "none", "leads_to", "leads_to", "moderates"]))
        if relation == "leads_to":
            model.add(Link(f"n{i}", f"n{j}", assumptions=draw(st.sampled_from([(), ("a0",)]))))
        elif relation == "moderates":
            model.add(Link(f"n{i}", f"n{j}", relation="moderates"))
    for _ in range(draw(st.integers(0, 1))):
        i, j = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        if not any({lk.source, lk.target} == {f"n{i}", f"n{j}"} for lk in model.links):
            model.add(Link(f"n{i}", f"n{j}", relation="part_of"))
    if loops:
        for _ in range(draw(st.integers(0, 2))):
            pair = st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)
            i, j = sorted(draw(pair))
            if (f"n{j}", f"n{i}", "leads_to") not in {lk.key for lk in model.links}:
                model.add(Link(f"n{j}", f"n{i}", feedback=True))
    return model


def reference_graph(model: ChangeModel) -> nx.DiGraph[str]:
    """Built from the links directly: every causal link (feedback too), each
    moderation from the context, and one hidden common cause per part-of link."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(e.id for e in model.elements if e.kind is not Kind.ASSUMPTION)
    for k, link in enumerate(model.links):
        if link.relation == "part_of":
            graph.add_edges_from([(f"hidden{k}", link.source), (f"hidden{k}", link.target)])
        else:
            graph.add_edge(link.source, link.target)
    return graph


def separates(graph: nx.DiGraph[str], x: str, y: str, z: Collection[str]) -> bool:
    if nx.is_directed_acyclic_graph(graph):
        return nx.is_d_separator(graph, {x}, {y}, set(z))
    keep = {x, y, *z}
    for v in list(keep):
        keep |= nx.ancestors(graph, v)
    moral = nx.moral_graph(graph.subgraph(keep))
    moral.remove_nodes_from(z)
    return not nx.has_path(moral, x, y)


def subsets(items: list[str]) -> list[tuple[str, ...]]:
    return [c for r in range(len(items) + 1) for c in itertools.combinations(items, r)]


def check_against_reference(model: ChangeModel, measured: list[str]) -> None:
    graph = reference_graph(model)
    found = implications(model, measured=measured)
    by_pair = {frozenset((i.x, i.y)): i for i in found}
    assert len(by_pair) == len(found), "one statement per pair"
    order = causal_view(model).order
    for x, y in itertools.combinations(measured, 2):
        adjacent = graph.has_edge(x, y) or graph.has_edge(y, x)
        others = [v for v in measured if v not in (x, y)]
        separable = not adjacent and any(separates(graph, x, y, z) for z in subsets(others))
        statement = by_pair.get(frozenset((x, y)))
        assert (statement is not None) == separable, (x, y, statement)
        if statement is None:
            continue
        assert order.index(statement.x) > order.index(statement.y)
        assert set(statement.given) <= set(others)
        assert separates(graph, x, y, statement.given)
        if set(statement.given) != set(graph.predecessors(statement.x)):
            smaller = subsets(list(statement.given))[:-1]
            assert not any(separates(graph, x, y, z) for z in smaller), statement


@settings(max_examples=250, deadline=None)
@given(models(loops=False))
def test_on_acyclic_models_with_every_element_measured_the_basis_is_the_local_markov_one(
    model: ChangeModel,
) -> None:
    graph = reference_graph(model)
    for item in implications(model):
        parents = set(graph.predecessors(item.x))
        if not any(p.startswith("hidden") for p in parents):
            assert set(item.given) == parents
    check_against_reference(model, list(causal_view(model).order))


@settings(max_examples=300, deadline=None)
@given(models(), st.data())
def test_statements_equal_the_brute_force_reference(
    model: ChangeModel, data: st.DataObject
) -> None:
    variables = list(causal_view(model).order)
    measured = data.draw(st.lists(st.sampled_from(variables), unique=True))
    check_against_reference(model, sorted(measured))


def test_the_reference_sees_a_mistake(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property above fails when feedback links are left out of the graph."""
    m = ChangeModel("Loop")
    m.mechanism("a", "A")
    m.mechanism("b", "B")
    m.mechanism("c", "C")
    m.link("a", "b")
    m.link("b", "c")
    m.link("c", "a", feedback=True)
    m.mechanism("d", "D")
    m.link("d", "b")
    check_against_reference(m, ["a", "b", "c", "d"])
    graph = implication_graph(m)
    monkeypatch.setattr(graph, "parents", {**graph.parents, "a": ()})
    monkeypatch.setattr(graph, "children", {**graph.children, "c": ()})
    wrong = implications(graph)
    with pytest.raises(AssertionError):
        assert {str(i) for i in wrong} == {str(i) for i in implications(m)}


def test_the_peer_worker_implications() -> None:
    m = peer_worker()
    found = implications(m)
    assert "wellbeing _||_ peer_support | hope_empowerment" in {str(i) for i in found}
    # contexts are variables; an assumption is not
    assert "team_acceptance _||_ distinct_role" in {str(i) for i in found}
    assert not any("lived_experience_shared" in (i.x, i.y, *i.given) for i in found)
    # without data on the mechanisms, only what measured elements can separate
    measured = [*indicated(m), "peer_support"]
    assert measured[:3] == ["hope_empowerment", "service_engagement", "wellbeing"]
    some = {str(i) for i in implications(m, measured=measured)}
    assert some == {
        "wellbeing _||_ peer_support | hope_empowerment",
        "wellbeing _||_ service_engagement | hope_empowerment",
    }


def test_part_of_is_never_independent_and_feedback_changes_the_separator() -> None:
    m = ChangeModel("Parts")
    m.activity("whole", "Whole")
    m.activity("part", "Part")
    m.mechanism("m", "M")
    m.link("part", "whole", "part_of")
    m.link("whole", "m")
    # a part and its whole are never independent; the whole separates the part from m
    assert [str(i) for i in implications(m)] == ["m _||_ part | whole"]
    m.mechanism("m2", "M2")
    m.link("m", "m2")
    assert "m2 _||_ part | m" in {str(i) for i in implications(m)}
    loop = ChangeModel("Loop")
    for v in "abcd":
        loop.mechanism(v, v.upper())
    loop.chain("a", "b", "c", "d")
    assert {str(i) for i in implications(loop)} >= {"d _||_ a | c", "c _||_ a | b"}
    loop.link("d", "b", feedback=True)
    # b is now a collider between a and d on the loop, and an ancestor of c:
    # holding b or c fixed opens a -> b <- d, so nothing separates a and d,
    # and c needs d beside its parent b to be separated from a
    assert {str(i) for i in implications(loop)} == {"c _||_ a | b, d"}


def test_unknown_and_assumption_ids_are_refused() -> None:
    m = peer_worker()
    with pytest.raises(UnknownIdError, match="wellbeeing") as info:
        implications(m, measured=["wellbeeing"])
    assert info.value.suggestion == "wellbeing"
    with pytest.raises(UnknownIdError, match="is an assumption: assumptions are not variables"):
        implications(m, measured=["lived_experience_shared"])


def test_formats() -> None:
    m = peer_worker()
    found = implications(m, measured=[*indicated(m), "peer_support"])
    text = format_implications(found, "text", unmeasured=["engagement"])
    assert text.splitlines()[-1] == "treated as unmeasured: engagement"
    data = json.loads(format_implications(found, "json"))
    assert data["count"] == 2
    assert data["independencies"][0] == {
        "x": "wellbeing",
        "y": "peer_support",
        "given": ["hope_empowerment"],
    }
    assert set(data["treatment"]) == {
        "contexts",
        "feedback",
        "part_of",
        "assumptions",
        "unmeasured",
    }
    labels = {e.id: e.label for e in m.elements}
    md = format_implications(found, "markdown", labels=labels)
    assert md.splitlines()[0] == "| Independent | Of | Given |"
    assert "Mental well-being (wellbeing)" in md
    csv = format_implications(found, "csv")
    assert csv.splitlines()[1] == "wellbeing,peer_support,hope_empowerment"
    assert "no testable implications" in format_implications([], "text")
    with pytest.raises(InvalidValueError, match="unknown format"):
        format_implications(found, "yaml")


def test_statements_come_lazily_in_the_order_of_the_full_list() -> None:
    model = layered_model(60, seed=3)
    first = list(itertools.islice(iter_implications(model), 10))
    assert first == implications(model)[:10]
