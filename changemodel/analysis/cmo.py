"""Realist context-mechanism-outcome (CMO) configurations, as a view of the model.

A configuration is not a second model: it is read off the graph. For each
mechanism, the outcomes it leads to (directly or through elements that are
neither mechanisms nor outcomes; with ``proximal=False`` also the outcomes
further on, until another mechanism) give one configuration each; its
contexts are those moderating the mechanism, the outcome or the activities
that trigger the mechanism; the intervention is those activities; the actors
are the people named on the intervention, the mechanism and the outcome.

The reverse, :func:`from_configurations`, builds a model from a table of
configurations written as text, the way realist teams tabulate them (one row
per configuration; the same text in two rows is the same element).

>>> rows = [
...     {"context": "Clear peer role", "mechanism": "Trust in a peer",
...      "outcome": "Hope", "intervention": "Peer support", "actors": "service user"},
...     {"context": "Clear peer role; Training", "mechanism": "Role-modelling",
...      "outcome": "Hope", "intervention": "Peer support"},
... ]
>>> m = from_configurations(rows, title="Peer support CMOs")
>>> for c in configurations(m):
...     print(c)
Clear peer role; Training + Role-modelling -> Hope
Clear peer role + Trust in a peer -> Hope
>>> sorted(e.id for e in m.elements)
['clear_peer_role', 'hope', 'peer_support', 'role_modelling', 'training', 'trust_in_a_peer']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from changemodel.analysis._dag import causal_index, reach
from changemodel.analysis._data import plain
from changemodel.analysis._text import csv_text, md_table, one_line
from changemodel.domain import (
    Activity,
    Actor,
    Context,
    Element,
    Evidence,
    Kind,
    Link,
    Mechanism,
    Relation,
    element_class,
)
from changemodel.errors import ChangeModelError, InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel
from changemodel.text import plural

__all__ = [
    "Configuration",
    "ConfigurationError",
    "configuration_rows",
    "configurations",
    "format_configurations",
    "from_configurations",
]


class ConfigurationError(ChangeModelError, ValueError):
    """A row of a configuration table cannot be read; the message names the row."""

    def __init__(self, message: str, *, row: int) -> None:
        super().__init__(f"configuration {row}: {message}")
        self.row = row


@attrs.frozen
class Configuration:
    """Context + mechanism -> outcome, with the intervention and actors (ICAMO)."""

    contexts: tuple[Element, ...]
    mechanism: Element
    outcome: Element
    interventions: tuple[Element, ...] = ()
    actors: tuple[Actor, ...] = ()

    def __str__(self) -> str:
        contexts = "; ".join(one_line(c.label) for c in self.contexts) or "(no context)"
        return f"{contexts} + {one_line(self.mechanism.label)} -> {one_line(self.outcome.label)}"

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: ids and labels of each part, and the actors."""

        def brief(e: Element) -> dict[str, str]:
            return {"id": e.id, "label": e.label}

        return {
            "interventions": [brief(e) for e in self.interventions],
            "contexts": [brief(e) for e in self.contexts],
            "actors": plain(self.actors),
            "mechanism": brief(self.mechanism),
            "outcome": brief(self.outcome),
        }

    def to_row(self) -> dict[str, str]:
        """The configuration as a table row of text (what :func:`from_configurations` reads)."""
        return {
            "intervention": "; ".join(one_line(e.label) for e in self.interventions),
            "context": "; ".join(one_line(c.label) for c in self.contexts),
            "actors": "; ".join(one_line(a.name) for a in self.actors),
            "mechanism": one_line(self.mechanism.label),
            "outcome": one_line(self.outcome.label),
        }


