"""Testable implications: the conditional independencies a model's causal structure implies.

A causal structure rules relations out. When every route between two elements
passes through others in a way that holding those others fixed blocks, the
theory says the two are independent given those others, and data measured on
both can say whether that is so. This module lists those statements as a
*basis*: one statement for each pair of elements that no link joins and
that some set of measured elements separates, in the manner of dagitty's
``impliedConditionalIndependencies``. When every element is measured and no
feedback loop is drawn, these are the local Markov statements, from which
every other independence the structure implies follows.

How each part of a model is read (the same rules hold for the local tests and
the report):

- **Variables** are the elements of every kind except assumptions.
- **Causal links** (``leads_to``) are edges from cause to effect.
- **Contexts** are variables. A context that moderates an element is one of
  its causes: a moderator changes how much the element responds to its other
  causes, so the element depends on it (an edge from the context to the
  element, as in :func:`~changemodel.analysis.causal.causal_view`).
- **Feedback links** are edges too. Separation is decided in the graph with
  its loops, by d-separation as defined for cyclic graphs, which holds for
  linear models with feedback (Spirtes 1995). A pair that the parents of the
  later element no longer separate because of a loop gets another separator
  or, if none exists, no statement.
- **Part-of links**: a part and its whole share what the part contributes,
  so they are read as joined by an unmeasured common cause. They are never
  stated to be independent, and no statement conditions on that shared cause.
- **Assumptions** are not variables: an assumption is a belief about why a
  link works, not a quantity measured on each participant. The links they
  underpin stay.
- **Elements without data** (see *measured*) are unmeasured variables: they
  keep their place in the structure, but a statement never names them. A
  pair whose every separator needs an unmeasured element has no statement.

The conditioning set of a statement is the later element's parents (the local
Markov property) when they are all measured and separate the pair; otherwise
a minimal separator made of measured elements, found in the moral graph of
the pair's ancestors (van der Zander, Liśkiewicz and Textor 2019,
"Separators and adjustment sets in causal graphs", algorithm FindMinSep).
Each statement costs time linear in the size of the model, so a model of
hundreds of elements answers at once.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Chain")
>>> support = m.activity("support", "Peer support")
>>> trust = m.mechanism("trust", "Trust")
>>> hope = m.process_outcome("hope", "Hope")
>>> _ = support >> trust >> hope
>>> [str(i) for i in implications(m)]
['hope _||_ support | trust']
>>> implications(m, measured=["support", "hope"])
[]
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from changemodel.analysis._text import csv_text, md_cell, md_table
from changemodel.analysis.causal import Independence, active_reach, ancestors_of, causal_view
from changemodel.domain import Kind, Relation
from changemodel.errors import InvalidValueError, UnknownIdError, did_you_mean
from changemodel.model import ChangeModel

__all__ = [
    "TREATMENT",
    "ImplicationGraph",
    "format_implications",
    "implication_graph",
    "implications",
    "implications_data",
    "indicated",
    "iter_implications",
]

#: How each part of a model is read, in the words the outputs print.
TREATMENT: dict[str, str] = {
    "contexts": "a context is a variable and a cause of each element it moderates",
    "feedback": (
        "a feedback link is an edge; separation is decided with the loops drawn in"
        " (d-separation in cyclic graphs, valid for linear feedback models)"
    ),
    "part_of": "a part and its whole share an unmeasured common cause",
    "assumptions": "assumptions are not variables; the links they underpin stay",
    "unmeasured": (
        "an element without data keeps its place in the structure but is never named in a statement"
    ),
}


class ImplicationGraph:
    """The directed graph the implications are read from.

    ``order`` is a topological order of the variables along the links that
    are not feedback (ties broken by id); ``parents`` and ``children`` hold
    every edge, feedback included, and the unmeasured common causes that
    stand for part-of links (named ``part_of(part,whole)``, which no element
    id can be).
    """

    __slots__ = ("_ancestors", "assumptions", "children", "index", "order", "parents", "variables")

    def __init__(self, model: ChangeModel) -> None:
        view = causal_view(model)  # raises IntegrityError naming a cycle not marked feedback
        self.order: tuple[str, ...] = view.order
        self.index: dict[str, int] = {v: i for i, v in enumerate(self.order)}
        self.variables: frozenset[str] = frozenset(self.order)
        self.assumptions: frozenset[str] = frozenset(
            e.id for e in model.elements_of(Kind.ASSUMPTION)
        )
        parents: dict[str, list[str]] = {v: list(view.parents[v]) for v in self.order}
        children: dict[str, list[str]] = {v: list(view.children[v]) for v in self.order}
        for link in model.links:
            if link.source not in self.variables or link.target not in self.variables:
                continue
            if link.is_causal and link.feedback and link.source not in parents[link.target]:
                parents[link.target].append(link.source)
                children[link.source].append(link.target)
            elif link.relation is Relation.PART_OF:
                shared = f"part_of({link.source},{link.target})"
                parents[shared], children[shared] = [], [link.source, link.target]
                parents[link.source].append(shared)
                parents[link.target].append(shared)
        self.parents: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in parents.items()}
        self.children: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in children.items()}
        self._ancestors: dict[str, frozenset[str]] = {}

    def adjacent(self, x: str, y: str) -> bool:
        """Whether an edge (in either direction) joins *x* and *y*."""
        return y in self.parents[x] or x in self.parents[y]

    def ancestors(self, v: str) -> frozenset[str]:
        """*v* and its ancestors (cached)."""
        found = self._ancestors.get(v)
        if found is None:
            found = self._ancestors[v] = frozenset(ancestors_of(self.parents, (v,)))
        return found

    def separated(self, x: str, y: str, given: Collection[str]) -> bool:
        """Whether *given* d-separates *x* and *y* (loops included)."""
        return y not in active_reach(self.parents, self.children, (x,), given)

    def check_measured(self, measured: Iterable[str]) -> frozenset[str]:
        """The ids, checked to be variables (unknown ids raise with a suggestion)."""
        out = set()
        for v in measured:
            if v in self.assumptions:
                raise UnknownIdError(f"{v!r} is an assumption: assumptions are not variables", id=v)
            if v not in self.variables:
                raise UnknownIdError(
                    f"{v!r} is not an element of the model",
                    id=v,
                    suggestion=did_you_mean(v, self.order),
                )
            out.add(v)
        return frozenset(out)

    def _moral_reach(self, start: str, within: Collection[str], stop: Collection[str]) -> set[str]:
        """Nodes reached from *start* in the moral graph of *within*, not going past *stop*."""
        parents, children = self.parents, self.children
        seen = {start}
        stack = [start]
        while stack:
            v = stack.pop()
            near: list[str] = [p for p in parents[v] if p in within]
            for c in children[v]:
                if c in within:
                    near.append(c)
                    near.extend(q for q in parents[c] if q in within)
            for w in near:
                if w not in seen:
                    seen.add(w)
                    if w not in stop:
                        stack.append(w)
        return seen

    def minimal_separator(
        self, x: str, y: str, measured: Collection[str]
    ) -> tuple[str, ...] | None:
        """A minimal set of *measured* variables that d-separates *x* and *y*, or
        ``None`` when no set of measured variables does (FindMinSep)."""
        within = self.ancestors(x) | self.ancestors(y)
        candidates = {v for v in within if v in measured and v != x and v != y}
        from_x = self._moral_reach(x, within, candidates)
        if y in from_x:
            return None
        near_x = candidates & from_x
        chosen = near_x & self._moral_reach(y, within, near_x)
        return tuple(sorted(chosen, key=self.index.__getitem__))


def implication_graph(model: ChangeModel) -> ImplicationGraph:
    """The graph the implications of *model* are read from (see the module's rules)."""
    return ImplicationGraph(model)


def iter_implications(
    model: ChangeModel | ImplicationGraph, *, measured: Iterable[str] | None = None
) -> Iterator[Independence]:
    """The basis of implied independencies, lazily: for each pair of measured
    variables that no edge joins and that some set of measured variables
    separates, one statement ``later _||_ earlier | given``.

    *measured* names the variables that have data (default: every variable).
    Pairs come in topological order of the later variable.
    """
    graph = model if isinstance(model, ImplicationGraph) else ImplicationGraph(model)
    seen = graph.variables if measured is None else graph.check_measured(measured)
    for i, x in enumerate(graph.order):
        if x not in seen:
            continue
        parents = graph.parents[x]
        local = all(p in seen for p in parents)
        reach = active_reach(graph.parents, graph.children, (x,), parents) if local else set()
        for y in graph.order[:i]:
            if y not in seen or graph.adjacent(x, y):
                continue
            if local and y not in reach:
                yield Independence(x, y, tuple(sorted(parents, key=graph.index.__getitem__)))
                continue
            given = graph.minimal_separator(x, y, seen)
            if given is not None:
                yield Independence(x, y, given)


def implications(
    model: ChangeModel | ImplicationGraph, *, measured: Iterable[str] | None = None
) -> list[Independence]:
    """Every statement of :func:`iter_implications`, as a list."""
    return list(iter_implications(model, measured=measured))


def implications_data(
    items: Sequence[Independence], *, unmeasured: Sequence[str] = ()
) -> dict[str, Any]:
    """Plain data for JSON: the statements, the elements treated as unmeasured
    and the rules each part of the model was read by."""
    return {
        "count": len(items),
        "independencies": [{"x": i.x, "y": i.y, "given": list(i.given)} for i in items],
        "unmeasured": list(unmeasured),
        "treatment": dict(TREATMENT),
    }


def format_implications(
    items: Sequence[Independence],
    format: str = "text",
    *,
    unmeasured: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
) -> str:
    """The statements as ``text`` (dagitty's notation), a ``markdown`` table,
    ``csv`` (formula-safe) or ``json``. *labels* (id -> label) adds the
    elements' labels to the Markdown table."""
    if format == "text":
        lines = [str(i) for i in items]
        if not items:
            lines.append("no testable implications: every pair is joined or cannot be separated")
        if unmeasured:
            lines.append(f"treated as unmeasured: {', '.join(unmeasured)}")
        return "\n".join(lines) + "\n"
    if format == "json":
        data = implications_data(items, unmeasured=unmeasured)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = ["Independent", "Of", "Given"]

    def name(v: str) -> str:
        return f"{labels[v]} ({v})" if labels and v in labels else v

    if format == "markdown":
        rows = [
            [name(i.x), name(i.y), "; ".join(name(g) for g in i.given) or "nothing"] for i in items
        ]
        lines = md_table(header, rows)
        if unmeasured:
            lines += ["", md_cell("Elements without data: " + ", ".join(unmeasured))]
        return "\n".join(lines) + "\n"
    if format == "csv":
        return csv_text(header, [[i.x, i.y, " ".join(i.given)] for i in items])
    raise InvalidValueError(
        f"unknown format {format!r}; expected text, markdown, csv or json", value=format
    )


def indicated(model: ChangeModel) -> list[str]:
    """The variables that name at least one indicator: those an evaluation plans to
    measure (``changemodel implications --indicated``)."""
    return [e.id for e in model.elements if e.kind is not Kind.ASSUMPTION and e.indicators]
