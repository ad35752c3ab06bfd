"""``changemodel serve``: the report of a model file, rebuilt and reloaded on every save."""

from __future__ import annotations

import sys

import click

from changemodel.cli._common import fail

__all__ = ["serve"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=0,
    show_default=True,
    help="Listen on this port of 127.0.0.1 (0: a free one).",
)
@click.option(
    "--profile",
    "-p",
    "profiles",
    multiple=True,
    metavar="NAME",
    help="Show the findings of this validation profile (repeatable, or comma-separated)."
    " Default: the model's own settings.",
)
@click.option(
    "--no-diagram", is_flag=True, help="Leave the diagram out (Graphviz is then not needed)."
)
def serve(file: str, port: int, profiles: tuple[str, ...], no_diagram: bool) -> None:
    """Serve the report of model FILE and rebuild it whenever the file is saved.

    Open the address it prints in a browser: the page reloads itself after
    each save. A save that cannot be read (half-written, or with a typo)
    keeps the last good report on the page under a list of the file's
    located errors. The server listens on 127.0.0.1 only and serves nothing
    but the report. Stop it with Ctrl-C.

    Needs the optional watchfiles package: pip install 'changemodel[serve]'.
    Exit status 0 when stopped, 2 when the file or the port cannot be used.
    """
    import importlib.util
    from pathlib import Path

    from changemodel.errors import ChangeModelError

    if importlib.util.find_spec("watchfiles") is None:
        fail("serve needs the watchfiles package: pip install 'changemodel[serve]'")
    if not Path(file).is_file():
        fail(f"{file}: no such file")
    from changemodel.outputs.live import LivePreview

    chosen = [p.strip() for item in profiles for p in item.split(",") if p.strip()]
    try:
        preview = LivePreview(file, port=port, profile=chosen or None, diagram=not no_diagram)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
    except ChangeModelError as exc:
        fail(str(exc))

    def ready(live: LivePreview) -> None:
        click.echo(f"Serving the report of {file} at {live.url}", err=True)
        click.echo("It is rebuilt whenever the file is saved; Ctrl-C stops.", err=True)
        sys.stderr.flush()

    preview.serve_forever(on_ready=ready)
