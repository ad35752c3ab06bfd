"""The commands that confront a theory with data: ``implications`` and ``test``.

Exit status: 0 done (``test``: nothing rejected), 1 (``test`` only) an
implication rejected or a link's direction contradicted at ``--alpha``, 2
usage error, unreadable input or data that cannot be tested as given.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from changemodel.cli._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    check_output,
    emit_inert,
    fail,
    load_model,
)
from changemodel.errors import ChangeModelError, IntegrityError, LoadError, UnknownIdError

if TYPE_CHECKING:
    from changemodel.analysis.local_tests import LocalTestReport
    from changemodel.model import ChangeModel

__all__ = ["implications", "run_tests", "test_command", "test_options"]

FILE = click.Path(dir_okay=False, allow_dash=True)
FORMATS = click.Choice(["text", "markdown", "csv", "json"])


@contextmanager
def _checked(path: str) -> Iterator[None]:
    try:
        yield
    except UnknownIdError as exc:
        fail(f"{path}: {exc}")
    except IntegrityError as exc:
        fail(f"{path}: cannot read the causal structure: {exc}")


@click.command()
@click.argument("file", type=FILE)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "--measured",
    "measured",
    multiple=True,
    metavar="ID",
    help="An element that has data (repeat for several). Default: every element.",
)
@click.option(
    "--indicated",
    is_flag=True,
    help="Only elements that name an indicator have data.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
def implications(
    file: str, fmt: str, measured: tuple[str, ...], indicated: bool, output: str | None
) -> None:
    """List the conditional independencies that the causal structure of FILE implies.

    One statement per pair of elements that no link joins, in dagitty's
    notation: `x _||_ y | z` says x and y are independent given z. The
    conditioning set is the later element's causes, or a minimal separator.
    Contexts count as causes of what they moderate; feedback links stay in the
    structure; assumptions are not variables; elements without data (see
    --measured and --indicated) are never named in a statement.
    """
    from changemodel.analysis.implications import (
        format_implications,
        implication_graph,
        iter_implications,
    )
    from changemodel.analysis.implications import indicated as with_indicators

    check_output(output, [file])
    model = load_model(file)
    with _checked(file):
        graph = implication_graph(model)
        chosen: list[str] | None = None
        if indicated or measured:
            chosen = [*measured, *(with_indicators(model) if indicated else [])]
            graph.check_measured(chosen)
        items = list(iter_implications(graph, measured=chosen))
    unmeasured = [v for v in graph.order if chosen is not None and v not in chosen]
    labels = {e.id: e.label for e in model.elements}
    emit_inert(
        format_implications(items, fmt, unmeasured=unmeasured, labels=labels),
        output,
        json=fmt == "json",
    )


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        column, sep, id = value.rpartition("=")
        if not sep or not column.strip() or not id.strip():
            fail(f"--map {value!r}: expected COLUMN=ID")
        column, id = column.strip(), id.strip()
        if column in out and out[column] != id:
            fail(f"column {column!r} is mapped to two elements, {out[column]!r} and {id!r}")
        out[column] = id
    return out


def _mapping_file(path: str) -> dict[str, str]:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        fail(f"{where}: not readable as YAML: {getattr(exc, 'problem', exc)}")
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        fail(f"{path}: expected a mapping of column names to element ids (column: id)")
    return {k.strip(): v.strip() for k, v in data.items()}


def test_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say how data are mapped and tested (``test`` and ``report``)."""
    options = [
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="COLUMN=ID",
            help="Column COLUMN measures element ID (repeat for several).",
        ),
        click.option(
            "--mapping",
            type=click.Path(dir_okay=False, exists=True),
            help="A YAML file of `column: element id` lines (--map wins over it).",
        ),
        click.option(
            "--categorical",
            multiple=True,
            metavar="COLUMN",
            help="Read COLUMN as categories even if it holds numbers (repeat for several).",
        ),
        click.option(
            "--alpha",
            type=click.FloatRange(0, 1, min_open=True, max_open=True),
            default=0.05,
            show_default=True,
            help="Significance level (after adjustment); intervals are at 1 - alpha.",
        ),
        click.option(
            "--adjust",
            type=click.Choice(["holm", "bh", "none"]),
            default="holm",
            show_default=True,
            help="Multiple-testing adjustment: Holm, or Benjamini-Hochberg (bh).",
        ),
        click.option(
            "--sheet", metavar="NAME", help="The sheet of an Excel file (default: the first)."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def run_tests(
    model: ChangeModel,
    file: str,
    data: str,
    *,
    maps: tuple[str, ...],
    mapping: str | None,
    categorical: tuple[str, ...],
    alpha: float,
    adjust: str,
    sheet: str | None,
    directions: bool = True,
) -> LocalTestReport:
    """Read *data*, map it and test *model*; exit 2 with a message on any problem."""
    from changemodel.analysis.local_tests import DataError, local_tests
    from changemodel.formats.data import read_data

    explicit = _mapping_file(mapping) if mapping else {}
    explicit.update(_pairs(maps))
    try:
        table = read_data(data, sheet=sheet)
    except LoadError as exc:
        fail(str(exc))
    with _checked(file):
        try:
            report = local_tests(
                model,
                table.columns,
                mapping=explicit,
                categorical=categorical,
                alpha=alpha,
                adjust=adjust,
                rows=table.rows,
                source=data,
                directions=directions,
            )
        except DataError as exc:
            fail(f"{data}: {exc}")
        except ChangeModelError as exc:
            fail(f"{data}: {exc}")
    if not report.mapping:
        fail(
            f"{data}: no column measures an element of {file}; name columns by element id or"
            " indicator, or map them with --map COLUMN=ID"
        )
    return report


@click.command("test")
@click.argument("file", type=FILE)
@click.argument("data", type=click.Path(dir_okay=False))
@test_options
@click.option(
    "--directions/--no-directions",
    default=True,
    show_default=True,
    help="Also check the direction each signed link predicts.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
def test_command(
    file: str,
    data: str,
    maps: tuple[str, ...],
    mapping: str | None,
    categorical: tuple[str, ...],
    alpha: float,
    adjust: str,
    sheet: str | None,
    directions: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Test the implications of FILE against the monitoring data DATA.

    DATA is a CSV file (or Parquet or Excel .xlsx when pyarrow or openpyxl is
    installed) with one column per measure. A column measures the element
    whose id or indicator name it carries, or the one --map or --mapping
    gives. Each implied independence the columns can test is tested (partial
    correlation with Fisher's z for numbers, conditional chi-square for
    categories), and each signed link's direction is checked. Exit status 1
    when an implication is rejected or a direction contradicted at --alpha.
    Needs numpy and scipy: pip install 'changemodel[stats]'.
    """
    from changemodel.analysis.local_tests import format_local_tests

    check_output(output, [file, data, mapping])
    model = load_model(file)
    report = run_tests(
        model,
        file,
        data,
        maps=maps,
        mapping=mapping,
        categorical=categorical,
        alpha=alpha,
        adjust=adjust,
        sheet=sheet,
        directions=directions,
    )
    emit_inert(format_local_tests(report, fmt), output, json=fmt == "json")
    sys.exit(EXIT_PROBLEMS if report.failed else EXIT_OK)
