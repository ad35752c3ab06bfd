"""The causal chain of a model as a compact DAG, shared by the analysis modules.

Only causal (``leads_to``) links that are not marked feedback take part: a
deliberate feedback loop is part of the theory but not of a pathway. Building
the DAG raises :class:`~changemodel.errors.IntegrityError` naming a cycle when
the remaining links are not acyclic.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence

from changemodel.domain import Kind, Link
from changemodel.errors import IntegrityError, InvalidValueError
from changemodel.model import ChangeModel, LinkKey

__all__ = ["Dag"]


class Dag:
    """Topological order and causal adjacency (as links) of a model."""

    __slots__ = ("inc", "index", "model", "order", "out")

    def __init__(self, model: ChangeModel) -> None:
        self.model = model
        elements = model.elements
        out: dict[str, list[Link]] = {e.id: [] for e in elements}
        inc: dict[str, list[Link]] = {e.id: [] for e in elements}
        for link in model.links:
            if link.is_causal and not link.feedback:
                out[link.source].append(link)
                inc[link.target].append(link)
        self.order: tuple[str, ...] = _order(model, out, inc)
        self.index: dict[str, int] = {id: i for i, id in enumerate(self.order)}
        index = self.index
        self.out: dict[str, tuple[Link, ...]] = {
            k: tuple(sorted(v, key=lambda lk: index[lk.target])) for k, v in out.items()
        }
        self.inc: dict[str, tuple[Link, ...]] = {
            k: tuple(sorted(v, key=lambda lk: index[lk.source])) for k, v in inc.items()
        }

    # ------------------------------------------------------------- helpers

    def ids(self, items: str | Iterable[str] | None, *, default: Kind | None = None) -> list[str]:
        """Check ids exist (unknown ones raise with a suggestion) and drop repeats;
        ``None`` means every element of kind *default*."""
        if items is None:
            if default is None:
                raise InvalidValueError("no elements given")
            return [e.id for e in self.model.elements_of(default)]
        if isinstance(items, str):
            items = [items]
        out: dict[str, None] = {}
        for id in items:
            self.model.element(id)
            out[id] = None
        return list(out)

    def forward_counts(
        self, sources: Collection[str], skip: Collection[LinkKey] = ()
    ) -> dict[str, int]:
        """Number of pathways from any source to each element (dynamic programming)."""
        counts = dict.fromkeys(self.order, 0)
        for s in sources:
            counts[s] = 1
        for v in self.order:
            c = counts[v]
            if c:
                for link in self.out[v]:
                    if not skip or link.key not in skip:
                        counts[link.target] += c
        return counts

    def backward_counts(
        self, targets: Collection[str], skip: Collection[LinkKey] = ()
    ) -> dict[str, int]:
        """Number of pathways from each element to any target."""
        counts = dict.fromkeys(self.order, 0)
        for t in targets:
            counts[t] = 1
        for v in reversed(self.order):
            c = counts[v]
            if c:
                for link in self.inc[v]:
                    if not skip or link.key not in skip:
                        counts[link.source] += c
        return counts

    def reach(self, starts: Iterable[str], *, forward: bool) -> set[str]:
        """Elements reachable from *starts* (included) along or against the links."""
        seen = set(starts)
        stack = list(seen)
        adjacency = self.out if forward else self.inc
        while stack:
            v = stack.pop()
            for link in adjacency[v]:
                w = link.target if forward else link.source
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        return seen

    def on_pathways(self, sources: Iterable[str], targets: Iterable[str]) -> list[str]:
        """Elements on at least one pathway from a source to a target, in causal order."""
        both = self.reach(sources, forward=True) & self.reach(targets, forward=False)
        return sorted(both, key=self.index.__getitem__)


def _order(
    model: ChangeModel, out: Mapping[str, Sequence[Link]], inc: Mapping[str, Sequence[Link]]
) -> tuple[str, ...]:
    """The same order as :meth:`ChangeModel.topological_order` (ties broken by chain
    stage, then id), by Kahn's algorithm with a heap; a cycle raises the model's
    own error, which names it."""

    def rank(id: str) -> tuple[int, str]:
        stage = model.element(id).kind.stage
        return (stage if stage is not None else -1, id)

    waiting = {id: len(links) for id, links in inc.items()}
    ready = [rank(id) for id, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, id = heapq.heappop(ready)
        order.append(id)
        for link in out[id]:
            waiting[link.target] -= 1
            if waiting[link.target] == 0:
                heapq.heappush(ready, rank(link.target))
    if len(order) < len(waiting):
        model.topological_order()  # raises IntegrityError naming the cycle
        raise IntegrityError("the causal links form a cycle not marked as feedback")
    return tuple(order)
