"""Report formats, read back with real parsers: JSON, SARIF against its schema, GitHub commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from changemodel import loads
from changemodel.errors import ChangeModelError
from changemodel.validation import Report, validate
from changemodel.validation.output import (
    render,
    render_github,
    render_json,
    render_sarif,
    render_text,
)

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]

MODEL = """\
changemodel: 1
title: Output test
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: 'Hope, "confidence": 100%'}
- {id: leaflets, kind: output, label: Leaflets}
links:
- {from: support, to: hope}
- {from: hope, to: support}
validation:
  suppress:
  - {rule: isolated-element, target: leaflets, reason: "Linked later, see issue #4"}
"""


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    gappy = loads(MODEL, file="models/gappy model.yaml")
    peer = loads(
        (ROOT / "examples/peer_worker/model.yaml").read_text(encoding="utf-8"),
        file="examples/peer_worker/model.yaml",
    )
    return [
        validate(gappy, profiles=["structure", "mrc", "evidence"]),
        validate(peer, profiles=["mrc", "realist", "evidence", "evaluation"]),
    ]


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    return schema


def test_json_round_trips_every_finding(reports: list[Report]) -> None:
    data = json.loads(render_json(reports))
    assert data["version"] == 1
    assert data["failed"] is True
    assert [f["file"] for f in data["files"]] == [r.source for r in reports]
    for file, report in zip(data["files"], reports, strict=True):
        assert [f["code"] for f in file["findings"]] == [f.code for f in report]
        assert file["counts"] == report.counts()
        for item, finding in zip(file["findings"], report, strict=True):
            assert item["message"] == finding.message
            assert item["line"] == (finding.location.line if finding.location else None)
    suppressed = data["files"][0]["suppressed"]
    assert [(s["code"], s["element"], s["reason"]) for s in suppressed] == [
        ("CM201", "leaflets", "Linked later, see issue #4")
    ]


def test_sarif_validates_against_the_2_1_0_schema(
    reports: list[Report], sarif_schema: dict[str, Any]
) -> None:
    log = json.loads(render_sarif(reports))
    jsonschema.validate(log, sarif_schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == sum(len(r) + len(r.suppressed) for r in reports)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
    located = [r for r in results if "region" in r["locations"][0].get("physicalLocation", {})]
    assert located
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in located}
    assert uris == {"models/gappy model.yaml", "examples/peer_worker/model.yaml"}
    suppressed = [r for r in results if "suppressions" in r]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == [
        "Linked later, see issue #4"
    ]


def test_sarif_of_nothing_is_still_valid(sarif_schema: dict[str, Any]) -> None:
    log = json.loads(render_sarif([]))
    jsonschema.validate(log, sarif_schema)
    assert log["runs"][0]["results"] == []


def test_sarif_absolute_paths_become_file_uris(
    tmp_path: Path, sarif_schema: dict[str, Any]
) -> None:
    path = tmp_path / "m.yaml"
    report = validate(loads(MODEL, file=str(path)))
    log = json.loads(render_sarif([report]))
    jsonschema.validate(log, sarif_schema)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == path.as_uri()


COMMAND = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*,?)*)::(.*)$")


def _unescape(text: str) -> str:
    return (
        text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",")
    ).replace("%25", "%")


def test_github_annotations_parse_back(reports: list[Report]) -> None:
    lines = render_github(reports).splitlines()
    findings = [f for r in reports for f in r]
    assert len(lines) == len(findings)
    for line, finding in zip(lines, findings, strict=True):
        match = COMMAND.match(line)
        assert match, line
        level, props, message = match.groups()
        assert (
            level
            == {"error": "error", "warning": "warning", "info": "notice"}[finding.severity.value]
        )
        fields = dict(p.split("=", 1) for p in props.split(",") if p)
        assert _unescape(fields["title"]) == f"{finding.code} {finding.name}"
        assert finding.location is not None
        assert _unescape(fields["file"]) == finding.location.file
        if finding.location.line is not None:
            assert int(fields["line"]) == finding.location.line
        assert _unescape(message).endswith(finding.message)


def test_github_escapes_newlines_and_percent() -> None:
    report = validate(loads(MODEL, file="a,b:c%.yaml"))
    text = render_github([report])
    assert "file=a%2Cb%3Ac%25.yaml" in text
    assert all(line.startswith("::") for line in text.splitlines())


def test_text_is_grouped_by_target_and_plain_unless_asked(reports: list[Report]) -> None:
    plain = render_text(reports)
    assert "\x1b[" not in plain
    lines = plain.splitlines()
    assert lines[0] == "models/gappy model.yaml: Output test"
    assert "  support->hope  (line 8)" in lines or "  hope->support  (line 9)" in lines
    for report in reports:
        heads = [
            ln
            for ln in render_text([report]).splitlines()[1:-1]
            if ln.startswith("  ") and not ln.startswith("    ")
        ]
        targets = [h.split("  (")[0].strip() for h in heads]
        assert sorted(targets) == sorted({f.target or "model" for f in report})
    coloured = render_text(reports, color=True)
    assert "\x1b[1;31merror\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_render_dispatches_and_refuses_unknown_formats(reports: list[Report]) -> None:
    assert render("json", reports) == render_json(reports)
    assert render("github", reports) == render_github(reports)
    assert render("text", reports) == render_text(reports)
    with pytest.raises(ChangeModelError, match="unknown output format"):
        render("xml", reports)
