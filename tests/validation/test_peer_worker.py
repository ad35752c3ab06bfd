"""The worked example against every profile, and the README that explains its findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from changemodel import load
from changemodel.validation import validate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "peer_worker"


@pytest.fixture(scope="module")
def section() -> str:
    text = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    start = text.index("## Validation findings")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_example_passes_the_default_profile() -> None:
    report = validate(load(EXAMPLE / "model.yaml"), strict=True)
    assert len(report) == 0


@pytest.mark.parametrize("profile", ["mrc", "realist", "evidence", "evaluation"])
def test_the_readme_explains_every_finding_of_each_profile(section: str, profile: str) -> None:
    report = validate(load(EXAMPLE / "model.yaml"), profiles=[profile])
    assert not report.errors
    start = section.index(f"**`{profile}`**")
    end = section.find("**`", start + 4)
    part = section[start : end if end != -1 else len(section)]
    explained = set(re.findall(r"`(CM\d{3}) ", part))
    assert explained == set(report.codes)
    for finding in report:
        assert finding.target is None or finding.target in part or "all three" in part
