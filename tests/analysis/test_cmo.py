"""CMO configurations: the view of a model, and a model from a table of configurations."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import Actor, Kind, Mechanism, Relation
from changemodel.analysis.cmo import (
    ConfigurationError,
    configuration_rows,
    configurations,
    format_configurations,
    from_configurations,
)
from changemodel.testing.strategies import hostile_text
from tests.analysis._support import peer_worker


def test_peer_worker_configurations() -> None:
    found = {(c.mechanism.id, c.outcome.id): c for c in configurations(peer_worker())}
    assert set(found) == {
        ("engagement", "service_engagement"),
        ("role_modelling", "hope_empowerment"),
        ("trusting_relationships", "hope_empowerment"),
        ("trusting_relationships", "service_engagement"),
    }
    engaging = found[("engagement", "service_engagement")]
    assert {c.id for c in engaging.contexts} == {
        "distinct_role",
        "training_support",
        "team_acceptance",
    }
    assert [a.id for a in engaging.interventions] == ["peer_support"]
    assert engaging.actors == (Actor("peer worker"), Actor("service user"))
    trust = found[("trusting_relationships", "hope_empowerment")]
    assert "team_acceptance" not in {c.id for c in trust.contexts}


def test_distal_outcomes_on_request() -> None:
    pairs = {(c.mechanism.id, c.outcome.id) for c in configurations(peer_worker(), proximal=False)}
    assert ("role_modelling", "wellbeing") in pairs
    assert ("engagement", "fewer_admissions") in pairs
    assert len(pairs) == 8


def test_a_table_of_configurations_becomes_a_model() -> None:
    rows = [
        {
            "Context": "Clear peer role; Training",
            "Mechanism": "Trust in a peer",
            "Outcome": "Hope",
            "Intervention": "Peer support",
            "Actors": "service user",
            "Reasoning": "someone like me made it",
            "Evidence": "Interview 4",
        },
        {"C": "clear  peer role", "M": "Role-modelling", "O": "hope", "I": "Peer support"},
    ]
    m = from_configurations(rows, title="Realist table")
    assert m.title == "Realist table"
    assert {e.id: e.kind for e in m.elements} == {
        "clear_peer_role": Kind.CONTEXT,
        "training": Kind.CONTEXT,
        "trust_in_a_peer": Kind.MECHANISM,
        "role_modelling": Kind.MECHANISM,
        "hope": Kind.PROCESS_OUTCOME,
        "peer_support": Kind.ACTIVITY,
    }
    trust = m["trust_in_a_peer"]
    assert isinstance(trust, Mechanism)
    assert trust.actors == (Actor("service user"),)
    assert trust.reasoning == "someone like me made it"
    assert m.get_link("trust_in_a_peer", "hope").evidence[0].note == "Interview 4"
    assert m.get_link("clear_peer_role", "role_modelling", Relation.MODERATES)
    assert len(configurations(m)) == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"context": "x", "outcome": "y"}, "exactly one mechanism"),
        ({"mechanism": "a; b", "outcome": "y"}, "exactly one mechanism"),
        ({"mechanism": "m"}, "needs an outcome"),
        ({"mechanism": "m", "outcome": "o", "colour": "red"}, "unknown column 'colour'"),
        ({"mechanism": "m", "outcome": 3}, "outcome must be text"),
    ],
)
def test_bad_rows_are_named(row: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        from_configurations([{"mechanism": "fine", "outcome": "ok"}, row])
    assert info.value.row == 2
    assert str(info.value).startswith("configuration 2:")


def test_two_reasonings_for_one_mechanism_are_refused() -> None:
    rows = [
        {"mechanism": "m", "outcome": "o", "reasoning": "one"},
        {"mechanism": "m", "outcome": "p", "reasoning": "two"},
    ]
    with pytest.raises(ConfigurationError, match="two different reasonings"):
        from_configurations(rows)


_WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "Beta", "epsilon zeta"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "mechanism": _WORDS,
                "outcome": _WORDS.map(lambda w: "O " + w),
                "context": st.lists(_WORDS.map(lambda w: "C " + w), max_size=2).map("; ".join),
                "intervention": _WORDS.map(lambda w: "I " + w),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_row_is_a_configuration_of_the_model_it_builds(rows: list[dict[str, str]]) -> None:
    m = from_configurations(rows)
    view = {
        (c.mechanism.label.casefold(), c.outcome.label.casefold()): c for c in configurations(m)
    }
    assert len(view) == len({(r["mechanism"].casefold(), r["outcome"].casefold()) for r in rows})
    for row in rows:
        c = view[(row["mechanism"].casefold(), row["outcome"].casefold())]
        labels = {x.label.casefold() for x in c.contexts}
        wanted = {x.strip().casefold() for x in row["context"].split(";") if x.strip()}
        assert wanted <= labels
        assert row["intervention"].casefold() in {x.label.casefold() for x in c.interventions}
    again = from_configurations(configuration_rows(m))
    assert {(c.mechanism.label, c.outcome.label) for c in configurations(again)} == {
        (c.mechanism.label, c.outcome.label) for c in configurations(m)
    }


@settings(max_examples=60, deadline=None)
@given(st.lists(hostile_text(), min_size=3, max_size=3))
def test_renderings_survive_hostile_text(texts: list[str]) -> None:
    m = from_configurations(
        [
            {
                "context": texts[0].replace(";", ","),
                "mechanism": texts[1].replace(";", ","),
                "outcome": texts[2].replace(";", ","),
            }
        ]
    )
    items = configurations(m)
    table = format_configurations(items, "markdown").splitlines()
    widths = {line.replace("\\\\", "").replace("\\|", "").count("|") for line in table}
    assert widths == {6}
    cells = list(csv.reader(io.StringIO(format_configurations(items, "csv"))))
    assert len(cells) == 2
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells[1])
    assert format_configurations(items, "text").startswith("CMO 1:")
