"""Small text helpers shared by the renderings: Markdown cells, CSV cells, one-liners."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from changemodel._csv import write_table

__all__ = ["csv_text", "md_cell", "md_table", "one_line"]


def one_line(text: str) -> str:
    """Whitespace (line breaks included) collapsed to single spaces."""
    return " ".join(text.split())


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and markup escaped."""
    out = one_line(text)
    for char in ("\\", "|", "`", "*", "[", "]", "<", ">"):
        out = out.replace(char, "\\" + char)
    return out


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table (cells escaped with :func:`md_cell`)."""
    lines = [
        "| " + " | ".join(md_cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines.extend("| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows)
    return lines


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV (RFC 4180 quoting, ``\\r\\n`` line ends) with every cell neutralised
    against spreadsheet formulas (see :func:`changemodel._csv.neutralise`)."""
    return write_table(header, rows)
