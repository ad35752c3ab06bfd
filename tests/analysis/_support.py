"""Shared by the analysis tests: the worked example and small generated DAG models."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from hypothesis import strategies as st

from changemodel import ChangeModel, Kind, Link, load
from changemodel.domain import element_class

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "peer_worker" / "model.yaml"

_CHAIN = [k for k in Kind if k.stage is not None]


def peer_worker() -> ChangeModel:
    return load(EXAMPLE)


def peer_worker_graph() -> ChangeModel:
    """The worked example without its stored configurations: only the graph."""
    model = load(EXAMPLE)
    for config in model.configurations:
        model.remove_configuration(config.id, cascade=True)
    return model


@st.composite
def dag_models(
    draw: st.DrawFn, *, max_nodes: int = 8, density: float = 0.4, feedback: bool = True
) -> ChangeModel:
    """Small models whose causal links form a random DAG (node ``n<i>`` may only lead
    to ``n<j>`` with ``j > i``), with random kinds, signs, confidences and
    assumptions, plus a few marked feedback links that every analysis must ignore."""
    n = draw(st.integers(1, max_nodes))
    model = ChangeModel("Generated DAG")
    for i in range(n):
        kind = draw(st.sampled_from(_CHAIN))
        model.add(element_class(kind)(f"n{i}", f"Element {i}"))
    assumptions = ["a0", "a1"]
    for a in assumptions:
        model.add(element_class(Kind.ASSUMPTION)(a, f"Assumption {a}"))
    for i in range(n):
        for j in range(i + 1, n):
            if draw(st.floats(0, 1)) < density:
                model.add(
                    Link(
                        f"n{i}",
                        f"n{j}",
                        sign=draw(st.sampled_from(["increases", "reduces"])),
                        confidence=draw(st.none() | st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0])),
                        assumptions=draw(st.lists(st.sampled_from(assumptions), unique=True)),
                    )
                )
    if feedback and n > 1:
        for _ in range(draw(st.integers(0, 2))):
            j = draw(st.integers(1, n - 1))
            i = draw(st.integers(0, j - 1))
            if (f"n{j}", f"n{i}", "leads_to") not in {lk.key for lk in model.links}:
                model.add(Link(f"n{j}", f"n{i}", feedback=True))
    return model


def causal_digraph(model: ChangeModel) -> nx.DiGraph[str]:
    """The causal links without feedback, as networkx sees them (the reference)."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(e.id for e in model.elements)
    graph.add_edges_from(
        (lk.source, lk.target) for lk in model.links if lk.is_causal and not lk.feedback
    )
    return graph
