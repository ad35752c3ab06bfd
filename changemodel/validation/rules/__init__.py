"""The built-in rule catalogue, one module per profile.

Each module declares its rules on a :class:`Catalogue`; :func:`register_builtins`
adds the built-in profiles and every catalogue to a registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from changemodel.domain import Kind
from changemodel.text import with_article
from changemodel.validation.findings import Severity
from changemodel.validation.registry import Registry, Rule, RuleCheck

__all__ = ["PROFILES", "Catalogue", "article", "register_builtins"]

#: The built-in profiles, in the order they are documented.
PROFILES: Final[tuple[tuple[str, str], ...]] = (
    (
        "integrity",
        "Always on. The model holds together: every id resolves, every relation fits the"
        " kinds it joins, and no causal loop is left unmarked.",
    ),
    (
        "structure",
        "On by default. Graph checks of the kind diagramming tools make: isolated boxes,"
        " links running backwards, duplicates, loops marked feedback that close nothing,"
        " fan-in and fan-out.",
    ),
    (
        "mrc",
        "MRC complex-intervention completeness: activities lead through mechanisms of"
        " impact to process and downstream outcomes, and the columns of the logic model"
        " are filled.",
    ),
    (
        "realist",
        "Realist context-mechanism-outcome completeness: contexts shape mechanisms,"
        " mechanisms produce outcomes and say what resource they offer and what reasoning"
        " it triggers.",
    ),
    (
        "evidence",
        "Every causal link carries a rationale or evidence, references resolve, theories"
        " cite a source and evidence states how it is known.",
    ),
    (
        "evaluation",
        "Ready for an evaluation plan: outcomes and mechanisms have indicators, indicators"
        " have timepoints, implementation is measured.",
    ),
    (
        "tidier",
        "The 12 items of TIDieR (Hoffmann et al. 2014, BMJ 348:g1687), the template for"
        " describing an intervention: each rule names its item, what in the model meets it"
        " and what is missing.",
    ),
    (
        "mrc2021",
        "The six core elements of the MRC framework (Skivington et al. 2021, BMJ"
        " 374:n2061): context, programme theory, stakeholders, key uncertainties,"
        " refinement and economic considerations, as far as a model can show them.",
    ),
    (
        "rameses",
        "The items of the RAMESES II reporting standard for realist evaluations (Wong et"
        " al. 2016, BMC Medicine 14:96) that concern the programme theory and its"
        " configurations.",
    ),
)


def article(kind: Kind) -> str:
    """``"an activity"``, ``"a mechanism"``: a kind's label with its article."""
    return with_article(kind.label)


class Catalogue:
    """Collects the rules a module declares, to be added to a registry later."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def rule(
        self,
        code: str,
        name: str,
        *,
        severity: Severity | str,
        profiles: Iterable[str],
        what: str,
        why: str,
        example: str,
        hint: str | None = None,
    ) -> Callable[[RuleCheck], RuleCheck]:
        """Declare the decorated function as a rule of this catalogue (the arguments are
        those of :class:`~changemodel.validation.registry.Rule`)."""

        def declare(check: RuleCheck) -> RuleCheck:
            self.rules.append(
                Rule(
                    code,
                    name,
                    check,
                    severity=Severity.parse(severity),
                    profiles=tuple(str(p) for p in profiles),
                    what=what,
                    why=why,
                    example=example,
                    hint=hint,
                )
            )
            return check

        return declare


def register_builtins(registry: Registry) -> None:
    """Add the built-in profiles and rules to *registry*."""
    from changemodel.validation.rules import (
        evaluation,
        evidence,
        integrity,
        mrc,
        realist,
        standards,
        structure,
    )

    for name, description in PROFILES:
        registry.add_profile(name, description)
    for module in (integrity, structure, mrc, realist, evidence, evaluation, standards):
        for rule in module.catalogue.rules:
            registry.add(rule)
