"""Every example output is up to date: run ``python examples/build.py`` when this fails."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build_script() -> ModuleType:
    name = "examples_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


BUILD = build_script()


@pytest.mark.parametrize(
    "output", BUILD.OUTPUTS, ids=lambda o: str(o.path.relative_to(ROOT)).replace("\\", "/")
)
def test_output_is_fresh(output: Any) -> None:
    where = output.path.relative_to(ROOT)
    assert output.is_fresh(), f"{where} is stale; regenerate with: python examples/build.py"


@pytest.mark.parametrize("name", BUILD.NAMES)
def test_every_example_has_its_outputs(name: str) -> None:
    paths = {output.path for output in BUILD.OUTPUTS}
    folder = ROOT / "examples" / name
    for file in ("model.yaml", "model.svg", "table.md"):
        assert folder / file in paths
    assert ROOT / "docs" / "assets" / "examples" / f"{name}.svg" in paths
    assert (folder / "README.md").is_file()


def test_a_changed_model_makes_its_outputs_stale(tmp_path: Path) -> None:
    from changemodel import load

    output = next(o for o in BUILD.OUTPUTS if o.path.name == "model.svg")
    model = load(output.path.parent / "model.yaml")
    model.title = model.title + " (changed)"
    fresh = BUILD.svg_fresh(lambda: model)
    assert not fresh(output.path.read_bytes())
