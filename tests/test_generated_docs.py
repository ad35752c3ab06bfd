"""Generated reference pages are up to date with the code."""

from __future__ import annotations

from pathlib import Path

from changemodel.cli._docs import cli_reference
from changemodel.formats.schema import schema_text

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "regenerate with: python -m changemodel.cli._docs docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "reference" / "cli.md").read_text(encoding="utf-8") == cli_reference(), (
        REGENERATE
    )


def test_schema_copy_is_current() -> None:
    assert (DOCS / "reference" / "schema.json").read_text(encoding="utf-8") == schema_text(), (
        REGENERATE
    )


def test_frames_reference_is_current() -> None:
    from changemodel.formats.frames import frames_reference

    assert (DOCS / "reference" / "frames.md").read_text(encoding="utf-8") == frames_reference(), (
        REGENERATE
    )
