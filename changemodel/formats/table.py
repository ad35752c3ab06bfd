"""The MRC logic-model table as Markdown, HTML and CSV, and the table type it is.

The logic-model table has a column per stage, read left to right: inputs,
activities, outputs (implementation), mechanisms, process outcomes and
downstream outcomes (each with its horizon). Its rows are the components,
the context (each context in the columns of what it moderates), the
assumptions (in the column of the link they underpin) and the indicators.
How each component is known (its evidence status) is shown beside it.

The realist CMO table (:mod:`changemodel.outputs.cmo_table`) is a
:class:`Table` too. Tables are :class:`Table` objects: ``to_markdown()``, ``to_html()`` (a
standalone, accessible, printable page), ``to_csv()`` (formula-safe), and in a
notebook they show as a table.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do | that") >> m.process_outcome("o", "Change")
>>> print(logic_model_table(m).to_markdown(), end="")
| | Inputs | Activities | Outputs | Mechanisms | Process outcomes | Downstream outcomes |
|---|---|---|---|---|---|---|
| **Components** |  | Do \\| that |  |  | Change |  |
"""

from __future__ import annotations

import html
from typing import IO, Final, Literal

import attrs

from changemodel._csv import write_table as csv_text
from changemodel.domain import Element, EvidenceStatus, Kind, Relation
from changemodel.errors import InvalidValueError
from changemodel.formats._files import file_name, open_file
from changemodel.formats._text import clean
from changemodel.model import ChangeModel

__all__ = [
    "STAGE_HEADINGS",
    "Item",
    "Table",
    "TableFormat",
    "logic_model_table",
    "write_table",
]

TableFormat = Literal["markdown", "html", "csv"]

#: The logic-model columns: (kind, heading).
STAGE_HEADINGS: Final[tuple[tuple[Kind, str], ...]] = (
    (Kind.INPUT, "Inputs"),
    (Kind.ACTIVITY, "Activities"),
    (Kind.OUTPUT, "Outputs"),
    (Kind.MECHANISM, "Mechanisms"),
    (Kind.PROCESS_OUTCOME, "Process outcomes"),
    (Kind.DOWNSTREAM_OUTCOME, "Downstream outcomes"),
)
_HORIZON_TEXT: Final = {
    "short": "Short term",
    "intermediate": "Intermediate",
    "long": "Long term",
    "impact": "Impact",
}


@attrs.frozen
class Item:
    """One entry of a cell: its text, an optional lead-in (``"Long term"``) and a note.

    ``element`` is the id of the element the entry shows (not part of equality),
    so an interactive page can link the entry to the element.
    """

    text: str
    lead: str | None = None
    note: str | None = None
    element: str | None = attrs.field(default=None, eq=False)

    def plain(self) -> str:
        """The item as one line of plain text (lead, text and note)."""
        out = f"{self.lead}: {self.text}" if self.lead else self.text
        return f"{out} ({self.note})" if self.note else out


Cell = tuple[Item, ...]


