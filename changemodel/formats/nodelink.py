"""networkx node-link JSON (also read by d3 and many web tools).

The document is what ``networkx.node_link_data`` makes of a ``MultiDiGraph``
(``directed``, ``multigraph``, ``graph``, ``nodes``, ``edges``): nodes carry
the element fields, edges the link fields and their relation as ``key``.
JSON holds lists and mappings, so nothing is lost, and
``networkx.node_link_graph(data, edges="edges")`` rebuilds an equal graph.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> data = to_node_link(m)
>>> data["edges"][0]["source"], data["edges"][0]["relation"], data["edges"][0]["sign"]
('a', 'leads_to', 'increases')
>>> from_node_link(data) == m
True
"""

from __future__ import annotations

import json
from typing import IO, Any

import networkx as nx

from changemodel.errors import LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats._graph import graph_to_model, model_to_graph
from changemodel.formats._json import check_data, parse_json
from changemodel.formats.loss import LossReport
from changemodel.model import ChangeModel

__all__ = [
    "from_node_link",
    "node_link_losses",
    "read_node_link",
    "to_node_link",
    "write_node_link",
]


def to_node_link(model: ChangeModel) -> dict[str, Any]:
    """The model as a node-link mapping (JSON-ready)."""
    graph = model_to_graph(model)
    return {
        "directed": True,
        "multigraph": True,
        "graph": dict(graph.graph),
        "nodes": [{**attrs, "id": node} for node, attrs in graph.nodes(data=True)],
        "edges": [
            {**attrs, "source": s, "target": t, "key": k}
            for s, t, k, attrs in graph.edges(keys=True, data=True)
        ],
    }


def node_link_losses(model: ChangeModel) -> LossReport:
    """Node-link JSON carries the whole model: the report is empty."""
    return LossReport("node-link", ())


def from_node_link(data: Any, *, file: str | None = None) -> ChangeModel:
    """The model a node-link mapping describes (``edges`` or ``links`` both read)."""
    where = Location(file)
    check_data(data, file)
    if not isinstance(data, dict) or "nodes" not in data:
        raise LoadError("not node-link data: expected a mapping with 'nodes'", location=where)
    if "edges" not in data and "links" not in data:
        raise LoadError(
            "not node-link data: no 'edges' (or 'links'); write \"edges\": [] for a model"
            " without links",
            location=where,
        )
    edges = "edges" if "edges" in data else "links"
    _check_items(data, "nodes", ("id",), where)
    _check_items(data, edges, ("source", "target"), where)
    if not data.get("directed", True):
        raise LoadError(
            "the graph is undirected; a change model's links have a direction", location=where
        )
    try:
        graph: Any = nx.node_link_graph({**data, "directed": True, "multigraph": True}, edges=edges)
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise LoadError(f"not readable as node-link data: {exc!r}", location=where) from None
    for _, _, key, attrs in graph.edges(keys=True, data=True):
        attrs.setdefault("relation", key if isinstance(key, str) else "leads_to")
    return graph_to_model(graph, file=file)


def _check_items(data: dict[str, Any], name: str, ends: tuple[str, ...], where: Location) -> None:
    items = data[name]
    if not isinstance(items, list):
        raise LoadError(f"{name!r} must be a list, not {type(items).__name__}", location=where)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise LoadError(
                f"{name}[{i}]: expected a mapping, not {type(item).__name__}", location=where
            )
        for end in ends:
            if not isinstance(item.get(end), str):
                found = (
                    "missing"
                    if end not in item
                    else "null"
                    if item[end] is None
                    else type(item[end]).__name__
                )
                raise LoadError(
                    f"{name}[{i}].{end}: expected an element id (text), found {found}",
                    location=where,
                )


@open_file("w")
def write_node_link(model: ChangeModel, file: IO[str], *, indent: int | None = 2) -> LossReport:
    """Write node-link JSON to a path (atomically) or an open text file."""
    file.write(json.dumps(to_node_link(model), indent=indent, ensure_ascii=False) + "\n")
    return node_link_losses(model)


@open_file("r")
def read_node_link(file: IO[str]) -> ChangeModel:
    """Read a model from node-link JSON, given a path or an open text file."""
    name = file_name(file)
    data = parse_json(file.read(), name, check=False)
    return from_node_link(data, file=name)
