"""The graph index of a model: adjacency and causal order, built once per change.

A :class:`~changemodel.model.ChangeModel` keeps one :class:`GraphIndex`
(:attr:`ChangeModel.graph_index <changemodel.model.ChangeModel.graph_index>`),
built on first use and dropped whenever an element or a link changes.
Validation and analysis both read it, so a model's graph is walked by one
engine: adjacency lists from one pass over the links, the causal order, the
loops, reachability and pathway counts.

Each piece is computed the first time it is asked for. The causal order is
Kahn's algorithm with a heap (ties broken by chain stage, then id) and
strongly connected components come from networkx, on the part of the graph
Kahn's algorithm could not place; ``benchmarks/bench_index.py`` measures these
choices against networkx's own algorithms on a graph built for them.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.mechanism("m", "Why") >> m.process_outcome("o", "Change")
>>> index = m.graph_index
>>> index.order
('a', 'm', 'o')
>>> sorted(index.reachable({"o"}, forward=False))
['a', 'm']
>>> index.forward_counts({"a"})["o"]
1
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from changemodel.domain import Element, Link, Relation
from changemodel.errors import IntegrityError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Adjacency", "GraphIndex", "components", "find_cycle"]

#: Element id -> the ids at the other end of its links of one kind (only ids
#: with at least one such link are keys).
Adjacency = Mapping[str, list[str]]

_TABLES: Final = ("causal", "forward", "moderates", "part_of")


class GraphIndex:
    """Adjacency, causal order, loops and reachability of one state of a model.

    *elements* maps ids to elements in the order they were added; *links* are
    the model's links. The index does not watch the model: the model builds a
    new one after a change (see :attr:`ChangeModel.graph_index
    <changemodel.model.ChangeModel.graph_index>`).

    The *causal* links are the ``leads_to`` links, feedback included; the
    *forward* links are those not marked feedback, the acyclic chain that
    pathways follow.
    """

    def __init__(self, elements: Mapping[str, Element], links: Iterable[Link]) -> None:
        #: Element id -> element, in the order they were added (a snapshot).
        self.elements: Mapping[str, Element] = dict(elements)
        #: The links (a snapshot).
        self.links: tuple[Link, ...] = tuple(links)
        #: What higher layers derive from this state of the model and reuse until
        #: it changes (the causal view that d-separation reads), by a key of theirs.
        self.derived: dict[object, Any] = {}
        self._forward_links: dict[str, list[Link]] = {}

    # ------------------------------------------------------------ adjacency

    @cached_property
    def _adjacency(self) -> dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]]:
        tables: dict[str, tuple[defaultdict[str, list[str]], defaultdict[str, list[str]]]] = {
            name: (defaultdict(list), defaultdict(list)) for name in _TABLES
        }
        causal_out, causal_in = tables["causal"]
        forward_out, forward_in = tables["forward"]
        forward_links: defaultdict[str, list[Link]] = defaultdict(list)
        leads_to = Relation.LEADS_TO
        for link in self.links:
            s, t = link.source, link.target
            if link.relation is leads_to:
                causal_out[s].append(t)
                causal_in[t].append(s)
                if not link.feedback:
                    forward_out[s].append(t)
                    forward_in[t].append(s)
                    forward_links[t].append(link)
            else:
                out, inn = tables[link.relation.value]
                out[s].append(t)
                inn[t].append(s)
        self._forward_links = dict(forward_links)
        # plain dicts from here on, so that looking up a missing id adds nothing
        return {name: (dict(out), dict(inn)) for name, (out, inn) in tables.items()}

    @property
    def causal_out(self) -> Adjacency:
        """Targets of every causal (``leads_to``) link, feedback included."""
        return self._adjacency["causal"][0]

    @property
    def causal_in(self) -> Adjacency:
        """Sources of every causal link, feedback included."""
        return self._adjacency["causal"][1]

    @property
    def forward_out(self) -> Adjacency:
        """Targets of the causal links that are not marked feedback."""
        return self._adjacency["forward"][0]

    @property
    def forward_in(self) -> Adjacency:
        """Sources of the causal links that are not marked feedback."""
        return self._adjacency["forward"][1]

    @property
    def moderates_out(self) -> Adjacency:
        """What each context moderates."""
        return self._adjacency["moderates"][0]

    @property
    def moderated_by(self) -> Adjacency:
        """The contexts that moderate each element."""
        return self._adjacency["moderates"][1]

    @property
    def part_of_out(self) -> Adjacency:
        """The parent of each sub-component."""
        return self._adjacency["part_of"][0]

    @property
    def part_of_in(self) -> Adjacency:
        """The sub-components of each element."""
        return self._adjacency["part_of"][1]

    @cached_property
    def linked(self) -> frozenset[str]:
        """The ids of elements at either end of at least one link."""
        out: set[str] = set()
        for table in self._adjacency.values():
            for side in table:
                out.update(side)
        return frozenset(out)

    # --------------------------------------------------------- causal order

    def rank(self, id: str) -> tuple[int, str]:
        """The key that orders elements where the links leave a choice: chain stage
        (elements without one first), then id."""
        stage = self.elements[id].kind.stage
        return (stage if stage is not None else -1, id)

    @cached_property
    def _kahn(self) -> tuple[tuple[str, ...], frozenset[str]]:
        out, inn = self._adjacency["forward"]
        waiting = {id: len(inn.get(id, ())) for id in self.elements}
        rank = self.rank
        ready = [rank(id) for id, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            _, id = heapq.heappop(ready)
            order.append(id)
            for target in out.get(id, ()):
                waiting[target] -= 1
                if waiting[target] == 0:
                    heapq.heappush(ready, rank(target))
        if len(order) == len(waiting):
            return tuple(order), frozenset()
        placed = set(order)
        return tuple(order), frozenset(id for id in waiting if id not in placed)

    @property
    def placed(self) -> tuple[str, ...]:
        """The elements Kahn's algorithm puts in causal order: all of them when the
        forward links are acyclic; else those before any cycle not marked feedback."""
        return self._kahn[0]

    @property
    def unplaced(self) -> frozenset[str]:
        """The elements on a cycle of forward links, or downstream of one."""
        return self._kahn[1]

    @property
    def is_acyclic(self) -> bool:
        """True when the causal links, without feedback links, form no cycle."""
        return not self._kahn[1]

    @property
    def order(self) -> tuple[str, ...]:
        """Every element in causal order (feedback links ignored), ties broken by
        chain stage then id. Raises :class:`~changemodel.errors.IntegrityError`
        naming a cycle when the forward links are not acyclic."""
        order, left = self._kahn
        if left:
            path = " -> ".join(find_cycle(self.unmarked_cycles[0], self.forward_out))
            raise IntegrityError(f"the causal links form a cycle not marked as feedback: {path}")
        return order

    @cached_property
    def position(self) -> dict[str, int]:
        """Element id -> its place in :attr:`order`."""
        return {id: i for i, id in enumerate(self.order)}

    @cached_property
    def _links(self) -> tuple[dict[str, tuple[Link, ...]], dict[str, tuple[Link, ...]]]:
        order = self.order
        self._adjacency  # noqa: B018  fills _forward_links
        arriving = self._forward_links
        # Visiting the elements in causal order and appending each link to its
        # source's list as its target comes up sorts every list by target, and the
        # same the other way round: no sorting needed.
        out: dict[str, list[Link]] = {id: [] for id in order}
        for id in order:
            for link in arriving.get(id, ()):
                out[link.source].append(link)
        inn: dict[str, list[Link]] = {id: [] for id in order}
        for id in order:
            for link in out[id]:
                inn[link.target].append(link)
        return (
            {k: tuple(v) for k, v in out.items()},
            {k: tuple(v) for k, v in inn.items()},
        )

    @property
    def links_out(self) -> Mapping[str, tuple[Link, ...]]:
        """Element id -> its forward links, in causal order of their targets
        (every element is a key). Needs acyclic forward links, as :attr:`order`."""
        return self._links[0]

    @property
    def links_in(self) -> Mapping[str, tuple[Link, ...]]:
        """Element id -> the forward links arriving at it, in causal order of their
        sources (every element is a key)."""
        return self._links[1]

    # ---------------------------------------------------------------- loops

    @cached_property
    def unmarked_cycles(self) -> list[list[str]]:
        """The strongly connected components of more than one element in the forward
        links: each is a loop nobody marked as feedback. Each component is sorted;
        components come in order of their smallest id."""
        left = self.unplaced
        if not left:
            return []
        return components(left, self.forward_out)

    @cached_property
    def loop_components(self) -> dict[str, int]:
        """Element id -> component number, for the elements on some loop of the
        causal links *with* feedback links."""
        if not any(link.feedback for link in self.links):
            return {}
        left = _unsorted(self.elements, self.causal_out, self.causal_in)
        out: dict[str, int] = {}
        for i, component in enumerate(components(left, self.causal_out)):
            for node in component:
                out[node] = i
        return out

    # --------------------------------------------------------- reachability

    def reachable(
        self, starts: Iterable[str], *, forward: bool = True, feedback: bool = False
    ) -> set[str]:
        """The elements reached from any of *starts* through one or more causal
        links, along them (*forward*) or against them; with *feedback*, feedback
        links count too. One breadth-first search from the whole set; a start is
        in the result only when a loop leads back to it."""
        table = self._adjacency["causal" if feedback else "forward"]
        adjacency = table[0] if forward else table[1]
        seen: set[str] = set()
        queue = deque(starts)
        get = adjacency.get
        while queue:
            node = queue.popleft()
            for nxt in get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def on_pathways(self, sources: Iterable[str], targets: Iterable[str]) -> list[str]:
        """Elements on at least one forward pathway from a source to a target
        (both ends included), in causal order."""
        sources, targets = set(sources), set(targets)
        both = (self.reachable(sources) | sources) & (
            self.reachable(targets, forward=False) | targets
        )
        return sorted(both, key=self.position.__getitem__)

    def forward_counts(
        self, sources: Collection[str], skip: Collection[tuple[str, str, Relation]] = ()
    ) -> dict[str, int]:
        """Number of forward pathways from any of *sources* to each element, by
        dynamic programming over :attr:`order`; links whose key is in *skip* are
        left out."""
        out = self.links_out
        counts = dict.fromkeys(self.order, 0)
        for s in sources:
            counts[s] = 1
        for v in self.order:
            c = counts[v]
            if c:
                for link in out[v]:
                    if not skip or link.key not in skip:
                        counts[link.target] += c
        return counts

    def backward_counts(
        self, targets: Collection[str], skip: Collection[tuple[str, str, Relation]] = ()
    ) -> dict[str, int]:
        """Number of forward pathways from each element to any of *targets*."""
        inn = self.links_in
        counts = dict.fromkeys(self.order, 0)
        for t in targets:
            counts[t] = 1
        for v in reversed(self.order):
            c = counts[v]
            if c:
                for link in inn[v]:
                    if not skip or link.key not in skip:
                        counts[link.source] += c
        return counts


def _subgraph(nodes: Collection[str], out: Adjacency) -> nx.DiGraph[str]:
    import networkx as nx  # only for a graph with cycles: most models need none

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((s, t) for s in nodes for t in out.get(s, ()) if t in nodes)
    return graph


def _unsorted(nodes: Iterable[str], out: Adjacency, inn: Adjacency) -> set[str]:
    """The nodes Kahn's algorithm cannot place: on a cycle or downstream of one."""
    indegree = {n: len(inn.get(n, ())) for n in nodes}
    queue = deque(n for n, d in indegree.items() if d == 0)
    while queue:
        node = queue.popleft()
        del indegree[node]
        for nxt in out.get(node, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    return set(indegree)


def find_cycle(component: Collection[str], out: Adjacency) -> list[str]:
    """One cycle inside a strongly connected component, from its smallest member
    along the first links (networkx's depth-first search), the first element
    repeated at the end.

    >>> find_cycle(["a", "b", "c"], {"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c', 'a']
    """
    import networkx as nx

    edges = nx.find_cycle(_subgraph(component, out), source=min(component))
    return [edges[0][0], *(t for _, t in edges)]


def components(nodes: Collection[str], out: Adjacency) -> list[list[str]]:
    """The strongly connected components of more than one node in the subgraph on
    *nodes* (networkx's algorithm), each sorted, in order of their smallest id.

    >>> components({"a", "b", "c"}, {"a": ["b"], "b": ["a", "c"]})
    [['a', 'b']]
    """
    import networkx as nx

    found = [
        sorted(c) for c in nx.strongly_connected_components(_subgraph(nodes, out)) if len(c) > 1
    ]
    found.sort(key=lambda c: c[0])
    return found
