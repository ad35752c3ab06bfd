"""The report's hypotheses and plan carry each configuration's confidence and the
plan's realist section."""

from __future__ import annotations

from changemodel.analysis.confidence import configuration_confidence
from changemodel.outputs.report import to_html

from ._support import Page, example


def test_the_plan_section_holds_the_realist_plan() -> None:
    model = example()
    page = Page(to_html(model, diagram=False))
    words = " ".join(" ".join(page.text).split())
    for heading in (
        "Realist evaluation: configurations to test",
        "Interview topics per mechanism",
        "Data sources per outcome",
    ):
        assert heading in words
    assert f"Confidence: {configuration_confidence(model, 'PW1')}" in words
    assert (
        "Engagement with services and attendance (service_engagement; PW1, PW3): Appointments"
        " attended at 6 months, from service records." in words
    )


def test_the_realist_hypotheses_carry_the_configuration_confidence() -> None:
    model = example()
    words = " ".join(" ".join(Page(to_html(model, diagram=False)).text).split())
    assert f"Confidence (weakest link): {configuration_confidence(model, 'PW2')}" in words


def test_the_hypotheses_name_their_configuration_and_those_left_out() -> None:
    from changemodel import load

    from ._support import ROOT

    model = load(ROOT / "examples" / "shared_medical_appointments" / "model.yaml")
    words = " ".join(" ".join(Page(to_html(model, diagram=False)).text).split())
    assert "CMOC3 In a context of low/high motivation for self-management behavior" in words
    assert "Configurations left out: CAND2 (not testable yet: no mechanism)." in words
    # every pathway there ends in an outcome a configuration names
    assert (
        "Pathway hypotheses (at most 20) The pathways whose final outcome no configuration"
        " names. None." in words
    )
