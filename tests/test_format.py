"""``changemodel format`` and ``changemodel new``: the canonical style with the
file's comments kept, and scaffolds that validate."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, dumps, load, loads
from changemodel.cli import cli
from changemodel.formats.scaffold import MODELINE, TEMPLATES, template_text, write_template
from changemodel.formats.schema import schema
from changemodel.formats.style import CommentsLost, format_text
from changemodel.testing.strategies import models
from changemodel.validation import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/model.yaml"))

MESSY = """\
# yaml-language-server: $schema=schema.json
# The peer support theory, second draft.
changemodel: 1
title: "Peer support"   # working title
links:
  - {from: support, to: hope, sign: reduces}   # odd, but observed
  - from: support
    to: trust
elements:
  # outcomes
  - id: hope
    kind: process_outcome
    label: 'Hope # and empowerment'
    description: |
      Measured with # the hope scale
      at twelve months.
  - id: trust        # the mechanism
    kind: mechanism
    label: Trust
  - id: support
    kind: activity
    label: Peer support
    tags: [pilot, site-a]   # sites
# end of the file
"""


def test_a_messy_file_is_canonical_with_every_comment_kept() -> None:
    result = format_text(MESSY)
    assert result.changed
    assert loads(result.text) == loads(MESSY)
    body = "\n".join(line for line in result.text.splitlines() if not line.lstrip().startswith("#"))
    assert yaml.safe_load(body) == yaml.safe_load(dumps(loads(MESSY)))
    lines = result.text.splitlines()
    assert lines[:2] == MESSY.splitlines()[:2]
    assert "title: Peer support  # working title" in lines
    assert lines[-1] == "# end of the file"
    # a comment on its own line stays above what followed it
    assert lines[lines.index("- id: hope") - 1] == "# outcomes"
    assert "- id: trust  # the mechanism" in lines
    assert "- from: support  # odd, but observed" in lines
    assert "  # sites" in "\n".join(lines) or any(line.endswith("# sites") for line in lines)
    # a '#' inside text is text
    assert "  label: 'Hope # and empowerment'" in lines
    assert "    Measured with # the hope scale" in lines
    assert format_text(result.text).changed is False


def test_a_comment_on_a_default_value_is_not_dropped_silently() -> None:
    text = MESSY.replace("    to: trust\n", "    to: trust\n    sign: increases  # checked\n")
    with pytest.raises(CommentsLost) as caught:
        format_text(text, file="m.yaml")
    line = text.splitlines().index("    sign: increases  # checked") + 1
    assert caught.value.lines == (line,)
    assert str(caught.value).startswith(f"m.yaml:{line}:1: 1 comment would be lost: ")
    assert "links[support->trust].sign" in str(caught.value)
    dropped = format_text(text, drop_comments=True)
    assert dropped.dropped == (line,)
    assert "# checked" not in dropped.text and "# working title" in dropped.text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_examples_are_already_canonical(path: Path) -> None:
    assert format_text(path.read_text(encoding="utf-8")).changed is False


@settings(max_examples=60, deadline=None)
@given(models(), st.sampled_from(["yaml", "json"]))
def test_formatting_gives_the_canonical_text_and_the_same_model(
    model: ChangeModel, syntax: str
) -> None:
    # the same data, keys sorted, in another layout
    data = json.loads(dumps(model, "json"))
    if syntax == "json":
        text = json.dumps(data, indent=1, sort_keys=True)
    else:
        text = yaml.safe_dump(data, sort_keys=True, default_flow_style=None, allow_unicode=True)
    result = format_text(text, "json" if syntax == "json" else "yaml")
    assert result.text == dumps(model, "json" if syntax == "json" else "yaml")
    assert loads(result.text, "json" if syntax == "json" else "yaml") == model


def test_the_format_command(tmp_path: Path) -> None:
    messy, tidy, broken = tmp_path / "messy.yaml", tmp_path / "tidy.yaml", tmp_path / "bad.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(dumps(loads(MESSY)), encoding="utf-8")
    broken.write_text("changemodel: 1\ntitle: x\nelements:\n- id: a\n  kind: actvity\n  label: A\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["format", "--check", str(messy), str(tidy)])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {messy}\n"
    assert messy.read_text(encoding="utf-8") == MESSY
    result = runner.invoke(cli, ["format", "--diff", str(messy)])
    assert result.exit_code == 0
    assert f"--- {messy}\n+++ {messy} (formatted)\n" in result.stdout
    assert '-title: "Peer support"   # working title\n' in result.stdout
    assert messy.read_text(encoding="utf-8") == MESSY
    result = runner.invoke(cli, ["format", str(messy), str(tidy), str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:5:" in result.stderr and "'actvity'" in result.stderr
    assert result.stderr.endswith(
        "1 file reformatted, 1 left unchanged, 1 could not be formatted\n"
    )
    assert messy.read_text(encoding="utf-8") == format_text(MESSY).text
    result = runner.invoke(cli, ["format", "--check", str(messy), str(tidy)])
    assert result.exit_code == 0


def test_format_refuses_to_lose_a_comment_and_leaves_the_file(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    text = MESSY.replace("    to: trust\n", "    to: trust\n    relation: leads_to  # explicit\n")
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["format", str(path)])
    assert result.exit_code == 2 and "--drop-comments" in result.stderr
    assert path.read_text(encoding="utf-8") == text
    result = runner.invoke(cli, ["format", "--drop-comments", str(path)])
    assert result.exit_code == 0 and "dropped 1 comment (line 9)" in result.stderr
    assert "# explicit" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_a_valid_canonical_model_with_guidance(name: str) -> None:
    text = template_text(name)
    assert text.splitlines()[0] == MODELINE
    model = loads(text)
    assert not list(validate(model))  # the default profiles find nothing to say
    assert format_text(text).changed is False
    assert "What to fill in next:" in text
    assert len(model) >= 4 and model.links
    jsonschema.validate(yaml.safe_load(text), schema())


def test_a_title_is_written_in_the_canonical_style() -> None:
    text = template_text("mrc", title="Peer support: a theory # 2")
    assert loads(text).title == "Peer support: a theory # 2"
    assert format_text(text).changed is False
    assert "What to fill in next:" in text


def test_the_new_command(tmp_path: Path) -> None:
    path = tmp_path / "theory.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["new", str(path), "--template", "realist", "--title", "Mentors"])
    assert result.exit_code == 0, result.output
    assert load(path).title == "Mentors"
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    before = path.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["new", str(path), "--template", "toc"])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert path.read_text(encoding="utf-8") == before
    result = runner.invoke(cli, ["new", str(path), "--template", "toc", "--force"])
    assert result.exit_code == 0 and load(path).title == "New theory of change"
    result = runner.invoke(cli, ["new", str(tmp_path / "x.json")])
    assert result.exit_code == 2


def test_write_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="already exists"):
        write_template(path, "toc")
    assert path.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(ValueError, match="did you mean 'toc'"):
        template_text("tocc")


def test_the_ci_workflow_and_hook_config_in_the_docs_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", page, re.S)]
    (config,) = [b for b in blocks if isinstance(b, dict) and "repos" in b]
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in config["repos"][0]["hooks"]} == {h["id"] for h in offered}
    (workflow,) = [b for b in blocks if isinstance(b, dict) and "jobs" in b]
    steps = workflow["jobs"]["check"]["steps"]
    assert workflow["jobs"]["check"]["permissions"]["security-events"] == "write"
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload")]
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] == "results.sarif"
    (models_dir := tmp_path / "models").mkdir()
    for path in EXAMPLES:
        (models_dir / f"{path.parent.name}.yaml").write_text(path.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for step in steps:
        if not str(step.get("run", "")).startswith("changemodel "):
            continue
        argv: list[str] = []
        for word in shlex.split(step["run"])[1:]:
            argv.extend(sorted(str(p) for p in tmp_path.glob(word)) if "*" in word else [word])
        result = runner.invoke(cli, argv)
        assert result.exit_code == 0, (step["run"], result.output)
    sarif = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"]
