"""An evaluation plan: what to measure, grouped under the MRC process-evaluation headings.

Moore et al. (2015, BMJ 350:h1258) group a process evaluation under
*implementation* (fidelity, dose, reach, adaptations), *mechanisms of impact*
(participant responses, mediators), *context* and *outcomes*. The plan puts
each element under its heading with the indicators that measure it
(instrument, timepoints, data source, baseline, target), says how well
supported each pathway is (its weakest step, see
:mod:`~changemodel.analysis.confidence`), and lists the gaps once, grouped by
kind: elements nothing measures (by kind of element), indicators without a
timepoint or without a baseline, and implementation aspects no indicator covers.

Activities and outputs go under implementation (inputs too, but an input
without an indicator is not a gap), mechanisms and process outcomes under
mechanisms of impact, contexts under context, downstream outcomes under
outcomes. An implementation indicator's aspect is read from its name and
instrument ("fidelity", "adherence", "dose", "sessions", "reach", "uptake",
"adapt...") or from a tag on its element named after the aspect. A mechanism
is described as what it is: the resource offered and the reasoning it
triggers, and whose (its actors); an unintended outcome is to be monitored.

>>> m = ChangeModel("Peer support")
>>> support = m.activity("support", "Peer support", indicators=[{"name": "Sessions delivered"}])
>>> hope = m.process_outcome("hope", "Hope", indicators=[
...     {"name": "Herth Hope Index", "timepoints": ["baseline", "6 months"]}])
>>> _ = support >> hope
>>> plan = evaluation_plan(m)
>>> for r in plan.rows:
...     print(r.heading, "|", r.aspect, "|", r.element, "|", r.indicator)
Implementation | dose | support | Sessions delivered
Mechanisms of impact | mediator | hope | Herth Hope Index
>>> for g in plan.gaps:
...     print(g.heading, "|", g.message)
Implementation | indicators without a timepoint: support
Implementation | no indicator of fidelity, reach or adaptations
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, Final

import attrs

from changemodel.analysis._dag import causal_index
from changemodel.analysis._text import csv_text, md_cell, md_table, one_line
from changemodel.analysis.confidence import (
    RULE,
    PathwayConfidence,
    configuration_confidence,
    pathway_confidence,
)
from changemodel.analysis.hypotheses import evaluation_hypotheses, is_offering, is_unintended
from changemodel.analysis.pathways import _walk
from changemodel.domain import (
    Actor,
    Configuration,
    DownstreamOutcome,
    Element,
    Indicator,
    Kind,
    Relation,
)
from changemodel.errors import IntegrityError, InvalidValueError
from changemodel.model import ChangeModel
from changemodel.standards import implementation_aspect
from changemodel.text import (
    capitalise,
    count,
    expected_change,
    in_settings,
    join,
    phrase,
    plural,
    quoted,
)

__all__ = [
    "HEADINGS",
    "IMPLEMENTATION_ASPECTS",
    "REALIST",
    "ConfigurationToTest",
    "ContrastToSample",
    "EvaluationPlan",
    "Gap",
    "InterviewTopic",
    "OutcomeSource",
    "PlanPathway",
    "PlanRow",
    "RealistSection",
    "evaluation_plan",
    "realist_section",
]

IMPLEMENTATION: Final = "Implementation"
MECHANISMS: Final = "Mechanisms of impact"
CONTEXT: Final = "Context"
OUTCOMES: Final = "Outcomes"
#: The heading of the realist section (and of its gaps).
REALIST: Final = "Realist evaluation"
#: The MRC process-evaluation headings, in the order a plan lists them.
HEADINGS: Final = (IMPLEMENTATION, MECHANISMS, CONTEXT, OUTCOMES)
#: What an implementation indicator can measure.
IMPLEMENTATION_ASPECTS: Final = ("fidelity", "dose", "reach", "adaptations")
_TITLES: Final = {
    IMPLEMENTATION: "Implementation: fidelity, dose, reach and adaptations",
    MECHANISMS: "Mechanisms of impact: resources, reasoning and mediators",
    CONTEXT: CONTEXT,
    OUTCOMES: OUTCOMES,
}

_HEADING_OF: Final = {
    Kind.INPUT: IMPLEMENTATION,
    Kind.ACTIVITY: IMPLEMENTATION,
    Kind.OUTPUT: IMPLEMENTATION,
    Kind.MECHANISM: MECHANISMS,
    Kind.PROCESS_OUTCOME: MECHANISMS,
    Kind.CONTEXT: CONTEXT,
    Kind.DOWNSTREAM_OUTCOME: OUTCOMES,
}
_COLUMNS: Final = (
    "heading",
    "aspect",
    "element",
    "label",
    "kind",
    "indicator",
    "instrument",
    "timepoints",
    "data_source",
    "baseline",
    "target",
    "description",
)
_ARROW: Final = " \u2192 "
#: How many pathways the plan lists with their confidence at most.
PATHWAYS_SHOWN: Final = 20


@attrs.frozen
class PlanRow:
    """One thing to measure: an element under a heading and one of its indicators
    (``indicator`` is ``None`` when the element has none yet)."""

    heading: str
    aspect: str
    element: str
    label: str
    kind: Kind
    indicator: str | None = None
    instrument: str | None = None
    timepoints: tuple[str, ...] = ()
    data_source: str | None = None
    baseline: str | None = None
    target: str | None = None
    #: what the element is, when the aspect alone does not say it (a mechanism's
    #: resource and reasoning, and whose)
    description: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: every field, the kind as its value."""
        data = attrs.asdict(self)
        data["kind"] = self.kind.value
        data["timepoints"] = list(self.timepoints)
        return data