def configurations(model: ChangeModel, *, proximal: bool = True) -> tuple[Configuration, ...]:
    """The model's CMO configurations, by mechanism then outcome in causal order.

    Each mechanism costs one walk over the links after it, so the whole is
    at most (mechanisms x links).
    """
    dag = causal_index(model)
    rank = dag.position.__getitem__
    moderators: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES:
            moderators.setdefault(link.target, []).append(link.source)
    result = []
    for mechanism in sorted((e.id for e in model.elements_of(Kind.MECHANISM)), key=rank):
        outcomes = _outcomes(model, dag, mechanism, proximal)
        triggers = sorted(
            (
                v
                for v in reach(dag, [mechanism], forward=False)
                if model.element(v).kind is Kind.ACTIVITY
            ),
            key=rank,
        )
        for outcome in outcomes:
            context_ids: dict[str, None] = {}
            for target in (*triggers, mechanism, outcome):
                context_ids.update(dict.fromkeys(moderators.get(target, ())))
            actors: dict[Actor, None] = {}
            for v in (*triggers, mechanism, outcome):
                actors.update(dict.fromkeys(model.element(v).actors))
            result.append(
                Configuration(
                    contexts=tuple(model.element(c) for c in sorted(context_ids, key=rank)),
                    mechanism=model.element(mechanism),
                    outcome=model.element(outcome),
                    interventions=tuple(model.element(a) for a in triggers),
                    actors=tuple(actors),
                )
            )
    return tuple(result)


def _outcomes(model: ChangeModel, dag: GraphIndex, mechanism: str, proximal: bool) -> list[str]:
    seen = {mechanism}
    stack = [mechanism]
    found = []
    while stack:
        v = stack.pop()
        for link in dag.links_out[v]:
            w = link.target
            if w in seen:
                continue
            seen.add(w)
            kind = model.element(w).kind
            if kind is Kind.MECHANISM:
                continue
            if kind.is_outcome:
                found.append(w)
                if proximal:
                    continue
            stack.append(w)
    return sorted(found, key=dag.position.__getitem__)


def configuration_rows(model: ChangeModel, *, proximal: bool = True) -> list[dict[str, str]]:
    """The configurations as rows of text, ready for a table or a spreadsheet."""
    return [c.to_row() for c in configurations(model, proximal=proximal)]


_COLUMNS = ("intervention", "context", "actors", "mechanism", "outcome")


def format_configurations(items: Sequence[Configuration], format: str = "text") -> str:
    """Configurations as ``text``, a ``markdown`` table, ``csv`` (formula-safe) or ``json``."""
    if format == "text":
        lines = []
        for i, c in enumerate(items, start=1):
            row = c.to_row()
            lines.append(f"CMO {i}: {c.mechanism.id} -> {c.outcome.id}")
            for key in _COLUMNS:
                if row[key]:
                    lines.append(f"  {key + ':':<13} {row[key]}")
        return "\n".join(lines) + ("\n" if lines else "")
    if format == "json":
        return json.dumps([c.to_data() for c in items], indent=2, ensure_ascii=False) + "\n"
    rows = [[c.to_row()[k] for k in _COLUMNS] for c in items]
    header = [k.capitalize() for k in _COLUMNS]
    if format == "markdown":
        return "\n".join(md_table(header, rows)) + "\n"
    if format == "csv":
        return csv_text(header, rows)
    raise InvalidValueError(
        f"unknown format {format!r}; expected text, markdown, csv or json", value=format
    )


# ------------------------------------------------------------------ reverse

_ALIASES = {
    "c": "context",
    "context": "context",
    "contexts": "context",
    "m": "mechanism",
    "mechanism": "mechanism",
    "mechanisms": "mechanism",
    "o": "outcome",
    "outcome": "outcome",
    "outcomes": "outcome",
    "i": "intervention",
    "intervention": "intervention",
    "interventions": "intervention",
    "activity": "intervention",
    "a": "actors",
    "actor": "actors",
    "actors": "actors",
    "resource": "resource",
    "reasoning": "reasoning",
    "response": "reasoning",
    "evidence": "evidence",
    "source": "evidence",
}


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60].strip("_")
    if not slug or not slug[0].isalpha():
        slug = "x_" + slug
    return slug


