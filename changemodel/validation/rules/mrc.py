"""MRC rules: completeness of a complex-intervention logic model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from changemodel.domain import Kind, Sign
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue, article

__all__ = ["catalogue"]

catalogue = Catalogue()

_OUTCOMES: Final = (Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME)


@catalogue.rule(
    "CM301",
    "mechanism-without-outcome",
    severity="warning",
    profiles=("mrc", "realist"),
    what="Every mechanism leads, through one or more causal links, to a process or"
    " downstream outcome.",
    why="A mechanism of impact is there to explain an outcome. One that leads nowhere"
    " is a dead end of the theory: the outcome it produces is missing, or the"
    " mechanism is not part of this intervention's story.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: modelling, kind: mechanism, label: Role-modelling recovery}
links:
- {from: support, to: modelling}
""",
    hint="Add the outcome the mechanism produces and link to it.",
)
def mechanism_without_outcome(facts: Facts) -> Iterator[Problem]:
    reaching = facts.reaching(facts.ids_of(*_OUTCOMES))
    for e in facts.of_kind(Kind.MECHANISM):
        if e.id not in reaching:
            yield Problem(f"Mechanism {e.id!r} leads to no outcome.", element=e.id)


@catalogue.rule(
    "CM302",
    "unreached-outcome",
    severity="warning",
    profiles=("mrc",),
    what="Every downstream outcome is reached, through causal links, from at least one activity.",
    why="An outcome the intervention's activities do not lead to is not an outcome of"
    " this intervention: a trial would measure it without a theory of why it should move.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: admissions, kind: downstream_outcome, label: Fewer admissions}
links:
- {from: support, to: hope}
""",
    hint="Link the chain that leads to this outcome, or remove it from the model.",
)
def unreached_outcome(facts: Facts) -> Iterator[Problem]:
    reached = facts.reached_from(facts.ids_of(Kind.ACTIVITY))
    for e in facts.of_kind(Kind.DOWNSTREAM_OUTCOME):
        if e.id not in reached:
            yield Problem(f"No activity leads to downstream outcome {e.id!r}.", element=e.id)


@catalogue.rule(
    "CM303",
    "activity-without-outcome",
    severity="warning",
    profiles=("mrc",),
    what="Every activity leads, through causal links, to at least one outcome.",
    why="An intervention component with no outcome downstream has no stated purpose:"
    " nobody can say what evaluating it would show.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust}
""",
    hint="Continue the chain from this activity to the outcomes it is meant to change.",
)
def activity_without_outcome(facts: Facts) -> Iterator[Problem]:
    reaching = facts.reaching(facts.ids_of(*_OUTCOMES))
    for e in facts.of_kind(Kind.ACTIVITY):
        if e.id not in reaching:
            yield Problem(f"Activity {e.id!r} leads to no outcome.", element=e.id)


@catalogue.rule(
    "CM304",
    "black-box-link",
    severity="warning",
    profiles=("mrc",),
    what="No causal link runs from an input, activity or output straight to an outcome,"
    " skipping the mechanism that would explain it.",
    why="The MRC guidance asks how an intervention works, not only whether. A direct"
    " link from what is done to what changes is the 'black box' a process evaluation"
    " is meant to open.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: hope}
""",
    hint="Put the mechanism between the two: activity -> mechanism -> outcome.",
)
def black_box_link(facts: Facts) -> Iterator[Problem]:
    elements = facts.elements
    for link in facts.links:
        if not link.is_causal:
            continue
        s, t = elements[link.source].kind, elements[link.target].kind
        if s in (Kind.INPUT, Kind.ACTIVITY, Kind.OUTPUT) and t.is_outcome:
            yield Problem(
                f"Link {link.id} goes from {article(s)} straight to {article(t)},"
                " with no mechanism in between.",
                link=link.id,
            )


@catalogue.rule(
    "CM305",
    "process-outcome-dead-end",
    severity="warning",
    profiles=("mrc",),
    what="Every process outcome feeds, through causal links, at least one downstream outcome.",
    why="Process outcomes are the proximal changes a process evaluation measures"
    " because they are meant to carry the effect further. One that feeds nothing"
    " downstream is either an end in itself, and then a downstream outcome, or a"
    " missing link.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
links:
- {from: trust, to: hope}
- {from: trust, to: wellbeing}
""",
    hint="Link the process outcome to the downstream outcome it contributes to.",
)
def process_outcome_dead_end(facts: Facts) -> Iterator[Problem]:
    reaching = facts.reaching(facts.ids_of(Kind.DOWNSTREAM_OUTCOME))
    for e in facts.of_kind(Kind.PROCESS_OUTCOME):
        if e.id not in reaching:
            yield Problem(f"Process outcome {e.id!r} feeds no downstream outcome.", element=e.id)


