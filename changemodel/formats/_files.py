"""Reading and writing files safely, and one way for readers and writers to take
a path or a file.

Reading: every reader takes its input through :func:`read_bytes` or
:func:`read_text` (or :func:`open_file`, which uses them), which refuse input
larger than the limit (see :func:`input_limit`) instead of growing without end
on ``/dev/zero``, and which do not wait for a writer on a named pipe that has
none.

Writing: :func:`write_atomic` writes a whole new file or nothing. It follows a
symbolic link to the file it names, writes straight through a device or a
named pipe (``/dev/null``, ``/dev/stdout``) instead of replacing it, and
builds the new file unnamed where the system allows, so that a write killed
half-way leaves nothing beside the target.

:func:`open_file` turns "a path or an open file" into an open file for every
reader and writer, in the manner of networkx's decorator of the same name.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import (
    IO,
    Any,
    Concatenate,
    Final,
    Literal,
    ParamSpec,
    TypeAlias,
    TypeVar,
    overload,
)

from changemodel.errors import ChangeModelError, LoadError, Location

__all__ = [
    "DEFAULT_INPUT_LIMIT",
    "InputTooLargeError",
    "PathOrBinaryFile",
    "PathOrBinaryOutput",
    "PathOrFile",
    "WriteError",
    "check_unpacked_size",
    "file_name",
    "format_size",
    "input_limit",
    "max_input_size",
    "open_file",
    "parse_size",
    "read_bytes",
    "read_text",
    "same_file",
    "set_input_limit",
    "write_atomic",
    "write_text",
]

#: The largest input a reader accepts unless told otherwise: 256 MiB, far
#: above a model of 100,000 elements and far below what exhausts memory.
DEFAULT_INPUT_LIMIT: Final = 256 * 1024 * 1024

_LIMIT: ContextVar[int | None] = ContextVar("changemodel_input_limit", default=DEFAULT_INPUT_LIMIT)
_CHUNK: Final = 1 << 20


class WriteError(ChangeModelError, OSError):
    """A file could not be written; nothing was changed."""


class InputTooLargeError(LoadError):
    """The input is larger than the reading limit (see :func:`input_limit`)."""


def max_input_size() -> int | None:
    """The current reading limit in bytes (``None``: no limit)."""
    return _LIMIT.get()


def set_input_limit(limit: int | None) -> None:
    """Set the reading limit in bytes for what follows (``None``: no limit).

    Prefer :func:`input_limit`, which restores the previous limit afterwards.
    """
    if limit is not None and limit <= 0:
        raise ValueError(f"the input limit must be a positive number of bytes, not {limit}")
    _LIMIT.set(limit)


@contextlib.contextmanager
def input_limit(limit: int | None) -> Iterator[None]:
    """Read with another size limit inside the ``with`` block (``None``: no limit).

    >>> import io
    >>> try:
    ...     with input_limit(10):
    ...         read_bytes(io.BytesIO(b"title: a model longer than ten bytes"))
    ... except InputTooLargeError as exc:
    ...     print(exc.reason.partition(";")[0])
    the input is larger than the limit of 10 bytes
    """
    if limit is not None and limit <= 0:
        raise ValueError(f"the input limit must be a positive number of bytes, not {limit}")
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


_UNITS: Final = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(text: str) -> int | None:
    """Read a size such as ``500K``, ``64M``, ``2G`` or ``1000`` (bytes); ``none`` is no limit.

    >>> parse_size("64M"), parse_size("1.5k"), parse_size("none")
    (67108864, 1536, None)
    """
    value = text.strip().upper().removesuffix("IB").removesuffix("B")
    if value in ("NONE", "UNLIMITED", "0"):
        return None
    unit = value[-1:] if value[-1:] in _UNITS else ""
    number = value[: len(value) - len(unit)].strip()
    try:
        size = float(number) * _UNITS[unit]
    except ValueError:
        raise ValueError(
            f"{text!r} is not a size; write bytes or a number with K, M or G, such as 64M"
        ) from None
    if not size >= 1 or size == float("inf"):
        raise ValueError(f"{text!r} is not a size; it must be at least one byte")
    return int(size)


def format_size(size: int) -> str:
    """A byte count for people: ``256 MiB``, ``10 bytes``."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} byte{'s' if size != 1 else ''}"


def _too_large(name: str | None, limit: int) -> InputTooLargeError:
    return InputTooLargeError(
        f"the input is larger than the limit of {format_size(limit)}; raise the limit"
        " with --max-input-size or changemodel.formats.input_limit() if the file is"
        " meant to be this large",
        location=Location(name),
    )


