"""Reporting standards, item by item, read off a model.

Three standards that evaluators are held to, each as a list of checklist
items. For every item the model is read for what meets it (with the element
ids and what they say) and for what is missing:

- ``tidier``: the 12 items of TIDieR, the Template for Intervention
  Description and Replication (Hoffmann et al. 2014, BMJ 348:g1687);
- ``mrc2021``: the six core elements of the MRC framework for complex
  interventions (Skivington et al. 2021, BMJ 374:n2061), as far as a model
  can show them;
- ``rameses``: the items of the RAMESES II reporting standard for realist
  evaluations (Wong et al. 2016, BMC Medicine 14:96) that concern the
  programme theory, numbered as in its Table 1.

The validation profiles of the same names have one rule per item, and
``changemodel describe FILE --standard tidier`` writes the description item by
item; both read the model through :func:`read`, so the two cannot disagree.

>>> m = ChangeModel("Falls prevention")
>>> _ = m.activity("classes", "Group strength and balance classes", actors=["instructor"])
>>> r = read(STANDARDS["tidier"].items[4], m)
>>> r.status, r.met, r.missing
('met', ('Group strength and balance classes (classes): instructors',), ())
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final, Literal

import attrs

from changemodel.domain import (
    ConfigurationStatus,
    Element,
    EvidenceStatus,
    Indicator,
    Kind,
    Relation,
)
from changemodel.errors import InvalidValueError
from changemodel.model import ChangeModel
from changemodel.text import capitalise, count, join, plural, quoted

__all__ = [
    "IMPLEMENTATION_KEYWORDS",
    "STANDARDS",
    "Item",
    "Reading",
    "Standard",
    "describe",
    "implementation_aspect",
    "iter_readings",
    "read",
]

# Checked in this order: "number of people reached" is reach, not dose.
IMPLEMENTATION_KEYWORDS: Final = {
    "fidelity": ("fidelity", "adherence", "as intended", "competence", "checklist"),
    "adaptations": ("adapt", "modif", "tailor"),
    "reach": ("reach", "uptake", "coverage", "recruit", "enrol", "participation", "referral"),
    "dose": ("dose", "session", "contacts", "frequency", "hours", "delivered", "number of"),
}


def implementation_aspect(indicator: Indicator) -> str | None:
    """The implementation aspect (fidelity, dose, reach, adaptations) an indicator
    measures, read from its name and instrument, or ``None``."""
    text = f"{indicator.name} {indicator.instrument or ''}".casefold()
    for aspect, words in IMPLEMENTATION_KEYWORDS.items():
        if any(w in text for w in words):
            return aspect
    return None


@attrs.frozen
class Reading:
    """What in a model meets a checklist item and what is missing."""

    met: tuple[str, ...]
    missing: tuple[str, ...]
    #: what the missing entries lack, when they are elements ("materials")
    lacking: str = ""

    @property
    def status(self) -> Literal["met", "partly met", "missing"]:
        """``met`` (nothing missing), ``partly met`` or ``missing`` (nothing meets it)."""
        if not self.met:
            return "missing"
        return "partly met" if self.missing else "met"


@attrs.frozen
class Item:
    """One checklist item: its number, a short name, the standard's question and
    how a model is read for it."""

    number: str
    name: str
    question: str
    reader: Callable[[ChangeModel], Reading] = attrs.field(repr=False)
    #: what in a model can meet it (for the rule reference)
    meets: str = ""


@attrs.frozen
class Standard:
    """A reporting standard: its name, citation and items."""

    name: str
    title: str
    citation: str
    items: tuple[Item, ...]
    #: how the standard calls its items
    item_word: str = "item"

    def where(self, item: Item) -> str:
        """How a message names *item*: "TIDieR item 3 (What: materials)"."""
        if self.item_word == "item":
            return f"{self.title} item {item.number} ({item.name})"
        return f"{self.title} {self.item_word} '{item.name}'"


def read(item: Item, model: ChangeModel) -> Reading:
    """Read *model* for *item*."""
    return item.reader(model)


def _label(e: Element) -> str:
    return f"{' '.join(e.label.split())} ({e.id})"


def _text(value: object) -> str:
    return " ".join(str(value).split())


def _activity_field(*fields: str, first: bool = False) -> Callable[[ChangeModel], Reading]:
    """Met by each activity that states one of *fields* (or names actors, for
    ``actors``); the others are missing. With *first*, only the first field
    given counts (``provider``, else the actors)."""

    named = [f.replace("actors", "provider") for f in fields if f != "description"]
    lacking = join(list(dict.fromkeys(named)), "or")

    def reader(model: ChangeModel) -> Reading:
        met: list[str] = []
        missing: list[str] = []
        activities = model.elements_of(Kind.ACTIVITY)
        if not activities:
            return Reading((), ("no activity describes the intervention",))
        for a in activities:
            values = []
            for f in fields:
                value = getattr(a, f, None)
                if f == "actors":
                    value = join([plural(_text(x.name)) for x in a.actors]) or None
                if value:
                    values.append(_text(value))
                    if first:
                        break
            if values:
                met.append(f"{_label(a)}: {'; '.join(values)}")
            else:
                missing.append(_label(a))
        return Reading(tuple(met), tuple(missing), lacking)

    return reader


def _brief_name(model: ChangeModel) -> Reading:
    activities = model.elements_of(Kind.ACTIVITY)
    if not activities:
        return Reading((), ("no activity names the intervention's components",))
    components = join([_label(a) for a in activities])
    return Reading((f"{_text(model.title)}, with {components}",), ())


def _why(model: ChangeModel) -> Reading:
    mechanisms = model.elements_of(Kind.MECHANISM)
    if not mechanisms:
        return Reading((), ("no mechanism says how the intervention works",))
    names = {t.id: t.name for t in model.theories}
    met = []
    missing = []
    for m in mechanisms:
        if m.theories:
            theories = join([_text(names.get(t, t)) for t in m.theories])
            met.append(f"{_label(m)}, explained by {theories}")
        else:
            missing.append(f"a theory for {_label(m)}")
    if not met:
        met = [f"{_label(m)}" for m in mechanisms]
    return Reading(tuple(met), tuple(missing))


def _fidelity_elements(model: ChangeModel) -> list[tuple[Element, Indicator]]:
    return [
        (e, i)
        for e in model.elements
        if e.kind in (Kind.ACTIVITY, Kind.OUTPUT)
        for i in e.indicators
        if implementation_aspect(i) == "fidelity" or "fidelity" in {t.casefold() for t in e.tags}
    ]


def _how_well_planned(model: ChangeModel) -> Reading:
    found = _fidelity_elements(model)
    if not found:
        return Reading((), ("no indicator of fidelity or adherence on an activity or output",))
    return Reading(tuple(f"{_label(e)}: {_text(i.name)}" for e, i in found), ())


def _how_well_actual(model: ChangeModel) -> Reading:
    found = _fidelity_elements(model)
    met = [
        f"{_label(e)}: {_text(i.name)}, reported"
        for e, i in found
        if any(ev.status is EvidenceStatus.REPORTED for ev in e.evidence)
    ]
    if met:
        return Reading(tuple(met), ())
    if found:
        return Reading((), (f"reported results of {join([_label(e) for e, _ in found])}",))
    return Reading((), ("a fidelity indicator with reported results",))


def _context(model: ChangeModel) -> Reading:
    contexts = model.elements_of(Kind.CONTEXT)
    if not contexts:
        return Reading((), ("no context element",))
    shaping: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES:
            shaping.setdefault(link.source, []).append(link.target)
    met = [f"{_label(c)}, shaping {join(shaping[c.id])}" for c in contexts if c.id in shaping]
    missing = [
        f"what the context {quoted(c.label)} ({c.id}) shapes"
        for c in contexts
        if c.id not in shaping
    ]
    return Reading(tuple(met), tuple(missing))


def _programme_theory(model: ChangeModel) -> Reading:
    reach: dict[str, set[str]] = {}
    for link in model.links:
        if link.is_causal and not link.feedback:
            reach.setdefault(link.source, set()).add(link.target)

    def reaches(start: str, want: Callable[[Element], bool]) -> bool:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in reach.get(stack.pop(), ()):
                if nxt not in seen:
                    if want(model.element(nxt)):
                        return True
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    met, missing = [], []
    mechanisms = model.elements_of(Kind.MECHANISM)
    if not mechanisms:
        missing.append("mechanisms of impact")
    for m in mechanisms:
        if reaches(m.id, lambda e: e.kind.is_outcome):
            met.append(f"{_label(m)} leads to an outcome")
        else:
            missing.append(f"an outcome of {_label(m)}")
    if not model.elements_of(Kind.ACTIVITY):
        missing.append("activities")
    return Reading(tuple(met), tuple(missing))


def _stakeholders(model: ChangeModel) -> Reading:
    actors: dict[str, None] = {}
    for e in model.elements:
        actors.update(dict.fromkeys(_text(a.name) for a in e.actors))
    if not actors:
        return Reading((), ("no actor named on any element",))
    return Reading((f"actors named: {join(list(actors))}",), ())


def _uncertainties(model: ChangeModel) -> Reading:
    met = [f"assumption {_label(a)}" for a in model.elements_of(Kind.ASSUMPTION)]
    for link in model.links:
        if any(ev.status is EvidenceStatus.HYPOTHESISED for ev in link.evidence):
            met.append(f"hypothesised link {link.id}")
    if not met:
        return Reading((), ("no assumption and no link marked hypothesised",))
    return Reading(tuple(met), ())


def _refinement(model: ChangeModel) -> Reading:
    if model.version:
        return Reading((f"version {_text(model.version)} of the theory",), ())
    return Reading((), ("a version of the theory, so that refinements can be traced",))


_ECONOMIC: Final = ("cost", "economic", "value for money", "budget", "resource use", "qaly")


def _economic(model: ChangeModel) -> Reading:
    met = []
    for e in model.elements:
        texts = [e.label, *(i.name for i in e.indicators), *(e.tags)]
        if any(w in t.casefold() for t in texts for w in _ECONOMIC):
            met.append(_label(e))
    if not met:
        return Reading((), ("no input, outcome or indicator about costs or value for money",))
    return Reading(tuple(met), ())


def _rameses_theory(model: ChangeModel) -> Reading:
    moderated = {lk.target for lk in model.links if lk.relation is Relation.MODERATES}
    mechanisms = model.elements_of(Kind.MECHANISM)
    if not mechanisms:
        return Reading((), ("no mechanism",))
    met, missing = [], []
    for m in mechanisms:
        parts = []
        if getattr(m, "resource", None) is None and getattr(m, "reasoning", None) is None:
            parts.append("its resource or reasoning")
        if m.id not in moderated:
            parts.append("its context")
        if parts:
            missing.append(f"{join(parts)} for {_label(m)}")
        else:
            met.append(_label(m))
    return Reading(tuple(met), tuple(missing))


def _rameses_findings(model: ChangeModel) -> Reading:
    if model.configurations:
        return _configuration_findings(model)
    met, missing = [], []
    for m in model.elements_of(Kind.MECHANISM):
        statuses = sorted({str(ev.status) for ev in m.evidence if ev.status is not None})
        if statuses:
            met.append(f"{_label(m)}: {join(statuses)}")
        else:
            missing.append(f"evidence for {_label(m)}")
    if not met and not missing:
        missing.append("configurations with their evidence")
    return Reading(tuple(met), tuple(missing))


def _configuration_findings(model: ChangeModel) -> Reading:
    """The stored configurations as findings: each one the data have judged
    (supported, refined, refuted) with what refines what and what backs it; one
    still initial, a candidate or abandoned untested is not a finding yet."""
    met, missing = [], []
    for c in model.configurations:
        if c.status in (ConfigurationStatus.INITIAL, ConfigurationStatus.CANDIDATE):
            missing.append(f"a finding for configuration {c.id} (still {c.status.value})")
            continue
        if c.status is ConfigurationStatus.ABANDONED:
            missing.append(f"a finding for configuration {c.id} (abandoned untested)")
            continue
        parts = [c.status.value]
        if c.refines:
            parts.append(f"refines {join(list(c.refines))}")
        if c.confidence is not None:
            parts.append(f"CERQual confidence {c.confidence.level.value}")
        if c.evidence:
            parts.append(count(len(c.evidence), "source"))
        met.append(f"configuration {c.id}: {'; '.join(parts)}")
    return Reading(tuple(met), tuple(missing))


def _items(*items: Item) -> tuple[Item, ...]:
    return items


STANDARDS: Final[dict[str, Standard]] = {
    "tidier": Standard(
        "tidier",
        "TIDieR",
        "Hoffmann TC et al. (2014). Better reporting of interventions: template for"
        " intervention description and replication (TIDieR) checklist and guide. BMJ 348:g1687.",
        _items(
            Item(
                "1",
                "Brief name",
                "Provide the name or a phrase that describes the intervention.",
                _brief_name,
                "the model's title and its activities",
            ),
            Item(
                "2",
                "Why",
                "Describe any rationale, theory, or goal of the elements essential"
                " to the intervention.",
                _why,
                "mechanisms and the theories that explain them",
            ),
            Item(
                "3",
                "What: materials",
                "Describe any physical or informational materials used in the intervention.",
                _activity_field("materials"),
                "each activity's 'materials'",
            ),
            Item(
                "4",
                "What: procedures",
                "Describe each of the procedures, activities, and/or"
                " processes used in the intervention.",
                _activity_field("procedures"),
                "each activity's 'procedures'",
            ),
            Item(
                "5",
                "Who provided",
                "For each category of intervention provider, describe"
                " their expertise, background and any specific training given.",
                _activity_field("provider", "actors", first=True),
                "each activity's 'provider' or actors",
            ),
            Item(
                "6",
                "How",
                "Describe the modes of delivery (such as face to face or by some"
                " other mechanism, such as internet or telephone) of the intervention and"
                " whether it was provided individually or in a group.",
                _activity_field("mode"),
                "each activity's 'mode'",
            ),
            Item(
                "7",
                "Where",
                "Describe the type(s) of location(s) where the intervention"
                " occurred, including any necessary infrastructure or relevant features.",
                _activity_field("setting"),
                "each activity's 'setting'",
            ),
            Item(
                "8",
                "When and how much",
                "Describe the number of times the intervention was"
                " delivered and over what period of time including the number of sessions,"
                " their schedule, and their duration, intensity or dose.",
                _activity_field("dose", "frequency", "duration"),
                "each activity's 'dose', 'frequency' or 'duration'",
            ),
            Item(
                "9",
                "Tailoring",
                "If the intervention was planned to be personalised,"
                " titrated or adapted, then describe what, why, when, and how.",
                _activity_field("tailoring"),
                "each activity's 'tailoring'",
            ),
            Item(
                "10",
                "Modifications",
                "If the intervention was modified during the course of"
                " the study, describe the changes (what, why, when, and how).",
                _activity_field("modifications"),
                "each activity's 'modifications'",
            ),
            Item(
                "11",
                "How well: planned",
                "If intervention adherence or fidelity was"
                " assessed, describe how and by whom, and if any strategies were used to"
                " maintain or improve fidelity.",
                _how_well_planned,
                "an indicator of fidelity or adherence on an activity or output",
            ),
            Item(
                "12",
                "How well: actual",
                "If intervention adherence or fidelity was assessed,"
                " describe the extent to which the intervention was delivered as planned.",
                _how_well_actual,
                "such an indicator on an element with reported evidence",
            ),
        ),
    ),
    "mrc2021": Standard(
        "mrc2021",
        "MRC framework 2021",
        "Skivington K et al. (2021). A new framework for developing and evaluating complex"
        " interventions: update of Medical Research Council guidance. BMJ 374:n2061.",
        _items(
            Item(
                "context",
                "Context",
                "Consider context: what is known already about how"
                " context shapes the intervention and its outcomes.",
                _context,
                "context elements and what each shapes",
            ),
            Item(
                "programme-theory",
                "Programme theory",
                "Develop, refine and test the programme"
                " theory: how the intervention is expected to cause its effects.",
                _programme_theory,
                "mechanisms that lead to outcomes",
            ),
            Item(
                "stakeholders",
                "Stakeholders",
                "Engage stakeholders: those targeted by the"
                " intervention, those who deliver it and those who decide on it.",
                _stakeholders,
                "actors named on elements",
            ),
            Item(
                "uncertainties",
                "Key uncertainties",
                "Identify key uncertainties, given what"
                " is already known and what the programme theory assumes.",
                _uncertainties,
                "assumptions and links marked hypothesised",
            ),
            Item(
                "refinement",
                "Refine the intervention",
                "Refine the intervention (and its theory) as evidence accrues.",
                _refinement,
                "the model's version",
            ),
            Item(
                "economic",
                "Economic considerations",
                "Consider the costs and the value of the intervention.",
                _economic,
                "an element or indicator about costs or value for money",
            ),
        ),
        item_word="core element",
    ),
    "rameses": Standard(
        "rameses",
        "RAMESES II",
        "Wong G et al. (2016). RAMESES II reporting standards for realist evaluations."
        " BMC Medicine 14:96.",
        _items(
            Item(
                "4",
                "Programme theory",
                "Describe the initial programme theory (or theories)"
                " that underpin the programme, policy or initiative.",
                _rameses_theory,
                "mechanisms with their resource or reasoning and the contexts that shape them",
            ),
            Item(
                "8",
                "Environment",
                "Describe the environment in which the evaluation took place.",
                _context,
                "context elements and what each shapes",
            ),
            Item(
                "9",
                "Programme evaluated",
                "Describe the programme, policy, initiative or product evaluated.",
                _activity_field("procedures", "description", "actors"),
                "each activity's procedures, description or actors",
            ),
            Item(
                "15",
                "Main findings",
                "Present key findings, linking them to contexts,"
                " mechanisms and outcome configurations, and show how they were used to"
                " develop, test or refine the programme theory.",
                _rameses_findings,
                "configurations judged by the data (supported, refined or refuted), or"
                " mechanisms with evidence and its status",
            ),
        ),
    ),
}


def iter_readings(standard: str, model: ChangeModel) -> Iterator[tuple[Item, Reading]]:
    """Each item of *standard* with its reading of *model*."""
    for item in STANDARDS[standard].items:
        yield item, read(item, model)


def _md(text: str) -> str:
    out = " ".join(text.split())
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "|"):
        out = out.replace(char, "\\" + char)
    return out


def describe(model: ChangeModel, standard: str = "tidier") -> str:
    """The description of *model* under *standard*, item by item, in Markdown:
    what the model states for each item and what is missing.

    >>> m = ChangeModel("Falls prevention")
    >>> _ = m.activity("classes", "Group classes", actors=["instructor"])
    >>> text = describe(m, "tidier")
    >>> print(text.splitlines()[0])
    # TIDieR description: Falls prevention
    >>> "| 5 | Who provided | met |" in text, "| 3 | What: materials | missing |" in text
    (True, True)
    """
    if standard not in STANDARDS:
        raise InvalidValueError(
            f"unknown standard {standard!r}; expected one of {join(list(STANDARDS), 'or')}",
            value=standard,
        )
    std = STANDARDS[standard]
    readings = [(item, read(item, model)) for item in std.items]
    met = sum(r.status == "met" for _, r in readings)
    lines = [
        f"# {_md(std.title)} description: {_md(model.title)}",
        "",
        f"Each {std.item_word} of {_md(std.title)} ({_md(std.citation.rstrip('.'))}), as the"
        " model states it; what the model does not state is marked **missing**."
        f" {met} of {count(len(readings), std.item_word)} met.",
        "",
        f"| {capitalise(std.item_word)} | Name | Status |",
        "|---|---|---|",
    ]
    lines += [f"| {_md(i.number)} | {_md(i.name)} | {r.status} |" for i, r in readings]
    for item, reading in readings:
        heading = f"{item.number}. {item.name}" if std.item_word == "item" else item.name
        lines += ["", f"## {_md(heading)}", "", f"*{_md(item.question)}*", ""]
        lines += [f"- {_md(m)}" for m in reading.met]
        if reading.missing:
            what = f"no {reading.lacking} stated for " if reading.lacking else ""
            if reading.met:
                lines.append("")
            lines.append(f"**Missing:** {_md(what + join(list(reading.missing)))}.")
    return "\n".join(lines) + "\n"
