"""Regenerate every output of the examples: each model.yaml from its model.py,
then the diagrams and tables from the model files, and the diagrams' copies
in the documentation.

    python examples/build.py           # write the outputs that changed
    python examples/build.py --check   # exit 1, naming them, if any is stale

Each output is an :class:`Output` in :data:`OUTPUTS`: a path, a function
that makes its content, and (for outputs that depend on the installed
Graphviz) a function that tells whether the file on disk is still fresh.
Add an entry to make a new example output part of the build.

A drawn SVG is not compared byte for byte (Graphviz versions lay out text
differently): it carries the SHA-256 of the DOT it was drawn from, and is
stale when the model's DOT has changed. The HTML report likewise carries the
SHA-256 of its DOT and of the page without the diagram.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from changemodel import ChangeModel, dumps, load  # noqa: E402
from changemodel.analysis.cmo import configurations, format_configurations  # noqa: E402
from changemodel.formats._files import write_atomic  # noqa: E402
from changemodel.formats.dot import to_dot  # noqa: E402
from changemodel.formats.render import render_dot  # noqa: E402
from changemodel.formats.table import logic_model_table  # noqa: E402
from changemodel.outputs.report import to_html  # noqa: E402
from changemodel.standards import describe  # noqa: E402

EXAMPLES = ROOT / "examples"
PEER_WORKER = EXAMPLES / "peer_worker"
#: Every example folder: a model.py with build(), its model.yaml and outputs.
NAMES = (
    "peer_worker",
    "realist_cmo",
    "shared_medical_appointments",
    "classic_logic_model",
    "multi_site",
)
#: Where the docs site finds the diagrams (mkdocs serves only what is in docs/).
DOCS_IMAGES = ROOT / "docs" / "assets" / "examples"
_MARK = re.compile(rb"<!-- changemodel dot sha256: ([0-9a-f]{64}) -->")
_REPORT_MARK = re.compile(rb"<!-- changemodel report sha256: ([0-9a-f]{64}) -->")
#: The validation profiles whose findings the example reports show.
REPORT_PROFILES = ("structure", "mrc", "realist", "evidence", "evaluation")


def peer_worker() -> ChangeModel:
    return load(PEER_WORKER / "model.yaml")


def example(name: str) -> Callable[[], ChangeModel]:
    """The example's model as its model.yaml holds it."""
    return lambda: load(EXAMPLES / name / "model.yaml")


