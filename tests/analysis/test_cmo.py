"""CMO configurations: the stored ones and the derived ones, the table they make,
and a model from a table of configurations."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, Kind, Mechanism, Relation
from changemodel.analysis.cmo import (
    CMO_COLUMNS,
    ConfigurationError,
    confidence_text,
    configuration_rows,
    configurations,
    format_configurations,
    from_configurations,
    join_entries,
    split_entries,
)
from changemodel.domain import ConfigurationStatus, Outcome
from changemodel.testing.strategies import hostile_text
from tests.analysis._support import peer_worker_graph


def contrast() -> ChangeModel:
    """The same mechanism, two contexts, two outcomes, and a context of the intervention."""
    m = ChangeModel("Contrast")
    m.activity("visit", "Group visit")
    m.context("funded", "Funded service", moderates="visit")
    m.context("small", "Small group")
    m.context("large", "Large group")
    m.mechanism("trust", "Trust in peers", resource="Time together", reasoning="Feels safe")
    m.process_outcome("disclosure", "Disclosure")
    m.process_outcome("withdrawal", "Withdrawal", intended=False)
    m.configuration(
        "CMOC10", intervention="visit", contexts="small", mechanisms="trust", outcomes="disclosure"
    )
    m.configuration("CMOC2", contexts="large", mechanisms="trust", outcomes="withdrawal")
    return m


def test_stored_configurations_come_first_by_id_and_keep_their_own_contexts() -> None:
    items = configurations(contrast())
    assert [c.id for c in items] == ["CMOC2", "CMOC10"]
    assert [c.derived for c in items] == [False, False]
    by_id = {c.id: c for c in items}
    assert [e.id for e in by_id["CMOC10"].contexts] == ["small"]
    assert [e.id for e in by_id["CMOC2"].contexts] == ["large"]
    assert str(by_id["CMOC2"]) == "CMOC2: Large group + Trust in peers -> Withdrawal (unintended)"


def test_graph_pairs_no_configuration_covers_are_derived_and_marked() -> None:
    m = contrast()
    m.process_outcome("hope", "Hope")
    m.link("trust", "hope")
    items = configurations(m)
    assert [(c.id, c.derived, c.status) for c in items] == [
        ("CMOC2", False, ConfigurationStatus.INITIAL),
        ("CMOC10", False, ConfigurationStatus.INITIAL),
        ("D1", True, None),
    ]
    derived = items[-1]
    assert [e.id for e in derived.outcomes] == ["hope"]
    # a derived configuration gathers the contexts of the graph, as before
    assert {e.id for e in derived.contexts} == {"funded", "small", "large"}
    assert [c.id for c in configurations(m, derived=False)] == ["CMOC2", "CMOC10"]


def test_partial_configurations_are_listed_and_name_what_they_lack() -> None:
    m = contrast()
    m.configuration("CMOC3", contexts="large")
    m.configuration("CMOC4", outcomes="withdrawal")
    items = {c.id: c for c in configurations(m)}
    assert items["CMOC3"].missing == ("mechanisms", "outcomes")
    assert items["CMOC4"].missing == ("contexts", "mechanisms")
    text = format_configurations(list(items.values()))
    assert "CMOC3 (initial; partial: no mechanism, no outcome)" in text
    assert "CMOC4 (initial; partial: no context, no mechanism)" in text


def test_json_gives_ids_status_and_derived() -> None:
    m = contrast()
    m.process_outcome("hope", "Hope")
    m.link("trust", "hope")
    data = json.loads(format_configurations(configurations(m), "json"))
    assert [(d["id"], d["status"], d["derived"]) for d in data] == [
        ("CMOC2", "initial", False),
        ("CMOC10", "initial", False),
        ("D1", None, True),
    ]
    first = data[0]
    assert first["contexts"] == ["large"]
    assert first["mechanisms"] == ["trust"]
    assert first["outcomes"] == ["withdrawal"]
    assert first["elements"]["withdrawal"]["intended"] is False


def test_peer_worker_pairs_are_derived_in_causal_order() -> None:
    found = {(c.mechanisms[0].id, c.outcomes[0].id): c for c in configurations(peer_worker_graph())}
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
    assert [a.id for a in engaging.intervention] == ["peer_support"]


def test_distal_outcomes_on_request() -> None:
    pairs = {
        (c.mechanisms[0].id, c.outcomes[0].id)
        for c in configurations(peer_worker_graph(), proximal=False)
    }
    assert ("role_modelling", "wellbeing") in pairs
    assert ("engagement", "fewer_admissions") in pairs
    assert len(pairs) == 8


def test_a_table_of_configurations_becomes_a_model() -> None:
    rows = [
        {
            "Id": "R1",
            "Context": "Clear peer role; Training",
            "Mechanism": "Trust in a peer",
            "Outcome": "Hope",
            "Intervention": "Peer support",
            "Actors": "service user (responds); peer worker (offers)",
            "Reasoning": "someone like me made it",
            "Evidence": "Interview 4",
            "Status": "supported",
            "Confidence": "moderate",
        },
        {"C": "Clear peer role", "M": "Role-modelling", "O": "Hope", "I": "Peer support"},
        {"id": "R3", "C": "Clear peer role", "refines": "R1", "status": "refined"},
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
    assert [c.id for c in m.configurations] == ["R1", "CMOC2", "R3"]
    r1 = m.get_configuration("R1")
    assert [(a.name, a.role) for a in r1.actors] == [
        ("service user", "responds"),
        ("peer worker", "offers"),
    ]
    assert r1.status is ConfigurationStatus.SUPPORTED
    assert r1.confidence is not None and r1.confidence.level.value == "moderate"
    assert r1.evidence[0].note == "Interview 4"
    trust = m["trust_in_a_peer"]
    assert isinstance(trust, Mechanism) and trust.reasoning == "someone like me made it"
    assert m.get_link("clear_peer_role", "role_modelling", Relation.MODERATES)
    assert m.get_configuration("R3").missing == ("mechanisms", "outcomes")
    assert m.get_configuration("R3").refines == ("R1",)


def test_the_contrast_keeps_its_contexts_through_a_table() -> None:
    m = contrast()
    again = from_configurations(configuration_rows(m))
    views = {c.id: c for c in configurations(again)}
    assert [e.label for e in views["CMOC10"].contexts] == ["Small group"]
    assert [e.label for e in views["CMOC2"].contexts] == ["Large group"]
    assert [e.label for e in views["CMOC2"].outcomes] == ["Withdrawal"]
    (withdrawal,) = views["CMOC2"].outcomes
    assert isinstance(withdrawal, Outcome) and not withdrawal.intended


def test_a_split_mechanism_keeps_resource_and_reasoning_apart() -> None:
    rows = [
        {
            "id": "CMOC7",
            "mechanisms": "Longer session; Comfort",
            "resource": "Time to get to know each other; ",
            "reasoning": "; A sense of comfort",
            "actors": "provider (offers the time); patient (feels comfortable)",
            "outcomes": "Self-management",
            "contexts": "Sessions longer than usual visits",
        }
    ]
    m = from_configurations(rows)
    assert m["longer_session"].resource == "Time to get to know each other"  # type: ignore[attr-defined]
    assert m["longer_session"].reasoning is None  # type: ignore[attr-defined]
    assert m["comfort"].reasoning == "A sense of comfort"  # type: ignore[attr-defined]
    # the resource leads to the reasoning, the reasoning to the outcome
    assert m.get_link("longer_session", "comfort")
    assert m.get_link("comfort", "self_management")
    assert m.get_link("sessions_longer_than_usual_visits", "comfort", Relation.MODERATES)
    assert configuration_rows(m) == [
        {**configuration_rows(m)[0], "resource": "Time to get to know each other; "}
    ]


def test_a_mechanism_named_by_its_resource_and_reasoning_is_not_repeated() -> None:
    """A table without a mechanism column names each mechanism "resource -> reasoning";
    the text table shows that label once, not again in brackets."""
    rows = [{"id": "R1", "resource": "Free meal", "reasoning": "Parents send the child"}]
    text = format_configurations(configurations(from_configurations(rows)), "text")
    assert "mechanisms:   Free meal \u2192 Parents send the child\n" in text
    assert "[resource:" not in text
    m = from_configurations([{"id": "R1", "mechanism": "Trust", "resource": "Time"}])
    assert "Trust [resource: Time]" in format_configurations(configurations(m), "text")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"mechanism": "a; b", "resource": "x", "outcome": "y"},
            "the resource column has 1 entry but the mechanisms column has 2 entries",
        ),
        ({"mechanism": "m", "outcome": "o", "colour": "red"}, "unknown column 'colour'"),
        ({"mechanism": "m", "outcome": 3}, "outcomes must be text"),
        ({"mechanism": "m", "outcome": "o", "intended": "maybe"}, "intended must be yes or no"),
        ({"mechanism": "m", "outcome": "o", "outcome_kind": "late"}, "neither 'process'"),
        ({"mechanism": "m", "status": "dreamt"}, "not a configuration status"),
        ({"id": "CMOC1", "mechanism": "m"}, "used by an earlier row"),
        ({"id": "1st", "mechanism": "m"}, "invalid id"),
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
    with pytest.raises(ConfigurationError, match="two different values for reasoning"):
        from_configurations(rows)


@given(st.lists(hostile_text(), max_size=4))
def test_cell_entries_survive_any_text(entries: list[str]) -> None:
    cell = join_entries(entries)
    if any(entries):
        assert split_entries(cell) == entries
    else:
        assert split_entries(cell) == []


_LABEL = hostile_text().filter(lambda t: t.strip() != "")
_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "contexts": st.lists(_LABEL, max_size=2, unique=True),
            "mechanisms": st.lists(_LABEL, max_size=2, unique=True),
            "outcomes": st.lists(_LABEL, max_size=2, unique=True),
            "intervention": st.lists(_LABEL, max_size=1),
            "status": st.sampled_from([s.value for s in ConfigurationStatus]),
            "statement": st.one_of(st.none(), _LABEL),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(_ROWS)
def test_a_table_read_and_written_again_is_the_same_table(rows: list[dict[str, object]]) -> None:
    # the labels of one kind are kept apart from the other kinds' labels
    tagged = [
        {
            **row,
            "id": f"R{i}",
            "contexts": [f"C {x}" for x in row["contexts"]],  # type: ignore[attr-defined]
            "mechanisms": [f"M {x}" for x in row["mechanisms"]],  # type: ignore[attr-defined]
            "outcomes": [f"O {x}" for x in row["outcomes"]],  # type: ignore[attr-defined]
            "intervention": [f"I {x}" for x in row["intervention"]],  # type: ignore[attr-defined]
        }
        for i, row in enumerate(rows, start=1)
    ]
    first = configuration_rows(from_configurations(tagged))
    text = format_configurations(configurations(from_configurations(tagged)), "csv")
    header, *body = list(csv.reader(io.StringIO(text, newline="")))
    assert header == [key for key, _ in CMO_COLUMNS]
    from changemodel._csv import read_table

    head, cells = read_table(text)
    second = configuration_rows(
        from_configurations([dict(zip(head, c, strict=True)) for c in cells])
    )
    assert second == first
    assert [r["id"] for r in first] == [f"R{i}" for i in range(1, len(rows) + 1)]
    assert len(body) == len(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LABEL, min_size=3, max_size=3))
def test_renderings_survive_hostile_text(texts: list[str]) -> None:
    m = from_configurations(
        [{"context": [texts[0]], "mechanism": [texts[1]], "outcome": [texts[2]]}]
    )
    items = configurations(m)
    table = format_configurations(items, "markdown").splitlines()
    widths = {line.replace("\\\\", "").replace("\\|", "").count("|") for line in table}
    assert widths == {len(CMO_COLUMNS) + 1}
    cells = list(csv.reader(io.StringIO(format_configurations(items, "csv"))))
    assert len(cells) == 1 + len(items)
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells[1])
    assert format_configurations(items, "text").startswith("CMOC1 (initial")


def test_the_confidence_column_combines_cerqual_and_the_chain() -> None:
    m = contrast()
    m.update_configuration("CMOC10", confidence="high")
    found = {c.id: c for c in configurations(m, derived=False)}
    # the stated CERQual level, and the weakest step of the chain it asserts
    assert confidence_text(found["CMOC10"]).startswith("very low (CERQual high; weakest: ")
    assert confidence_text(found["CMOC2"]).startswith("very low (CERQual not stated; weakest: ")
    assert found["CMOC10"].assessed is not None
    assert found["CMOC10"].assessed.level == "very low"
    text = format_configurations(list(found.values()))
    assert "  confidence:   very low (CERQual high; weakest: " in text
    md = format_configurations(list(found.values()), "markdown")
    assert "| very low (CERQual high; weakest: " in md
    # the CSV keeps the stated level alone, so that it reads back
    rows = list(csv.DictReader(io.StringIO(format_configurations(list(found.values()), "csv"))))
    assert [(r["id"], r["confidence"]) for r in rows] == [("CMOC2", ""), ("CMOC10", "high")]
    data = json.loads(format_configurations(list(found.values()), "json"))
    assert data[1]["confidence"] == {"level": "high"}
    assert data[1]["assessed_confidence"]["level"] == "very low"


def test_the_markdown_table_shows_a_semicolon_as_written() -> None:
    """The CSV escapes a ';' inside an entry so that it reads back; a table for
    reading shows the text as the source wrote it."""
    m = from_configurations(
        [
            {
                "id": "R1",
                "statement": "Trust grows\\; slowly",
                "mechanism": "Trust",
                "outcome": "Talk",
            }
        ]
    )
    assert m.get_configuration("R1").statement == "Trust grows; slowly"
    md = format_configurations(configurations(m), "markdown")
    assert "| Trust grows; slowly |" in md and "\\;" not in md
    assert "Trust grows\\; slowly" in format_configurations(configurations(m), "csv")
