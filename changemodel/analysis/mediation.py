"""Mediators, moderators, single points of failure and the load each assumption carries.

Everything is computed from pathway counts by dynamic programming, so it is
linear in the number of links (per assumption for the assumption measures):
an element lies on ``forward[v] * backward[v]`` pathways, and it lies on every
pathway (it dominates the outcome) exactly when that product is the total.

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer support")
>>> trust = m.mechanism("trust", "Trusting relationships")
>>> modelling = m.mechanism("modelling", "Role-modelling recovery")
>>> hope = m.process_outcome("hope", "Hope")
>>> wellbeing = m.downstream_outcome("wellbeing", "Well-being")
>>> _ = support >> (trust, modelling) >> hope >> wellbeing
>>> _ = m.assumption("sharing", "Peers share their story", underpins=[("support", "trust")])
>>> [(x.element.id, x.pathways, x.necessary) for x in mediators(m, "support", "wellbeing")]
[('modelling', 1, False), ('trust', 1, False), ('hope', 2, True)]
>>> [e.id for e in single_points_of_failure(m, "wellbeing").elements]
['support', 'hope', 'wellbeing']
>>> [(x.assumption, x.pathways, x.total) for x in assumption_load(m, "wellbeing")]
[('sharing', 1, 2)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from changemodel.analysis._dag import causal_index, ids
from changemodel.analysis._data import plain
from changemodel.domain import Element, Kind, Link, Relation
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel, LinkKey

__all__ = [
    "AssumptionLoad",
    "Mediator",
    "Moderator",
    "SinglePoints",
    "assumption_load",
    "mediators",
    "moderators",
    "single_points_of_failure",
]

Ids = str | Iterable[str] | None


@attrs.frozen
class Mediator:
    """An element between an activity and an outcome.

    ``pathways`` is how many of the ``total`` pathways pass through it;
    ``necessary`` is true when all of them do.
    """

    element: Element
    pathways: int
    total: int

    @property
    def necessary(self) -> bool:
        """True when every pathway passes through the element."""
        return self.total > 0 and self.pathways == self.total

    @property
    def share(self) -> float:
        """The fraction of pathways through this element."""
        return self.pathways / self.total if self.total else 0.0

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON, with ``necessary`` and ``share``."""
        return {
            "element": plain(self.element),
            "pathways": self.pathways,
            "total": self.total,
            "necessary": self.necessary,
            "share": self.share,
        }


@attrs.frozen
class Moderator:
    """A context and the elements on the pathways that it moderates."""

    context: Element
    moderates: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"context": plain(self.context), "moderates": list(self.moderates)}


@attrs.frozen
class SinglePoints:
    """What every pathway to an outcome depends on.

    ``elements`` are the elements on every pathway (the dominators of the
    outcome, endpoints included), in causal order; ``assumptions`` the
    assumption ids that underpin at least one link of every pathway;
    ``pathways`` the number of pathways considered.
    """

    outcome: str
    elements: tuple[Element, ...]
    assumptions: tuple[str, ...]
    pathways: int

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "outcome": self.outcome,
            "elements": [plain(e) for e in self.elements],
            "assumptions": list(self.assumptions),
            "pathways": self.pathways,
        }


