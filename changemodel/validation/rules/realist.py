"""Realist rules: context-mechanism-outcome completeness."""

from __future__ import annotations

from collections.abc import Iterator

from changemodel.domain import Kind
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue

__all__ = ["catalogue"]

catalogue = Catalogue()


@catalogue.rule(
    "CM401",
    "mechanism-without-context",
    severity="warning",
    profiles=("realist",),
    what="Every mechanism is shaped by at least one context (a 'moderates' link from a"
    " context to the mechanism).",
    why="Realist evaluation asks what works for whom in what circumstances: a mechanism"
    " fires in some contexts and not in others. A mechanism with no context is a"
    " context-mechanism-outcome configuration with its C missing.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: trust}
- {from: trust, to: hope}
""",
    hint="Add the context in which the mechanism fires (or fails) and link it with"
    " 'relation: moderates'.",
)
def mechanism_without_context(facts: Facts) -> Iterator[Problem]:
    shaped = facts.moderated_by
    for e in facts.of_kind(Kind.MECHANISM):
        if e.id not in shaped:
            yield Problem(f"No context shapes mechanism {e.id!r}.", element=e.id)


@catalogue.rule(
    "CM402",
    "idle-context",
    severity="warning",
    profiles=("mrc", "realist"),
    what="Every context moderates at least one element.",
    why="A context belongs in the theory because it shapes implementation, a mechanism"
    " or an outcome; one that shapes nothing cannot inform the analysis of who the"
    " intervention works for.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: ward, kind: context, label: Ward culture}
links:
- {from: support, to: trust}
""",
    hint="Link the context with 'relation: moderates' to what it shapes.",
)
def idle_context(facts: Facts) -> Iterator[Problem]:
    moderates = facts.moderates_out
    for e in facts.of_kind(Kind.CONTEXT):
        if e.id not in moderates:
            yield Problem(f"Context {e.id!r} moderates nothing.", element=e.id)


@catalogue.rule(
    "CM403",
    "mechanism-without-reasoning",
    severity="info",
    profiles=("realist",),
    what="Every mechanism states the resource the intervention offers or the reasoning"
    " (response) it triggers, or both.",
    why="Realist evaluation splits a mechanism into resource and reasoning: what is"
    " offered, and how people respond. Stating them is what makes a mechanism"
    " testable rather than a label.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust}
""",
    hint="Add 'resource:' and 'reasoning:' to the mechanism.",
)
def mechanism_without_reasoning(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.MECHANISM):
        if getattr(e, "resource", None) is None and getattr(e, "reasoning", None) is None:
            yield Problem(
                f"Mechanism {e.id!r} states neither the resource offered nor the"
                " reasoning it triggers.",
                element=e.id,
            )


@catalogue.rule(
    "CM404",
    "mechanism-without-theory",
    severity="info",
    profiles=("realist", "evidence"),
    what="Every mechanism names at least one theory that explains it.",
    why="Mid-range theory is what lets a finding about one programme travel to another;"
    " a mechanism without one rests on the programme's own account alone.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust}
""",
    hint="Add the theory to the model's 'theories:' and name it on the mechanism.",
)
def mechanism_without_theory(facts: Facts) -> Iterator[Problem]:
    for e in facts.of_kind(Kind.MECHANISM):
        if not e.theories:
            yield Problem(f"Mechanism {e.id!r} names no theory.", element=e.id)
