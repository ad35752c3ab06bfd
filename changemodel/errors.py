"""The library's exceptions.

Every error raised on purpose by :mod:`changemodel` derives from
:class:`ChangeModelError` and from the built-in exception that fits it
(``ValueError`` for bad values, ``LookupError`` for unknown ids, ``OSError``
for missing tools), so callers can catch either.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "ChangeModelError",
    "DuplicateIdError",
    "IntegrityError",
    "InvalidIdError",
    "InvalidValueError",
    "LoadError",
    "LoadErrors",
    "Location",
    "SettingsError",
    "UnknownIdError",
    "did_you_mean",
]


@attrs.frozen(order=True)
class Location:
    """Where something is in a file: path, 1-based line and column."""

    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def did_you_mean(value: str, candidates: Iterable[str]) -> str | None:
    """Return the closest candidate to *value*, or ``None`` when none is close."""
    if not isinstance(value, str):  # a null or a number where a name belongs
        return None
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class ChangeModelError(Exception):
    """Base class of every error raised by changemodel."""


class InvalidValueError(ChangeModelError, ValueError):
    """A value given to a domain object is not acceptable.

    Carries the attribute name and the offending value.
    """

    def __init__(self, message: str, *, attribute: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.attribute = attribute
        self.value = value


class InvalidIdError(InvalidValueError):
    """An identifier does not follow the id syntax."""


class IntegrityError(ChangeModelError, ValueError):
    """A change would break the model's referential integrity."""


class DuplicateIdError(IntegrityError):
    """An id is already used in the model (or collides with one after normalisation)."""


class UnknownIdError(ChangeModelError, LookupError):
    """An id names nothing in the model."""

    def __init__(self, message: str, *, id: str, suggestion: str | None = None) -> None:
        self.reason = message
        if suggestion:
            message = f"{message} (did you mean {suggestion!r}?)"
        super().__init__(message)
        self.id = id
        self.suggestion = suggestion

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return str(self.args[0])


class LoadError(ChangeModelError, ValueError):
    """A document could not be read as a change model.

    The message says what and where; the fields carry the same facts for tools.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        path: str | None = None,
        value: object = None,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.reason = message
        self.location = location
        self.path = path
        self.value = value
        self.expected = expected
        self.suggestion = suggestion
        super().__init__(self._format())

    def _format(self) -> str:
        where = str(self.location) if self.location is not None else "<input>"
        text = f"{where}: "
        if self.path:
            text += f"{self.path}: "
        text += self.reason
        if self.expected:
            text += f" (expected {self.expected})"
        if self.suggestion:
            text += f"; did you mean {self.suggestion!r}?"
        return text


class LoadErrors(LoadError):
    """Several load errors found at once; ``errors`` holds each of them."""

    def __init__(self, errors: Sequence[LoadError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0]
        super().__init__(
            first.reason,
            location=first.location,
            path=first.path,
            value=first.value,
            expected=first.expected,
            suggestion=first.suggestion,
        )

    def _format(self) -> str:
        lines = [f"{len(self.errors)} problems:"]
        lines.extend(f"  {error}" for error in self.errors)
        return "\n".join(lines)


class SettingsError(LoadErrors):
    """Validation settings are malformed: ``errors`` holds each problem with where it
    is (a model file's ``validation:`` section, ``pyproject.toml``, arguments)."""

    @property
    def problems(self) -> tuple[str, ...]:
        """Each problem as text, where first."""
        return tuple(str(error) for error in self.errors)

    def _format(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"{len(self.errors)} problems in the validation settings:"]
        lines.extend(f"  {error}" for error in self.errors)
        return "\n".join(lines)
