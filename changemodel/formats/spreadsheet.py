"""Spreadsheet tables: an elements CSV, a links CSV and a configurations CSV.

The elements table has a row per element (``id``, ``kind``, ``label``,
``description``, ``intended``, ``horizon``, ``resource``, ``reasoning``, the
activities' TIDieR fields, ``tags``, ``theories``, ``actors``, ``indicators``,
``evidence``); the links table a row per link (``from``, ``to``, ``relation``,
``sign``, ``confidence``, ``feedback``, ``rationale``, ``assumptions``,
``theories``, ``evidence``); the configurations table a row per realist
configuration, in the model's order (``id``, ``statement``, ``status``,
``confidence``, ``tags``, ``intervention``, ``contexts``, ``mechanisms``,
``outcomes``, ``refines``, ``actors``, ``evidence``). The columns of each table
are the keys of its objects in model files, so a table holds exactly what a
model file does. Lists of tags and ids are written ``a; b``; actors,
indicators and evidence, which have fields of their own, are JSON text; a
configuration's confidence is its level (``low``) or, with notes on its
components, JSON text. ``intended`` is ``false`` for an unintended outcome
and empty otherwise. Empty cells mean "not given".

A spreadsheet has no place for the model's title, description, version,
references, theories and validation settings; a tag with a ``;`` in it or
spaces around it does not survive ``a; b``: the loss report names these.
Without a configurations table, the configurations are lost, and the loss
report says so.

The three tables also go into one Excel workbook, a sheet each
(:func:`write_workbook`, :func:`read_workbook`; openpyxl, the ``excel``
extra), whose cells are all text cells.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) get a leading apostrophe, which the
readers here remove again (see :mod:`changemodel._csv`).

The realist CMO table, a row per configuration with the labels of its
elements, is in :mod:`changemodel.outputs.cmo_table`; the configurations table
here names the elements by id, so that it reads back exactly.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "=Do") >> m.process_outcome("o", "Change")
>>> print(to_elements_csv(m).replace("\\r\\n", "\\n"), end="")
id,kind,label,description,intended,horizon,resource,reasoning,materials,procedures,provider,mode,setting,dose,frequency,duration,tailoring,modifications,tags,theories,actors,indicators,evidence
a,activity,'=Do,,,,,,,,,,,,,,,,,,,,
o,process_outcome,Change,,,,,,,,,,,,,,,,,,,,
>>> from_spreadsheet(to_elements_csv(m), to_links_csv(m), title="Tiny") == m
True
>>> _ = m.configuration("C1", mechanisms=[], outcomes="o", status="supported")
>>> print(to_configurations_csv(m).replace("\\r\\n", "\\n"), end="")
id,statement,status,confidence,tags,intervention,contexts,mechanisms,outcomes,refines,actors,evidence
C1,,supported,,,,,,o,,,
>>> from_spreadsheet(
...     to_elements_csv(m), to_links_csv(m), to_configurations_csv(m), title="Tiny"
... ) == m
True
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Final

from changemodel._csv import read_rows, write_table
from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    Configuration,
    ConfigurationStatus,
    Element,
    Link,
    file_fields,
    file_key,
    keys_of,
    value_kind,
)
from changemodel.errors import LoadError, LoadErrors, Location, did_you_mean
from changemodel.formats._files import (
    PathOrFile,
    check_unpacked_size,
    file_name,
    open_file,
    read_text,
    write_text,
)
from changemodel.formats.canonical import FORMAT_VERSION, from_data, to_data
from changemodel.formats.loss import Loss, LossReport, carried, empty_texts
from changemodel.model import ChangeModel

__all__ = [
    "CONFIGURATION_COLUMNS",
    "ELEMENT_COLUMNS",
    "LINK_COLUMNS",
    "SHEETS",
    "from_spreadsheet",
    "from_workbook",
    "read_spreadsheet",
    "read_workbook",
    "spreadsheet_losses",
    "to_configurations_csv",
    "to_elements_csv",
    "to_links_csv",
    "to_workbook",
    "workbook_losses",
    "write_spreadsheet",
    "write_workbook",
]


def _kinds(cls: type) -> dict[str, str]:
    """The value kind of each key of *cls* in files (for elements, of every kind)."""
    kinds = {"kind": "other"} if cls is Element else {}
    for c in ELEMENT_CLASSES.values() if cls is Element else (cls,):
        kinds.update((file_key(f), value_kind(f)) for f in file_fields(c))
    return kinds


#: Single values first, then lists of words and of ids (joined with "; "), then
#: lists of objects (as JSON text).
_RANK: Final = {"texts": 1, "ids": 2, "objects": 3}


def _columns(cls: type, keys: tuple[str, ...]) -> tuple[str, ...]:
    kinds = _kinds(cls)
    return tuple(sorted(keys, key=lambda k: _RANK.get(kinds[k], 0)))


#: The classes whose objects the tables hold, a row each.
_TABLES: Final = (Element, Link, Configuration)
_JSON: Final = frozenset(
    k for cls in _TABLES for k, kind in _kinds(cls).items() if kind == "objects"
)
_JOINED: Final = frozenset(
    k for cls in _TABLES for k, kind in _kinds(cls).items() if kind in ("ids", "texts")
)
#: Keys whose values are true or false.
_BOOLS: Final = frozenset(
    file_key(f)
    for cls in (*ELEMENT_CLASSES.values(), Link)
    for f in file_fields(cls)
    if f.type in (bool, "bool")
)

#: The columns of the elements table: the keys of an element in files.
ELEMENT_COLUMNS: Final = _columns(Element, ELEMENT_KEYS)
#: The columns of the links table: the keys of a link in files.
LINK_COLUMNS: Final = _columns(Link, keys_of(Link))
#: The columns of the configurations table: the keys of a configuration in files.
CONFIGURATION_COLUMNS: Final = _columns(Configuration, keys_of(Configuration))


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in _JOINED:
        return "; ".join(value)
    if key in _JSON:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"  # a default is left out, so the cell is empty
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _element_rows(model: ChangeModel) -> list[list[str]]:
    return [
        [_cell(k, e.get(k)) for k in ELEMENT_COLUMNS] for e in to_data(model).get("elements", [])
    ]


def _link_rows(model: ChangeModel) -> list[list[str]]:
    rows = []
    for link in to_data(model).get("links", []):
        link = dict(link)
        link.setdefault("relation", "leads_to")
        if link["relation"] == "leads_to":
            link.setdefault("sign", "increases")
        rows.append([_cell(k, link.get(k)) for k in LINK_COLUMNS])
    return rows


def to_elements_csv(model: ChangeModel) -> str:
    """The elements table as CSV text."""
    return write_table(ELEMENT_COLUMNS, _element_rows(model))


def to_links_csv(model: ChangeModel) -> str:
    """The links table as CSV text (``relation`` and ``sign`` always filled in)."""
    return write_table(LINK_COLUMNS, _link_rows(model))


def _confidence_cell(value: Any) -> str:
    """A configuration's confidence: its level alone, or JSON text with the notes."""
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) != {"level"}:
        return json.dumps(value, ensure_ascii=False)
    return str(value["level"] if isinstance(value, dict) else value)


