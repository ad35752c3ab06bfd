"""``changemodel report``: the model as one self-contained, interactive HTML page."""

from __future__ import annotations

from typing import Any

import click

from changemodel.cli._common import check_output, fail, force_option, load_model

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
@force_option
def report(
    file: str,
    output: str | None,
    profiles: tuple[str, ...],
    hypotheses: int,
    no_diagram: bool,
    force: bool,
) -> None:
    """Write the report of model FILE: one HTML page that works offline.

    The page shows the theory's title, description and version, the diagram,
    the logic-model table, the CMO configurations, the validation findings,
    the hypotheses, the evaluation plan and the references; in a browser,
    select an element to see its details, filter by kind, highlight the
    pathways through an element and search. It loads nothing from anywhere
    else, so it can be emailed or attached to a protocol.

    Exit status 0 when the page is written, 2 when the model cannot be read,
    a profile is unknown or Graphviz is missing.
    """
    from changemodel.errors import ChangeModelError
    from changemodel.outputs.report import to_html, write_html

    check_output(output, [file], force=force)
    model = load_model(file)
    chosen = [p.strip() for item in profiles for p in item.split(",") if p.strip()]
    options: dict[str, Any] = {
        "profile": chosen or None,
        "diagram": not no_diagram,
        "hypotheses": hypotheses,
    }
    try:
        if output is None or output == "-":
            click.echo(to_html(model, **options), nl=False)
        else:
            write_html(model, output, **options)
    except ChangeModelError as exc:
        fail(str(exc))
