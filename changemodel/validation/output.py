"""Writing reports out: text for people, JSON for tools, SARIF 2.1.0 for code-scanning
services, and GitHub workflow annotations.

Each function takes a sequence of reports (one per model file) and returns text.

>>> from changemodel import ChangeModel
>>> from changemodel.validation import validate
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.mechanism("m", "Why")
>>> _ = m.output("x", "Leaflets")
>>> print(render_text([validate(m)], hints=False), end="")
Tiny
  x
    warning CM201 isolated-element: Output 'x' has no links.
  0 errors, 1 warning, 0 infos
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from changemodel.validation.defaults import default_registry
from changemodel.validation.findings import Finding, Report, Severity
from changemodel.validation.registry import Registry, Rule

__all__ = [
    "FORMATS",
    "SARIF_SCHEMA",
    "LoadFailure",
    "render",
    "render_github",
    "render_json",
    "render_sarif",
    "render_text",
]

#: The output formats, by name.
FORMATS: Final = ("text", "json", "sarif", "github")
SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"

_COLOURS: Final = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
}
_BOLD: Final = "\x1b[1m"
_DIM: Final = "\x1b[2m"
_RESET: Final = "\x1b[0m"


@attrs.frozen
class LoadFailure:
    """A file that could not be validated because it could not be read as a model."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def to_data(self) -> dict[str, Any]:
        """The failure as plain data: ``file``, ``message``, and ``line`` and
        ``column`` when known."""
        data: dict[str, Any] = {"file": self.file, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        if self.column is not None:
            data["column"] = self.column
        return data


def render(
    format: str,
    reports: Sequence[Report],
    *,
    color: bool = False,
    registry: Registry | None = None,
    failures: Sequence[LoadFailure] = (),
) -> str:
    """Render *reports* in one of :data:`FORMATS`.

    *failures* are the files that could not be read: the JSON, SARIF and
    GitHub formats carry them, so that a broken file never reads as a clean
    one (the text format leaves them to the error messages).
    """
    if format == "text":
        return render_text(reports, color=color)
    if format == "json":
        return render_json(reports, failures=failures)
    if format == "sarif":
        return render_sarif(reports, registry=registry, failures=failures)
    if format == "github":
        return render_github(reports, failures=failures)
    from changemodel.errors import InvalidValueError

    raise InvalidValueError(
        f"unknown output format {format!r}; expected one of {', '.join(FORMATS)}", value=format
    )


# ---------------------------------------------------------------------- text


def render_text(reports: Sequence[Report], *, color: bool = False, hints: bool = True) -> str:
    """Findings grouped by element or link, most serious first; ANSI colours only
    when *color* is true (a terminal)."""

    from changemodel._terminal import inert

    def paint(text: str, code: str) -> str:
        text = inert(text)
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    for report in reports:
        head = report.source or report.title or "model"
        if report.source and report.title:
            head = f"{report.source}: {report.title}"
        lines.append(paint(head, _BOLD))
        groups = report.by_target()
        for target in sorted(groups, key=lambda t: t is None):
            findings = groups[target]
            where = ""
            loc = findings[0].location
            if target is not None and loc is not None and loc.line is not None:
                where = paint(f"  (line {loc.line})", _DIM)
            lines.append(f"  {inert(str(target)) if target is not None else 'model'}{where}")
            for f in findings:
                level = paint(f.severity.value, _COLOURS[f.severity])
                lines.append(f"    {level} {paint(f.code, _DIM)} {f.name}: {inert(f.message)}")
                if hints and f.hint:
                    lines.append(paint(f"      hint: {f.hint}", _DIM))
        for note in report.unused:
            lines.append(paint(f"  note: {note}", _DIM))
        lines.append(f"  {report.summary()}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- json


def render_json(reports: Sequence[Report], *, failures: Sequence[LoadFailure] = ()) -> str:
    """One JSON document: ``{"version": 1, "failed": ..., "files": [report, ...]}``,
    with ``"errors"`` listing the files that could not be read (then ``failed``)."""
    data: dict[str, Any] = {
        "version": 1,
        "failed": bool(failures) or any(r.failed for r in reports),
        "files": [r.to_data() for r in reports],
    }
    if failures:
        data["errors"] = [f.to_data() for f in failures]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------- sarif

_LEVEL: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return path.as_posix()


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    help_text = f"{rule.what}\n\nWhy it matters: {rule.why}"
    if rule.hint:
        help_text += f"\n\nHow to fix: {rule.hint}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what or rule.name},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": list(rule.profiles)},
    }


