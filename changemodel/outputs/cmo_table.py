"""The realist CMO table: a row per configuration, as Markdown, HTML and CSV.

A configuration (context + mechanism -> outcome, with the interventions that
fire the mechanism) is what :func:`changemodel.analysis.cmo.configurations`
derives from a model; this module lays those out as a table
(:func:`cmo_table`, a :class:`~changemodel.formats.table.Table`, with the
columns :data:`changemodel.analysis.cmo.CMO_COLUMNS`), writes them
as a spreadsheet (:func:`to_cmo_csv`, :func:`write_cmo_csv`) and builds a
model from such a spreadsheet (:func:`from_cmo_csv`, :func:`read_cmo_csv`).

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> mechanism = m.mechanism("m", "Hope", resource="A peer")
>>> _ = m.context("c", "Trust", moderates=[mechanism])
>>> _ = m.activity("a", "Meet") >> mechanism >> m.process_outcome("o", "Try")
>>> print(to_cmo_csv(m).replace("\\r\\n", "\\n"), end="")
id,status,refines,statement,intervention,contexts,actors,mechanisms,resource,reasoning,outcomes,outcome_kind,intended,confidence
D1,derived,,,Meet,Trust,,Hope,A peer,,Try,process,yes,
>>> from_cmo_csv(to_cmo_csv(m), title="Tiny").elements_of("mechanism")[0].label
'Hope'
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from changemodel._csv import read_rows, write_table
from changemodel.analysis.cmo import (
    CMO_COLUMNS,
    ConfigurationError,
    ConfigurationView,
    cell_entries,
    column_key,
    confidence_text,
    configurations,
    from_configurations,
    unknown_column,
)
from changemodel.domain import Kind
from changemodel.errors import LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats.loss import Loss, LossReport
from changemodel.formats.table import Cell, Item, Table
from changemodel.model import ChangeModel
from changemodel.text import count, one_line

__all__ = [
    "cmo_cells",
    "cmo_losses",
    "cmo_table",
    "from_cmo_csv",
    "read_cmo_csv",
    "to_cmo_csv",
    "write_cmo_csv",
]


def cmo_table(model: ChangeModel, *, proximal: bool = True) -> Table:
    """The realist CMO table: a row per configuration, stored ones first, then
    those derived from the graph, with the columns of every CMO table
    (:data:`changemodel.analysis.cmo.CMO_COLUMNS`)."""
    rows = [(None, cmo_cells(model, c)) for c in configurations(model, proximal=proximal)]
    return Table(
        title=f"{model.title}: CMO configurations",
        caption=f"{model.title}: context + mechanism \u2192 outcome configurations",
        header=tuple(heading for _, heading in CMO_COLUMNS),
        rows=tuple(rows),
    )


def cmo_cells(model: ChangeModel, config: ConfigurationView) -> tuple[Cell, ...]:
    """The cells of *config*'s row, one per column of
    :data:`~changemodel.analysis.cmo.CMO_COLUMNS`; an entry that names an element
    carries its id."""
    cells: list[Cell] = []
    for key, _ in CMO_COLUMNS:
        entries = cell_entries(config, key)
        if key == "confidence":  # the combined level, as the text and Markdown tables give it
            entries = ((confidence_text(config), None),)
        if key in ("resource", "reasoning", "outcome_kind", "intended") and len(entries) > 1:
            # one entry per mechanism or outcome: say which
            cells.append(
                tuple(
                    Item(text or "-", lead=model.element(eid).label if eid else None)
                    for text, eid in entries
                )
            )
        else:
            cells.append(tuple(Item(text, element=eid) for text, eid in entries if text))
    return tuple(cells)


def to_cmo_csv(model: ChangeModel, *, proximal: bool = True) -> str:
    """The CMO table as CSV text: a row per configuration, stored ones first, then
    the derived ones (status ``derived``); the columns are those of every CMO
    table (:data:`changemodel.analysis.cmo.CMO_COLUMNS`)."""
    keys = [key for key, _ in CMO_COLUMNS]
    rows = [[c.to_row()[k] for k in keys] for c in configurations(model, proximal=proximal)]
    return write_table(keys, rows)


def cmo_losses(model: ChangeModel, *, proximal: bool = True) -> LossReport:
    """What the CMO table does not carry.

    It holds each configuration's id, status, refines, statement, confidence
    level and actors, and the labels of the elements it names (with the
    mechanisms' resource and reasoning, and the outcomes' kind and intended);
    read back, ids are made from labels. Elements in no configuration are
    dropped, as are the confidence notes, the evidence and tags of
    configurations, and every other field and link detail.
    """
    configs = configurations(model, proximal=proximal)
    kept: set[str] = set()
    links: set[tuple[str, str]] = set()
    for c in configs:
        kept.update(e.id for e in (*c.contexts, *c.mechanisms, *c.outcomes, *c.intervention))
    for config in model.configurations:
        links.update((lk.source, lk.target) for lk in model.asserted_links(config))
    for c in configs:
        if c.derived:
            for m in c.mechanisms:
                links.update((m.id, o.id) for o in c.outcomes)
                links.update((e.id, m.id) for e in (*c.contexts, *c.intervention))
    extra = [
        Loss(f"element:{e.id}", "id", "made from the label when read back")
        for e in model.elements
        if e.id in kept
    ]
    for config in model.configurations:
        where = f"configuration:{config.id}"
        if config.confidence is not None:
            for name in config.confidence.COMPONENTS:
                if getattr(config.confidence, name) is not None:
                    extra.append(Loss(where, f"confidence.{name}", "only the level is kept"))
        if config.evidence:
            extra.append(Loss(where, "evidence", "not in the table"))
        if config.tags:
            extra.append(Loss(where, "tags", "not in the table"))
    return LossReport.compute(
        "cmo-csv",
        model,
        configurations=True,
        element_fields={"kind", "label", "resource", "reasoning", "intended"},
        keep_element=lambda e: e.id in kept,
        keep_link=lambda lk: (lk.source, lk.target) in links,
        extra=extra,
    )


@open_file("w")
def write_cmo_csv(model: ChangeModel, file: IO[str], *, proximal: bool = True) -> LossReport:
    """Write the CMO table CSV to a path (atomically) or an open text file, and say
    what it does not carry."""
    file.write(to_cmo_csv(model, proximal=proximal))
    return cmo_losses(model, proximal=proximal)


def from_cmo_csv(
    text: str,
    *,
    title: str = "Realist programme theory",
    outcome_kind: Kind | str = Kind.PROCESS_OUTCOME,
    file: str | None = None,
) -> ChangeModel:
    """Build a model from CMO-table CSV text (see
    :func:`changemodel.analysis.cmo.from_configurations` for the columns); *file*
    names the text in error messages."""
    rows = read_rows(text, file)
    if not rows:
        raise LoadError("the table is empty: it needs a header row", location=Location(file, 1))
    header_line, header = rows[0]
    names = [h.strip().casefold() for h in header if h.strip()]
    for h in sorted({h for h in names if names.count(h) > 1}):
        raise LoadError(
            f"the column {h!r} appears {names.count(h)} times; which one holds the value"
            " would be a guess",
            location=Location(file, header_line),
        )
    for column, h in enumerate(header, start=1):
        if h.strip() and column_key(h) is None:
            raise LoadError(
                f"heading {column}: {unknown_column(h.strip())}",
                location=Location(file, header_line),
            )
    for row_line, cells in rows[1:]:
        for column, cell in enumerate(cells, start=1):
            if cell.strip() and (column > len(header) or not header[column - 1].strip()):
                where = (
                    f"the header names {count(len(header), 'column')}"
                    if column > len(header)
                    else "its heading is empty"
                )
                raise LoadError(
                    f"cell {column} ({one_line(cell)!r}) has no column: {where}; its text"
                    " would be lost",
                    location=Location(file, row_line),
                )
    records = [
        {h: c for h, c in zip(header, cells, strict=False) if h.strip() and c.strip()}
        for _, cells in rows[1:]
    ]
    try:
        return from_configurations(records, title=title, outcome_kind=outcome_kind)
    except ConfigurationError as exc:
        line = rows[exc.row][0] if 0 < exc.row < len(rows) else None
        raise LoadError(str(exc), location=Location(file, line)) from None


@open_file("r")
def read_cmo_csv(
    file: IO[str],
    *,
    title: str | None = None,
    outcome_kind: Kind | str = Kind.PROCESS_OUTCOME,
) -> ChangeModel:
    """Read a CMO-table CSV from a path or an open text file into a model; the title
    defaults to the file name."""
    name = file_name(file)
    if title is None:
        title = Path(name).stem if name else "Realist programme theory"
    return from_cmo_csv(file.read(), title=title, outcome_kind=outcome_kind, file=name)
