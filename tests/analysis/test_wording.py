"""Every generated sentence reads as English, for theories from any field: no doubled
direction, no "a" before a vowel sound, no made-up plural, no bare ;-joined list,
and no wording of the peer worker example in other theories."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, load
from changemodel.analysis.explain import explain
from changemodel.analysis.hypotheses import (
    configuration_hypotheses,
    evaluation_hypotheses,
    format_hypotheses,
    iter_hypotheses,
)
from changemodel.analysis.plan import evaluation_plan
from changemodel.domain import Actor
from changemodel.testing.generate import layered_model
from changemodel.validation import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

_DOUBLED = re.compile(
    r"\b(fewer|less|lower|reduced|decreased|more|higher|better|greater|increased|improved)"
    r" [^.;,]*\bshould (fall|increase)\b",
    re.IGNORECASE,
)
_A_BEFORE_VOWEL = re.compile(r"\b[Aa] (?!u|one|eu|Eu|U)[aeiouAEIOU]")
# "activitys", and a plural made plural again ("patientses", "instructorses")
_BAD_PLURAL = re.compile(r"\b\w*[^aeiou\W]ys\b|\b\w+(?:ors|ents|ants|ers|ists|ees)es\b")
_PEER_WORDING = re.compile(
    r"peer|service user|lived experience|working alliance|psychiatric|recovery", re.IGNORECASE
)


def _bare_semicolons(text: str) -> bool:
    """A ;-joined list with no conjunction before its last item."""
    for sentence in re.split(r"(?<=\.)\s", text):
        if ";" in sentence and not re.search(r"; (and|or) ", sentence):
            return True
    return False


def _check_english(text: str) -> None:
    assert not _DOUBLED.search(text), _DOUBLED.search(text)
    assert not _A_BEFORE_VOWEL.search(text), _A_BEFORE_VOWEL.search(text)
    assert not _BAD_PLURAL.search(text), _BAD_PLURAL.search(text)


# Labels from published logic models in several fields, some phrased as a change.
_ACTIVITIES = [
    "Run weekly group classes",
    "Nurse-led self-management education",
    "Text message reminders",
    "Offer one-to-one coaching",
    "Mentoring for new teachers",
]
_MECHANISMS = [
    "Self-efficacy",
    "Increased knowledge of the condition",
    "Reduced fear of being judged",
    "Teachers feel supported",
    "Understanding of the risks",
]
_OUTCOMES = [
    "HbA1c",
    "Lower blood pressure",
    "Fewer emergency admissions",
    "Reading attainment at age 11",
    "Improved quality of life",
    "Decreased self-stigma",
    "Unplanned hospital stays",
    "Older people stay independent at home for longer",
    "Employment",
    "Anxiety",
]
_CONTEXTS = [
    "Rural practices with one GP",
    "Managers support the change",
    "Funding, staffing and leadership",
    "An existing community network",
    "Winter pressures",
]


@st.composite
def _theories(draw: st.DrawFn) -> ChangeModel:
    m = ChangeModel("Generated theory")
    a = m.activity("a", draw(st.sampled_from(_ACTIVITIES)))
    mech = draw(st.lists(st.sampled_from(_MECHANISMS), min_size=1, max_size=2, unique=True))
    outs = draw(st.lists(st.sampled_from(_OUTCOMES), min_size=1, max_size=3, unique=True))
    mechanisms = [m.mechanism(f"m{i}", label) for i, label in enumerate(mech)]
    outcomes = [m.process_outcome(f"o{i}", label) for i, label in enumerate(outs)]
    for mechanism in mechanisms:
        a.leads_to(mechanism, sign=draw(st.sampled_from(["increases", "reduces"])))
        mechanism.leads_to(outcomes[0], sign=draw(st.sampled_from(["increases", "reduces"])))
    for before, after in itertools.pairwise(outcomes):
        before.leads_to(after, sign=draw(st.sampled_from(["increases", "reduces"])))
    ctx = draw(st.lists(st.sampled_from(_CONTEXTS), max_size=3, unique=True))
    for i, label in enumerate(ctx):
        m.context(f"c{i}", label, moderates=[mechanisms[0]])
    return m


@settings(max_examples=80, deadline=None)
@given(_theories())
def test_generated_theories_read_as_english(m: ChangeModel) -> None:
    items = list(iter_hypotheses(m, limit=20)) + list(configuration_hypotheses(m))
    text = format_hypotheses(items)
    for h in items:
        _check_english(h.text)
        assert not _bare_semicolons(h.text), h.text
    _check_english(text)
    _check_english(evaluation_plan(m).to_markdown())
    assert not _PEER_WORDING.search(text + evaluation_plan(m).to_markdown())


@st.composite
def _configured_theories(draw: st.DrawFn) -> ChangeModel:
    """The generated theories with realist configurations over their elements: some
    sharing a mechanism under other contexts (a contrast), some unintended outcomes."""
    m = draw(_theories())
    mechanisms = [e.id for e in m.elements_of("mechanism")]
    outcomes = [e.id for e in m.elements if e.kind.is_outcome]
    contexts = [e.id for e in m.elements_of("context")]
    actors = st.sampled_from(
        [
            [Actor("nurse"), Actor("patient")],
            [],
            [Actor("teacher", "offers feedback"), Actor("pupil")],
            [Actor("older person")],
        ]
    )
    for i in range(draw(st.integers(1, 3))):
        for o in draw(st.lists(st.sampled_from(outcomes), max_size=1)):
            if draw(st.booleans()):
                m.update(o, intended=False)
        m.configuration(
            f"R{i + 1}",
            intervention=["a"],
            contexts=draw(st.lists(st.sampled_from(contexts), max_size=2, unique=True))
            if contexts
            else (),
            mechanisms=[draw(st.sampled_from(mechanisms))],
            outcomes=draw(st.lists(st.sampled_from(outcomes), min_size=1, max_size=2, unique=True)),
            actors=draw(actors),
            link=False,
        )
    return m


@settings(max_examples=80, deadline=None)
@given(_configured_theories())
def test_configuration_hypotheses_read_as_english(m: ChangeModel) -> None:
    found = evaluation_hypotheses(m)
    text = str(found)
    for h in found:
        _check_english(h.text)
        assert not _bare_semicolons(h.text), h.text
        assert h.text[0].isupper() and h.text.endswith("."), h.text
        assert ", ," not in h.text and "  " not in h.text and " ." not in h.text, h.text
        if h.kind == "monitor":
            assert "monitor for" in h.text.casefold() and "should" not in h.text, h.text
    _check_english(text)
    assert not _PEER_WORDING.search(text), _PEER_WORDING.search(text)
    # the plan's realist section, and the configurations' confidence in cmo and explain
    plan = evaluation_plan(m)
    assert plan.realist is not None
    realist = "\n".join(plan.realist.to_markdown())
    for sentence in (
        *(c.text for c in plan.realist.contrasts),
        *(t.text for t in plan.realist.topics),
        *(o.text for o in plan.realist.sources),
    ):
        assert sentence[0].isupper() and sentence.endswith("."), sentence
        assert ", ," not in sentence and "  " not in sentence and " ." not in sentence
    _check_english(realist)
    assert not _PEER_WORDING.search(realist), _PEER_WORDING.search(realist)


def _all_text(m: ChangeModel) -> str:
    parts = [format_hypotheses(iter_hypotheses(m, limit=50))]
    parts.append(format_hypotheses(configuration_hypotheses(m)))
    parts.append(str(evaluation_hypotheses(m, by="configuration")))
    parts.append(evaluation_plan(m).to_markdown())
    report = validate(
        m, profiles=["integrity", "structure", "mrc", "realist", "evidence", "evaluation"]
    )
    for f in report.findings:
        parts.append(f.message)
        parts.append(f.hint or "")
    for outcome in m.elements:
        if outcome.kind.is_outcome:
            parts.append(explain(m, outcome.id).to_text(m))
    return "\n".join(parts)


def test_no_peer_worker_wording_in_the_classic_logic_model() -> None:
    text = _all_text(load(EXAMPLES / "classic_logic_model" / "model.yaml"))
    assert not _PEER_WORDING.search(text), _PEER_WORDING.search(text)
    _check_english(text)


def test_no_peer_worker_wording_in_a_generated_model() -> None:
    text = _all_text(layered_model(80, seed=3))
    assert not _PEER_WORDING.search(text), _PEER_WORDING.search(text)
    _check_english(text)


def test_the_checks_fail_on_bad_english() -> None:
    for bad in (
        "fewer admissions should fall",
        "Decreased self-stigma should increase",
        "not to a activity",
        "2 activitys",
        "in patientses",
    ):
        try:
            _check_english(bad)
        except AssertionError:
            continue
        raise AssertionError(f"not caught: {bad}")
    assert _bare_semicolons("when a clear role; training.")
    assert not _bare_semicolons("given a clear role; and training.")
    assert _PEER_WORDING.search("such as a working alliance scale")


def test_a_misspelt_status_is_located_at_its_key_with_a_suggestion() -> None:
    from changemodel import LoadError, loads

    text = (
        "changemodel: 1\ntitle: T\nelements:\n- id: a\n  kind: activity\n  label: A\n"
        "  evidence:\n  - note: x\n    status: reportd\n"
    )
    try:
        loads(text, file="m.yaml")
    except LoadError as error:
        message = str(error)
    else:
        raise AssertionError("the misspelt status was accepted")
    assert message.startswith("m.yaml:9:5: elements[0].evidence[0].status: ")
    assert "'reportd'" in message and "did you mean 'reported'?" in message
    assert "a evidence" not in message and "evidencestatus" not in message
