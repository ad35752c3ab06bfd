"""Every code sample in the README and the docs runs.

A page's samples run in order in one namespace, as a reader would type them:
```python blocks are executed, ```pycon blocks are checked as doctests. They run
in a temporary copy of the working directory's ``examples`` folder, so samples
that write files leave the repository alone.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```(python|pycon)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def samples(page: Path) -> list[tuple[str, str, int]]:
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 2) for m in FENCE.finditer(text)
    ]


@pytest.fixture
def in_scratch_copy(tmp_path: Path) -> Any:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(here)


@pytest.mark.usefixtures("in_scratch_copy")
@pytest.mark.parametrize(
    "page", [p for p in PAGES if samples(p)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_page_samples_run(page: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    name = str(page.relative_to(ROOT))
    for language, code, line in samples(page):
        if language == "python":
            exec(compile(code, f"{name}:{line}", "exec"), namespace)
            continue
        test = parser.get_doctest(code, namespace, name, name, line)
        out: list[str] = []
        result = runner.run(test, out=out.append, clear_globs=False)
        namespace.update(test.globs)  # DocTest works on a copy of the namespace
        assert result.failed == 0, f"{name}:{line}\n" + "".join(out)