def scripted(name: str) -> Callable[[], str]:
    """The canonical YAML of the model the example's model.py builds."""

    def make() -> str:
        path = EXAMPLES / name / "model.py"
        spec = importlib.util.spec_from_file_location(f"example_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.build()
        assert isinstance(model, ChangeModel)
        return dumps(model)

    return make


def monitoring_data() -> str:
    """The peer worker example's synthetic monitoring data, from its script."""
    path = PEER_WORKER / "monitoring.py"
    spec = importlib.util.spec_from_file_location("peer_worker_monitoring", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.monitoring_csv()
    assert isinstance(text, str)
    return text


def _digest(dot: str) -> str:
    return hashlib.sha256(dot.encode("utf-8")).hexdigest()


def svg_of(model: Callable[[], ChangeModel]) -> Callable[[], bytes]:
    """An SVG drawing of the model, marked with the digest of its DOT."""

    def make() -> bytes:
        dot = to_dot(model())
        svg = render_dot(dot, "svg")
        mark = f"<!-- changemodel dot sha256: {_digest(dot)} -->\n".encode()
        head, sep, rest = svg.partition(b"?>\n")
        return head + sep + mark + rest if sep else mark + svg

    return make


def table_of(model: Callable[[], ChangeModel]) -> Callable[[], str]:
    """The MRC logic-model table of the model, in Markdown."""
    return lambda: logic_model_table(model()).to_markdown()


def svg_fresh(model: Callable[[], ChangeModel]) -> Callable[[bytes], bool]:
    def fresh(existing: bytes) -> bool:
        found = _MARK.search(existing)
        return found is not None and found.group(1).decode() == _digest(to_dot(model()))

    return fresh


def _report_digest(model: ChangeModel) -> str:
    # Everything the report is made of except Graphviz's layout: the page
    # without its diagram, and the DOT the diagram is drawn from.
    page = to_html(model, profile=REPORT_PROFILES, diagram=False)
    return _digest(to_dot(model) + "\n" + page)


def report_of(model: Callable[[], ChangeModel]) -> Callable[[], str]:
    """The shareable HTML report of the model, marked with the digest of what made it."""

    def make() -> str:
        m = model()
        page = to_html(m, profile=REPORT_PROFILES)
        head, sep, rest = page.partition("\n")
        return f"{head}{sep}<!-- changemodel report sha256: {_report_digest(m)} -->\n{rest}"

    return make


def report_fresh(model: Callable[[], ChangeModel]) -> Callable[[bytes], bool]:
    def fresh(existing: bytes) -> bool:
        found = _REPORT_MARK.search(existing)
        return found is not None and found.group(1).decode() == _report_digest(model())

    return fresh


@dataclass(frozen=True)
class Output:
    """One generated file: where it goes, how to make it, how to tell it is fresh."""

    path: Path
    make: Callable[[], str | bytes]
    fresh: Callable[[bytes], bool] | None = None

    def content(self) -> bytes:
        data = self.make()
        return data.encode("utf-8") if isinstance(data, str) else data

    def is_fresh(self) -> bool:
        if not self.path.is_file():
            return False
        existing = self.path.read_bytes()
        if self.fresh is not None:
            return self.fresh(existing)
        return existing == self.content()


def drawn_and_tabulated(name: str) -> list[Output]:
    """An example's diagram and MRC logic-model table, next to its model.yaml."""
    model = example(name)
    return [
        Output(EXAMPLES / name / "model.svg", svg_of(model), svg_fresh(model)),
        Output(EXAMPLES / name / "table.md", table_of(model)),
    ]


def docs_image(name: str) -> Output:
    """A copy of an example's diagram for the documentation site."""
    model = example(name)
    return Output(DOCS_IMAGES / f"{name}.svg", svg_of(model), svg_fresh(model))


#: In the order they are written: each model.yaml before the outputs that read it.
OUTPUTS: list[Output] = [
    *(Output(EXAMPLES / name / "model.yaml", scripted(name)) for name in NAMES),
    Output(PEER_WORKER / "model.svg", svg_of(peer_worker), svg_fresh(peer_worker)),
    Output(PEER_WORKER / "table.md", lambda: logic_model_table(peer_worker()).to_markdown()),
    Output(PEER_WORKER / "report.html", report_of(peer_worker), report_fresh(peer_worker)),
    Output(
        EXAMPLES / "shared_medical_appointments" / "report.html",
        report_of(example("shared_medical_appointments")),
        report_fresh(example("shared_medical_appointments")),
    ),
    Output(PEER_WORKER / "monitoring.csv", monitoring_data),
    *(output for name in NAMES[1:] for output in drawn_and_tabulated(name)),
    Output(
        EXAMPLES / "classic_logic_model" / "description.md",
        lambda: describe(example("classic_logic_model")(), "tidier"),
    ),
    *(
        Output(
            EXAMPLES / name / "cmo.md",
            lambda name=name: format_configurations(  # type: ignore[misc]
                configurations(example(name)()), "markdown"
            ),
        )
        for name in ("realist_cmo", "shared_medical_appointments")
    ),
    *(docs_image(name) for name in NAMES),
]


def stale() -> list[Output]:
    """The outputs whose files are missing or out of date."""
    return [output for output in OUTPUTS if not output.is_fresh()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the examples' outputs.")
    parser.add_argument("--check", action="store_true", help="only report stale outputs")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for output in old:
            print(f"stale: {output.path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if old else 0
    for output in OUTPUTS:  # in order, so an output is judged on what it reads now
        if output.is_fresh():
            continue
        output.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output.path, output.content())
        print(f"wrote {output.path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