def check_unpacked_size(data: bytes, name: str | None) -> None:
    """Refuse a zip archive (an Excel workbook) whose members unpack to more than
    the reading limit: a small file can hold gigabytes of XML. Python's zipfile
    never unpacks a member past the size its directory states, so the stated sizes
    bound what a reader can be made to hold. Not a zip archive: nothing to check
    (the reader says what is wrong)."""
    import zipfile

    limit = _LIMIT.get()
    if limit is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > limit:
        raise InputTooLargeError(
            f"the workbook unpacks to {format_size(unpacked)}, more than the limit of"
            f" {format_size(limit)}; raise the limit with --max-input-size or"
            " changemodel.formats.input_limit() if it is meant to be this large",
            location=Location(name),
        )


def _read_stream(read: object, name: str | None, limit: int | None) -> str | bytes:
    assert callable(read)
    if limit is None:
        data = read()
        assert isinstance(data, str | bytes)
        return data
    parts: list[str | bytes] = []
    total = 0
    while True:
        part = read(min(_CHUNK, limit + 1 - total))
        assert isinstance(part, str | bytes)
        if not part:
            break
        parts.append(part)
        total += len(part)
        if total > limit:
            raise _too_large(name, limit)
    if not parts:
        return b""
    return parts[0][:0].join(parts)  # type: ignore[arg-type]


def _open_for_reading(name: str) -> int:
    # Not waiting for a writer: a named pipe that nobody writes to reads as empty.
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise LoadError("cannot read a socket", location=Location(name)) from None
        raise LoadError(
            f"cannot read the file: {exc.strerror or exc}", location=Location(name)
        ) from None
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    return fd


def read_bytes(
    source: str | os.PathLike[str] | IO[bytes] | IO[str], *, name: str | None = None
) -> tuple[bytes, str | None]:
    """The bytes of a file (path or open file) and its name, within the reading limit.

    *name* names an open file in messages (default: its ``name`` attribute).

    Raises :class:`~changemodel.errors.LoadError` naming the file when it
    cannot be read, is a folder, or is larger than the limit.
    """
    data, name = _read(source, name)
    return (data.encode("utf-8") if isinstance(data, str) else data), name


def read_text(
    source: str | os.PathLike[str] | IO[bytes] | IO[str], *, name: str | None = None
) -> tuple[str, str | None]:
    """The text of a file (UTF-8, a byte-order mark allowed) and its name.

    A byte that is not UTF-8 is reported with its line and column.
    """
    data, name = _read(source, name)
    if isinstance(data, bytes):
        from changemodel.formats._located import decode

        return decode(data, name), name
    try:
        data.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = data.count("\n", 0, exc.start) + 1
        column = exc.start - (data.rfind("\n", 0, exc.start) + 1) + 1
        raise LoadError(
            f"the text holds a lone surrogate (U+{ord(data[exc.start]):04X}), which no file"
            " can hold",
            location=Location(name, line, column),
        ) from None
    return data.removeprefix("\ufeff"), name


def _read_or_fail(read: object, name: str | None, limit: int | None) -> str | bytes:
    """:func:`_read_stream`, a failing read said as a :class:`LoadError`."""
    try:
        return _read_stream(read, name, limit)
    except OSError as exc:
        raise LoadError(
            f"cannot read the file: {exc.strerror or exc}", location=Location(name)
        ) from None


