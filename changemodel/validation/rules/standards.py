"""Reporting-standard rules: one rule per checklist item of TIDieR, the MRC 2021
framework's core elements and the RAMESES II items about the programme theory.

The items and how a model meets each are defined once, in
:mod:`changemodel.standards`; a finding names the item, says what in the model
meets it and what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

from changemodel.standards import STANDARDS, Item, Standard, read
from changemodel.text import join
from changemodel.validation.facts import Facts
from changemodel.validation.registry import Problem
from changemodel.validation.rules import Catalogue

__all__ = ["catalogue"]

catalogue = Catalogue()

_FIRST_CODE: Final = {"tidier": 701, "mrc2021": 721, "rameses": 731}
_WHY: Final = {
    "tidier": "Interventions are often described too thinly to be replicated or used:"
    " TIDieR lists what a description needs. A model that holds these facts can write"
    " the description ('changemodel describe') instead of leaving it to prose written"
    " once and never checked.",
    "mrc2021": "The MRC framework asks every phase of developing or evaluating a complex"
    " intervention to attend to six core elements; a programme theory that shows them"
    " lets a protocol say how each one was considered.",
    "rameses": "RAMESES II asks a realist evaluation to report its programme theory and"
    " how the findings, as context-mechanism-outcome configurations with their"
    " evidence, refined it.",
}
_HEAD: Final = "changemodel: 1\ntitle: Example\n"
_ACTIVITY_ONLY: Final = (
    _HEAD + "elements:\n- {id: classes, kind: activity, label: Group exercise classes}\n"
)
_MECHANISM: Final = (
    _HEAD
    + "elements:\n- {id: classes, kind: activity, label: Group exercise classes}\n"
    + "- {id: confidence, kind: mechanism, label: Confidence to exercise}\n"
    + "links:\n- {from: classes, to: confidence}\n"
)
_NO_ACTIVITY: Final = (
    _HEAD + "elements:\n- {id: falls, kind: downstream_outcome, label: Fewer falls}\n"
)
_EXAMPLES: Final = {
    ("tidier", "1"): _NO_ACTIVITY,
    ("tidier", "2"): _MECHANISM,
    ("rameses", "4"): _MECHANISM,
    ("rameses", "15"): _MECHANISM,
}


def _name(standard: Standard, item: Item) -> str:
    words = "".join(c if c.isalnum() else " " for c in item.name.casefold()).split()
    return "-".join([standard.name, *words])


def _check(standard: Standard, item: Item) -> Callable[[Facts], Iterator[Problem]]:
    def check(facts: Facts) -> Iterator[Problem]:
        reading = read(item, facts.model)
        if reading.status == "met":
            return
        where = standard.where(item)
        missing = join(list(reading.missing))
        if reading.lacking:
            missing = f"no {reading.lacking} stated for {missing}"
        elif not missing.startswith("no "):
            missing = f"missing: {missing}"
        if reading.met:
            yield Problem(f"{where} is partly met, by {join(list(reading.met))}; {missing}.")
        else:
            sep = "; " if missing.startswith("missing") else ": "
            yield Problem(f"{where} is not met{sep}{missing}.")

    return check


def _declare() -> None:
    for key, standard in STANDARDS.items():
        for n, item in enumerate(standard.items):
            catalogue.rule(
                f"CM{_FIRST_CODE[key] + n}",
                _name(standard, item),
                severity="warning",
                profiles=(key,),
                what=f"{standard.where(item)}: {item.question} The model meets it with"
                f" {item.meets}.",
                why=_WHY[key],
                example=_EXAMPLES.get((key, item.number), _ACTIVITY_ONLY),
                hint=f"Add {item.meets} to the model.",
            )(_check(standard, item))


_declare()
