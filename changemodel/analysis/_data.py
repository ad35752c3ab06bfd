"""Plain data (for JSON) from the frozen objects the analysis returns."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from changemodel.domain import Element

__all__ = ["plain"]


def plain(value: Any) -> Any:
    """Mappings, lists, text and numbers: attrs objects become mappings of their set
    fields (an element also gets its ``kind``), enums their value, tuples lists."""
    if isinstance(value, Element):
        return {"kind": value.kind.value, **_fields(value)}
    if attrs.has(type(value)):
        return _fields(value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _fields(obj: Any) -> dict[str, Any]:
    return {
        f.name: plain(getattr(obj, f.name))
        for f in attrs.fields(type(obj))
        if getattr(obj, f.name) not in (None, ())
    }
