"""Evaluation rules: the model is ready to be turned into an evaluation plan."""

from __future__ import annotations

from collections.abc import Iterator

from changemodel.domain import Kind
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue

__all__ = ["catalogue"]

catalogue = Catalogue()


@catalogue.rule(
    "CM601",
    "outcome-without-indicator",
    severity="warning",
    profiles=("evaluation",),
    what="Every process and downstream outcome has at least one indicator.",
    why="An outcome without a measure cannot be evaluated: the evaluation plan has a"
    " row with nothing in its 'how measured' column.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: hope, kind: process_outcome, label: Hope}
""",
    hint="Add 'indicators:' with a name, an instrument or data source, and timepoints.",
)
def outcome_without_indicator(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME):
        if not e.indicators:
            yield Problem(f"{e.kind.label.capitalize()} {e.id!r} has no indicator.", element=e.id)


@catalogue.rule(
    "CM602",
    "mechanism-without-indicator",
    severity="warning",
    profiles=("evaluation",),
    what="Every mechanism has at least one indicator.",
    why="MRC process evaluation tests mechanisms of impact, usually as mediators; a"
    " mechanism that is not measured can be described but not tested.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: trust, kind: mechanism, label: Trust}
""",
    hint="Add an indicator of the mechanism: a measure of the response it names, or a"
    " record of the resource being offered.",
)
def mechanism_without_indicator(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.MECHANISM):
        if not e.indicators:
            yield Problem(f"Mechanism {e.id!r} has no indicator.", element=e.id)


@catalogue.rule(
    "CM603",
    "indicator-without-timepoint",
    severity="warning",
    profiles=("evaluation",),
    what="Every indicator states at least one timepoint.",
    why="When a measure is taken decides what it can show: a process outcome measured"
    " only at the end cannot mediate anything, and a protocol needs the schedule.",
    example="""\
changemodel: 1
title: Example
elements:
- id: hope
  kind: process_outcome
  label: Hope
  indicators:
  - {name: Herth Hope Index}
""",
    hint="Add 'timepoints:', such as [baseline, 6 months].",
)
def indicator_without_timepoint(facts: Facts) -> Iterator[Problem]:
    for e in facts.elements.values():
        for indicator in e.indicators:
            if not indicator.timepoints:
                yield Problem(
                    f"Indicator {indicator.name!r} of {e.kind.label} {e.id!r} has no timepoint.",
                    element=e.id,
                )


@catalogue.rule(
    "CM604",
    "implementation-unmeasured",
    severity="info",
    profiles=("evaluation",),
    what="Every output has at least one indicator (fidelity, dose, reach or adaptations).",
    why="Without implementation measures an evaluation cannot tell a theory that failed"
    " from an intervention that was not delivered.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: sessions, kind: output, label: Sessions delivered}
""",
    hint="Add an indicator of fidelity, dose, reach or adaptations, such as the share of"
    " planned sessions or contacts delivered.",
)
def implementation_unmeasured(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.OUTPUT):
        if not e.indicators:
            yield Problem(f"Output {e.id!r} has no indicator.", element=e.id)


@catalogue.rule(
    "CM605",
    "horizon-not-stated",
    severity="info",
    profiles=("evaluation",),
    what="Every downstream outcome states its time horizon (short, intermediate, long or impact).",
    why="The horizon says when the outcome can be expected to move, and so when a"
    " trial should measure it.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
""",
    hint="Add 'horizon: intermediate' (or short, long, impact).",
)
def horizon_not_stated(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.DOWNSTREAM_OUTCOME):
        if getattr(e, "horizon", None) is None:
            yield Problem(f"Downstream outcome {e.id!r} states no time horizon.", element=e.id)
