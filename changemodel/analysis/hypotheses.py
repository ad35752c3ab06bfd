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

A stored realist configuration is a hypothesis of its own
(:func:`evaluation_hypotheses`): "in settings where ..., if ..., then,
through ..., ... should ... in ...", with each mechanism's resource and
reasoning and whose they are, where a contrasting configuration says it is
not expected, and the configuration's confidence (its CERQual level combined
with the chain it asserts). Refuted, abandoned and partial configurations are
listed as left out; the pathways no configuration covers follow.

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

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal

import attrs

from changemodel.analysis._dag import causal_index, ids
from changemodel.analysis._data import plain
from changemodel.analysis._text import one_line
from changemodel.analysis.cmo import ConfigurationView, configurations
from changemodel.analysis.confidence import PathwayConfidence, pathway_confidence, weakest
from changemodel.analysis.confidence import _element_step as element_step
from changemodel.analysis.confidence import _link_step as link_step
from changemodel.analysis.explain import EvidenceItem
from changemodel.analysis.pathways import Pathway, _limit, _walk
from changemodel.domain import (
    Actor,
    Configuration,
    Element,
    Indicator,
    Kind,
    Link,
    Relation,
    Sign,
)
from changemodel.errors import InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel
from changemodel.text import (
    activity_clause,
    capitalise,
    conditions,
    count,
    direction_of,
    expected_change,
    expected_change_all,
    in_settings,
    join,
    mechanism_phrase,
    names_its_change,
    net_sign,
    phrase,
    plural,
    reads_as_phrase,
    should_change,
    should_change_all,
    through,
)

