"""Benchmark of the analysis: pathways, explain and mediators on a dense logic model,
and d-separation against networkx.

Run from the repository root::

    python benchmarks/bench_analysis.py            # default: 30 repeats
    python benchmarks/bench_analysis.py --repeat 5 # quicker

Times are medians. Each is also given as a ratio to a *floor* measured in the
same run on the same model: one plain pass over the links that builds an
adjacency list, the least any linear algorithm has to do. Ratios travel
between machines; milliseconds do not. The target for the first table is
10 ms per call on a model of about 140 elements and 520 links.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from changemodel import ChangeModel, Kind
from changemodel.analysis.causal import CausalView, causal_view
from changemodel.analysis.explain import explain
from changemodel.analysis.mediation import assumption_load, mediators, single_points_of_failure
from changemodel.analysis.pathways import count_pathways, most_confident_pathway, pathway_elements
from changemodel.testing.generate import layered_model

TARGET_MS = 10.0


def median_time(call: Callable[[], Any], repeat: int) -> float:
    """Median wall time of *call* in seconds."""
    call()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(model: ChangeModel) -> None:
    adjacency: dict[str, list[str]] = {}
    for link in model.links:
        adjacency.setdefault(link.source, []).append(link.target)


def dense_model_table(repeat: int) -> None:
    model = layered_model(140, seed=3, fan_out=7)
    outcome = model.elements_of(Kind.DOWNSTREAM_OUTCOME)[-1].id
    activity = model.elements_of(Kind.ACTIVITY)[0].id
    pathways = count_pathways(model, None, outcome)
    print(
        f"Dense layered model: {len(model)} elements, {len(model.links)} links;"
        f" {pathways:,} pathways from the activities to {outcome}"
    )
    base = median_time(lambda: floor(model), repeat)
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("count_pathways (every activity)", lambda: count_pathways(model, None, outcome)),
        ("pathway_elements", lambda: pathway_elements(model, None, outcome)),
        ("most_confident_pathway", lambda: most_confident_pathway(model, activity, outcome)),
        ("explain", lambda: explain(model, outcome)),
        ("mediators", lambda: mediators(model, None, outcome)),
        ("single_points_of_failure", lambda: single_points_of_failure(model, outcome)),
        ("assumption_load", lambda: assumption_load(model, outcome)),
    ]
    print(f"{'operation':<34}{'ms':>9}{'x floor':>10}  target {TARGET_MS:g} ms")
    print(f"{'floor: one pass over the links':<34}{base * 1e3:>9.3f}{1:>10.0f}")
    for name, call in cases:
        t = median_time(call, repeat)
        verdict = "met" if t * 1e3 < TARGET_MS else "MISSED"
        print(f"{name:<34}{t * 1e3:>9.3f}{t / base:>10.0f}  {verdict}")
    print()


def queries(view: CausalView, count: int, seed: int) -> list[tuple[set[str], set[str], set[str]]]:
    """Local Markov statements (the ones a user tests) and random triples."""
    rng = random.Random(seed)
    nodes = list(view.order)
    out = []
    for i, ind in enumerate(view.implied_independencies()):
        if i % 53 == 0:
            out.append(({ind.x}, {ind.y}, set(ind.given)))
        if len(out) >= count // 2:
            break
    while len(out) < count:
        x, y, *z = rng.sample(nodes, 2 + rng.randint(0, 6))
        out.append(({x}, {y}, set(z)))
    return out


def d_separation_row(n: int, repeat: int) -> None:
    model = layered_model(n, seed=0)
    view = causal_view(model)
    graph = view.to_networkx()
    batch = queries(view, 40, seed=n)
    agree = all(view.d_separated(*q) == nx.is_d_separator(graph, *q) for q in batch)
    ours = median_time(lambda: [view.d_separated(*q) for q in batch], repeat) / len(batch)
    theirs = median_time(
        lambda: [nx.is_d_separator(graph, *q) for q in batch], max(3, repeat // 5)
    ) / len(batch)
    base = median_time(lambda: floor(model), repeat)
    print(
        f"{n:>8}{graph.number_of_edges():>7}{ours * 1e3:>10.3f}{theirs * 1e3:>13.3f}"
        f"{theirs / ours:>9.1f}x{ours / base:>14.1f}  {agree}"
    )


def d_separation_table(repeat: int) -> None:
    print("d-separation, per query (median of the mean over a batch of 40 queries)")
    print(
        f"{'elements':>8}{'edges':>7}{'ours ms':>10}{'networkx ms':>13}{'speed-up':>10}"
        f"{'ours x floor':>14}  agree"
    )
    for n in (200, 400, 600):
        d_separation_row(n, repeat)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per measurement")
    args = parser.parse_args()
    dense_model_table(args.repeat)
    d_separation_table(args.repeat)


if __name__ == "__main__":
    main()