@attrs.frozen
class Gap:
    """What the plan does not measure yet, one entry per kind of gap: ``kind`` is
    ``"no indicator"`` (``elements`` lists them), ``"no timepoint"`` or
    ``"no comparator"`` (``elements`` lists the elements whose indicators lack it)
    or ``"aspect"`` (``aspects`` lists the implementation aspects nothing measures)."""

    heading: str
    message: str
    kind: str = "no indicator"
    elements: tuple[str, ...] = ()
    aspects: tuple[str, ...] = ()


@attrs.frozen
class PlanPathway:
    """A pathway from an activity to a final outcome and its confidence."""

    elements: tuple[str, ...]
    confidence: PathwayConfidence

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: the element ids and the confidence."""
        return {"elements": list(self.elements), "confidence": self.confidence.to_data()}


@attrs.frozen
class ConfigurationToTest:
    """A configuration the realist evaluation tests: its id, status and statement
    (the source's words, else the hypothesis), its hypothesis or monitor item, and
    its confidence (see :func:`~changemodel.analysis.confidence.configuration_confidence`)."""

    id: str
    status: str
    statement: str
    hypothesis: str
    kind: str
    confidence: PathwayConfidence

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = attrs.asdict(self, recurse=False)
        data["confidence"] = self.confidence.to_data()
        return data


@attrs.frozen
class ContrastToSample:
    """Two configurations that share a mechanism under different contexts with
    different outcomes, and the settings to sample so the data can tell them apart."""

    configurations: tuple[str, str]
    mechanisms: tuple[str, ...]
    contexts: tuple[tuple[str, ...], tuple[str, ...]]
    text: str

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "configurations": list(self.configurations),
            "mechanisms": list(self.mechanisms),
            "contexts": [list(c) for c in self.contexts],
            "text": self.text,
        }


@attrs.frozen
class InterviewTopic:
    """What to ask about one mechanism: the resource and who offers it, the
    reasoning and whose it is, and the configurations that name it."""

    mechanism: str
    label: str
    configurations: tuple[str, ...]
    resource: str | None
    offered_by: tuple[str, ...]
    reasoning: str | None
    reasoned_by: tuple[str, ...]
    text: str

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = attrs.asdict(self)
        for key in ("configurations", "offered_by", "reasoned_by"):
            data[key] = list(data[key])
        return data


@attrs.frozen
class OutcomeSource:
    """Where the data on one outcome of the configurations come from: its
    indicators and their data sources (``text`` says it in words)."""

    outcome: str
    label: str
    configurations: tuple[str, ...]
    sources: tuple[str, ...]
    text: str

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data = attrs.asdict(self)
        data["configurations"] = list(self.configurations)
        data["sources"] = list(self.sources)
        return data


@attrs.frozen
class RealistSection:
    """The realist part of a plan, when the model stores configurations: the
    configurations to test (and those left out, with why), the contexts to sample
    for each contrast, interview topics per mechanism and data sources per outcome."""

    configurations: tuple[ConfigurationToTest, ...]
    left_out: tuple[tuple[str, str], ...]
    contrasts: tuple[ContrastToSample, ...]
    topics: tuple[InterviewTopic, ...]
    sources: tuple[OutcomeSource, ...]

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "configurations": [c.to_data() for c in self.configurations],
            "left_out": [{"id": i, "reason": r} for i, r in self.left_out],
            "contrasts": [c.to_data() for c in self.contrasts],
            "interview_topics": [t.to_data() for t in self.topics],
            "data_sources": [s.to_data() for s in self.sources],
        }

    def to_markdown(self) -> list[str]:
        """The section as Markdown lines, ready to quote in a protocol."""
        lines = [f"## {REALIST}", "", "### Configurations to test", ""]
        for c in self.configurations:
            lines.append(f"- **{md_cell(c.id)}** ({c.status}): {md_cell(c.statement)}")
            if c.hypothesis != c.statement:
                what = "Monitor" if c.kind == "monitor" else "Hypothesis"
                lines.append(f"  {what}: {md_cell(c.hypothesis)}")
            lines.append(f"  Confidence: {md_cell(str(c.confidence))}.")
        if not self.configurations:
            lines.append("None: no configuration can be tested yet.")
        if self.left_out:
            left = [f"{md_cell(i)} ({md_cell(r)})" for i, r in self.left_out]
            lines += ["", f"Left out: {join(left)}."]
        lines += ["", "### Contexts to sample for each contrast", ""]
        if self.contrasts:
            lines += [f"- {md_cell(c.text)}" for c in self.contrasts]
        else:
            lines.append(
                "No two configurations contrast (the same mechanism under other contexts)."
            )
        lines += ["", "### Interview topics per mechanism", ""]
        lines += [f"- {md_cell(t.text)}" for t in self.topics] or ["No mechanism to ask about."]
        lines += ["", "### Data sources per outcome", ""]
        lines += [f"- {md_cell(o.text)}" for o in self.sources] or ["No outcome to measure."]
        return [*lines, ""]


@attrs.frozen
class EvaluationPlan:
    """The plan: rows grouped by heading (in :data:`HEADINGS` order), the gaps and
    the pathways with their confidence (weakest first; at most :data:`PATHWAYS_SHOWN`)."""

    title: str
    rows: tuple[PlanRow, ...]
    gaps: tuple[Gap, ...]
    pathways: tuple[PlanPathway, ...] = ()
    #: the realist section, when the model stores configurations
    realist: RealistSection | None = None

    def section(self, heading: str) -> tuple[PlanRow, ...]:
        """The rows under one heading."""
        if heading not in HEADINGS:
            raise InvalidValueError(
                f"unknown heading {heading!r}; expected one of {', '.join(HEADINGS)}",
                value=heading,
            )
        return tuple(r for r in self.rows if r.heading == heading)

    def to_data(self) -> dict[str, Any]:
        """Plain data: ``title``, ``sections`` (heading and rows) and ``gaps``."""
        return {
            "title": self.title,
            "sections": [
                {"heading": h, "rows": [r.to_data() for r in self.section(h)]} for h in HEADINGS
            ],
            "gaps": [attrs.asdict(g) for g in self.gaps],
            "pathways": [p.to_data() for p in self.pathways],
            "confidence_rule": RULE,
            "realist": None if self.realist is None else self.realist.to_data(),
        }

    def to_json(self) -> str:
        """The plan as JSON text (:meth:`to_data`, indented)."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"

    def to_csv(self) -> str:
        """One row per indicator, plus a ``gap`` column; implementation aspects that
        nothing covers get a row of their own. Cells that a spreadsheet would run
        as a formula are neutralised with a leading apostrophe."""
        rows = []
        for r in self.rows:
            data = r.to_data()
            data["timepoints"] = "; ".join(r.timepoints)
            cells = ["" if data[c] is None else one_line(str(data[c])) for c in _COLUMNS]
            cells.append("no indicator" if r.indicator is None else "")
            rows.append(cells)
        if self.realist is not None:
            rows.extend(_realist_rows(self.realist))
        for g in self.gaps:
            if g.kind != "no indicator":
                rows.append([g.heading, "", *([""] * (len(_COLUMNS) - 2)), g.message])
        return csv_text([*_COLUMNS, "gap"], rows)

    def to_markdown(self) -> str:
        """The plan as Markdown: a table per heading, then the gaps."""
        lines = [f"# Evaluation plan: {md_cell(self.title)}", ""]
        header = ["Aspect", "Element", "Indicator", "Instrument", "Timepoints", "Data source"]
        header += ["Baseline", "Target"]
        for heading in HEADINGS:
            rows = self.section(heading)
            lines += [f"## {_TITLES[heading]}", ""]
            if not rows:
                lines += ["Nothing in the model to measure here.", ""]
                continue
            table = [
                [
                    r.aspect,
                    f"{one_line(r.label)} ({r.element})"
                    + (f": {one_line(r.description)}" if r.description else ""),
                    r.indicator or "none yet",
                    r.instrument or "",
                    ", ".join(r.timepoints),
                    r.data_source or "",
                    r.baseline or "",
                    r.target or "",
                ]
                for r in rows
            ]
            lines += [*md_table(header, table), ""]
        lines += ["## Confidence along pathways", ""]
        if self.pathways:
            lines += [
                f"Each pathway is as well supported as its weakest step ({RULE}); the"
                " weakest steps are where the evaluation learns most.",
                "",
            ]
            lines += [
                f"- {md_cell(_ARROW.join(p.elements))}: {md_cell(str(p.confidence))}"
                for p in self.pathways
            ]
        else:
            lines.append("No pathway runs from an activity to an outcome.")
        if self.realist is not None:
            lines += ["", *self.realist.to_markdown()[:-1]]
        lines += ["", "## Gaps", ""]
        if self.gaps:
            lines += [f"- {md_cell(g.heading)}: {md_cell(g.message)}" for g in self.gaps]
        else:
            lines.append("None: every element has an indicator.")
        return "\n".join(lines) + "\n"

    def render(self, format: str = "markdown") -> str:
        """``markdown``, ``csv`` or ``json``."""
        if format == "markdown":
            return self.to_markdown()
        if format == "csv":
            return self.to_csv()
        if format == "json":
            return self.to_json()
        raise InvalidValueError(
            f"unknown format {format!r}; expected markdown, csv or json", value=format
        )


def _aspect(element: Element, indicator: Indicator | None) -> str:
    heading = _HEADING_OF[element.kind]
    if heading == IMPLEMENTATION:
        if indicator is not None:
            aspect = implementation_aspect(indicator)
            if aspect is not None:
                return aspect
        for aspect in IMPLEMENTATION_ASPECTS:
            if aspect in {t.casefold() for t in element.tags}:
                return aspect
        return "resources" if element.kind is Kind.INPUT else "delivery"
    if element.kind is Kind.MECHANISM:
        resource = getattr(element, "resource", None)
        reasoning = getattr(element, "reasoning", None)
        if resource and reasoning:
            return "resource and reasoning"
        if resource:
            return "resource offered"
        if reasoning:
            return "reasoning"
        return "mechanism"
    if element.kind.is_outcome and is_unintended(element):
        return "unintended: monitor"
    if element.kind is Kind.PROCESS_OUTCOME:
        return "mediator"
    if element.kind is Kind.CONTEXT:
        return "moderator"
    assert isinstance(element, DownstreamOutcome)
    return f"{element.horizon.value} term" if element.horizon else "outcome"


def _description(element: Element) -> str | None:
    """A mechanism as what it is: the resource offered and the reasoning, and whose."""
    if element.kind is not Kind.MECHANISM:
        return None
    resource = getattr(element, "resource", None)
    reasoning = getattr(element, "reasoning", None)
    whose = join([plural(one_line(a.name)) for a in element.actors])
    parts = []
    if resource:
        parts.append(f"resource offered: {one_line(resource)}")
    if reasoning:
        parts.append(f"reasoning: {one_line(reasoning)}")
    if not parts:
        parts.append("resource and reasoning not stated")
    if whose:
        parts.append(f"whose: {whose}")
    return "; ".join(parts)


def _rows(element: Element) -> Sequence[PlanRow]:
    base: dict[str, Any] = {
        "heading": _HEADING_OF[element.kind],
        "element": element.id,
        "label": element.label,
        "kind": element.kind,
        "description": _description(element),
    }
    if not element.indicators:
        return [PlanRow(aspect=_aspect(element, None), **base)]
    return [
        PlanRow(
            aspect=_aspect(element, i),
            indicator=i.name,
            instrument=i.instrument,
            timepoints=i.timepoints,
            data_source=i.data_source,
            baseline=i.baseline,
            target=i.target,
            **base,
        )
        for i in element.indicators
    ]


def evaluation_plan(model: ChangeModel) -> EvaluationPlan:
    """The model's evaluation plan (elements in causal order within each heading)."""
    try:
        order = [e.id for e in model.topological_order()]
    except IntegrityError:  # a cyclic model still gets a plan, in the order written
        order = [e.id for e in model.elements]
    rows: list[PlanRow] = []
    gaps: list[Gap] = []
    moderating = {lk.source for lk in model.links if lk.relation is Relation.MODERATES}
    for heading in HEADINGS:
        unmeasured: dict[Kind, list[str]] = {}
        no_timepoint: list[str] = []
        no_comparator: list[str] = []
        for id in order:
            element = model.element(id)
            if _HEADING_OF.get(element.kind) != heading:
                continue
            element_rows = _rows(element)
            if element.kind is Kind.CONTEXT and id not in moderating:
                element_rows = [attrs.evolve(r, aspect="context") for r in element_rows]
            rows.extend(element_rows)
            if not element.indicators and element.kind is not Kind.INPUT:
                unmeasured.setdefault(element.kind, []).append(id)
            if any(not i.timepoints for i in element.indicators):
                no_timepoint.append(id)
            if element.kind.is_outcome and any(
                not i.baseline
                and not any(t.casefold().startswith("baseline") for t in i.timepoints)
                for i in element.indicators
            ):
                no_comparator.append(id)
        for kind, ids in unmeasured.items():
            gaps.append(
                Gap(
                    heading,
                    f"no indicator yet for {count(len(ids), kind.label)}: {join(ids)}",
                    "no indicator",
                    tuple(ids),
                )
            )
        if no_timepoint:
            gaps.append(
                Gap(
                    heading,
                    f"indicators without a timepoint: {join(no_timepoint)}",
                    "no timepoint",
                    tuple(no_timepoint),
                )
            )
        if no_comparator:
            gaps.append(
                Gap(
                    heading,
                    f"indicators without a baseline or comparator: {join(no_comparator)}",
                    "no comparator",
                    tuple(no_comparator),
                )
            )
        if heading == IMPLEMENTATION and any(
            e.kind in (Kind.ACTIVITY, Kind.OUTPUT) for e in model.elements
        ):
            covered = {r.aspect for r in rows if r.heading == heading and r.indicator}
            missing = tuple(a for a in IMPLEMENTATION_ASPECTS if a not in covered)
            if missing:
                gaps.append(
                    Gap(heading, f"no indicator of {join(missing, 'or')}", "aspect", (), missing)
                )
    realist = None
    if model.configurations:
        realist, realist_gaps = _realist(model)
        gaps.extend(realist_gaps)
    return EvaluationPlan(model.title, tuple(rows), tuple(gaps), _pathways(model), realist)


def _has_baseline(indicator: Indicator) -> bool:
    return any(t.casefold().startswith("baseline") for t in indicator.timepoints)


def _pathways(model: ChangeModel) -> tuple[PlanPathway, ...]:
    """Up to :data:`PATHWAYS_SHOWN` pathways to the final outcomes, weakest first."""
    try:
        dag = causal_index(model)
    except IntegrityError:  # a cyclic model has no pathways to rate
        return ()
    activities = [e.id for e in model.elements_of(Kind.ACTIVITY)]
    goals = [v for v in dag.order if model.element(v).kind.is_outcome and not dag.links_out[v]]
    found: list[PlanPathway] = []
    for goal in goals:
        for p in _walk(dag, activities, goal, PATHWAYS_SHOWN - len(found)):
            found.append(PlanPathway(p.elements, pathway_confidence(model, p.elements, p.links)))
        if len(found) >= PATHWAYS_SHOWN:
            break
    rank = {"very low": 0, "low": 1, "moderate": 2, "high": 3}
    return tuple(sorted(found, key=lambda p: rank[p.confidence.level]))


def _names(actors: Iterable[Actor]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(plural(one_line(a.name)) for a in actors))


def _outcome_sign(model: ChangeModel, config: Configuration, outcome: str) -> str:
    for link in model.links_to(outcome, Relation.LEADS_TO):
        if link.source in config.mechanisms:
            return link.sign.value
    return "increases"


def _expects(model: ChangeModel, config: Configuration) -> str:
    return join(
        [
            expected_change(model.element(o).label, _outcome_sign(model, config, o))
            for o in config.outcomes
            if o in model
        ]
    )


def _source_text(indicator: Indicator) -> str:
    text = one_line(indicator.name)
    if indicator.instrument and indicator.instrument != indicator.name:
        text += f" ({one_line(indicator.instrument)})"
    if indicator.timepoints:
        text += f" at {join([one_line(t) for t in indicator.timepoints])}"
    if indicator.data_source:
        return text + f", from {one_line(indicator.data_source)}"
    return text + ", no data source stated"


def realist_section(model: ChangeModel) -> RealistSection | None:
    """The realist section of the plan of *model*, or ``None`` when it stores no
    configuration (see :func:`evaluation_plan`, which also lists its gaps)."""
    return _realist(model)[0] if model.configurations else None


def _realist(model: ChangeModel) -> tuple[RealistSection, list[Gap]]:
    found = evaluation_hypotheses(model, by="configuration")
    stored = {c.id: c for c in model.configurations}
    to_test = tuple(
        ConfigurationToTest(
            h.id,
            stored[h.id].status.value,
            one_line(stored[h.id].statement or h.text),
            h.text,
            h.kind,
            h.confidence or configuration_confidence(model, stored[h.id]),
        )
        for h in found.configurations
        if h.id is not None and h.id in stored
    )
    tested = [stored[i] for i in dict.fromkeys(c.id for c in to_test)]
    contrasts = []
    for a, b, shared in model.contrasting_pairs(tested):
        named = [quoted(model.element(m).label) for m in shared if m in model]
        labels = f"the {plural('mechanism', len(named))} {join(named)}"
        sides = []
        for c in (a, b):
            where = in_settings(model.element(x).label for x in c.contexts if x in model)
            sides.append(f"{where}, {c.id} expects {_expects(model, c)}")
        text = f"{a.id} and {b.id} share {labels}: sample both. {capitalise(sides[0])}; {sides[1]}."
        contrasts.append(ContrastToSample((a.id, b.id), shared, (a.contexts, b.contexts), text))
    topics = []
    no_resource: list[str] = []
    no_actor: list[str] = []
    mechanisms: dict[str, list[Configuration]] = {}
    outcomes: dict[str, list[Configuration]] = {}
    for c in tested:
        for mid in c.mechanisms:
            mechanisms.setdefault(mid, []).append(c)
        for oid in c.outcomes:
            outcomes.setdefault(oid, []).append(c)
    for mid, configs in mechanisms.items():
        if mid not in model:
            continue
        m = model.element(mid)
        actors = [a for c in configs for a in c.actors] or list(m.actors)
        offered_by = _names(a for a in actors if is_offering(a))
        reasoned_by = _names(a for a in actors if not is_offering(a))
        resource = getattr(m, "resource", None)
        reasoning = getattr(m, "reasoning", None)
        ids = tuple(c.id for c in configs)
        text = f"{capitalise(phrase(m.label))} ({mid}; {', '.join(ids)})."
        if resource:
            text += f' Resource: "{one_line(resource)}"'
            text += (
                f", offered by {join(offered_by)}."
                if offered_by
                else " (who offers it: not stated)."
            )
        if reasoning:
            text += f' Reasoning: "{one_line(reasoning)}"'
            text += (
                f", of {join(reasoned_by)}."
                if reasoned_by
                else " (whose reasoning it is: not stated)."
            )
        if not resource and not reasoning:
            text += " Resource and reasoning not stated: ask what is offered and how people respond"
            text += f" ({join(list(offered_by + reasoned_by))})." if actors else "."
            no_resource.append(mid)
        if not actors:
            no_actor.append(mid)
        topics.append(
            InterviewTopic(mid, m.label, ids, resource, offered_by, reasoning, reasoned_by, text)
        )
    sources = []
    no_source: list[str] = []
    for oid, configs in outcomes.items():
        if oid not in model:
            continue
        o = model.element(oid)
        ids = tuple(c.id for c in configs)
        texts = tuple(_source_text(i) for i in o.indicators)
        head = f"{capitalise(phrase(o.label))} ({oid}; {', '.join(ids)})"
        if is_unintended(o):
            head += ", to monitor"
        text = f"{head}: {'; '.join(texts)}." if texts else f"{head}: no indicator yet."
        if any(not i.data_source for i in o.indicators):
            no_source.append(oid)
        sources.append(OutcomeSource(oid, o.label, ids, texts, text))
    gaps = []
    if no_source:
        gaps.append(
            Gap(
                REALIST,
                f"indicators without a data source for {count(len(no_source), 'outcome')}"
                f" of configurations: {join(no_source)}",
                "no data source",
                tuple(no_source),
            )
        )
    if no_resource:
        gaps.append(
            Gap(
                REALIST,
                f"neither resource nor reasoning stated for {count(len(no_resource), 'mechanism')}:"
                f" {join(no_resource)}",
                "no resource or reasoning",
                tuple(no_resource),
            )
        )
    if no_actor:
        gaps.append(
            Gap(
                REALIST,
                f"no actor named to interview about {count(len(no_actor), 'mechanism')}:"
                f" {join(no_actor)}",
                "no actor",
                tuple(no_actor),
            )
        )
    section = RealistSection(
        to_test,
        tuple((x.id, x.reason) for x in found.left_out),
        tuple(contrasts),
        tuple(topics),
        tuple(sources),
    )
    return section, gaps


def _realist_rows(section: RealistSection) -> list[list[str]]:
    """The realist section as CSV rows: heading, aspect, element (or configuration
    id), label, and the text in the description column."""
    width = len(_COLUMNS)
    rows = []

    def row(aspect: str, element: str, label: str, text: str) -> None:
        cells = [""] * width
        cells[_COLUMNS.index("heading")] = REALIST
        cells[_COLUMNS.index("aspect")] = aspect
        cells[_COLUMNS.index("element")] = element
        cells[_COLUMNS.index("label")] = one_line(label)
        cells[_COLUMNS.index("description")] = one_line(text)
        rows.append([*cells, ""])

    for c in section.configurations:
        row(
            "configuration to test", c.id, c.statement, f"{c.hypothesis} Confidence: {c.confidence}"
        )
    for i, reason in section.left_out:
        row("configuration left out", i, "", reason)
    for x in section.contrasts:
        row("contrast to sample", " ".join(x.configurations), "", x.text)
    for t in section.topics:
        row("interview topic", t.mechanism, t.label, t.text)
    for o in section.sources:
        row("data source", o.outcome, o.label, o.text)
    return rows
