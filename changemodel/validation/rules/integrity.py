"""Integrity rules: the model holds together. Always on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import attrs

from changemodel.domain import Kind, Relation, normalise_id
from changemodel.index import components, find_cycle
from changemodel.text import join
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue, article

__all__ = ["ALLOWED", "catalogue"]

catalogue = Catalogue()

_CHAIN: Final = frozenset(k for k in Kind if k.stage is not None)

#: relation -> (kinds allowed as source, kinds allowed as target); ``part_of``
#: also needs both ends to be of the same kind.
ALLOWED: Final[dict[Relation, tuple[frozenset[Kind], frozenset[Kind]]]] = {
    Relation.LEADS_TO: (_CHAIN, _CHAIN),
    Relation.MODERATES: (frozenset({Kind.CONTEXT}), _CHAIN),
    Relation.PART_OF: (frozenset(Kind), frozenset(Kind)),
}

_SHOWN: Final = 8


def _list(ids: list[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


@catalogue.rule(
    "CM101",
    "dangling-id",
    severity="error",
    profiles=("integrity",),
    what="Every id the model refers to names something: the assumptions a link lists,"
    " the theories an element or link names, and the references a theory cites.",
    why="A reference to nothing is usually a typo or a renamed element. The theory"
    " then says less than its author thinks: an assumption that underpins nothing,"
    " a mechanism explained by no theory.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust, theories: [atachment]}
links:
- {from: support, to: trust}
""",
    hint="Correct the id, or add the missing element, theory or reference.",
)
def dangling_id(facts: Facts) -> Iterator[Problem]:
    elements = facts.elements
    theories = facts.theory_ids
    references = facts.reference_ids
    for e in elements.values():
        for t in e.theories:
            if t not in theories:
                yield Problem(
                    f"{e.kind.label.capitalize()} {e.id!r} names the theory {t!r},"
                    " which is not in the model.",
                    element=e.id,
                )
    for link in facts.links:
        for a in link.assumptions:
            if a not in elements:
                yield Problem(
                    f"Link {link.id} lists the assumption {a!r}, which is not in the model.",
                    link=link.id,
                )
        for t in link.theories:
            if t not in theories:
                yield Problem(
                    f"Link {link.id} names the theory {t!r}, which is not in the model.",
                    link=link.id,
                )
    for theory in facts.model.theories:
        for r in theory.references:
            if r not in references:
                yield Problem(
                    f"Theory {theory.id!r} cites the reference {r!r}, which is not in the model.",
                    item=theory.id,
                    at=f"theory:{theory.id}",
                )


@catalogue.rule(
    "CM102",
    "duplicate-id",
    severity="warning",
    profiles=("integrity",),
    what="No id is shared by an element, a theory and a reference (ignoring case and"
    " '-' versus '_'). Ids of one sort are already unique: the model refuses a"
    " second element, link, theory or reference with an id in use.",
    why="The same id for a mechanism and a theory reads as one thing in tables,"
    " diagrams and exports, and cross-references become ambiguous for readers.",
    example="""\
changemodel: 1
title: Example
theories:
- {id: trust, name: Trust theory}
elements:
- {id: trust, kind: mechanism, label: Building trust}
""",
    hint="Rename one of them, for example with a suffix that says what it is.",
)
def duplicate_id(facts: Facts) -> Iterator[Problem]:
    if not facts.theory_ids and not facts.reference_ids:
        return  # element ids are unique already, also after normalising
    seen: dict[str, list[tuple[str, str]]] = {}
    for what, ids in (
        ("element", list(facts.elements)),
        ("theory", sorted(facts.theory_ids)),
        ("reference", sorted(facts.reference_ids)),
    ):
        for i in ids:
            seen.setdefault(normalise_id(i), []).append((what, i))
    for users in seen.values():
        if len({what for what, _ in users}) < 2:
            continue
        first_what, first = users[0]
        others = join([f"{what} {i!r}" for what, i in users[1:]])
        other_what, other = users[1]
        problem = Problem(
            f"The id of {first_what} {first!r} is also used by {others}.",
            related=tuple(i for _, i in users[1:]),
            hint=f"Rename one of them, for example {other_what} {other!r} to"
            f" {f'{other}_{other_what}'!r}.",
        )
        if first_what == "element":
            yield attrs.evolve(problem, element=first)
        else:
            yield attrs.evolve(problem, item=first, at=f"{first_what}:{first}")


