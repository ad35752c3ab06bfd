"""Feedback loops: the closed causal chains of a model, reinforcing or balancing.

A *loop* is an elementary cycle of causal (``leads_to``) links, marked feedback
or not: it visits each of its elements once and comes back to the first. Its
*polarity* comes from the signs along it, as in system dynamics: an even number
of ``reduces`` links makes it *reinforcing* (a change comes back amplified), an
odd number *balancing* (a change comes back damped). Loops are named in the
order they are found, ``R1``, ``R2``, ... and ``B1``, ``B2``, ...

A model can hold more loops than can ever be listed (their number can grow
exponentially with the number of feedback links), so:

- :func:`iter_loops` is lazy (Johnson's algorithm: the time between two loops
  is linear in the size of the model) and stops at ``limit``;
- :func:`count_loops` does not enumerate. It finds the groups of elements that
  loops run through (strongly connected components) and gives, for each, the
  number of independent loops (the circuit rank: links - elements + 1) and
  bounds on the number of loops. The lower bound counts the loops that close
  through exactly one feedback link (paths in the acyclic rest, by dynamic
  programming). When no loop can pass through two feedback links (no circle of
  feedback links whose targets reach each other's sources), that is the exact
  number. Otherwise a group of circuit rank 8 or less (at most 255 loops) is
  counted by listing its loops, and a larger one gets the bounds: the loops
  through one feedback link, and 2 to the circuit rank, minus 1.

>>> m = ChangeModel("Engagement")
>>> support = m.activity("support", "Peer support")
>>> engaged = m.process_outcome("engaged", "Engagement with services")
>>> stigma = m.process_outcome("stigma", "Self-stigma")
>>> _ = support >> engaged
>>> _ = engaged.feeds_back_to(support)
>>> _ = engaged.reduces(stigma)
>>> _ = stigma.feeds_back_to(engaged, sign="reduces")
>>> for loop in iter_loops(m):
...     print(loop)
R1 reinforcing (2 links): support -> engaged -> support
R2 reinforcing (2 links): engaged -> stigma -> engaged
>>> count = count_loops(m)
>>> count.exact, count.components
(2, (('support', 'engaged', 'stigma'),))
"""

from __future__ import annotations

import enum
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import networkx as nx

from changemodel.domain import Link, Sign
from changemodel.errors import InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel

__all__ = [
    "Loop",
    "LoopCount",
    "Polarity",
    "count_loops",
    "find_loops",
    "iter_loops",
    "loops_through",
]


class Polarity(enum.StrEnum):
    """How a loop answers a change: amplifies it or damps it."""

    #: an even number of ``reduces`` links: a change comes back amplified
    REINFORCING = "reinforcing"
    #: an odd number of ``reduces`` links: a change comes back damped
    BALANCING = "balancing"

    @property
    def letter(self) -> str:
        """``R`` or ``B``, the usual prefix of a loop's name."""
        return "R" if self is Polarity.REINFORCING else "B"


@attrs.frozen
class Loop:
    """One elementary loop: its elements in order (the last leads back to the
    first) and the links between them, starting at its earliest element."""

    #: ``R1``, ``B2``, ...: the polarity letter and the order in which it was found
    name: str
    elements: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def polarity(self) -> Polarity:
        """Reinforcing with an even number of ``reduces`` links, balancing otherwise."""
        sign = Sign.INCREASES
        for link in self.links:
            sign = sign * link.sign
        return Polarity.REINFORCING if sign is Sign.INCREASES else Polarity.BALANCING

    @property
    def length(self) -> int:
        """The number of links (and of elements) on the loop."""
        return len(self.links)

    @property
    def feedback(self) -> tuple[Link, ...]:
        """The links on the loop marked feedback (none: the loop is a modelling error)."""
        return tuple(link for link in self.links if link.feedback)

    def __len__(self) -> int:
        return len(self.links)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "name": self.name,
            "polarity": self.polarity.value,
            "length": self.length,
            "elements": list(self.elements),
            "links": [link.id for link in self.links],
            "feedback": [link.id for link in self.feedback],
        }

    def path(self) -> str:
        """``a -> b -> c -> a``."""
        return " -> ".join((*self.elements, self.elements[0]))

    def __str__(self) -> str:
        n = self.length
        return f"{self.name} {self.polarity} ({n} link{'s' if n != 1 else ''}): {self.path()}"


