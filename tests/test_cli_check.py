"""``changemodel check`` and ``changemodel schema`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from changemodel.cli import cli

EXAMPLE = "examples/peer_worker/model.yaml"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_example_prints_summary() -> None:
    code, out, _ = run("check", EXAMPLE)
    assert code == 0
    assert "12 elements" in out
    assert "3 mechanisms" in out
    assert out.rstrip().endswith("ok")


def test_check_reports_unreadable_file_with_status_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("changemodel: 1\ntitle: T\nelements:\n- id: a\n  kind: activty\n  label: A\n")
    code, _, err = run("check", str(bad))
    assert code == 2
    assert f"{bad}:5:3: elements[0].kind: unknown kind 'activty'" in err
    assert "did you mean 'activity'" in err


def test_check_reports_unmarked_cycle_with_status_1(tmp_path: Path) -> None:
    cyclic = tmp_path / "cyclic.yaml"
    cyclic.write_text(
        "changemodel: 1\ntitle: T\nelements:\n"
        "- {id: a, kind: mechanism, label: A}\n- {id: b, kind: mechanism, label: B}\n"
        "links:\n- {from: a, to: b}\n- {from: b, to: a}\n"
    )
    code, out, _ = run("check", str(cyclic), EXAMPLE)
    assert code == 1
    assert "CM105 unmarked-cycle: The causal links loop back without a feedback mark" in out


def test_missing_file_is_status_2() -> None:
    code, _, err = run("check", "no/such/file.yaml")
    assert code == 2
    assert "cannot read the file" in err


def test_schema_prints_a_valid_json_schema(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(out))
    code, _, _ = run("schema", "-o", str(tmp_path / "s.json"))
    assert code == 0
    assert json.loads((tmp_path / "s.json").read_text()) == json.loads(out)


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "changemodel", "check", EXAMPLE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Peer worker change model" in proc.stdout
