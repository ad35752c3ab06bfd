"""The peer worker change model (Gillard, Gibson, Holley & Lucock 2014/2015).

Gillard S, Gibson SL, Holley J, Lucock M. Developing a change model for peer
worker interventions in mental health services: a qualitative research study.
Epidemiology and Psychiatric Sciences 2015;24(5):435-445.
doi:10.1017/S2045796014000407

Only the paper's abstract and reference list were read. The three mechanisms
are quoted from the abstract and marked *reported*. The abstract says that
process and downstream outcomes were modelled but does not list them: the
outcomes below are reconstructed from the outcome domains in the paper's
reference list and marked *inferred*. A link from a mechanism to an outcome is
*theorised* where a theory the paper cites explains it, and *hypothesised*
where it was reconstructed for this example and nothing cited explains it. The
organisational contexts come from a paper of the same research programme
(Gillard et al. 2013) whose text was not read: they are *inferred*. No source
gives the indicators and their timepoints: each is *proposed* for an
evaluation. The realist configurations are candidates reconstructed for this
example, one per reported mechanism; the one about role-modelling is partial,
as no source says in which context it works.

Run ``python examples/peer_worker/model.py`` to print the model as YAML.
"""

from __future__ import annotations

from changemodel import ChangeModel, Evidence, Indicator

PAPER = "gillard2014"


def reported(quote: str | None = None) -> Evidence:
    return Evidence(PAPER, quote=quote, status="reported")


def inferred(reference: str, note: str) -> Evidence:
    return Evidence(reference, note=note, status="inferred")


def theorised(note: str) -> Evidence:
    return Evidence(note=note, status="theorised")


def hypothesised(note: str = "link reconstructed for this example") -> Evidence:
    return Evidence(note=note, status="hypothesised")


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
        indicators=[
            Indicator(
                "Empowerment and confidence",
                timepoints=["baseline", "6 months"],
                status="proposed",
            )
        ],
    )
    attendance = m.process_outcome(
        "service_engagement",
        "Engagement with services and attendance",
        evidence=[inferred("killaspy2000", "outcome domain cited by the paper")],
        indicators=[
            Indicator(
                "Appointments attended",
                data_source="service records",
                timepoints=["6 months"],
                status="proposed",
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
                "Mental well-being",
                instrument="WEMWBS",
                timepoints=["baseline", "12 months"],
                status="proposed",
            )
        ],
    )
    admissions = m.downstream_outcome(
        "fewer_admissions",
        "Fewer (compulsory) psychiatric admissions",
        horizon="long",
        evidence=[inferred("lawn2008", "hospital avoidance, cited by the paper")],
    )
    # Role-modelling building hope and confidence is what social learning and
    # self-efficacy theory explain; the trusting relationship leading to engagement
    # is what the working alliance explains. The other links were reconstructed for
    # this example and no cited theory explains them.
    modelling.leads_to(
        hope,
        theories=["social_learning", "self_efficacy"],
        evidence=[theorised("explained by social learning and self-efficacy theory")],
    )
    trust.leads_to(hope, evidence=[hypothesised()])
    trust.leads_to(
        attendance,
        theories=["working_alliance"],
        evidence=[theorised("explained by the working alliance")],
    )
    engaging.leads_to(attendance, evidence=[hypothesised()])
    hope.leads_to(wellbeing, evidence=[hypothesised()])
    attendance.reduces(
        admissions,
        evidence=[hypothesised()],
        rationale="Engaged service users get earlier help before a crisis.",
    )

    # Organisational context: from a paper of the same programme (Gillard et al.
    # 2013) whose text was not read, so inferred rather than reported.
    from_2013 = [inferred("gillard2013", "organisational context from the same research programme")]
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

    # Candidate configurations, one per reported mechanism. The mechanism is the
    # paper's; the context and the outcomes are this example's reconstruction.
    reconstructed = (
        Evidence(
            PAPER,
            status="inferred",
            note="mechanism from the abstract; context and outcomes reconstructed",
        ),
    )
    confidence = {
        "level": "very low",
        "methodological_limitations": "not assessed: only the abstract was read",
        "adequacy": "one qualitative study; the configuration itself is not in its abstract",
    }
    actors = [
        {"name": "peer worker", "role": "offers shared lived experience"},
        {"name": "service user", "role": "responds"},
    ]
    m.configuration(
        "PW1",
        statement="Where peer workers are trained, supervised and supported, shared lived"
        " experience builds a trusting relationship, which gives hope and confidence and"
        " keeps service users engaged with services.",
        intervention=peers,
        contexts="training_support",
        actors=actors,
        mechanisms=trust,
        outcomes=[hope, attendance],
        status="candidate",
        confidence=confidence,
        evidence=reconstructed,
    )
    m.configuration(
        "PW2",
        statement="A peer worker's recovery, seen by the service user, gives hope, empowerment"
        " and confidence; no source says in which context.",
        intervention=peers,
        actors=actors,
        mechanisms=modelling,
        outcomes=hope,
        status="candidate",
        confidence=confidence,
        evidence=reconstructed,
    )
    m.configuration(
        "PW3",
        statement="Where the team and organisation take the peer worker role in, peer workers"
        " engage service users with services and the community, and attendance improves.",
        intervention=peers,
        contexts="team_acceptance",
        actors=actors,
        mechanisms=engaging,
        outcomes=attendance,
        status="candidate",
        confidence=confidence,
        evidence=reconstructed,
    )
    return m


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
