"""Facts about one model that several rules need, computed once and on demand.

Rules receive a :class:`Facts` object. Everything on it is computed the first
time a rule asks and then shared, and every computation is linear in the size
of the model. The graph facts (adjacency, causal order, loops, reachability)
come from the model's :class:`~changemodel.index.GraphIndex`, which analysis
reads too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cached_property
from typing import Any

from changemodel.domain import Element, Kind, Link
from changemodel.errors import Location
from changemodel.index import Adjacency, GraphIndex
from changemodel.model import ChangeModel

__all__ = ["Facts"]


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

    @property
    def elements(self) -> Mapping[str, Element]:
        """Elements by id, in the order they were added."""
        return self.index.elements

    @property
    def links(self) -> tuple[Link, ...]:
        """The model's links."""
        return self.index.links

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

    @property
    def index(self) -> GraphIndex:
        """The model's graph index, shared with analysis (built once per change)."""
        return self.model.graph_index

    @property
    def causal_out(self) -> Adjacency:
        """Targets of every causal (``leads_to``) link, feedback included."""
        return self.index.causal_out

    @property
    def causal_in(self) -> Adjacency:
        """Sources of every causal (``leads_to``) link, feedback included."""
        return self.index.causal_in

    @property
    def forward_out(self) -> Adjacency:
        """Targets of causal links that are not marked feedback."""
        return self.index.forward_out

    @property
    def forward_in(self) -> Adjacency:
        """Sources of causal links that are not marked feedback."""
        return self.index.forward_in

    @property
    def moderates_out(self) -> Adjacency:
        """What each context moderates."""
        return self.index.moderates_out

    @property
    def moderated_by(self) -> Adjacency:
        """The contexts that moderate each element."""
        return self.index.moderated_by

    @property
    def part_of_out(self) -> Adjacency:
        """The parent of each element that is ``part_of`` another."""
        return self.index.part_of_out

    @property
    def linked(self) -> frozenset[str]:
        """The ids of elements at either end of at least one link."""
        return self.index.linked

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
        return self.index.reachable(targets, forward=False, feedback=not forward_only)

    def reached_from(self, sources: Collection[str], *, forward_only: bool = False) -> set[str]:
        """Elements reachable from one of *sources* through one or more causal links."""
        return self.index.reachable(sources, forward=True, feedback=not forward_only)

    @property
    def topological(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """The causal order of the links without feedback, and the ids left over
        (on a cycle that is not marked feedback, or downstream of one)."""
        return self.index.placed, self.index.unplaced

    @property
    def unmarked_cycles(self) -> list[list[str]]:
        """Strongly connected components of more than one element in the causal
        links without feedback: each is a loop nobody marked as feedback."""
        return self.index.unmarked_cycles

    @property
    def loop_components(self) -> dict[str, int]:
        """Element id -> component number, for the elements on some loop of the
        causal links *with* feedback links (strongly connected components)."""
        return self.index.loop_components

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