@catalogue.rule(
    "CM306",
    "missing-stage",
    severity="warning",
    profiles=("mrc",),
    what="The model has the columns of an MRC logic model that carry the theory: at"
    " least one activity, one mechanism, one process outcome and one downstream outcome.",
    why="Without mechanisms the model says what is done and what should change but not"
    " how; without process outcomes a process evaluation has nothing proximal to"
    " measure; without downstream outcomes the theory has no destination.",
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
    hint="Add the missing column, or ignore this rule if the model is deliberately partial.",
)
def missing_stage(facts: Facts) -> Iterator[Problem]:
    counts = facts.model.count_by_kind()
    for kind in (Kind.ACTIVITY, Kind.MECHANISM, Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME):
        if not counts[kind]:
            yield Problem(f"The model has no {kind.label}.")


@catalogue.rule(
    "CM307",
    "implementation-not-described",
    severity="info",
    profiles=("mrc",),
    what="The model has at least one output, the column where implementation (fidelity,"
    " dose, reach, adaptations) is described.",
    why="MRC process evaluation looks at implementation as well as mechanisms and"
    " context: without outputs, an evaluation plan cannot say what delivery it expects.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust}
""",
    hint="Add outputs such as the sessions or contacts delivered and the people reached.",
)
def implementation_not_described(facts: Facts) -> Iterator[Problem]:
    if facts.elements and not facts.model.count_by_kind()[Kind.OUTPUT]:
        yield Problem("The model has no output: its implementation is not described.")


@catalogue.rule(
    "CM308",
    "unexplained-outcome",
    severity="warning",
    profiles=("mrc", "realist"),
    what="Every process and downstream outcome has a mechanism upstream of it.",
    why="An outcome no mechanism leads to is claimed without an explanation of how it"
    " comes about: the question a realist or MRC process evaluation asks first.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: output, kind: output, label: Sessions delivered}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: output}
- {from: output, to: hope}
""",
    hint="Add the mechanism that produces the outcome and route the chain through it.",
)
def unexplained_outcome(facts: Facts) -> Iterator[Problem]:
    explained = facts.reached_from(facts.ids_of(Kind.MECHANISM))
    for e in facts.of_kind(*_OUTCOMES):
        if e.id not in explained:
            yield Problem(f"No mechanism leads to {e.kind.label} {e.id!r}.", element=e.id)


@catalogue.rule(
    "CM309",
    "conflicting-signs",
    severity="info",
    profiles=("mrc",),
    what="No element is reached from one activity along causal paths of opposite sign"
    " (one path increases it, another reduces it). Each place where paths first"
    " disagree is reported once, not every element after it. Paths through a loop"
    " that is not marked feedback are left to 'unmarked-cycle'.",
    why="Opposite signs on parallel paths mean the net effect depends on which path is"
    " stronger: worth a look, and worth measuring both paths. It may well be the"
    " theory (a component with a wanted and an unwanted effect).",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: dependence, kind: mechanism, label: Dependence on the peer worker}
- {id: engagement, kind: process_outcome, label: Engagement with services}
links:
- {from: support, to: trust}
- {from: support, to: dependence}
- {from: trust, to: engagement}
- {from: dependence, to: engagement, sign: reduces}
""",
    hint="Check both paths' signs; if both are meant, measure both mediators.",
)
def conflicting_signs(facts: Facts) -> Iterator[Problem]:
    # One pass over the causal order, carrying for each element the activities that
    # reach it with a positive and with a negative net sign as bit sets. An element's
    # sets are dropped as soon as they are passed on, so memory follows the width of
    # the graph; the work is (elements + links) x (activities / machine word).
    activities = [e.id for e in facts.of_kind(Kind.ACTIVITY)]
    if not activities:
        return
    bit = {a: 1 << i for i, a in enumerate(activities)}
    signed: dict[str, list[tuple[str, bool]]] = {}
    for link in facts.links:
        if link.is_causal and not link.feedback:
            signed.setdefault(link.source, []).append((link.target, link.sign is Sign.REDUCES))
    order, _ = facts.topological
    pos: dict[str, int] = {}
    neg: dict[str, int] = {}
    inherited: dict[str, int] = {}
    for node in order:
        p = pos.pop(node, 0) | bit.get(node, 0)
        n = neg.pop(node, 0)
        conflict = p & n
        new = conflict & ~inherited.pop(node, 0)
        if new:
            names = [a for a in activities if bit[a] & new]
            shown = ", ".join(repr(a) for a in names[:3])
            if len(names) > 3:
                shown += f" and {len(names) - 3} more"
            which = "activity" if len(names) == 1 else "activities"
            yield Problem(
                f"{facts.elements[node].kind.label.capitalize()} {node!r} is increased along"
                f" one causal path and reduced along another from the {which} {shown}.",
                element=node,
                related=tuple(names),
            )
        if not (p or n):
            continue
        for target, reduces in signed.get(node, ()):
            if reduces:
                pos[target] = pos.get(target, 0) | n
                neg[target] = neg.get(target, 0) | p
            else:
                pos[target] = pos.get(target, 0) | p
                neg[target] = neg.get(target, 0) | n
            if conflict:
                inherited[target] = inherited.get(target, 0) | conflict