def _configuration_rows(model: ChangeModel) -> list[list[str]]:
    rows = []
    for config in to_data(model).get("configurations", []):
        config = dict(config)
        config.setdefault("status", ConfigurationStatus.INITIAL.value)
        rows.append(
            [
                _confidence_cell(config.get(k)) if k == "confidence" else _cell(k, config.get(k))
                for k in CONFIGURATION_COLUMNS
            ]
        )
    return rows


def to_configurations_csv(model: ChangeModel) -> str:
    """The configurations table as CSV text, a row per configuration in the model's
    order (``status`` always filled in)."""
    return write_table(CONFIGURATION_COLUMNS, _configuration_rows(model))


def _dangling_citations(model: ChangeModel, *, configurations: bool = True) -> list[Loss]:
    """The tables keep evidence and theory ids but not the references and theories
    they name: say that the model read back from them will not validate."""
    cited = sum(
        len(getattr(item, "theories", ())) + sum(1 for ev in item.evidence if ev.reference)
        for items in (
            model.elements,
            model.links,
            model.configurations if configurations else (),
        )
        for item in items
    )
    if not cited or not (model.references or model.theories):
        return []
    return [
        Loss(
            "model",
            "citations",
            f"{cited} citation{'s' if cited != 1 else ''} of references and theories would"
            " name nothing: the model read back from the tables does not validate (CM101)"
            " until the references and theories are added back",
        )
    ]


