"""Plugins and trust: what an installed package or an uploaded file can change.

A plugin's rules run only in its own profiles; a broken plugin is a warning
and the built-in rules still run; ``plugins=False`` and ``--no-plugins`` leave
plugins out; ``use_model_settings=False`` and ``--no-model-settings`` ignore a
file's own settings; ``rename()`` keeps the model's suppressions pointing at
the renamed element.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel import ChangeModel
from changemodel.cli import cli
from changemodel.formats.canonical import dumps, loads
from changemodel.validation import defaults as registry_module
from changemodel.validation import validate
from changemodel.validation.config import SettingsError
from changemodel.validation.defaults import default_registry, load_plugins
from changemodel.validation.facts import Facts
from changemodel.validation.registry import PluginWarning, Problem, Registry


class _EntryPoint:
    def __init__(self, name: str, target: Callable[[Registry], None]) -> None:
        self.name = name
        self.value = f"plugins:{name}"
        self._target = target

    def load(self) -> object:
        return self._target


def _greedy(registry: Registry) -> None:
    """A plugin whose rule asks to join the default profile."""

    @registry.rule("HOUSE1", "house-rule", profiles=("structure",), what="x", why="y")
    def house(facts: Facts) -> Iterator[Problem]:
        yield Problem("from the house plugin")


def _own_profile(registry: Registry) -> None:
    registry.add_profile("house", "The house rules")

    @registry.rule("HOUSE2", "house-own", profiles=("house",), what="x", why="y")
    def own(facts: Facts) -> Iterator[Problem]:
        yield Problem("from the house profile")


def _broken(registry: Registry) -> None:
    registry.add_profile("half", "Registered before the failure")
    raise ImportError("no module named house_rules")


def tiny() -> ChangeModel:
    model = ChangeModel("Tiny")
    _ = model.activity("a", "Do") >> model.process_outcome("o", "Change")
    model.mechanism("m", "Why")
    return model


@pytest.fixture
def plugged(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """The built-in rules with the three plugins above loaded, as the default registry."""
    registry = default_registry().without_plugins()
    plugins = [
        _EntryPoint("greedy", _greedy),
        _EntryPoint("house", _own_profile),
        _EntryPoint("broken", _broken),
    ]
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda *, group: plugins)
    with pytest.warns(PluginWarning) as caught:
        load_plugins(registry)
    messages = [str(w.message) for w in caught]
    assert any("plugin 'broken'" in m and "left out: ImportError" in m for m in messages)
    assert any(
        "plugin 'greedy': rule HOUSE1 asks to join the profile structure" in m for m in messages
    )
    monkeypatch.setattr(registry_module, "_DEFAULT", registry)
    return registry


def test_a_plugin_rule_never_runs_in_the_default_profile(plugged: Registry) -> None:
    report = validate(tiny())
    assert "HOUSE1" not in report.rules
    assert "HOUSE2" not in report.rules
    assert set(report.codes) == {"CM201"}
    # It runs when its own profile is chosen, or when selected by code.
    assert "HOUSE2" in validate(tiny(), profiles=["house"]).codes
    assert "HOUSE1" in validate(tiny(), select=["HOUSE1"]).codes


def test_a_broken_plugin_is_left_out_whole(plugged: Registry) -> None:
    assert "half" not in {p.name for p in plugged.profiles}
    assert plugged.plugin_rules == {"HOUSE1": "greedy", "HOUSE2": "house"}
    assert set(validate(tiny()).codes) == {"CM201"}  # the built-in rules still run


def test_plugins_can_be_turned_off(plugged: Registry) -> None:
    assert "HOUSE1" not in validate(tiny(), select=["CM201"], plugins=False).rules
    with pytest.raises(SettingsError, match="unknown profile 'house'"):
        validate(tiny(), profiles=["house"], plugins=False)


def test_the_command_line_turns_plugins_off_and_reports_them(
    plugged: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(dumps(tiny()))
    result = CliRunner().invoke(cli, ["validate", str(path), "--select", "HOUSE1"])
    assert "from the house plugin" in result.stdout
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-plugins"])
    assert "house" not in result.stdout
    assert result.exit_code == 0


def test_broken_plugins_are_one_line_warnings_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [_EntryPoint("broken", _broken)]
    )
    monkeypatch.setattr(registry_module, "_DEFAULT", None)
    path = tmp_path / "m.yaml"
    path.write_text(dumps(tiny()))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: the validation plugin 'broken' (plugins:broken)")
    assert "isolated-element" in result.stdout


UPLOAD = """\
changemodel: 1
title: Upload
elements:
- {id: a, kind: activity, label: A}
- {id: o, kind: downstream_outcome, label: O}
- {id: p, kind: process_outcome, label: P}
links:
- {from: a, to: o}
- {from: o, to: p}
validation:
  severity: {backward-link: info}
"""


def test_a_service_can_ignore_the_settings_a_file_carries(tmp_path: Path) -> None:
    model = loads(UPLOAD, file="upload.yaml")
    assert not validate(model).failed  # the file lowered its own finding
    assert validate(model, use_model_settings=False).failed
    path = tmp_path / "upload.yaml"
    path.write_text(UPLOAD)
    assert CliRunner().invoke(cli, ["validate", str(path)]).exit_code == 0
    result = CliRunner().invoke(cli, ["validate", str(path), "--no-model-settings"])
    assert result.exit_code == 1
    assert "backward-link" in result.stdout


def test_rename_keeps_the_suppressions_pointing_at_their_targets() -> None:
    model = loads(
        """\
changemodel: 1
title: T
elements:
- {id: a, kind: activity, label: A}
- {id: o, kind: process_outcome, label: O}
- {id: m, kind: mechanism, label: M}
links:
- {from: a, to: o}
validation:
  suppress:
  - {rule: isolated-element, target: m, reason: Drawn later.}
  - {rule: black-box-link, target: a->o, reason: A sketch.}
"""
    )
    before = validate(model, profiles=["structure", "mrc"])
    model.rename("m", "motive")
    model.rename("a", "act")
    after = validate(model, profiles=["structure", "mrc"])
    assert after.codes == before.codes
    assert [s["target"] for s in model.settings["suppress"]] == ["motive", "act->o"]
    assert loads(dumps(model)).settings == model.settings
