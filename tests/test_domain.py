"""Domain objects: validated on construction, frozen, clear errors."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from changemodel import (
    Activity,
    Actor,
    ChangeModelError,
    DownstreamOutcome,
    Evidence,
    EvidenceStatus,
    Horizon,
    Indicator,
    InvalidIdError,
    InvalidValueError,
    Kind,
    Link,
    Mechanism,
    Relation,
    Sign,
)
from changemodel.domain import Element, element_class, normalise_id, validate_id
from changemodel.testing.strategies import element_ids


@given(element_ids())
def test_generated_ids_are_valid(value: str) -> None:
    assert validate_id(value) == value


@pytest.mark.parametrize("bad", ["", "1abc", "has space", "é", "a/b", "a" * 129, "a:b"])
def test_invalid_ids_are_refused_with_the_rule(bad: str) -> None:
    with pytest.raises(InvalidIdError, match="an id starts with an ASCII letter") as info:
        Activity(bad, "label")
    assert info.value.value == bad
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ChangeModelError)


def test_non_string_id_is_refused() -> None:
    with pytest.raises(InvalidIdError, match="must be a string"):
        Activity(3, "label")  # type: ignore[arg-type]


def test_elements_are_frozen_and_evolve() -> None:
    m = Mechanism("trust", "Trust", resource="shared experience")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.label = "x"  # type: ignore[misc]
    changed = attrs.evolve(m, reasoning="I feel understood")
    assert changed.reasoning == "I feel understood"
    assert changed.resource == "shared experience"
    assert m.reasoning is None


def test_element_is_abstract() -> None:
    with pytest.raises(TypeError):
        Element("x", "y")


def test_empty_label_refused() -> None:
    with pytest.raises(InvalidValueError, match="label must not be empty"):
        Activity("a", "   ")


def test_every_kind_has_a_class() -> None:
    for kind in Kind:
        assert element_class(kind).kind is kind
        assert element_class(kind.value).kind is kind


def test_downstream_outcome_horizon_converts_and_refuses_unknown() -> None:
    assert DownstreamOutcome("o", "O", horizon="long").horizon is Horizon.LONG
    with pytest.raises(InvalidValueError, match="expected one of 'short'"):
        DownstreamOutcome("o", "O", horizon="someday")


def test_value_objects_from_mappings_and_names() -> None:
    a = Activity(
        "a",
        "A",
        actors=["peer worker", {"name": "service user", "role": "recipient"}],
        indicators=[{"name": "attendance", "timepoints": ["6 months"]}],
        evidence=[{"reference": "paper", "status": "reported"}],
    )
    assert a.actors == (Actor("peer worker"), Actor("service user", "recipient"))
    assert a.indicators == (Indicator("attendance", timepoints=("6 months",)),)
    assert a.evidence[0].status is EvidenceStatus.REPORTED


def test_value_object_mapping_with_unknown_field() -> None:
    with pytest.raises(InvalidValueError, match="cannot make a Indicator"):
        Activity("a", "A", indicators=[{"nme": "x"}])


def test_evidence_needs_some_content() -> None:
    with pytest.raises(InvalidValueError, match="at least a reference"):
        Evidence(status="reported")


def test_evidence_status_refuses_unknown_value() -> None:
    with pytest.raises(InvalidValueError, match="'rumoured' is not an evidence status; expected"):
        Evidence(note="n", status="rumoured")


def test_a_misspelt_value_gets_a_suggestion() -> None:
    with pytest.raises(InvalidValueError, match="or 'hypothesised'; did you mean 'reported'"):
        Evidence(note="n", status="reportd")


def test_link_defaults_and_id() -> None:
    link = Link("a", "b")
    assert link.relation is Relation.LEADS_TO
    assert link.sign is Sign.INCREASES
    assert link.id == "a->b"
    assert Link("c", "b", relation="moderates").id == "c-moderates->b"


def test_self_loop_must_be_marked_feedback() -> None:
    with pytest.raises(InvalidValueError, match="self-loop must be marked feedback"):
        Link("a", "a")
    assert Link("a", "a", feedback=True).feedback


@pytest.mark.parametrize("confidence", [-0.1, 1.5, float("nan"), float("inf"), True, "high"])
def test_confidence_must_be_between_0_and_1(confidence: object) -> None:
    with pytest.raises(InvalidValueError, match="between 0 and 1"):
        Link("a", "b", confidence=confidence)


def test_unknown_relation_refused() -> None:
    with pytest.raises(InvalidValueError, match="not a relation"):
        Link("a", "b", relation="causes")


def test_only_causal_links_have_sign_or_feedback() -> None:
    with pytest.raises(InvalidValueError, match="only a leads_to link has a sign"):
        Link("c", "b", relation="moderates", sign="reduces")
    with pytest.raises(InvalidValueError, match="only a leads_to link can be a feedback"):
        Link("c", "b", relation="part_of", feedback=True)


def test_duplicate_ids_in_a_list_refused() -> None:
    with pytest.raises(InvalidValueError, match="lists 'x' twice"):
        Link("a", "b", assumptions=["x", "x"])


def test_signs_multiply() -> None:
    assert Sign.REDUCES * Sign.REDUCES is Sign.INCREASES
    assert Sign.REDUCES * Sign.INCREASES is Sign.REDUCES


@given(st.text(max_size=20))
def test_normalise_id_is_idempotent(value: str) -> None:
    assert normalise_id(normalise_id(value)) == normalise_id(value)