__all__ = [
    "SCAN_PER_HYPOTHESIS",
    "Hypothesis",
    "HypothesisSet",
    "IndicatorItem",
    "LeftOut",
    "MechanismItem",
    "Observation",
    "configuration_hypotheses",
    "evaluation_hypotheses",
    "format_hypotheses",
    "is_offering",
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
        return f"the baseline ({one_line(indicator.baseline)})"
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
        # "Combats isolation" is observed as the mechanism so named, not as a phrase
        expected = mechanism_phrase([element.label])
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
    #: for a configuration: who offers the resource (by their role)
    offered_by: tuple[Actor, ...] = ()
    #: for a configuration: each mechanism's resource and reasoning, and whose
    mechanisms: tuple[MechanismItem, ...] = ()
    #: for a configuration: its status (``derived`` when read off the graph)
    status: str | None = None
    #: for a configuration: the ids of the configurations it contrasts with
    contrasts: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "id": self.id,
            "status": self.status,
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
            "offered_by": plain(self.offered_by),
            "mechanisms": [m.to_data() for m in self.mechanisms],
            "contrasts": list(self.contrasts),
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
    outcomes, else those named on the rest whose role does not say they deliver
    the intervention (``role: delivers the classes``, see :func:`is_offering`)."""
    elements = list(elements)
    found: dict[Actor, None] = {}
    for e in elements:
        if e.kind is Kind.MECHANISM or e.kind.is_outcome:
            found.update(dict.fromkeys(e.actors))
    if not found:
        for e in elements:
            found.update(dict.fromkeys(a for a in e.actors if not is_offering(a)))
    return tuple(found)


def pathway_hypothesis(
    model: ChangeModel, pathway: Pathway, dag: GraphIndex | None = None
) -> Hypothesis:
    """The hypothesis that a pathway states (a *monitor* item when it ends in an
    unintended outcome)."""
    dag = dag or causal_index(model)
    elements = tuple(model.element(v) for v in pathway.elements)
    start = elements[0]
    steps: list[str] = []
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
            plain = reads_as_phrase(element.label)
            step = phrase(element.label) if plain else element.label  # through() quotes it
            if sign == "reduces" and direction_of(element.label)[0] is None:
                step = f"less of {step if plain else mechanism_phrase([element.label])}"
            steps.append(step)
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
        if steps:
            text += f" {through(steps)}"
    else:
        text = f"If {activity_clause(start.label)}, then"
        if steps:
            text += f", {through(steps)},"
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


def configuration_hypotheses(
    model: ChangeModel, *, derived: bool = False
) -> tuple[Hypothesis, ...]:
    """One realist hypothesis per stored configuration that can be tested (see
    :func:`evaluation_hypotheses` for the rules), in the order of their ids; with
    ``derived=True`` also one per configuration read off the graph (see
    :mod:`.cmo`). Those left out are listed by :func:`evaluation_hypotheses`."""
    return tuple(_configurations(model, derived)[0])


def _configurations(model: ChangeModel, derived: bool) -> tuple[list[Hypothesis], list[LeftOut]]:
    views = configurations(model, derived=derived)
    stored = {c.id: c for c in model.configurations}
    order = {v.id: i for i, v in enumerate(views)}
    partners: dict[str, list[Configuration]] = {}  # configuration id -> its contrasts
    active = [c for c in model.configurations if c.status.is_active]
    for a, b, _ in model.contrasting_pairs(active):
        partners.setdefault(a.id, []).append(b)
        partners.setdefault(b.id, []).append(a)
    found: list[Hypothesis] = []
    left_out: list[LeftOut] = []
    for view in views:
        if view.status is not None and not view.status.is_active:
            left_out.append(LeftOut(view.id, view.status.value))
            continue
        missing = [p[:-1] for p in ("mechanisms", "outcomes") if not getattr(view, p)]
        if missing:
            left_out.append(LeftOut(view.id, f"not testable yet: no {' and no '.join(missing)}"))
            continue
        config = stored.get(view.id) if not view.derived else None
        contrasts = []
        if config is not None:
            contrasts = sorted(partners.get(config.id, ()), key=lambda o: order[o.id])
        found.extend(_configuration_hypotheses(model, view, contrasts))
    return found, left_out


def _sign_into(model: ChangeModel, sources: set[str], target: str) -> str:
    """The sign of the causal link into *target* from one of *sources* (increases
    when there is none)."""
    for link in model.links_to(target, Relation.LEADS_TO):
        if link.source in sources:
            return link.sign.value
    return "increases"


def _actor_text(actor: Actor) -> str:
    name = plural(one_line(actor.name))
    return f"{name} (role: {one_line(actor.role)})" if actor.role else name


def _whom(actors: Iterable[Actor]) -> str:
    """Actors as the people in whom a change is expected, with their role."""
    return join([_actor_text(a) for a in actors])


_OFFERING: Final = (
    "offer",
    "provid",
    "deliver",
    "give",
    "run",
    "lead",
    "facilitat",
    "teach",
    "recruit",
    "refer",
)


def is_offering(actor: Actor) -> bool:
    """Whether *actor*'s role says they offer the resource ("offers the time",
    "provides the sessions") rather than respond to it."""
    return actor.role is not None and actor.role.strip().casefold().startswith(_OFFERING)


@attrs.frozen
class MechanismItem:
    """A mechanism as what it is: the resource offered and by whom, the reasoning
    it triggers and in whom (the actors of the configuration, by their role)."""

    element: str
    label: str
    resource: str | None = None
    reasoning: str | None = None
    offered_by: tuple[Actor, ...] = ()
    reasoned_by: tuple[Actor, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "element": self.element,
            "label": self.label,
            "resource": self.resource,
            "reasoning": self.reasoning,
            "offered_by": plain(self.offered_by),
            "reasoned_by": plain(self.reasoned_by),
        }

    def __str__(self) -> str:
        parts = []
        if self.resource:
            part = f'resource "{one_line(self.resource)}"'
            if self.offered_by:
                part += f" offered by {join([plural(one_line(a.name)) for a in self.offered_by])}"
            parts.append(part)
        if self.reasoning:
            part = f'reasoning "{one_line(self.reasoning)}"'
            if self.reasoned_by:
                part += f" of {join([plural(one_line(a.name)) for a in self.reasoned_by])}"
            parts.append(part)
        if not parts:
            parts.append("resource and reasoning not stated")
        return f"{phrase(self.label)} ({self.element}): {'; '.join(parts)}"


@attrs.frozen
class LeftOut:
    """A configuration that states no hypothesis, and why: ``refuted``,
    ``abandoned``, or ``not testable yet: no outcome`` (or mechanism)."""

    id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.id}: {self.reason}"


def _configuration_hypotheses(
    model: ChangeModel, c: ConfigurationView, contrasts: Iterable[Configuration]
) -> Iterator[Hypothesis]:
    """The test hypothesis of a configuration (its intended outcomes) and its monitor
    item (its unintended outcomes), each when it has such outcomes."""
    offered_by = tuple(a for a in c.actors if is_offering(a))
    respondents = tuple(a for a in c.actors if not is_offering(a))
    mechanism_ids = {m.id for m in c.mechanisms}
    named = {e.id for e in (*c.intervention, *c.mechanisms, *c.outcomes)}
    links = [
        lk
        for v in sorted(named)
        for lk in model.links_from(v, Relation.LEADS_TO)
        if lk.target in named
    ]
    mechanisms = tuple(
        MechanismItem(
            m.id,
            m.label,
            getattr(m, "resource", None),
            getattr(m, "reasoning", None),
            offered_by if getattr(m, "resource", None) else (),
            respondents if getattr(m, "reasoning", None) else (),
        )
        for m in c.mechanisms
    )
    settings = in_settings(x.label for x in c.contexts)
    lead = f"{settings}, " if settings else ""
    acts = join([activity_clause(a.label) for a in c.intervention])
    way = through(m.label for m in c.mechanisms)
    whom = f" in {join([plural(one_line(a.name)) for a in respondents])}" if respondents else ""
    confidence = c.assessed  # a stored configuration's, computed once by configurations()
    for kind in ("test", "monitor"):
        outcomes = [o for o in c.outcomes if is_unintended(o) == (kind == "monitor")]
        if not outcomes:
            continue
        signs = [_sign_into(model, mechanism_ids | named - {o.id}, o.id) for o in outcomes]
        if kind == "test":
            changes = should_change_all(
                ((o.label, s) for o, s in zip(outcomes, signs, strict=True)), where=whom.strip()
            )
            text = f"{lead}if {acts}, then, {way}, {changes}" if acts else f"{lead}{way}, {changes}"
            text = capitalise(text) + "."
            for other in contrasts:
                extra = [
                    model.element(x).label
                    for x in other.contexts
                    if x not in {y.id for y in c.contexts} and x in model
                ]
                if not extra:
                    continue
                instead = join(
                    [
                        expected_change(
                            model.element(o).label,
                            _sign_into(model, set(other.mechanisms), o),
                        )
                        for o in other.outcomes
                        if o in model
                    ]
                )
                text += f" Not expected {in_settings(extra)} (see {other.id}: {instead} instead)."
        else:
            watched = expected_change_all(
                ((o.label, s) for o, s in zip(outcomes, signs, strict=True)), where=whom.strip()
            )
            text = f"{lead}monitor for {watched}, which may follow"
            text += f" if {acts}, {way}." if acts else f" {way}."
            text = capitalise(text)
        elements = (*c.intervention, *c.mechanisms, *outcomes)
        kept = {e.id for e in elements}
        own_links = [lk for lk in links if lk.source in kept and lk.target in kept]
        indicators, untested, assumptions, evidence = _support(model, elements, own_links)
        evidence = (*evidence, *(EvidenceItem(c.id, ev) for ev in c.evidence))
        observations = [
            *(o for m in c.mechanisms for o in _observations(m, "increases")),
            *(o for out, s in zip(outcomes, signs, strict=True) for o in _observations(out, s)),
        ]
        if confidence is None:
            steps = [element_step(e) for e in elements] + [link_step(lk) for lk in own_links]
            chain = weakest(steps)
        else:
            chain = confidence
        yield Hypothesis(
            text,
            elements,
            c.contexts,
            indicators,
            untested,
            assumptions,
            evidence,
            Sign(net_sign(signs[:1])),
            kind=kind,
            observations=tuple(observations),
            actors=respondents,
            confidence=chain,
            id=c.id,
            offered_by=offered_by,
            mechanisms=mechanisms,
            status=c.status_text,
            contrasts=tuple(o.id for o in contrasts),
        )


@attrs.frozen
class HypothesisSet:
    """The hypotheses of a model and the configurations left out of them.

    ``configurations`` holds one hypothesis (and, for unintended outcomes, one
    monitor item) per stored configuration that can be tested; ``pathways`` one
    per pathway that no stored configuration covers (every pathway when the
    model stores none); ``left_out`` the configurations that state none.
    """

    configurations: tuple[Hypothesis, ...] = ()
    pathways: tuple[Hypothesis, ...] = ()
    left_out: tuple[LeftOut, ...] = ()

    def __iter__(self) -> Iterator[Hypothesis]:
        yield from self.configurations
        yield from self.pathways

    def __len__(self) -> int:
        return len(self.configurations) + len(self.pathways)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "configurations": [h.to_data() for h in self.configurations],
            "pathways": [h.to_data() for h in self.pathways],
            "left_out": [attrs.asdict(x) for x in self.left_out],
        }

    def __str__(self) -> str:
        if not self.configurations and not self.left_out:
            return format_hypotheses(self.pathways)
        lines = []
        if self.configurations:
            lines += ["One per configuration:", format_hypotheses(self.configurations)]
        if self.pathways:
            lines += [
                "One per pathway that no configuration covers:",
                format_hypotheses(self.pathways),
            ]
        if self.left_out:
            lines.append("Left out:")
            lines += [f"    {x}" for x in self.left_out]
            lines.append("")
        return "\n".join(lines)


#: How many pathways :func:`evaluation_hypotheses` examines, per hypothesis it may
#: list, for those that no configuration covers.
SCAN_PER_HYPOTHESIS: Final = 100


def _covered(model: ChangeModel) -> set[tuple[str, str]]:
    return {(m, o) for c in model.configurations for m in c.mechanisms for o in c.outcomes}


def evaluation_hypotheses(
    model: ChangeModel, *, by: str = "auto", limit: int = 50
) -> HypothesisSet:
    """The hypotheses an evaluation can test, by configuration, by pathway or both.

    ``by="auto"`` (the default): when the model stores configurations, one
    hypothesis per configuration, then one per pathway (at most *limit*) that no
    stored configuration covers: a pathway is covered when a configuration, of
    any status, names its final outcome and a mechanism on it (so a refuted
    configuration does not come back as a pathway, and a pathway that goes on
    past a configuration's outcome to a further one is still stated). Only the first
    :data:`SCAN_PER_HYPOTHESIS` x *limit* pathways are examined. When the model
    stores none, one per pathway. ``by="configuration"``: one per configuration,
    stored or (when the model stores none) read off the graph; ``by="pathway"``:
    one per pathway, configurations ignored.

    A configuration states a hypothesis when it has a mechanism and an outcome
    and is not refuted or abandoned (candidates are stated: testing them is how
    they are adopted). Its intended outcomes make a *test* hypothesis, its
    unintended ones a *monitor* item with the same id. The others are listed in
    ``left_out``: ``refuted``, ``abandoned`` or ``not testable yet: no outcome``.
    """
    if by not in ("auto", "configuration", "pathway"):
        raise InvalidValueError(
            f"unknown choice {by!r}; expected auto, configuration or pathway", value=by
        )
    _limit(limit)
    if by == "pathway":
        return HypothesisSet(pathways=tuple(iter_hypotheses(model, limit=limit)))
    if by == "configuration":
        found, left_out = _configurations(model, derived=not model.configurations)
        return HypothesisSet(tuple(found), (), tuple(left_out))
    if not model.configurations:
        return HypothesisSet(pathways=tuple(iter_hypotheses(model, limit=limit)))
    found, left_out = _configurations(model, derived=False)
    covered = _covered(model)
    pathways: list[Hypothesis] = []
    scanned = itertools.islice(
        iter_hypotheses(model, limit=max(limit, 1) * SCAN_PER_HYPOTHESIS),
        max(limit, 1) * SCAN_PER_HYPOTHESIS,
    )
    for h in scanned:
        if len(pathways) >= limit:
            break
        last = h.elements[-1].id
        if not any((e.id, last) in covered for e in h.elements):
            pathways.append(h)
    return HypothesisSet(tuple(found), tuple(pathways), tuple(left_out))


def format_hypotheses(items: Iterable[Hypothesis]) -> str:
    """Numbered hypotheses (H1, H2 ...) and monitor items (M1 ...), or a
    configuration's id (with its status when it is a candidate), each with what to
    observe, in whom, how it is measured and how well supported it is."""
    lines = []
    numbers = {"test": 0, "monitor": 0}
    for h in items:
        numbers[h.kind] += 1
        label = h.id or f"{'H' if h.kind == 'test' else 'M'}{numbers[h.kind]}"
        if h.status == "candidate":
            label += " (candidate)"
        lines.append(f"{label}. {h.text}")
        if h.actors:
            lines.append(f"    in whom: {_whom(h.actors)}")
        if h.offered_by:
            lines.append(f"    offered by: {_whom(h.offered_by)}")
        for m in h.mechanisms:
            lines.append(f"    mechanism: {m}")
        for o in h.observations:
            lines.append(f"    observe: {o}")
        if h.confidence is not None:
            lines.append(f"    confidence: {h.confidence}")
        lines.append(f"    runs through: {' -> '.join(e.id for e in h.elements)}")
        if h.contexts and h.id is not None:
            lines.append(f"    contexts: {', '.join(c.id for c in h.contexts)}")
        if h.contrasts:
            lines.append(f"    contrasts with: {', '.join(h.contrasts)}")
        if h.assumptions:
            lines.append(f"    assumes: {join(list(h.assumptions))}")
        if h.evidence:
            lines.append(f"    evidence: {count(len(h.evidence), 'item')}")
    return "\n".join(lines) + ("\n" if lines else "")
