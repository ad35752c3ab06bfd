"""Small text helpers shared by the renderings: Markdown cells, CSV cells, one-liners."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["csv_cell", "csv_text", "md_cell", "md_table", "one_line"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def csv_cell(value: str) -> str:
    """A cell that a spreadsheet will not run as a formula: text starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV (RFC 4180 quoting, ``\\r\\n`` line ends) with every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return buffer.getvalue()
