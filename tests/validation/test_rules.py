"""Each built-in rule fires on its documented example and not on a model without the gap.

The triggering model of each rule is the example in its documentation (so the
rule reference cannot show an example that does not trigger it); the passing
model below is the same kind of model with the gap closed.
"""

from __future__ import annotations

import pytest

from changemodel import loads
from changemodel.validation import Finding, default_registry, validate

HEAD = "changemodel: 1\ntitle: Example\n"

#: The elements and links the configuration rules' examples share.
_CONFIGURED = """\
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
"""

#: rule code -> a model close to the rule's example, without the gap.
PASSING: dict[str, str] = {
    "CM101": """\
theories:
- {id: attachment, name: Attachment theory}
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust, theories: [attachment]}
links:
- {from: support, to: trust}
""",
    "CM102": """\
theories:
- {id: trust_theory, name: Trust theory}
elements:
- {id: trust, kind: mechanism, label: Building trust}
""",
    "CM103": """\
elements:
- {id: ward, kind: context, label: Ward culture}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: ward, to: hope, relation: moderates}
""",
    "CM104": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: willing, kind: assumption, label: Peer workers share their experience}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: hope, assumptions: [willing]}
""",
    "CM105": """\
elements:
- {id: engagement, kind: mechanism, label: Engagement}
- {id: attendance, kind: process_outcome, label: Attendance}
links:
- {from: engagement, to: attendance}
- {from: attendance, to: engagement, feedback: true}
""",
    "CM106": """\
elements:
- {id: sessions, kind: activity, label: One-to-one sessions}
- {id: groups, kind: activity, label: Group work}
- {id: programme, kind: activity, label: The programme}
links:
- {from: sessions, to: programme, relation: part_of}
- {from: groups, to: programme, relation: part_of}
""",
    "CM201": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: leaflet, kind: output, label: Leaflets handed out}
links:
- {from: support, to: leaflet}
- {from: leaflet, to: hope}
""",
    "CM202": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
links:
- {from: support, to: wellbeing}
- {from: wellbeing, to: support, feedback: true}
""",
    "CM203": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: willing, kind: assumption, label: Peer workers share their experience}
links:
- {from: support, to: trust, assumptions: [willing]}
""",
    "CM204": """\
elements:
- {id: hope, kind: process_outcome, label: Hope}
- {id: hope2, kind: downstream_outcome, label: hope}
""",
    "CM205": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: hope}
- {from: hope, to: support, feedback: true}
""",
    "CM206": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: trust, kind: process_outcome, label: Trust}
- {id: skills, kind: process_outcome, label: Skills}
links:
- {from: support, to: hope}
- {from: support, to: trust}
- {from: support, to: skills}
validation:
  fan_limit: 3
""",
    "CM301": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: modelling, kind: mechanism, label: Role-modelling recovery}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: modelling}
- {from: modelling, to: hope}
""",
    "CM302": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: admissions, kind: downstream_outcome, label: Fewer admissions}
links:
- {from: support, to: hope}
- {from: hope, to: admissions, sign: reduces}
""",
    "CM303": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: trust}
- {from: trust, to: hope}
""",
    "CM304": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: trust}
- {from: trust, to: hope}
""",
    "CM305": """\
elements:
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
links:
- {from: trust, to: hope}
- {from: hope, to: wellbeing}
""",
    "CM306": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
- {id: wellbeing, kind: downstream_outcome, label: Well-being}
links:
- {from: support, to: trust}
- {from: trust, to: hope}
- {from: hope, to: wellbeing}
""",
    "CM307": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: sessions, kind: output, label: Sessions delivered}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: sessions}
- {from: sessions, to: trust}
""",
    "CM308": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: output, kind: output, label: Sessions delivered}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
links:
- {from: support, to: output}
- {from: output, to: trust}
- {from: trust, to: hope}
""",
    "CM309": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: dependence, kind: mechanism, label: Dependence on the peer worker}
- {id: engagement, kind: process_outcome, label: Engagement with services}
links:
- {from: support, to: trust}
- {from: support, to: dependence, sign: reduces}
- {from: trust, to: engagement}
- {from: dependence, to: engagement, sign: reduces}
""",
    "CM401": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: hope, kind: process_outcome, label: Hope}
- {id: training, kind: context, label: Training and supervision}
links:
- {from: support, to: trust}
- {from: trust, to: hope}
- {from: training, to: trust, relation: moderates}
""",
    "CM402": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
- {id: ward, kind: context, label: Ward culture}
links:
- {from: support, to: trust}
- {from: ward, to: support, relation: moderates}
""",
    "CM403": """\
elements:
- {id: support, kind: activity, label: Peer support}
- id: trust
  kind: mechanism
  label: Trust
  resource: A worker who has been there
  reasoning: I can trust someone who understands
links:
- {from: support, to: trust}
""",
    "CM404": """\
theories:
- {id: alliance, name: The working alliance}
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust, theories: [alliance]}
links:
- {from: support, to: trust}
""",
    "CM405": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
