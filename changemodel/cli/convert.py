"""``changemodel export``, ``changemodel render`` and ``changemodel import``.

Files are written atomically (a temporary file, then a rename), so a failure
never leaves a half-written file or touches an existing one. What a format
cannot carry is printed to standard error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from changemodel.model import ChangeModel

from changemodel.cli._common import (
    EXIT_USAGE,
    check_output,
    fail,
    force_option,
    load_model,
    report_load_error,
    warnings_on_stderr,
    write_output,
)

__all__ = ["export_command", "import_command", "render_command"]


def _print_losses(report: Any, quiet: bool, verbose: bool) -> None:
    if report and not quiet:
        click.echo(str(report) if verbose else report.summary(), err=True)


def _kind(text: str) -> str:
    from changemodel.domain import Kind

    value = text.strip().casefold().replace(" ", "_").replace("-", "_")
    if value not in {k.value for k in Kind}:
        fail(f"unknown kind {text!r}; expected one of {', '.join(k.value for k in Kind)}")
    return value


def _diagram_options(
    model: Any,
    rankdir: str,
    kinds: tuple[str, ...],
    focus: str | None,
    pathway: str | None,
    loops: int,
    loop: str | None,
    configuration: str | None = None,
) -> dict[str, Any]:
    options: dict[str, Any] = {"rankdir": rankdir}
    if configuration:
        options["configuration"] = configuration
    if kinds:
        options["kinds"] = [_kind(k) for k in kinds]
    if focus:
        options["focus"] = focus
    if pathway:
        options["pathway"] = [p.strip() for p in pathway.split(",") if p.strip()]
    if configuration:
        loops, loop = 0, None  # the loops of the whole model are not drawn with one configuration
    if loops or loop:
        from changemodel.analysis.loops import find_loops, iter_loops

        if loops:
            options["loops"] = find_loops(model, limit=loops)
        if loop:
            wanted = loop.strip().upper()
            found = next(
                (lp for lp in iter_loops(model, limit=_LOOP_SEARCH) if lp.name == wanted), None
            )
            if found is None:
                fail(
                    f"the model has no loop named {loop!r} among its first {_LOOP_SEARCH}"
                    " (see `changemodel loops`)"
                )
            options["pathway"] = [*found.elements, found.elements[0]]
            if not loops or found.name not in {lp.name for lp in options["loops"]}:
                options["loops"] = (*options.get("loops", ()), found)
    return options


#: How far ``--loop NAME`` looks for the loop it highlights.
_LOOP_SEARCH = 10_000


_EXPORT_FORMATS = (
    "yaml",
    "json",
    "dot",
    "mermaid",
    "graphml",
    "node-link",
    "dagitty",
    "kumu",
    "elements-csv",
    "links-csv",
    "configurations-csv",
    "xlsx",
    "cmo-csv",
    "causal-map-links",
    "causal-map-sources",
    "table-md",
    "table-html",
    "table-csv",
    "cmo-md",
    "cmo-html",
)


def _diagram_flags(command: Any) -> Any:
    for decorator in reversed(
        (
            click.option(
                "--rankdir",
                type=click.Choice(["LR", "TB", "RL", "BT"]),
                default="LR",
                show_default=True,
                help="Direction of the diagram.",
            ),
            click.option(
                "--kind",
                "kinds",
                multiple=True,
                help="Show only elements of this kind (repeat for several).",
            ),
            click.option("--focus", help="Highlight this element and its neighbours."),
            click.option("--pathway", help="Highlight a pathway: element ids separated by commas."),
            click.option(
                "--loops",
                type=click.IntRange(min=0),
                default=5,
                show_default=True,
                help="List this many feedback loops in the legend (0: none).",
            ),
            click.option(
                "--loop",
                metavar="NAME",
                help="Highlight a feedback loop by its name (R1, B2: see `changemodel loops`).",
            ),
            click.option(
                "--configuration",
                help="Draw one realist configuration alone (its id, e.g. CMOC3).",
            ),
        )
    ):
        command = decorator(command)
    return command


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--to",
    "format",
    required=True,
    type=click.Choice(_EXPORT_FORMATS),
    help="The format to write.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: standard output)."
)
@_diagram_flags
@click.option("--quiet", "-q", is_flag=True, help="Do not print what the format cannot carry.")
@click.option("--verbose", "-v", is_flag=True, help="List every item not carried, one a line.")
@force_option
def export_command(
    file: str,
    format: str,
    output: str | None,
    rankdir: str,
    kinds: tuple[str, ...],
    focus: str | None,
    pathway: str | None,
    loops: int,
    loop: str | None,
    configuration: str | None,
    quiet: bool,
    verbose: bool,
    force: bool,
) -> None:
    """Convert the model FILE to another format.

    What the format cannot carry (evidence in dagitty, say) is listed on
    standard error. The diagram options apply to dot (and --rankdir to mermaid).
    """
    from changemodel.errors import ChangeModelError
    from changemodel.outputs.registry import export_deferred

    check_output(output, [file], force=force)
    model = load_model(file)
    if format == "xlsx":
        _export_workbook(model, output, quiet, verbose)
        return
    options: dict[str, Any] = {}
    if format == "dot":
        options = _diagram_options(
            model, rankdir, kinds, focus, pathway, loops, loop, configuration
        )
    elif format == "mermaid":
        options = {"rankdir": rankdir}
    try:
        text, losses = export_deferred(model, format, **options)
        if output:
            write_output(output, text)
        else:
            click.echo(text, nl=False)
    except ChangeModelError as exc:
        fail(str(exc))
    if not quiet:  # the losses are computed only to be printed
        _print_losses(losses(), quiet, verbose)


def _export_workbook(model: ChangeModel, output: str | None, quiet: bool, verbose: bool) -> None:
    """The workbook is binary: it goes to a file, never to standard output."""
    from changemodel.errors import ChangeModelError
    from changemodel.formats.spreadsheet import write_workbook

    if not output or output == "-":
        fail("--to xlsx writes a binary workbook: name the file with -o FILE.xlsx")
    try:
        report = write_workbook(model, output)
    except ChangeModelError as exc:
        fail(str(exc))
    _print_losses(report, quiet, verbose)


@click.command("render")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The image to write: .svg, .png or .pdf.",
)
@click.option(
    "--format",
    "image_format",
    type=click.Choice(["svg", "png", "pdf"]),
    help="Image format (default: from the output's suffix).",
)
@_diagram_flags
@click.option("--quiet", "-q", is_flag=True, help="Do not print what the diagram does not show.")
@click.option("--verbose", "-v", is_flag=True, help="List every item not shown, one a line.")
@force_option
def render_command(
    file: str,
    output: str,
    image_format: str | None,
    rankdir: str,
    kinds: tuple[str, ...],
    focus: str | None,
    pathway: str | None,
    loops: int,
    loop: str | None,
    configuration: str | None,
    quiet: bool,
    verbose: bool,
    force: bool,
) -> None:
    """Draw the model FILE as an MRC logic-model diagram with Graphviz."""
    from changemodel.errors import ChangeModelError
    from changemodel.formats.render import LayoutFallbackWarning, write_image

    check_output(output, [file], force=force)
    model = load_model(file)
    try:
        with warnings_on_stderr(LayoutFallbackWarning):
            report = write_image(
                model,
                output,
                image_format,
                **_diagram_options(
                    model, rankdir, kinds, focus, pathway, loops, loop, configuration
                ),
            )
    except ChangeModelError as exc:
        fail(str(exc))
    _print_losses(report, quiet, verbose)


@click.command("import")
@click.argument(
    "format",
    type=click.Choice(
        [
            "graphml",
            "node-link",
            "dagitty",
            "kumu",
            "spreadsheet",
            "workbook",
            "cmo-csv",
            "causal-map",
            "json",
            "yaml",
        ]
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The model file to write, .yaml or .json (default: YAML on standard output).",
)
@click.option(
    "--links", type=click.Path(dir_okay=False, exists=True), help="spreadsheet: the links CSV."
)
@click.option(
    "--configurations",
    type=click.Path(dir_okay=False, exists=True),
    help="spreadsheet: the configurations CSV.",
)
@click.option(
    "--sources",
    type=click.Path(dir_okay=False, exists=True),
    help="causal-map: the sources CSV (FILE is the links CSV).",
)
@click.option("--title", help="The model's title (default: the file's name).")
@click.option(
    "--kind",
    "kind_map",
    multiple=True,
    metavar="NAME=KIND",
    help="dagitty: the kind of a variable; kumu: the kind of an element type;"
    " causal-map: the kind of a factor, by its label (repeatable).",
)
@click.option(
    "--default-kind", help="dagitty, kumu, causal-map: the kind of anything not otherwise known."
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print what the model could not carry.")
@force_option
def import_command(
    format: str,
    file: str,
    output: str | None,
    links: str | None,
    configurations: str | None,
    sources: str | None,
    title: str | None,
    kind_map: tuple[str, ...],
    default_kind: str | None,
    quiet: bool,
    force: bool,
) -> None:
    """Read FILE in FORMAT and write it as a changemodel file.

    For spreadsheet, FILE is the elements table, --links the links table and
    --configurations the realist configurations table. For causal-map, FILE is
    the links table and --sources its sources table;
    what the model cannot hold of them (other columns, other tags) is listed
    on standard error.
    """
    from changemodel.errors import ChangeModelError, LoadError
    from changemodel.formats.canonical import dumps, syntax_of
    from changemodel.outputs.registry import import_model

    check_output(output, [file, links, configurations, sources], force=force)
    kinds: dict[str, str] = {}
    for item in kind_map:
        name, sep, kind = item.rpartition("=")
        if not sep or not name:
            fail(f"--kind takes NAME=KIND, not {item!r}")
        kinds[name] = _kind(kind)
    options: dict[str, Any] = {
        "title": title,
        "links": links,
        "configurations": configurations,
        "default_kind": _kind(default_kind) if default_kind else None,
    }
    if kinds:
        options["kinds"] = kinds
    losses: list[Any] = []
    if format == "dagitty":
        options["losses"] = losses
    report = None
    try:
        if format == "causal-map":
            from changemodel.formats.causalmap import read_causal_map

            model, report = read_causal_map(
                file, sources, title=title, kinds=kinds, default_kind=options["default_kind"]
            )
        else:
            model = import_model(format, file, **options)
        if output:
            write_output(output, dumps(model, syntax_of(output)))
        else:
            click.echo(dumps(model), nl=False)
        if losses:
            from changemodel.formats.loss import LossReport

            report = LossReport(f"{format} import", tuple(losses))
    except LoadError as exc:
        report_load_error(exc)
        sys.exit(EXIT_USAGE)
    except ChangeModelError as exc:
        fail(f"{file}: {exc}")
    if report is not None:
        _print_losses(report, quiet, False)