def _read(
    source: str | os.PathLike[str] | IO[bytes] | IO[str], name: str | None
) -> tuple[str | bytes, str | None]:
    limit = _LIMIT.get()
    if not isinstance(source, str | os.PathLike):
        if name is None:
            attribute = getattr(source, "name", None)
            name = attribute if isinstance(attribute, str) else None
        return _read_or_fail(source.read, name, limit), name
    name = os.fspath(source)
    fd = _open_for_reading(name)
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise LoadError("this is a folder, not a file", location=Location(name))
    with os.fdopen(fd, "rb") as handle:
        if limit is not None and stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(name, limit)
        return _read_or_fail(handle.read, name, limit), name


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same existing file (through links too)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _cannot(target: Path, exc: OSError) -> WriteError:
    return WriteError(f"cannot write {target}: {exc.strerror or exc}")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write *data* to *path* so that readers see the old file or the whole new one.

    On any failure the temporary file is removed and an existing file at *path*
    is left untouched. A symbolic link is followed (the file it names is
    replaced, the link stays); a device, named pipe or other special file is
    written through, never replaced by a regular file.
    """
    given = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _cannot(given, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteError(f"cannot write {given}: it is a folder")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_through(given, target, info, payload)
        return
    folder = target.parent if str(target.parent) else Path(".")
    mode = info.st_mode & 0o7777 if info is not None else 0o666 & ~_umask()
    tmp: str | None = None
    try:
        tmp = _new_file(folder, target, payload, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot(given, exc) from None
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


#: Errors that say the system cannot build an unnamed file here: use a named one.
_NO_UNNAMED: Final = frozenset(
    {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.EXDEV, errno.EPERM, errno.ENOENT}
)


def _new_file(folder: Path, target: Path, payload: bytes, mode: int) -> str:
    """Write *payload* to a new file beside *target*; return its temporary name.

    Where the system allows (Linux), the file is written unnamed and named
    only once complete, so a write killed half-way leaves nothing behind.
    """
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            if exc.errno not in _NO_UNNAMED or not folder.is_dir():
                raise
        else:
            with os.fdopen(fd, "wb") as handle:
                _fill(handle, payload, mode)
                try:
                    return _name_unnamed(handle.fileno(), target, folder)
                except OSError as exc:
                    if exc.errno not in _NO_UNNAMED:
                        raise
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            _fill(handle, payload, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _fill(handle: IO[bytes], payload: bytes, mode: int) -> None:
    handle.write(payload)
    handle.flush()
    os.fsync(handle.fileno())
    with contextlib.suppress(OSError):
        os.fchmod(handle.fileno(), mode)


def _name_unnamed(fd: int, target: Path, folder: Path) -> str:
    """Give the finished unnamed file a temporary name beside the target."""
    root = os.open("/", os.O_RDONLY | os.O_CLOEXEC)
    try:
        for _ in range(100):
            tmp = os.path.join(folder, f".{target.name}.{os.urandom(6).hex()}.tmp")
            try:
                # With a directory descriptor given, the link follows /proc's
                # link to the open file (linkat with AT_SYMLINK_FOLLOW).
                os.link(f"/proc/self/fd/{fd}", tmp, src_dir_fd=root, follow_symlinks=True)
            except FileExistsError:
                continue
            return tmp
    finally:
        os.close(root)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _write_through(given: Path, target: Path, info: os.stat_result, payload: bytes) -> None:
    if stat.S_ISSOCK(info.st_mode):
        raise WriteError(f"cannot write {given}: it is a socket")
    try:
        # Like the shell's ``>``: a named pipe waits for its reader.
        fd = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise _cannot(given, exc) from None
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise _cannot(given, exc) from None
    finally:
        os.close(fd)


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

    def __init__(self, text: str, name: str | None) -> None:
        super().__init__(text)
        if name is not None:
            self.name = name


class _NamedBytes(io.BytesIO):
    def __init__(self, data: bytes, name: str | None) -> None:
        super().__init__(data)
        if name is not None:
            self.name = name


def _bounded(source: Any, binary: bool) -> _Named | _NamedBytes:
    """A path or an open file read whole within the reading limit, as an open file.

    A path keeps its name; an open file keeps its own (``<stdin>`` included).
    """
    if binary:
        data, name = _read(source, None)
        if isinstance(data, str):
            return _Named(data, name)
        return _NamedBytes(data, name)
    text, name = read_text(source)
    return _Named(text, name)


def file_name(file: IO[Any] | str | os.PathLike[str]) -> str | None:
    """The name of a path, or of an open file when it has one that is a path (not
    ``<stdin>``)."""
    if isinstance(file, str | os.PathLike):
        return os.fspath(file)
    name = getattr(file, "name", None)
    if isinstance(name, str) and not (name.startswith("<") and name.endswith(">")):
        return name
    return None


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
    :class:`~changemodel.errors.LoadError` naming it. A ``"rb"`` reader given
    an open text file reads ``str`` from it.

    Writers (``"w"``, ``"wb"``) take it second, ``write_x(model, path_or_file,
    ...)``; what they write to a path is written atomically when they return, so
    a failure leaves no half-written file.

    Either way the input is read whole through :func:`read_text` or
    :func:`read_bytes`, within the reading limit (see :func:`input_limit`); an
    open file is left open. The open file a function sees has the path, or the
    given file's name, as its ``name``.

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
            return function(_bounded(source, binary), *args, **kwargs)

        return read

    return decorate


@open_file("w")
def write_text(text: str, file: IO[str]) -> None:
    """Write *text* to a path (atomically) or an open text file."""
    file.write(text)
