"""JSON as the importers read it: what cannot become a model is refused, located.

Shared by node-link, Kumu, the JSON lists inside GraphML attributes and the
JSON cells of spreadsheets. Beyond the syntax, it refuses what would break
later: integers too long to convert, numbers that are not finite, nesting
deeper than any model needs, and lone surrogates (``"\\ud800"``), which no
file can hold as UTF-8 and so could never be written back.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from changemodel.errors import LoadError, Location

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "check_data", "check_text", "parse_json"]

#: Nesting deeper than this is refused: a model file needs about six levels.
MAX_DEPTH: Final = 64
#: Integers with more digits than this are refused (no field needs them).
MAX_DIGITS: Final = 20


class _NumberError(ValueError):
    def __init__(self, text: str, reason: str) -> None:
        super().__init__(reason)
        self.text = text
        self.reason = reason


def _int(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > MAX_DIGITS:
        raise _NumberError(text, f"an integer of {len(digits)} digits is too large")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberError(text, f"the number {text[:40]} is too large")
    return value


def _constant(name: str) -> Any:
    raise _NumberError(name, f"{name} is not a number a model can hold")


def _location(text: str, file: str | None, position: int) -> Location:
    if position < 0:
        return Location(file)
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Location(file, line, column)


def parse_json(text: str, file: str | None = None, *, check: bool = True) -> Any:
    """Parse JSON *text* (from *file*) into plain data, or raise a located :class:`LoadError`.

    With ``check=False`` the data is not walked (:func:`check_data` does it later).
    """
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"not JSON: {exc.msg}", location=Location(file, exc.lineno, exc.colno)
        ) from None
    except _NumberError as exc:
        raise LoadError(exc.reason, location=_location(text, file, text.find(exc.text))) from None
    except RecursionError:
        raise LoadError(
            f"the JSON is nested more than {MAX_DEPTH} levels deep", location=Location(file)
        ) from None
    if check:
        check_data(data, file)
    return data


def check_text(text: str, file: str | None, where: str) -> None:
    """Refuse text holding a lone surrogate, which cannot be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise LoadError(
            f"{where}: the text holds a lone surrogate"
            f" (U+{ord(text[exc.start]):04X}), which no file can hold",
            location=Location(file),
        ) from None


def _path(keys: tuple[str | int, ...]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out or "the document"


def check_data(data: Any, file: str | None = None) -> None:
    """Refuse plain data nested too deeply or holding text that cannot be written.

    The walk uses no recursion, so any depth is reported rather than crashing;
    the path of an item is worked out only when it is refused.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, keys = stack.pop()
        kind = type(value)
        if kind is str:
            if not value.isascii():
                check_text(value, file, _path(keys))
            continue
        if kind is not dict and kind is not list:
            continue
        if len(keys) >= MAX_DEPTH:
            raise LoadError(
                f"{_path(keys)}: nested more than {MAX_DEPTH} levels deep",
                location=Location(file),
            )
        if kind is dict:
            for key, item in value.items():
                if type(key) is str and not key.isascii():
                    check_text(key, file, _path(keys))
                if type(item) is str:
                    if not item.isascii():
                        check_text(item, file, _path((*keys, key)))
                else:
                    stack.append((item, (*keys, key)))
        else:
            for i, item in enumerate(value):
                if type(item) is str:
                    if not item.isascii():
                        check_text(item, file, _path((*keys, i)))
                else:
                    stack.append((item, (*keys, i)))
