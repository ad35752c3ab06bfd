"""Testable hypotheses: one proposition per pathway or configuration, saying what
should be observed, in whom, under which contexts, by which indicator at which
timepoint and compared with what.

A hypothesis reads "if ..., then, through ..., ... should ..., given ...":
the direction words respect labels already phrased as a change (see
:mod:`changemodel.text`). Each one lists its *observations* (one per
mechanism and outcome on it: the change expected, the indicator, its
timepoints and its comparator, or that nothing measures it yet), the actors
in whom the change is expected, the contexts, the assumptions, the evidence,
and its confidence along the pathway (see :mod:`.confidence`). A pathway that
ends in an unintended outcome is not an aim: it becomes a *monitor* item
("Monitor for ...").

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer workers support service users")
>>> trust = m.mechanism("trust", "Trusting relationships")
>>> hope = m.process_outcome("hope", "Hope", actors=["service user"], indicators=[
...     {"name": "Herth Hope Index", "timepoints": ["baseline", "6 months"]}])
>>> admissions = m.downstream_outcome("admissions", "Fewer psychiatric admissions")
>>> _ = support >> trust >> hope
>>> _ = hope.reduces(admissions)
>>> _ = m.context("training", "Peer workers are trained", moderates=[trust])
>>> (h,) = iter_hypotheses(m, limit=10)
>>> import textwrap
>>> print(textwrap.fill(h.text, 78))
If peer workers support service users, then, through trusting relationships,
hope should increase, and then fewer psychiatric admissions should follow,
when peer workers are trained.
>>> for o in h.observations:
...     print(o)
trusting relationships (trust): no indicator yet
an increase in hope (hope) in service users: Herth Hope Index at 6 months, compared with baseline
fewer psychiatric admissions (admissions): no indicator yet
>>> [(i.subject, i.indicator.name) for i in h.indicators], h.untested
([('hope', 'Herth Hope Index')], ('trust', 'admissions'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs

from changemodel.analysis._dag import causal_index, ids
from changemodel.analysis._data import plain
from changemodel.analysis._text import one_line
from changemodel.analysis.cmo import Configuration, configurations
from changemodel.analysis.confidence import PathwayConfidence, pathway_confidence, weakest
from changemodel.analysis.confidence import _element_step as element_step
from changemodel.analysis.confidence import _link_step as link_step
from changemodel.analysis.explain import EvidenceItem
from changemodel.analysis.pathways import Pathway, _limit, _walk
from changemodel.domain import Actor, Element, Indicator, Kind, Link, Relation, Sign
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel
from changemodel.text import (
    activity_clause,
    capitalise,
    conditions,
    count,
    direction_of,
    expected_change,
    join,
    names_its_change,
    net_sign,
    phrase,
    plural,
    should_change,
)

__all__ = [
    "Hypothesis",
    "IndicatorItem",
    "Observation",
    "configuration_hypotheses",
    "format_hypotheses",
    "is_unintended",
    "iter_hypotheses",
    "pathway_hypothesis",
]


@attrs.frozen
class IndicatorItem:
    """An indicator and the element it measures."""

    subject: str
    indicator: Indicator


def is_unintended(element: Element) -> bool:
    """Whether *element* is an unintended outcome: ``intended: false`` on the element,
    or a tag ``unintended``."""
    if getattr(element, "intended", True) is False:
        return True
    return any(t.casefold() in ("unintended", "unintended outcome") for t in element.tags)


def _comparator(indicator: Indicator) -> str | None:
    if indicator.baseline:
        return f"baseline {one_line(indicator.baseline)}"
    if any(t.casefold().startswith(("baseline", "pre-")) for t in indicator.timepoints):
        return "baseline"
    return None


@attrs.frozen
class Observation:
    """What should be observed in one element of a hypothesis: the expected change,
    in whom, and how it is measured (``indicator`` is ``None`` when nothing measures
    it yet). ``timepoints`` are when the change is looked for (the baseline left
    out), ``comparator`` what it is compared with (the indicator's baseline), or
    ``None`` when the model states none."""

    element: str
    expected: str
    actors: tuple[Actor, ...] = ()
    indicator: Indicator | None = None
    timepoints: tuple[str, ...] = ()
    comparator: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON (the indicator as a mapping)."""
        return {
            "element": self.element,
            "expected": self.expected,
            "actors": plain(self.actors),
            "indicator": None if self.indicator is None else plain(self.indicator),
            "timepoints": list(self.timepoints),
            "comparator": self.comparator,
        }

    def __str__(self) -> str:
        text = f"{self.expected} ({self.element})"
        if self.actors:
            text += f" in {join([plural(one_line(a.name)) for a in self.actors])}"
        if self.indicator is None:
            return text + ": no indicator yet"
        i = self.indicator
        text += f": {one_line(i.name)}"
        if i.instrument and i.instrument != i.name:
            text += f" ({one_line(i.instrument)})"
        if self.timepoints:
            text += f" at {join([one_line(t) for t in self.timepoints])}"
        else:
            text += ", no timepoint stated"
        if self.comparator:
            text += f", compared with {self.comparator}"
        else:
            text += ", no baseline or comparator stated"
        if i.data_source:
            text += f", from {one_line(i.data_source)}"
        return text


def _observations(element: Element, sign: Sign | str) -> list[Observation]:
    if element.kind is Kind.MECHANISM:  # a mechanism fires (or, on a reducing chain, less)
        expected = phrase(element.label)
        if str(sign) == "reduces":
            expected = f"less of {expected}"
    else:
        expected = expected_change(element.label, str(sign))
    if not element.indicators:
        return [Observation(element.id, expected, element.actors)]
    return [
        Observation(
            element.id,
            expected,
            element.actors,
            i,
            tuple(t for t in i.timepoints if not t.casefold().startswith("baseline")),
            _comparator(i),
        )
        for i in element.indicators
    ]


@attrs.frozen
class Hypothesis:
    """A testable proposition and what would test it.

    ``kind`` is ``"test"`` for a hypothesis and ``"monitor"`` for a pathway to an
    unintended outcome. ``elements`` are the elements it runs through (for a
    configuration: the interventions, the mechanism and the outcome);
    ``observations`` say what to observe in each mechanism and outcome among them;
    ``untested`` are the ids of those with no indicator; ``actors`` the people in
    whom the change is expected; ``confidence`` how well supported the chain is.
    """

    text: str
    elements: tuple[Element, ...]
    contexts: tuple[Element, ...]
    indicators: tuple[IndicatorItem, ...]
    untested: tuple[str, ...]
    assumptions: tuple[str, ...]
    evidence: tuple[EvidenceItem, ...]
    sign: Sign = Sign.INCREASES
    kind: Literal["test", "monitor"] = "test"
    observations: tuple[Observation, ...] = ()
    actors: tuple[Actor, ...] = ()
    confidence: PathwayConfidence | None = None
    id: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "sign": self.sign.value,
            "elements": [e.id for e in self.elements],
            "contexts": [c.id for c in self.contexts],
            "actors": plain(self.actors),
            "observations": [o.to_data() for o in self.observations],
            "indicators": [{"subject": i.subject, **plain(i.indicator)} for i in self.indicators],
            "untested": list(self.untested),
            "assumptions": list(self.assumptions),
            "evidence": [{"subject": e.subject, **plain(e.evidence)} for e in self.evidence],
            "confidence": None if self.confidence is None else self.confidence.to_data(),
        }

    @property
    def testable(self) -> bool:
        """True when every mechanism and outcome on it has an indicator."""
        return not self.untested


