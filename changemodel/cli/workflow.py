"""``changemodel format`` and ``changemodel new``: keeping model files tidy, and
starting new ones.

Exit status of ``format``: 0 done (or, with ``--check``, nothing to change),
1 with ``--check`` when a file would change, 2 when a file cannot be read as a
model, has comments the canonical form cannot keep, or cannot be written.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from changemodel.cli._common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, fail, report_load_error

__all__ = ["format_command", "new"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@click.command("format")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 listing the files that would change."
)
@click.option(
    "--diff", "show_diff", is_flag=True, help="Change nothing; print how each file would change."
)
@click.option(
    "--drop-comments",
    is_flag=True,
    help="Drop comments on entries that the canonical form leaves out (refused otherwise).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def format_command(
    files: tuple[str, ...], check: bool, show_diff: bool, drop_comments: bool, quiet: bool
) -> None:
    """Rewrite each model FILE in the canonical order and style.

    Objects and keys go in the canonical order, default values are left out
    and text is quoted one way, as `changemodel export --to yaml` writes it.
    Comments are kept: the block at the top of the file stays on top, and any
    other comment stays with the element, link or key it is written beside.
    A comment on something the canonical form leaves out (such as
    `sign: increases`, the default) has nowhere to go: the file is left as it
    is, with the comment's line named, unless --drop-comments.
    """
    from changemodel.errors import ChangeModelError, LoadError
    from changemodel.formats._files import write_text
    from changemodel.formats.canonical import syntax_of
    from changemodel.formats.style import format_text

    status = EXIT_OK
    changed: list[str] = []
    failed = 0
    for path in files:
        try:
            raw = Path(path).read_bytes()
            result = format_text(raw, syntax_of(path), file=path, drop_comments=drop_comments)
        except LoadError as exc:
            report_load_error(exc)
            status, failed = EXIT_USAGE, failed + 1
            continue
        except OSError as exc:
            click.echo(f"error: {path}: {exc.strerror or exc}", err=True)
            status, failed = EXIT_USAGE, failed + 1
            continue
        if not result.changed:
            continue
        changed.append(path)
        if show_diff:
            old = raw.decode("utf-8-sig").splitlines(keepends=True)
            new = result.text.splitlines(keepends=True)
            click.echo(
                "".join(difflib.unified_diff(old, new, f"{path}", f"{path} (formatted)")), nl=False
            )
        if check or show_diff:
            if check and not quiet:
                click.echo(f"would reformat {path}")
            continue
        try:
            write_text(result.text, path)
        except ChangeModelError as exc:
            click.echo(f"error: {exc}", err=True)
            status, failed = EXIT_USAGE, failed + 1
            changed.pop()
            continue
        if result.dropped and not quiet:
            n = len(result.dropped)
            lines = ", ".join(str(line) for line in result.dropped)
            click.echo(
                f"{path}: dropped {_plural(n, 'comment')} (line{'s' if n != 1 else ''} {lines})",
                err=True,
            )
        if not quiet:
            click.echo(f"reformatted {path}", err=True)
    if not quiet:
        left = len(files) - len(changed) - failed
        verb = "would be reformatted" if check or show_diff else "reformatted"
        summary = f"{_plural(len(changed), 'file')} {verb}, {left} left unchanged"
        if failed:
            summary += f", {failed} could not be formatted"
        click.echo(summary, err=True)
    if check and changed:
        status = max(status, EXIT_PROBLEMS)
    sys.exit(status)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--template",
    "-t",
    type=click.Choice(["logic-model", "mrc", "realist", "toc"]),
    default="mrc",
    show_default=True,
    help="What to start from: a classic logic model, an MRC programme theory,"
    " a realist programme theory or a theory of change.",
)
@click.option("--title", help="The model's title.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(file: str, template: str, title: str | None, force: bool) -> None:
    """Write a new model FILE to start from: a small, valid model of the
    chosen kind with comments on what to fill in next.

    The first line names the schema (`# yaml-language-server: $schema=...`),
    so editors with the YAML language server complete keys and kinds. An
    existing FILE is left alone unless --force.
    """
    from changemodel.errors import ChangeModelError
    from changemodel.formats.scaffold import TargetExistsError, write_template

    if file.lower().endswith(".json"):
        fail("a new model is written in YAML (JSON has no comments for the guidance)")
    try:
        write_template(file, template, title=title, force=force)
    except TargetExistsError:
        fail(f"{file} already exists; choose another name, or overwrite it with --force")
    except ChangeModelError as exc:
        fail(str(exc))
    click.echo(f"wrote {file}; next: edit it, then run `changemodel validate {file}`", err=True)