@attrs.frozen
class Table:
    """A table with a heading row and rows led by a heading cell (or not)."""

    title: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | None, tuple[Cell, ...]], ...]

    # ------------------------------------------------------------ markdown

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table; cells are escaped, items split by ``<br>``."""
        led = any(head is not None for head, _ in self.rows)
        header = [_md(h) for h in self.header]
        columns = len(header) + (1 if led else 0)
        lines = [
            ("| |" if led else "|") + "".join(f" {h} |" for h in header),
            "|" + "|".join("---" for _ in range(columns)) + "|",
        ]
        for head, cells in self.rows:
            parts = [f"**{_md(head)}**" if head else ""] if led else []
            parts.extend("<br>".join(_md_item(item) for item in cell) for cell in cells)
            lines.append("| " + " | ".join(parts) + " |")
        return "\n".join(lines) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    # ---------------------------------------------------------------- html

    def to_html_table(self) -> str:
        """The ``<table>`` element alone (caption, header cells with scope)."""
        led = any(head is not None for head, _ in self.rows)
        out = ['<table class="changemodel">', f"<caption>{_h(self.caption)}</caption>"]
        out.append("<thead><tr>")
        if led:
            out.append('<td class="corner"></td>')
        out.extend(f'<th scope="col">{_h(h)}</th>' for h in self.header)
        out.append("</tr></thead>")
        out.append("<tbody>")
        for head, cells in self.rows:
            out.append("<tr>")
            if led:
                out.append(f'<th scope="row">{_h(head or "")}</th>')
            for cell in cells:
                if not cell:
                    out.append("<td></td>")
                elif len(cell) == 1:
                    out.append(f"<td>{_html_item(cell[0])}</td>")
                else:
                    items = "".join(f"<li>{_html_item(i)}</li>" for i in cell)
                    out.append(f"<td><ul>{items}</ul></td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)

    def to_html(self, *, lang: str = "en") -> str:
        """A standalone HTML page: escaped, with a caption, header scopes and print styles."""
        return _PAGE.format(
            lang=html.escape(lang, quote=True),
            title=_h(self.title),
            table=self.to_html_table(),
        )

    def _repr_html_(self) -> str:
        return self.to_html_table()

    # ----------------------------------------------------------------- csv

    def to_csv(self) -> str:
        """CSV: items of a cell on separate lines; cells that look like formulas neutralised."""
        led = any(head is not None for head, _ in self.rows)
        header = ([""] if led else []) + list(self.header)
        rows = [
            ([head or ""] if led else [])
            + ["\n".join(clean(i.plain()) for i in cell) for cell in cells]
            for head, cells in self.rows
        ]
        return csv_text(header, rows)

    def render(self, format: TableFormat) -> str:
        """The table as ``"markdown"``, ``"html"`` or ``"csv"`` text."""
        if format == "markdown":
            return self.to_markdown()
        if format == "html":
            return self.to_html()
        if format == "csv":
            return self.to_csv()
        raise InvalidValueError(
            f"unknown table format {format!r}; expected markdown, html or csv", value=format
        )


_PAGE: Final = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }}
table.changemodel {{ border-collapse: collapse; width: 100%; font-size: 0.92rem; }}
table.changemodel caption {{ text-align: left; font-weight: bold; font-size: 1.1rem;
  margin-bottom: 0.5rem; }}
table.changemodel th, table.changemodel td {{ border: 1px solid #888; padding: 0.4rem;
  vertical-align: top; text-align: left; }}
table.changemodel thead th {{ background: #e9eef4; }}
table.changemodel tbody th {{ background: #f4f4f4; white-space: nowrap; }}
table.changemodel ul {{ margin: 0; padding-left: 1.1rem; }}
.lead {{ font-weight: 600; }}
.note {{ color: #555; font-style: italic; }}
@media print {{
  body {{ margin: 0; font-size: 10pt; }}
  @page {{ size: A4 landscape; margin: 12mm; }}
  table.changemodel thead {{ display: table-header-group; }}
  table.changemodel tr {{ break-inside: avoid; }}
  table.changemodel thead th, table.changemodel tbody th {{ background: none; }}
}}
</style>
</head>
<body>
{table}
</body>
</html>
"""


def _h(text: str) -> str:
    return html.escape(clean(text), quote=True)


def _html_item(item: Item) -> str:
    out = ""
    if item.lead:
        out += f'<span class="lead">{_h(item.lead)}:</span> '
    out += _h(item.text)
    if item.note:
        out += f' <span class="note">({_h(item.note)})</span>'
    return out


# Markdown: every ASCII punctuation character that could start markup is
# backslash-escaped; line breaks become <br>; spaces at the ends of a cell and
# tabs become character references, which Markdown keeps as text.
_MD_ESCAPE: Final = frozenset("\\`*_[]<>&|~$")


def _md(text: str) -> str:
    lines = clean(text).split("\n")
    out = []
    for line in lines:
        escaped = "".join("\\" + ch if ch in _MD_ESCAPE else ch for ch in line)
        escaped = escaped.replace("\t", "&#9;")
        # Table cells are trimmed of any Unicode white space at their edges:
        # keep such characters as character references.
        body = escaped.strip()
        start = escaped.index(body) if body else len(escaped)
        lead, trail = escaped[:start], escaped[start + len(body) :]
        out.append(_refs(lead) + body + _refs(trail))
    return "<br>".join(out)


def _refs(text: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in text)


def _md_item(item: Item) -> str:
    out = f"**{_md(item.lead)}:** " if item.lead else ""
    out += _md(item.text)
    if item.note:
        out += f" *({_md(item.note)})*"
    return out


# ------------------------------------------------------------------ tables


def _statuses(element: Element) -> str | None:
    found = sorted(
        {ev.status for ev in element.evidence if ev.status is not None},
        key=list(EvidenceStatus).index,
    )
    return ", ".join(s.value for s in found) or None


def _item(element: Element, *, evidence: bool) -> Item:
    horizon = getattr(element, "horizon", None)
    return Item(
        element.label,
        lead=_HORIZON_TEXT[horizon.value] if horizon is not None else None,
        note=_statuses(element) if evidence else None,
        element=element.id,
    )


