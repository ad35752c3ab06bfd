"""Evidence rules: links are supported, references resolve, statuses are stated."""

from __future__ import annotations

from collections.abc import Iterator

from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue

__all__ = ["catalogue"]

catalogue = Catalogue()


@catalogue.rule(
    "CM501",
    "unknown-reference",
    severity="error",
    profiles=("evidence",),
    what="Evidence on an element or a link cites a reference that is in the model's 'references:'.",
    why="Evidence is only as good as the source it can be traced to; a citation of an"
    " unknown reference cannot be checked, and disappears from every reference list"
    " generated from the model.",
    example="""\
changemodel: 1
title: Example
elements:
- id: trust
  kind: mechanism
  label: Trust
  evidence:
  - {reference: gillard2104, status: reported}
""",
    hint="Correct the reference id, or add the reference to 'references:'.",
)
def unknown_reference(facts: Facts) -> Iterator[Problem]:
    known = facts.reference_ids
    for e in facts.elements.values():
        for ev in e.evidence:
            if ev.reference is not None and ev.reference not in known:
                yield Problem(
                    f"Evidence on {e.kind.label} {e.id!r} cites {ev.reference!r},"
                    " which is not among the model's references.",
                    element=e.id,
                )
    for link in facts.links:
        for ev in link.evidence:
            if ev.reference is not None and ev.reference not in known:
                yield Problem(
                    f"Evidence on link {link.id} cites {ev.reference!r}, which is not"
                    " among the model's references.",
                    link=link.id,
                )


@catalogue.rule(
    "CM502",
    "theory-without-reference",
    severity="warning",
    profiles=("evidence",),
    what="Every theory cites at least one reference.",
    why="A named theory without a source cannot be checked against what its authors"
    " actually claimed, and readers cannot tell which version of it is meant.",
    example="""\
changemodel: 1
title: Example
theories:
- {id: social_learning, name: Social learning theory}
""",
    hint="Add the key source to 'references:' and list it on the theory.",
)
def theory_without_reference(facts: Facts) -> Iterator[Problem]:
    for theory in facts.model.theories:
        if not theory.references:
            yield Problem(
                f"Theory {theory.id!r} cites no reference.",
                item=theory.id,
                at=f"theory:{theory.id}",
            )


@catalogue.rule(
    "CM503",
    "unsupported-link",
    severity="warning",
    profiles=("evidence",),
    what="Every causal link carries a rationale or at least one piece of evidence.",
    why="The links are the theory's claims. A link with neither a reason nor a source"
    " is an assertion; writing down why it should hold is what makes it testable.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust}
""",
    hint="Add 'rationale:' (why the link should hold) or 'evidence:' (a source).",
)
def unsupported_link(facts: Facts) -> Iterator[Problem]:
    for link in facts.links:
        if link.is_causal and link.rationale is None and not link.evidence:
            yield Problem(f"Link {link.id} has neither a rationale nor evidence.", link=link.id)


@catalogue.rule(
    "CM504",
    "evidence-without-status",
    severity="warning",
    profiles=("evidence",),
    what="Every piece of evidence states its status: reported, theorised, inferred or"
    " hypothesised.",
    why="What a source reports and what the model's authors reconstructed from it are"
    " different claims. Recording the difference is what keeps a theory honest when it"
    " is reused.",
    example="""\
changemodel: 1
title: Example
references:
- {id: gillard2014, citation: Gillard et al. (2014)}
elements:
- id: trust
  kind: mechanism
  label: Trust
  evidence:
  - {reference: gillard2014}
""",
    hint="Add 'status: reported' (or theorised, inferred, hypothesised).",
)
def evidence_without_status(facts: Facts) -> Iterator[Problem]:
    for e in facts.elements.values():
        missing = sum(1 for ev in e.evidence if ev.status is None)
        if missing:
            yield Problem(
                f"{_count(missing)} on {e.kind.label} {e.id!r} states no status.",
                element=e.id,
            )
    for link in facts.links:
        missing = sum(1 for ev in link.evidence if ev.status is None)
        if missing:
            yield Problem(f"{_count(missing)} on link {link.id} states no status.", link=link.id)


def _count(n: int) -> str:
    return "The evidence" if n == 1 else f"{n} pieces of evidence"


@catalogue.rule(
    "CM505",
    "unused-reference",
    severity="info",
    profiles=("evidence",),
    what="Every reference is cited by some evidence or theory.",
    why="An uncited reference is usually evidence that was meant to be attached to a"
    " link or element and was not.",
    example="""\
changemodel: 1
title: Example
references:
- {id: bordin1979, citation: Bordin (1979). The working alliance.}
elements:
- {id: trust, kind: mechanism, label: Trust}
""",
    hint="Cite the reference where it supports the model, or remove it.",
)
def unused_reference(facts: Facts) -> Iterator[Problem]:
    cited: set[str] = set()
    for theory in facts.model.theories:
        cited.update(theory.references)
    for e in facts.elements.values():
        cited.update(ev.reference for ev in e.evidence if ev.reference)
    for link in facts.links:
        cited.update(ev.reference for ev in link.evidence if ev.reference)
    for ref in facts.model.references:
        if ref.id not in cited:
            yield Problem(
                f"Reference {ref.id!r} is not cited by any evidence or theory.",
                item=ref.id,
                at=f"reference:{ref.id}",
            )
