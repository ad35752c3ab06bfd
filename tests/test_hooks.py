"""The pre-commit hooks work as pre-commit runs them: ``pre-commit try-repo``
installs this repository into a hook environment of its own and runs each hook
on the files of a scratch git repository.

Installing the hook environment needs the package index (for changemodel's
dependencies), as any first run of a pre-commit hook does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from changemodel import dumps, loads

ROOT = Path(__file__).resolve().parent.parent

MODEL = """\
# yaml-language-server: $schema=https://changemodel.readthedocs.io/schema/changemodel-1.json
changemodel: 1
title: "Peer support"
links:
- {from: support, to: hope, rationale: Peers offer hope}
elements:
- {id: hope, kind: process_outcome, label: Hope}   # the outcome
- {id: support, kind: activity, label: Peer support}
"""

BROKEN = """\
changemodel: 1
title: Broken
elements:
- {id: support, kind: activity, label: Peer support}
links:
- {from: support, to: support, feedback: true, assumptions: [nowhere]}
"""


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_the_hooks_run_under_pre_commit_try_repo(tmp_path: Path) -> None:
    git = shutil.which("git")
    assert git is not None, "git is needed to try the hooks"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"changemodel-validate", "changemodel-format"}
    work = tmp_path / "work"
    work.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    (tmp_path / "gitconfig").write_text(
        "[safe]\n\tdirectory = *\n[init]\n\tdefaultBranch = main\n", encoding="utf-8"
    )
    assert _run([git, "init", "-q"], work, env).returncode == 0
    (work / "model.yaml").write_text(MODEL, encoding="utf-8")
    (work / "broken.model.yaml").write_text(BROKEN, encoding="utf-8")
    (work / "notes.yaml").write_text("not: a model\n", encoding="utf-8")
    assert _run([git, "add", "-A"], work, env).returncode == 0
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT)]

    fmt = _run([*try_repo, "changemodel-format", "--files", "model.yaml", "notes.yaml"], work, env)
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr
    assert "files were modified by this hook" in fmt.stdout
    formatted = (work / "model.yaml").read_text(encoding="utf-8")
    assert loads(formatted) == loads(MODEL)
    assert formatted.startswith("# yaml-language-server: $schema=")
    assert "- id: hope  # the outcome\n" in formatted
    assert formatted.replace("  # the outcome", "").split("\n", 1)[1] == dumps(loads(MODEL))
    assert (work / "notes.yaml").read_text(encoding="utf-8") == "not: a model\n"
    again = _run([*try_repo, "changemodel-format", "--files", "model.yaml"], work, env)
    assert again.returncode == 0, again.stdout + again.stderr

    ok = _run([*try_repo, "changemodel-validate", "--files", "model.yaml", "notes.yaml"], work, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _run([*try_repo, "changemodel-validate", "--files", "broken.model.yaml"], work, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "CM101 dangling-id" in bad.stdout