@attrs.frozen
class LoopCount:
    """How many loops a model holds, found without listing them.

    ``components`` are the groups of elements that loops run through (each in
    causal order), ``independent`` the number of independent loops (the
    circuit rank, summed over the groups), and every elementary loop is counted
    between ``at_least`` and ``at_most`` (in :meth:`to_data`, a count past 15
    digits is given as text: ``"about 10^3010"``). ``exact`` is the number when the two
    meet, else ``None``. ``unmarked`` lists the groups holding a loop that no
    feedback link closes (a modelling error that validation reports).
    """

    components: tuple[tuple[str, ...], ...]
    independent: int
    at_least: int
    at_most: int
    unmarked: tuple[tuple[str, ...], ...] = ()

    @property
    def exact(self) -> int | None:
        """The number of loops when the bounds meet, else ``None``."""
        return self.at_least if self.at_least == self.at_most else None

    @property
    def any(self) -> bool:
        """Whether the model has a loop at all."""
        return bool(self.components)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON (``exact`` is ``null`` when only bounds are known)."""
        return {
            "components": [list(c) for c in self.components],
            "independent": self.independent,
            "at_least": _number(self.at_least),
            "at_most": _number(self.at_most),
            "exact": self.exact,
            "unmarked": [list(c) for c in self.unmarked],
        }

    def __str__(self) -> str:
        if not self.components:
            return "no loops"
        n = len(self.components)
        groups = f"{n} group{'s' if n != 1 else ''} of elements"
        if self.exact is not None:
            loops = f"{self.exact} loop{'s' if self.exact != 1 else ''}"
        else:
            loops = f"between {_big(self.at_least)} and {_big(self.at_most)} loops"
        rank = f"{self.independent} independent"
        return f"{loops} ({rank}) in {groups}"


def _big(n: int) -> str:
    """The number, or its order of magnitude past 15 digits (2 to the power of a
    large circuit rank has more digits than Python prints by default)."""
    if n < 10**15:
        return str(n)
    return f"about 10^{int((n.bit_length() - 1) * math.log10(2))}"


def _number(n: int) -> int | str:
    """A count for JSON: the number, or past 15 digits its order of magnitude as text."""
    return n if n < 10**15 else _big(n)


# ------------------------------------------------------------------ the graph


class _Causal:
    """Successors over causal links (feedback included), in a deterministic order,
    read from the model's graph index and kept with it until the model changes."""

    def __init__(self, index: GraphIndex) -> None:
        self.links: dict[tuple[str, str], Link] = {
            (link.source, link.target): link for link in index.links if link.is_causal
        }
        causal_out = index.causal_out
        nodes = sorted({n for pair in self.links for n in pair}, key=index.rank)
        self.rank = {id: i for i, id in enumerate(nodes)}
        self.succ: dict[str, list[str]] = {
            n: sorted(causal_out.get(n, ()), key=self.rank.__getitem__) for n in nodes
        }

    @classmethod
    def of(cls, model: ChangeModel) -> _Causal:
        """The causal successors of *model* as it is now (made once per change)."""
        derived = model.graph_index.derived
        graph = derived.get(cls)
        if not isinstance(graph, cls):
            graph = derived[cls] = cls(model.graph_index)
        return graph

    def components(self, nodes: Iterable[str] | None = None) -> list[list[str]]:
        """Groups that hold a loop (more than one element, or a self-loop), each in
        rank order, the groups ordered by their first element."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        keep = set(self.succ if nodes is None else nodes)
        graph.add_nodes_from(keep)
        graph.add_edges_from((s, t) for s in keep for t in self.succ[s] if t in keep)
        found = []
        for comp in nx.strongly_connected_components(graph):
            if len(comp) > 1 or any((n, n) in self.links for n in comp):
                found.append(sorted(comp, key=self.rank.__getitem__))
        found.sort(key=lambda c: self.rank[c[0]])
        return found

    def cycles_through(
        self, start: str, allowed: set[str], length_bound: int | None = None
    ) -> Iterator[list[str]]:
        """Every elementary cycle through *start* inside *allowed* (Johnson's search,
        iterative, so long loops need no deep recursion)."""
        succ = self.succ
        path = [start]
        blocked = {start}
        blocked_by: dict[str, set[str]] = defaultdict(set)
        stack = [iter([t for t in succ[start] if t in allowed])]
        closed = [False]
        while stack:
            for w in stack[-1]:
                if w == start:
                    yield list(path)
                    closed[-1] = True
                elif w not in blocked and (length_bound is None or len(path) < length_bound):
                    path.append(w)
                    closed.append(False)
                    stack.append(iter([t for t in succ[w] if t in allowed]))
                    blocked.add(w)
                    break
            else:
                stack.pop()
                v = path.pop()
                if closed.pop():
                    if closed:
                        closed[-1] = True
                    todo = {v}
                    while todo:
                        u = todo.pop()
                        if u in blocked:
                            blocked.discard(u)
                            todo.update(blocked_by[u])
                            blocked_by[u].clear()
                elif length_bound is None:
                    # With a length bound, blocking is unsound: leave v unblocked
                    # (the search may then revisit it, but never misses a loop).
                    for w in succ[v]:
                        if w in allowed:
                            blocked_by[w].add(v)
                else:
                    blocked.discard(v)

    def loop(self, cycle: Sequence[str], name: str) -> Loop:
        first = min(range(len(cycle)), key=lambda i: self.rank[cycle[i]])
        ordered = (*cycle[first:], *cycle[:first])
        links = tuple(
            self.links[(a, b)] for a, b in zip(ordered, (*ordered[1:], ordered[0]), strict=True)
        )
        return Loop(name, ordered, links)


class _Namer:
    def __init__(self) -> None:
        self.counts = {Polarity.REINFORCING: 0, Polarity.BALANCING: 0}

    def __call__(self, loop: Loop) -> Loop:
        polarity = loop.polarity
        self.counts[polarity] += 1
        return attrs.evolve(loop, name=f"{polarity.letter}{self.counts[polarity]}")


def _check(limit: int | None, max_length: int | None) -> None:
    for name, value in (("limit", limit), ("max_length", max_length)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidValueError(f"{name} must be a whole number, not {value!r}", value=value)
        if value is not None and value < 0:
            raise InvalidValueError(f"{name} must not be negative, not {value}", value=value)


# ---------------------------------------------------------------- the answers


def iter_loops(
    model: ChangeModel, *, limit: int | None = None, max_length: int | None = None
) -> Iterator[Loop]:
    """The model's loops, lazily, at most *limit* of them and none longer than
    *max_length* links.

    Loops are found group by group, each starting at its earliest element (by
    causal stage, then id), so the order is deterministic and the first loop
    comes after one pass over the model.
    """
    _check(limit, max_length)
    if limit == 0 or max_length == 0:
        return
    graph = _Causal.of(model)
    name = _Namer()
    cycles = _cycles(graph, graph.components(), max_length)
    yield from itertools.islice((name(graph.loop(c, "")) for c in cycles), limit)


def _cycles(
    graph: _Causal, components: list[list[str]], max_length: int | None = None
) -> Iterator[list[str]]:
    """Johnson's algorithm over *components*: the cycles through each group's
    earliest element, then the groups that remain without it."""
    pending = sorted(components, key=lambda c: -graph.rank[c[0]])
    while pending:
        component = pending.pop()
        start, rest = component[0], component[1:]
        yield from graph.cycles_through(start, set(component), max_length)
        pending.extend(graph.components(rest))
        pending.sort(key=lambda c: -graph.rank[c[0]])


def find_loops(
    model: ChangeModel, *, limit: int = 100, max_length: int | None = None
) -> tuple[Loop, ...]:
    """The first *limit* loops (see :func:`iter_loops`), as a tuple."""
    return tuple(iter_loops(model, limit=limit, max_length=max_length))


def loops_through(
    model: ChangeModel, id: str, *, limit: int | None = None, max_length: int | None = None
) -> Iterator[Loop]:
    """The loops that pass through the element *id*, lazily, at most *limit*.

    Loops found here are named in their own order (``R1`` is the first
    reinforcing loop through *id*).
    """
    _check(limit, max_length)
    model.element(id)
    if limit == 0 or max_length == 0:
        return
    graph = _Causal.of(model)
    if id not in graph.succ:
        return
    name = _Namer()
    for component in graph.components():
        if id in component:
            cycles = graph.cycles_through(id, set(component), max_length)
            yield from itertools.islice((name(graph.loop(c, "")) for c in cycles), limit)
            return


def count_loops(model: ChangeModel) -> LoopCount:
    """How many loops the model has, without listing them (see the module's notes).

    Linear in the size of the model for the groups and the circuit rank; the
    lower bound adds one pass over each group per distinct element that a
    feedback link points to.
    """
    graph = _Causal.of(model)
    components = graph.components()
    independent = at_least = at_most = 0
    unmarked: list[tuple[str, ...]] = []
    for component in components:
        members = set(component)
        edges = [(s, t) for s in component for t in graph.succ[s] if t in members]
        rank = len(edges) - len(component) + 1
        independent += rank
        rest: dict[str, list[str]] = {n: [] for n in component}
        feedback: list[tuple[str, str]] = []
        for s, t in edges:
            if graph.links[(s, t)].feedback:
                feedback.append((s, t))
            else:
                rest[s].append(t)
        order = _topological(rest)
        if order is None:
            unmarked.append(tuple(component))
            listed = sum(1 for _ in _cycles(graph, [component])) if rank <= _LISTED_RANK else None
            at_least += listed or 1
            at_most += listed or 2**rank - 1
            continue
        position = {n: i for i, n in enumerate(order)}
        by_target: dict[str, list[str]] = defaultdict(list)
        for s, t in feedback:
            by_target[t].append(s)
        lower = 0
        # chain[t]: the feedback sources reachable from the feedback target t. A loop
        # through two or more feedback links needs a cycle of such reaches.
        chain: nx.DiGraph[str] = nx.DiGraph()
        for target, sources in by_target.items():
            paths = {target: 1}
            for node in order[position[target] :]:
                count = paths.get(node)
                if count:
                    for nxt in rest[node]:
                        paths[nxt] = paths.get(nxt, 0) + count
            lower += sum(paths.get(s, 0) for s in sources)
            chain.add_node(target)
            for s, t in feedback:
                if s in paths and t != target:
                    chain.add_edge(target, t)
        if nx.is_directed_acyclic_graph(chain):
            # No loop runs through two feedback links: the loops through one are all.
            at_least += max(lower, 1)
            at_most += max(lower, 1)
        elif rank <= _LISTED_RANK:
            exact = sum(1 for _ in _cycles(graph, [component]))
            at_least += exact
            at_most += exact
        else:
            at_least += max(lower, 1)
            at_most += 2**rank - 1
    return LoopCount(
        components=tuple(tuple(c) for c in components),
        independent=independent,
        at_least=at_least,
        at_most=at_most,
        unmarked=tuple(unmarked),
    )


#: Up to this circuit rank (at most 2**8 - 1 = 255 loops), a group whose loops the
#: bounds do not pin down is counted by listing them.
_LISTED_RANK = 8


def _topological(succ: dict[str, list[str]]) -> list[str] | None:
    """A topological order of *succ*, or ``None`` when it has a cycle."""
    indegree = dict.fromkeys(succ, 0)
    for targets in succ.values():
        for t in targets:
            indegree[t] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    order: list[str] = []
    while ready:
        n = ready.pop()
        order.append(n)
        for t in succ[n]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return order if len(order) == len(succ) else None