@attrs.frozen
class AssumptionLoad:
    """How many of the ``total`` pathways use a link that the assumption underpins."""

    assumption: str
    links: tuple[Link, ...]
    pathways: int
    total: int

    @property
    def share(self) -> float:
        """The fraction of pathways that depend on the assumption."""
        return self.pathways / self.total if self.total else 0.0

    @property
    def critical(self) -> bool:
        """True when every pathway depends on the assumption."""
        return self.total > 0 and self.pathways == self.total

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON, with ``share`` and ``critical``."""
        return {
            "assumption": self.assumption,
            "links": [plain(link) for link in self.links],
            "pathways": self.pathways,
            "total": self.total,
            "share": self.share,
            "critical": self.critical,
        }


def mediators(model: ChangeModel, activity: Ids, outcome: str) -> tuple[Mediator, ...]:
    """The elements strictly between *activity* (``None``: every activity) and
    *outcome* on at least one pathway, in causal order, each with the number of
    pathways through it. The mechanisms and process outcomes among them are the
    candidate mediators a trial measures."""
    dag = causal_index(model)
    sources = ids(model, activity, default=Kind.ACTIVITY)
    (goal,) = ids(model, outcome)
    forward = dag.forward_counts(sources)
    backward = dag.backward_counts([goal])
    total = forward[goal]
    ends = {*sources, goal}
    return tuple(
        Mediator(model.element(v), forward[v] * backward[v], total)
        for v in dag.order
        if v not in ends and forward[v] and backward[v]
    )


def moderators(model: ChangeModel, activity: Ids, outcome: str) -> tuple[Moderator, ...]:
    """The contexts that moderate the activity, the outcome or anything on a
    pathway between them, in causal order."""
    dag = causal_index(model)
    sources = ids(model, activity, default=Kind.ACTIVITY)
    (goal,) = ids(model, outcome)
    on = dag.on_pathways(sources, [goal])
    members = set(on)
    found: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES and link.target in members:
            found.setdefault(link.source, []).append(link.target)
    return tuple(
        Moderator(model.element(c), tuple(sorted(found[c], key=dag.position.__getitem__)))
        for c in sorted(found, key=dag.position.__getitem__)
    )


def _underpinned(dag: GraphIndex) -> dict[str, list[Link]]:
    found: dict[str, list[Link]] = {}
    for v in dag.order:
        for link in dag.links_out[v]:
            for a in link.assumptions:
                found.setdefault(a, []).append(link)
    return found


def single_points_of_failure(
    model: ChangeModel, outcome: str, *, activity: Ids = None
) -> SinglePoints:
    """The elements and assumptions that every pathway from *activity*
    (``None``: every activity) to *outcome* depends on.

    An element is on every pathway when the pathways through it are all the
    pathways; an assumption is when no pathway avoids the links it underpins.
    With no pathway at all, nothing is reported.
    """
    dag = causal_index(model)
    sources = ids(model, activity, default=Kind.ACTIVITY)
    (goal,) = ids(model, outcome)
    forward = dag.forward_counts(sources)
    backward = dag.backward_counts([goal])
    total = forward[goal]
    if not total:
        return SinglePoints(goal, (), (), 0)
    elements = tuple(model.element(v) for v in dag.order if forward[v] * backward[v] == total)
    assumptions = []
    for a, links in _underpinned(dag).items():
        skip: set[LinkKey] = {lk.key for lk in links}
        if dag.forward_counts(sources, skip)[goal] == 0:
            assumptions.append(a)
    return SinglePoints(goal, elements, tuple(sorted(assumptions)), total)


def assumption_load(
    model: ChangeModel, outcome: Ids = None, *, activity: Ids = None
) -> tuple[AssumptionLoad, ...]:
    """For each assumption listed on a causal link, how many pathways from
    *activity* (``None``: every activity) to *outcome* (``None``: every outcome,
    process or downstream) use at least one link it underpins.

    Sorted by load, heaviest first, then by id. Each assumption costs one
    counting pass over the links.
    """
    dag = causal_index(model)
    sources = ids(model, activity, default=Kind.ACTIVITY)
    if outcome is None:
        targets = [e.id for e in model.elements if e.kind.is_outcome]
    else:
        targets = ids(model, outcome)

    def count(skip: set[LinkKey]) -> int:
        counts = dag.forward_counts(sources, skip)
        return sum(counts[t] for t in targets)

    total = count(set())
    loads = []
    for a, links in _underpinned(dag).items():
        used = total - count({lk.key for lk in links})
        loads.append(AssumptionLoad(a, tuple(links), used, total))
    loads.sort(key=lambda x: (-x.pathways, x.assumption))
    return tuple(loads)