def _split_tags(tags: tuple[str, ...]) -> bool:
    return any(";" in t or t != t.strip() for t in tags)


def spreadsheet_losses(model: ChangeModel, *, configurations: bool = True) -> LossReport:
    """What the tables cannot carry (see the module's description);
    ``configurations=False``: written without the configurations table."""
    extra = [
        Loss(f"element:{e.id}", "tags", "a tag with ';' or spaces around it")
        for e in model.elements
        if _split_tags(e.tags)
    ]
    if configurations:
        for c in model.configurations:
            where = f"configuration:{c.id}"
            if _split_tags(c.tags):
                extra.append(Loss(where, "tags", "a tag with ';' or spaces around it"))
            if c.statement == "":
                extra.append(Loss(where, "statement", "empty text, read back as not given"))
    extra.extend(empty_texts(model))
    extra.extend(_dangling_citations(model, configurations=configurations))
    return LossReport.compute(
        "spreadsheet",
        model,
        **carried("spreadsheet"),
        configurations=configurations,
        extra=extra,
    )


def write_spreadsheet(
    model: ChangeModel,
    elements: PathOrFile,
    links: PathOrFile,
    configurations: PathOrFile | None = None,
) -> LossReport:
    """Write the elements, links and (when *configurations* is given)
    configurations tables, each to a path (atomically) or an open text file, and
    say what they do not carry."""
    write_text(to_elements_csv(model), elements)
    write_text(to_links_csv(model), links)
    if configurations is not None:
        write_text(to_configurations_csv(model), configurations)
    return spreadsheet_losses(model, configurations=configurations is not None)


# ---------------------------------------------------------------------- read


class _TableReader:
    def __init__(
        self,
        text: str | list[tuple[int, list[str]]],
        file: str | None,
        columns: Sequence[str],
        required: Sequence[str],
        cls: type = Element,
    ):
        self.file = file
        self.cls = cls
        self.errors: list[LoadError] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        if isinstance(text, str):
            try:
                rows = read_rows(text, file)
            except LoadError as exc:
                self.errors.append(exc)
                return
        else:
            rows = text
        if not rows:
            if required:
                self.errors.append(
                    LoadError(
                        "the table is empty: it needs a header row",
                        location=Location(file, 1),
                        expected=", ".join(columns),
                    )
                )
            return
        line, header = rows[0]
        header = [h.strip().casefold() for h in header]
        for h in sorted({h for h in header if h and header.count(h) > 1}):
            self.errors.append(
                LoadError(
                    f"the column {h!r} appears {header.count(h)} times; which one holds the"
                    " value would be a guess",
                    location=Location(file, line),
                )
            )
        for h in header:
            if h and h not in columns:
                self.errors.append(
                    LoadError(
                        f"unknown column {h!r}",
                        location=Location(file, line),
                        expected="one of " + ", ".join(columns),
                        suggestion=did_you_mean(h, columns),
                    )
                )
        for r in required:
            if r not in header:
                self.errors.append(
                    LoadError(f"missing column {r!r}", location=Location(file, line))
                )
        for number, cells in rows[1:]:
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                self.errors.append(
                    LoadError(
                        "the row has more cells than the header has columns",
                        location=Location(file, number),
                    )
                )
            self.rows.append((number, {h: c for h, c in zip(header, cells, strict=False) if h}))

    def value(self, key: str, text: str, line: int) -> Any:
        if text == "":
            return None
        if key in _JOINED:
            return [part.strip() for part in text.split(";") if part.strip()]
        if key in _JSON:
            from changemodel.formats._json import parse_json

            try:
                return parse_json(text)
            except LoadError as exc:
                self.errors.append(
                    LoadError(f"{key}: {exc.reason}", location=Location(self.file, line))
                )
                return None
        if key == "confidence" and self.cls is Configuration:
            return self.confidence(text, line)
        if key == "confidence":
            try:
                return float(text)
            except ValueError:
                self.errors.append(
                    LoadError(
                        f"confidence: {text!r} is not a number", location=Location(self.file, line)
                    )
                )
                return None
        if key in _BOOLS:
            lowered = text.strip().casefold()
            if lowered in ("true", "yes", "1", "x"):
                return True
            if lowered in ("false", "no", "0"):
                return False
            self.errors.append(
                LoadError(
                    f"{key}: {text!r} is not true or false", location=Location(self.file, line)
                )
            )
            return None
        if key in ("id", "kind", "from", "to", "relation", "sign", "horizon", "status"):
            return text.strip()
        return text

    def confidence(self, text: str, line: int) -> Any:
        """A configuration's confidence: a level, or JSON text with the notes."""
        if not text.lstrip().startswith("{"):
            return {"level": text.strip()}
        from changemodel.formats._json import parse_json

        try:
            return parse_json(text)
        except LoadError as exc:
            self.errors.append(
                LoadError(f"confidence: {exc.reason}", location=Location(self.file, line))
            )
            return None

    def items(self, part: str, positions: dict[tuple[str | int, ...], Location]) -> list[Any]:
        """The rows as objects of a model file's *part*, each located at its line."""
        out = []
        for i, (line, row) in enumerate(self.rows):
            item = {}
            for key, text in row.items():
                value = self.value(key, text, line)
                if value is not None:
                    item[key] = value
            out.append(item)
            positions[(part, i)] = Location(self.file, line)
        return out


