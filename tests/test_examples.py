"""The realist, classic logic model and multi-site examples: each script and its
model.yaml hold the same model, and each model says what its README says."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from changemodel import ChangeModel, EvidenceStatus, Kind, dumps, load
from changemodel.analysis.cmo import configurations
from changemodel.analysis.compose import MergeConflictError, merge, provenance
from changemodel.domain import Element, Link
from changemodel.validation import validate

EXAMPLES = Path("examples")
NAMES = ("realist_cmo", "shared_medical_appointments", "classic_logic_model", "multi_site")


def script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_model", EXAMPLES / name / "model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(name: str) -> ChangeModel:
    model = script(name).build()
    assert isinstance(model, ChangeModel)
    return model


def readme(name: str) -> str:
    return (EXAMPLES / name / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_script_and_yaml_are_equal(name: str) -> None:
    assert build(name) == load(EXAMPLES / name / "model.yaml")


@pytest.mark.parametrize("name", NAMES)
def test_yaml_is_the_scripts_canonical_dump(name: str) -> None:
    assert dumps(build(name)) == (EXAMPLES / name / "model.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("profile", ["mrc", "realist", "evidence", "evaluation"])
def test_readme_reports_what_validation_finds(name: str, profile: str) -> None:
    """Each README gives the summary of every profile and names every rule that fires."""
    text = readme(name)
    report = validate(load(EXAMPLES / name / "model.yaml"), profiles=[profile])
    line = f"`{profile}`: {report.summary()}"
    assert line in text, f"{name}/README.md should say {line!r}"
    for code in report.codes:
        assert code in text, f"{name}/README.md should explain {code} under {profile}"


# ------------------------------------------------------------------ realist


def test_realist_model_is_built_from_its_configurations() -> None:
    module = script("realist_cmo")
    model = build("realist_cmo")
    rows = module.CONFIGURATIONS
    mechanisms = {m.strip() for row in rows for m in row["mechanisms"].split(";")}
    assert {e.label for e in model.elements_of(Kind.MECHANISM)} == mechanisms
    # every row is a stored configuration with the table's number, and no pair is left over
    views = configurations(model)
    assert [c.id for c in views] == [row["id"] for row in rows]
    for row, view in zip(rows, views, strict=True):
        assert {o.label for o in view.outcomes} == {o.strip() for o in row["outcomes"].split(";")}
        assert len(view.contexts) == len(row["contexts"].split(";"))


def test_realist_reported_elements_quote_the_paper() -> None:
    model = build("realist_cmo")
    for element in model.elements:
        assert len(element.evidence) == 1
        evidence = element.evidence[0]
        assert evidence.reference == "bryne2022"
        if evidence.status is EvidenceStatus.REPORTED:
            assert evidence.quote and evidence.page
        else:
            assert evidence.status is EvidenceStatus.INFERRED
            assert evidence.note and not evidence.quote
    inferred = [e.id for e in model.elements if e.evidence[0].status is EvidenceStatus.INFERRED]
    assert inferred == ["team_cohesion"]


def test_realist_reference_has_the_papers_doi() -> None:
    reference = build("realist_cmo").get_reference("bryne2022")
    assert reference.doi == "10.1186/s12913-022-07913-7"
    assert "22, 533" in reference.citation


# ----------------------------------------------- shared medical appointments


def test_the_review_table_is_stored_with_its_numbers_and_marked_reported() -> None:
    module = script("shared_medical_appointments")
    model = build("shared_medical_appointments")
    review = [c for c in model.configurations if c.id.startswith("CMOC")]
    assert [c.id for c in review] == [row["id"] for row in module.ROWS]
    assert len(model.configurations) >= 6
    for number, config in enumerate(review, start=1):
        (evidence,) = config.evidence
        assert evidence.reference == "kirsh2017" and evidence.status is EvidenceStatus.REPORTED
        assert evidence.page == f"Table 3, row {number}" and evidence.quote == config.statement
        for id in config.element_ids:
            if id != "sma":
                assert model[id].evidence[0].status is EvidenceStatus.REPORTED
    reference = model.get_reference("kirsh2017")
    assert reference.doi == "10.1186/s12913-017-2064-z"


def test_the_review_example_has_each_realist_case() -> None:
    from changemodel.domain import Outcome

    model = build("shared_medical_appointments")
    configs = {c.id: c for c in model.configurations}
    # a partial row
    assert configs["CAND2"].missing == ("mechanisms",)
    # a contrast: same mechanism, different contexts, different outcomes
    a, b = configs["CMOC3"], configs["CAND1"]
    assert a.mechanisms == b.mechanisms
    assert set(a.contexts).isdisjoint(b.contexts) and set(a.outcomes).isdisjoint(b.outcomes)
    assert b.refines == ("CMOC3",)
    # resource and reasoning held by different actors
    offered, reasoned = (model[m] for m in configs["CMOC7"].mechanisms)
    assert getattr(offered, "resource", None) and not getattr(offered, "reasoning", None)
    assert getattr(reasoned, "reasoning", None) and not getattr(reasoned, "resource", None)
    assert {a.name for a in offered.actors}.isdisjoint({a.name for a in reasoned.actors})
    # an unintended outcome
    unintended = [e.id for e in model.elements if isinstance(e, Outcome) and not e.intended]
    assert "discouragement" in unintended
    codes = set(validate(model, profiles=["realist"]).codes)
    assert {"CM405", "CM410"} <= codes and "CM406" not in codes and "CM411" not in codes


# ------------------------------------------------------- classic logic model


def test_classic_logic_model_is_illustrative_and_hypothesised() -> None:
    model = build("classic_logic_model")
    assert "illustrative" in model.title
    carriers: list[Element | Link] = [e for e in model.elements if e.kind is not Kind.ASSUMPTION]
    carriers += [link for link in model.links if link.is_causal]
    for item in carriers:
        assert item.evidence
        for evidence in item.evidence:
            assert evidence.status is EvidenceStatus.HYPOTHESISED
            assert evidence.reference is None


def test_classic_logic_model_has_every_column_but_mechanisms() -> None:
    counts = build("classic_logic_model").count_by_kind()
    for kind in (Kind.INPUT, Kind.ACTIVITY, Kind.OUTPUT, Kind.CONTEXT, Kind.ASSUMPTION):
        assert counts.get(kind, 0) >= 1
    assert counts.get(Kind.MECHANISM, 0) == 0


def test_classic_logic_model_indicators_are_complete() -> None:
    model = build("classic_logic_model")
    for element in model.elements_of(Kind.OUTPUT, Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME):
        assert element.indicators, element.id
        for indicator in element.indicators:
            assert indicator.data_source and indicator.baseline and indicator.target
            assert indicator.timepoints


@pytest.mark.parametrize("profiles", [None, ["evaluation"]])
def test_classic_logic_model_passes_default_and_evaluation(profiles: list[str] | None) -> None:
    report = validate(load(EXAMPLES / "classic_logic_model" / "model.yaml"), profiles=profiles)
    assert list(report) == []


# --------------------------------------------------------------- multi-site


def test_multi_site_drafts_conflict_and_merge_refuses_them() -> None:
    module = script("multi_site")
    conflicts = module.conflicts()
    assert {(c.id, c.attribute) for c in conflicts} == {("hope", "label"), ("wellbeing", "horizon")}
    with pytest.raises(MergeConflictError):
        merge(module.site_a_draft(), module.site_b_draft())


def test_multi_site_readme_lists_the_conflicts() -> None:
    text = readme("multi_site")
    for conflict in script("multi_site").conflicts():
        assert str(conflict) in text


def test_multi_site_readme_shows_the_provenance_of_every_element() -> None:
    model = build("multi_site")
    rows = dict(re.findall(r"^\| `([^`]+)` \| [^|]+ \| ([^|]+) \|$", readme("multi_site"), re.M))
    assert set(rows) == {e.id for e in model.elements}
    for id, sites in provenance(model).items():
        assert rows[id].strip() == ", ".join(sites)


def test_multi_site_copies_sit_under_their_namespace() -> None:
    model = build("multi_site")
    for id, sites in provenance(model).items():
        if "." in id:
            namespace = id.split(".", 1)[0]
            assert sites == (namespace,)
    # the interface elements are shared, not copied
    assert "site_a.support" not in model and "site_a.trust" not in model
    sources = {link.source for link in model.links_to("trust")}
    assert {"site_a.sessions", "site_b.sessions"} <= sources
