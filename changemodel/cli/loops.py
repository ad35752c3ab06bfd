"""``changemodel loops``: the feedback loops of a model, reinforcing or balancing.

Exit status: 0 done, 2 usage error, unreadable input or an unknown id.
"""

from __future__ import annotations

import json

import click

from changemodel.cli._common import fail, load_model
from changemodel.errors import InvalidValueError, UnknownIdError

__all__ = ["loops"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="List at most this many loops (0: only count them).",
)
@click.option(
    "--max-length", type=click.IntRange(min=1), help="Leave out loops longer than this (links)."
)
@click.option("--through", metavar="ID", help="Only the loops through this element.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def loops(file: str, limit: int, max_length: int | None, through: str | None, fmt: str) -> None:
    """List the feedback loops of the model FILE: each closed chain of leads-to
    links (feedback or not), reinforcing or balancing by the signs along it,
    with its length and elements.

    The count on the first line is found without listing the loops: exact when
    no loop can pass through two feedback links, otherwise bounds and the number
    of independent loops. The listing stops at --limit.
    """
    from changemodel.analysis.loops import count_loops, iter_loops, loops_through

    model = load_model(file)
    try:
        count = count_loops(model)
        if through is not None:
            found = list(loops_through(model, through, limit=limit, max_length=max_length))
        else:
            found = list(iter_loops(model, limit=limit, max_length=max_length))
    except (UnknownIdError, InvalidValueError) as exc:
        fail(f"{file}: {exc}")
    if fmt == "json":
        data = {"count": count.to_data(), "loops": [loop.to_data() for loop in found]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(str(count).capitalize() if count.any else "No loops.")
    for group in count.unmarked:
        click.echo(
            f"warning: a loop among {', '.join(group[:5])}{' ...' if len(group) > 5 else ''}"
            " is closed by no feedback link",
            err=True,
        )
    for loop in found:
        click.echo(str(loop))
    if limit and len(found) == limit and (count.exact is None or count.exact > limit):
        click.echo(f"... the first {limit} shown; raise --limit to see more")
