"""The model as a causal DAG, for d-separation and for causal-inference tools.

The causal view keeps the causal (``leads_to``) links, leaves out deliberate
feedback links (a DAG has no loops), and, unless asked not to, turns each
moderation into an edge from the context to what it moderates: in a DAG a
modifier is one more cause. Assumptions and ``part_of`` links are not
variables and stay out.

d-separation uses the reachability ("Bayes-ball") algorithm of Koller and
Friedman (Probabilistic Graphical Models, 2009, algorithm 3.1): one pass over
the ancestors of the conditioning set and one over the (node, direction)
pairs, so each query is linear in the number of edges.

>>> m = ChangeModel("Chain")
>>> support = m.activity("support", "Peer support")
>>> trust = m.mechanism("trust", "Trust")
>>> hope = m.process_outcome("hope", "Hope")
>>> _ = support >> trust >> hope
>>> view = causal_view(m)
>>> view.d_separated("support", "hope"), view.d_separated("support", "hope", ["trust"])
(False, True)
>>> [str(i) for i in view.implied_independencies()]
['hope _||_ support | trust']
>>> print(view.to_dagitty(exposure="support", outcome="hope"))
dag {
support [exposure]
hope [outcome]
trust
support -> trust
trust -> hope
}
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
import networkx as nx

from changemodel.analysis._data import plain
from changemodel.domain import Kind
from changemodel.errors import IntegrityError, InvalidValueError, UnknownIdError, did_you_mean
from changemodel.model import ChangeModel

__all__ = [
    "CausalView",
    "Independence",
    "active_reach",
    "ancestors_of",
    "causal_view",
    "d_separated",
]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@attrs.frozen
class Independence:
    """``x`` is independent of ``y`` given ``given`` (dagitty writes ``x _||_ y | given``)."""

    x: str
    y: str
    given: tuple[str, ...]

    def __str__(self) -> str:
        text = f"{self.x} _||_ {self.y}"
        return f"{text} | {', '.join(self.given)}" if self.given else text

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"x": self.x, "y": self.y, "given": list(self.given)}


class CausalView:
    """A DAG over variable names with parent and child lists, and what follows from it.

    Build one with :func:`causal_view` from a model or with
    :meth:`from_networkx` from any ``networkx.DiGraph`` that is acyclic.
    """

    __slots__ = ("attributes", "children", "order", "parents")

    def __init__(
        self,
        nodes: Iterable[str],
        edges: Iterable[tuple[str, str]],
        attributes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)
        try:
            order = list(nx.lexicographical_topological_sort(graph))
        except nx.NetworkXUnfeasible:
            cycle = nx.find_cycle(graph)
            path = " -> ".join([cycle[0][0], *(t for _, t in cycle)])
            raise IntegrityError(f"the causal view has a cycle: {path}") from None
        index = {v: i for i, v in enumerate(order)}
        #: The variables in topological order (ties broken by name).
        self.order: tuple[str, ...] = tuple(order)
        self.parents: dict[str, tuple[str, ...]] = {
            v: tuple(sorted(graph.predecessors(v), key=index.__getitem__)) for v in order
        }
        self.children: dict[str, tuple[str, ...]] = {
            v: tuple(sorted(graph.successors(v), key=index.__getitem__)) for v in order
        }
        self.attributes: dict[str, dict[str, Any]] = {
            v: dict((attributes or {}).get(v, {})) for v in order
        }

    @classmethod
    def from_networkx(cls, graph: nx.DiGraph[str]) -> CausalView:
        """A view of an acyclic ``networkx.DiGraph`` (node attributes are kept)."""
        return cls(graph.nodes, graph.edges, {v: graph.nodes[v] for v in graph.nodes})

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the nodes in order with their attributes, and the edges.

        >>> view = CausalView(["a", "b"], [("a", "b")], {"a": {"kind": Kind.ACTIVITY}})
        >>> view.to_data()
        {'nodes': [{'id': 'a', 'kind': 'activity'}, {'id': 'b'}], 'edges': [['a', 'b']]}
        >>> CausalView.from_data(view.to_data()).edges
        (('a', 'b'),)
        """
        return {
            "nodes": [{"id": v, **plain(self.attributes[v])} for v in self.order],
            "edges": [[p, c] for p, c in self.edges],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CausalView:
        """The view that :meth:`to_data` gave (attributes come back as plain values)."""
        try:
            nodes = [dict(node) for node in data["nodes"]]
            edges = [(str(p), str(c)) for p, c in data["edges"]]
            ids = [str(node.pop("id")) for node in nodes]
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidValueError(f"not the data of a causal view: {exc}", value=data) from None
        return cls(ids, edges, dict(zip(ids, nodes, strict=True)))

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        """Every edge ``(parent, child)``, in topological order of the child."""
        return tuple((p, v) for v in self.order for p in self.parents[v])

    def __len__(self) -> int:
        return len(self.order)

    # ------------------------------------------------------------ queries

    def _check(self, items: str | Iterable[str], what: str) -> set[str]:
        ids = {items} if isinstance(items, str) else set(items)
        for v in ids:
            if v not in self.parents:
                raise UnknownIdError(
                    f"{what}: {v!r} is not a variable of the causal view",
                    id=v,
                    suggestion=did_you_mean(v, self.order),
                )
        return ids

    def ancestors(self, nodes: Iterable[str]) -> set[str]:
        """The nodes and all their ancestors."""
        return ancestors_of(self.parents, nodes)

    def reachable(self, x: str | Iterable[str], given: Iterable[str] = ()) -> set[str]:
        """The nodes with an active trail from *x* given *given* (*given* excluded).

        Linear in the number of edges.
        """
        xs = self._check(x, "x")
        zs = self._check(given, "given")
        return active_reach(self.parents, self.children, xs, zs)

    def d_separated(
        self, x: str | Iterable[str], y: str | Iterable[str], given: str | Iterable[str] = ()
    ) -> bool:
        """True when *given* blocks every trail between *x* and *y* (disjoint sets)."""
        xs, ys, zs = self._check(x, "x"), self._check(y, "y"), self._check(given, "given")
        if xs & ys or xs & zs or ys & zs:
            raise InvalidValueError(
                "x, y and given must be disjoint sets of variables", value=(xs, ys, zs)
            )
        return not (self.reachable(xs, zs) & ys)

    def implied_independencies(self) -> Iterator[Independence]:
        """The conditional independencies the DAG implies, lazily.

        For every pair of non-adjacent variables, the later one (in
        topological order) is independent of the earlier one given its own
        parents: the local Markov property, one statement per pair. Every
        independence the DAG implies follows from these. Pairs come in
        topological order, so the first ones are cheap to test.
        """
        for i, v in enumerate(self.order):
            parents = set(self.parents[v])
            children = set(self.children[v])
            given = self.parents[v]
            for w in self.order[:i]:
                if w not in parents and w not in children:
                    yield Independence(v, w, given)

    # ---------------------------------------------------------- exporting

    def to_networkx(self) -> nx.DiGraph[str]:
        """A new ``networkx.DiGraph`` with the node attributes (``kind``, ``label``)."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        for v in self.order:
            graph.add_node(v, **self.attributes[v])
        graph.add_edges_from(self.edges)
        return graph

    def to_dagitty(
        self,
        *,
        exposure: str | Sequence[str] = (),
        outcome: str | Sequence[str] = (),
        latent: str | Sequence[str] = (),
    ) -> str:
        """The DAG in the dagitty text format (also read by y0 and pgmpy).

        Names that are not plain identifiers (ids with ``.`` or ``-``) are quoted.
        """
        roles: dict[str, str] = {}
        for role, items in (("exposure", exposure), ("outcome", outcome), ("latent", latent)):
            for v in self._check(items, role):
                roles[v] = role

        def name(v: str) -> str:
            return v if _PLAIN.fullmatch(v) else '"' + v.replace('"', '\\"') + '"'

        lines = ["dag {"]
        marked = [v for v in self.order if v in roles]
        lines.extend(f"{name(v)} [{roles[v]}]" for v in sorted(marked, key=_role_rank(roles)))
        lines.extend(name(v) for v in self.order if v not in roles)
        lines.extend(f"{name(p)} -> {name(c)}" for p, c in self.edges)
        lines.append("}")
        return "\n".join(lines)


def ancestors_of(parents: Mapping[str, Sequence[str]], nodes: Iterable[str]) -> set[str]:
    """The *nodes* and all their ancestors, in any directed graph (cycles allowed)."""
    seen = set(nodes)
    stack = list(seen)
    while stack:
        for p in parents[stack.pop()]:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def active_reach(
    parents: Mapping[str, Sequence[str]],
    children: Mapping[str, Sequence[str]],
    xs: Iterable[str],
    zs: Collection[str],
) -> set[str]:
    """The nodes with an active trail from *xs* given *zs* (*zs* excluded), in a
    directed graph given by its parent and child lists.

    The reachability algorithm of Koller and Friedman (algorithm 3.1), linear in
    the number of edges. It needs no acyclic graph: with feedback loops it
    decides d-separation as defined for cyclic graphs (Spirtes 1995), which a
    linear model with feedback obeys.
    """
    above = ancestors_of(parents, zs)
    up, down = True, False  # arriving from a child, arriving from a parent
    stack: list[tuple[str, bool]] = [(v, up) for v in xs]
    visited: set[tuple[str, bool]] = set()
    found: set[str] = set()
    while stack:
        node, direction = stack.pop()
        if (node, direction) in visited:
            continue
        visited.add((node, direction))
        if node not in zs:
            found.add(node)
        if direction is up:
            if node not in zs:
                stack.extend((p, up) for p in parents[node])
                stack.extend((c, down) for c in children[node])
        else:
            if node not in zs:
                stack.extend((c, down) for c in children[node])
            if node in above:  # a collider or a collider's ancestor is observed
                stack.extend((p, up) for p in parents[node])
    return found


def _role_rank(roles: Mapping[str, str]) -> Any:
    rank = {"exposure": 0, "outcome": 1, "latent": 2}
    return lambda v: (rank[roles[v]], v)


def causal_view(model: ChangeModel, *, contexts: bool = True) -> CausalView:
    """The model's causal DAG: causal links without feedback, plus (with
    *contexts*) an edge from each context to what it moderates.

    Raises :class:`~changemodel.errors.IntegrityError` naming a cycle if the
    result is not acyclic.
    """
    index = model.graph_index
    elements = index.elements
    nodes = [
        v
        for v, e in elements.items()
        if e.kind is not Kind.ASSUMPTION and (contexts or e.kind is not Kind.CONTEXT)
    ]
    keep = set(nodes)
    tables = (index.forward_out, index.moderates_out) if contexts else (index.forward_out,)
    edges = [
        (s, t)
        for table in tables
        for s, targets in table.items()
        if s in keep
        for t in targets
        if t in keep
    ]
    attributes = {v: {"kind": elements[v].kind, "label": elements[v].label} for v in nodes}
    return CausalView(nodes, edges, attributes)


def d_separated(
    model: ChangeModel,
    x: str | Iterable[str],
    y: str | Iterable[str],
    given: str | Iterable[str] = (),
) -> bool:
    """Whether *given* d-separates *x* from *y* in the model's causal view.

    The view is built once per state of the model and kept on its graph index,
    so a series of queries does not rebuild it.
    """
    derived = model.graph_index.derived
    view = derived.get(_VIEW)
    if not isinstance(view, CausalView):
        view = derived[_VIEW] = causal_view(model)
    return view.d_separated(x, y, given)


#: The key of the causal view on a model's graph index.
_VIEW: Final = "analysis.causal_view"
