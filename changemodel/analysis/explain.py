"""What lies behind an outcome: the upstream part of the theory, as data and as text.

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer support")
>>> trust = m.mechanism("trust", "Trusting relationships")
>>> hope = m.process_outcome("hope", "Hope")
>>> _ = support >> trust >> hope
>>> _ = m.context("training", "Training and supervision", moderates=[trust])
>>> e = explain(m, "hope")
>>> [x.id for x in e.mechanisms], [x.id for x in e.contexts]
(['trust'], ['training'])
>>> print(e.to_text())
Hope (hope, process outcome)
  activities:
    - Peer support (support)
  mechanisms:
    - Trusting relationships (trust)
  contexts:
    - Training and supervision (training), moderates trust
  pathways from the activities: 1
  confidence of the best-supported pathway: very low (every step: no evidence)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from changemodel.analysis._dag import causal_index, ids, reach
from changemodel.analysis._data import plain
from changemodel.analysis.cmo import configurations
from changemodel.analysis.confidence import (
    PathwayConfidence,
    best_pathway_confidence,
    configuration_confidence,
)
from changemodel.analysis.loops import Loop, loops_through
from changemodel.domain import Element, Evidence, Kind, Link, Relation
from changemodel.model import ChangeModel

__all__ = ["LOOPS_SHOWN", "ConfigurationSupport", "EvidenceItem", "Explanation", "explain"]

#: How many of the loops through the outcome an explanation lists.
LOOPS_SHOWN = 10


@attrs.frozen
class EvidenceItem:
    """A piece of evidence and what it supports: an element id or a link id."""

    subject: str
    evidence: Evidence


@attrs.frozen
class ConfigurationSupport:
    """A stored configuration that names the outcome, its status and its confidence
    (see :func:`~changemodel.analysis.confidence.configuration_confidence`)."""

    id: str
    status: str
    confidence: PathwayConfidence

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"id": self.id, "status": self.status, "confidence": self.confidence.to_data()}

    def __str__(self) -> str:
        return f"{self.id} ({self.status}): {self.confidence}"


@attrs.frozen
class Explanation:
    """Everything upstream of an outcome, grouped by kind, each group in causal order.

    ``contexts`` are those moderating the outcome or anything upstream of it
    (``moderated`` says what each one moderates); ``assumptions`` are the ids
    listed on the causal links upstream (and any assumption element upstream);
    ``links`` are those causal links; ``evidence`` is every piece of evidence on
    the upstream elements and links. ``loops`` are the feedback loops through
    the outcome (at most :data:`LOOPS_SHOWN`; see :mod:`~changemodel.analysis.loops`).
    """

    outcome: Element
    inputs: tuple[Element, ...]
    activities: tuple[Element, ...]
    outputs: tuple[Element, ...]
    mechanisms: tuple[Element, ...]
    process_outcomes: tuple[Element, ...]
    downstream_outcomes: tuple[Element, ...]
    contexts: tuple[Element, ...]
    moderated: tuple[tuple[str, tuple[str, ...]], ...]
    assumptions: tuple[str, ...]
    links: tuple[Link, ...]
    evidence: tuple[EvidenceItem, ...]
    theories: tuple[str, ...]
    pathways: int
    #: the best-supported pathway's confidence (see :mod:`.confidence`), or ``None``
    #: when no activity leads to the outcome
    confidence: PathwayConfidence | None = None
    loops: tuple[Loop, ...] = ()
    #: the stored configurations naming the outcome, each with its confidence
    configurations: tuple[ConfigurationSupport, ...] = ()

    def moderates(self, context: str) -> tuple[str, ...]:
        """What the context *context* moderates among the outcome and its upstream."""
        return dict(self.moderated).get(context, ())

    @property
    def upstream(self) -> tuple[Element, ...]:
        """Every causal element upstream of the outcome (contexts not included)."""
        return (
            *self.inputs,
            *self.activities,
            *self.outputs,
            *self.mechanisms,
            *self.process_outcomes,
            *self.downstream_outcomes,
        )

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: each group as ``{"id", "label"}`` entries in causal order."""

        def brief(elements: Iterable[Element]) -> list[dict[str, str]]:
            return [{"id": e.id, "label": e.label} for e in elements]

        return {
            "outcome": {
                "id": self.outcome.id,
                "kind": self.outcome.kind.value,
                "label": self.outcome.label,
            },
            "inputs": brief(self.inputs),
            "activities": brief(self.activities),
            "outputs": brief(self.outputs),
            "mechanisms": brief(self.mechanisms),
            "process_outcomes": brief(self.process_outcomes),
            "downstream_outcomes": brief(self.downstream_outcomes),
            "contexts": [
                {"id": c.id, "label": c.label, "moderates": list(self.moderates(c.id))}
                for c in self.contexts
            ],
            "assumptions": list(self.assumptions),
            "theories": list(self.theories),
            "evidence": [
                {"subject": item.subject, **plain(item.evidence)} for item in self.evidence
            ],
            "pathways": self.pathways,
            "confidence": None if self.confidence is None else self.confidence.to_data(),
            "loops": [loop.to_data() for loop in self.loops],
            "configurations": [c.to_data() for c in self.configurations],
        }

    def to_text(self, model: ChangeModel | None = None) -> str:
        """A readable summary; with the *model*, assumptions and theories are shown
        with their labels and names."""
        o = self.outcome
        lines = [f"{o.label} ({o.id}, {o.kind.label})"]

        def group(title: str, items: Iterable[str]) -> None:
            items = list(items)
            if items:
                lines.append(f"  {title}:")
                lines.extend(f"    - {item}" for item in items)

        for title, elements in (
            ("inputs", self.inputs),
            ("activities", self.activities),
            ("outputs", self.outputs),
            ("mechanisms", self.mechanisms),
            ("process outcomes", self.process_outcomes),
            ("downstream outcomes", self.downstream_outcomes),
        ):
            group(title, (f"{_one_line(e.label)} ({e.id})" for e in elements))
        group(
            "contexts",
            (
                f"{_one_line(c.label)} ({c.id}), moderates {', '.join(self.moderates(c.id))}"
                if self.moderates(c.id)
                else f"{_one_line(c.label)} ({c.id}), upstream"
                for c in self.contexts
            ),
        )

        def assumption(id: str) -> str:
            if model is not None and id in model:
                return f"{_one_line(model.element(id).label)} ({id})"
            return id

        group("assumptions", (assumption(a) for a in self.assumptions))
        known = {t.id: t.name for t in model.theories} if model is not None else {}
        group(
            "theories",
            (f"{_one_line(known[t])} ({t})" if t in known else t for t in self.theories),
        )
        group("evidence", (_evidence_text(item) for item in self.evidence))
        lines.append(f"  pathways from the activities: {self.pathways}")
        if self.confidence is not None:
            lines.append(f"  confidence of the best-supported pathway: {self.confidence}")
        group("configurations naming it", (str(c) for c in self.configurations))
        group(f"loops through {o.id}", (str(loop) for loop in self.loops))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _evidence_text(item: EvidenceItem) -> str:
    ev = item.evidence
    parts = [p for p in (ev.reference, ev.status and str(ev.status), ev.strength) if p]
    text = f"{item.subject}: {', '.join(str(p) for p in parts)}"
    if ev.quote:
        text += f' "{_one_line(ev.quote)}"'
    elif ev.note:
        text += f" ({_one_line(ev.note)})"
    return text


