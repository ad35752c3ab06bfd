"""Monitoring data: a table with one column per measure, read from CSV, Parquet or Excel.

The reader keeps the cells as they are (text from CSV; numbers, text or
``None`` from Parquet and Excel) and where each row is, so that the local
tests can name the file, line or row of a value they cannot use. It decides
nothing about types or missing values: :mod:`changemodel.analysis.local_tests`
does.

CSV needs nothing beyond Python. Parquet needs ``pyarrow`` and Excel
(``.xlsx``) needs ``openpyxl``, imported only when such a file is read.

>>> table = from_data_text("hope,wellbeing\\n3,41\\n4,\\n", source="survey.csv")
>>> table.columns["wellbeing"], table.rows
(('41', ''), ('survey.csv:2', 'survey.csv:3'))
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from changemodel._csv import restore
from changemodel.errors import LoadError, Location
from changemodel.formats._files import (
    PathOrBinaryFile,
    check_unpacked_size,
    file_name,
    open_file,
)

__all__ = ["DATA_SUFFIXES", "DataTable", "from_data_text", "read_data"]

#: The file suffixes :func:`read_data` knows, and what reads them.
DATA_SUFFIXES = {".csv": "CSV", ".parquet": "Parquet (pyarrow)", ".xlsx": "Excel (openpyxl)"}


@attrs.frozen
class DataTable:
    """Columns of cells by header, in file order, and where each row is."""

    source: str
    columns: dict[str, tuple[object, ...]]
    rows: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)


def _table(
    source: str, header: Sequence[object], body: Sequence[tuple[str, Sequence[object]]], where: str
) -> DataTable:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(header, start=1):
        name = "" if cell is None else str(cell).strip()
        if not name:
            raise LoadError(f"column {i} of the header has no name", location=Location(where))
        if name in seen:
            raise LoadError(
                f"column {name!r} appears twice in the header (columns {seen[name]} and {i})",
                location=Location(where),
            )
        seen[name] = i
        names.append(name)
    cells: list[list[object]] = [[] for _ in names]
    rows: list[str] = []
    for label, row in body:
        if len(row) > len(names) and any(c not in ("", None) for c in row[len(names) :]):
            raise LoadError(
                f"the row has {len(row)} cells but the header names {len(names)} columns",
                location=Location(label),
            )
        for j in range(len(names)):
            cells[j].append(row[j] if j < len(row) else None)
        rows.append(label)
    return DataTable(source, {n: tuple(c) for n, c in zip(names, cells, strict=True)}, tuple(rows))


def from_data_text(text: str, *, source: str = "<data>") -> DataTable:
    """A table from CSV text (comma, semicolon or tab separated, as the header shows)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first.strip() else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            if any(c.strip() for c in row):
                found.append((start, [restore(c) for c in row]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(f"not readable as CSV: {exc}", location=Location(source, start)) from None
    if not found:
        raise LoadError("the file has no header row and no data", location=Location(source))
    (line, header), body = found[0], found[1:]
    return _table(
        source, header, [(f"{source}:{n}", cells) for n, cells in body], f"{source}:{line}"
    )


def read_data(
    source: PathOrBinaryFile, *, sheet: str | None = None, format: str | None = None
) -> DataTable:
    """The table in a ``.csv``, ``.parquet`` or ``.xlsx`` file, given its path or open
    in binary mode (*format*: the suffix to read it by, by default the file name's;
    *sheet*: the Excel sheet to read, by default the first).

    Raises :class:`~changemodel.errors.LoadError` naming the file (and line or
    row) for a file that cannot be read, and for a Parquet or Excel file when
    the library that reads it is not installed.
    """
    name = file_name(source) or "<data>"
    suffix = f".{format.lstrip('.')}".lower() if format else Path(name).suffix.lower()
    if suffix not in DATA_SUFFIXES:
        known = ", ".join(DATA_SUFFIXES)
        raise LoadError(
            f"cannot tell the data format from the suffix {suffix!r} (known: {known})",
            location=Location(name),
        )
    return _read(source, suffix, sheet)


@open_file("rb")
def _read(file: IO[Any], suffix: str, sheet: str | None) -> DataTable:
    name = file_name(file) or "<data>"
    if suffix == ".csv":
        try:
            data = file.read()
            text = data if isinstance(data, str) else data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV",
                location=Location(name),
            ) from None
        return from_data_text(text, source=name)
    if suffix == ".parquet":
        return _parquet(file, name)
    return _excel(file, name, sheet)


def _parquet(file: IO[Any], p: str) -> DataTable:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise LoadError(
            "reading Parquet needs pyarrow: pip install 'changemodel[parquet]'",
            location=Location(p),
        ) from None
    try:
        table = pq.read_table(file)
    except Exception as exc:  # pyarrow raises its own error types for bad files
        raise LoadError(f"not readable as Parquet: {exc}", location=Location(p)) from None
    header = list(table.column_names)
    columns = [table.column(i).to_pylist() for i in range(len(header))]
    body = [(f"{p}: row {i + 1}", [c[i] for c in columns]) for i in range(table.num_rows)]
    return _table(p, header, body, p)


def _excel(file: IO[Any], p: str, sheet: str | None) -> DataTable:
    try:
        import openpyxl
    except ImportError:
        raise LoadError(
            "reading Excel files needs openpyxl: pip install 'changemodel[excel]'",
            location=Location(p),
        ) from None
    data = file.read()
    check_unpacked_size(data, p)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile and XML errors for bad files
        raise LoadError(f"not readable as an Excel workbook: {exc}", location=Location(p)) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(repr(s) for s in book.sheetnames)
            raise LoadError(f"no sheet {sheet!r} (sheets: {names})", location=Location(p))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        found = [
            (i, list(row))
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if any(c is not None and str(c).strip() for c in row)
        ]
    finally:
        book.close()
    if not found:
        raise LoadError(f"sheet {ws.title!r} is empty", location=Location(p))
    (line, header), body = found[0], found[1:]
    while header and header[-1] is None:
        header.pop()
    labels = [(f"{p}: sheet {ws.title!r}, row {n}", cells) for n, cells in body]
    return _table(p, header, labels, f"{p}: sheet {ws.title!r}, row {line}")
