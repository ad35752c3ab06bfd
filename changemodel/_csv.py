"""CSV cells that spreadsheets will not run as formulas, and the reader that undoes it.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe (the OWASP advice against CSV injection). So that a
reader can undo exactly that, a cell that already starts with apostrophes
followed by one of those characters gets one more; :func:`restore` removes
one apostrophe from such cells and touches nothing else.

>>> neutralise("=SUM(A1:A9)")
"'=SUM(A1:A9)"
>>> restore(neutralise("=SUM(A1:A9)"))
'=SUM(A1:A9)'
>>> restore(neutralise("'=kept"))
"'=kept"
>>> neutralise("it's fine")
"it's fine"
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Final

__all__ = ["neutralise", "read_rows", "read_table", "restore", "write_table"]

_TRIGGER: Final = re.compile(r"'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """*cell* with a leading apostrophe when a spreadsheet could read it as a formula."""
    return "'" + cell if _TRIGGER.match(cell) else cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise` (and only that)."""
    return cell[1:] if cell.startswith("'") and _TRIGGER.match(cell[1:]) else cell


def write_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV text (RFC 4180 quoting, ``\\r\\n`` line ends), every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    writer.writerows([neutralise(c) for c in row] for row in rows)
    return buffer.getvalue()


def read_rows(text: str, file: str | None = None) -> list[tuple[int, list[str]]]:
    """The rows of CSV text with the line each starts on, every cell restored;
    blank rows are left out.

    Cells may be as long as the text itself (the writer makes such cells). A
    quote left open, or text after a closing quote, raises a
    :class:`~changemodel.errors.LoadError` naming the line, instead of
    silently folding the following rows into one cell.
    """
    from changemodel.errors import LoadError, Location

    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = []
    start = 1
    previous = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for row in reader:
            if any(c != "" for c in row):
                out.append((start, [restore(c) for c in row]))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            message = (
                "a quoted cell is never closed: its opening quote is on this line, and"
                " the rest of the file would become part of it"
            )
        else:
            message = f"not valid CSV: {exc}; a quote inside a quoted cell is written twice"
        raise LoadError(message, location=Location(file, start)) from None
    finally:
        csv.field_size_limit(previous)
    return out


def read_table(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of CSV text, every cell restored."""
    rows = [cells for _, cells in read_rows(text)]
    if not rows:
        return [], []
    return rows[0], rows[1:]
