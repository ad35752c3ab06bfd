"""Validation time of the default profile, as a ratio to a floor measured in the same run.

The floor is what any graph check has to pay at least: building the same graph in
plain networkx (nodes and causal links) and sorting it topologically. The target is
a ratio of at most 3 at 10,000 elements, and validation time growing linearly with
the size of the model (a steady time per element).

Run from the repository root::

    python benchmarks/bench_validation.py            # 1K, 10K and 100K elements
    python benchmarks/bench_validation.py 1000 5000  # other sizes
    python benchmarks/bench_validation.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable

import networkx as nx

from changemodel.testing.generate import layered_model
from changemodel.validation import validate

TARGET_RATIO = 3.0
TARGET_AT = 10_000
#: the ratio may grow by at most this factor from the smallest to the largest size: the
#: floor grows linearly, so a steady ratio means validation does too
GROWTH_TOLERANCE = 2.0


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of *repeat* timed runs (garbage collection off while timing)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def floor(nodes: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """Build the graph in plain networkx and sort it topologically."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return list(nx.topological_sort(graph))


def measure(n: int) -> tuple[int, int, float, float, int]:
    """Elements, links, floor time, validation time and findings for a model of *n*."""
    model = layered_model(n, seed=0)
    nodes = [e.id for e in model.elements]
    edges = [(lk.source, lk.target) for lk in model.links if lk.is_causal]
    repeat = 21 if n <= 2_000 else 7 if n <= 20_000 else 3
    findings = len(validate(model))
    base = best_of(repeat, lambda: floor(nodes, edges))
    took = best_of(repeat, lambda: validate(model))
    return len(model), len(model.links), base, took, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    print(
        f"{'elements':>9} {'links':>8} {'networkx+topo':>14} {'validate':>10} {'ratio':>6}"
        f" {'us/element':>11} {'findings':>9}"
    )
    rows = []
    for n in args.sizes:
        size, links, base, took, findings = measure(n)
        ratio = took / base
        rows.append((size, ratio))
        print(
            f"{size:>9} {links:>8} {base:>13.4f}s {took:>9.4f}s {ratio:>6.2f}"
            f" {took / size * 1e6:>11.2f} {findings:>9}"
        )
    ok = True
    for size, ratio in rows:
        if size == TARGET_AT and ratio > TARGET_RATIO:
            print(f"ratio {ratio:.2f} at {size} elements is above the target {TARGET_RATIO}")
            ok = False
    if len(rows) > 1:
        growth = rows[-1][1] / rows[0][1]
        print(
            f"ratio at {rows[-1][0]} elements over ratio at {rows[0][0]}: {growth:.2f}"
            " (near 1 or below when validation grows linearly, like the floor)"
        )
        if growth > GROWTH_TOLERANCE:
            print(f"growth {growth:.2f} is above the tolerance {GROWTH_TOLERANCE}")
            ok = False
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
