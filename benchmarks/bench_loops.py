"""Benchmark of the feedback loops on the generated systems map.

Run from the repository root::

    python benchmarks/bench_loops.py                 # 1K and 10K elements
    python benchmarks/bench_loops.py --sizes 10000 --repeat 3

For each size it times counting the loops (no listing), listing the first 1
and the first 100 loops, and the same listing by networkx's ``simple_cycles``.
Each time is also given as a ratio to a *floor* measured in the same run on
the same model: building the causal graph in plain networkx and finding its
strongly connected components, the least any loop search has to do. Ratios
travel between machines; milliseconds do not.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from changemodel import ChangeModel
from changemodel.analysis.loops import count_loops, find_loops
from changemodel.testing.generate import systems_map


def median_time(call: Callable[[], Any], repeat: int) -> float:
    """Median wall time of *call* in seconds (after one warm-up call)."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(model: ChangeModel) -> Callable[[], object]:
    edges = [(lk.source, lk.target) for lk in model.links if lk.is_causal]

    def build_and_split() -> object:
        graph: nx.DiGraph[str] = nx.DiGraph(edges)
        return list(nx.strongly_connected_components(graph))

    return build_and_split


def networkx_cycles(model: ChangeModel, n: int) -> Callable[[], object]:
    edges = [(lk.source, lk.target) for lk in model.links if lk.is_causal]

    def first() -> object:
        return list(itertools.islice(nx.simple_cycles(nx.DiGraph(edges)), n))

    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| elements | links | operation | ms | x floor |")
    print("|---:|---:|---|---:|---:|")
    for size in args.sizes:
        model = systems_map(size)
        base = median_time(floor(model), args.repeat)
        count = count_loops(model)
        print(
            f"| {len(model)} | {len(model.links)} | floor: networkx graph + SCCs |"
            f" {base * 1000:.1f} | 1.0 |"
        )
        rows: list[tuple[str, Callable[[], object]]] = [
            ("count_loops", lambda m=model: count_loops(m)),
            ("first loop", lambda m=model: find_loops(m, limit=1)),
            ("first 100 loops", lambda m=model: find_loops(m, limit=100)),
            ("networkx simple_cycles, first 100", networkx_cycles(model, 100)),
        ]
        for name, call in rows:
            seconds = median_time(call, args.repeat)
            print(
                f"| {len(model)} | {len(model.links)} | {name} |"
                f" {seconds * 1000:.1f} | {seconds / base:.1f} |"
            )
        print(f"\n{size} elements: {count}\n")


if __name__ == "__main__":
    main()
