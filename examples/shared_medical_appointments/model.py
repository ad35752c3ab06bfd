"""Shared medical appointments: the configurations of a published realist review.

Kirsh SR, Aron DC, Johnson KD, Santurri LE, Stevenson LD, Jones KR, Jagosh J.
A realist review of shared medical appointments: how, for whom, and under what
circumstances do they work? BMC Health Services Research 2017;17:113.
doi:10.1186/s12913-017-2064-z

The review's Table 3 ("Summary of CMO configurations") gives each configuration
as a context, a mechanism written as "resource -> response", and an outcome.
Rows 1 to 8 are encoded here as :data:`ROWS`, with the table's numbers as ids
(``CMOC1`` ...), and everything the table states is marked *reported*, with the
row it comes from. Row 6 states its mechanism without splitting it into a
resource and a response, and so does the model. Row 7 offers a resource (time
together, given by the providers) and a response of another actor (the
patient's sense of comfort): two mechanisms of one configuration.

Two candidate configurations are this example's own and are marked so:

- ``CAND1`` takes the mechanism of row 3 (seeing others succeed, trying to
  emulate them) into another context (patients far behind their peers), where
  social comparison theory predicts an unintended outcome (discouragement): the
  realist contrast of "same mechanism, different context, different outcome".
  It is *theorised*, citing the theory, and refines ``CMOC3``.
- ``CAND2`` is a partial row: a systematic review of qualitative studies of
  shared medical appointments (Graham et al. 2021) reports resistance from
  patients and colleagues, largely due to uncertainties and unclear
  expectations. The context and the (unintended) outcome are *reported* there;
  no mechanism is, so the configuration has none.

Run ``python examples/shared_medical_appointments/model.py`` to print the model
as YAML.
"""

from __future__ import annotations

from typing import Any

import attrs

from changemodel import ChangeModel, Evidence

REVIEW = "kirsh2017"
SMA = "sma"

#: The contexts of Table 3, in the table's words.
CONTEXTS: dict[str, str] = {
    "isolation": "Isolation",
    "motivation_level": "Low/high motivation for self-management behavior",
    "relaxed": "SMAs are more relaxed than one-on-one clinical encounters",
    "providers_isolated": "Providers typically work in isolation",
    "providers_unaware": "Providers unaware of patient needs",
    "longer_sessions": "SMAs are longer sessions than one-on-one clinical visits",
}

#: The mechanisms: id -> (label, resource, response, actor), in the table's words.
MECHANISMS: dict[str, tuple[str, str | None, str | None, str]] = {
    "social_contact": (
        "Combats isolation",
        "Social contact",
        "Correcting misperceptions",
        "patient",
    ),
    "vicarious_learning": (
        "Vicarious learning",
        "Exposure to others' illness",
        "Gaining perspective on one's illness situation",
        "patient",
    ),
    "inspired_by_peers": (
        "Feeling inspired by successful peers",
        "Exposure to others' successes",
        "Trying to emulate success",
        "patient",
    ),
    "friendships": (
        "Friendships develop between patients and providers",
        "New patient-provider friendships developed",
        "Fostering trust amongst all parties",
        "patient",
    ),
    "collegiality": (
        "Improved collegiality amongst providers",
        "Team members are able to witness and interact",
        "Mutual appreciation of respective roles and bonding",
        "provider",
    ),
    "provider_learning": (
        "Group setting encouraged creative thinking about meeting people's needs",
        None,
        None,
        "provider",
    ),
    "time_together": (
        "Adequate time allotment",
        "Allows patients and providers to get to know each other, relax",
        None,
        "provider",
    ),
    "comfort": (
        "A sense of comfort for the patient",
        None,
        "Leads to a sense of comfort for the patient",
        "patient",
    ),
    "first_hand_knowledge": (
        "First-hand health knowledge",
        "Group visit allows patients to share, confirm/dispute information",
        "Patients feeling reassured about health knowledge provided",
        "patient",
    ),
}

#: The outcomes of Table 3 (all "likely improved"), as process outcomes.
OUTCOMES: dict[str, str] = {
    "self_efficacy": "Likely improved self-efficacy",
    "motivation": "Likely improved motivation",
    "service_delivery": "Likely improved service delivery",
    "work_satisfaction": "Likely improved work satisfaction",
    "self_management": "Likely improved self-management",
    "application": "Likely improved application of information given",
}

