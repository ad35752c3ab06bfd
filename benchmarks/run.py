"""The benchmark table: changemodel's operations as ratios to floors measured in the
same run, on generated models of growing size.

    python benchmarks/run.py                 # 100 .. 100K elements (a few minutes)
    python benchmarks/run.py --max-size 10000 --repeat 3

Models: ``layered`` (an MRC logic model, links running forward) and ``systems``
(a systems map with marked feedback loops), from
:mod:`changemodel.testing.generate`. Floors:

- *graph floor*: building the same graph in plain networkx (a ``DiGraph`` with the
  same nodes, edges and one attribute each) and sorting it topologically;
- *start-up floor*: ``python -c "import networkx"``, against ``changemodel
  validate`` on the example, with and without the package's bytecode cache
  (``--startup`` measures only this).

For each operation the table gives seconds, the ratio to the graph floor of the
same model, and the growth exponent k between one size and the next (time ~ n^k;
1.0 is linear). Peak memory is traced while building and validating each model and
reported per 10K elements, and while loading a model file and validating it
(loading included, as ``changemodel validate`` does) per element.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin

import attrs
import networkx as nx
import yaml

from changemodel import ChangeModel, dumps, load, loads
from changemodel.analysis.diff import diff
from changemodel.analysis.pathways import count_pathways
from changemodel.domain import ELEMENT_CLASSES, PARTS, Element, Kind, file_key
from changemodel.formats.dot import to_dot
from changemodel.testing.generate import layered_model, systems_map
from changemodel.validation import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "peer_worker" / "model.yaml"


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of *repeat* runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def graph_floor(model: ChangeModel) -> Callable[[], object]:
    nodes = [(e.id, e.kind) for e in model.elements]
    edges = [(lk.source, lk.target, lk.sign) for lk in model.links if not lk.feedback]

    def build_and_sort() -> object:
        g: nx.DiGraph[str] = nx.DiGraph()
        for node, kind in nodes:
            g.add_node(node, kind=kind)
        for s, t, sign in edges:
            g.add_edge(s, t, sign=sign)
        return list(nx.topological_sort(g))

    return build_and_sort


def rebuild(model: ChangeModel) -> Callable[[], object]:
    elements, links = model.elements, model.links

    def build() -> object:
        return ChangeModel(model.title, elements=elements, links=links)

    return build


def edited(model: ChangeModel) -> ChangeModel:
    """A copy with about 1% of the elements relabelled, as a new theory version."""
    new = model.copy()
    for e in list(new.elements)[:: max(1, len(new) // 100)]:
        new.update(e.id, label=e.label + " (revised)")
    return new


def changed(model: ChangeModel, operation: Callable[[], object]) -> Callable[[], object]:
    """*operation* on a model just changed, so that it builds the graph index again
    (as validating or analysing a model just read does)."""
    link = model.links[0]

    def run() -> object:
        model.replace(link)
        return operation()

    return run


def operations(model: ChangeModel) -> dict[str, Callable[[], object]]:
    yaml_text = dumps(model)
    outcome = model.elements_of(Kind.DOWNSTREAM_OUTCOME)[-1].id
    new = edited(model)
    return {
        "build": rebuild(model),
        "load yaml": lambda: loads(yaml_text),
        "validate": changed(model, lambda: validate(model)),
        "export dot": lambda: to_dot(model),
        "diff": lambda: diff(model, new),
        "count paths": changed(model, lambda: count_pathways(model, None, outcome)),
        "count paths, index kept": lambda: count_pathways(model, None, outcome),
    }


def constructors(data: dict[str, Any]) -> Callable[[], object]:
    """Calling the domain classes on the values of a model file, nested objects
    first, with nothing else: the part of loading that stays while every object
    is made by its constructor, which runs its validators and converters."""
    calls: list[tuple[type, dict[str, Any], list[tuple[str, type, list[dict[str, Any]]]]]] = []
    for part in PARTS:
        for raw in data.get(part.key, ()):
            cls = part.cls
            if cls is Element:
                cls = ELEMENT_CLASSES[Kind(raw["kind"])]
            attrs.resolve_types(cls)
            kwargs: dict[str, Any] = {}
            nested: list[tuple[str, type, list[dict[str, Any]]]] = []
            for f in attrs.fields(cls):
                key = file_key(f)
                if key not in raw:
                    continue
                item = get_args(f.type)[0] if get_origin(f.type) is tuple else None
                if isinstance(item, type) and attrs.has(item):
                    nested.append((f.name, item, raw[key]))
                else:
                    kwargs[f.name] = raw[key]
            calls.append((cls, kwargs, nested))

    def construct() -> object:
        made = []
        for cls, kwargs, nested in calls:
            for name, item, values in nested:
                kwargs[name] = tuple(item(**v) for v in values)
            made.append(cls(**kwargs))
        return made

    return construct


def parser_floors(model: ChangeModel, repeat: int) -> list[tuple[str, float, float]]:
    """Loading a model file against parsing the same text with the parser alone:
    ``json.loads`` for JSON, PyYAML's ``yaml.load`` with LibYAML for YAML; and
    the domain constructors alone against ``json.loads``, the share of the JSON
    ratio that stays while each object is made by its constructor."""
    json_text = dumps(model, "json")
    yaml_text = dumps(model)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parse_json = best(lambda: json.loads(json_text), repeat)
    return [
        (
            "load JSON / json.loads",
            best(lambda: loads(json_text, "json"), repeat),
            parse_json,
        ),
        (
            "domain constructors alone / json.loads",
            best(constructors(json.loads(json_text)), repeat),
            parse_json,
        ),
        (
            "load YAML / yaml.load (CSafeLoader)",
            best(lambda: loads(yaml_text), repeat),
            best(lambda: yaml.load(yaml_text, Loader=loader), repeat),
        ),
    ]


def peak_memory_loading(model: ChangeModel, syntax: str) -> float:
    """Peak traced memory (KiB per element) while loading a model file and validating
    it, as ``changemodel validate`` does: what the interpreter and the imports hold
    before is not counted."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"model.{syntax}"
        path.write_text(dumps(model, syntax), encoding="utf-8")  # type: ignore[arg-type]
        gc.collect()
        tracemalloc.start()
        loaded = load(path)
        validate(loaded)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / 1024 / len(model)