def from_spreadsheet(
    elements: str,
    links: str | None = None,
    configurations: str | None = None,
    *,
    title: str = "Imported from a spreadsheet",
    elements_file: str | None = None,
    links_file: str | None = None,
    configurations_file: str | None = None,
) -> ChangeModel:
    """Build a model from the text of an elements table and (optionally) a links
    table and a configurations table. An error names the file (the table), the
    line of the row and the column's key."""
    return _from_tables(
        _TableReader(elements, elements_file, ELEMENT_COLUMNS, ("id", "kind", "label")),
        _TableReader(links or "", links_file, LINK_COLUMNS, ("from", "to") if links else (), Link),
        _TableReader(
            configurations or "",
            configurations_file,
            CONFIGURATION_COLUMNS,
            ("id",) if configurations else (),
            Configuration,
        ),
        title=title,
        file=elements_file,
    )


def _from_tables(
    element_table: _TableReader,
    link_table: _TableReader,
    configuration_table: _TableReader,
    *,
    title: str,
    file: str | None,
) -> ChangeModel:
    positions: dict[tuple[str | int, ...], Location] = {(): Location(file)}
    data: dict[str, Any] = {"changemodel": FORMAT_VERSION, "title": title}
    items = element_table.items("elements", positions)
    connections = link_table.items("links", positions)
    for item in connections:
        if item.get("relation", "leads_to") != "leads_to" and item.get("sign") == "increases":
            del item["sign"]
    configured = configuration_table.items("configurations", positions)
    errors = element_table.errors + link_table.errors + configuration_table.errors
    if errors:
        raise errors[0] if len(errors) == 1 else LoadErrors(errors)
    for key, found in (("elements", items), ("links", connections)):
        if found:
            data[key] = found
    if configured:
        data["configurations"] = configured
    return from_data(data, positions=positions, file=file)


def read_spreadsheet(
    elements: PathOrFile,
    links: PathOrFile | None = None,
    configurations: PathOrFile | None = None,
    *,
    title: str | None = None,
) -> ChangeModel:
    """Read an elements CSV and (optionally) a links CSV and a configurations CSV,
    each from a path or an open text file; the title defaults to the elements
    file's name."""
    element_text, element_name = read_text(elements)
    link_text, link_name = read_text(links) if links is not None else (None, None)
    config_text, config_name = (
        read_text(configurations) if configurations is not None else (None, None)
    )
    if title is None:
        title = Path(element_name).stem if element_name else "Imported from a spreadsheet"
    return from_spreadsheet(
        element_text,
        link_text,
        config_text,
        title=title,
        elements_file=element_name,
        links_file=link_name,
        configurations_file=config_name,
    )


# ------------------------------------------------------------------ workbook
#
# The three tables as the sheets of one Excel workbook (openpyxl, the ``excel``
# extra). Every cell is text, stored as a string cell, so no spreadsheet runs
# it as a formula and no apostrophe is needed; the columns and cells are
# those of the CSV tables.

#: The sheets of a workbook: name, columns, required columns, class of its rows.
SHEETS: Final = (
    ("Elements", ELEMENT_COLUMNS, ("id", "kind", "label"), Element),
    ("Links", LINK_COLUMNS, ("from", "to"), Link),
    ("Configurations", CONFIGURATION_COLUMNS, ("id",), Configuration),
)


