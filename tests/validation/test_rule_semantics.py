"""The linear-time rules agree with naive reference computations on small models.

The references walk the model element by element (``ChangeModel.downstream``)
or enumerate every path, which is fine at this size and obviously right.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, ChangeModelError, Element, Kind, Link, Sign
from changemodel.domain import element_class
from changemodel.testing.strategies import models
from changemodel.validation import validate

CHECK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHAIN = [k for k in Kind if k.stage is not None]


@st.composite
def chain_models(draw: st.DrawFn) -> ChangeModel:
    """Small models of chain elements with random causal links (signs, feedback marks)."""
    model = ChangeModel("Random")
    n = draw(st.integers(1, 9))
    for i in range(n):
        kind = draw(st.sampled_from(CHAIN))
        model.add(_element(kind, f"e{i}"))
    for _ in range(draw(st.integers(0, 16))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        with contextlib.suppress(ChangeModelError):
            model.add(
                Link(
                    f"e{a}",
                    f"e{b}",
                    sign=draw(st.sampled_from(list(Sign))),
                    feedback=draw(st.booleans()) if a == b or draw(st.booleans()) else False,
                )
            )
    return model


def _element(kind: Kind, id: str) -> Element:
    return element_class(kind)(id, id.upper())


def found(model: ChangeModel, code: str) -> set[str]:
    return {f.target or "" for f in validate(model, select=[code]) if f.code == code}


def reaches(model: ChangeModel, start: str, kinds: set[Kind]) -> bool:
    return any(e.kind in kinds for e in model.downstream(start))


OUTCOMES = {Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME}


@CHECK
@given(chain_models())
def test_reachability_rules_match_element_by_element_search(model: ChangeModel) -> None:
    ids = {k: [e.id for e in model.elements_of(k)] for k in Kind}
    assert found(model, "CM301") == {
        m for m in ids[Kind.MECHANISM] if not reaches(model, m, OUTCOMES)
    }
    assert found(model, "CM303") == {
        a for a in ids[Kind.ACTIVITY] if not reaches(model, a, OUTCOMES)
    }
    assert found(model, "CM305") == {
        p for p in ids[Kind.PROCESS_OUTCOME] if not reaches(model, p, {Kind.DOWNSTREAM_OUTCOME})
    }
    reached = {e.id for a in ids[Kind.ACTIVITY] for e in model.downstream(a)}
    assert found(model, "CM302") == set(ids[Kind.DOWNSTREAM_OUTCOME]) - reached
    explained = {e.id for m in ids[Kind.MECHANISM] for e in model.downstream(m)}
    assert found(model, "CM308") == {o for k in OUTCOMES for o in ids[k] if o not in explained}


@CHECK
@given(chain_models())
def test_feedback_without_loop_matches_path_search(model: ChangeModel) -> None:
    expected = {
        link.id
        for link in model.links
        if link.feedback
        and link.source != link.target
        and link.source not in {e.id for e in model.downstream(link.target)}
    }
    assert found(model, "CM205") == expected


def signed_paths(model: ChangeModel, start: str) -> Iterator[tuple[str, Sign]]:
    """Every (end, net sign) over every path from *start* (feedback links left out)."""
    stack: list[tuple[str, Sign]] = [(start, Sign.INCREASES)]
    while stack:
        node, sign = stack.pop()
        yield node, sign
        for link in model.links_from(node, "leads_to"):
            if not link.feedback:
                stack.append((link.target, sign * link.sign))


@CHECK
@given(chain_models())
def test_conflicting_signs_matches_path_enumeration(model: ChangeModel) -> None:
    if not model.is_acyclic():
        return  # loops are left to unmarked-cycle
    conflicts: dict[str, set[str]] = {}
    for activity in model.elements_of(Kind.ACTIVITY):
        signs: dict[str, set[Sign]] = {}
        for end, sign in signed_paths(model, activity.id):
            signs.setdefault(end, set()).add(sign)
        conflicts[activity.id] = {end for end, s in signs.items() if len(s) == 2}
    expected: dict[str, set[str]] = {}
    for origin, ends in conflicts.items():
        for end in ends:
            parents = {lk.source for lk in model.links_to(end, "leads_to") if not lk.feedback}
            if not parents & ends:
                expected.setdefault(end, set()).add(origin)
    report = validate(model, select=["conflicting-signs"])
    got = {f.element or "": set(f.related) for f in report if f.code == "CM309"}
    assert got == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(max_elements=8, acyclic=False))
def test_isolated_and_unattached_match_their_definitions(model: ChangeModel) -> None:
    linked = {x for lk in model.links for x in (lk.source, lk.target)}
    listed = {a for lk in model.links for a in lk.assumptions}
    assert found(model, "CM201") == {
        e.id for e in model.elements if e.id not in linked and e.kind is not Kind.ASSUMPTION
    }
    assert found(model, "CM203") == {
        e.id for e in model.elements_of(Kind.ASSUMPTION) if e.id not in listed
    }
