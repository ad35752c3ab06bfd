"""Confidence along a pathway: how well supported each step is, and the whole chain.

Each step of a pathway (each element on it and each causal link between them)
gets a level on the GRADE-CERQual scale (high, moderate, low, very low) from
what the model records about it:

- each piece of evidence gives a level from its status (``reported``: high,
  ``theorised``: moderate, ``inferred``: low, ``hypothesised``: very low, not
  stated: low), capped by its strength (``weak``: at most low, ``moderate``:
  at most moderate); the best-supported piece counts;
- a link's own ``confidence`` (a number between 0 and 1) gives a level too
  (0.8 and above: high, 0.6: moderate, 0.4: low, below: very low); when a link
  has both, the lower level counts, since either judgement may be the one
  that spots the weakness;
- a step with neither is *unsupported* and counts as very low.

**The pathway's level is that of its weakest step** (the minimum). A causal
chain holds only if every step holds, so it cannot be better supported than
its least supported step; and ordinal levels such as CERQual's do not
multiply (a product of numbers would need calibrated probabilities that
models do not have). The weakest steps are named, since they are where an
evaluation learns most. The product of link confidences remains available as
:meth:`Pathway.confidence <changemodel.analysis.pathways.Pathway.confidence>`.

**A configuration's level** (:func:`configuration_confidence`) follows the same
rule over the chain it asserts (its intervention, mechanisms and outcomes, and
the causal links between them, as the graph holds them) plus one step for the
configuration itself: its GRADE-CERQual level when it states one, else the
level of its own evidence. A CERQual judgement is about the finding as a
whole, the chain about each step that finding needs; the finding cannot be
better supported than either, so the lower counts. A link the configuration
asserts but the graph lacks is unsupported. The contexts are judged within the
CERQual level, not step by step: a configuration's contexts are part of its
finding, not links of a chain.

>>> m = ChangeModel("Two steps")
>>> a = m.activity("a", "Coaching", evidence=[{"note": "trial", "status": "reported"}])
>>> b = m.mechanism("b", "Self-efficacy", evidence=[{"note": "x", "status": "theorised"}])
>>> c = m.process_outcome("c", "Self-care", evidence=[{"note": "y", "status": "reported"}])
>>> _ = a.leads_to(b, evidence=[{"note": "z", "status": "reported"}])
>>> _ = b.leads_to(c, confidence=0.5)
>>> conf = pathway_confidence(m, ("a", "b", "c"))
>>> print(conf)
low (weakest: b->c, confidence 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any, Final

import attrs

from changemodel.analysis._dag import causal_index, reach
from changemodel.domain import (
    Configuration,
    Element,
    Evidence,
    EvidenceStatus,
    Link,
    Relation,
    Strength,
)
from changemodel.errors import UnknownIdError
from changemodel.model import ChangeModel
from changemodel.text import join

__all__ = [
    "LEVELS",
    "RULE",
    "PathwayConfidence",
    "Step",
    "best_pathway_confidence",
    "configuration_confidence",
    "level_of",
    "pathway_confidence",
    "weakest",
]

#: The GRADE-CERQual levels, lowest first.
LEVELS: Final = ("very low", "low", "moderate", "high")
#: How a pathway's level is computed from its steps.
RULE: Final = "weakest link"

_STATUS: Final = {
    EvidenceStatus.REPORTED: "high",
    EvidenceStatus.THEORISED: "moderate",
    EvidenceStatus.INFERRED: "low",
    EvidenceStatus.HYPOTHESISED: "very low",
}
_CAP: Final = {Strength.WEAK: "low", Strength.MODERATE: "moderate", Strength.STRONG: "high"}


def _rank(level: str) -> int:
    return LEVELS.index(level)


def _lower(a: str, b: str) -> str:
    return a if _rank(a) <= _rank(b) else b


def _evidence_level(ev: Evidence) -> tuple[str, str]:
    level = _STATUS[ev.status] if ev.status is not None else "low"
    reason = str(ev.status) if ev.status is not None else "status not stated"
    if ev.strength is not None:
        level = _lower(level, _CAP[ev.strength])
        reason += f", {ev.strength} evidence"
    return level, reason


def _number_level(confidence: float) -> str:
    if confidence >= 0.8:
        return "high"
    if confidence >= 0.6:
        return "moderate"
    if confidence >= 0.4:
        return "low"
    return "very low"


def level_of(evidence: Iterable[Evidence], confidence: float | None = None) -> tuple[str, str]:
    """The level of one step and the reason, from its evidence and its confidence.

    >>> level_of([Evidence(note="n", status="inferred")])
    ('low', 'inferred')
    >>> level_of([Evidence(note="n", status="reported", strength="weak")], 0.9)
    ('low', 'reported, weak evidence')
    >>> level_of([])
    ('very low', 'no evidence')
    """
    best: tuple[str, str] | None = None
    for ev in evidence:
        found = _evidence_level(ev)
        if best is None or _rank(found[0]) > _rank(best[0]):
            best = found
    if confidence is not None:
        number = (_number_level(confidence), f"confidence {confidence:g}")
        if best is None or _rank(number[0]) < _rank(best[0]):
            best = number
    return best if best is not None else ("very low", "no evidence")


@attrs.frozen
class Step:
    """One step of a pathway: an element or a link, with its level and why."""

    subject: str
    what: str  # "element", "link" or "configuration"
    level: str
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}, {self.reason}"


@attrs.frozen
class PathwayConfidence:
    """A pathway's confidence: its level (see :data:`RULE`), the weakest steps and
    every step, in order along the pathway."""

    level: str
    weakest: tuple[Step, ...]
    steps: tuple[Step, ...]
    rule: str = RULE

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the level, the rule, the weakest steps and every step."""
        return {
            "level": self.level,
            "rule": self.rule,
            "weakest": [attrs.asdict(s) for s in self.weakest],
            "steps": [attrs.asdict(s) for s in self.steps],
        }

    def __str__(self) -> str:
        if not self.weakest:
            return self.level
        reasons = {s.reason for s in self.weakest}
        if len(self.weakest) == len(self.steps) and len(reasons) == 1:
            return f"{self.level} (every step: {reasons.pop()})"
        shown = [str(s) for s in self.weakest[:3]]
        if len(self.weakest) > 3:
            shown.append(f"{len(self.weakest) - 3} more")
        return f"{self.level} (weakest: {join(shown)})"


