"""Every analysis on the generated models the benchmarks use (layered models and
systems maps with marked feedback loops), checked against independent references."""

from __future__ import annotations

import random
from collections.abc import Callable

import networkx as nx
import pytest

from changemodel import ChangeModel, Kind
from changemodel.analysis import (
    apply,
    causal_view,
    configurations,
    count_pathways,
    diff,
    explain,
    instantiate,
    merge,
)
from changemodel.analysis.compose import provenance
from changemodel.testing.generate import layered_model, systems_map
from tests.analysis._support import causal_digraph


@pytest.mark.parametrize("make", [layered_model, systems_map])
def test_explain_matches_networkx_ancestors(make: Callable[..., ChangeModel]) -> None:
    model = make(120, seed=7)
    graph = causal_digraph(model)
    for outcome in model.elements_of(Kind.DOWNSTREAM_OUTCOME)[:5]:
        e = explain(model, outcome.id)
        assert {x.id for x in e.upstream} == nx.ancestors(graph, outcome.id)


def test_configurations_pair_each_mechanism_with_its_nearest_outcomes() -> None:
    model = systems_map(150, seed=2)
    graph = causal_digraph(model)
    found = configurations(model)
    assert found
    for c in found:
        assert c.derived
        ((mechanism,), (outcome,)) = c.mechanisms, c.outcomes
        assert mechanism.kind is Kind.MECHANISM and outcome.kind.is_outcome
        assert nx.has_path(graph, mechanism.id, outcome.id)
        assert all(nx.has_path(graph, a.id, mechanism.id) for a in c.intervention)


def test_d_separation_agrees_with_networkx_on_a_layered_model() -> None:
    view = causal_view(layered_model(200, seed=1))
    graph = view.to_networkx()
    rng = random.Random(0)
    nodes = list(view.order)
    for _ in range(60):
        x, y, *z = rng.sample(nodes, 2 + rng.randint(0, 8))
        assert view.d_separated(x, y, z) == nx.is_d_separator(graph, {x}, {y}, set(z))


def test_two_instances_of_a_generated_sub_theory_double_its_pathways() -> None:
    module = layered_model(40, seed=3)
    outcome = module.elements_of(Kind.DOWNSTREAM_OUTCOME)[0].id
    once = count_pathways(module, None, outcome)
    both = instantiate(instantiate(module, module, "a"), module, "b")
    assert len(both) == 3 * len(module)
    for ns in ("a", "b"):
        starts = [e.id for e in both.elements_of(Kind.ACTIVITY) if e.id.startswith(f"{ns}.")]
        assert count_pathways(both, starts, f"{ns}.{outcome}") == once
    assert {p for ps in provenance(both).values() for p in ps} == {"a", "b"}


def test_diff_apply_and_merge_on_generated_models() -> None:
    old, new = layered_model(100, seed=0), layered_model(100, seed=1)
    assert apply(diff(old, new), old) == new
    assert diff(old, layered_model(100, seed=0)).is_empty
    a = instantiate(old, old, "x")
    b = instantiate(old, old, "y")
    assert merge(a, b) == merge(b, a)
    assert len(merge(a, b)) == 3 * len(old)
