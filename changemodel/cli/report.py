"""``changemodel report``: the model as one self-contained, interactive HTML page."""

from __future__ import annotations

from typing import Any

import click

from changemodel.cli._common import (
    check_output,
    fail,
    force_option,
    load_model,
    warnings_on_stderr,
)
from changemodel.cli.data import run_tests, test_options

__all__ = ["report"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the page here (default: standard output).",
)
@click.option(
    "--profile",
    "-p",
    "profiles",
    multiple=True,
    metavar="NAME",
    help="Show the findings of this validation profile (repeatable, or comma-separated):"
    " structure, mrc, realist, evidence, evaluation. Default: the model's own settings.",
)
@click.option(
    "--hypotheses",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="List at most this many pathway hypotheses.",
)
@click.option(
    "--no-diagram", is_flag=True, help="Leave the diagram out (Graphviz is then not needed)."
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False),
    help="Add a section testing the model's implications against these monitoring data"
    " (as `changemodel test` does; the options below apply to it).",
)
@test_options
@force_option
def report(
    file: str,
    output: str | None,
    profiles: tuple[str, ...],
    hypotheses: int,
    no_diagram: bool,
    data: str | None,
    maps: tuple[str, ...],
    mapping: str | None,
    categorical: tuple[str, ...],
    alpha: float,
    adjust: str,
    sheet: str | None,
    force: bool,
) -> None:
    """Write the report of model FILE: one HTML page that works offline.

    The page shows the theory's title, description and version, the diagram,
    the logic-model table, the CMO configurations, the validation findings,
    the hypotheses, the evaluation plan and the references; in a browser,
    select an element to see its details, filter by kind, highlight the
    pathways through an element and search. It loads nothing from anywhere
    else, so it can be emailed or attached to a protocol.

    With --data, a section tests the model's implications against monitoring
    data (needs numpy and scipy); the page is written whatever the tests find.

    Exit status 0 when the page is written, 2 when the model or the data cannot
    be read, a profile is unknown or Graphviz is missing.
    """
    from changemodel.errors import ChangeModelError
    from changemodel.formats.render import LayoutFallbackWarning
    from changemodel.outputs.report import to_html, write_html

    check_output(output, [file, data, mapping], force=force)
    model = load_model(file)
    chosen = [p.strip() for item in profiles for p in item.split(",") if p.strip()]
    options: dict[str, Any] = {
        "profile": chosen or None,
        "diagram": not no_diagram,
        "hypotheses": hypotheses,
    }
    if data is not None:
        options["local_tests"] = run_tests(
            model,
            file,
            data,
            maps=maps,
            mapping=mapping,
            categorical=categorical,
            alpha=alpha,
            adjust=adjust,
            sheet=sheet,
        )
    try:
        with warnings_on_stderr(LayoutFallbackWarning):
            if output is None or output == "-":
                click.echo(to_html(model, **options), nl=False)
            else:
                write_html(model, output, **options)
    except ChangeModelError as exc:
        fail(str(exc))