def _moderators(model: ChangeModel) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES:
            found.setdefault(link.target, []).append(link.source)
    return found


def _support(
    model: ChangeModel, elements: Iterable[Element], links: Iterable[Link]
) -> tuple[tuple[IndicatorItem, ...], tuple[str, ...], tuple[str, ...], tuple[EvidenceItem, ...]]:
    indicators: list[IndicatorItem] = []
    untested: list[str] = []
    evidence: list[EvidenceItem] = []
    assumptions: dict[str, None] = {}
    for e in elements:
        indicators.extend(IndicatorItem(e.id, i) for i in e.indicators)
        if not e.indicators and (e.kind is Kind.MECHANISM or e.kind.is_outcome):
            untested.append(e.id)
        evidence.extend(EvidenceItem(e.id, ev) for ev in e.evidence)
    for link in links:
        assumptions.update(dict.fromkeys(link.assumptions))
        evidence.extend(EvidenceItem(link.id, ev) for ev in link.evidence)
    return tuple(indicators), tuple(untested), tuple(assumptions), tuple(evidence)


def _contexts(model: ChangeModel, dag: GraphIndex, ids: Iterable[str]) -> tuple[Element, ...]:
    moderators = _moderators(model)
    found: dict[str, None] = {}
    for v in ids:
        found.update(dict.fromkeys(moderators.get(v, ())))
    return tuple(model.element(c) for c in sorted(found, key=dag.position.__getitem__))


