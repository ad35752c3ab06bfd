"""Testable hypotheses: one plain-language proposition per pathway or configuration.

Each hypothesis says "if ..., through ..., then ..., when ..." (several contexts
are separated by semicolons, since their labels often hold commas) and carries the
indicators that would test it, the elements on it that nothing measures yet,
the assumptions it rests on and the evidence behind it.

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer workers support service users")
>>> trust = m.mechanism("trust", "Trusting relationships")
>>> hope = m.process_outcome("hope", "Hope", indicators=[{"name": "Herth Hope Index"}])
>>> admissions = m.downstream_outcome("admissions", "Psychiatric admissions")
>>> _ = support >> trust >> hope
>>> _ = hope.reduces(admissions)
>>> _ = m.context("training", "Peer workers are trained", moderates=[trust])
>>> (h,) = iter_hypotheses(m, limit=10)
>>> import textwrap
>>> print(textwrap.fill(h.text, 78))
If peer workers support service users, then, through trusting relationships,
hope should increase, and then psychiatric admissions should fall, when peer
workers are trained.
>>> [(i.subject, i.indicator.name) for i in h.indicators], h.untested
([('hope', 'Herth Hope Index')], ('trust', 'admissions'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from changemodel.analysis._dag import causal_index, ids
from changemodel.analysis._data import plain
from changemodel.analysis._text import one_line
from changemodel.analysis.cmo import Configuration, configurations
from changemodel.analysis.explain import EvidenceItem
from changemodel.analysis.pathways import Pathway, _limit, _walk
from changemodel.domain import Element, Indicator, Kind, Link, Relation, Sign
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel

__all__ = [
    "Hypothesis",
    "IndicatorItem",
    "configuration_hypotheses",
    "format_hypotheses",
    "iter_hypotheses",
    "pathway_hypothesis",
]


@attrs.frozen
class IndicatorItem:
    """An indicator and the element it measures."""

    subject: str
    indicator: Indicator


@attrs.frozen
class Hypothesis:
    """A testable proposition and what would test it.

    ``elements`` are the elements it runs through (for a configuration:
    the interventions, the mechanism and the outcome); ``untested`` the ids of
    the mechanisms and outcomes among them that have no indicator.
    """

    text: str
    elements: tuple[Element, ...]
    contexts: tuple[Element, ...]
    indicators: tuple[IndicatorItem, ...]
    untested: tuple[str, ...]
    assumptions: tuple[str, ...]
    evidence: tuple[EvidenceItem, ...]
    sign: Sign = Sign.INCREASES

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "text": self.text,
            "sign": self.sign.value,
            "elements": [e.id for e in self.elements],
            "contexts": [c.id for c in self.contexts],
            "indicators": [{"subject": i.subject, **plain(i.indicator)} for i in self.indicators],
            "untested": list(self.untested),
            "assumptions": list(self.assumptions),
            "evidence": [{"subject": e.subject, **plain(e.evidence)} for e in self.evidence],
        }

    @property
    def testable(self) -> bool:
        """True when every mechanism and outcome on it has an indicator."""
        return not self.untested


def _phrase(label: str) -> str:
    """A label inside a sentence: first letter in lower case unless it starts an acronym."""
    text = one_line(label).rstrip(".")
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    if len(first) == 1 and first.isupper() and first != "I":
        return text[0].lower() + text[1:]
    return text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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


def pathway_hypothesis(
    model: ChangeModel, pathway: Pathway, dag: GraphIndex | None = None
) -> Hypothesis:
    """The hypothesis that a pathway states."""
    dag = dag or causal_index(model)
    elements = tuple(model.element(v) for v in pathway.elements)
    start = elements[0]
    through: list[str] = []
    outcomes: list[str] = []
    sign = Sign.INCREASES
    for element, link in zip(elements[1:], pathway.links, strict=True):
        sign = sign * link.sign
        if element.kind.is_outcome:
            verb = "increase" if sign is Sign.INCREASES else "fall"
            outcomes.append(f"{_phrase(element.label)} should {verb}")
        elif not outcomes:
            through.append(_phrase(element.label))
    text = f"If {_phrase(start.label)}, then"
    if through:
        text += f", through {_join(through)},"
    if outcomes:
        text += " " + ", and then ".join(outcomes)
    else:
        text += f" {_phrase(elements[-1].label)} should follow"
    contexts = _contexts(model, dag, pathway.elements)
    if contexts:
        text += f", when {'; '.join(_phrase(c.label) for c in contexts)}"
    indicators, untested, assumptions, evidence = _support(model, elements, pathway.links)
    return Hypothesis(
        text + ".", elements, contexts, indicators, untested, assumptions, evidence, sign
    )


def iter_hypotheses(
    model: ChangeModel, *, limit: int, outcome: str | None = None
) -> Iterator[Hypothesis]:
    """Yield up to *limit* pathway hypotheses, lazily: one per pathway from an
    activity to *outcome*, or (``None``) to each final outcome (an outcome no
    causal link leaves)."""
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
    text = ""
    if c.contexts:
        text = f"When {'; '.join(_phrase(x.label) for x in c.contexts)}, "
    if c.interventions:
        subject = _join([_phrase(a.label) for a in c.interventions])
        text += f"{subject} should trigger {_phrase(c.mechanism.label)}"
    else:
        text += f"{_phrase(c.mechanism.label)} should happen"
    if c.actors:
        text += f" (for {_join([one_line(a.name) for a in c.actors])})"
    text += f", leading to {_phrase(c.outcome.label)}."
    text = text[0].upper() + text[1:]
    elements = (*c.interventions, c.mechanism, c.outcome)
    ids = {e.id for e in elements}
    links = [lk for v in ids for lk in dag.links_out[v] if lk.target in ids]
    indicators, untested, assumptions, evidence = _support(model, elements, links)
    return Hypothesis(text, elements, c.contexts, indicators, untested, assumptions, evidence)


def format_hypotheses(items: Iterable[Hypothesis]) -> str:
    """Numbered hypotheses, each with what would test it."""
    lines = []
    for n, h in enumerate(items, start=1):
        lines.append(f"H{n}. {h.text}")
        lines.append(f"    runs through: {' -> '.join(e.id for e in h.elements)}")
        for item in h.indicators:
            i = item.indicator
            extra = ", ".join(
                x for x in (i.instrument, i.data_source, ", ".join(i.timepoints)) if x
            )
            detail = f" ({one_line(extra)})" if extra else ""
            lines.append(f"    measure {item.subject}: {one_line(i.name)}{detail}")
        if h.untested:
            lines.append(f"    no indicator yet: {', '.join(h.untested)}")
        if h.assumptions:
            lines.append(f"    assumes: {', '.join(h.assumptions)}")
        if h.evidence:
            lines.append(f"    evidence: {len(h.evidence)} item(s)")
    return "\n".join(lines) + ("\n" if lines else "")