def _order(model: ChangeModel) -> list[Element]:
    """Elements in causal order when the model allows it, else as added."""
    try:
        ordered = list(model.topological_order())
    except Exception:  # a cycle: fall back to the order of the file
        ordered = list(model.elements)
    horizon_rank = {h: i for i, h in enumerate(_HORIZON_TEXT)}

    def key(e: Element) -> int:
        h = getattr(e, "horizon", None)
        return horizon_rank.get(h.value, len(horizon_rank)) if h is not None else len(horizon_rank)

    position = {e.id: i for i, e in enumerate(ordered)}
    return sorted(ordered, key=lambda e: (key(e), position[e.id]))


def logic_model_table(
    model: ChangeModel, *, evidence: bool = True, indicators: bool = True
) -> Table:
    """The MRC logic-model table.

    Rows: *Components*; *Context* (each context under the columns of what it
    moderates); *Assumptions* (under the column of the target of each link
    they underpin); *Indicators* (how components are measured) when
    ``indicators``; and *Context (whole model)* / *Assumptions (whole model)*
    for those linked to nothing. ``evidence`` adds each component's evidence
    status.
    """
    ordered = _order(model)
    column = {kind: i for i, (kind, _) in enumerate(STAGE_HEADINGS)}
    n = len(STAGE_HEADINGS)
    components: list[list[Item]] = [[] for _ in range(n)]
    measures: list[list[Item]] = [[] for _ in range(n)]
    for e in ordered:
        col = column.get(e.kind)
        if col is None:
            continue
        components[col].append(_item(e, evidence=evidence))
        for ind in e.indicators:
            details = [
                x
                for x in (
                    ind.instrument,
                    ", ".join(ind.timepoints) or None,
                    ind.data_source,
                    f"baseline: {ind.baseline}" if ind.baseline else None,
                    f"target: {ind.target}" if ind.target else None,
                )
                if x
            ]
            measures[col].append(
                Item(
                    ind.name,
                    lead=e.label if len(e.label) <= 40 else e.label[:37] + "...",
                    note="; ".join(details) or None,
                    element=e.id,
                )
            )

    def band(kind: Kind, targets_of: dict[str, list[str]]) -> tuple[list[list[Item]], list[Item]]:
        cells: list[list[Item]] = [[] for _ in range(n)]
        general: list[Item] = []
        for e in ordered:
            if e.kind is not kind:
                continue
            cols = sorted(
                {column[model[t].kind] for t in targets_of.get(e.id, ()) if model[t].kind in column}
            )
            item = Item(e.label, note=_statuses(e) if evidence else None, element=e.id)
            for col in cols:
                cells[col].append(item)
            if not cols:
                general.append(item)
        return cells, general

    moderated: dict[str, list[str]] = {}
    underpinned: dict[str, list[str]] = {}
    for lk in model.links:
        if lk.relation is Relation.MODERATES:
            moderated.setdefault(lk.source, []).append(lk.target)
        for a in lk.assumptions:
            underpinned.setdefault(a, []).append(lk.target)
    context_cells, general_context = band(Kind.CONTEXT, moderated)
    assumption_cells, general_assumptions = band(Kind.ASSUMPTION, underpinned)

    rows: list[tuple[str | None, tuple[Cell, ...]]] = [
        ("Components", tuple(tuple(c) for c in components))
    ]
    if any(context_cells):
        rows.append(("Context", tuple(tuple(c) for c in context_cells)))
    if general_context:
        rows.append(("Context (whole model)", (tuple(general_context),) + ((),) * (n - 1)))
    if any(assumption_cells):
        rows.append(("Assumptions", tuple(tuple(c) for c in assumption_cells)))
    if general_assumptions:
        rows.append(("Assumptions (whole model)", (tuple(general_assumptions),) + ((),) * (n - 1)))
    if indicators and any(measures):
        rows.append(("Indicators", tuple(tuple(c) for c in measures)))
    return Table(
        title=f"{model.title}: logic model",
        caption=f"{model.title}: logic model",
        header=tuple(h for _, h in STAGE_HEADINGS),
        rows=tuple(rows),
    )


_SUFFIXES: Final[dict[str, TableFormat]] = {
    "md": "markdown",
    "markdown": "markdown",
    "html": "html",
    "htm": "html",
    "csv": "csv",
}


@open_file("w")
def write_table(table: Table, file: IO[str], format: TableFormat | None = None) -> None:
    """Write a table to a path (atomically) or an open text file; the format comes
    from the file name's suffix (``.md``, ``.html``, ``.csv``) unless given, and is
    Markdown when neither says."""
    chosen: TableFormat = format or "markdown"
    name = file_name(file)
    if format is None and name is not None:
        chosen = _SUFFIXES.get(name.rsplit(".", 1)[-1].lower(), "markdown")
    file.write(table.render(chosen))