def _actors(elements: Iterable[Element]) -> tuple[Actor, ...]:
    """The actors in whom a change is expected: those named on the mechanisms and
    outcomes, else those named on the rest."""
    elements = list(elements)
    responding = [e for e in elements if e.kind is Kind.MECHANISM or e.kind.is_outcome]
    found: dict[Actor, None] = {}
    for e in responding or elements:
        found.update(dict.fromkeys(e.actors))
    if not found:
        for e in elements:
            found.update(dict.fromkeys(e.actors))
    return tuple(found)


def pathway_hypothesis(
    model: ChangeModel, pathway: Pathway, dag: GraphIndex | None = None
) -> Hypothesis:
    """The hypothesis that a pathway states (a *monitor* item when it ends in an
    unintended outcome)."""
    dag = dag or causal_index(model)
    elements = tuple(model.element(v) for v in pathway.elements)
    start = elements[0]
    through: list[str] = []
    outcomes: list[str] = []
    observations: list[Observation] = []
    signs: list[str] = []
    final = "increases"
    for element, link in zip(elements[1:], pathway.links, strict=True):
        signs.append(link.sign.value)
        sign: str = net_sign(signs)
        if element.kind.is_outcome:
            outcomes.append(should_change(element.label, sign))
        elif not outcomes and element.kind is Kind.MECHANISM:
            step = phrase(element.label)
            if sign == "reduces" and direction_of(element.label)[0] is None:
                step = f"less of {step}"
            through.append(step)
        if element.kind is Kind.MECHANISM or element.kind.is_outcome:
            observations.extend(_observations(element, sign))
        if names_its_change(element.label, sign):
            # "decreased self-stigma" reached by a reducing link is the decrease written
            # twice: the links after it count from the change the label names
            signs = []
            final = sign
        else:
            final = net_sign(signs)
    net = Sign(final)
    contexts = _contexts(model, dag, pathway.elements)
    condition = conditions(c.label for c in contexts)
    last = elements[-1]
    kind: Literal["test", "monitor"] = "test"
    if last.kind.is_outcome and is_unintended(last):
        kind = "monitor"
        text = f"Monitor for {expected_change(last.label, net.value)}"
        text += f", which may follow if {activity_clause(start.label)}"
        if through:
            text += f" through {join(through)}"
    else:
        text = f"If {activity_clause(start.label)}, then"
        if through:
            text += f", through {join(through)},"
        if outcomes:
            text += " " + ", and then ".join(outcomes)
        else:
            text += f" {should_change(last.label, net.value)}"
    if condition:
        text += f", {condition}"
    indicators, untested, assumptions, evidence = _support(model, elements, pathway.links)
    return Hypothesis(
        text + ".",
        elements,
        contexts,
        indicators,
        untested,
        assumptions,
        evidence,
        net,
        kind=kind,
        observations=tuple(observations),
        actors=_actors(elements),
        confidence=pathway_confidence(model, pathway.elements, pathway.links),
    )


