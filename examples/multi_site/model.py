"""A composed multi-site theory: two sites' outcome theories merged, and one
delivery module instantiated at each site.

An illustrative composition, not taken from a paper, on the theme of the peer
worker example. Two sites wrote down the outcome side of the same theory; their
drafts are merged with :func:`~changemodel.analysis.compose.merge`, which first
reports where they disagree (:func:`~changemodel.analysis.compose.find_conflicts`).
How each site delivers peer support is one reusable sub-theory, instantiated
under the namespaces ``site_a`` and ``site_b``; its interface elements (the peer
support activity and the trust mechanism) connect it to the shared theory.
Every element records where it came from in a ``from:<site>`` tag.

Run ``python examples/multi_site/model.py`` to print the model as YAML.
"""

from __future__ import annotations

from changemodel import ChangeModel, Evidence, Indicator
from changemodel.analysis.compose import (
    Conflict,
    SubTheory,
    find_conflicts,
    instantiate,
    merge,
)

SITES = ("site_a", "site_b")
#: How a site is named in the labels of its copy of the delivery module.
SITE_NAMES = {"site_a": "site A", "site_b": "site B"}


def planned(note: str = "illustrative: the sites' working theory") -> Evidence:
    return Evidence(note=note, status="hypothesised")


def _outcome_core(m: ChangeModel, hope_label: str, horizon: str) -> None:
    """What both sites' drafts share: trust leads to hope, hope to well-being."""
    m.activity("peer_support", "Peer workers support service users", evidence=[planned()])
    trust = m.mechanism(
        "trust",
        "Trusting relationships based on shared lived experience",
        evidence=[planned()],
        indicators=[Indicator("Working alliance", timepoints=["3 months"])],
    )
    hope = m.process_outcome(
        "hope",
        hope_label,
        evidence=[planned()],
        indicators=[Indicator("Hope", timepoints=["baseline", "6 months"])],
    )
    wellbeing = m.downstream_outcome(
        "wellbeing",
        "Mental well-being",
        horizon=horizon,
        evidence=[planned()],
        indicators=[
            Indicator(
                "Mental well-being", instrument="WEMWBS", timepoints=["baseline", "12 months"]
            )
        ],
    )
    trust.leads_to(hope, evidence=[planned()])
    hope.leads_to(wellbeing, evidence=[planned()])


def site_a_draft() -> ChangeModel:
    """Site A's outcome theory."""
    m = ChangeModel("Peer support outcomes, site A")
    _outcome_core(m, "Hope, empowerment and confidence", "intermediate")
    return m


def site_b_draft() -> ChangeModel:
    """Site B's outcome theory, as first written: it words hope and times well-being
    differently from site A, and adds engagement and admissions."""
    m = ChangeModel("Peer support outcomes, site B")
    _outcome_core(m, "Hope and empowerment", "long")
    engagement = m.process_outcome(
        "engagement",
        "Engagement with services",
        evidence=[planned()],
        indicators=[
            Indicator(
                "Appointments attended", data_source="service records", timepoints=["6 months"]
            )
        ],
    )
    admissions = m.downstream_outcome(
        "fewer_admissions",
        "Fewer psychiatric admissions",
        horizon="long",
        evidence=[planned()],
        indicators=[
            Indicator("Admissions", data_source="hospital records", timepoints=["12 months"])
        ],
    )
    m.link("trust", engagement, evidence=[planned()])
    engagement.reduces(admissions, evidence=[planned()])
    return m


def conflicts() -> tuple[Conflict, ...]:
    """Where the two drafts disagree: what :func:`merge` refuses to overwrite."""
    return find_conflicts(site_a_draft(), site_b_draft())


def reconciled_site_b() -> ChangeModel:
    """Site B's draft after the sites agreed to keep site A's wording and horizon."""
    m = site_b_draft()
    a = site_a_draft()
    for conflict in conflicts():
        m.update(conflict.id, **{conflict.attribute: getattr(a[conflict.id], conflict.attribute)})
    return m


def shared_theory() -> ChangeModel:
    """Both sites' outcome theories in one, each element tagged with its site(s)."""
    return merge(site_a_draft(), reconciled_site_b(), names=SITES)


def delivery_module() -> SubTheory:
    """How a site delivers peer support: reused at every site."""
    m = ChangeModel("Site delivery module")
    team = m.input("team", "Site peer worker team and budget", evidence=[planned()])
    training = m.activity(
        "training", "Induction training and fortnightly supervision", evidence=[planned()]
    )
    support = m.activity("support", "Peer support (connected to the shared activity)")
    sessions = m.output(
        "sessions",
        "Peer support sessions delivered",
        evidence=[planned()],
        indicators=[
            Indicator(
                "Sessions per service user",
                data_source="site activity log",
                target="at least 8",
                timepoints=["monthly"],
            )
        ],
    )
    trust = m.mechanism("trust", "Trust (connected to the shared mechanism)")
    for source, target in [(team, training), (training, support), (support, sessions)]:
        m.link(source, target, evidence=[planned()])
    m.link(sessions, trust, evidence=[planned()])
    m.context(
        "role_clarity",
        "A clear and distinctive peer worker role at the site",
        moderates=[support, trust],
        evidence=[planned()],
    )
    return SubTheory(m, interface=["support", "trust"])


def build() -> ChangeModel:
    m = shared_theory()
    module = delivery_module()
    for site in SITES:
        m = instantiate(m, module, site, connect={"support": "peer_support", "trust": "trust"})
        # Name the site in the labels of its copy, so the two copies read apart.
        for element in m.elements:
            if element.id.startswith(site + "."):
                m.update(element.id, label=f"{element.label} ({SITE_NAMES[site]})")
    m.title = "Peer support at two sites (illustrative composition)"
    m.description = (
        "An illustrative multi-site theory: the sites' outcome theories merged, and one"
        " delivery module instantiated under each site's namespace."
    )
    m.version = "1.0"
    return m


if __name__ == "__main__":
    from changemodel import dumps

    print(dumps(build()), end="")
