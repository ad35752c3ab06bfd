"""Pathways: the causal chains from activities to outcomes.

Enumerating pathways is exponential in general, so nothing here enumerates
unless asked to, and then lazily and up to a limit the caller must give.
Counting uses dynamic programming over the causal order, the elements on any
pathway are the intersection of what the source reaches and what reaches the
target, and the pathway of highest confidence is a longest path on
``-log(confidence)`` weights: all linear in the number of links. Feedback
links are left out throughout.

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer support")
>>> trust = m.mechanism("trust", "Trusting relationships")
>>> modelling = m.mechanism("modelling", "Role-modelling recovery")
>>> hope = m.process_outcome("hope", "Hope")
>>> _ = support >> (trust, modelling) >> hope
>>> count_pathways(m, "support", "hope")
2
>>> for p in iter_pathways(m, "support", "hope", limit=5):
...     print(p)
support -> modelling -> hope
support -> trust -> hope
>>> [e.id for e in pathway_elements(m, None, "hope")]
['support', 'modelling', 'trust', 'hope']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from changemodel.analysis._dag import causal_index, ids, reach
from changemodel.analysis._data import plain
from changemodel.domain import Element, Kind, Link, Sign
from changemodel.errors import InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel

__all__ = [
    "Pathway",
    "count_pathways",
    "iter_pathways",
    "most_confident_pathway",
    "pathway_elements",
]

Ids = str | Iterable[str] | None


@attrs.frozen
class Pathway:
    """One causal chain: the element ids along it and the links between them."""

    elements: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def source(self) -> str:
        """The id of the first element."""
        return self.elements[0]

    @property
    def target(self) -> str:
        """The id of the last element."""
        return self.elements[-1]

    @property
    def sign(self) -> Sign:
        """The net direction: an odd number of ``reduces`` links makes it ``reduces``."""
        sign = Sign.INCREASES
        for link in self.links:
            sign = sign * link.sign
        return sign

    def confidence(self, default: float = 1.0) -> float:
        """The product of the links' confidences; a link without one counts as *default*."""
        result = 1.0
        for link in self.links:
            result *= default if link.confidence is None else link.confidence
        return result

    def __len__(self) -> int:
        """The number of links."""
        return len(self.links)

    def __str__(self) -> str:
        return " -> ".join(self.elements)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the element ids, the links and the net sign.

        >>> p = Pathway(("a", "b"), (Link("a", "b", sign="reduces"),))
        >>> p.to_data()
        {'elements': ['a', 'b'], 'links': [{'source': 'a', 'target': 'b', \
'relation': 'leads_to', 'sign': 'reduces', 'feedback': False}], 'sign': 'reduces'}
        >>> Pathway.from_data(p.to_data()) == p
        True
        """
        return {
            "elements": list(self.elements),
            "links": [plain(link) for link in self.links],
            "sign": self.sign.value,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Pathway:
        """The pathway that :meth:`to_data` gave (derived values such as the sign are
        recomputed, not read)."""
        try:
            return cls(
                tuple(data["elements"]),
                tuple(Link(**link) for link in data["links"]),
            )
        except (KeyError, TypeError) as exc:
            raise InvalidValueError(f"not the data of a pathway: {exc}", value=data) from None


def _limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidValueError(
            f"limit must be a whole number of pathways (0 or more), not {limit!r}",
            attribute="limit",
            value=limit,
        )
    return limit


def iter_pathways(model: ChangeModel, source: Ids, target: str, *, limit: int) -> Iterator[Pathway]:
    """Yield up to *limit* pathways from *source* to *target*, lazily.

    *source* is an element id, several ids, or ``None`` for every activity.
    Pathways come depth first, following links in causal order; only elements
    that can still reach the target are visited, so each pathway costs time
    proportional to its length and its branching, never a dead-end search.
    """
    _limit(limit)
    dag = causal_index(model)
    sources = ids(model, source, default=Kind.ACTIVITY)
    (goal,) = ids(model, target)
    return _walk(dag, sources, goal, limit)


def _walk(dag: GraphIndex, sources: list[str], goal: str, limit: int) -> Iterator[Pathway]:
    useful = reach(dag, [goal], forward=False)
    produced = 0
    for start in sources:
        if start not in useful:
            continue
        if produced >= limit:
            return
        if start == goal:
            produced += 1
            yield Pathway((start,), ())
            continue
        nodes = [start]
        links: list[Link] = []
        stack = [iter(dag.links_out[start])]
        while stack:
            link = next(stack[-1], None)
            if link is None:
                stack.pop()
                nodes.pop()
                if links:
                    links.pop()
                continue
            nxt = link.target
            if nxt not in useful:
                continue
            if nxt == goal:
                produced += 1
                yield Pathway((*nodes, nxt), (*links, link))
                if produced >= limit:
                    return
                continue
            nodes.append(nxt)
            links.append(link)
            stack.append(iter(dag.links_out[nxt]))


def count_pathways(model: ChangeModel, source: Ids, target: str) -> int:
    """The number of pathways from *source* (``None``: every activity) to *target*.

    Dynamic programming over the causal order: linear in the number of links,
    exact (Python integers do not overflow), whatever the number of pathways.
    """
    dag = causal_index(model)
    sources = ids(model, source, default=Kind.ACTIVITY)
    (goal,) = ids(model, target)
    return dag.forward_counts(sources)[goal]


def pathway_elements(model: ChangeModel, source: Ids, target: str) -> tuple[Element, ...]:
    """The elements on at least one pathway from *source* to *target*, in causal order.

    Forward reachability from the source intersected with backward
    reachability from the target; empty when no pathway exists.
    """
    dag = causal_index(model)
    sources = ids(model, source, default=Kind.ACTIVITY)
    (goal,) = ids(model, target)
    return tuple(model.element(id) for id in dag.on_pathways(sources, [goal]))


def most_confident_pathway(
    model: ChangeModel, source: Ids, target: str, *, default: float = 1.0
) -> Pathway | None:
    """The pathway whose links' confidences have the largest product, or ``None``.

    A link without a confidence counts as *default*. Solved as a longest path
    over the causal order with weights ``log(confidence)``, in linear time; ties
    go to the pathway found first in causal order.

    >>> m = ChangeModel("Two routes")
    >>> a, b, c, o = (m.process_outcome(x, x.upper()) for x in "abco")
    >>> _ = a.leads_to(b, confidence=0.9), b.leads_to(o, confidence=0.9)
    >>> _ = a.leads_to(c, confidence=0.99), c.leads_to(o, confidence=0.5)
    >>> best = most_confident_pathway(m, "a", "o")
    >>> print(best, round(best.confidence(), 2))
    a -> b -> o 0.81
    """
    if not 0.0 <= default <= 1.0:
        raise InvalidValueError(
            f"default must be a confidence between 0 and 1, not {default!r}",
            attribute="default",
            value=default,
        )
    dag = causal_index(model)
    sources = ids(model, source, default=Kind.ACTIVITY)
    (goal,) = ids(model, target)
    useful = reach(dag, [goal], forward=False)
    best: dict[str, float] = {}
    via: dict[str, Link | None] = {}
    for s in sources:
        if s in useful:
            best[s] = 0.0
            via[s] = None
    for v in dag.order:
        if v not in best:
            continue
        score = best[v]
        for link in dag.links_out[v]:
            w = link.target
            if w not in useful:
                continue
            c = default if link.confidence is None else link.confidence
            new = score + math.log(c) if c > 0 else -math.inf
            if w not in best or new > best[w]:
                best[w] = new
                via[w] = link
    if goal not in best:
        return None
    links: list[Link] = []
    node = goal
    back = via[node]
    while back is not None:
        links.append(back)
        node = back.source
        back = via[node]
    links.reverse()
    return Pathway((node, *(lk.target for lk in links)), tuple(links))
