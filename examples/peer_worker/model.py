"""The peer worker change model (Gillard, Gibson, Holley & Lucock 2014/2015).

Gillard S, Gibson SL, Holley J, Lucock M. Developing a change model for peer
worker interventions in mental health services: a qualitative research study.
Epidemiology and Psychiatric Sciences 2015;24(5):435-445.
doi:10.1017/S2045796014000407

The three mechanisms are quoted from the abstract and marked *reported*. The
abstract says that process and downstream outcomes were modelled but does not
list them: the outcomes below are reconstructed from the outcome domains in the
paper's reference list and marked *inferred*; the links from mechanisms to
theory are *theorised*; the organisational contexts come from the same research
programme (Gillard et al. 2013) and are marked *reported* there.

Run ``python examples/peer_worker/model.py`` to print the model as YAML.
"""

from __future__ import annotations

from changemodel import ChangeModel, Evidence, Indicator

PAPER = "gillard2014"


def reported(quote: str | None = None) -> Evidence:
    return Evidence(PAPER, quote=quote, status="reported")


def inferred(reference: str, note: str) -> Evidence:
    return Evidence(reference, note=note, status="inferred")


def build() -> ChangeModel:
    m = ChangeModel(
        "Peer worker change model",
        version="1.0",
        description="How peer workers in mental health services produce change for the"
        " service users they support (Gillard et al. 2014).",
    )
    # References: the seed paper and the sources it cites for theory and outcomes.
    for id, citation, doi in [
        (
            PAPER,
            "Gillard S, Gibson SL, Holley J, Lucock M (2015). Developing a change model"
            " for peer worker interventions in mental health services: a qualitative research"
            " study. Epidemiology and Psychiatric Sciences 24(5), 435-445.",
            "10.1017/S2045796014000407",
        ),
        (
            "gillard2013",
            "Gillard S, Edwards C, Gibson S, Owen K, Wright C (2013). Introducing"
            " peer worker roles into UK mental health service teams: a qualitative analysis of"
            " the organisational benefits and challenges. BMC Health Services Research 13, 188.",
            None,
        ),
        ("bandura1977", "Bandura A (1977). Social Learning Theory. Prentice-Hall.", None),
        ("bandura1997", "Bandura A (1997). Self-efficacy: The Exercise of Control. Freeman.", None),
        (
            "festinger1955",
            "Festinger L (1955). A theory of social comparison processes."
            " Human Relations 7, 117-142.",
            None,
        ),
        (
            "bowlby1973",
            "Bowlby J (1973). Attachment and Loss, Vol. 2: Separation. Basic Books.",
            None,
        ),
        (
            "bordin1979",
            "Bordin E (1979). The generalizability of the psychoanalytic concept of"
            " the working alliance. Psychotherapy 16, 252-260.",
            None,
        ),
        (
            "resnick2008",
            "Resnick SG, Rosenheck RA (2008). Integrating peer-provided services:"
            " a quasi-experimental study of recovery orientation, confidence, and empowerment."
            " Psychiatric Services 59, 1307-1314.",
            None,
        ),
        (
            "killaspy2000",
            "Killaspy H, Banerjee S, King M, Lloyd M (2000). Prospective controlled"
            " study of psychiatric out-patient non-attendance. British Journal of Psychiatry"
            " 176, 160-165.",
            None,
        ),
        (
            "tennant2007",
            "Tennant R et al. (2007). The Warwick-Edinburgh Mental Well-being Scale"
            " (WEMWBS): development and UK validation. Health and Quality of Life Outcomes 5, 63.",
            None,
        ),
        (
            "lawn2008",
            "Lawn S, Smith A, Hunter K (2008). Mental health peer support for hospital"
            " avoidance and early discharge: an Australian example of consumer driven and"
            " operated service. Journal of Mental Health 17, 498-508.",
            None,
        ),
    ]:
        m.reference(id, citation, doi=doi)
    m.theory("social_learning", "Social learning theory", references=["bandura1977"])
    m.theory("self_efficacy", "Self-efficacy", references=["bandura1997"])
    m.theory("social_comparison", "Social comparison theory", references=["festinger1955"])
    m.theory("attachment", "Attachment theory", references=["bowlby1973"])
    m.theory("working_alliance", "The working alliance", references=["bordin1979"])

    # The intervention and the three reported mechanisms.
    peers = m.activity(
        "peer_support",
        "Peer workers support service users",
        actors=[{"name": "peer worker"}, {"name": "service user"}],
        description="People with lived experience of mental health problems, employed to"
        " support service users.",
        evidence=[reported()],
    )
    trust = m.mechanism(
        "trusting_relationships",
        "Building trusting relationships based on shared lived experience",
        theories=["attachment", "working_alliance"],
        evidence=[reported("building trusting relationships based on shared lived experience")],
    )
    modelling = m.mechanism(
        "role_modelling",
        "Role-modelling individual recovery and living well with mental health problems",
        theories=["social_learning", "social_comparison", "self_efficacy"],
        evidence=[
            reported(
                "role-modelling individual recovery and living well with mental health problems"
            )
        ],
    )
    engaging = m.mechanism(
        "engagement",
        "Engaging service users with mental health services and the community",
        evidence=[reported("engaging service users with mental health services and the community")],
    )
    peers.leads_to(trust, modelling, engaging, evidence=[reported()])

    # Process and downstream outcomes: reconstructed from the reference list.
    hope = m.process_outcome(
        "hope_empowerment",
        "Hope, empowerment and confidence",
        evidence=[inferred("resnick2008", "outcome domain cited by the paper")],
        indicators=[Indicator("Empowerment and confidence", timepoints=["baseline", "6 months"])],
    )
    attendance = m.process_outcome(
        "service_engagement",
        "Engagement with services and attendance",
        evidence=[inferred("killaspy2000", "outcome domain cited by the paper")],
        indicators=[
            Indicator(
                "Appointments attended", data_source="service records", timepoints=["6 months"]
            )
        ],
    )
    wellbeing = m.downstream_outcome(
        "wellbeing",
        "Mental well-being",
        horizon="intermediate",
        evidence=[inferred("tennant2007", "WEMWBS is the measure the paper cites")],
        indicators=[
            Indicator(
                "Mental well-being", instrument="WEMWBS", timepoints=["baseline", "12 months"]
            )
        ],
    )
    admissions = m.downstream_outcome(
        "fewer_admissions",
        "Fewer (compulsory) psychiatric admissions",
        horizon="long",
        evidence=[inferred("lawn2008", "hospital avoidance, cited by the paper")],
    )
    theorised = Evidence(note="link reconstructed for this example", status="theorised")
    (trust, modelling) >> hope
    trust.leads_to(attendance, evidence=[theorised])
    engaging.leads_to(attendance, evidence=[theorised])
    hope.leads_to(wellbeing, evidence=[theorised])
    attendance.reduces(
        admissions,
        evidence=[theorised],
        rationale="Engaged service users get earlier help before a crisis.",
    )

    # Organisational context (Gillard et al. 2013).
    from_2013 = [Evidence("gillard2013", status="reported")]
    m.context(
        "distinct_role",
        "A clear and distinctive peer worker role",
        moderates=[peers],
        evidence=from_2013,
    )
    m.context(
        "training_support",
        "Training, supervision and support for peer workers",
        moderates=[peers, trust],
        evidence=from_2013,
    )
    m.context(
        "team_acceptance",
        "The team and organisation take the role in",
        moderates=[engaging],
        evidence=from_2013,
    )
    m.assumption(
        "lived_experience_shared",
        "Peer workers are willing to share their lived experience",
        underpins=[(peers, trust), (peers, modelling)],
    )
    return m


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
