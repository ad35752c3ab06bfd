"""The English of every generated sentence: a table of real labels, and properties
over generated ones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from changemodel.text import (
    a_or_an,
    activity_clause,
    condition,
    conditions,
    count,
    direction_of,
    expected_change,
    in_settings,
    join,
    net_sign,
    plural,
    should_change,
    should_change_all,
    through,
    with_article,
)

# (label, net sign, should_change, expected_change); labels from the bundled examples
# and from published logic models and realist syntheses in several fields.
CHANGES = [
    (
        "Fewer (compulsory) psychiatric admissions",
        "reduces",
        "fewer (compulsory) psychiatric admissions should follow",
        "fewer (compulsory) psychiatric admissions",
    ),
    (
        "Fewer (compulsory) psychiatric admissions",
        "increases",
        "fewer (compulsory) psychiatric admissions should follow",
        "fewer (compulsory) psychiatric admissions",
    ),
    (
        "Decreased self-stigma",
        "increases",
        "decreased self-stigma should follow",
        "decreased self-stigma",
    ),
    (
        "Decreased self-stigma",
        "reduces",
        "decreased self-stigma should follow",
        "decreased self-stigma",
    ),
    ("Self-stigma", "reduces", "self-stigma should fall", "a fall in self-stigma"),
    (
        "Hope, empowerment and confidence",
        "increases",
        "hope, empowerment and confidence should increase",
        "an increase in hope, empowerment and confidence",
    ),
    (
        "Engagement with services and attendance",
        "increases",
        "engagement with services and attendance should increase",
        "an increase in engagement with services and attendance",
    ),
    (
        "Mental well-being",
        "increases",
        "mental well-being should increase",
        "an increase in mental well-being",
    ),
    (
        "Fewer falls among participants",
        "increases",
        "fewer falls among participants should follow",
        "fewer falls among participants",
    ),
    (
        "Less fear of falling",
        "reduces",
        "less fear of falling should follow",
        "less fear of falling",
    ),
    (
        "Better strength and balance",
        "increases",
        "better strength and balance should follow",
        "better strength and balance",
    ),
    (
        "Improved quality of life",
        "increases",
        "improved quality of life should follow",
        "improved quality of life",
    ),
    (
        "Improved quality of life",
        "reduces",
        "quality of life should fall",
        "a fall in quality of life",
    ),
    (
        "Older people stay independent at home for longer",
        "increases",
        "older people should stay independent at home for longer",
        "a more frequent finding that older people stay independent at home for longer",
    ),
    (
        "Older people stay independent at home for longer",
        "reduces",
        "it should become less likely that older people stay independent at home for longer",
        "a less frequent finding that older people stay independent at home for longer",
    ),
    (
        "Participants attend at least 75% of classes",
        "increases",
        "participants should attend at least 75% of classes",
        "a more frequent finding that participants attend at least 75% of classes",
    ),
    (
        "Regional service teams become self-reliant and insular",
        "increases",
        "regional service teams should become self-reliant and insular",
        "a more frequent finding that regional service teams become self-reliant and insular",
    ),
    (
        "GP practices are willing to identify and refer eligible patients",
        "increases",
        "GP practices should be willing to identify and refer eligible patients",
        "a more frequent finding that GP practices are willing to identify and refer eligible"
        " patients",
    ),
    ("HbA1c", "reduces", "HbA1c should fall", "a fall in HbA1c"),
    ("Lower HbA1c", "increases", "lower HbA1c should follow", "lower HbA1c"),
    ("Reduced HbA1c", "reduces", "reduced HbA1c should follow", "reduced HbA1c"),
    ("Blood pressure", "reduces", "blood pressure should fall", "a fall in blood pressure"),
    (
        "Self-efficacy for diabetes self-management",
        "increases",
        "self-efficacy for diabetes self-management should increase",
        "an increase in self-efficacy for diabetes self-management",
    ),
    (
        "Increased physical activity",
        "increases",
        "increased physical activity should follow",
        "increased physical activity",
    ),
    (
        "Increased accessibility to services and hence increased service uptake",
        "increases",
        "increased accessibility to services and hence increased service uptake should follow",
        "increased accessibility to services and hence increased service uptake",
    ),
    ("Stigma reduction", "increases", "stigma reduction should follow", "stigma reduction"),
    ("Hospital avoidance", "increases", "hospital avoidance should follow", "hospital avoidance"),
    ("Length of stay", "reduces", "length of stay should fall", "a fall in length of stay"),
    (
        "Shorter length of stay",
        "increases",
        "shorter length of stay should follow",
        "shorter length of stay",
    ),
    ("Service use", "increases", "service use should increase", "an increase in service use"),
    (
        "School attendance",
        "increases",
        "school attendance should increase",
        "an increase in school attendance",
    ),
    (
        "Reading attainment at age 11",
        "increases",
        "reading attainment at age 11 should increase",
        "an increase in reading attainment at age 11",
    ),
    ("Hope increases", "increases", "hope should increase", "an increase in hope"),
    ("Admissions fall", "reduces", "admissions should fall", "a fall in admissions"),
    ("Reoffending", "reduces", "reoffending should fall", "a fall in reoffending"),
    (
        "Fewer emergency department visits",
        "reduces",
        "fewer emergency department visits should follow",
        "fewer emergency department visits",
    ),
    (
        "More household income",
        "increases",
        "more household income should follow",
        "more household income",
    ),
    (
        "Greater trust in the police",
        "increases",
        "greater trust in the police should follow",
        "greater trust in the police",
    ),
    ("WEMWBS score", "increases", "WEMWBS score should increase", "an increase in WEMWBS score"),
    # a leading change word makes a last word such as "falls" a noun, not a verb
    ("Fewer falls", "reduces", "fewer falls should follow", "fewer falls"),
    ("Fewer falls", "increases", "fewer falls should follow", "fewer falls"),
    # a hedge from a published table is dropped: the hypothesis already says "should"
    (
        "Likely improved self-efficacy",
        "increases",
        "improved self-efficacy should follow",
        "improved self-efficacy",
    ),
    (
        "Likely improved self-efficacy",
        "reduces",
        "self-efficacy should fall",
        "a fall in self-efficacy",
    ),
    (
        "Uptake of cervical screening",
        "increases",
        "uptake of cervical screening should increase",
        "an increase in uptake of cervical screening",
    ),
    # a null finding of a realist contrast is stated as written, never "an increase in no ..."
    (
        "No measurable change in growth",
        "increases",
        "no measurable change in growth should follow",
        "no measurable change in growth",
    ),
    (
        "No change in reoffending",
        "reduces",
        "no change in reoffending should follow",
        "no change in reoffending",
    ),
    (
        "Unchanged waiting times",
        "increases",
        "unchanged waiting times should follow",
        "unchanged waiting times",
    ),
]


@pytest.mark.parametrize(
    ("label", "sign", "clause", "noun"), CHANGES, ids=[f"{c[0][:30]}-{c[1]}" for c in CHANGES]
)
def test_directions_from_real_labels(label: str, sign: str, clause: str, noun: str) -> None:
    assert should_change(label, sign) == clause
    assert expected_change(label, sign) == noun


CONDITIONS = [
    ("A clear and distinctive peer worker role", "given a clear and distinctive peer worker role"),
    (
        "The team and organisation take the role in",
        "when the team and organisation take the role in",
    ),
    (
        "Training, supervision and support for peer workers",
        "given training, supervision and support for peer workers",
    ),
    (
        "Peer workers are willing to share their lived experience",
        "when peer workers are willing to share their lived experience",
    ),
    (
        "Winter weather and icy pavements keep people at home",
        "when winter weather and icy pavements keep people at home",
    ),
    ("Community halls and leisure centres", "given community halls and leisure centres"),
    ("TADA is a state-funded service", "when TADA is a state-funded service"),
    ("There is a lack of common meeting arenas", "when there is a lack of common meeting arenas"),
    ("Poor communication exists across teams", "when poor communication exists across teams"),
    ("Rural practices with one GP", "given rural practices with one GP"),
    # a verb after "who", "that" or "where" belongs to a relative clause: a noun phrase
    ("Children who are undernourished", "given children who are undernourished"),
    ("Practices that have a GP lead", "given practices that have a GP lead"),
    ("Schools where meals are cooked on site", "given schools where meals are cooked on site"),
    ("Children's play areas", "given children's play areas"),
    ("GPs compare their performance with peers", "when GPs compare their performance with peers"),
    (
        "Teachers prepare and serve the food themselves",
        "when teachers prepare and serve the food themselves",
    ),
]


@pytest.mark.parametrize(("label", "text"), CONDITIONS)
def test_contexts_read_as_conditions(label: str, text: str) -> None:
    assert condition(label) == text


# Contexts of published realist configurations, as the settings they hold in.
SETTINGS = [
    (["Isolation"], "in a context of isolation"),
    (
        ["Providers typically work in isolation"],
        "in settings where providers typically work in isolation",
    ),
    (["Providers unaware of patient needs"], "in a context of providers unaware of patient needs"),
    (
        ["SMAs are more relaxed than one-on-one clinical encounters"],
        "in settings where SMAs are more relaxed than one-on-one clinical encounters",
    ),
    (
        ["Low/high motivation for self-management behavior"],
        "in a context of low/high motivation for self-management behavior",
    ),
    (
        ["National guidelines are open to interpretation", "Patients are heterogeneous"],
        "in settings where national guidelines are open to interpretation and patients are"
        " heterogeneous",
    ),
    (
        ["A small group", "Teachers feel supported", "Winter pressures"],
        "in settings where teachers feel supported, and in a context of a small group and"
        " winter pressures",
    ),
    (["An existing community network"], "in a context of an existing community network"),
    ([], ""),
]


@pytest.mark.parametrize(("labels", "text"), SETTINGS)
def test_contexts_read_as_settings(labels: list[str], text: str) -> None:
    assert in_settings(labels) == text


# Outcomes of one configuration, stated together.
TOGETHER = [
    (
        [
            ("Likely improved motivation", "increases"),
            ("Likely improved self-efficacy", "increases"),
        ],
        "",
        "improved motivation and improved self-efficacy should follow",
    ),
    ([("Self-efficacy", "increases")], "in patients", "self-efficacy should increase in patients"),
    (
        [("HbA1c", "reduces"), ("Blood pressure", "reduces")],
        "in adults",
        "HbA1c and blood pressure should fall in adults",
    ),
    (
        [("Fewer emergency admissions", "increases"), ("Employment", "increases")],
        "",
        "fewer emergency admissions should follow, and employment should increase",
    ),
    (
        [("Older people stay independent at home for longer", "increases")],
        "in older people",
        "older people should stay independent at home for longer",
    ),
    (
        [("Hope, empowerment and confidence", "increases"), ("Attendance", "increases")],
        "",
        "hope, empowerment and confidence should increase, and attendance should increase",
    ),
    (
        [("Likely improved service delivery", "increases"), ("Work satisfaction", "increases")],
        "in providers",
        "improved service delivery should follow, and work satisfaction should increase in"
        " providers",
    ),
    ([("Possibly fewer falls", "reduces")], "", "fewer falls should follow"),
]


@pytest.mark.parametrize(("changes", "where", "text"), TOGETHER)
def test_outcomes_stated_together(changes: list[tuple[str, str]], where: str, text: str) -> None:
    assert should_change_all(changes, where=where) == text


ARTICLES = [
    ("activity", "an"),
    ("output", "an"),
    ("input", "an"),
    ("assumption", "an"),
    ("mechanism", "a"),
    ("context", "a"),
    ("process outcome", "a"),
    ("downstream outcome", "a"),
    ("evidence status", "an"),
    ("hour-long session", "an"),
    ("university", "a"),
    ("user", "a"),
    ("European trial", "a"),
    ("one-off payment", "a"),
    ("MRC framework", "an"),
    ("NHS trust", "an"),
    ("BMJ paper", "a"),
    ("RCT", "an"),
    ("8-week course", "an"),
    ("18-month follow-up", "an"),
    ("11-item scale", "an"),
    ("12-item scale", "a"),
    ("honest broker", "an"),
    ("unintended outcome", "an"),
    ("x-ray", "an"),
    ("HbA1c test", "an"),
]


@pytest.mark.parametrize(("phrase", "article"), ARTICLES)
def test_articles_by_sound(phrase: str, article: str) -> None:
    assert a_or_an(phrase) == article


PLURALS = [
    ("activity", "activities"),
    ("analysis", "analyses"),
    ("hypothesis", "hypotheses"),
    ("criterion", "criteria"),
    ("person", "people"),
    ("process outcome", "process outcomes"),
    ("key", "keys"),
    ("box", "boxes"),
    ("match", "matches"),
    ("staff", "staff"),
    ("evidence", "evidence"),
    ("theory", "theories"),
    ("number of session", "numbers of session"),
    ("RCT", "RCTs"),
    ("status", "statuses"),
]


@pytest.mark.parametrize(("word", "many"), PLURALS)
def test_plurals(word: str, many: str) -> None:
    assert plural(word) == many
    assert count(2, word) == f"2 {many}"
    assert count(1, word) == f"1 {word}"


def test_lists() -> None:
    assert join([]) == ""
    assert join(["a"]) == "a"
    assert join(["a", "b"]) == "a and b"
    assert join(["a", "b", "c"]) == "a, b and c"
    assert join(["a, b", "c"], "or") == "a, b; or c"
    assert conditions([]) == ""


def test_signs_multiply_along_a_chain() -> None:
    assert net_sign([]) == "increases"
    assert net_sign(["reduces", "reduces"]) == "increases"
    assert net_sign(["increases", "reduces", "increases"]) == "reduces"


# ------------------------------------------------------------------ properties

_DIRECTION_UP = ["Increased", "Improved", "More", "Higher", "Better", "Greater"]
_DIRECTION_DOWN = ["Fewer", "Less", "Lower", "Reduced", "Decreased"]
_NOUNS = [
    "admissions",
    "self-stigma",
    "hope",
    "activity",
    "uptake",
    "anxiety",
    "income",
    "employment",
    "attendance",
    "HbA1c",
    "isolation",
    "use of services",
    "outcomes",
    "user satisfaction",
    "unmet need",
    "hospital stays",
    "European funding",
]
_VERBS_CHANGE = re.compile(
    r"\b(fewer|less|lower|reduced|decreased|more|higher|better|greater|increased|improved)\b"
    r"[^.;]*\bshould (fall|increase|rise|decrease)\b",
    re.IGNORECASE,
)
# "a" before a vowel letter that is said as a vowel (not "a user", "a one-off", "a European")
_A_BEFORE_VOWEL = re.compile(r"\ba (?!u|one|eu|Eu|U)[aeiouAEIOU]")
_BAD_PLURAL = re.compile(r"\b\w+[^aeiou\W]ys\b")

labels = st.one_of(
    st.builds(
        lambda d, n: f"{d} {n}",
        st.sampled_from(_DIRECTION_UP + _DIRECTION_DOWN),
        st.sampled_from(_NOUNS),
    ),
    st.sampled_from(_NOUNS).map(lambda n: n[0].upper() + n[1:]),
    st.builds(
        lambda n, w: f"{n.capitalize()} {w}",
        st.sampled_from(_NOUNS),
        st.sampled_from(["reduction", "improvement", "increases", "falls"]),
    ),
)


@given(labels, st.sampled_from(["increases", "reduces"]))
def test_no_doubled_direction(label: str, sign: str) -> None:
    for text in (should_change(label, sign), expected_change(label, sign)):
        assert not _VERBS_CHANGE.search(text), text
        assert not _A_BEFORE_VOWEL.search(text), text
    direction, core = direction_of(label)
    if direction is not None:
        assert direction_of(core)[0] is None or core != label


@given(
    st.lists(
        st.sampled_from([*_NOUNS, "activity", "mechanism", "input", "output"]),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 5),
)
def test_lists_and_counts_read_as_english(words: list[str], n: int) -> None:
    text = join([with_article(w) for w in words]) + ". " + count(n, words[0])
    assert not _A_BEFORE_VOWEL.search(text), text
    assert not _BAD_PLURAL.search(text), text
    assert ";" not in text or "; and " in text, text


@given(st.lists(st.sampled_from([c[0] for c in CONDITIONS]), min_size=1, max_size=4, unique=True))
def test_conditions_are_never_a_bare_semicolon_list(contexts: list[str]) -> None:
    text = conditions(contexts)
    assert text.startswith(("when ", "given "))
    if ";" in text:
        assert "; and " in text, text


# Mechanisms of published theories in several fields, as the way a change comes about.
THROUGH = [
    (["Trust in someone who has been there"], "through trust in someone who has been there"),
    (["Building trusting relationships"], "through building trusting relationships"),
    (["Teachers feel supported"], "as teachers feel supported"),
    # a verb phrase without its subject is quoted, never "through combats isolation"
    (["Combats isolation"], 'through the mechanism "Combats isolation"'),
    (
        ["Builds confidence", "Reinforces norms"],
        'through the mechanisms "Builds confidence" and "Reinforces norms"',
    ),
    (["Offers of help"], "through offers of help"),
    (["Prompts and reminders"], "through prompts and reminders"),
    # a realist resource and reasoning joined in one label
    (
        ["Free meal offered at school \u2192 Parents send the child to school"],
        'through the mechanism "Free meal offered at school \u2192 Parents send the child to'
        ' school"',
    ),
    (
        ["Self-efficacy", "Audit report -> GPs compare themselves with peers"],
        'through self-efficacy and the mechanism "Audit report -> GPs compare themselves with'
        ' peers"',
    ),
]


@pytest.mark.parametrize(("labels", "text"), THROUGH)
def test_mechanisms_read_as_the_way_a_change_comes_about(labels: list[str], text: str) -> None:
    assert through(labels) == text


ACTIVITIES = [
    ("School feeding programme", "the school feeding programme is delivered"),
    ("Group visit", "the group visit is delivered"),
    ("Peer support", "peer support is delivered"),
    (
        "Contact with people with lived experience",
        "contact with people with lived experience is delivered",
    ),
    ("Audit and feedback", "audit and feedback are delivered"),
    ("CBT sessions", "CBT sessions are delivered"),
    ("SMART programme", "SMART programme is delivered"),
    ("Run weekly classes", "the intervention runs weekly classes"),
]


@pytest.mark.parametrize(("label", "text"), ACTIVITIES)
def test_activities_read_as_clauses(label: str, text: str) -> None:
    assert activity_clause(label) == text


_VERB_PHRASES = st.builds(
    lambda v, o: f"{v} {o}",
    st.sampled_from(["Combats", "Builds", "Reinforces", "Fosters", "Challenges", "Provides"]),
    st.sampled_from(["isolation", "trust", "social norms", "a sense of belonging"]),
)


@given(st.lists(st.one_of(_VERB_PHRASES, labels), min_size=1, max_size=4))
def test_a_mechanism_never_reads_as_a_bare_verb_after_through(mechanisms: list[str]) -> None:
    text = through(mechanisms)
    assert text.startswith(("through ", "as ")), text
    assert not re.search(
        r"\b(through|and|as) (combats|builds|reinforces|fosters|challenges|provides)\b", text
    ), text


@given(
    st.sampled_from(["No", "No measurable", "Little or no", "Unchanged"]),
    st.sampled_from(_NOUNS),
    st.sampled_from(["increases", "reduces"]),
)
def test_a_null_finding_is_never_turned_into_a_change(lead: str, noun: str, sign: str) -> None:
    label = f"{lead} {noun}"
    for text in (should_change(label, sign), expected_change(label, sign)):
        assert not re.search(r"(increase|fall|rise) in (no|little|unchanged)\b", text), text
        assert not re.search(r"\b(no|unchanged) .* should (increase|fall)\b", text), text