def _parts(value: Any, row: int, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[Any] = value.split(";")
    elif isinstance(value, Iterable):
        items = value
    else:
        raise ConfigurationError(f"{key} must be text or a list of text, not {value!r}", row=row)
    out = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigurationError(f"{key} must be text, not {item!r}", row=row)
        if item.strip():
            out.append(one_line(item))
    return out


def from_configurations(
    rows: Iterable[Mapping[str, Any] | Configuration],
    *,
    title: str = "Realist programme theory",
    outcome_kind: Kind | str = Kind.PROCESS_OUTCOME,
) -> ChangeModel:
    """Build a model from configuration rows.

    Each row is a mapping with the columns ``context``, ``mechanism``,
    ``outcome`` and optionally ``intervention``, ``actors``, ``resource``,
    ``reasoning`` and ``evidence`` (case does not matter; ``C``/``M``/``O``
    work too), or a :class:`Configuration`. Several contexts, interventions
    or actors go in one cell separated by ``;``. The same text (ignoring case
    and spacing) in two rows is one element; ids are made from the text. The
    intervention leads to the mechanism, the mechanism to the outcome, and each
    context moderates the mechanism. Outcomes are of *outcome_kind*.
    Problems raise :class:`ConfigurationError` naming the row (from 1).
    """
    model = ChangeModel(title)
    made: dict[tuple[Kind, str], str] = {}
    outcome_class = element_class(outcome_kind)

    def element(kind: Kind, label: str, cls: type[Element]) -> str:
        key = (kind, label.casefold())
        if key in made:
            return made[key]
        base = _slug(label)
        id, n = base, 1
        while id in model or any(id.casefold() == e.id.casefold() for e in model.elements):
            n += 1
            id = f"{base}_{n}"
        model.add(cls(id, label))
        made[key] = id
        return id

    def link(source: str, target: str, relation: Relation, **fields: Any) -> None:
        key = (source, target, relation)
        if key not in {lk.key for lk in model.links_from(source)}:
            model.add(Link(source, target, relation=relation, **fields))

    for number, raw in enumerate(rows, start=1):
        row = _row(raw, number)
        mechanisms = _parts(row.get("mechanism"), number, "mechanism")
        outcomes = _parts(row.get("outcome"), number, "outcome")
        if len(mechanisms) != 1:
            raise ConfigurationError("a configuration needs exactly one mechanism", row=number)
        if not outcomes:
            raise ConfigurationError("a configuration needs an outcome", row=number)
        mid = element(Kind.MECHANISM, mechanisms[0], Mechanism)
        updates: dict[str, Any] = {}
        for key in ("resource", "reasoning"):
            text = row.get(key)
            if text is not None:
                old = getattr(model.element(mid), key)
                if old is not None and old != text:
                    raise ConfigurationError(
                        f"mechanism {mechanisms[0]!r} has two different {plural(key)}", row=number
                    )
                updates[key] = text
        actors = [Actor(name) for name in _parts(row.get("actors"), number, "actors")]
        new_actors = tuple(a for a in actors if a not in model.element(mid).actors)
        if new_actors:
            updates["actors"] = (*model.element(mid).actors, *new_actors)
        if updates:
            try:
                model.update(mid, **updates)
            except InvalidValueError as exc:
                raise ConfigurationError(str(exc), row=number) from None
        evidence = tuple(
            Evidence(note=note) for note in _parts(row.get("evidence"), number, "evidence")
        )
        for text in outcomes:
            oid = element(outcome_class.kind, text, outcome_class)
            link(mid, oid, Relation.LEADS_TO, evidence=evidence)
        for text in _parts(row.get("intervention"), number, "intervention"):
            link(element(Kind.ACTIVITY, text, Activity), mid, Relation.LEADS_TO)
        for text in _parts(row.get("context"), number, "context"):
            link(element(Kind.CONTEXT, text, Context), mid, Relation.MODERATES)
    return model


def _row(raw: Mapping[str, Any] | Configuration, number: int) -> dict[str, Any]:
    if isinstance(raw, Configuration):
        return dict(raw.to_row())
    if not isinstance(raw, Mapping):
        raise ConfigurationError(
            f"expected a mapping of columns, not {type(raw).__name__}", row=number
        )
    row: dict[str, Any] = {}
    for key, value in raw.items():
        name = _ALIASES.get(str(key).strip().casefold())
        if name is None:
            raise ConfigurationError(
                f"unknown column {key!r}; expected one of context, mechanism, outcome,"
                " intervention, actors, resource, reasoning, evidence",
                row=number,
            )
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        row[name] = value
    return row
