"""Structure rules: graph checks of the kind diagramming tools make. On by default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from changemodel.domain import Kind, Relation
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue, article

__all__ = ["DEFAULT_FAN_LIMIT", "catalogue"]

catalogue = Catalogue()

#: More causal links than this into or out of one element is worth a look.
DEFAULT_FAN_LIMIT: Final = 8


@catalogue.rule(
    "CM201",
    "isolated-element",
    severity="warning",
    profiles=("structure",),
    what="Every element other than an assumption is joined to the rest of the model by"
    " at least one link.",
    why="An isolated box is a step of the theory that explains nothing and is"
    " explained by nothing: either a link is missing or the element is left over"
    " from an earlier version.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: leaflet, kind: output, label: Leaflets handed out}
links:
- {from: support, to: hope}
""",
    hint="Link the element to what it leads to or comes from, or remove it.",
)
def isolated_element(facts: Facts) -> Iterator[Problem]:
    linked = facts.linked
    for e in facts.elements.values():
        if e.id not in linked and e.kind is not Kind.ASSUMPTION:
            yield Problem(f"{e.kind.label.capitalize()} {e.id!r} has no links.", element=e.id)


@catalogue.rule(
    "CM202",
    "backward-link",
    severity="error",
    profiles=("structure",),
    what="No causal link runs backwards along the chain inputs -> activities ->"
    " outputs -> mechanisms -> process outcomes -> downstream outcomes (an outcome"
    " leading to an activity, say) unless it is marked 'feedback: true'.",
    why="A logic model reads left to right, 'if ... then'. A link against that"
    " direction is either a deliberate feedback, which should say so, or an element"
    " of the wrong kind.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
links:
- {from: support, to: wellbeing}
- {from: wellbeing, to: support}
""",
    hint="Mark the link 'feedback: true' if the loop is meant, or check the kinds of its two ends.",
)
def backward_link(facts: Facts) -> Iterator[Problem]:
    kinds = facts.kinds
    stage = {kind: -1 if kind.stage is None else kind.stage for kind in Kind}
    leads_to = Relation.LEADS_TO
    for link in facts.links:
        if link.relation is not leads_to or link.feedback:
            continue
        s, t = kinds[link.source], kinds[link.target]
        if stage[t] < stage[s] and stage[t] >= 0:
            yield Problem(
                f"Link {link.id} runs backwards, from {article(s)} to {article(t)},"
                " and is not marked as feedback.",
                link=link.id,
            )


@catalogue.rule(
    "CM203",
    "unattached-assumption",
    severity="warning",
    profiles=("structure",),
    what="Every assumption is listed by at least one link, the link it underpins.",
    why="An assumption matters because a particular step depends on it; attached"
    " to nothing, it cannot be tested, and nobody can tell which step fails if it"
    " does not hold.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: willing, kind: assumption, label: Peer workers share their experience}
links:
- {from: support, to: trust}
""",
    hint="List the assumption on the link it underpins ('assumptions: [id]').",
)
def unattached_assumption(facts: Facts) -> Iterator[Problem]:
    listed = facts.listed_assumptions
    for e in facts.of_kind(Kind.ASSUMPTION):
        if e.id not in listed:
            yield Problem(f"Assumption {e.id!r} underpins no link.", element=e.id)


@catalogue.rule(
    "CM204",
    "duplicate-label",
    severity="warning",
    profiles=("structure",),
    what="No two elements of the same kind have the same label (ignoring case and spacing).",
    why="Two boxes with one label are usually one idea entered twice, which splits"
    " its links between them, or two ideas that need labels telling them apart.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: hope, kind: process_outcome, label: Hope}
- {id: hope2, kind: process_outcome, label: hope}
""",
    hint="Merge the two elements, or give each a label that says how they differ.",
)
def duplicate_label(facts: Facts) -> Iterator[Problem]:
    first: dict[tuple[Kind, str], str] = {}
    for e in facts.elements.values():
        key = (e.kind, " ".join(e.label.split()).casefold())
        other = first.setdefault(key, e.id)
        if other != e.id:
            yield Problem(
                f"{e.kind.label.capitalize()} {e.id!r} has the same label as {other!r}:"
                f" {e.label!r}.",
                element=e.id,
                related=(other,),
            )


@catalogue.rule(
    "CM205",
    "feedback-without-loop",
    severity="warning",
    profiles=("structure",),
    what="A link marked 'feedback: true' closes a loop: its target leads back to its source.",
    why="The feedback mark says 'this loop is deliberate'. On a link that closes no"
    " loop it is a leftover, and it takes the link out of the causal order for no reason.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: hope, feedback: true}
""",
    hint="Remove the feedback mark, or add the links that make the loop.",
)
def feedback_without_loop(facts: Facts) -> Iterator[Problem]:
    components = facts.loop_components
    for link in facts.links:
        if not link.feedback or link.source == link.target:
            continue
        here = components.get(link.source)
        if here is None or components.get(link.target) != here:
            yield Problem(
                f"Link {link.id} is marked as feedback, but {link.target!r} does not lead"
                f" back to {link.source!r}.",
                link=link.id,
            )


@catalogue.rule(
    "CM206",
    "fan-limit",
    severity="info",
    profiles=("structure",),
    what="No element has more causal links in (fan-in) or out (fan-out) than the limit"
    " set by 'fan_limit' (8 unless configured).",
    why="An element that everything leads to, or that leads to everything, is often"
    " too broad to be measured or explained as one step; splitting it makes the theory"
    " testable. It may also be fine: this is a prompt to look, not an error.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: trust, kind: process_outcome, label: Trust}
- {id: skills, kind: process_outcome, label: Skills}
links:
- {from: support, to: hope}
- {from: support, to: trust}
- {from: support, to: skills}
validation:
  fan_limit: 2
""",
    hint="Consider splitting the element into more specific ones.",
)
def fan_limit(facts: Facts) -> Iterator[Problem]:
    limit = int(facts.options.get("fan_limit", DEFAULT_FAN_LIMIT))
    kinds = facts.kinds
    for eid, targets in facts.causal_out.items():
        if len(targets) > limit:
            yield Problem(
                f"{kinds[eid].label.capitalize()} {eid!r} leads to {len(targets)} elements"
                f" (fan-out limit {limit}).",
                element=eid,
            )
    for eid, sources in facts.causal_in.items():
        if len(sources) > limit:
            yield Problem(
                f"{len(sources)} elements lead to {kinds[eid].label} {eid!r}"
                f" (fan-in limit {limit}).",
                element=eid,
            )
