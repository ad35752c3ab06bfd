"""The ``changemodel`` command line.

Each command lives in a module of its own and is added to :data:`COMMANDS`;
commands import what they need when they run, so start-up stays cheap.

Exit status: 0 all well, 1 problems found, 2 usage error or unreadable input.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Final

import click

__all__ = ["COMMANDS", "main"]

#: command name -> (module, attribute). Loaded only when the command is used.
COMMANDS: Final[dict[str, tuple[str, str]]] = {
    "apply": ("changemodel.cli.analyse", "apply"),
    "check": ("changemodel.cli.check", "check"),
    "cmo": ("changemodel.cli.analyse", "cmo"),
    "describe": ("changemodel.cli.analyse", "describe"),
    "diff": ("changemodel.cli.analyse", "diff"),
    "explain": ("changemodel.cli.analyse", "explain"),
    "export": ("changemodel.cli.convert", "export_command"),
    "format": ("changemodel.cli.workflow", "format_command"),
    "hypotheses": ("changemodel.cli.analyse", "hypotheses"),
    "implications": ("changemodel.cli.data", "implications"),
    "import": ("changemodel.cli.convert", "import_command"),
    "instantiate": ("changemodel.cli.analyse", "instantiate"),
    "loops": ("changemodel.cli.loops", "loops"),
    "merge": ("changemodel.cli.analyse", "merge"),
    "new": ("changemodel.cli.workflow", "new"),
    "paths": ("changemodel.cli.analyse", "paths"),
    "plan": ("changemodel.cli.analyse", "plan"),
    "render": ("changemodel.cli.convert", "render_command"),
    "report": ("changemodel.cli.report", "report"),
    "rules": ("changemodel.cli.validate", "rules"),
    "schema": ("changemodel.cli.check", "schema"),
    "serve": ("changemodel.cli.serve", "serve"),
    "test": ("changemodel.cli.data", "test_command"),
    "validate": ("changemodel.cli.validate", "validate"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


def _size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from changemodel.formats._files import DEFAULT_INPUT_LIMIT, parse_size

    if value is None:
        return DEFAULT_INPUT_LIMIT
    try:
        return parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="changemodel", prog_name="changemodel")
@click.option(
    "--max-input-size",
    metavar="SIZE",
    callback=_size,
    envvar="CHANGEMODEL_MAX_INPUT_SIZE",
    help="Refuse input files larger than this, such as 500M or 2G; 'none' for no limit"
    " (default: 256M).",
)
@click.pass_context
def cli(ctx: click.Context, max_input_size: int | None) -> None:
    """Logic models and theories of change: check, validate, analyse and convert them."""
    from changemodel.formats._files import input_limit

    ctx.with_resource(input_limit(max_input_size))


def main(argv: list[str] | None = None) -> Any:
    """Run the command line; returns (as SystemExit) 0, 1 or 2."""
    try:
        return cli.main(args=argv, prog_name="changemodel")
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)
