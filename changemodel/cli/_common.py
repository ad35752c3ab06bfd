"""Helpers shared by the commands: loading models and reporting errors."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, TypeVar

import click

from changemodel.errors import ChangeModelError, LoadError, LoadErrors
from changemodel.model import ChangeModel

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "check_output",
    "echo",
    "emit",
    "emit_inert",
    "fail",
    "force_option",
    "load_model",
    "load_models",
    "warnings_on_stderr",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def echo(text: str, *, json: bool = False, nl: bool = True, err: bool = False) -> None:
    """Print text holding model text, its control characters shown escaped
    (see :func:`changemodel._terminal.inert`); *json* for a JSON document."""
    from changemodel._terminal import inert

    click.echo(inert(text, json=json), nl=nl, err=err)


@contextlib.contextmanager
def warnings_on_stderr(*categories: type[Warning]) -> Iterator[None]:
    """Print the warnings of these categories raised in the block as one-line
    ``warning: ...`` messages on standard error; pass the others on as they came."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for item in caught:
        if issubclass(item.category, categories):
            echo(f"warning: {item.message}", err=True)
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error to standard error and exit with *code*."""
    echo(f"error: {message}", err=True)
    sys.exit(code)


def force_option(command: F) -> F:
    """The ``--force`` flag: allow ``-o`` to replace an input file of the command."""
    option = click.option(
        "--force",
        is_flag=True,
        help="Let --output replace an input file of this command (refused otherwise).",
    )
    return option(command)


def check_output(output: str | None, inputs: Iterable[str | None], *, force: bool = False) -> None:
    """Exit 2 when *output* names one of the *inputs*, unless *force*."""
    from changemodel.formats._files import same_file

    if not output or output == "-" or force:
        return
    for path in inputs:
        if path and path != "-" and same_file(path, output):
            fail(
                f"{output} is also an input file of this command; write elsewhere,"
                " or pass --force to replace it"
            )


def write_output(
    output: str, data: str | bytes, *, inputs: Iterable[str | None] = (), force: bool = False
) -> None:
    """Write *data* to *output* atomically, or exit 2 with a message saying why not."""
    from changemodel.formats._files import WriteError, write_atomic

    check_output(output, inputs, force=force)
    try:
        write_atomic(output, data)
    except WriteError as exc:
        fail(str(exc))


def emit(text: str, output: str | None, *, color: bool = False) -> None:
    """Print *text*, or write it to the file *output* (atomically, as every writer
    does, exiting 2 with a message when it cannot); ``-`` is standard output."""
    if output and output != "-":
        write_output(output, text)
    else:
        click.echo(text, nl=False, color=color)


def emit_inert(text: str, output: str | None, *, json: bool = False) -> None:
    """:func:`emit` for text holding model text: its control characters are shown
    escaped (see :func:`changemodel._terminal.inert`); *json* for a JSON document."""
    from changemodel._terminal import inert

    emit(inert(text, json=json), output)


def report_load_error(error: LoadError) -> None:
    errors = error.errors if isinstance(error, LoadErrors) else (error,)
    for item in errors:
        echo(f"{item}", err=True)


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
    from changemodel.formats._files import read_bytes
    from changemodel.formats.canonical import loads

    data, _ = read_bytes(sys.stdin.buffer, name="<stdin>")
    return loads(data, file="<stdin>")


def load_models(
    paths: tuple[str, ...], errors: list[LoadError] | None = None
) -> Iterator[tuple[str, ChangeModel | None]]:
    """Load each file; yield ``(path, model)`` or ``(path, None)`` after reporting the
    error (and appending it to *errors* when a list is given)."""
    from changemodel.formats.canonical import load

    for path in paths:
        try:
            yield path, (_stdin() if path == "-" else load(path))
        except LoadError as exc:
            report_load_error(exc)
            if errors is not None:
                errors.append(exc)
            yield path, None
