"""Files: atomic writes, and one way for readers and writers to take a path or a file.

An atomic write goes to a temporary file in the same folder, flushed, then
renamed over the target. :func:`open_file` turns "a path or an open file" into
an open file for every reader and writer, in the manner of networkx's
decorator of the same name.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Concatenate, Literal, ParamSpec, TypeAlias, TypeVar, overload

from changemodel.errors import ChangeModelError, LoadError, Location

__all__ = [
    "PathOrBinaryFile",
    "PathOrBinaryOutput",
    "PathOrFile",
    "WriteError",
    "file_name",
    "open_file",
    "read_text",
    "write_atomic",
    "write_text",
]


class WriteError(ChangeModelError, OSError):
    """A file could not be written; nothing was changed."""


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the whole new one.

    On any failure the temporary file is removed and an existing file at *path*
    is left untouched.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise


# --------------------------------------------------------------- open_file

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

#: What every reader takes: a path, or a text file open for reading.
PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[str]"
#: What a reader of a binary format takes: a path, or a file open in binary mode
#: (or in text mode, when the reader can take text too).
PathOrBinaryFile: TypeAlias = "str | os.PathLike[str] | IO[bytes] | IO[str]"
#: What a binary writer takes: a path, or a file open in binary mode.
PathOrBinaryOutput: TypeAlias = "str | os.PathLike[str] | IO[bytes]"


class _Named(io.StringIO):
    """The text of a file read whole, with the file's name (as ``open()`` gives it)."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


class _NamedBytes(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def file_name(file: IO[Any] | str | os.PathLike[str]) -> str | None:
    """The name of a path, or of an open file when it has one that is a path (not
    ``<stdin>``)."""
    if isinstance(file, str | os.PathLike):
        return os.fspath(file)
    name = getattr(file, "name", None)
    if isinstance(name, str) and not (name.startswith("<") and name.endswith(">")):
        return name
    return None


def _read_path(path: str | os.PathLike[str], binary: bool) -> _Named | _NamedBytes:
    name = os.fspath(path)
    try:
        if binary:
            return _NamedBytes(Path(name).read_bytes(), name)
        return _Named(Path(name).read_text(encoding="utf-8-sig"), name)
    except FileNotFoundError:
        raise LoadError("cannot read the file: no such file", location=Location(name)) from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise LoadError(f"cannot read the file: {reason}", location=Location(name)) from None
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"cannot read the file: not UTF-8 text ({exc.reason} at byte {exc.start})",
            location=Location(name),
        ) from None


@overload
def open_file(
    mode: Literal["r"],
) -> Callable[[Callable[Concatenate[IO[str], P], R]], Callable[Concatenate[PathOrFile, P], R]]: ...
@overload
def open_file(
    mode: Literal["rb"],
) -> Callable[
    [Callable[Concatenate[IO[Any], P], R]], Callable[Concatenate[PathOrBinaryFile, P], R]
]: ...
@overload
def open_file(
    mode: Literal["w"],
) -> Callable[
    [Callable[Concatenate[T, IO[str], P], R]], Callable[Concatenate[T, PathOrFile, P], R]
]: ...
@overload
def open_file(
    mode: Literal["wb"],
) -> Callable[
    [Callable[Concatenate[T, IO[bytes], P], R]],
    Callable[Concatenate[T, PathOrBinaryOutput, P], R],
]: ...
def open_file(mode: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a reader or writer take a path or an open file, and see an open file.

    Readers (``"r"``, ``"rb"``) take the file first, ``read_x(path_or_file, ...)``;
    a path is read whole (``"r"``: as UTF-8 text, a leading byte-order mark
    dropped; ``"rb"``: as bytes), and a file that cannot be read raises
    :class:`~changemodel.errors.LoadError` naming it. A ``"rb"`` reader is also
    given open text files as they are, and reads ``str`` from them.

    Writers (``"w"``, ``"wb"``) take it second, ``write_x(model, path_or_file,
    ...)``; what they write to a path is written atomically when they return, so
    a failure leaves no half-written file.

    An open file is passed through as it is and left open. The open file a
    function sees for a path has the path as its ``name``.

    >>> @open_file("r")
    ... def read_words(file: IO[str]) -> list[str]:
    ...     return file.read().split()
    >>> import io
    >>> read_words(io.StringIO("a b"))
    ['a', 'b']
    """
    binary = mode.endswith("b")
    writing = mode.startswith("w")

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        if writing:

            @functools.wraps(function)
            def write(subject: Any, target: Any, /, *args: Any, **kwargs: Any) -> Any:
                if not isinstance(target, str | os.PathLike):
                    return function(subject, target, *args, **kwargs)
                name = os.fspath(target)
                buffer: _Named | _NamedBytes = (
                    _NamedBytes(b"", name) if binary else _Named("", name)
                )
                result = function(subject, buffer, *args, **kwargs)
                write_atomic(name, buffer.getvalue())
                return result

            return write

        @functools.wraps(function)
        def read(source: Any, /, *args: Any, **kwargs: Any) -> Any:
            if isinstance(source, str | os.PathLike):
                source = _read_path(source, binary)
            return function(source, *args, **kwargs)

        return read

    return decorate


@open_file("r")
def read_text(file: IO[str]) -> tuple[str, str | None]:
    """The whole text of a path or an open text file, and the file's name."""
    return file.read(), file_name(file)


@open_file("w")
def write_text(text: str, file: IO[str]) -> None:
    """Write *text* to a path (atomically) or an open text file."""
    file.write(text)