def _element_step(element: Element) -> Step:
    level, reason = level_of(element.evidence)
    return Step(element.id, "element", level, reason)


def _link_step(link: Link) -> Step:
    level, reason = level_of(link.evidence, link.confidence)
    return Step(link.id, "link", level, reason)


def weakest(steps: Sequence[Step]) -> PathwayConfidence:
    """The confidence of a chain of *steps*: the level of the weakest."""
    if not steps:
        return PathwayConfidence("very low", (), ())
    low = min((s.level for s in steps), key=_rank)
    return PathwayConfidence(low, tuple(s for s in steps if s.level == low), tuple(steps))


def pathway_confidence(
    model: ChangeModel, elements: Sequence[str], links: Sequence[Link] | None = None
) -> PathwayConfidence:
    """The confidence of the pathway through *elements* (ids in order), using
    *links* between them, or the model's causal links when not given."""
    if links is None:
        links = [model.get_link(s, t) for s, t in pairwise(elements)]
    steps: list[Step] = []
    for i, id in enumerate(elements):
        steps.append(_element_step(model.element(id)))
        if i < len(links):
            steps.append(_link_step(links[i]))
    return weakest(steps)


def best_pathway_confidence(
    model: ChangeModel, sources: Iterable[str], target: str
) -> PathwayConfidence | None:
    """The confidence of the best-supported pathway from *sources* to *target*
    (the pathway whose weakest step is strongest), or ``None`` when none runs.

    One pass over the causal order (a widest-path search): linear in the
    number of links, whatever the number of pathways.
    """
    dag = causal_index(model)
    useful = reach(dag, [target], forward=False)
    best: dict[str, int] = {}
    via: dict[str, Link | None] = {}
    for s in sources:
        if s in useful:
            best[s] = _rank(_element_step(model.element(s)).level)
            via[s] = None
    for v in dag.order:
        if v not in best:
            continue
        for link in dag.links_out[v]:
            w = link.target
            if w not in useful:
                continue
            rank = min(
                best[v],
                _rank(_link_step(link).level),
                _rank(_element_step(model.element(w)).level),
            )
            if w not in best or rank > best[w]:
                best[w] = rank
                via[w] = link
    if target not in best:
        return None
    links: list[Link] = []
    back = via[target]
    while back is not None:
        links.append(back)
        back = via[back.source]
    links.reverse()
    elements = [links[0].source, *(lk.target for lk in links)] if links else [target]
    return pathway_confidence(model, elements, links)


def configuration_confidence(model: ChangeModel, config: Configuration | str) -> PathwayConfidence:
    """The confidence of a stored configuration (*config* or its id): the weakest of
    its own step (its CERQual level, else its evidence) and the steps of the chain
    it asserts (see the module's text for the rule).

    >>> m = ChangeModel("Groups")
    >>> _ = m.mechanism("trust", "Trust", evidence=[{"note": "n", "status": "reported"}])
    >>> _ = m.process_outcome("talk", "Disclosure", evidence=[{"note": "n", "status": "reported"}])
    >>> _ = m.context("small", "A small group")
    >>> c = m.configuration("C1", contexts=["small"], mechanisms=["trust"], outcomes=["talk"],
    ...                     confidence="moderate", link=False)
    >>> print(configuration_confidence(m, "C1"))
    very low (weakest: trust->talk, not in the graph)
    >>> _ = m.link("trust", "talk", evidence=[{"note": "n", "status": "reported"}])
    >>> print(configuration_confidence(m, "C1"))
    moderate (weakest: C1, CERQual moderate)
    """
    if isinstance(config, str):
        config = model.get_configuration(config)
    if config.confidence is not None:
        own = Step(config.id, "configuration", config.confidence.level.value, "")
        own = attrs.evolve(own, reason=f"CERQual {own.level}")
    else:
        level, reason = level_of(config.evidence)
        if reason == "no evidence":
            reason = "no CERQual level or evidence"
        own = Step(config.id, "configuration", level, reason)
    steps = [own]
    for part in ("intervention", "mechanisms", "outcomes"):
        steps.extend(_element_step(model.element(e)) for e in getattr(config, part) if e in model)
    for asserted in model.asserted_links(config):
        if asserted.relation is not Relation.LEADS_TO:
            continue
        try:
            link = model.get_link(asserted.source, asserted.target)
        except UnknownIdError:
            steps.append(Step(asserted.id, "link", "very low", "not in the graph"))
        else:
            steps.append(_link_step(link))
    return weakest(steps)
