"""The rule reference in docs/ is generated from the registry and kept current."""

from __future__ import annotations

import re
from pathlib import Path

from changemodel.validation import default_registry
from changemodel.validation.docs import HEADER, explain, rules_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_docs_rules_md_is_current() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale; regenerate with: changemodel rules --markdown -o docs/rules.md"
    )


def test_reference_documents_every_rule_and_profile() -> None:
    text = rules_markdown()
    assert HEADER in text
    registry = default_registry()
    headings = re.findall(r"^### (\S+) (\S+)$", text, flags=re.MULTILINE)
    assert headings == [(r.code, r.name) for r in registry.rules]
    for profile in registry.profiles:
        assert f"| `{profile.name}` |" in text
    for rule in registry.rules:
        assert rule.why in text
        assert f"(#{rule.code.lower()}-{rule.name})" in text


def test_explain_one_rule() -> None:
    text = explain("CM503")
    assert text.startswith("CM503 unsupported-link\n")
    assert default_registry().resolve("CM503").why in text


def test_module_entry_prints_the_reference() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "changemodel.validation.docs"],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    assert result.stdout == rules_markdown()
