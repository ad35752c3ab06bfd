"""Realist rules: context-mechanism-outcome completeness, and the configurations of a
realist programme theory (partial rows, resource and reasoning, refinements,
contrasts, and agreement with the graph)."""

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


# ------------------------------------------------------------ configurations

_EXAMPLE_HEAD = """\
changemodel: 1
title: Example
elements:
- {id: visit, kind: activity, label: Group visit}
- {id: small, kind: context, label: Small group}
- {id: large, kind: context, label: Large group}
- {id: trust, kind: mechanism, label: Trust, resource: Time together, reasoning: Feels safe}
- {id: disclosure, kind: process_outcome, label: Disclosure}
- {id: withdrawal, kind: process_outcome, label: Withdrawal, intended: false}
links:
- {from: visit, to: trust}
- {from: small, to: trust, relation: moderates}
- {from: large, to: trust, relation: moderates}
- {from: trust, to: disclosure}
- {from: trust, to: withdrawal}
"""


def _where(config_id: str) -> dict[str, str]:
    return {"item": config_id, "at": f"configuration:{config_id}"}


def _names(parts: tuple[str, ...]) -> str:
    words = [p[:-1] for p in parts]  # contexts -> context
    if len(words) == 1:
        return f"no {words[0]}"
    return "no " + ", no ".join(words[:-1]) + f" and no {words[-1]}"


@catalogue.rule(
    "CM405",
    "partial-configuration",
    severity="warning",
    profiles=("realist",),
    what="Every configuration names at least one context, one mechanism and one outcome.",
    why="A configuration explains an outcome by a mechanism that fires in a context. Published"
    " tables often have partial rows (an outcome whose mechanism is not known yet, a context"
    " and mechanism whose outcome was not observed); they are legal, and this rule keeps"
    " them in view until the missing part is found or the row is dropped.",
    example=_EXAMPLE_HEAD
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust]}
""",
    hint="Add the missing part to the configuration, or mark it 'status: abandoned' if the"
    " evaluation will not look for it.",
)
def partial_configuration(facts: Facts) -> Iterator[Problem]:
    for c in facts.model.configurations:
        if c.missing:
            yield Problem(
                f"Configuration {c.id!r} has {_names(c.missing)}.",
                **_where(c.id),
            )


@catalogue.rule(
    "CM406",
    "resource-without-reasoning",
    severity="warning",
    profiles=("realist",),
    what="In every configuration, a resource offered is met by a reasoning (response) and a"
    " reasoning by the resource that triggers it, in the same mechanism or in another"
    " mechanism of the configuration.",
    why="A realist mechanism is a resource and the reasoning it triggers. The two are often"
    " held by different actors (one offers, another responds) and written as two mechanisms;"
    " but a configuration with only one half does not say how the outcome comes about.",
    example="""\
changemodel: 1
title: Example
elements:
- {id: visit, kind: activity, label: Group visit}
- {id: small, kind: context, label: Small group}
- {id: offer, kind: mechanism, label: Time offered, resource: Longer appointments}
- {id: disclosure, kind: process_outcome, label: Disclosure}
links:
- {from: visit, to: offer}
- {from: small, to: offer, relation: moderates}
- {from: offer, to: disclosure}
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [offer], outcomes: [disclosure]}
""",
    hint="State the other half on a mechanism of the configuration: 'reasoning:' for the"
    " response the resource triggers, or 'resource:' for what triggers the response.",
)
def resource_without_reasoning(facts: Facts) -> Iterator[Problem]:
    for c in facts.model.configurations:
        mechanisms = [facts.elements[m] for m in c.mechanisms if m in facts.elements]
        resources = [m.id for m in mechanisms if getattr(m, "resource", None)]
        reasonings = [m.id for m in mechanisms if getattr(m, "reasoning", None)]
        if resources and not reasonings:
            yield Problem(
                f"Configuration {c.id!r} states a resource ({', '.join(resources)}) but no"
                " reasoning that it triggers.",
                related=tuple(resources),
                **_where(c.id),
            )
        elif reasonings and not resources:
            yield Problem(
                f"Configuration {c.id!r} states a reasoning ({', '.join(reasonings)}) but no"
                " resource that triggers it.",
                related=tuple(reasonings),
                **_where(c.id),
            )


@catalogue.rule(
    "CM407",
    "unknown-refined-configuration",
    severity="error",
    profiles=("realist",),
    what="Every configuration named in 'refines' exists, and no configuration refines"
    " itself through a chain of others.",
    why="'refines' is the audit trail of a realist evaluation: which configuration of an"
    " earlier iteration a revised one replaces. A target that does not exist (a typo, a"
    " renamed id) or a circle breaks that trail.",
    example=_EXAMPLE_HEAD
    + """\
configurations:
- {id: CMOC2, contexts: [small], mechanisms: [trust], outcomes: [disclosure], status: refined,
   refines: [CMOC1]}
