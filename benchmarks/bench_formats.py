"""Benchmark of the diagram formats: rendering against bare Graphviz, and DOT export
on a large model against building the graph in plain networkx.

Run from the repository root::

    python benchmarks/bench_formats.py                 # default: 15 repeats
    python benchmarks/bench_formats.py --repeat 3 --size 2000

Two tables, both as ratios to a floor measured in the same run (ratios travel
between machines; milliseconds do not):

1. ``render``: drawing an SVG. The floor is bare ``dot -Tsvg`` run on the same
   DOT text through ``subprocess``. ``render_dot`` is our wrapper around that
   call; ``render`` also builds the DOT from the model. Target: overhead under
   20% (ratio under 1.20) for both.
2. DOT export of a generated MRC logic model (10K elements by default). The floor
   is building a networkx ``DiGraph`` with the same nodes and edges and one
   attribute each, the least a graph export has to do. ``to_pydot`` builds the
   pydot graph (layout, escaping, styles); ``to_dot`` also prints it, most of
   which is pydot quoting attribute values.
3. What the loss reports cost an export, on the same model, for DOT and Mermaid.
   The floor is the text alone (``to_dot``, ``to_mermaid``); ``export -q`` is what
   the command line does when told not to print the losses (the text, and the
   losses left uncomputed: target ratio 1.0, it pays nothing for them); ``export``
   prints them too.
4. Importers: dagitty and Kumu read 8,000 names that all make the same id, and
   a dagitty arrow fanning out to 8,000 variables, against 8,000 distinct names.
   Linear importers keep the ratios near 1.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from changemodel import ChangeModel, load  # noqa: E402
from changemodel.formats.dot import to_dot, to_pydot  # noqa: E402
from changemodel.formats.render import find_dot, render, render_dot  # noqa: E402
from changemodel.testing.generate import layered_model  # noqa: E402

TARGET_OVERHEAD = 0.20


def median_time(call: Callable[[], object], repeat: int) -> float:
    """Median wall time of *call* in seconds, after one warm-up call."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_dot(program: str, dot: str) -> bytes:
    return subprocess.run(
        [program, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=True
    ).stdout


def networkx_floor(model: ChangeModel) -> nx.DiGraph[str]:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for e in model.elements:
        graph.add_node(e.id, label=e.label)
    for lk in model.links:
        graph.add_edge(lk.source, lk.target, relation=lk.relation)
    return graph


def interleaved(calls: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median wall time of each call, timing them in turn in every round so that a
    busy machine slows all of them alike."""
    for call in calls:
        call()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def bench_render(repeat: int) -> list[tuple[str, float, float]]:
    program = find_dot()
    rows = []
    for name, model in (
        ("peer worker example", load(ROOT / "examples" / "peer_worker" / "model.yaml")),
        ("layered model, 150 elements", layered_model(150, seed=1)),
    ):
        dot = to_dot(model)
        floor, wrapped, full = interleaved(
            [
                lambda d=dot: bare_dot(program, d),  # type: ignore[misc]
                lambda d=dot: render_dot(d, "svg"),  # type: ignore[misc]
                lambda m=model: render(m, "svg"),  # type: ignore[misc]
            ],
            repeat,
        )
        rows.append((f"{name}: bare dot -Tsvg (floor)", floor, 1.0))
        rows.append((f"{name}: render_dot(dot)", wrapped, wrapped / floor))
        rows.append((f"{name}: render(model)", full, full / floor))
    return rows


def bench_export(size: int, repeat: int) -> list[tuple[str, float, float]]:
    model = layered_model(size, seed=0, feedback=True)
    floor = median_time(lambda: networkx_floor(model), repeat)
    built = median_time(lambda: to_pydot(model), repeat)
    printed = median_time(lambda: to_dot(model), repeat)
    label = f"{len(model)} elements, {len(model.links)} links"
    return [
        (f"{label}: networkx DiGraph (floor)", floor, 1.0),
        (f"{label}: to_pydot(model)", built, built / floor),
        (f"{label}: to_dot(model)", printed, printed / floor),
    ]


def bench_losses(size: int, repeat: int) -> list[tuple[str, float, float]]:
    from changemodel.formats.mermaid import to_mermaid
    from changemodel.outputs.registry import export, export_deferred

    warnings.simplefilter("ignore")  # Mermaid's edge limit: a drawing concern, not timed
    model = layered_model(size, seed=0, feedback=True)
    label = f"{len(model)} elements"
    rows: list[tuple[str, float, float]] = []
    texts: dict[str, Callable[[], object]] = {
        "dot": lambda: to_dot(model),
        "mermaid": lambda: to_mermaid(model),
    }
    for fmt, text in texts.items():
        floor = median_time(text, repeat)
        quiet = median_time(lambda: export_deferred(model, fmt)[0], repeat)  # noqa: B023
        full = median_time(lambda: export(model, fmt), repeat)  # noqa: B023
        rows.append((f"{label}: to_{fmt} (floor)", floor, 1.0))
        rows.append((f"{label}: export -q --to {fmt}", quiet, quiet / floor))
        rows.append((f"{label}: export --to {fmt} (with losses)", full, full / floor))
    return rows


def bench_imports(count: int, repeat: int) -> list[tuple[str, float, float]]:
    """Importers on names that all make the same id, and on one arrow fanning out to
    every variable, against the same number of distinct names (the floor)."""
    import itertools

    from changemodel.formats.dagitty import from_dagitty
    from changemodel.formats.kumu import from_kumu

    marks = ["".join(p) for p in itertools.product("!?#$%&*+", repeat=5)][:count]
    distinct = " ".join(f"v{i}" for i in range(count))
    same = " ".join(f'"a{m}b"' for m in marks)
    fan = "a -> { " + distinct + " }"
    floor = median_time(lambda: from_dagitty(f"dag {{ {distinct} }}"), repeat)
    clash = median_time(lambda: from_dagitty(f"dag {{ {same} }}"), repeat)
    fanned = median_time(lambda: from_dagitty(f"dag {{ {fan} }}"), repeat)
    kumu_floor = median_time(
        lambda: from_kumu(
            {"elements": [{"label": f"v{i}", "type": "activity"} for i in range(count)]},
            title="t",
        ),
        repeat,
    )
    kumu_clash = median_time(
        lambda: from_kumu(
            {"elements": [{"label": f"a{m}b", "type": "activity"} for m in marks]}, title="t"
        ),
        repeat,
    )
    return [
        (f"dagitty, {count} distinct names (floor)", floor, 1.0),
        (f"dagitty, {count} names making one id", clash, clash / floor),
        (f"dagitty, one arrow to {count} names", fanned, fanned / floor),
        (f"kumu, {count} distinct labels (floor)", kumu_floor, 1.0),
        (f"kumu, {count} labels making one id", kumu_clash, kumu_clash / kumu_floor),
    ]


def table(title: str, rows: list[tuple[str, float, float]]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [title, f"{'':<{width}}  {'ms':>10}  {'ratio':>7}"]
    lines.extend(
        f"{name:<{width}}  {sec * 1000:>10.1f}  {ratio:>7.2f}" for name, sec, ratio in rows
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per measure")
    parser.add_argument("--size", type=int, default=10_000, help="elements in the export model")
    args = parser.parse_args(argv)
    render_rows = bench_render(args.repeat)
    print(
        table("render: SVG through Graphviz, against bare dot -Tsvg on the same DOT", render_rows)
    )
    worst = max(ratio for name, _, ratio in render_rows if "floor" not in name)
    verdict = "met" if worst - 1 < TARGET_OVERHEAD else "MISSED"
    print(
        f"largest overhead {100 * (worst - 1):+.1f}% (target < {100 * TARGET_OVERHEAD:.0f}%:"
        f" {verdict})\n"
    )
    print(
        table(
            "DOT export, against building the graph in plain networkx",
            bench_export(args.size, max(1, args.repeat // 2)),
        )
    )
    print()
    print(
        table(
            "Loss reports: what they add to an export, against the text alone",
            bench_losses(args.size, max(1, args.repeat // 2)),
        )
    )
    print()
    print(
        table(
            "Importers: ids made from names that clash, against distinct names"
            " (linear: ratios near 1)",
            bench_imports(8000, max(1, args.repeat // 5)),
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