""",
    "CM406": """\
elements:
- {id: visit, kind: activity, label: Group visit}
- {id: small, kind: context, label: Small group}
- {id: offer, kind: mechanism, label: Time offered, resource: Longer appointments}
- {id: comfort, kind: mechanism, label: Comfort, reasoning: The patient feels at ease}
- {id: disclosure, kind: process_outcome, label: Disclosure}
links:
- {from: visit, to: offer}
- {from: offer, to: comfort}
- {from: small, to: comfort, relation: moderates}
- {from: comfort, to: disclosure}
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [offer, comfort], outcomes: [disclosure]}
""",
    "CM407": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [large], mechanisms: [trust], outcomes: [disclosure]}
- {id: CMOC2, contexts: [small], mechanisms: [trust], outcomes: [disclosure], status: refined,
   refines: [CMOC1]}
""",
    "CM408": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
- {id: CMOC2, contexts: [large], mechanisms: [trust], outcomes: [disclosure]}
""",
    "CM409": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure], status: refuted}
- {id: CMOC2, contexts: [large], mechanisms: [trust], outcomes: [disclosure]}
""",
    "CM410": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure]}
- {id: CMOC2, contexts: [large], mechanisms: [trust], outcomes: [disclosure]}
""",
    "CM411": _CONFIGURED
    + """\
configurations:
- {id: CMOC1, contexts: [large], mechanisms: [trust], outcomes: [disclosure]}
""",
    "CM501": """\
references:
- {id: gillard2014, citation: Gillard et al. (2014)}
elements:
- id: trust
  kind: mechanism
  label: Trust
  evidence:
  - {reference: gillard2014, status: reported}
""",
    "CM502": """\
references:
- {id: bandura1977, citation: Bandura (1977). Social Learning Theory.}
theories:
- {id: social_learning, name: Social learning theory, references: [bandura1977]}
""",
    "CM503": """\
elements:
- {id: support, kind: activity, label: Peer support}
- {id: trust, kind: mechanism, label: Trust}
links:
- {from: support, to: trust, rationale: Shared experience makes trust easier to build.}
""",
    "CM504": """\
references:
- {id: gillard2014, citation: Gillard et al. (2014)}
elements:
- id: trust
  kind: mechanism
  label: Trust
  evidence:
  - {reference: gillard2014, status: reported}
""",
    "CM505": """\
references:
- {id: bordin1979, citation: Bordin (1979). The working alliance.}
elements:
- id: trust
  kind: mechanism
  label: Trust
  evidence:
  - {reference: bordin1979, status: theorised}
""",
    "CM601": """\
elements:
- id: hope
  kind: process_outcome
  label: Hope
  indicators:
  - {name: Herth Hope Index, timepoints: [baseline]}
""",
    "CM602": """\
elements:
- id: trust
  kind: mechanism
  label: Trust
  indicators:
  - {name: Working alliance inventory, timepoints: [3 months]}
""",
    "CM603": """\
elements:
- id: hope
  kind: process_outcome
  label: Hope
  indicators:
  - {name: Herth Hope Index, timepoints: [baseline, 6 months]}
""",
    "CM604": """\
elements:
- id: sessions
  kind: output
  label: Sessions delivered
  indicators:
  - {name: Sessions per service user, data_source: activity logs}
""",
    "CM605": """\
elements:
- {id: wellbeing, kind: downstream_outcome, label: Well-being, horizon: long}
""",
    "CM701": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
""",
    "CM702": """\
theories:
- {id: sct, name: Social cognitive theory}
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: confidence, kind: mechanism, label: Confidence to exercise, theories: [sct]}
links:
- {from: classes, to: confidence}
""",
    "CM703": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, materials: Exercise booklet}
""",
    "CM704": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes,
   procedures: Warm-up then exercises}
""",
    "CM705": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, provider: Trained instructors}
""",
    "CM706": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, mode: face to face}
""",
    "CM707": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, setting: Community halls}
""",
    "CM708": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, dose: 24 one-hour classes}
""",
    "CM709": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes,
   tailoring: Intensity raised as balance improves}
""",
    "CM710": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, modifications: None so far}
""",
    "CM711": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes,
   indicators: [{name: Fidelity checklist}]}
""",
    "CM712": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes,
   indicators: [{name: Fidelity checklist}],
   evidence: [{note: delivery audit, status: reported}]}
""",
    "CM721": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: halls, kind: context, label: Halls near public transport}
links:
- {from: halls, to: classes, relation: moderates}
""",
    "CM722": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: confidence, kind: mechanism, label: Confidence}
- {id: falls, kind: process_outcome, label: Fewer falls}
links:
- {from: classes, to: confidence}
- {from: confidence, to: falls}
""",
    "CM723": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes, actors: [{name: instructor}]}
""",
    "CM724": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: halls_free, kind: assumption, label: Halls are free to use}
""",
    "CM725": """\
version: '1.0'
elements:
- {id: classes, kind: activity, label: Group exercise classes}
""",
    "CM726": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: costs, kind: input, label: Programme costs}