#: Rows 1 to 8 of Table 3: id, contexts, mechanisms, outcomes, and the row's text.
ROWS: list[dict[str, Any]] = [
    {
        "id": "CMOC1",
        "contexts": ["isolation"],
        "mechanisms": ["social_contact"],
        "outcomes": ["self_efficacy"],
        "row": "Isolation | Social contact (resource) → Correcting misperceptions (response)"
        " | Likely improved in self-efficacy",
    },
    {
        "id": "CMOC2",
        "contexts": ["isolation"],
        "mechanisms": ["vicarious_learning"],
        "outcomes": ["self_efficacy"],
        "row": "Isolation | Exposure to others' illness (resource) → gaining perspective on"
        " one's illness situation (response) | Likely improved self-efficacy",
    },
    {
        "id": "CMOC3",
        "contexts": ["motivation_level"],
        "mechanisms": ["inspired_by_peers"],
        "outcomes": ["self_efficacy"],
        "row": "Low/high motivation for self-management behavior | Exposure to others'"
        " successes (resource) → trying to emulate success (response) | Likely improved"
        " self-efficacy",
    },
    {
        "id": "CMOC4",
        "contexts": ["relaxed"],
        "mechanisms": ["friendships"],
        "outcomes": ["motivation", "self_efficacy"],
        "row": "SMAs are more relaxed than one-on-one clinical encounters | New"
        " patient-provider friendships developed (resource) → fostering trust amongst all"
        " parties (response) | Likely improved motivations and self-efficacy",
    },
    {
        "id": "CMOC5",
        "contexts": ["providers_isolated"],
        "mechanisms": ["collegiality"],
        "outcomes": ["service_delivery", "work_satisfaction"],
        "row": "Providers typically work in isolation | Team members are able to witness and"
        " interact (resource) → leading to mutual appreciation of respective roles and"
        " bonding (response) | Likely improved service delivery and work satisfaction",
    },
    {
        "id": "CMOC6",
        "contexts": ["providers_unaware"],
        "mechanisms": ["provider_learning"],
        "outcomes": ["service_delivery"],
        "row": "Providers unaware of patient needs | Group setting encouraged creative"
        " thinking about meeting people's needs | Likely improved service delivery",
    },
    {
        "id": "CMOC7",
        "contexts": ["longer_sessions"],
        "mechanisms": ["time_together", "comfort"],
        "outcomes": ["self_management"],
        "row": "SMAs are longer sessions than one-on-one clinical visits | Allows patients"
        " and providers to get to know each other, relax (resource) → leads to a sense of"
        " comfort for the patient (response) | Likely improved self-management",
    },
    {
        "id": "CMOC8",
        "contexts": ["isolation"],
        "mechanisms": ["first_hand_knowledge"],
        "outcomes": ["application"],
        "row": "Isolation | Group visit allows patients to share, confirm/dispute information"
        " (resource) → leads to patients feeling reassured about health knowledge provided"
        " (response) | Likely improved application of information given",
    },
]

#: Which rows each element first appears in, for its evidence.
FIRST_ROW: dict[str, int] = {}
for _number, _row in enumerate(ROWS, start=1):
    for _part in ("contexts", "mechanisms", "outcomes"):
        for _id in _row[_part]:
            FIRST_ROW.setdefault(_id, _number)


def table(number: int, quote: str | None = None) -> Evidence:
    """What row *number* of the review's Table 3 states."""
    return Evidence(REVIEW, quote=quote, page=f"Table 3, row {number}", status="reported")


