"""The peer worker example: the script and the file hold the same model."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from changemodel import ChangeModel, EvidenceStatus, Kind, dumps, load

HERE = Path("examples/peer_worker")


def example_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("peer_worker_model", HERE / "model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build() -> ChangeModel:
    model = example_script().build()
    assert isinstance(model, ChangeModel)
    return model


def test_script_and_yaml_are_equal() -> None:
    assert build() == load(HERE / "model.yaml")


def test_yaml_is_the_scripts_canonical_dump() -> None:
    assert dumps(build()) == (HERE / "model.yaml").read_text(encoding="utf-8")


def test_mechanisms_are_the_three_reported_in_the_abstract() -> None:
    model = build()
    mechanisms = model.elements_of(Kind.MECHANISM)
    assert len(mechanisms) == 3
    for mechanism in mechanisms:
        assert [e.status for e in mechanism.evidence] == [EvidenceStatus.REPORTED]
        # the label is the abstract's wording, capitalised
        quote = mechanism.evidence[0].quote
        assert quote is not None
        assert mechanism.label == quote[0].upper() + quote[1:]


def test_reconstructed_outcomes_are_marked_inferred() -> None:
    for outcome in build().elements_of(Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME):
        assert outcome.evidence
        assert all(e.status is EvidenceStatus.INFERRED for e in outcome.evidence)


def test_theories_cite_references_of_the_model() -> None:
    model = build()
    refs = {r.id for r in model.references}
    assert model.theories
    for theory in model.theories:
        assert theory.references
        assert set(theory.references) <= refs


def test_wellbeing_is_measured_with_wemwbs() -> None:
    wellbeing = build()["wellbeing"]
    assert [i.instrument for i in wellbeing.indicators] == ["WEMWBS"]
