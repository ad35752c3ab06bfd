"""The model as a networkx graph of plain data, shared by GraphML and node-link JSON.

Nodes carry the element's fields as the canonical file writes them (``kind``,
``label``, ...; lists of actors, indicators and evidence as lists of
mappings); edges are keyed by relation and always carry ``relation``, ``sign``
and ``feedback``, so tools that style by attribute find them on every edge.
The graph carries ``title`` and, when present, ``description``, ``version``,
``references``, ``theories`` and ``validation``. Reading goes back through the
canonical reader, so every check and error message is the same as for a
model file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import networkx as nx

from changemodel.domain import (
    ELEMENT_CLASSES,
    PARTS,
    Element,
    Link,
    file_fields,
    file_key,
    value_kind,
)
from changemodel.errors import Location
from changemodel.formats.canonical import FORMAT_VERSION, MODEL_KEYS, from_data, to_data
from changemodel.model import ChangeModel

__all__ = ["GRAPH_KEYS", "LIST_KEYS", "graph_to_model", "model_to_graph"]

#: Graph-level keys other than the title: the model's own fields and the lists of
#: objects that are neither elements nor links, in file order.
GRAPH_KEYS: Final = tuple(
    k for k in MODEL_KEYS if k not in ("changemodel", "title", "elements", "links")
)
#: Keys whose values are lists or mappings (GraphML stores them as JSON text).
LIST_KEYS: Final = frozenset(
    {
        *(
            file_key(f)
            for cls in (*ELEMENT_CLASSES.values(), Link)
            for f in file_fields(cls)
            if value_kind(f) in ("ids", "texts", "objects")
        ),
        *(part.key for part in PARTS if part.cls not in (Element, Link)),
        "validation",
    }
)


def model_to_graph(model: ChangeModel) -> nx.MultiDiGraph[str]:
    """A ``MultiDiGraph`` of plain data (text, numbers, booleans, lists, mappings)."""
    data = to_data(model)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.graph["title"] = data["title"]
    for key in GRAPH_KEYS:
        if key in data:
            graph.graph[key] = data[key]
    for element in data.get("elements", []):
        attrs = {k: v for k, v in element.items() if k != "id"}
        graph.add_node(element["id"], **attrs)
    for link in data.get("links", []):
        attrs = {k: v for k, v in link.items() if k not in ("from", "to")}
        attrs.setdefault("relation", "leads_to")
        attrs.setdefault("sign", "increases")
        attrs.setdefault("feedback", False)
        graph.add_edge(link["from"], link["to"], key=attrs["relation"], **attrs)
    return graph


def graph_to_model(
    graph: nx.Graph[Any],
    *,
    file: str | None = None,
    where: Mapping[tuple[str | int, ...], Location] | None = None,
) -> ChangeModel:
    """The model a plain-data graph describes (through the canonical reader)."""
    data: dict[str, Any] = {"changemodel": FORMAT_VERSION}
    for key in ("title", *GRAPH_KEYS):
        if key in graph.graph and graph.graph[key] is not None:
            data[key] = graph.graph[key]
    data.setdefault("title", "Untitled change model")
    elements = []
    for node, attrs in graph.nodes(data=True):
        elements.append({"id": node, **attrs})
    links = []
    edges: Any = graph.edges(data=True)
    for source, target, attrs in edges:
        links.append({"from": source, "to": target, **attrs})
    if elements:
        data["elements"] = elements
    if links:
        data["links"] = links
    positions = dict(where or {})
    positions.setdefault((), Location(file))
    return from_data(data, positions=positions, file=file)
