"""Findings, severities and the report of one validation run.

A :class:`Finding` is a complete, immutable record: the rule's code and name,
a severity, a message written for the person who owns the theory, where it is
(element or link id, file, line and column) and a hint for fixing it.

>>> f = Finding("CM201", "isolated-element", Severity.WARNING, "Nothing links to 'x'.",
...             element="x")
>>> print(f)
x: warning CM201 isolated-element: Nothing links to 'x'.
>>> Severity.ERROR > Severity.WARNING > Severity.INFO
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from changemodel.domain import Severity
from changemodel.errors import ChangeModelError, Location
from changemodel.text import count

__all__ = ["Finding", "Report", "Severity", "Suppressed", "ValidationError"]


@attrs.frozen
class Finding:
    """One thing a rule found.

    ``element`` is the id of the element the finding is about, ``link`` the
    :attr:`~changemodel.domain.Link.id` of the link, ``item`` the id of a
    theory or reference; a finding about the model as a whole has none of
    them. ``related`` lists other ids involved (the members of a cycle, say).
    """

    code: str
    name: str
    severity: Severity
    message: str
    element: str | None = None
    link: str | None = None
    item: str | None = None
    related: tuple[str, ...] = ()
    location: Location | None = None
    hint: str | None = None

    @property
    def target(self) -> str | None:
        """The element, link, theory or reference id this finding is about
        (``None`` for the model as a whole)."""
        if self.element is not None:
            return self.element
        return self.link if self.link is not None else self.item

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Most severe first, then by file position, target, code and message."""
        loc = self.location
        return (
            -self.severity.rank,
            (loc.file or "") if loc else "",
            (loc.line or 0) if loc else 0,
            (loc.column or 0) if loc else 0,
            self.target or "",
            self.code,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """Deprecated since 0.2: the same as :meth:`to_data`."""
        _deprecated("Finding.to_dict()", "Finding.to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON (``None`` fields included, so the shape is fixed)."""
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "element": self.element,
            "link": self.link,
            "item": self.item,
            "related": list(self.related),
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        where = str(self.location) if self.location and self.location.file else None
        about = self.target or "model"
        head = f"{where}: {about}" if where else about
        return f"{head}: {self.severity.value} {self.code} {self.name}: {self.message}"


@attrs.frozen
class Suppressed:
    """A finding silenced by a ``suppress:`` entry, with the reason given for it."""

    finding: Finding
    reason: str


@attrs.frozen
class Report:
    """The findings of one validation run, most serious first.

    ``failed`` is true when a finding is at or above ``fail_on``. ``unused``
    describes the suppressions that silenced nothing although their rule ran:
    the gap they excused has been closed, or the target is not the one meant.
    """

    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...] = ()
    fail_on: Severity = Severity.ERROR
    title: str | None = None
    source: str | None = None
    rules: tuple[str, ...] = ()
    #: suppressions of rules that ran but that matched no finding (stale, or mistyped)
    unused: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        findings: Sequence[Finding],
        suppressed: Sequence[Suppressed] = (),
        **fields: Any,
    ) -> Report:
        """A report with the findings sorted by severity, place and code."""
        return cls(
            tuple(sorted(findings, key=lambda f: f.sort_key)),
            tuple(sorted(suppressed, key=lambda s: s.finding.sort_key)),
            **fields,
        )

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        """The findings of exactly this severity."""
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error``."""
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of severity ``warning``."""
        return self.of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Finding, ...]:
        """The findings of severity ``info``."""
        return self.of(Severity.INFO)

    @property
    def failing(self) -> tuple[Finding, ...]:
        """The findings at or above the failure threshold."""
        return tuple(f for f in self.findings if f.severity >= self.fail_on)

    @property
    def failed(self) -> bool:
        """True when a finding is at or above the failure threshold (``fail_on``)."""
        return any(f.severity >= self.fail_on for f in self.findings)

    @property
    def codes(self) -> frozenset[str]:
        """The codes of the rules that found something."""
        return frozenset(f.code for f in self.findings)

    def counts(self) -> dict[str, int]:
        """How many findings of each severity (and how many were suppressed)."""
        out = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in self.findings:
            out[f.severity.value] += 1
        out["suppressed"] = len(self.suppressed)
        return out

    def by_target(self) -> Mapping[str | None, tuple[Finding, ...]]:
        """Findings grouped by element or link id (``None`` for the model), in report order."""
        groups: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.target, []).append(f)
        return {k: tuple(v) for k, v in groups.items()}

    def summary(self) -> str:
        """``"2 errors, 1 warning, 0 infos"`` (plus suppressed, when any)."""
        c = self.counts()
        parts = [_plural(c["error"], "error"), _plural(c["warning"], "warning")]
        parts.append(_plural(c["info"], "info"))
        text = ", ".join(parts)
        if c["suppressed"]:
            text += f" ({c['suppressed']} suppressed)"
        return text

    def raise_for_failure(self) -> None:
        """Raise :class:`ValidationError` with every failing finding, if there is any."""
        failing = self.failing
        if failing:
            raise ValidationError(failing, report=self)

    def to_dict(self) -> dict[str, Any]:
        """Deprecated since 0.2: the same as :meth:`to_data`."""
        _deprecated("Report.to_dict()", "Report.to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the counts, every finding and every suppression."""
        return {
            "file": self.source,
            "title": self.title,
            "failed": self.failed,
            "fail_on": self.fail_on.value,
            "counts": self.counts(),
            "findings": [f.to_data() for f in self.findings],
            "suppressed": [{**s.finding.to_data(), "reason": s.reason} for s in self.suppressed],
            "unused_suppressions": list(self.unused),
        }


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is deprecated and will be removed in 0.3; use {new}",
        DeprecationWarning,
        stacklevel=3,
    )


def _plural(n: int, word: str) -> str:
    return count(n, word)


class ValidationError(ChangeModelError, ValueError):
    """A model has findings at or above the failure threshold.

    ``findings`` holds every one of them (not only the first); ``report`` the
    whole report.
    """

    def __init__(self, findings: Sequence[Finding], *, report: Report | None = None) -> None:
        self.findings = tuple(findings)
        self.report = report
        lines = [f"{count(len(self.findings), 'validation finding')} at or above the threshold:"]
        lines.extend(f"  {f}" for f in self.findings)
        super().__init__("\n".join(lines))
