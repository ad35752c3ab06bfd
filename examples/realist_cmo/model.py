"""A realist programme theory written as context-mechanism-outcome configurations.

Bryne E, Hean SCPD, Evensen KB, Bull VH. Exploring the contexts, mechanisms and
outcomes of a torture, abuse and dental anxiety service in Norway: a realist
evaluation. BMC Health Services Research 2022;22:533.
doi:10.1186/s12913-022-07913-7

The rows of :data:`CONFIGURATIONS` follow the paper's Table 3 ("Context-mechanisms-
outcome configurations (CMOCs): the building blocks for programme theories"),
one row per configuration with the table's numbers as ids, and
:func:`changemodel.analysis.cmo.from_configurations` turns them into a model
that stores the configurations and the links they assert. Every element whose
words were read in the paper (Table 3 or the abstract) is marked *reported* and
carries the quote and where it stands. The outcome of the third configuration
could not be read in full and is marked *inferred*, with a note saying why.

Run ``python examples/realist_cmo/model.py`` to print the model as YAML.
"""

from __future__ import annotations

import attrs

from changemodel import ChangeModel, DownstreamOutcome, Evidence
from changemodel.analysis.cmo import from_configurations

PAPER = "bryne2022"

#: The intervention: the torture, abuse and dental anxiety (TADA) service.
TADA = "The TADA service: anxiety treatment and dental restoration"

ACCESSIBILITY = (
    "Increased accessibility: a vulnerable group can access services they would otherwise be"
    " unable to afford"
)
ALTERED_FOCUS = "Altered focus: the service shifts from private to public"
TAILORING = (
    "The TADA teams tailor their approach by learning what the patient needs and they search"
    " for local resources in order to meet these needs"
)
ORAL_HEALTH = (
    "The service delivers treatment, improving the oral health of patients who follow the"
    " service pathway"
)

#: One row per configuration of Table 3, with the table's numbers as ids. Several
#: contexts, mechanisms or outcomes in one cell are separated by ';'. The text is
#: the paper's wording, cut down to a label.
CONFIGURATIONS: list[dict[str, str]] = [
    {  # programme theory 1: one cell holds two mechanisms
        "id": "CMOC1",
        "intervention": TADA,
        "contexts": "TADA is a state-funded service;"
        " For many of these patients, the cost of dental restoration is unaffordable",
        "mechanisms": f"{ACCESSIBILITY}; {ALTERED_FOCUS}",
        "outcomes": "Increased accessibility to services and hence increased service uptake;"
        " Improved quality of life",
        "actors": "patients",
    },
    {  # programme theory 2
        "id": "CMOC2",
        "intervention": TADA,
        "contexts": "National guidelines set by the Norwegian government are open to"
        " interpretation; Patients are heterogeneous in character",
        "mechanisms": TAILORING,
        "outcomes": ORAL_HEALTH,
        "actors": "TADA teams; patients",
    },
    {  # programme theory 3
        "id": "CMOC3",
        "intervention": TADA,
        "contexts": "The Directorate of Health controls the service; There is a lack of common"
        " meeting arenas; There is a lack of explicit leadership and guidelines from the"
        " Directorate of Health; Poor communication exists across teams (nationally and"
        " regionally); County legislation affects service delivery",
        "mechanisms": "Regional service teams become self-reliant and insular",
        "outcomes": "Cohesion within each regional team",
        "actors": "TADA teams",
    },
]

#: Short ids for the elements the builder names after their text, with where the
#: words stand in the paper (``None``: not read in full, so inferred).
SOURCES: dict[str, tuple[str, str | None]] = {
    TADA: ("tada_service", "Table 3, CMOC 1, context"),
    "TADA is a state-funded service": ("state_funded", "Table 3, CMOC 1, context"),
    "For many of these patients, the cost of dental restoration is unaffordable": (
        "unaffordable_restoration",
        "Table 3, CMOC 1, context",
    ),
    ACCESSIBILITY: ("increased_accessibility", "Table 3, CMOC 1, mechanism"),
    ALTERED_FOCUS: ("altered_focus", "Table 3, CMOC 1, mechanism"),
    "Increased accessibility to services and hence increased service uptake": (
        "service_uptake",
        "Table 3, CMOC 1, outcome",
    ),
    "Improved quality of life": ("quality_of_life", "Table 3, CMOC 1, outcome"),
    "National guidelines set by the Norwegian government are open to interpretation": (
        "open_guidelines",
        "Table 3, CMOC 2, context",
    ),
    "Patients are heterogeneous in character": (
        "heterogeneous_patients",
        "Table 3, CMOC 2, context",
    ),
    TAILORING: ("tailoring", "Table 3, CMOC 2, mechanism"),
    ORAL_HEALTH: ("oral_health", "Table 3, CMOC 2, outcome"),
    "There is a lack of explicit leadership and guidelines from the Directorate of Health": (
        "no_national_leadership",
        "Table 3, CMOC 3, context",
    ),
    "The Directorate of Health controls the service": (
        "directorate_control",
        "Table 3, CMOC 3, context",
    ),
    "There is a lack of common meeting arenas": ("no_meeting_arenas", "Table 3, CMOC 3, context"),
    "County legislation affects service delivery": (
        "county_legislation",
        "Table 3, CMOC 3, context",
    ),
    "Poor communication exists across teams (nationally and regionally)": (
        "poor_communication",
        "Table 3, CMOC 3, context",
    ),
    "Regional service teams become self-reliant and insular": ("self_reliant_teams", "Abstract"),
    "Cohesion within each regional team": ("team_cohesion", None),
}

