"""Benchmark of the analysis: pathways, explain and mediators on a dense logic model,
the realist outputs on many configurations, and d-separation against networkx.

Run from the repository root::

    python benchmarks/bench_analysis.py            # default: 30 repeats
    python benchmarks/bench_analysis.py --repeat 5 --budget 10  # quicker

Times are medians. Each is also given as a ratio to a *floor* measured in the
same run on the same graph: one plain pass over the links (or edges), the least
any linear algorithm has to do. Ratios travel between machines; milliseconds
do not. The target for the first table is 10 ms per call on a model of about
140 elements and 520 links.

The realist table times the configuration hypotheses, the plan's realist section
and the CMO listing with their confidence on a model with 250 and then 500
configurations: the ratio of the two times shows how the work grows (about 2
when it grows with the number of configurations, 4 when with its square). The
hypotheses and the plan state every contrast between two configurations that
share a mechanism, and there are more of those per configuration as
configurations are added: their ratio is above 2 by as much as the output grows.

networkx's ``is_d_separator`` re-queues a node each time it is reached before
being visited, so on DAGs with many parallel routes its work grows with the
number of paths; it runs in a child process that is stopped after
``--budget`` seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

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


def edge_floor(edges: tuple[tuple[str, str], ...]) -> None:
    adjacency: dict[str, list[str]] = {}
    for parent, child in edges:
        adjacency.setdefault(parent, []).append(child)


def with_assumptions(model: ChangeModel, *, count: int, links: int) -> ChangeModel:
    """*model* with *count* assumptions, each underpinning *links* random causal links."""
    rng = random.Random(1)
    causal = [lk for lk in model.links if lk.is_causal]
    for i in range(count):
        model.assumption(f"assumption_{i}", f"assumption {i}")
        for link in rng.sample(causal, links):
            model.underpin(link.source, link.target, f"assumption_{i}")
    return model


def dense_model_table(repeat: int) -> None:
    model = with_assumptions(layered_model(128, seed=1, fan_out=8), count=12, links=15)
    outcome = model.elements_of(Kind.DOWNSTREAM_OUTCOME)[-1].id
    activity = model.elements_of(Kind.ACTIVITY)[0].id
    pathways = count_pathways(model, None, outcome)
    print(
        f"Dense layered model: {len(model)} elements (12 of them assumptions, each under"
        f" 15 links), {len(model.links)} links; {pathways:,} pathways from the activities"
        f" to {outcome}"
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


def with_configurations(n: int, seed: int = 0) -> ChangeModel:
    """A layered model with *n* configurations over its mechanisms, outcomes and
    contexts (a tenth of them refuted, a tenth without an outcome)."""
    rng = random.Random(seed)
    model = layered_model(160, seed=seed, fan_out=4)
    mechanisms = [e.id for e in model.elements_of(Kind.MECHANISM)]
    outcomes = [e.id for e in model.elements if e.kind.is_outcome]
    contexts = [e.id for e in model.elements_of(Kind.CONTEXT)]
    activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]
    for i in range(n):
        model.configuration(
            f"C{i}",
            intervention=rng.sample(activities, 1),
            contexts=rng.sample(contexts, min(2, len(contexts))),
            mechanisms=rng.sample(mechanisms, 1),
            outcomes=[] if i % 10 == 9 else rng.sample(outcomes, 1),
            actors=["participant"],
            status="refuted" if i % 10 == 5 else "initial",
            link=False,
        )
    return model


def realist_table(repeat: int) -> None:
    from changemodel.analysis.cmo import configurations
    from changemodel.analysis.hypotheses import evaluation_hypotheses
    from changemodel.analysis.plan import realist_section

    small, large = with_configurations(250), with_configurations(500)
    print(
        f"Realist outputs: {len(large)} elements, {len(large.links)} links;"
        " 250 and then 500 configurations"
    )
    print(f"{'operation':<34}{'ms (250)':>10}{'ms (500)':>10}{'x floor':>9}{'500/250':>9}")
    for name, call in (
        ("configurations (with confidence)", lambda m: configurations(m, derived=False)),
        ("hypotheses by configuration", lambda m: evaluation_hypotheses(m, by="configuration")),
        ("plan: realist section", realist_section),
    ):
        base = median_time(lambda: floor(large), repeat)
        t_small = median_time(lambda call=call: call(small), repeat)  # type: ignore[misc]
        t_large = median_time(lambda call=call: call(large), repeat)  # type: ignore[misc]
        print(
            f"{name:<34}{t_small * 1e3:>10.2f}{t_large * 1e3:>10.2f}{t_large / base:>9.0f}"
            f"{t_large / t_small:>9.2f}"
        )
    print()


Query = tuple[set[str], set[str], set[str]]

# Times networkx in a child process, so a query that does not finish within the
# budget can be stopped; prints {"per_query": seconds, "results": [...]}.
_CHILD = """
import json, sys, time
import networkx as nx
job = json.load(sys.stdin)
graph = nx.DiGraph()
graph.add_nodes_from(job["nodes"])
graph.add_edges_from(job["edges"])
queries = [(set(x), set(y), set(z)) for x, y, z in job["queries"]]
start = time.perf_counter()
results = [nx.is_d_separator(graph, *q) for q in queries]
print(json.dumps({"per_query": (time.perf_counter() - start) / len(queries), "results": results}))
"""


def networkx_time(view: CausalView, batch: list[Query], budget: float) -> tuple[float | None, Any]:
    """Seconds per query for ``networkx.is_d_separator`` (one pass over the batch), and
    its answers; ``(None, None)`` when the batch does not finish within *budget* seconds."""
    job = {
        "nodes": list(view.order),
        "edges": [list(e) for e in view.edges],
        "queries": [[sorted(x), sorted(y), sorted(z)] for x, y, z in batch],
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=budget,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None, None
    out = json.loads(done.stdout)
    return out["per_query"], out["results"]


def markov_and_random_queries(view: CausalView, count: int, seed: int) -> list[Query]:
    """Local Markov statements (the ones a user tests against data) and random triples."""
    rng = random.Random(seed)
    nodes = list(view.order)
    out: list[Query] = []
    for i, ind in enumerate(view.implied_independencies()):
        if i % 53 == 0:
            out.append(({ind.x}, {ind.y}, set(ind.given)))
        if len(out) >= count // 2:
            break
    while len(out) < count:
        x, y, *z = rng.sample(nodes, 2 + rng.randint(0, 6))
        out.append(({x}, {y}, set(z)))
    return out


def sparse_deep_dag(n: int, seed: int = 0) -> CausalView:
    """A sparse DAG of *n* variables, two edges each to one of the next four: long
    chains with many parallel routes, as in a systems map laid out as a DAG."""
    rng = random.Random(seed)
    edges = []
    for i in range(n):
        later = range(i + 1, min(n, i + 5))
        edges += [(f"v{i}", f"v{j}") for j in rng.sample(later, min(2, len(later)))]
    return CausalView([f"v{i}" for i in range(n)], edges)


def deep_queries(view: CausalView) -> list[Query]:
    """From the last variable back to one a third of the way in, given every seventh
    variable in between (and with nothing given): the whole DAG is searched."""
    n = len(view.order)
    last, early = {view.order[-1]}, {view.order[n // 3]}
    between = {view.order[i] for i in range(n // 3 + 1, n - 1, 7)}
    return [(last, early, between), (last, early, set()), (early, last, between)]


def d_separation_row(family: str, view: CausalView, batch: list[Query], args: Any) -> None:
    ours_answers = [view.d_separated(*q) for q in batch]
    ours = median_time(lambda: [view.d_separated(*q) for q in batch], args.repeat) / len(batch)
    edges = view.edges
    base = median_time(lambda: edge_floor(edges), args.repeat)
    theirs, answers = networkx_time(view, batch, args.budget)
    if theirs is None:
        them, ratio, agree = f"> {args.budget:g} s", "-", "n/a (stopped)"
    else:
        them, ratio = f"{theirs * 1e3:.3f} ms", f"{theirs / ours:.0f}x"
        agree = str(answers == ours_answers)
    print(
        f"{family:<22}{len(view):>6}{len(edges):>7}{ours * 1e3:>10.3f}  {them:>14}"
        f"{ratio:>10}{ours / base:>14.1f}  {agree}"
    )


def d_separation_table(args: Any) -> None:
    print(
        "d-separation per query: ours (reachability) against networkx.is_d_separator,"
        f" which runs in a child process stopped after {args.budget:g} s"
    )
    print(
        f"{'DAG':<22}{'nodes':>6}{'edges':>7}{'ours ms':>10}  {'networkx':>14}{'speed-up':>10}"
        f"{'ours x floor':>14}  agree"
    )
    for n in (200, 400, 600):
        view = causal_view(layered_model(n, seed=0))
        d_separation_row("layered logic model", view, markov_and_random_queries(view, 40, n), args)
    for n in (200, 400, 600):
        view = sparse_deep_dag(n)
        d_separation_row("sparse deep DAG", view, deep_queries(view), args)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per measurement")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds networkx gets per batch of queries"
    )
    args = parser.parse_args()
    dense_model_table(args.repeat)
    realist_table(max(3, args.repeat // 10))
    d_separation_table(args)


if __name__ == "__main__":
    main()
