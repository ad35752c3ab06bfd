"""Model files written in format version 1 by release 0.1 load unchanged.

``tests/data/v1`` holds files as that release wrote or read them (the examples,
a JSON file, a file with validation settings) and, in ``expected.json``, what
each held, recorded field by field from the domain objects rather than through
the file format. A later field that a version-1 file cannot hold must load at
its default.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from changemodel import ChangeModel, load

DATA = Path(__file__).parent / "data" / "v1"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (DATA / "expected.json").read_text(encoding="utf-8")
)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def _defaults(obj: Any) -> dict[str, Any]:
    out = {}
    for f in attrs.fields(type(obj)):
        if isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            out[f.name] = _plain(f.default.factory())
        elif f.default is not attrs.NOTHING:
            out[f.name] = _plain(f.default)
    return out


def _same(expected: dict[str, Any], obj: Any, where: str) -> None:
    actual = _plain(obj)
    for key, value in expected.items():
        if key == "class":
            assert type(obj).__name__ == value, where
        else:
            assert actual[key] == value, f"{where}.{key}"
    defaults = _defaults(obj)
    for key in actual.keys() - expected.keys():
        assert actual[key] == defaults.get(key), f"{where}.{key} is new and not at its default"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_version_1_file_loads_what_it_held(name: str) -> None:
    model = load(DATA / name)
    held = EXPECTED[name]
    assert (model.title, model.description, model.version) == (
        held["title"],
        held["description"],
        held["version"],
    )
    assert _plain(model.settings) == held["settings"]
    parts: dict[str, list[Any]] = {
        "references": sorted(model.references, key=lambda r: r.id),
        "theories": sorted(model.theories, key=lambda t: t.id),
        "elements": sorted(model.elements, key=lambda e: e.id),
        "links": sorted(model.links, key=lambda lk: (lk.source, lk.target, lk.relation.value)),
    }
    for part, objects in parts.items():
        assert len(objects) == len(held[part]), part
        for i, (expected, obj) in enumerate(zip(held[part], objects, strict=True)):
            _same(expected, obj, f"{name}: {part}[{i}]")


def test_the_version_1_files_cover_every_kind_of_content() -> None:
    models = [load(DATA / name) for name in EXPECTED]
    assert any(name.endswith(".json") for name in EXPECTED)
    assert any(m.settings for m in models)
    kinds = {e.kind for m in models for e in m.elements}
    assert len(kinds) == 8
    assert all(isinstance(m, ChangeModel) for m in models)
    assert any(m.references for m in models) and any(m.theories for m in models)