""",
    "CM731": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: confidence, kind: mechanism, label: Confidence, resource: Praise}
- {id: halls, kind: context, label: Halls}
links:
- {from: classes, to: confidence}
- {from: halls, to: confidence, relation: moderates}
""",
    "CM732": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: halls, kind: context, label: Halls near public transport}
links:
- {from: halls, to: classes, relation: moderates}
""",
    "CM733": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes,
   procedures: Warm-up then exercises}
""",
    "CM734": """\
elements:
- {id: classes, kind: activity, label: Group exercise classes}
- {id: confidence, kind: mechanism, label: Confidence,
   evidence: [{note: interviews, status: reported}]}
links:
- {from: classes, to: confidence}
""",
}

RULES = default_registry().rules
BUILTIN = [r for r in RULES if r.code.startswith("CM")]


def findings(text: str, code: str) -> list[Finding]:
    model = loads(text, file="example.yaml")
    return [f for f in validate(model, select=[code]) if f.code == code]


def test_every_builtin_rule_has_a_passing_model() -> None:
    assert sorted(PASSING) == sorted(r.code for r in BUILTIN)


def test_the_catalogue_has_at_least_twenty_rules_in_every_profile_named() -> None:
    assert len(BUILTIN) >= 20
    profiles = {p for r in BUILTIN for p in r.profiles}
    assert profiles == {
        "integrity",
        "structure",
        "mrc",
        "realist",
        "evidence",
        "evaluation",
        "tidier",
        "mrc2021",
        "rameses",
    }


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: f"{r.code}-{r.name}")
def test_documented_example_triggers_the_rule(rule: object) -> None:
    from changemodel.validation import Rule

    assert isinstance(rule, Rule)
    assert rule.what and rule.why and rule.example
    found = findings(rule.example, rule.code)
    assert found, f"the example of {rule.code} does not trigger it"
    for f in found:
        assert f.name == rule.name
        assert f.location is not None and f.location.file == "example.yaml"
        if f.element is not None or f.link is not None:
            assert f.location.line is not None


@pytest.mark.parametrize("code", sorted(PASSING))
def test_model_without_the_gap_passes(code: str) -> None:
    assert findings(HEAD + PASSING[code], code) == []


def test_unmarked_cycle_reports_a_tangle_once_with_all_members() -> None:
    text = HEAD + (
        "elements:\n"
        + "".join(f"- {{id: m{i}, kind: mechanism, label: M{i}}}\n" for i in range(5))
        + "links:\n"
        + "".join(f"- {{from: m{i}, to: m{(i + 1) % 5}}}\n" for i in range(5))
        + "- {from: m0, to: m2}\n- {from: m3, to: m1}\n"
    )
    found = findings(text, "CM105")
    assert len(found) == 1
    assert sorted(found[0].related) == [f"m{i}" for i in range(5)]
    assert found[0].element == "m0"


def test_conflicting_signs_is_reported_where_paths_first_disagree() -> None:
    example = default_registry().resolve("conflicting-signs").example
    text = example.replace(
        "elements:\n",
        "elements:\n- {id: wellbeing, kind: downstream_outcome, label: Well-being}\n",
    )
    text += "- {from: engagement, to: wellbeing}\n"
    found = findings(text, "CM309")
    assert [f.element for f in found] == ["engagement"]
    assert found[0].related == ("support",)


def test_fan_limit_counts_fan_in_too() -> None:
    text = HEAD + (
        "elements:\n- {id: hope, kind: process_outcome, label: Hope}\n"
        + "".join(f"- {{id: m{i}, kind: mechanism, label: M{i}}}\n" for i in range(3))
        + "links:\n"
        + "".join(f"- {{from: m{i}, to: hope}}\n" for i in range(3))
        + "validation: {fan_limit: 2}\n"
    )
    found = findings(text, "CM206")
    assert [(f.element, "fan-in" in f.message) for f in found] == [("hope", True)]


def test_a_refines_circle_gets_a_hint_about_circles_not_unknown_ids() -> None:
    text = (
        HEAD
        + _CONFIGURED
        + (
            "configurations:\n"
            "- {id: CMOC1, contexts: [small], mechanisms: [trust], outcomes: [disclosure],"
            " status: refined, refines: [CMOC2]}\n"
            "- {id: CMOC2, contexts: [large], mechanisms: [trust], outcomes: [disclosure],"
            " status: refined, refines: [CMOC1]}\n"
            "- {id: CMOC3, contexts: [large], mechanisms: [trust], outcomes: [disclosure],"
            " status: refined, refines: [CMOC9]}\n"
        )
    )
    found = {f.message.split(":")[0]: f for f in findings(text, "CM407")}
    circle = found["Configurations refine each other in a circle"]
    unknown = next(f for f in found.values() if "CMOC9" in f.message)
    assert circle.hint is not None and "circle" in circle.hint and "existing" not in circle.hint
    assert unknown.hint is not None and "existing configuration id" in unknown.hint
