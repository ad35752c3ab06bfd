"""Data frames of a model: stable columns, and a round trip that loses nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import changemodel
from changemodel import ChangeModel, InvalidValueError, load
from changemodel.formats.frames import COLUMNS, FRAMES, from_frames, to_frames
from changemodel.testing.strategies import models

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*/model.yaml"))


@settings(max_examples=80, deadline=None)
@given(st.one_of(models(), models(full=True), models(hostile=True)))
def test_from_frames_gives_back_the_model(model: ChangeModel) -> None:
    frames = to_frames(model)
    assert list(frames) == list(FRAMES)
    for name, frame in frames.items():
        assert tuple(frame.columns) == COLUMNS[name]
    assert from_frames(frames) == model


@settings(max_examples=40, deadline=None)
@given(models(full=True), st.integers(0, 2**16))
def test_rows_may_come_in_any_order(model: ChangeModel, seed: int) -> None:
    frames = {
        name: frame.sample(frac=1.0, random_state=seed) for name, frame in to_frames(model).items()
    }
    assert from_frames(frames) == model


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_the_examples_survive_a_trip_through_csv(path: Path, tmp_path: Path) -> None:
    model = load(path)
    frames = to_frames(model)
    assert changemodel.to_frames is to_frames and changemodel.from_frames is from_frames
    links = frames["links"]
    assert set(links["sign"]) <= {"increases", "reduces"}
    assert links["confidence"].dtype == "float64"
    # flat frames (no list or mapping cells) go through CSV as they are
    flat = {"references", "actors", "evidence"}
    back = {}
    for name in flat:
        frames[name].to_csv(tmp_path / f"{name}.csv", index=False)
        back[name] = pd.read_csv(tmp_path / f"{name}.csv", dtype=object, keep_default_na=False)
        back[name] = back[name].replace({"": None})
    for name in flat:
        assert back[name].shape == frames[name].shape


def test_bad_rows_are_named() -> None:
    m = ChangeModel("Tiny")
    _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
    frames = to_frames(m)
    frames["elements"].loc[1, "kind"] = "outcome"
    with pytest.raises(InvalidValueError, match=r"elements frame, row 1: 'outcome' is not a kind"):
        from_frames(frames)
    frames = to_frames(m)
    frames["links"].loc[0, "sign"] = "more"
    with pytest.raises(InvalidValueError, match=r"links frame, row 0: .*'more' is not a sign"):
        from_frames(frames)
    frames = to_frames(m)
    frames["links"].loc[0, "target"] = "nowhere"
    with pytest.raises(InvalidValueError, match=r"links frame, row 0: .*'nowhere'"):
        from_frames(frames)
    frames = to_frames(m)
    frames["elements"]["colour"] = "red"
    with pytest.raises(InvalidValueError, match="unknown columns colour"):
        from_frames(frames)
    with pytest.raises(InvalidValueError, match="unknown frames 'nodes'"):
        from_frames({"nodes": frames["elements"]})
    frames = to_frames(m)
    frames["indicators"] = pd.DataFrame([{"element": "ghost", "position": 0, "name": "A measure"}])
    with pytest.raises(InvalidValueError, match="element 'ghost', which the frames do not hold"):
        from_frames(frames)


def test_frames_can_be_built_by_hand() -> None:
    frames = {
        "elements": pd.DataFrame(
            [
                {"id": "a", "kind": "activity", "label": "Do"},
                {"id": "o", "kind": "process_outcome", "label": "Change"},
            ]
        ),
        "links": pd.DataFrame([{"source": "a", "target": "o", "sign": "reduces"}]),
        "evidence": pd.DataFrame(
            [
                {
                    "source": "a",
                    "target": "o",
                    "position": 0,
                    "note": "piloted",
                    "quote": float("nan"),
                }
            ]
        ),
    }
    model = from_frames(frames)
    assert model.title == "Untitled change model"
    (link,) = model.links
    assert link.sign == "reduces" and link.evidence[0].note == "piloted"
    assert link.evidence[0].quote is None


def test_the_reference_documents_every_column() -> None:
    page = (ROOT / "docs" / "reference" / "frames.md").read_text(encoding="utf-8")
    documented: dict[str, list[str]] = {}
    for name, body in re.findall(r"^## `(\w+)`\n(.*?)(?=^## |\Z)", page, re.M | re.S):
        documented[name] = re.findall(r"^\| `(\w+)` \|", body, re.M)
    assert documented == {name: list(columns) for name, columns in COLUMNS.items()}


def test_every_part_of_a_model_file_has_a_frame() -> None:
    # A new top-level object of the model file (a part) needs its frame here:
    # this test names the part until COLUMNS, _rows and from_frames hold it.
    from changemodel.domain import PARTS

    assert {part.key for part in PARTS} <= set(FRAMES)