def build() -> ChangeModel:
    m = ChangeModel(
        "Shared medical appointments: realist configurations",
        version="1.0",
        description="How shared medical appointments work, for whom and in what"
        " circumstances: the context-mechanism-outcome configurations of the realist review"
        " by Kirsh et al. (2017), Table 3, with two candidate configurations of this"
        " example's own.",
    )
    m.reference(
        REVIEW,
        "Kirsh SR, Aron DC, Johnson KD, Santurri LE, Stevenson LD, Jones KR, Jagosh J"
        " (2017). A realist review of shared medical appointments: how, for whom, and under"
        " what circumstances do they work? BMC Health Services Research 17, 113.",
        doi="10.1186/s12913-017-2064-z",
    )
    m.reference(
        "graham2021",
        "Graham F, Tang MY, Jackson K, Martin H, O'Donnell A, Ogunbayo O, Sniehotta FF,"
        " Kaner E (2021). Barriers and facilitators to implementation of shared medical"
        " appointments in primary care for the management of long-term conditions: a"
        " systematic review and synthesis of qualitative studies. BMJ Open 11, e046842.",
        doi="10.1136/bmjopen-2020-046842",
    )
    m.reference(
        "festinger1954",
        "Festinger L (1954). A theory of social comparison processes. Human Relations 7, 117-140.",
        doi="10.1177/001872675400700202",
    )
    m.theory(
        "social_comparison",
        "Social comparison theory",
        description="People judge their own abilities by comparing themselves with others;"
        " a comparison with someone far ahead can discourage rather than inspire.",
        references=["festinger1954"],
    )
    m.activity(
        SMA,
        "Shared medical appointments",
        description="Doctor-patient visits in which groups of patients are seen by one or"
        " more health care providers in a concurrent session.",
        actors=[{"name": "patient"}, {"name": "provider"}],
        evidence=[Evidence(REVIEW, page="Abstract", status="reported")],
    )
    for id, label in CONTEXTS.items():
        m.context(id, label, evidence=[table(FIRST_ROW[id])])
    for id, (label, resource, reasoning, actor) in MECHANISMS.items():
        m.mechanism(
            id,
            label,
            resource=resource,
            reasoning=reasoning,
            actors=[{"name": actor}],
            evidence=[table(FIRST_ROW[id])],
        )
    for id, label in OUTCOMES.items():
        m.process_outcome(id, label, evidence=[table(FIRST_ROW[id])])

    for number, row in enumerate(ROWS, start=1):
        actors = sorted({MECHANISMS[x][3] for x in row["mechanisms"]})
        if row["id"] == "CMOC7":
            roles = {"provider": "offers the time", "patient": "feels comfortable"}
            actor_list = [{"name": a, "role": roles[a]} for a in ("provider", "patient")]
        else:
            actor_list = [{"name": a} for a in actors]
        m.configuration(
            row["id"],
            statement=row["row"],
            intervention=SMA,
            contexts=row["contexts"],
            actors=actor_list,
            mechanisms=row["mechanisms"],
            outcomes=row["outcomes"],
            status="initial",
            evidence=[table(number, row["row"])],
        )
        _mark_links(m, row["id"], table(number))

    # The example's own candidates.
    m.context(
        "far_behind",
        "Patients far behind their peers' progress",
        evidence=[
            Evidence(
                note="context added by this example to test the configuration of row 3",
                status="hypothesised",
            )
        ],
    )
    m.process_outcome(
        "discouragement",
        "Discouragement and withdrawal from self-management",
        intended=False,
        theories=["social_comparison"],
        evidence=[
            Evidence(
                "festinger1954",
                note="an upward comparison with someone far ahead can discourage",
                status="theorised",
            )
        ],
    )
    theorised = Evidence(
        "festinger1954",
        note="not in the review's table: predicted by social comparison theory",
        status="theorised",
    )
    m.configuration(
        "CAND1",
        statement="Where patients are far behind their peers' progress, seeing others"
        " succeed discourages them and they withdraw from self-management.",
        intervention=SMA,
        contexts="far_behind",
        actors=[{"name": "patient"}],
        mechanisms="inspired_by_peers",
        outcomes="discouragement",
        status="candidate",
        refines="CMOC3",
        evidence=[theorised],
    )
    _mark_links(m, "CAND1", theorised)

    m.context(
        "unclear_expectations",
        "Uncertainties and unclear expectations about shared medical appointments",
        evidence=[
            Evidence(
                "graham2021",
                quote="largely due to uncertainties and unclear expectations",
                page="Abstract",
                status="reported",
            )
        ],
    )
    m.process_outcome(
        "resistance",
        "Resistance from patients and colleagues",
        intended=False,
        evidence=[
            Evidence(
                "graham2021",
                quote="resistance from patients and colleagues",
                page="Abstract",
                status="reported",
            )
        ],
    )
    m.configuration(
        "CAND2",
        statement="Uncertainties and unclear expectations lead to resistance from patients"
        " and colleagues; the mechanism is not known.",
        intervention=SMA,
        contexts="unclear_expectations",
        outcomes="resistance",
        status="candidate",
        evidence=[
            Evidence(
                "graham2021",
                page="Abstract",
                status="reported",
                note="context and outcome reported as a barrier; no mechanism given",
            )
        ],
    )
    # A partial configuration asserts no link across its missing mechanism.
    return m


def _mark_links(m: ChangeModel, config_id: str, evidence: Evidence) -> None:
    """Give the links a configuration asserts the evidence of the configuration; the
    intervention triggering a mechanism is what a row about the intervention implies."""
    for link in m.asserted_links(config_id):
        current = m.get_link(link.source, link.target, link.relation)
        if current.evidence:
            continue
        if link.source == SMA:
            implied = Evidence(
                evidence.reference,
                page=evidence.page,
                status="inferred",
                note="the row is about shared medical appointments",
            )
            m.replace(attrs.evolve(current, evidence=(implied,)))
        else:
            m.replace(attrs.evolve(current, evidence=(evidence,)))


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
