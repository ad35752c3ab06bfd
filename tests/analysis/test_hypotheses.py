"""Testable hypotheses per pathway and per configuration."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, Kind, Sign
from changemodel.analysis.hypotheses import (
    LeftOut,
    configuration_hypotheses,
    evaluation_hypotheses,
    format_hypotheses,
    is_unintended,
    iter_hypotheses,
)
from changemodel.analysis.pathways import count_pathways
from changemodel.domain import Actor, ConfigurationStatus, normalise_id
from changemodel.errors import InvalidValueError
from changemodel.testing.generate import layered_model
from changemodel.testing.strategies import labels, models
from tests.analysis._support import dag_models, peer_worker, peer_worker_graph


def test_peer_worker_pathway_hypotheses() -> None:
    found = list(iter_hypotheses(peer_worker(), limit=100))
    assert len(found) == 4
    assert all(
        h.text.startswith("If peer workers support service users, then, through ") for h in found
    )
    to_admissions = [h for h in found if h.elements[-1].id == "fewer_admissions"]
    assert len(to_admissions) == 2
    assert all(h.sign is Sign.REDUCES for h in to_admissions)
    # the label already says "fewer": no second direction word
    assert all(
        "fewer (compulsory) psychiatric admissions should follow" in h.text for h in to_admissions
    )
    assert not any("should fall" in h.text for h in to_admissions)
    via_trust = next(
        h
        for h in found
        if [e.id for e in h.elements]
        == ["peer_support", "trusting_relationships", "hope_empowerment", "wellbeing"]
    )
    assert via_trust.assumptions == ("lived_experience_shared",)
    assert [(i.subject, i.indicator.instrument) for i in via_trust.indicators] == [
        ("hope_empowerment", None),
        ("wellbeing", "WEMWBS"),
    ]
    assert via_trust.untested == ("trusting_relationships",)
    assert not via_trust.testable
    assert "given a clear and distinctive peer worker role; and training" in via_trust.text
    assert [o.element for o in via_trust.observations] == [
        "trusting_relationships",
        "hope_empowerment",
        "wellbeing",
    ]
    wellbeing = via_trust.observations[-1]
    assert wellbeing.timepoints == ("12 months",)
    assert wellbeing.comparator == "baseline"
    assert via_trust.observations[0].indicator is None
    assert via_trust.confidence is not None
    assert via_trust.confidence.level == "very low"
    assert [s.subject for s in via_trust.confidence.weakest] == [
        "trusting_relationships->hope_empowerment",
        "hope_empowerment->wellbeing",
    ]
    assert {item.subject for item in via_trust.evidence} >= {
        "trusting_relationships",
        "peer_support->trusting_relationships",
    }


def test_hypotheses_to_one_outcome_and_the_limit() -> None:
    m = peer_worker()
    assert len(list(iter_hypotheses(m, limit=100, outcome="hope_empowerment"))) == 2
    assert len(list(iter_hypotheses(m, limit=3))) == 3
    assert list(iter_hypotheses(m, limit=0)) == []


def test_configuration_hypotheses() -> None:
    found = configuration_hypotheses(peer_worker())
    # one per stored configuration, with its id and only its own contexts
    assert [h.id for h in found] == ["PW1", "PW2", "PW3"]
    engaging = found[2]
    assert engaging.text == (
        "In settings where the team and organisation take the role in, if peer workers"
        " support service users, then, through engaging service users with mental health"
        " services and the community, engagement with services and attendance should"
        " increase in service users."
    )
    assert [c.id for c in found[0].contexts] == ["training_support"]
    assert found[1].contexts == ()
    # in whom: those who respond; who offers the resource is said apart
    assert [a.name for a in engaging.actors] == ["service user"]
    assert [a.name for a in engaging.offered_by] == ["peer worker"]
    assert engaging.status == "candidate" and engaging.confidence is not None
    assert str(engaging.confidence).startswith("very low (weakest: PW3, CERQual very low")


def _groups(**c2: object) -> ChangeModel:
    """Two configurations sharing a mechanism under different contexts."""
    m = ChangeModel("Group classes")
    m.activity("classes", "Run weekly group classes")
    m.mechanism(
        "trust",
        "Trust in the group",
        resource="A facilitator who knows the members",
        reasoning="Members feel safe to speak",
    )
    m.context("small", "Groups are small")
    m.context("large", "A large group")
    m.process_outcome(
        "talk",
        "Disclosure",
        indicators=[{"name": "Disclosure log", "timepoints": ["baseline", "week 8"]}],
    )
    m.process_outcome("quit", "Withdrawal", intended=False)
    m.configuration(
        "C1",
        intervention=["classes"],
        contexts=["small"],
        mechanisms=["trust"],
        outcomes=["talk"],
        actors=[Actor("facilitator", "offers a safe space"), "member"],
        confidence="moderate",
    )
    fields: dict[str, object] = {
        "intervention": ["classes"],
        "contexts": ["large"],
        "mechanisms": ["trust"],
        "outcomes": ["quit"],
        **c2,
    }
    m.configuration("C2", **fields)  # type: ignore[arg-type]
    return m


def test_a_configuration_hypothesis_says_what_in_whom_where_through_what_and_where_not() -> None:
    first, second = configuration_hypotheses(_groups())
    assert first.text == (
        "In settings where groups are small, if the intervention runs weekly group classes,"
        " then, through trust in the group, disclosure should increase in members. Not"
        " expected in a context of a large group (see C2: an increase in withdrawal instead)."
    )
    assert first.kind == "test" and first.contrasts == ("C2",)
    (mechanism,) = first.mechanisms
    assert str(mechanism) == (
        'trust in the group (trust): resource "A facilitator who knows the members" offered'
        ' by facilitators; reasoning "Members feel safe to speak" of members'
    )
    assert str(first.observations[1]) == (
        "an increase in disclosure (talk): Disclosure log at week 8, compared with baseline"
    )
    # the unintended outcome is an item to monitor, never an aim
    assert second.kind == "monitor" and second.id == "C2"
    assert second.text == (
        "In a context of a large group, monitor for an increase in withdrawal,"
        " which may follow if the intervention runs weekly group classes, through trust"
        " in the group."
    )
    text = format_hypotheses([first, second])
    assert text.startswith("C1. In settings where groups are small")
    assert "\n    in whom: members\n    offered by: facilitators (role: offers a safe space)\n" in (
        text
    )
    assert "\nC2. In a context of a large group, monitor for" in text


def test_refuted_abandoned_and_partial_configurations_state_no_hypothesis() -> None:
    for status in ("refuted", "abandoned"):
        found = evaluation_hypotheses(_groups(status=status))
        assert [h.id for h in found] == ["C1"]
        assert found.left_out == (LeftOut("C2", status),)
        # a refuted configuration no longer gives the contrast either
        assert "Not expected" not in found.configurations[0].text
    m = _groups(outcomes=[])
    m.configuration("C3", contexts=["small"], outcomes=["talk"])
    found = evaluation_hypotheses(m)
    assert [x.reason for x in found.left_out] == [
        "not testable yet: no outcome",
        "not testable yet: no mechanism",
    ]
    assert str(found).endswith(
        "Left out:\n    C2: not testable yet: no outcome\n    C3: not testable yet: no mechanism\n"
    )


def test_a_candidate_is_stated_and_marked() -> None:
    found = evaluation_hypotheses(_groups(status="candidate"), by="configuration")
    assert [h.status for h in found] == ["initial", "candidate"]
    assert "\nC2 (candidate). In a context of a large group" in str(found)


def test_a_configuration_with_intended_and_unintended_outcomes_gives_both() -> None:
    m = _groups(outcomes=["quit", "talk"])
    kinds = [(h.id, h.kind) for h in configuration_hypotheses(m)]
    assert kinds == [("C1", "test"), ("C2", "test"), ("C2", "monitor")]


def test_pathways_no_configuration_covers_follow_the_configurations() -> None:
    m = _groups()
    m.downstream_outcome("attend", "Attendance")
    m.link("talk", "attend")
    found = evaluation_hypotheses(m)
    assert [h.id for h in found.configurations] == ["C1", "C2"]
    # the pathway through C1 goes on to attendance, which no configuration names
    assert [[e.id for e in h.elements] for h in found.pathways] == [
        ["classes", "trust", "talk", "attend"]
    ]
    assert [h.id for h in evaluation_hypotheses(m, by="pathway")] == [None, None]
    assert len(evaluation_hypotheses(m, by="pathway").pathways) == 2
    try:
        evaluation_hypotheses(m, by="pathways")
    except InvalidValueError as exc:
        assert "expected auto, configuration or pathway" in str(exc)
    else:
        raise AssertionError("an unknown choice was accepted")


def test_without_stored_configurations_auto_gives_pathways_and_configuration_derives() -> None:
    m = peer_worker_graph()
    assert evaluation_hypotheses(m).configurations == ()
    assert len(evaluation_hypotheses(m).pathways) == 4
    derived = evaluation_hypotheses(m, by="configuration").configurations
    assert derived and all(h.status == "derived" for h in derived)
    assert all(h.id is not None and h.id.startswith("D") for h in derived)


@st.composite
def _configured_models(draw: st.DrawFn) -> ChangeModel:
    """Generated models with configurations of every status, most of them complete."""
    m = draw(models(configured=True))
    taken = {normalise_id(e.id) for e in m.elements}
    xm, xo = next((f"xm{n}", f"xo{n}") for n in itertools.count() if f"xm{n}" not in taken)
    while normalise_id(xo) in taken:
        xo += "_"
    m.mechanism(xm, draw(labels()))
    m.process_outcome(xo, draw(labels()), intended=draw(st.booleans()))
    m.link(xm, xo)
    mechanisms = [e.id for e in m.elements_of(Kind.MECHANISM)]
    outcomes = [e.id for e in m.elements if e.kind.is_outcome]
    contexts = [e.id for e in m.elements_of(Kind.CONTEXT)]
    statuses = st.sampled_from(list(ConfigurationStatus))
    ids = {normalise_id(c.id) for c in m.configurations}
    for i, status in enumerate(draw(st.lists(statuses, min_size=1, max_size=4))):
        if normalise_id(f"X{i}") in ids:
            continue
        m.configuration(
            f"X{i}",
            mechanisms=draw(st.lists(st.sampled_from(mechanisms), max_size=2, unique=True)),
            outcomes=draw(st.lists(st.sampled_from(outcomes), max_size=2, unique=True)),
            contexts=draw(st.lists(st.sampled_from(contexts), max_size=2, unique=True))
            if contexts
            else (),
            status=status,
            link=False,
        )
    return m


@settings(max_examples=80, deadline=None)
@given(_configured_models())
def test_never_crashes_and_never_states_a_refuted_or_abandoned_configuration(
    m: ChangeModel,
) -> None:
    inactive = {c.id for c in m.configurations if not c.status.is_active}
    for by in ("auto", "configuration", "pathway"):
        found = evaluation_hypotheses(m, by=by, limit=10)
        assert not {h.id for h in found} & inactive
        str(found)
        found.to_data()
    found = evaluation_hypotheses(m, by="configuration")
    stated = {h.id for h in found}
    left = {x.id for x in found.left_out}
    assert inactive <= left and not stated & left
    if m.configurations:
        assert stated | left == {c.id for c in m.configurations}
    for h in found:
        # an unintended outcome is never an aim
        outcomes = [e for e in h.elements if e.kind.is_outcome]
        assert all(is_unintended(o) == (h.kind == "monitor") for o in outcomes)


def test_formatting_lists_what_would_test_each() -> None:
    text = format_hypotheses(iter_hypotheses(peer_worker(), limit=100))
    assert text.count("\nH") == 3 and text.startswith("H1. If ")
    assert (
        "    observe: an increase in mental well-being (wellbeing): Mental well-being (WEMWBS)"
        " at 12 months, compared with baseline\n" in text
    )
    assert (
        "    observe: building trusting relationships based on shared lived experience"
        " (trusting_relationships): no indicator yet\n" in text
    )
    assert "    confidence: very low (weakest: hope_empowerment->wellbeing, hypothesised)\n" in (
        text
    )
    assert "    in whom: peer workers and service users\n" in text


def test_acronyms_keep_their_case() -> None:
    m = ChangeModel("Acronym")
    _ = m.activity("a", "CBT sessions") >> m.process_outcome("o", "WEMWBS score")
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == "If CBT sessions are delivered, then WEMWBS score should increase."


def test_lazy_on_a_generated_model() -> None:
    m = layered_model(300, seed=1, fan_out=4)
    first = list(itertools.islice(iter_hypotheses(m, limit=10**9), 7))
    assert len(first) == 7
    assert all(h.elements[0].kind is Kind.ACTIVITY for h in first)


@settings(max_examples=60, deadline=None)
@given(dag_models())
def test_one_hypothesis_per_pathway_to_each_final_outcome(m: ChangeModel) -> None:
    finals = [
        e.id
        for e in m.elements
        if e.kind.is_outcome
        and not [lk for lk in m.links_from(e.id) if lk.is_causal and not lk.feedback]
    ]
    expected = sum(count_pathways(m, None, f) for f in finals)
    found = list(iter_hypotheses(m, limit=10**6))
    assert len(found) == expected
    assert all(h.text.startswith("If ") and h.text.endswith(".") for h in found)


def test_an_unintended_outcome_is_monitored_not_aimed_for() -> None:
    m = ChangeModel("Side effects")
    coaching = m.activity("coaching", "Coach patients", actors=["nurse"])
    efficacy = m.mechanism("efficacy", "Self-efficacy", actors=["patient"])
    control = m.process_outcome(
        "control",
        "Lower HbA1c",
        indicators=[{"name": "HbA1c", "timepoints": ["baseline", "12 months"]}],
    )
    hypo = m.process_outcome("hypo", "Hypoglycaemic episodes", tags=["unintended"])
    _ = coaching >> efficacy >> control
    _ = efficacy >> hypo
    found = {h.elements[-1].id: h for h in iter_hypotheses(m, limit=10)}
    aim, side = found["control"], found["hypo"]
    assert aim.kind == "test"
    assert aim.text == (
        "If the intervention coaches patients, then, through self-efficacy,"
        " lower HbA1c should follow."
    )
    assert side.kind == "monitor"
    assert side.text == (
        "Monitor for an increase in hypoglycaemic episodes, which may follow if the"
        " intervention coaches patients through self-efficacy."
    )
    text = format_hypotheses([aim, side])
    assert text.startswith("H1. If ") and "\nM1. Monitor for " in text
    assert "    in whom: patients\n" in text
    assert "lower HbA1c (control): HbA1c at 12 months, compared with baseline" in text
    assert side.to_data()["kind"] == "monitor"


def test_a_reducing_link_is_not_doubled() -> None:
    m = ChangeModel("Stigma")
    contact = m.activity("contact", "Contact with people with lived experience")
    stigma = m.process_outcome("stigma", "Decreased self-stigma")
    seeking = m.downstream_outcome("seeking", "Help-seeking")
    _ = contact.reduces(stigma)
    _ = stigma.leads_to(seeking)
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == (
        "If contact with people with lived experience is delivered, then decreased"
        " self-stigma should follow, and then help-seeking should increase."
    )
    assert h.sign is Sign.INCREASES


def test_a_verb_phrase_mechanism_is_quoted_in_the_hypothesis_and_what_to_observe() -> None:
    m = ChangeModel("Groups")
    visits = m.activity("visits", "Group visits")
    isolation = m.mechanism("isolation", "Combats isolation")
    efficacy = m.process_outcome("efficacy", "Self-efficacy")
    _ = visits.leads_to(isolation)
    _ = isolation.leads_to(efficacy)
    (h,) = iter_hypotheses(m, limit=5)
    assert h.text == (
        'If group visits are delivered, then, through the mechanism "Combats isolation",'
        " self-efficacy should increase."
    )
    assert h.observations[0].expected == 'the mechanism "Combats isolation"'


def test_those_who_deliver_the_intervention_are_not_in_whom_it_works() -> None:
    m = ChangeModel("Falls prevention")
    m.activity(
        "classes",
        "Run weekly balance classes",
        actors=[
            {"name": "instructors", "role": "deliver the classes"},
            {"name": "older people", "role": "participants"},
        ],
    )
    m.process_outcome("balance", "Better balance")
    m.link("classes", "balance")
    (h,) = iter_hypotheses(m, limit=5)
    assert [a.name for a in h.actors] == ["older people"]
    m.update("classes", actors=[{"name": "instructors", "role": "deliver the classes"}])
    (h,) = iter_hypotheses(m, limit=5)
    assert h.actors == ()  # said nowhere: not guessed from who delivers it


def test_a_stated_baseline_reads_as_the_comparison() -> None:
    m = ChangeModel("Falls prevention")
    m.activity("classes", "Run weekly balance classes")
    m.process_outcome(
        "falls",
        "Fewer falls",
        indicators=[
            {
                "name": "Falls reported",
                "timepoints": ["12 months"],
                "baseline": "the area's rate in the year before the programme",
            }
        ],
    )
    m.link("classes", "falls")
    (h,) = iter_hypotheses(m, limit=5)
    (seen,) = [o for o in h.observations if o.element == "falls"]
    assert str(seen).endswith(
        "Falls reported at 12 months,"
        " compared with the baseline (the area's rate in the year before the programme)"
    )
