"""changemodel: logic models and theories of change as typed, checkable graph objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from changemodel.domain import (
    Activity,
    Actor,
    Assumption,
    Context,
    DownstreamOutcome,
    Element,
    Evidence,
    EvidenceStatus,
    Horizon,
    Indicator,
    Input,
    Kind,
    Link,
    Mechanism,
    Output,
    ProcessOutcome,
    Reference,
    Relation,
    Sign,
    Strength,
    Theory,
)
from changemodel.errors import (
    ChangeModelError,
    DuplicateIdError,
    IntegrityError,
    InvalidIdError,
    InvalidValueError,
    LoadError,
    LoadErrors,
    Location,
    UnknownIdError,
)
from changemodel.model import ChangeModel, ElementRef

# The formats package is light; importing it registers the notebook diagram.
import changemodel.formats  # noqa: F401  isort: skip

if TYPE_CHECKING:
    from changemodel.formats.canonical import dump, dumps, load, loads
    from changemodel.formats.frames import from_frames, to_frames

# Reading and writing files needs PyYAML, data frames need pandas: imported on
# first use, so that ``import changemodel`` stays cheap for code that only
# builds models.
_LAZY = {
    "dump": "changemodel.formats.canonical",
    "dumps": "changemodel.formats.canonical",
    "load": "changemodel.formats.canonical",
    "loads": "changemodel.formats.canonical",
    "from_frames": "changemodel.formats.frames",
    "to_frames": "changemodel.formats.frames",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'changemodel' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Actor",
    "Assumption",
    "ChangeModel",
    "ChangeModelError",
    "Context",
    "DownstreamOutcome",
    "DuplicateIdError",
    "Element",
    "ElementRef",
    "Evidence",
    "EvidenceStatus",
    "Horizon",
    "Indicator",
    "Input",
    "IntegrityError",
    "InvalidIdError",
    "InvalidValueError",
    "Kind",
    "Link",
    "LoadError",
    "LoadErrors",
    "Location",
    "Mechanism",
    "Output",
    "ProcessOutcome",
    "Reference",
    "Relation",
    "Sign",
    "Strength",
    "Theory",
    "UnknownIdError",
    "__version__",
    "dump",
    "dumps",
    "from_frames",
    "load",
    "loads",
    "to_frames",
]
