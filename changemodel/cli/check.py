"""``changemodel check`` and ``changemodel schema``."""

from __future__ import annotations

import sys

import click

from changemodel.cli._common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, echo, emit, load_models

__all__ = ["check", "schema"]


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit status tells.")
def check(files: tuple[str, ...], quiet: bool) -> None:
    """Load each model FILE, check its integrity and print a summary.

    The integrity rules run (those listed by `changemodel rules --profile
    integrity`: ids that name nothing, links between kinds their relation
    does not allow, causal cycles not marked as feedback, ...), whatever the
    model's own settings say. Exit status 0 when every file loads and holds
    together, 1 when a model has integrity problems, 2 when a file cannot be
    read as a model.
    """
    from changemodel.validation import validate

    status = EXIT_OK
    for path, model in load_models(files):
        if model is None:
            status = EXIT_USAGE
            continue
        report = validate(model, profiles=[], use_model_settings=False)
        problems = [
            f"{f.code} {f.name}: {f.message}" for f in report if f.severity.value == "error"
        ]
        if problems:
            status = max(status, EXIT_PROBLEMS)
        if quiet:
            continue
        counts = ", ".join(
            f"{n} {kind.label}{'s' if n != 1 else ''}"
            for kind, n in model.count_by_kind().items()
            if n
        )
        echo(f"{path}: {model.title!r}")
        click.echo(f"  {len(model)} elements ({counts or 'none'})")
        click.echo(
            f"  {len(model.links)} links, {len(model.references)} references,"
            f" {len(model.theories)} theories"
        )
        for problem in problems:
            echo(f"  problem: {problem}")
        click.echo("  ok" if not problems else "  problems found")
    sys.exit(status)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of the model file format."""
    from changemodel.formats.schema import schema_text

    emit(schema_text(), output)
