"""Shared by the format tests: the worked example, and DOT read back through pydot."""

from __future__ import annotations

import html
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pydot

with warnings.catch_warnings():
    # pydot's grammar still calls pyparsing's pre-3.0 names when it is built.
    warnings.simplefilter("ignore", DeprecationWarning)
    import pydot.dot_parser

from changemodel import ChangeModel, load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "peer_worker" / "model.yaml"


def peer_worker() -> ChangeModel:
    return load(EXAMPLE)


def unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name


def _walk(graph: Any) -> list[Any]:
    graphs = [graph]
    for sub in graph.get_subgraphs():
        graphs.extend(_walk(sub))
    return graphs


def parse_dot(text: str) -> tuple[dict[str, dict[str, Any]], Counter[tuple[str, str]], Any]:
    """Nodes (with their attributes, merged over every declaration) and the
    visible edges of DOT text, read back by pydot's own parser. An edge drawn
    with ``dir=back`` counts in the direction its arrow points."""
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1
    root = graphs[0]
    nodes: dict[str, dict[str, Any]] = {}
    edges: Counter[tuple[str, str]] = Counter()
    for graph in _walk(root):
        for node in graph.get_nodes():
            if node.get_name() in ("node", "edge", "graph"):  # default-attribute statements
                continue
            name = unquote(node.get_name())
            nodes.setdefault(name, {}).update(node.get_attributes())
        for edge in graph.get_edges():
            if edge.get("style") == "invis":
                continue
            ends = (unquote(edge.get_source()), unquote(edge.get_destination()))
            edges[ends[::-1] if edge.get("dir") == "back" else ends] += 1
    return nodes, edges, root


def html_label_text(label: str) -> str:
    """The text of an HTML-like label as Graphviz prints it: tags dropped, entities
    decoded, each doubled backslash one backslash."""
    assert label.startswith("<") and label.endswith(">"), label
    return html.unescape(re.sub(r"<[^<>]*>", " ", label[1:-1])).replace("\\\\", "\\")


def squeeze(text: str) -> str:
    """*text* without any whitespace (wrapping moves line breaks)."""
    return "".join(text.split())