def explain(model: ChangeModel, outcome: str) -> Explanation:
    """What leads to *outcome*: the elements upstream of it by kind, the contexts
    moderating any of them, the assumptions and evidence on the way, and the
    number of pathways from the model's activities, the first
    :data:`LOOPS_SHOWN` feedback loops through the outcome, and the stored
    configurations naming it as an outcome, with their confidence.

    Linear in the size of the model. Unknown ids raise
    :class:`~changemodel.errors.UnknownIdError` with the closest id.
    """
    dag = causal_index(model)
    (goal,) = ids(model, outcome)
    above = reach(dag, [goal], forward=False)
    ordered = sorted(above, key=dag.position.__getitem__)
    by_kind: dict[Kind, list[Element]] = {k: [] for k in Kind}
    for id in ordered:
        if id != goal:
            element = model.element(id)
            by_kind[element.kind].append(element)

    moderated: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES and link.target in above:
            moderated.setdefault(link.source, []).append(link.target)
    for element in by_kind[Kind.CONTEXT]:
        moderated.setdefault(element.id, [])
    contexts = sorted(moderated, key=dag.position.__getitem__)
    for targets in moderated.values():
        targets.sort(key=dag.position.__getitem__)

    links = tuple(link for id in ordered for link in dag.links_in[id] if link.source in above)
    # assumption elements inside the causal chain (a modelling slip that
    # validation reports) are assumptions all the same
    assumptions: dict[str, None] = {e.id: None for e in by_kind[Kind.ASSUMPTION]}
    theories: dict[str, None] = {}
    evidence: list[EvidenceItem] = []
    for id in ordered:
        element = model.element(id)
        evidence.extend(EvidenceItem(id, ev) for ev in element.evidence)
        theories.update(dict.fromkeys(element.theories))
    for link in links:
        assumptions.update(dict.fromkeys(link.assumptions))
        theories.update(dict.fromkeys(link.theories))
        evidence.extend(EvidenceItem(link.id, ev) for ev in link.evidence)
    for id in contexts:
        if id not in above:
            evidence.extend(EvidenceItem(id, ev) for ev in model.element(id).evidence)
            theories.update(dict.fromkeys(model.element(id).theories))

    activities = [e.id for e in by_kind[Kind.ACTIVITY]]
    pathways = dag.forward_counts(activities)[goal] if activities else 0
    return Explanation(
        outcome=model.element(goal),
        inputs=tuple(by_kind[Kind.INPUT]),
        activities=tuple(by_kind[Kind.ACTIVITY]),
        outputs=tuple(by_kind[Kind.OUTPUT]),
        mechanisms=tuple(by_kind[Kind.MECHANISM]),
        process_outcomes=tuple(by_kind[Kind.PROCESS_OUTCOME]),
        downstream_outcomes=tuple(by_kind[Kind.DOWNSTREAM_OUTCOME]),
        contexts=tuple(model.element(c) for c in contexts),
        moderated=tuple((c, tuple(moderated[c])) for c in contexts),
        assumptions=tuple(assumptions),
        links=links,
        evidence=tuple(evidence),
        theories=tuple(theories),
        pathways=pathways,
        confidence=best_pathway_confidence(model, activities, goal) if activities else None,
        loops=tuple(loops_through(model, goal, limit=LOOPS_SHOWN)),
        configurations=tuple(
            ConfigurationSupport(c.id, c.status_text, configuration_confidence(model, c.id))
            for c in configurations(model, derived=False)
            if goal in {o.id for o in c.outcomes}
        ),
    )