@catalogue.rule(
    "CM103",
    "relation-not-allowed",
    severity="error",
    profiles=("integrity",),
    what="Each link joins kinds its relation allows: 'leads_to' runs between inputs,"
    " activities, outputs, mechanisms and outcomes; 'moderates' runs from a context to"
    " one of those; 'part_of' joins two elements of the same kind.",
    why="A context that 'leads to' an outcome, or an assumption inside the causal"
    " chain, mixes the conditions of the theory with its steps; every analysis, table"
    " and realist configuration built on the model would then be wrong.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: ward, kind: context, label: Ward culture}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: ward, to: hope}
""",
    hint="Use 'moderates' from a context, list an assumption on the link it"
    " underpins, or change one element's kind.",
)
def relation_not_allowed(facts: Facts) -> Iterator[Problem]:
    kinds = facts.kinds
    for link in facts.links:
        source, target = kinds[link.source], kinds[link.target]
        sources, targets = ALLOWED[link.relation]
        if link.relation is Relation.PART_OF:
            if source is not target:
                yield Problem(
                    f"Link {link.id} makes {article(source)} part of"
                    f" {article(target)}; part_of joins two elements of the same kind.",
                    link=link.id,
                )
            continue
        if source not in sources or target not in targets:
            yield Problem(
                f"A {link.relation.value} link cannot run from {article(source)}"
                f" ({link.source!r}) to {article(target)} ({link.target!r}).",
                link=link.id,
            )


@catalogue.rule(
    "CM104",
    "not-an-assumption",
    severity="error",
    profiles=("integrity",),
    what="The ids a link lists under 'assumptions' name assumption elements.",
    why="Listing a mechanism or an outcome as an assumption hides a causal step"
    " inside a link, where no rule, table or diagram will show it as a step.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: hope, assumptions: [trust]}
""",
    hint="Make the element an assumption, or link it into the chain as a step.",
)
def not_an_assumption(facts: Facts) -> Iterator[Problem]:
    elements = facts.elements
    for link in facts.links:
        for a in link.assumptions:
            e = elements.get(a)
            if e is not None and e.kind is not Kind.ASSUMPTION:
                yield Problem(
                    f"Link {link.id} lists {a!r} as an assumption, but it is a {e.kind.label}.",
                    link=link.id,
                    related=(a,),
                )


@catalogue.rule(
    "CM105",
    "unmarked-cycle",
    severity="error",
    profiles=("integrity",),
    what="The causal links form no loop unless one of its links is marked"
    " 'feedback: true'. Loops are found as strongly connected components, so a"
    " tangle of many loops is reported once.",
    why="A deliberate loop (an outcome reinforcing engagement) is part of a theory"
    " and should say so; any other loop in a causal chain is a modelling error, and"
    " it makes the causal order, and every analysis that needs one, undefined.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: engagement, kind: mechanism, label: Engagement}
- {id: attendance, kind: process_outcome, label: Attendance}
links:
- {from: engagement, to: attendance}
- {from: attendance, to: engagement}
""",
    hint="Mark the link that closes the loop as 'feedback: true', or remove it.",
)
def unmarked_cycle(facts: Facts) -> Iterator[Problem]:
    out = facts.forward_out
    for component in facts.unmarked_cycles:
        cycle = find_cycle(component, out)
        path = " -> ".join(cycle)
        closing = f"{cycle[-2]}->{cycle[-1]}"
        more = (
            f" ({len(component)} elements are caught in loops here: {_list(component)})"
            if len(component) > len(cycle) - 1
            else ""
        )
        yield Problem(
            f"The causal links loop back without a feedback mark: {path}{more}.",
            element=cycle[0],
            related=tuple(component),
            hint=f"If the loop is meant, mark a link on it as feedback (such as {closing});"
            " otherwise remove the link that closes it.",
        )


@catalogue.rule(
    "CM106",
    "nesting-cycle",
    severity="error",
    profiles=("integrity",),
    what="The 'part_of' links form no loop: nothing is, through its parts, a part of itself.",
    why="Nesting is a hierarchy; a loop makes the sub-components of an activity or"
    " mechanism undefined, and every rolled-up view of the model with them.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: sessions, kind: activity, label: One-to-one sessions}
- {id: groups, kind: activity, label: Group work}
links:
- {from: sessions, to: groups, relation: part_of}
- {from: groups, to: sessions, relation: part_of}
""",
    hint="Remove the part_of link that points back up the hierarchy.",
)
def nesting_cycle(facts: Facts) -> Iterator[Problem]:
    out = facts.part_of_out
    if not out:
        return
    for component in components(set(out), out):
        cycle = find_cycle(component, out)
        yield Problem(
            f"The part_of links loop: {' is part of '.join(cycle)}.",
            element=cycle[0],
            related=tuple(component),
        )