def _openpyxl(file: str | None = None) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise LoadError(
            "Excel workbooks need openpyxl: pip install 'changemodel[excel]'",
            location=Location(file),
        ) from None
    return openpyxl


def _xml_text(text: str) -> bool:
    """Whether a workbook (XML) can hold *text* as it is."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.search(text) is None


def workbook_losses(model: ChangeModel) -> LossReport:
    """What the workbook cannot carry: what the tables cannot (see
    :func:`spreadsheet_losses`), and text holding control characters that XML
    cannot hold (they are left out of the cell)."""
    _openpyxl()
    return LossReport.compute(
        "workbook",
        model,
        **carried("spreadsheet"),
        configurations=True,
        text_ok=_xml_text,
        extra=spreadsheet_losses(model).losses,
    )


@open_file("wb")
def write_workbook(model: ChangeModel, file: IO[bytes]) -> LossReport:
    """Write the elements, links and configurations tables as the sheets
    ``Elements``, ``Links`` and ``Configurations`` of an Excel workbook, to a
    path (atomically) or an open binary file, and say what it does not carry."""
    openpyxl = _openpyxl()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    book.remove(book.active)
    for (name, columns, _, _), rows in zip(
        SHEETS,
        (_element_rows(model), _link_rows(model), _configuration_rows(model)),
        strict=True,
    ):
        sheet = book.create_sheet(name)
        for values in (list(columns), *rows):
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) or None for v in values])
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cell.data_type = "s"  # text, never a formula
        sheet.freeze_panes = "A2"
    book.save(file)
    return workbook_losses(model)


def to_workbook(model: ChangeModel) -> bytes:
    """The workbook's bytes (see :func:`write_workbook`)."""
    buffer = io.BytesIO()
    write_workbook(model, buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    """A cell as text: numbers and booleans a person typed become what they show."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@open_file("rb")
def read_workbook(file: IO[bytes], *, title: str | None = None) -> ChangeModel:
    """Read a workbook written by :func:`write_workbook` (or by hand with the same
    sheets and columns) from a path or an open binary file. The ``Elements``
    sheet is required, ``Links`` and ``Configurations`` are optional; an error
    names the file, the sheet, the row and the column's key. The title defaults
    to the file's name."""
    name = file_name(file)
    data: bytes | str = file.read()
    if isinstance(data, str):  # an open text file: not a workbook, but say so plainly
        data = data.encode("utf-8", "surrogatepass")
    return from_workbook(
        data,
        title=title or (Path(name).stem if name else "Imported from a spreadsheet"),
        file=name,
    )


def from_workbook(
    data: bytes, *, title: str = "Imported from a spreadsheet", file: str | None = None
) -> ChangeModel:
    """Build a model from the bytes of a workbook (see :func:`read_workbook`)."""
    openpyxl = _openpyxl(file)
    where = file or "workbook"
    check_unpacked_size(data, file)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile and XML errors for bad files
        raise LoadError(
            f"not readable as an Excel workbook: {exc}", location=Location(file)
        ) from None
    tables = []
    try:
        known = {n.casefold(): n for n in book.sheetnames}
        if "elements" not in known:
            sheets = ", ".join(repr(n) for n in book.sheetnames) or "none"
            raise LoadError(
                f"the workbook has no sheet 'Elements' (its sheets: {sheets})",
                location=Location(file),
                expected="the sheets Elements, Links and Configurations",
            )
        for sheet, columns, required, cls in SHEETS:
            found = known.get(sheet.casefold())
            rows: list[tuple[int, list[str]]] = []
            if found is not None:
                rows = _sheet_rows(book[found], f"{where} [{sheet}]")
            tables.append(
                _TableReader(rows, f"{where} [{sheet}]", columns, required if found else (), cls)
            )
    finally:
        book.close()
    return _from_tables(*tables, title=title, file=file)


def _sheet_rows(sheet: Any, where: str) -> list[tuple[int, list[str]]]:
    """The rows of a sheet that hold something, numbered as the sheet numbers them.
    A sheet is parsed only now (the workbook is opened read-only), so a malformed
    or hostile one is refused here."""
    try:
        return [
            (number, [_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(v is not None and str(v) != "" for v in values)
        ]
    except Exception as exc:  # XML, zip and defusedxml errors of a damaged or hostile sheet
        raise LoadError(
            f"the sheet is not readable: {type(exc).__name__}: {exc}", location=Location(where)
        ) from None
