"""A file that cannot be loaded never reads as a clean one.

SARIF says the run did not succeed and names the file; JSON lists it under
``errors``; GitHub annotates it. ``check`` runs the integrity rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from changemodel.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples/peer_worker/model.yaml")
BROKEN = "changemodel: 1\ntitle: T\nelements:\n- id: a\n  kind: activty\n  label: A\n"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sarif_says_the_run_failed_and_names_the_file(broken: Path) -> None:
    code, out, _ = run("validate", str(broken), EXAMPLE, "--format", "sarif")
    assert code == 2
    log: dict[str, Any] = json.loads(out)
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "unknown kind 'activty'" in note["message"]["text"]
    physical = note["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == broken.as_uri()
    assert physical["region"] == {"startLine": 5, "startColumn": 3}


def test_sarif_of_a_good_run_says_it_succeeded() -> None:
    code, out, _ = run("validate", EXAMPLE, "--format", "sarif")
    assert code == 0
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_json_lists_the_files_it_could_not_read(broken: Path) -> None:
    code, out, _ = run("validate", str(broken), "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert data["failed"] is True
    assert data["errors"] == [
        {
            "file": str(broken),
            "line": 5,
            "column": 3,
            "message": "elements[0].kind: unknown kind 'activty' (expected one of input,"
            " activity, output, mechanism, context, process_outcome, downstream_outcome,"
            " assumption); did you mean 'activity'?",
        }
    ]


def test_github_annotates_the_file_it_could_not_read(broken: Path) -> None:
    code, out, _ = run("validate", str(broken), "--format", "github")
    assert code == 2
    assert out.startswith(f"::error file={broken},line=5,col=3,title=cannot read the model::")


MISUSED = """\
changemodel: 1
title: T
elements:
- {id: a, kind: activity, label: A}
- {id: m, kind: mechanism, label: M}
- {id: o, kind: process_outcome, label: O}
- {id: c, kind: context, label: C}
links:
- {from: a, to: m}
- {from: m, to: o}
- {from: c, to: o}
- {from: m, to: a, relation: moderates}
validation:
  severity: {relation-not-allowed: info}
"""


def test_check_runs_the_integrity_rules(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MISUSED)
    code, out, _ = run("check", str(path))
    assert code == 1
    assert "problem: CM103 relation-not-allowed: A leads_to link cannot run from a context" in out
    assert "A moderates link cannot run from a mechanism ('m') to an activity ('a')" in out
    assert out.rstrip().endswith("problems found")


def test_explain_says_when_the_id_is_not_an_outcome() -> None:
    code, _, err = run("explain", EXAMPLE, "peer_support")
    assert code == 0
    assert "note: 'peer_support' is an activity, not an outcome" in err
    code, _, err = run("explain", EXAMPLE, "distinct_role")
    assert "note: 'distinct_role' is a context, not an outcome" in err
    code, _, err = run("explain", EXAMPLE, "wellbeing")
    assert "note:" not in err
