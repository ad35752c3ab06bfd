"""GraphML (yEd, Gephi, Cytoscape, networkx) with typed attributes.

Each element is a node whose id is the element id, with ``kind``, ``label``
and its other fields as typed GraphML data (``confidence`` is a ``double``,
``feedback`` a ``boolean``, the rest ``string``). Each link is an edge whose
GraphML id is its relation, carrying ``relation``, ``sign`` and ``feedback``
on every edge so that a tool can style by them. Lists and nested values
(actors, indicators, evidence, theories, tags, assumptions; the model's
references, theories, realist configurations and validation settings) have no
GraphML type: they are
stored as JSON text, and :func:`read_graphml` reads them back, so a model
survives the round trip whole. The only loss is text that XML cannot hold
(control characters; a carriage return becomes a line feed), and the loss
report names it.

``networkx.read_graphml(path, force_multigraph=True)`` reads the file back to
a graph equal to :func:`graphml_graph`.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> from_graphml(to_graphml(m)) == m
True
>>> print(graphml_losses(m))
graphml: nothing lost
"""

from __future__ import annotations

import io
import json
from typing import IO, Any

import networkx as nx

from changemodel.errors import LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats._graph import LIST_KEYS, graph_to_model, model_to_graph
from changemodel.formats._json import parse_json
from changemodel.formats._text import clean
from changemodel.formats.loss import LossReport, carried
from changemodel.model import ChangeModel

__all__ = [
    "from_graphml",
    "graphml_graph",
    "graphml_losses",
    "read_graphml",
    "to_graphml",
    "write_graphml",
]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _encode(attrs: dict[str, Any]) -> dict[str, Any]:
    return {
        k: json.dumps(_clean(v), ensure_ascii=False) if k in LIST_KEYS else _clean(v)
        for k, v in attrs.items()
    }


def graphml_graph(model: ChangeModel) -> nx.MultiDiGraph[str]:
    """The graph written to GraphML: typed scalars, lists as JSON text."""
    plain = model_to_graph(model)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.graph.update(_encode(plain.graph))
    for node, attrs in plain.nodes(data=True):
        graph.add_node(node, **_encode(attrs))
    for source, target, key, attrs in plain.edges(keys=True, data=True):
        graph.add_edge(source, target, key=key, **_encode(attrs))
    return graph


def to_graphml(model: ChangeModel) -> str:
    """The model as GraphML text."""
    buffer = io.BytesIO()
    nx.write_graphml(graphml_graph(model), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def graphml_losses(model: ChangeModel) -> LossReport:
    """What GraphML cannot carry: only text with characters XML cannot hold."""
    return LossReport.compute(
        "graphml",
        model,
        **carried("graphml"),
        references=True,
        theories=True,
        configurations=True,
        text_ok=lambda text: clean(text) == text,
    )


@open_file("w")
def write_graphml(model: ChangeModel, file: IO[str]) -> LossReport:
    """Write GraphML to a path (atomically) or an open text file; return the losses."""
    file.write(to_graphml(model))
    return graphml_losses(model)


def _decode(graph: nx.MultiDiGraph[Any], file: str | None) -> nx.MultiDiGraph[Any]:
    def decode(attrs: dict[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in attrs.items():
            if key in ("node_default", "edge_default"):
                continue
            if key in LIST_KEYS and isinstance(value, str):
                try:
                    value = parse_json(value)
                except LoadError as exc:
                    raise LoadError(
                        f"{where}: {key!r} is not the JSON list it should be: {exc.reason}",
                        location=Location(file),
                    ) from None
            out[key] = value
        return out

    result: nx.MultiDiGraph[Any] = nx.MultiDiGraph()
    result.graph.update(decode(graph.graph, "the graph"))
    for node, attrs in graph.nodes(data=True):
        result.add_node(node, **decode(attrs, f"node {node!r}"))
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        attrs = decode(attrs, f"edge {source!r} -> {target!r}")
        attrs.setdefault("relation", key if isinstance(key, str) else "leads_to")
        result.add_edge(source, target, key=key, **attrs)
    return result


def _read(source: Any, file: str | None) -> ChangeModel:
    try:
        graph: Any = nx.read_graphml(source, force_multigraph=True)
    except Exception as exc:  # the XML parser and networkx raise many kinds
        raise LoadError(f"not readable as GraphML: {exc}", location=Location(file)) from None
    if not graph.is_directed():
        raise LoadError(
            "the GraphML graph is undirected; a change model's links have a direction",
            location=Location(file),
        )
    return graph_to_model(_decode(graph, file), file=file)


def from_graphml(text: str | bytes, *, file: str | None = None) -> ChangeModel:
    """Read a model from GraphML text (as written by :func:`to_graphml`); *file*
    names it in error messages."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return _read(io.BytesIO(data), file)


@open_file("rb")
def read_graphml(file: IO[Any]) -> ChangeModel:
    """Read a model from a GraphML file (as written by :func:`write_graphml`), given
    its path or the open file (binary or text)."""
    return from_graphml(file.read(), file=file_name(file))
