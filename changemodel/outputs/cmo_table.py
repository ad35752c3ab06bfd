"""The realist CMO table: a row per configuration, as Markdown, HTML and CSV.

A configuration (context + mechanism -> outcome, with the interventions that
fire the mechanism) is what :func:`changemodel.analysis.cmo.configurations`
derives from a model; this module lays those out as a table
(:func:`cmo_table`, a :class:`~changemodel.formats.table.Table`), writes them
as a spreadsheet (:func:`to_cmo_csv`, :func:`write_cmo_csv`) and builds a
model from such a spreadsheet (:func:`from_cmo_csv`, :func:`read_cmo_csv`).

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> mechanism = m.mechanism("m", "Hope", resource="A peer")
>>> _ = m.context("c", "Trust", moderates=[mechanism])
>>> _ = m.activity("a", "Meet") >> mechanism >> m.process_outcome("o", "Try")
>>> print(to_cmo_csv(m).replace("\\r\\n", "\\n"), end="")
intervention,context,actors,mechanism,resource,reasoning,outcome
Meet,Trust,,Hope,A peer,,Try
>>> from_cmo_csv(to_cmo_csv(m), title="Tiny").elements_of("mechanism")[0].label
'Hope'
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Final

from changemodel._csv import read_rows, write_table
from changemodel.analysis.cmo import ConfigurationError, configurations, from_configurations
from changemodel.domain import Kind
from changemodel.errors import LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats.loss import Loss, LossReport
from changemodel.formats.table import Cell, Item, Table
from changemodel.model import ChangeModel

__all__ = [
    "CMO_COLUMNS",
    "cmo_losses",
    "cmo_table",
    "from_cmo_csv",
    "read_cmo_csv",
    "to_cmo_csv",
    "write_cmo_csv",
]

#: The columns of the CMO spreadsheet, in order.
CMO_COLUMNS: Final = (
    "intervention",
    "context",
    "actors",
    "mechanism",
    "resource",
    "reasoning",
    "outcome",
)


def cmo_table(model: ChangeModel, *, proximal: bool = True) -> Table:
    """The realist CMO table: a row per configuration (intervention, context,
    mechanism with its resource and reasoning, outcome), as derived by
    :func:`changemodel.analysis.cmo.configurations`."""
    rows: list[tuple[str | None, tuple[Cell, ...]]] = []
    for config in configurations(model, proximal=proximal):
        mechanism = config.mechanism
        parts = [Item(mechanism.label)]
        for field, lead in (("resource", "Resource"), ("reasoning", "Reasoning")):
            value = getattr(mechanism, field, None)
            if value:
                parts.append(Item(value, lead=lead))
        rows.append(
            (
                None,
                (
                    tuple(Item(e.label) for e in config.interventions),
                    tuple(Item(e.label) for e in config.contexts),
                    tuple(parts),
                    (Item(config.outcome.label),),
                ),
            )
        )
    return Table(
        title=f"{model.title}: CMO configurations",
        caption=f"{model.title}: context + mechanism \u2192 outcome configurations",
        header=("Intervention", "Context", "Mechanism", "Outcome"),
        rows=tuple(rows),
    )


def to_cmo_csv(model: ChangeModel, *, proximal: bool = True) -> str:
    """The CMO table as CSV text: a row per configuration."""
    rows = []
    for config in configurations(model, proximal=proximal):
        row = config.to_row()
        row["resource"] = getattr(config.mechanism, "resource", None) or ""
        row["reasoning"] = getattr(config.mechanism, "reasoning", None) or ""
        rows.append([row[k] for k in CMO_COLUMNS])
    return write_table(CMO_COLUMNS, rows)


def cmo_losses(model: ChangeModel, *, proximal: bool = True) -> LossReport:
    """What the CMO table does not carry.

    It holds the labels of the contexts, mechanisms (with resource and
    reasoning), outcomes and interventions that form configurations, and the
    actors' names; read back, ids are made from labels. Elements in no
    configuration are dropped, and every other field and link detail is lost.
    """
    configs = configurations(model, proximal=proximal)
    kept: set[str] = set()
    links: set[tuple[str, str]] = set()
    for c in configs:
        kept.update(e.id for e in (*c.contexts, c.mechanism, c.outcome, *c.interventions))
        links.add((c.mechanism.id, c.outcome.id))
        links.update((e.id, c.mechanism.id) for e in (*c.contexts, *c.interventions))
    extra = [
        Loss(f"element:{e.id}", "id", "made from the label when read back")
        for e in model.elements
        if e.id in kept
    ]
    return LossReport.compute(
        "cmo-csv",
        model,
        element_fields={"kind", "label", "resource", "reasoning"},
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