def peak_memory(make: Callable[[], ChangeModel]) -> float:
    """Peak traced memory (MiB) while building and validating a model."""
    gc.collect()
    tracemalloc.start()
    model = make()
    validate(model)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def startup(repeat: int) -> dict[str, tuple[float, float, float]]:
    """Median seconds of ``python -c "import networkx"`` (the floor) and of
    ``changemodel validate`` on the example, and the median of their ratios run by
    run (the two run in turn, so that the ratio holds when the machine's speed
    drifts); with the package's bytecode cache and without one (a copy of the
    package with no ``__pycache__``, run with ``-B``, as on a first run or a
    read-only install; the dependencies keep theirs)."""

    def run(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
        start = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True, cwd=cwd, env=env)
        return time.perf_counter() - start

    def paired(
        floor: list[str], ours: list[str], env: dict[str, str], cwd: Path = ROOT
    ) -> tuple[float, float, float]:
        pairs = [(run(floor, env, cwd), run(ours, env, cwd)) for _ in range(repeat)]
        return (
            statistics.median(f for f, _ in pairs),
            statistics.median(o for _, o in pairs),
            statistics.median(o / f for f, o in pairs),
        )

    validate_args = ["-m", "changemodel", "validate", str(EXAMPLE)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, *validate_args], capture_output=True, cwd=ROOT, env=env)
    results = {
        "with bytecode cache": paired(
            [sys.executable, "-c", "import networkx"], [sys.executable, *validate_args], env
        )
    }
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(
            ROOT / "changemodel",
            Path(tmp) / "changemodel",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        # run from the copy, so that it comes first on sys.path
        results["without bytecode cache"] = paired(
            [sys.executable, "-B", "-c", "import networkx"],
            [sys.executable, "-B", *validate_args],
            env,
            Path(tmp),
        )
    return results


def exponent(t1: float, t2: float, n1: int, n2: int) -> float:
    return math.log(max(t2, 1e-9) / max(t1, 1e-9)) / math.log(n2 / n1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best of)")
    parser.add_argument(
        "--startup", action="store_true", help="only measure the start-up (median of --repeat)"
    )
    args = parser.parse_args()
    if args.startup:
        print_startup(max(5, args.repeat))
        return
    sizes = [n for n in (100, 1_000, 10_000, 100_000) if n <= args.max_size]

    print(f"# changemodel benchmarks on {platform.machine()}, {os.cpu_count()} cores,")
    print(f"# Python {platform.python_version()}, networkx {nx.__version__}\n")
    kinds: dict[str, Callable[[int], ChangeModel]] = {
        "layered": layered_model,
        "systems": systems_map,
    }
    header = "| model | elements | links | operation | seconds | x floor | growth k |"
    print(header)
    print("|---|---:|---:|---|---:|---:|---:|")
    memory: list[tuple[str, int, float]] = []
    loading: list[tuple[str, int, str, float]] = []
    parsing: list[tuple[str, int, str, float, float]] = []
    for name, make in kinds.items():
        previous: dict[str, tuple[int, float]] = {}
        for n in sizes:
            model = make(n)
            repeat = args.repeat if n < 100_000 else 1
            floor = best(graph_floor(model), repeat)
            rows = [("graph floor", floor)]
            for op, fn in operations(model).items():
                rows.append((op, best(fn, repeat)))
            for op, seconds in rows:
                k = ""
                if op in previous:
                    n0, t0 = previous[op]
                    k = f"{exponent(t0, seconds, n0, n):.2f}"
                previous[op] = (n, seconds)
                print(
                    f"| {name} | {n} | {len(model.links)} | {op} | {seconds:.4f} |"
                    f" {seconds / floor:.1f} | {k} |",
                    flush=True,
                )
            if n >= 1_000:
                for op, ours, alone in parser_floors(model, repeat):
                    parsing.append((name, n, op, ours, alone))
            if n >= 10_000:
                memory.append((name, n, peak_memory(lambda: make(n))))  # noqa: B023
                for syntax in ("yaml", "json"):
                    loading.append((name, n, syntax, peak_memory_loading(model, syntax)))
    print("\n| model | elements | load / parser alone | seconds | parser seconds | x parser |")
    print("|---|---:|---|---:|---:|---:|")
    for name, n, op, ours, alone in parsing:
        print(f"| {name} | {n} | {op} | {ours:.4f} | {alone:.4f} | {ours / alone:.2f} |")
    print("\n| model | elements | file | peak KiB per element (load + validate) |")
    print("|---|---:|---|---:|")
    for name, n, syntax, kib in loading:
        print(f"| {name} | {n} | {syntax} | {kib:.2f} |")
    print("\n| model | elements | peak MiB (build + validate) | MiB per 10K elements |")
    print("|---|---:|---:|---:|")
    for name, n, mib in memory:
        print(f"| {name} | {n} | {mib:.1f} | {mib / (n / 10_000):.1f} |")
    print_startup(max(5, args.repeat))


def print_startup(repeat: int) -> None:
    print(
        "\n| start-up | python -c 'import networkx' (floor) | changemodel validate"
        " | x floor (median of the paired ratios) |"
    )
    print("|---|---:|---:|---:|")
    for mode, (floor_s, ours_s, ratio) in startup(repeat).items():
        print(f"| {mode} | {floor_s:.3f} s | {ours_s:.3f} s | {ratio:.2f} |")


if __name__ == "__main__":
    main()
