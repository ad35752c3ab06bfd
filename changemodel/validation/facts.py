"""Facts about one model that several rules need, computed once and on demand.

Rules receive a :class:`Facts` object. Everything on it is computed the first
time a rule asks and then shared, and every computation is linear in the size
of the model: adjacency lists from one pass over the links, cycles as strongly
connected components (Kahn's algorithm first, Tarjan's only on what is left),
reachability as one breadth-first search from a *set* of start elements.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cached_property
from typing import Any

from changemodel.domain import Element, Kind, Link, Relation
from changemodel.errors import Location
from changemodel.model import ChangeModel

__all__ = ["Adjacency", "Facts", "strongly_connected", "walk_cycle"]

Adjacency = Mapping[str, list[str]]


class Facts:
    """The model, the options that rules read, and shared graph facts.

    >>> from changemodel import ChangeModel
    >>> m = ChangeModel("Tiny")
    >>> _ = m.activity("a", "Do") >> m.mechanism("m", "Why") >> m.process_outcome("o", "Change")
    >>> facts = Facts(m)
    >>> sorted(facts.reaching({"o"}))
    ['a', 'm']
    """

    def __init__(self, model: ChangeModel, *, options: Mapping[str, Any] | None = None) -> None:
        self.model = model
        #: Rule options from the configuration (``fan_limit``, and any a third
        #: party rule documents).
        self.options: Mapping[str, Any] = dict(options or {})

    # ---------------------------------------------------------------- basics

    @cached_property
    def elements(self) -> dict[str, Element]:
        """Elements by id."""
        return {e.id: e for e in self.model.elements}

    @cached_property
    def links(self) -> tuple[Link, ...]:
        return self.model.links

    def of_kind(self, *kinds: Kind) -> list[Element]:
        """The elements of these kinds, in the order they were added."""
        wanted = set(kinds)
        return [e for e in self.elements.values() if e.kind in wanted]

    def ids_of(self, *kinds: Kind) -> set[str]:
        """The ids of the elements of these kinds."""
        wanted = set(kinds)
        return {e.id for e in self.elements.values() if e.kind in wanted}

    @cached_property
    def kinds(self) -> dict[str, Kind]:
        """Element id -> kind."""
        return {e.id: e.kind for e in self.model.elements}

    @cached_property
    def _adjacency(self) -> dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]]:
        tables: dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]] = {
            name: (defaultdict(list), defaultdict(list))
            for name in ("causal", "forward", "moderates", "part_of")
        }
        causal_out, causal_in = tables["causal"]
        forward_out, forward_in = tables["forward"]
        leads_to = Relation.LEADS_TO
        for link in self.links:
            s, t = link.source, link.target
            if link.relation is leads_to:
                causal_out[s].append(t)
                causal_in[t].append(s)
                if not link.feedback:
                    forward_out[s].append(t)
                    forward_in[t].append(s)
            else:
                out, inn = tables[link.relation.value]
                out[s].append(t)
                inn[t].append(s)
        # plain dicts from here on, so that looking up a missing id adds nothing
        return {name: (dict(out), dict(inn)) for name, (out, inn) in tables.items()}

    @property
    def causal_out(self) -> Adjacency:
        """Targets of every causal (``leads_to``) link, feedback included."""
        return self._adjacency["causal"][0]

    @property
    def causal_in(self) -> Adjacency:
        """Sources of every causal (``leads_to``) link, feedback included."""
        return self._adjacency["causal"][1]

    @property
    def forward_out(self) -> Adjacency:
        """Targets of causal links that are not marked feedback."""
        return self._adjacency["forward"][0]

    @property
    def forward_in(self) -> Adjacency:
        """Sources of causal links that are not marked feedback."""
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
        """The parent of each element that is ``part_of`` another."""
        return self._adjacency["part_of"][0]

    @cached_property
    def linked(self) -> set[str]:
        """The ids of elements at either end of at least one link."""
        out: set[str] = set()
        for table in self._adjacency.values():
            for side in table:
                out.update(side)
        return out

    @cached_property
    def listed_assumptions(self) -> dict[str, list[str]]:
        """Assumption id -> the ids of the links that list it."""
        out: dict[str, list[str]] = {}
        for link in self.links:
            for a in link.assumptions:
                out.setdefault(a, []).append(link.id)
        return out

    @cached_property
    def theory_ids(self) -> set[str]:
        return {t.id for t in self.model.theories}

    @cached_property
    def reference_ids(self) -> set[str]:
        return {r.id for r in self.model.references}

    # ---------------------------------------------------------- reachability

    def reaching(self, targets: Collection[str], *, forward_only: bool = False) -> set[str]:
        """Elements from which one of *targets* can be reached through one or more
        causal links (one backward search from the whole set)."""
        return _search(targets, self.forward_in if forward_only else self.causal_in)

    def reached_from(self, sources: Collection[str], *, forward_only: bool = False) -> set[str]:
        """Elements reachable from one of *sources* through one or more causal links."""
        return _search(sources, self.forward_out if forward_only else self.causal_out)

    @cached_property
    def topological(self) -> tuple[list[str], set[str]]:
        """Kahn's order of the causal links without feedback, and the ids left over
        (on a cycle that is not marked feedback, or downstream of one)."""
        return _kahn(self.elements, self.forward_out, self.forward_in)

    @cached_property
    def unmarked_cycles(self) -> list[list[str]]:
        """Strongly connected components of more than one element in the causal
        links without feedback: each is a loop nobody marked as feedback."""
        _, left = self.topological
        if not left:
            return []
        return strongly_connected(left, self.forward_out)

    @cached_property
    def loop_components(self) -> dict[str, int]:
        """Element id -> component number, for the elements on some loop of the
        causal links *with* feedback links (strongly connected components)."""
        if not any(link.feedback for link in self.links):
            return {}
        _, left = _kahn(self.elements, self.causal_out, self.causal_in)
        out: dict[str, int] = {}
        for i, component in enumerate(strongly_connected(left, self.causal_out)):
            for node in component:
                out[node] = i
        return out

    # --------------------------------------------------------------- places

    def location(self, key: str | None) -> Location | None:
        """Where the object under ``"element:<id>"``/``"link:<id>"``/... came from."""
        if key is not None:
            loc = self.model.locations.get(key)
            if loc is not None:
                return loc
        if self.model.source is not None:
            return Location(self.model.source)
        return None


def _search(starts: Iterable[str], adjacency: Adjacency) -> set[str]:
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


def _kahn(nodes: Iterable[str], out: Adjacency, inn: Adjacency) -> tuple[list[str], set[str]]:
    indegree = {n: len(inn.get(n, ())) for n in nodes}
    queue = deque(n for n, d in indegree.items() if d == 0)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in out.get(node, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                queue.append(nxt)
    if len(order) == len(indegree):
        return order, set()
    placed = set(order)
    return order, {n for n in indegree if n not in placed}


def strongly_connected(
    nodes: Collection[str], out: Adjacency, *, keep: Callable[[list[str]], bool] | None = None
) -> list[list[str]]:
    """Tarjan's strongly connected components of the subgraph on *nodes*,
    iteratively (no recursion limit), keeping those of two or more nodes (or
    those *keep* accepts). Each component is sorted; components come in order
    of their smallest id.

    >>> sorted(strongly_connected({"a", "b", "c"}, {"a": ["b"], "b": ["a", "c"]}))
    [['a', 'b']]
    """
    inside = nodes if isinstance(nodes, set | frozenset | dict) else set(nodes)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(inside):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(out.get(root, ()))))
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in inside:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(out.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if keep(component) if keep else len(component) > 1:
                    found.append(sorted(component))
    found.sort(key=lambda c: c[0])
    return found


def walk_cycle(component: Collection[str], out: Adjacency) -> list[str]:
    """One cycle inside a strongly connected component, found by walking from its
    smallest member until an element repeats (linear in the component).

    >>> walk_cycle(["a", "b", "c"], {"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c', 'a']
    """
    inside = set(component)
    start = min(inside)
    path = [start]
    position = {start: 0}
    node = start
    while True:
        node = next(n for n in out.get(node, ()) if n in inside)
        if node in position:
            return [*path[position[node] :], node]
        position[node] = len(path)
        path.append(node)