#: The wording of the paper where a label shortens or rephrases it.
QUOTES: dict[str, str] = {
    "tada_service": "It delivers both anxiety treatment and dental restoration.",
    "altered_focus": "Altered focus: The service shifts from private to public.",
    "service_uptake": "An immediate outcome for patients is increased accessibility to services"
    " and hence increased service uptake.",
    "quality_of_life": "There are ripple effects for patients including improved quality of life.",
    "self_reliant_teams": "A perceived lack of explicit national leadership and cooperative"
    " practices has resulted in regional service teams becoming self-reliant and insular.",
}

#: What the paper adds to an element beyond its label.
DESCRIPTIONS: dict[str, str] = {
    "state_funded": "The 2020 annual budget for the service was 85 million Norwegian kroner"
    " (around 8 million euros).",
    "oral_health": "Not all patients meet the clinical assessment criteria for alleviation of"
    " dental anxiety.",
    "heterogeneous_patients": "Some patients are in difficult life situations and may not"
    " always benefit from the full CBT dimension of the TADA service.",
}


def build() -> ChangeModel:
    m = from_configurations(CONFIGURATIONS, title="TADA dental anxiety service: realist CMOCs")
    m.version = "1.0"
    m.description = (
        "How a state-funded service for patients with a history of torture or abuse, or with"
        " dental anxiety, works in Norway: the context-mechanism-outcome configurations of"
        " Bryne et al. (2022), Table 3."
    )
    m.reference(
        PAPER,
        "Bryne E, Hean SCPD, Evensen KB, Bull VH (2022). Exploring the contexts, mechanisms"
        " and outcomes of a torture, abuse and dental anxiety service in Norway: a realist"
        " evaluation. BMC Health Services Research 22, 533.",
        doi="10.1186/s12913-022-07913-7",
    )
    by_label = {e.label: e.id for e in m.elements}
    for label, (short, where) in SOURCES.items():
        m.rename(by_label[label], short)
        if where is None:
            evidence = Evidence(
                PAPER,
                status="inferred",
                note="The abstract, as read, says the self-reliance 'has led to cohesion within"
                " each' and breaks off; the outcome cell of Table 3 could not be read.",
            )
        else:
            quote = QUOTES.get(short, label)
            evidence = Evidence(PAPER, quote=quote, page=where, status="reported")
        m.update(short, evidence=(evidence,), description=DESCRIPTIONS.get(short))
    # Quality of life is the one outcome the paper places further on ("ripple effects").
    old = m["quality_of_life"]
    m.replace(
        DownstreamOutcome(
            old.id, old.label, evidence=old.evidence, actors=old.actors, horizon="long"
        )
    )
    # Each mechanism-outcome link is part of a configuration of Table 3. That the
    # service triggers the mechanism is what a configuration about the service implies.
    for config in m.configurations:
        page = f"Table 3, CMOC {config.id.removeprefix('CMOC')}"
        if config.id == "CMOC3":
            whole = Evidence(
                PAPER,
                page=page,
                status="inferred",
                note="the context cell was read in full, the mechanism comes from the abstract"
                " and the outcome could not be read, so it is inferred",
            )
        else:
            whole = Evidence(PAPER, page=page, status="reported")
        m.update_configuration(config.id, evidence=(whole,))
        for mechanism in config.mechanisms:
            for link in m.links_from(mechanism):
                status = "inferred" if link.target == "team_cohesion" else "reported"
                evidence = (Evidence(PAPER, page=page, status=status),)
                m.replace(attrs.evolve(link, evidence=evidence))
            trigger = m.get_link("tada_service", mechanism)
            implied = Evidence(
                PAPER, page=page, status="inferred", note="the row is about the service"
            )
            m.replace(attrs.evolve(trigger, evidence=(implied,)))
    return m


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