""",
    hint="Name an existing configuration id in 'refines' (ids are case-sensitive), or remove"
    " the entry.",
)
def unknown_refined_configuration(facts: Facts) -> Iterator[Problem]:
    configs = {c.id: c for c in facts.model.configurations}
    for c in configs.values():
        for target in c.refines:
            if target not in configs:
                close = [i for i in configs if i.casefold() == target.casefold()]
                extra = f" (did you mean {close[0]!r}?)" if close else ""
                yield Problem(
                    f"Configuration {c.id!r} refines {target!r}, which is not a configuration"
                    f" of the model{extra}.",
                    **_where(c.id),
                )
    reported: set[str] = set()
    for start in configs:
        path = [start]
        seen = {start}
        while True:
            nxt = [r for r in configs[path[-1]].refines if r in configs]
            if not nxt:
                break
            step = nxt[0]
            if step in seen:
                cycle = path[path.index(step) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    yield Problem(
                        "Configurations refine each other in a circle: "
                        + " -> ".join([*cycle, step])
                        + ".",
                        related=tuple(cycle),
                        hint="Remove the 'refines' entry that closes the circle: a configuration"
                        " refines one from an earlier iteration, never a later one.",
                        **_where(step),
                    )
                break
            seen.add(step)
            path.append(step)


@catalogue.rule(
    "CM408",
    "duplicate-configuration",
    severity="warning",
    profiles=("realist",),
    what="No two configurations name the same intervention, contexts, mechanisms and outcomes.",
    why="Two configurations with the same parts under different ids are usually a row copied"
    " and not edited, or one finding entered twice; the evaluation would test it twice and"
    " count its evidence twice.",
    example=_EXAMPLE_HEAD
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
- {id: CMOC2, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
""",
    hint="Merge the two (keep one id and name the other in 'refines' if it is a revision),"
    " or change the part in which they differ.",
)
def duplicate_configuration(facts: Facts) -> Iterator[Problem]:
    first: dict[tuple[frozenset[str], ...], str] = {}
    for c in facts.model.configurations:
        key = tuple(
            frozenset(getattr(c, part))
            for part in ("intervention", "contexts", "mechanisms", "outcomes")
        )
        if key in first:
            yield Problem(
                f"Configuration {c.id!r} names the same parts as {first[key]!r}.",
                related=(first[key],),
                **_where(c.id),
            )
        else:
            first[key] = c.id


@catalogue.rule(
    "CM409",
    "inactive-configuration-in-use",
    severity="warning",
    profiles=("realist",),
    what="A refuted or abandoned configuration no longer feeds hypotheses or the evaluation"
    " plan: the links only it asserts are gone from the graph.",
    why="Hypotheses and the plan are read off the graph. When the data refute a"
    " configuration but the mechanism-outcome link it asserted stays, the evaluation keeps"
    " testing an explanation the team has already rejected.",
    example=_EXAMPLE_HEAD
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure], status: refuted}
""",
    hint="Remove the links that only the refuted or abandoned configuration asserts, or"
    " assert them in a configuration that still stands.",
)
def inactive_configuration_in_use(facts: Facts) -> Iterator[Problem]:
    model = facts.model
    active: set[tuple[str, str, object]] = set()
    for c in model.configurations:
        if c.status.is_active:
            active.update(lk.key for lk in model.asserted_links(c))
    present = {lk.key for lk in model.links}
    for c in model.configurations:
        if c.status.is_active:
            continue
        kept = [
            lk
            for lk in model.asserted_links(c)
            if lk.is_causal and lk.key in present and lk.key not in active
        ]
        if kept:
            ids = ", ".join(lk.id for lk in kept)
            yield Problem(
                f"Configuration {c.id!r} is {c.status.value}, but the graph still holds the"
                f" causal links only it asserts ({ids}), so hypotheses and the plan still test"
                " them.",
                related=tuple(lk.id for lk in kept),
                **_where(c.id),
            )


@catalogue.rule(
    "CM410",
    "contrasting-configurations",
    severity="info",
    profiles=("realist",),
    what="Reports pairs of configurations that share a mechanism under different contexts"
    " with different outcomes.",
    why="The contrast (in one context a mechanism gives one outcome, in another a different"
    " one) is the heart of a realist explanation. It is not a fault: the rule lists the"
    " contrasts so they can be checked and tested side by side.",
    example=_EXAMPLE_HEAD
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
- {id: CMOC2, contexts: [large], mechanisms: [trust], outcomes: [withdrawal]}
""",
    hint="Make sure the evaluation can tell the contexts apart in its data, so the contrast"
    " can be tested.",
)
def contrasting_configurations(facts: Facts) -> Iterator[Problem]:
    for a, b, shared in facts.model.contrasting_pairs():
        yield Problem(
            f"Configurations {a.id!r} and {b.id!r} contrast: the same mechanism"
            f" ({', '.join(shared)}) under different contexts gives different outcomes.",
            related=(b.id, *shared),
            **_where(a.id),
        )


@catalogue.rule(
    "CM411",
    "configuration-link-missing",
    severity="warning",
    profiles=("realist",),
    what="The graph holds every link a configuration asserts: the intervention leads to the"
    " mechanism, the mechanism to the outcome, and the context moderates the mechanism.",
    why="Diagrams, pathways, hypotheses and the plan are read off the graph; a configuration"
    " whose links are missing there is invisible to all of them, and the graph and the"
    " programme theory no longer tell the same story.",
    example=_EXAMPLE_HEAD.replace("- {from: trust, to: withdrawal}\n", "")
    + """\
configurations:
- {id: CMOC1, contexts: [large], mechanisms: [trust], outcomes: [withdrawal]}
""",
    hint="Add the missing links (scripts that call model.configuration(...) add them"
    " themselves), or correct the configuration.",
)
def configuration_link_missing(facts: Facts) -> Iterator[Problem]:
    model = facts.model
    present = {lk.key for lk in model.links}
    for c in model.configurations:
        missing = [lk.id for lk in model.asserted_links(c) if lk.key not in present]
        if missing:
            yield Problem(
                f"Configuration {c.id!r} asserts links the graph lacks: {', '.join(missing)}.",
                related=tuple(missing),
                **_where(c.id),
            )