def iter_hypotheses(
    model: ChangeModel, *, limit: int, outcome: str | None = None
) -> Iterator[Hypothesis]:
    """Yield up to *limit* pathway hypotheses, lazily: one per pathway from an
    activity to *outcome*, or (``None``) to each final outcome (an outcome no
    causal link leaves). Pathways to unintended outcomes come as *monitor* items."""
    _limit(limit)
    dag = causal_index(model)
    activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]
    if outcome is not None:
        goals = ids(model, outcome)
    else:
        goals = [v for v in dag.order if model.element(v).kind.is_outcome and not dag.links_out[v]]
    produced = 0
    for goal in goals:
        for pathway in _walk(dag, activities, goal, limit - produced):
            yield pathway_hypothesis(model, pathway, dag)
            produced += 1
        if produced >= limit:
            return


def configuration_hypotheses(model: ChangeModel) -> tuple[Hypothesis, ...]:
    """One realist hypothesis per CMO configuration (see :mod:`.cmo`)."""
    dag = causal_index(model)
    return tuple(_configuration_hypothesis(model, dag, c) for c in configurations(model))


def _configuration_hypothesis(model: ChangeModel, dag: GraphIndex, c: Configuration) -> Hypothesis:
    elements = (*c.interventions, c.mechanism, c.outcome)
    ids = {e.id for e in elements}
    links = [lk for v in ids for lk in dag.links_out[v] if lk.target in ids]
    signs = [lk.sign.value for lk in links if lk.source == c.mechanism.id][:1]
    sign = net_sign(signs)
    monitor = is_unintended(c.outcome)
    whom = f" in {join([plural(one_line(a.name)) for a in c.actors])}" if c.actors else ""
    if c.interventions:
        subject = join([phrase(a.label) for a in c.interventions])
        trigger = f"{subject} should bring about {phrase(c.mechanism.label)}{whom}"
    else:
        trigger = f"{phrase(c.mechanism.label)} should be triggered{whom}"
    if monitor:
        text = (
            f"Monitor for {expected_change(c.outcome.label, sign)}"
            f" through {phrase(c.mechanism.label)}"
        )
    else:
        text = f"{trigger}, and {should_change(c.outcome.label, sign)}"
    condition = conditions(x.label for x in c.contexts)
    if condition:
        text = f"{capitalise(condition)}, {text}"
    text = capitalise(text) + "."
    indicators, untested, assumptions, evidence = _support(model, elements, links)
    observations = [
        *_observations(c.mechanism, "increases"),
        *_observations(c.outcome, sign),
    ]
    steps = [element_step(e) for e in elements] + [link_step(lk) for lk in links]
    return Hypothesis(
        text,
        elements,
        c.contexts,
        indicators,
        untested,
        assumptions,
        evidence,
        Sign(sign),
        kind="monitor" if monitor else "test",
        observations=tuple(observations),
        actors=c.actors,
        confidence=weakest(steps),
    )


def format_hypotheses(items: Iterable[Hypothesis]) -> str:
    """Numbered hypotheses (H1, H2 ...) and monitor items (M1 ...), each with what
    to observe, in whom, how it is measured and how well supported it is."""
    lines = []
    numbers = {"test": 0, "monitor": 0}
    for h in items:
        numbers[h.kind] += 1
        label = h.id or f"{'H' if h.kind == 'test' else 'M'}{numbers[h.kind]}"
        lines.append(f"{label}. {h.text}")
        if h.actors:
            whom = join([plural(one_line(a.name)) for a in h.actors])
            lines.append(f"    in whom: {whom}")
        for o in h.observations:
            lines.append(f"    observe: {o}")
        if h.confidence is not None:
            lines.append(f"    confidence: {h.confidence}")
        lines.append(f"    runs through: {' -> '.join(e.id for e in h.elements)}")
        if h.assumptions:
            lines.append(f"    assumes: {join(list(h.assumptions))}")
        if h.evidence:
            lines.append(f"    evidence: {count(len(h.evidence), 'item')}")
    return "\n".join(lines) + ("\n" if lines else "")
