"""Benchmark of the testable implications and of the local tests against data.

Run from the repository root::

    python benchmarks/bench_local_tests.py             # default: 5 repeats
    python benchmarks/bench_local_tests.py --repeat 3

The model is the dense benchmark model of ``bench_analysis.py``: a layered
logic model of 128 variables and 12 assumptions, 140 elements and 514 links.

- *implications*: every statement of the basis with every variable measured,
  and with 50 of them measured (the others unmeasured: each statement then
  needs a separator made of measured elements). Target: under a second. The
  floor is one plain pass over the links.
- *local tests*: 10,000 rows simulated from a linear model on the same graph,
  50 columns mapped to elements, every implication they can test tested and
  every signed link between two of them checked, from the cells as a CSV file
  gives them (text). Target: under 5 seconds. The floor is numpy computing
  the full correlation matrix of the same 10,000 x 50 numbers.

Times are the best of ``--repeat`` runs; ratios travel between machines,
seconds do not.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analysis import with_assumptions

from changemodel.analysis.implications import implication_graph, implications
from changemodel.analysis.local_tests import local_tests
from changemodel.testing.generate import layered_model

ROWS = 10_000
COLUMNS = 50


def best(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    args = parser.parse_args()
    model = with_assumptions(layered_model(128, seed=1, fan_out=8), count=12, links=15)
    graph = implication_graph(model)
    rng = np.random.default_rng(1)
    measured = sorted(rng.choice(graph.order, COLUMNS, replace=False).tolist())
    print(
        f"Benchmark model: {len(model)} elements, {len(model.links)} links,"
        f" {len(graph.order)} variables"
    )

    links = model.links

    def floor() -> None:
        adjacency: dict[str, list[str]] = {}
        for link in links:
            adjacency.setdefault(link.source, []).append(link.target)

    base = best(floor, args.repeat * 10)
    every = best(lambda: implications(model), args.repeat)
    some = best(lambda: implications(model, measured=measured), args.repeat)
    n_every, n_some = len(implications(model)), len(implications(model, measured=measured))
    print(f"{'operation':<58}{'seconds':>9}{'x floor':>10}  target")
    print(f"{'floor: one pass over the links':<58}{base:>9.5f}{1:>10.0f}")
    for name, t in (
        (f"implications, every variable measured ({n_every} statements)", every),
        (f"implications, {COLUMNS} variables measured ({n_some} statements)", some),
    ):
        verdict = "met" if t < 1 else "MISSED"
        print(f"{name:<58}{t:>9.3f}{t / base:>10.0f}  1 s: {verdict}")

    # 10,000 rows from a linear model on the graph, as CSV cells
    values: dict[str, np.ndarray] = {}
    for v in graph.order:
        x = rng.standard_normal(ROWS)
        for p in graph.parents[v]:
            if p in values:
                x += rng.uniform(0.2, 0.5) * values[p]
        values[v] = (x - x.mean()) / x.std()
    matrix = np.column_stack([values[v] for v in measured])
    cells = {v: [f"{x:.6g}" for x in values[v]] for v in measured}
    floor_corr = best(lambda: np.corrcoef(matrix, rowvar=False), args.repeat * 10)
    run = best(lambda: local_tests(model, cells), args.repeat)
    report = local_tests(model, cells)
    tested = sum(t.p is not None for t in report.tests)
    print()
    print(f"Local tests: {ROWS:,} rows, {COLUMNS} mapped columns, {tested} tests")
    print(f"{'operation':<58}{'seconds':>9}{'x floor':>10}  target")
    print(f"{'floor: numpy corrcoef of the 10,000 x 50 matrix':<58}{floor_corr:>9.4f}{1:>10.0f}")
    verdict = "met" if run < 5 else "MISSED"
    name = "local_tests from the CSV cells"
    print(f"{name:<58}{run:>9.3f}{run / floor_corr:>10.0f}  5 s: {verdict}")


if __name__ == "__main__":
    main()
