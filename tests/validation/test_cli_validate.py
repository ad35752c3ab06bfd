"""``changemodel validate`` and ``changemodel rules``: outputs, exit status 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel.cli import cli
from changemodel.validation import default_registry
from changemodel.validation.docs import rules_markdown

ROOT = Path(__file__).resolve().parents[2]
PEER = str(ROOT / "examples" / "peer_worker" / "model.yaml")

LOOP = """\
changemodel: 1
title: Loop
elements:
- {id: engagement, kind: mechanism, label: Engagement}
- {id: attendance, kind: process_outcome, label: Attendance}
- {id: spare, kind: output, label: Spare}
links:
- {from: engagement, to: attendance}
- {from: attendance, to: engagement}
"""


@pytest.fixture
def loop(tmp_path: Path) -> str:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_clean_model_exits_0() -> None:
    code, out = run("validate", "--no-config", PEER)
    assert code == 0
    assert "0 errors, 0 warnings, 0 infos" in out


def test_errors_exit_1_and_warnings_only_with_fail_on(loop: str) -> None:
    code, out = run("validate", "--no-config", loop)
    assert code == 1
    assert "CM105 unmarked-cycle" in out and "engagement" in out
    assert run("validate", "--no-config", "-p", "evaluation", PEER)[0] == 0
    assert run("validate", "--no-config", "-p", "evaluation", "--fail-on", "warning", PEER)[0] == 1


def test_unreadable_input_exits_2(tmp_path: Path, loop: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("changemodel: 1\ntitle: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--no-config", str(bad), loop])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output
    assert "CM105" in result.output  # the readable file is still validated
    assert run("validate", "--no-config", str(tmp_path / "missing.yaml"))[0] == 2


def test_usage_errors_exit_2(loop: str) -> None:
    for args in (
        ["--select", "no-such-rule"],
        ["--ignore", "unmarked-cycle"],
        ["--profile", "nope"],
        ["--severity", "black-box-link"],
        ["--format", "xml"],
    ):
        result = CliRunner().invoke(cli, ["validate", "--no-config", *args, loop])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_select_ignore_and_severity_options(loop: str) -> None:
    code, out = run(
        "validate",
        "--no-config",
        "--format",
        "json",
        "--select",
        "black-box-link,fan-limit",
        "--ignore",
        "isolated-element",
        "--severity",
        "backward-link=info",
        loop,
    )
    data = json.loads(out)
    found = {(f["code"], f["severity"]) for f in data["files"][0]["findings"]}
    assert ("CM202", "info") in found
    assert not any(c == "CM201" for c, _ in found)
    assert code == 1  # the unmarked cycle is still an error


def test_sarif_to_a_file(tmp_path: Path, loop: str) -> None:
    import jsonschema

    out = tmp_path / "results.sarif"
    code, printed = run("validate", "--no-config", "--format", "sarif", "-o", str(out), loop, PEER)
    assert code == 1
    assert printed == ""
    schema = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"CM105", "CM201"}


def test_github_format(loop: str) -> None:
    code, out = run("validate", "--no-config", "--format", "github", loop)
    assert code == 1
    assert out.splitlines()[0].startswith("::error file=")


def test_pyproject_is_found_and_can_be_bypassed(
    tmp_path: Path, loop: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.changemodel.validation]\nprofiles = ['evaluation']\nfail_on = 'info'\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out = run("validate", "--format", "json", PEER)
    assert code == 1
    assert {f["code"] for f in json.loads(out)["files"][0]["findings"]} >= {"CM601", "CM602"}
    assert run("validate", "--no-config", PEER)[0] == 0
    (tmp_path / "other.toml").write_text(
        "[tool.changemodel.validation]\nselect = ['nope']\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", "--config", "other.toml", PEER])
    assert result.exit_code == 2
    assert "other.toml" in result.output and "unknown rule 'nope'" in result.output


def test_color_only_when_asked_or_on_a_terminal(loop: str) -> None:
    assert "\x1b[" not in run("validate", "--no-config", loop)[1]
    assert "\x1b[" in run("validate", "--no-config", "--color", loop)[1]


def test_rules_lists_and_explains() -> None:
    code, out = run("rules")
    assert code == 0
    for rule in default_registry().rules:
        assert rule.code in out and rule.name in out
    code, out = run("rules", "--profile", "realist")
    assert "CM401" in out and "CM101" not in out
    code, out = run("rules", "black-box-link")
    assert code == 0
    assert "CM304 black-box-link" in out and "Why it matters" in out
    assert run("rules", "no-such-rule")[0] == 2


def test_rules_markdown_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "rules.md"
    assert run("rules", "--markdown", "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == rules_markdown()
