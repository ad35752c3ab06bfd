"""Reading and writing models: the canonical file and the formats people use.

Each format is a module of its own with symmetric names (``to_dot`` /
``write_dot``, ``write_graphml`` / ``read_graphml``, ...). Writers into a
poorer format return a :class:`~changemodel.formats.loss.LossReport` naming
what the format could not carry. Heavy or optional dependencies are imported
inside the functions that need them.

Every reader refuses input larger than :data:`DEFAULT_INPUT_LIMIT` (256 MiB)
with :class:`InputTooLargeError`; :func:`input_limit` sets another limit for
a block of code (``changemodel --max-input-size`` on the command line).

Importing this package registers the notebook diagram of a model
(``ChangeModel._repr_svg_``), drawn by :mod:`changemodel.formats.render`.
"""

from __future__ import annotations

from changemodel.formats._files import (
    DEFAULT_INPUT_LIMIT,
    InputTooLargeError,
    WriteError,
    input_limit,
    max_input_size,
)
from changemodel.model import DISPLAY_HOOKS, ChangeModel

__all__ = [
    "DEFAULT_INPUT_LIMIT",
    "InputTooLargeError",
    "WriteError",
    "input_limit",
    "max_input_size",
]


def _svg(model: ChangeModel) -> str | None:
    from changemodel.formats.render import _svg_for_display

    return _svg_for_display(model)


DISPLAY_HOOKS.setdefault("image/svg+xml", _svg)
