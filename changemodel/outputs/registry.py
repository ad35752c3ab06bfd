"""Every format by name, for programs and the command line that choose one at run time.

The registry sits above the formats and the analysis: besides every file format
it names the tables composed from an analysis (the realist CMO table).

:data:`EXPORTERS` maps a format name to an :class:`Exporter` whose ``export``
returns the text and the :class:`~changemodel.formats.loss.LossReport`;
:data:`IMPORTERS` maps a name to an :class:`Importer` that reads a file.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> text, losses = export(m, "dagitty")
>>> print(text, end="")
dag {
"a" [exposure]
"o" [outcome]
"a" -> "o"
}
>>> print(losses)
dagitty: 4 items not carried
  element:a: label ('Do')
  element:o: kind (process outcome, read as downstream outcome)
  element:o: label ('Change')
  model: title ('Tiny')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from changemodel.domain import Relation
from changemodel.errors import InvalidValueError, did_you_mean
from changemodel.formats.loss import LossReport, carried
from changemodel.model import ChangeModel

if TYPE_CHECKING:
    from changemodel.formats.table import TableFormat

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "Deferred",
    "Exporter",
    "Importer",
    "export",
    "export_deferred",
    "import_model",
]


#: What an exporter gives: the text, and a function that computes the losses when
#: they are wanted (so that ``changemodel export -q`` never pays for them).
Deferred = tuple[str, Callable[[], LossReport]]


@attrs.frozen
class Exporter:
    """A format a model can be written in."""

    name: str
    suffix: str
    description: str
    #: (model, options) -> (text, a function computing the losses)
    write: Callable[[ChangeModel, dict[str, Any]], Deferred]

    def export(self, model: ChangeModel, options: dict[str, Any]) -> tuple[str, LossReport]:
        """The text and the losses, both computed now."""
        text, losses = self.write(model, options)
        return text, losses()


@attrs.frozen
class Importer:
    """A format a model can be read from."""

    name: str
    description: str
    #: (path, options) -> model
    read: Callable[[str | os.PathLike[str] | IO[str], dict[str, Any]], ChangeModel]


def _canonical(syntax: str) -> Callable[[ChangeModel, dict[str, Any]], Deferred]:
    def run(model: ChangeModel, options: dict[str, Any]) -> Deferred:
        from changemodel.formats.canonical import dumps

        return dumps(model, "json" if syntax == "json" else "yaml"), lambda: LossReport(syntax)

    return run


def _dot(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.dot import dot_losses, to_dot

    return to_dot(model, **options), lambda: dot_losses(model, kinds=options.get("kinds"))


def _mermaid(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.mermaid import mermaid_losses, to_mermaid

    direction = options.get("rankdir", "LR")
    return to_mermaid(model, direction=direction), lambda: mermaid_losses(model)


def _graphml(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.graphml import graphml_losses, to_graphml

    return to_graphml(model), lambda: graphml_losses(model)


def _node_link(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    import json

    from changemodel.formats.nodelink import node_link_losses, to_node_link

    text = json.dumps(to_node_link(model), indent=2, ensure_ascii=False) + "\n"
    return text, lambda: node_link_losses(model)


def _dagitty(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.dagitty import dagitty_losses, to_dagitty

    roles = {k: options[k] for k in ("exposures", "outcomes", "latent") if options.get(k)}
    return to_dagitty(model, **roles), lambda: dagitty_losses(model, **roles)


def _kumu(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    import json

    from changemodel.formats.kumu import kumu_losses, to_kumu

    text = json.dumps(to_kumu(model), indent=2, ensure_ascii=False) + "\n"
    return text, lambda: kumu_losses(model)


def _elements_csv(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.spreadsheet import spreadsheet_losses, to_elements_csv

    def losses() -> LossReport:
        # The links and configurations are in tables of their own.
        report = spreadsheet_losses(model, configurations=False)
        links = {(f"link:{lk.id}", "*") for lk in model.links}
        extra = LossReport.compute("elements-csv", model, keep_link=lambda lk: False)
        kept = [loss for loss in extra if loss.key in links]
        return LossReport("elements-csv", tuple(sorted((*report, *kept))))

    return to_elements_csv(model), losses


def _links_csv(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.spreadsheet import to_links_csv

    def losses() -> LossReport:
        report = LossReport.compute(
            "links-csv",
            model,
            **carried("links-csv"),
            keep_element=lambda e: False,
        )
        # The links table names its ends, so the links themselves are kept.
        kept = tuple(loss for loss in report if not loss.subject.startswith("link:"))
        return LossReport("links-csv", kept)

    return to_links_csv(model), losses


def _configurations_csv(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.formats.spreadsheet import spreadsheet_losses, to_configurations_csv

    def losses() -> LossReport:
        # Alone, the table holds the configurations; it names elements by id only.
        table = spreadsheet_losses(model)
        return LossReport.compute(
            "configurations-csv",
            model,
            **carried("spreadsheet"),
            configurations=True,
            keep_element=lambda e: False,
            extra=[x for x in table if x.subject.startswith("configuration:")],
        )

    return to_configurations_csv(model), losses


def _cmo_csv(model: ChangeModel, options: dict[str, Any]) -> Deferred:
    from changemodel.outputs.cmo_table import cmo_losses, to_cmo_csv

    return to_cmo_csv(model), lambda: cmo_losses(model)


def _causal_map(part: int) -> Callable[[ChangeModel, dict[str, Any]], Deferred]:
    def run(model: ChangeModel, options: dict[str, Any]) -> Deferred:
        from changemodel.formats.causalmap import causal_map_losses, to_causal_map

        return to_causal_map(model)[part], lambda: causal_map_losses(model)

    return run


def _table_losses(model: ChangeModel, name: str) -> LossReport:
    return LossReport.compute(
        name,
        model,
        **carried("table"),
        keep_link=lambda lk: lk.relation is Relation.MODERATES,
    )


def _table(fmt: TableFormat, name: str) -> Callable[[ChangeModel, dict[str, Any]], Deferred]:
    def run(model: ChangeModel, options: dict[str, Any]) -> Deferred:
        from changemodel.formats.table import logic_model_table

        return logic_model_table(model).render(fmt), lambda: _table_losses(model, name)

    return run


def _cmo_table(fmt: TableFormat, name: str) -> Callable[[ChangeModel, dict[str, Any]], Deferred]:
    def run(model: ChangeModel, options: dict[str, Any]) -> Deferred:
        from changemodel.outputs.cmo_table import cmo_losses, cmo_table

        return cmo_table(model).render(fmt), lambda: LossReport(name, cmo_losses(model).losses)

    return run


#: Format name -> exporter.
EXPORTERS: Final[dict[str, Exporter]] = {
    e.name: e
    for e in (
        Exporter("yaml", ".yaml", "the canonical model file (YAML)", _canonical("yaml")),
        Exporter("json", ".json", "the canonical model file (JSON)", _canonical("json")),
        Exporter("dot", ".dot", "Graphviz DOT in the MRC layout", _dot),
        Exporter("mermaid", ".mmd", "Mermaid flowchart", _mermaid),
        Exporter("graphml", ".graphml", "GraphML with typed attributes", _graphml),
        Exporter("node-link", ".json", "networkx node-link JSON", _node_link),
        Exporter("dagitty", ".dagitty", "dagitty DAG text", _dagitty),
        Exporter("kumu", ".json", "Kumu blueprint JSON", _kumu),
        Exporter("elements-csv", ".csv", "spreadsheet: the elements table", _elements_csv),
        Exporter("links-csv", ".csv", "spreadsheet: the links table", _links_csv),
        Exporter(
            "configurations-csv",
            ".csv",
            "spreadsheet: the configurations table",
            _configurations_csv,
        ),
        Exporter("cmo-csv", ".csv", "spreadsheet: the CMO table", _cmo_csv),
        Exporter("causal-map-links", ".csv", "Causal Map: the links table (CSV)", _causal_map(0)),
        Exporter(
            "causal-map-sources", ".csv", "Causal Map: the sources table (CSV)", _causal_map(1)
        ),
        Exporter(
            "table-md", ".md", "MRC logic-model table (Markdown)", _table("markdown", "table-md")
        ),
        Exporter(
            "table-html", ".html", "MRC logic-model table (HTML page)", _table("html", "table-html")
        ),
        Exporter("table-csv", ".csv", "MRC logic-model table (CSV)", _table("csv", "table-csv")),
        Exporter("cmo-md", ".md", "realist CMO table (Markdown)", _cmo_table("markdown", "cmo-md")),
        Exporter(
            "cmo-html", ".html", "realist CMO table (HTML page)", _cmo_table("html", "cmo-html")
        ),
    )
}


def _read_canonical(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.canonical import load

    return load(path)


def _read_graphml(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.graphml import read_graphml

    return read_graphml(path)


def _read_node_link(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.nodelink import read_node_link

    return read_node_link(path)


def _read_dagitty(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.dagitty import read_dagitty

    return read_dagitty(
        path,
        title=options.get("title"),
        kinds=options.get("kinds"),
        default_kind=options.get("default_kind") or "process_outcome",
        losses=options.get("losses"),
    )


def _read_kumu(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.kumu import read_kumu

    return read_kumu(
        path,
        title=options.get("title"),
        kinds=options.get("kinds"),
        default_kind=options.get("default_kind"),
    )


def _read_spreadsheet(
    path: str | os.PathLike[str] | IO[str], options: dict[str, Any]
) -> ChangeModel:
    from changemodel.formats.spreadsheet import read_spreadsheet

    return read_spreadsheet(
        path, options.get("links"), options.get("configurations"), title=options.get("title")
    )


def _read_workbook(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.formats.spreadsheet import read_workbook

    return read_workbook(path, title=options.get("title"))


def _read_cmo_csv(path: str | os.PathLike[str] | IO[str], options: dict[str, Any]) -> ChangeModel:
    from changemodel.outputs.cmo_table import read_cmo_csv

    return read_cmo_csv(path, title=options.get("title"))


def _read_causal_map(
    path: str | os.PathLike[str] | IO[str], options: dict[str, Any]
) -> ChangeModel:
    from changemodel.formats.causalmap import read_causal_map

    model, _ = read_causal_map(
        path,
        options.get("sources"),
        title=options.get("title"),
        kinds=options.get("kinds"),
        default_kind=options.get("default_kind"),
    )
    return model


#: Format name -> importer.
IMPORTERS: Final[dict[str, Importer]] = {
    i.name: i
    for i in (
        Importer("yaml", "the canonical model file (YAML or JSON)", _read_canonical),
        Importer("json", "the canonical model file (JSON)", _read_canonical),
        Importer("graphml", "GraphML written by changemodel", _read_graphml),
        Importer("node-link", "networkx node-link JSON", _read_node_link),
        Importer("dagitty", "dagitty DAG text", _read_dagitty),
        Importer("kumu", "Kumu blueprint JSON", _read_kumu),
        Importer(
            "spreadsheet",
            "elements CSV (with --links: links CSV; --configurations: configurations CSV)",
            _read_spreadsheet,
        ),
        Importer(
            "workbook",
            "Excel workbook (.xlsx) with the sheets Elements, Links and Configurations",
            _read_workbook,
        ),
        Importer("cmo-csv", "a CMO table, one configuration per row", _read_cmo_csv),
        Importer(
            "causal-map",
            "Causal Map links CSV (with --sources: its sources CSV)",
            _read_causal_map,
        ),
    )
}


def _lookup(table: dict[str, Any], name: str, what: str) -> Any:
    try:
        return table[name]
    except KeyError:
        hint = did_you_mean(name, table)
        raise InvalidValueError(
            f"unknown {what} format {name!r}; choose one of {', '.join(table)}"
            + (f" (did you mean {hint!r}?)" if hint else ""),
            attribute="format",
            value=name,
        ) from None


def export(model: ChangeModel, format: str, **options: Any) -> tuple[str, LossReport]:
    """The model as text in the named format, with what the format could not carry."""
    exporter: Exporter = _lookup(EXPORTERS, format, "export")
    return exporter.export(model, options)


def export_deferred(model: ChangeModel, format: str, **options: Any) -> Deferred:
    """The model as text in the named format, and a function that computes what the
    format could not carry: a caller that does not show the losses never pays for them.

    >>> from changemodel import ChangeModel
    >>> m = ChangeModel("Tiny")
    >>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
    >>> text, losses = export_deferred(m, "dagitty")
    >>> print(losses().summary())
    dagitty: 4 items not carried
      kind: element:o
      label: element:a, element:o
      title: model
    """
    exporter: Exporter = _lookup(EXPORTERS, format, "export")
    return exporter.write(model, options)


def import_model(
    format: str, path: str | os.PathLike[str] | IO[str], **options: Any
) -> ChangeModel:
    """Read a model from a file in the named format."""
    importer: Importer = _lookup(IMPORTERS, format, "import")
    return importer.read(path, options)