def _sarif_result(finding: Finding, index: int | None, reason: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
    }
    if index is not None:
        result["ruleIndex"] = index
    location: dict[str, Any] = {}
    loc = finding.location
    if loc is not None and loc.file and not loc.file.startswith("<"):
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
        if loc.line is not None:
            region: dict[str, Any] = {"startLine": loc.line}
            if loc.column is not None:
                region["startColumn"] = loc.column
            physical["region"] = region
        location["physicalLocation"] = physical
    if finding.target is not None:
        kind = "element" if finding.element else "link" if finding.link else "item"
        location["logicalLocations"] = [
            {"name": finding.target, "fullyQualifiedName": f"{kind}:{finding.target}"}
        ]
    if location:
        result["locations"] = [location]
    properties: dict[str, Any] = {"name": finding.name}
    if finding.related:
        properties["related"] = list(finding.related)
    if finding.hint:
        properties["hint"] = finding.hint
    result["properties"] = properties
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("changemodel")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _sarif_notification(failure: LoadFailure) -> dict[str, Any]:
    region: dict[str, int] = {}
    if failure.line is not None:
        region["startLine"] = failure.line
        if failure.column is not None:
            region["startColumn"] = failure.column
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(failure.file)}}
    if region:
        physical["region"] = region
    return {
        "level": "error",
        "message": {"text": f"cannot read {failure.file} as a model: {failure.message}"},
        "locations": [{"physicalLocation": physical}],
    }


def render_sarif(
    reports: Sequence[Report],
    *,
    registry: Registry | None = None,
    failures: Sequence[LoadFailure] = (),
) -> str:
    """A SARIF 2.1.0 log with one run; suppressed findings carry their justification.

    The run's invocation says whether every file could be read
    (``executionSuccessful``), and names each one that could not in a
    ``toolExecutionNotifications`` entry, so a broken file never shows as
    "no problems" in code scanning.
    """
    registry = registry or default_registry()
    used: list[str] = []
    for report in reports:
        for f in (*report.findings, *(s.finding for s in report.suppressed)):
            if f.code not in used:
                used.append(f.code)
    rules = [registry.resolve(code) for code in sorted(used) if code in registry]
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for report in reports:
        for f in report.findings:
            results.append(_sarif_result(f, index.get(f.code), None))
        for s in report.suppressed:
            results.append(_sarif_result(s.finding, index.get(s.finding.code), s.reason))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "changemodel",
                        "version": _version(),
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not failures,
                        "toolExecutionNotifications": [_sarif_notification(f) for f in failures],
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -------------------------------------------------------------------- github

_COMMAND: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    from changemodel._terminal import inert

    return inert(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: Sequence[Report], *, failures: Sequence[LoadFailure] = ()) -> str:
    """GitHub Actions workflow commands, one per finding:
    ``::error file=...,line=...,title=...::message``; a file that could not be
    read is an error of its own."""
    lines = []
    for failure in failures:
        props = [f"file={_escape_property(failure.file)}"]
        if failure.line is not None:
            props.append(f"line={failure.line}")
            if failure.column is not None:
                props.append(f"col={failure.column}")
        props.append(f"title={_escape_property('cannot read the model')}")
        lines.append(f"::error {','.join(props)}::{_escape_data(failure.message)}")
    for report in reports:
        for f in report.findings:
            props = []
            loc = f.location
            if loc is not None and loc.file and not loc.file.startswith("<"):
                props.append(f"file={_escape_property(loc.file)}")
                if loc.line is not None:
                    props.append(f"line={loc.line}")
                    if loc.column is not None:
                        props.append(f"col={loc.column}")
            props.append(f"title={_escape_property(f'{f.code} {f.name}')}")
            about = f"{f.target}: " if f.target else ""
            lines.append(
                f"::{_COMMAND[f.severity]} {','.join(props)}::{_escape_data(about + f.message)}"
            )
    return "".join(line + "\n" for line in lines)
