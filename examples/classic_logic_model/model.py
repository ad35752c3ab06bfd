"""A classic programme logic model: inputs -> activities -> outputs -> outcomes.

An illustrative programme, not taken from a paper: a community strength and
balance programme that aims to prevent falls among older people, written the
way the W.K. Kellogg Foundation's Logic Model Development Guide (2004) and the
CDC's Framework for Program Evaluation in Public Health (1999) lay a programme
out. Every element and link is a claim of the programme's planners, so all the
evidence is *hypothesised*. Each outcome and output has an indicator with its
data source, baseline, target and timepoints; the assumptions and an external
factor (winter weather) sit beside the links they bear on.

Run ``python examples/classic_logic_model/model.py`` to print the model as YAML.
"""

from __future__ import annotations

from changemodel import ChangeModel, ElementRef, Evidence, Indicator


def planned(note: str = "planned by the programme") -> Evidence:
    return Evidence(note=note, status="hypothesised")


def build() -> ChangeModel:
    m = ChangeModel(
        "Steady Steps: community falls prevention (illustrative)",
        version="1.0",
        description="An illustrative programme logic model of a community strength and balance"
        " programme for people aged 65 and over. Not from a paper: every claim is hypothesised.",
    )
    hypothesised = [planned()]

    # Inputs: what the programme invests.
    funding = m.input(
        "funding",
        "Two-year grant from the local public health budget",
        evidence=hypothesised,
    )
    instructors = m.input(
        "instructors",
        "Four postural stability instructors",
        evidence=hypothesised,
    )
    venues = m.input("venues", "Community halls and leisure centres", evidence=hypothesised)

    # Activities: what the programme does.
    recruit = m.activity(
        "recruitment",
        "Recruit people aged 65 and over through GP practices and community groups",
        actors=[
            {"name": "practice staff", "role": "recruit and refer"},
            {"name": "older people", "role": "participants"},
        ],
        evidence=hypothesised,
    )
    classes = m.activity(
        "classes",
        "Run 24 weekly group strength and balance classes",
        actors=[
            {"name": "instructors", "role": "deliver the classes"},
            {"name": "older people", "role": "participants"},
        ],
        evidence=hypothesised,
        # What TIDieR asks of an intervention description (the 'describe' command).
        materials="Class plan, ankle weights and an illustrated exercise booklet",
        procedures="Warm-up, progressive strength and balance exercises, cool-down",
        provider="Postural stability instructors trained in falls prevention",
        mode="Face to face, in groups of up to 12",
        setting="Community halls and leisure centres with step-free access",
        dose="24 classes of one hour",
        frequency="Weekly",
        duration="24 weeks",
        tailoring="Exercise intensity raised as each participant's balance improves",
    )
    home = m.activity(
        "home_exercise",
        "Give each participant a home exercise plan and a follow-up phone call",
        actors=[
            {"name": "instructors", "role": "give the plan and make the call"},
            {"name": "older people", "role": "participants"},
        ],
        evidence=hypothesised,
        materials="A printed home exercise plan",
        provider="The participant's class instructor",
        mode="On paper, then by telephone",
        setting="The participant's home",
        frequency="Exercises twice a week; one call after six weeks",
    )

    # Outputs: countable products of delivery (reach, dose, fidelity).
    enrolled = m.output(
        "enrolled",
        "People enrolled",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Participants enrolled",
                data_source="programme register",
                baseline="0",
                target="400 over two years",
                timepoints=["quarterly"],
            )
        ],
    )
    delivered = m.output(
        "sessions_delivered",
        "Classes delivered as planned",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Classes delivered with the full exercise protocol",
                instrument="fidelity checklist",
                data_source="instructor logs",
                baseline="0",
                target="90% of scheduled classes",
                timepoints=["monthly"],
            )
        ],
    )
    attended = m.output(
        "attendance",
        "Participants attend at least 75% of classes",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Share of participants attending 18 or more of 24 classes",
                data_source="attendance registers",
                baseline="not applicable (new programme)",
                target="60%",
                timepoints=["end of each 24-week course"],
            )
        ],
    )

    # Outcomes: short term (process), then intermediate and long term.
    strength = m.process_outcome(
        "strength_balance",
        "Better strength and balance",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Timed Up and Go test",
                instrument="Timed Up and Go",
                data_source="assessment at the first and last class",
                baseline="measured at enrolment",
                target="mean improvement of 2 seconds",
                timepoints=["week 1", "week 24"],
            )
        ],
    )
    confidence = m.process_outcome(
        "confidence",
        "Less fear of falling",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Fear of falling",
                instrument="Short FES-I",
                data_source="participant questionnaire",
                baseline="measured at enrolment",
                target="mean reduction of 2 points",
                timepoints=["week 1", "week 24"],
            )
        ],
    )
    falls = m.downstream_outcome(
        "fewer_falls",
        "Fewer falls among participants",
        horizon="intermediate",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Self-reported falls in the past six months",
                instrument="falls diary",
                data_source="participant follow-up",
                baseline="falls in the six months before enrolment",
                target="25% fewer falls",
                timepoints=["6 months", "12 months"],
            )
        ],
    )
    admissions = m.downstream_outcome(
        "fewer_admissions",
        "Fewer fall-related hospital admissions in the area",
        horizon="long",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Emergency admissions for falls, aged 65 and over, per 100,000",
                data_source="hospital episode statistics",
                baseline="the area's rate in the year before the programme",
                target="10% lower",
                timepoints=["year 2", "year 3"],
            )
        ],
    )
    independence = m.downstream_outcome(
        "independence",
        "Older people stay independent at home for longer",
        horizon="impact",
        evidence=hypothesised,
        indicators=[
            Indicator(
                "Participants living in their own home",
                data_source="participant follow-up",
                baseline="100% at enrolment",
                target="95% or more",
                timepoints=["12 months", "24 months"],
            )
        ],
    )

    # The chain, left to right; every link is a planning claim.
    def plan(source: ElementRef, *targets: ElementRef, rationale: str | None = None) -> None:
        for target in targets:
            m.link(source, target, evidence=hypothesised, rationale=rationale)

    plan(funding, recruit, classes, home)
    plan(instructors, classes, home)
    plan(venues, classes)
    plan(recruit, enrolled)
    plan(classes, delivered)
    plan(enrolled, attended)
    plan(delivered, attended)
    plan(home, attended, rationale="A phone call between classes keeps people coming.")
    plan(attended, strength, rationale="Enough weeks of progressive exercise build strength.")
    plan(attended, confidence)
    plan(strength, falls)
    plan(confidence, falls)
    plan(falls, admissions)
    plan(falls, independence)

    # External factor and assumptions.
    m.context(
        "winter_weather",
        "Winter weather and icy pavements keep people at home",
        moderates=[classes],
        evidence=[planned("external factor the programme cannot control")],
    )
    m.assumption(
        "gp_referral",
        "GP practices are willing to identify and refer eligible patients",
        underpins=[(recruit, enrolled)],
    )
    m.assumption(
        "dose_matters",
        "At least 50 hours of progressive exercise is needed to reduce falls",
        underpins=[(attended, strength), (strength, falls)],
    )
    return m


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
