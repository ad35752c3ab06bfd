"""Benchmark of the graph index against networkx's own algorithms, and of pathway
counting against a plain networkx dynamic-programming count.

Run from the repository root::

    python benchmarks/bench_index.py                 # 1K and 10K elements, best of 5
    python benchmarks/bench_index.py --sizes 1000 --repeat 3

The index (:mod:`changemodel.index`) uses networkx's algorithms where networkx
has them, unless its own is at least 3x faster on these models (layered logic
models and systems maps with feedback loops, from
:mod:`changemodel.testing.generate`). Each row times one piece both ways, on the
causal links without feedback, and gives networkx's time divided by ours:

- *adjacency*: the index's lists from one pass over the links, against building
  the ``networkx.DiGraph`` that networkx's algorithms need;
- *causal order*: the index's Kahn's algorithm with a heap (ties broken by chain
  stage, then id), against ``lexicographical_topological_sort`` with the same key
  on the prebuilt ``DiGraph``; and with the graph to build counted, as the index
  would have to build it;
- *reachability*: one breadth-first search from every activity, against
  ``bfs_layers`` from the same set on the prebuilt ``DiGraph``, and with the graph
  to build counted;
- *loops*: strongly connected components. The index uses networkx's
  (``strongly_connected_components`` on the part Kahn's algorithm leaves), so both
  columns run networkx.

The last table is pathway counting: ``count_pathways`` from every activity to
the last outcome, with the model's index kept from an earlier call and with the
index built by the call, divided by a plain networkx count over the same DAG
(a ``DiGraph`` built beforehand: ``topological_sort``, then one pass adding each
element's count to its successors). The target is at most 1.5x.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from changemodel import ChangeModel, Kind
from changemodel.analysis.pathways import count_pathways
from changemodel.index import GraphIndex
from changemodel.testing.generate import layered_model, systems_map

#: networkx is used unless ours is at least this many times faster.
THRESHOLD = 3.0


def best(call: Callable[[], object], repeat: int) -> float:
    """The fastest of *repeat* runs, in seconds."""
    call()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def forward_digraph(model: ChangeModel) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(e.id for e in model.elements)
    graph.add_edges_from(
        (lk.source, lk.target) for lk in model.links if lk.is_causal and not lk.feedback
    )
    return graph


def fresh(model: ChangeModel) -> GraphIndex:
    return GraphIndex({e.id: e for e in model.elements}, model.links)


def stage_rank(model: ChangeModel) -> Callable[[str], tuple[int, str]]:
    stage = {e.id: (-1 if e.kind.stage is None else e.kind.stage) for e in model.elements}

    def rank(id: str) -> tuple[int, str]:
        return (stage[id], id)

    return rank


def networkx_count(graph: nx.DiGraph[str], sources: list[str], target: str) -> int:
    """The number of paths from *sources* to *target*: plain networkx dynamic programming."""
    counts = dict.fromkeys(graph, 0)
    for s in sources:
        counts[s] = 1
    for v in nx.topological_sort(graph):
        c = counts[v]
        if c:
            for w in graph.successors(v):
                counts[w] += c
    return counts[target]


def rows(model: ChangeModel, repeat: int) -> list[tuple[str, float, float]]:
    """(piece, ours in seconds, networkx in seconds)."""
    graph = forward_digraph(model)
    rank = stage_rank(model)
    activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]

    def ours_adjacency() -> object:
        return fresh(model).forward_out

    def timed_order() -> float:
        """The sort alone, on fresh indexes whose adjacency is already built."""
        times = []
        for _ in range(repeat):
            index = fresh(model)
            index.forward_out  # noqa: B018
            gc.collect()
            start = time.perf_counter()
            index.placed  # noqa: B018
            times.append(time.perf_counter() - start)
        return min(times)

    kept = fresh(model)
    kept.forward_out  # noqa: B018

    def nx_loops(g: nx.DiGraph[str]) -> object:
        return [c for c in nx.strongly_connected_components(g) if len(c) > 1]

    def ours_loops() -> object:
        index = fresh(model)
        return index.unmarked_cycles

    order_ours = timed_order()
    order_nx = best(lambda: list(nx.lexicographical_topological_sort(graph, key=rank)), repeat)
    build_ours = best(ours_adjacency, repeat)
    build_nx = best(lambda: forward_digraph(model), repeat)
    reach_ours = best(lambda: kept.reachable(activities), repeat)
    reach_nx = best(lambda: set().union(*nx.bfs_layers(graph, activities)), repeat)
    return [
        ("adjacency (one pass over the links)", build_ours, build_nx),
        ("causal order, graph prebuilt", order_ours, order_nx),
        ("causal order, graph built", build_ours + order_ours, build_nx + order_nx),
        ("reachability from the activities, graph prebuilt", reach_ours, reach_nx),
        ("reachability, graph built", build_ours + reach_ours, build_nx + reach_nx),
        (
            "loops (both networkx), graph built",
            best(ours_loops, repeat),
            best(lambda: nx_loops(forward_digraph(model)), repeat),
        ),
    ]


def counting(model: ChangeModel, repeat: int) -> tuple[float, float, float]:
    """(kept index, index built by the call, networkx count) in seconds."""
    graph = forward_digraph(model)
    activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]
    outcome = model.elements_of(Kind.DOWNSTREAM_OUTCOME)[-1].id
    expected = networkx_count(graph, activities, outcome)
    assert count_pathways(model, None, outcome) == expected

    link = model.links[0]

    def cold() -> object:
        model.replace(link)  # a change: the index is built again by the count
        return count_pathways(model, None, outcome)

    kept = best(lambda: count_pathways(model, None, outcome), repeat)
    built = best(cold, repeat)
    floor = best(lambda: networkx_count(graph, activities, outcome), repeat)
    return kept, built, floor


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    makers: dict[str, Callable[[int], ChangeModel]] = {
        "layered": layered_model,
        "systems": systems_map,
    }
    print("| model | elements | piece | ours ms | networkx ms | networkx / ours |")
    print("|---|---:|---|---:|---:|---:|")
    for name, make in makers.items():
        for n in args.sizes:
            model = make(n)
            for piece, ours, theirs in rows(model, args.repeat):
                results[f"{name} {n} {piece}"] = theirs / ours
                print(
                    f"| {name} | {n} | {piece} | {ours * 1e3:.2f} | {theirs * 1e3:.2f} |"
                    f" {theirs / ours:.1f} |",
                    flush=True,
                )
    print(f"\nOurs is kept where networkx / ours is at least {THRESHOLD:g} with the graph built.")
    print("\n| model | elements | count, index kept | x networkx | index built | x networkx |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, make in makers.items():
        for n in args.sizes:
            model = make(n)
            kept, built, floor = counting(model, args.repeat)
            results[f"{name} {n} count kept"] = kept / floor
            print(
                f"| {name} | {n} | {kept * 1e3:.2f} ms | {kept / floor:.2f} |"
                f" {built * 1e3:.2f} ms | {built / floor:.2f} |",
                flush=True,
            )
    return results


if __name__ == "__main__":
    main()
