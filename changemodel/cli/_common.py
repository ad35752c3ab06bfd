"""Helpers shared by the commands: loading models and reporting errors."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import NoReturn

import click

from changemodel.errors import ChangeModelError, LoadError, LoadErrors
from changemodel.model import ChangeModel

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "emit",
    "fail",
    "load_model",
    "load_models",
]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error to standard error and exit with *code*."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def emit(text: str, output: str | None, *, color: bool = False) -> None:
    """Print *text*, or write it to the file *output* (atomically, as every writer
    does); ``-`` is standard output."""
    if output and output != "-":
        from changemodel.formats._files import write_text

        write_text(text, output)
    else:
        click.echo(text, nl=False, color=color)


def report_load_error(error: LoadError) -> None:
    errors = error.errors if isinstance(error, LoadErrors) else (error,)
    for item in errors:
        click.echo(f"{item}", err=True)


def load_model(path: str) -> ChangeModel:
    """Load a model file or exit 2 with the loader's message."""
    from changemodel.formats.canonical import load

    try:
        return load("-" if path == "-" else path) if path != "-" else _stdin()
    except LoadError as exc:
        report_load_error(exc)
        sys.exit(EXIT_USAGE)
    except ChangeModelError as exc:
        fail(f"{path}: {exc}")


def _stdin() -> ChangeModel:
    from changemodel.formats.canonical import loads

    return loads(sys.stdin.buffer.read(), file="<stdin>")


def load_models(paths: tuple[str, ...]) -> Iterator[tuple[str, ChangeModel | None]]:
    """Load each file; yield ``(path, model)`` or ``(path, None)`` after reporting the error."""
    from changemodel.formats.canonical import load

    for path in paths:
        try:
            yield path, (_stdin() if path == "-" else load(path))
        except LoadError as exc:
            report_load_error(exc)
            yield path, None
