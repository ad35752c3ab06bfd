"""Drawing a model as SVG, PNG or PDF with Graphviz ``dot``.

The DOT text of :mod:`changemodel.formats.dot` is piped into ``dot`` on its
standard input; nothing is written to disk unless asked. Graphviz is only
needed here: making DOT text works without it. When ``dot`` cannot be found,
:class:`GraphvizNotFoundError` says how to install it.

.. code-block:: python

    from changemodel.formats.render import render, write_image
    svg = render(model)                 # bytes of an SVG document
    write_image(model, "model.pdf")     # format from the suffix
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import IO, Any, Final, Literal

from changemodel.errors import ChangeModelError, InvalidValueError
from changemodel.formats._files import file_name, open_file
from changemodel.formats.loss import LossReport
from changemodel.model import ChangeModel

__all__ = [
    "DISPLAY_LIMIT",
    "IMAGE_FORMATS",
    "GraphvizNotFoundError",
    "ImageFormat",
    "LayoutFallbackWarning",
    "RenderError",
    "find_dot",
    "render",
    "render_dot",
    "write_image",
]

ImageFormat = Literal["svg", "png", "pdf"]
#: The image formats :func:`render` makes.
IMAGE_FORMATS: Final[tuple[ImageFormat, ...]] = ("svg", "png", "pdf")

INSTALL_HINT: Final = (
    "Graphviz's 'dot' program is needed to draw diagrams but was not found on PATH. "
    "Install Graphviz: 'apt-get install graphviz' (Debian, Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install -c conda-forge graphviz' (conda), "
    "or the installer from graphviz.org (Windows); or set the CHANGEMODEL_DOT environment "
    "variable to the path of 'dot'. Making DOT text (changemodel export --to dot) "
    "needs no Graphviz."
)


class GraphvizNotFoundError(ChangeModelError, OSError):
    """Graphviz ``dot`` is not installed (or not where it was said to be)."""


class RenderError(ChangeModelError, RuntimeError):
    """Graphviz ran but could not draw the diagram; ``stderr`` holds its message and
    ``returncode`` its exit status (negative when a signal ended it: a crash)."""

    def __init__(self, message: str, *, stderr: str = "", returncode: int | None = None) -> None:
        super().__init__(message)
        self.stderr = stderr
        self.returncode = returncode


class LayoutFallbackWarning(UserWarning):
    """Graphviz crashed laying out the diagram with its column boxes, and it was
    drawn without them (same columns and order, no boxes)."""


def find_dot(executable: str | None = None) -> str:
    """The path of Graphviz ``dot``: *executable*, ``$CHANGEMODEL_DOT`` or ``dot`` on PATH."""
    name = executable or os.environ.get("CHANGEMODEL_DOT") or "dot"
    found = shutil.which(name)
    if found is None:
        raise GraphvizNotFoundError(
            INSTALL_HINT if name == "dot" else f"{name!r}: not found. " + INSTALL_HINT
        )
    return found


def _format(format: str) -> ImageFormat:
    lowered = format.lower().lstrip(".")
    for known in IMAGE_FORMATS:
        if lowered == known:
            return known
    raise InvalidValueError(
        f"cannot draw {format!r}: choose one of {', '.join(IMAGE_FORMATS)}",
        attribute="format",
        value=format,
    )


def render_dot(
    dot: str, format: str = "svg", *, executable: str | None = None, timeout: float | None = 120
) -> bytes:
    """Run Graphviz on DOT text and return the image bytes."""
    fmt = _format(format)
    program = find_dot(executable)
    try:
        done = subprocess.run(
            [program, f"-T{fmt}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise GraphvizNotFoundError(INSTALL_HINT) from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {timeout} seconds") from None
    except OSError as exc:
        raise GraphvizNotFoundError(f"cannot run {program}: {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(
            f"Graphviz failed (exit status {done.returncode}): {message or 'no output'}",
            stderr=message,
            returncode=done.returncode,
        )
    return done.stdout


def render(
    model: ChangeModel,
    format: str = "svg",
    *,
    executable: str | None = None,
    **options: Any,
) -> bytes:
    """The model drawn in the MRC layout as SVG, PNG or PDF bytes.

    ``options`` are those of :func:`changemodel.formats.dot.to_pydot` (``rankdir``,
    ``kinds``, ``focus``, ``pathway``, ...).

    Some Graphviz releases (2.43 among them) crash on a few layouts of parallel
    links between boxed columns; when Graphviz is ended by a signal the diagram
    is drawn again without the boxes (``boxes=False``), with a
    :class:`LayoutFallbackWarning`.
    """
    from changemodel.formats.dot import to_dot

    try:
        return render_dot(to_dot(model, **options), format, executable=executable)
    except RenderError as exc:
        crashed = exc.returncode is not None and exc.returncode < 0
        if not crashed or options.get("boxes") is False:
            raise
        why = exc.stderr.splitlines()[-1] if exc.stderr else f"exit status {exc.returncode}"
    image = render_dot(to_dot(model, **{**options, "boxes": False}), format, executable=executable)
    warnings.warn(
        f"Graphviz crashed laying out the column boxes ({why}); the diagram is drawn without them",
        LayoutFallbackWarning,
        stacklevel=2,
    )
    return image


@open_file("wb")
def write_image(
    model: ChangeModel,
    file: IO[bytes],
    /,
    format: str | None = None,
    *,
    executable: str | None = None,
    **options: Any,
) -> LossReport:
    """Draw the model into a path (atomically) or a file open in binary mode; the
    format comes from the file name's suffix unless given.

    Returns what the diagram does not show (see
    :func:`changemodel.formats.dot.dot_losses`).
    """
    from changemodel.formats.dot import dot_losses

    if format is None:
        name = file_name(file)
        if name is None:
            raise InvalidValueError("say which format to draw when writing to an open file")
        format = Path(name).suffix or "svg"
    file.write(render(model, format, executable=executable, **options))
    return dot_losses(model, kinds=options.get("kinds"))


#: Above this many elements a notebook shows the text repr instead of the diagram
#: (Graphviz takes minutes on thousands of nodes); call :func:`render` to draw anyway.
DISPLAY_LIMIT: Final = 400


def _svg_for_display(model: ChangeModel) -> str | None:
    """SVG text for notebooks, or ``None`` (plain repr) when the model is too large
    or Graphviz is missing or fails."""
    if len(model) > DISPLAY_LIMIT:
        return None
    try:
        return render(model, "svg").decode("utf-8")
    except ChangeModelError:
        return None
