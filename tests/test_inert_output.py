"""Terminal output is inert: control characters in model text are shown escaped.

A label holding ESC or BEL could otherwise retitle the terminal window, clear
the screen or fake a hyperlink when a command prints it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel import ChangeModel
from changemodel.cli import cli
from changemodel.formats.canonical import dump

HOSTILE = "Train\x1b]0;owned\x07 staff\x1b[2J\x9b\u202e"


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    model = ChangeModel("Title \x1b]8;;http://evil\x1b\\link")
    activity = model.activity("train", HOSTILE, description="Done\x1b[1A by \x07 teams")
    mechanism = model.mechanism("skill", "Skill \x1b[31m", reasoning="Learn\x1b[0m")
    outcome = model.process_outcome("use", "Use\x07")
    downstream = model.downstream_outcome("health", "Health \x1bc")
    context = model.context("ctx", "Rural\x1b[5m")
    _ = activity >> mechanism >> outcome >> downstream
    context.moderates(mechanism)
    model.mechanism("lonely", "Lonely \x1b[2J")  # a finding in every profile
    path = tmp_path / "model.yaml"
    dump(model, path)
    return path


#: Commands whose output holds model text (the title, labels, descriptions).
COMMANDS = [
    ["validate", "{m}", "--profile", "mrc,realist,evidence,evaluation"],
    ["explain", "{m}", "health"],
    ["explain", "{m}", "health", "--format", "json"],
    ["hypotheses", "{m}"],
    ["hypotheses", "{m}", "--format", "json"],
    ["plan", "{m}"],
    ["plan", "{m}", "--format", "json"],
    ["plan", "{m}", "--format", "csv"],
    ["cmo", "{m}"],
    ["cmo", "{m}", "--format", "json"],
    ["diff", "{m}", "examples/peer_worker/model.yaml"],
    ["diff", "{m}", "examples/peer_worker/model.yaml", "--format", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_control_characters_are_shown_escaped(command: list[str], model_file: Path) -> None:
    args = [part.format(m=model_file) for part in command]
    result = CliRunner().invoke(cli, args, color=True)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = result.stdout + result.stderr
    assert out.strip(), args
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in out, (args, char)
    assert "\\x1b" in out or "\\u001b" in out or "%1B" in out.upper(), args
    if "json" in command:
        json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_validate_for_tools_prints_no_control_characters(fmt: str, model_file: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(model_file), "--format", fmt])
    assert result.stdout.strip()
    assert not any(char in result.stdout for char in ("\x1b", "\x07", "\x9b", "\u202e"))
    if fmt != "github":
        json.loads(result.stdout)


def test_the_colours_of_validate_still_work(model_file: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(model_file), "--color"], color=True)
    assert "\x1b[" in result.stdout  # its own colours
    assert "Title \\x1b]8;;http://evil\\x1b\\link" in result.stdout  # the title's, escaped
