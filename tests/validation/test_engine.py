"""The engine: profiles, selection, settings, suppressions, strict calls, third-party rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from changemodel import ChangeModel, ChangeModelError, LoadError, Relation, load, loads
from changemodel.validation import (
    Config,
    Facts,
    Problem,
    Registry,
    RuleError,
    SettingsError,
    Severity,
    ValidationError,
    default_registry,
    find_pyproject,
    iter_findings,
    load_pyproject,
    validate,
)

PEER_WORKER = Path(__file__).resolve().parents[2] / "examples" / "peer_worker" / "model.yaml"


def gappy() -> ChangeModel:
    """Activity straight to an outcome, an isolated output, a backward link."""
    m = ChangeModel("Gappy")
    m.activity("support", "Peer support")
    m.process_outcome("hope", "Hope")
    m.output("leaflets", "Leaflets")
    m.mechanism("trust", "Trust")
    m.link("support", "hope")
    m.link("hope", "trust")
    return m


def codes(model: ChangeModel, **kw: object) -> set[str]:
    return {f.code for f in validate(model, **kw)}  # type: ignore[arg-type]


def test_default_runs_integrity_and_structure_only() -> None:
    report = validate(gappy())
    ran = {default_registry().resolve(c).profiles[0] for c in report.rules}
    assert ran == {"integrity", "structure"}
    assert report.codes == {"CM201", "CM202"}


def test_profiles_replace_the_default_but_keep_integrity() -> None:
    m = gappy()
    m.link("trust", "support")  # closes an unmarked loop: an integrity error
    found = codes(m, profiles=["mrc"])
    assert "CM105" in found and "CM304" in found
    assert "CM201" not in found


def test_select_and_ignore_by_code_or_name() -> None:
    m = gappy()
    assert "CM304" in codes(m, select=["black-box-link"])
    assert "CM201" not in codes(m, ignore=["CM201"])
    assert "CM201" not in codes(m, ignore=["isolated-element"])


def test_integrity_rules_cannot_be_ignored() -> None:
    with pytest.raises(SettingsError, match="integrity rule and always runs"):
        validate(gappy(), ignore=["unmarked-cycle"])


def test_unknown_rule_and_profile_say_what_was_meant() -> None:
    with pytest.raises(SettingsError, match="did you mean 'isolated-element'"):
        validate(gappy(), select=["isolated-elements"])
    with pytest.raises(SettingsError, match=r"unknown profile 'realst'.*did you mean 'realist'"):
        validate(gappy(), profiles=["realst"])
    with pytest.raises(SettingsError, match="is a profile"):
        validate(gappy(), select=["mrc"])


def test_severity_override_and_fail_threshold() -> None:
    m = gappy()
    report = validate(m, severity={"backward-link": "info"})
    assert {f.severity for f in report if f.code == "CM202"} == {Severity.INFO}
    assert not report.failed
    assert validate(m, severity={"backward-link": "info"}, fail_on="warning").failed


@pytest.fixture
def gappy_with_loop() -> ChangeModel:
    m = gappy()
    m.link("trust", "support")
    return m


def test_strict_raises_every_failing_finding_together(gappy_with_loop: ChangeModel) -> None:
    with pytest.raises(ValidationError) as info:
        validate(gappy_with_loop, strict=True)
    error = info.value
    assert isinstance(error, ChangeModelError) and isinstance(error, ValueError)
    assert {f.code for f in error.findings} == {"CM105", "CM202"}
    assert all(f.severity is Severity.ERROR for f in error.findings)
    assert error.report is not None and len(error.report) > len(error.findings)


def test_strict_passes_quietly_when_nothing_fails() -> None:
    report = validate(load(PEER_WORKER), strict=True)
    assert not report.failed


def test_iter_findings_is_lazy() -> None:
    registry = default_registry().copy()
    registry.add_profile("probe", "test profile")
    ran: list[str] = []

    @registry.rule("PROBE1", "first-probe", profiles=("probe",), what="x", why="y")
    def first(facts: Facts) -> Iterator[Problem]:
        ran.append("first")
        yield Problem("one")
        yield Problem("two")

    @registry.rule("PROBE2", "second-probe", profiles=("probe",), what="x", why="y")
    def second(facts: Facts) -> Iterator[Problem]:
        ran.append("second")
        yield Problem("three")

    it = iter_findings(ChangeModel("Empty"), profiles=["probe"], registry=registry)
    assert ran == []
    assert next(it).message == "one"
    assert ran == ["first"]
    assert [f.message for f in it] == ["two", "three"]
    assert ran == ["first", "second"]


def test_third_party_rules_and_profiles() -> None:
    registry = default_registry().copy()
    registry.add_profile("house", "Our house rules")

    @registry.rule(
        "HOUSE001",
        "activity-without-actor",
        severity="error",
        profiles=("house",),
        what="Activities name an actor.",
        why="Who delivers matters.",
    )
    def actorless(facts: Facts) -> Iterator[Problem]:
        for e in facts.model.elements_of("activity"):
            if not e.actors:
                yield Problem(f"{e.id} names no actor", element=e.id)

    report = validate(gappy(), profiles=["house"], registry=registry)
    assert [(f.code, f.element, f.severity) for f in report if f.code.startswith("HOUSE")] == [
        ("HOUSE001", "support", Severity.ERROR)
    ]
    assert "HOUSE001" not in default_registry()
    assert validate(gappy(), select=["activity-without-actor"], registry=registry).failed


def test_registering_clashing_or_malformed_rules_is_refused() -> None:
    registry = default_registry().copy()

    def noop(facts: Facts) -> Iterator[Problem]:
        yield from ()

    with pytest.raises(ChangeModelError, match="already registered"):
        registry.rule("CM101", "another-name")(noop)
    with pytest.raises(ChangeModelError, match="already registered"):
        registry.rule("X1", "isolated-element")(noop)
    with pytest.raises(ChangeModelError, match="unknown profile"):
        registry.rule("X2", "x-two", profiles=("nope",))(noop)
    with pytest.raises(ChangeModelError, match="rule code"):
        registry.rule("lower1", "x-three")(noop)
    with pytest.raises(ChangeModelError, match="rule name"):
        registry.rule("X4", "Not A Name")(noop)


def test_a_failing_third_party_rule_raises_rule_error() -> None:
    registry = default_registry().copy()

    @registry.rule("BROKEN1", "broken-rule", what="x", why="y")
    def broken(facts: Facts) -> Iterator[Problem]:
        yield Problem("fine")
        raise KeyError("oops")

    with pytest.raises(RuleError, match="BROKEN1 broken-rule failed: KeyError"):
        validate(gappy(), select=["BROKEN1"], registry=registry)

    def wrong(facts: Facts) -> Iterator[str]:
        yield "not a problem"

    registry.rule("BROKEN2", "yields-text", what="x", why="y")(wrong)  # type: ignore[arg-type]

    with pytest.raises(RuleError, match="yields Problem objects"):
        validate(gappy(), select=["BROKEN2"], registry=registry)


# --------------------------------------------------------------- settings

MODEL_WITH_SETTINGS = """\
changemodel: 1
title: Settings
elements:
- {id: support, kind: activity, label: Peer support}
- {id: hope, kind: process_outcome, label: Hope}
- {id: leaflets, kind: output, label: Leaflets}
links:
- {from: support, to: hope}
validation:
  profiles: [mrc]
  severity: {black-box-link: error}
  suppress:
  - rule: isolated-element
    target: leaflets
    reason: Kept to show the implementation column; linked in version 2.
  - rule: missing-stage
    reason: A sketch of the first step only.
"""


def test_model_file_settings_apply_with_suppressions() -> None:
    model = loads(MODEL_WITH_SETTINGS, file="settings.yaml")
    report = validate(model, select=["isolated-element"])
    assert report.failed
    assert {f.code for f in report.errors} == {"CM304"}
    suppressed = {(s.finding.code, s.finding.target): s.reason for s in report.suppressed}
    assert suppressed[("CM201", "leaflets")].startswith("Kept to show")
    assert all(code != "CM306" for code in report.codes)
    assert ("CM306", None) in suppressed
    assert "suppressed" in report.summary()
    # iter_findings leaves suppressed findings out too
    assert not any(f.code == "CM201" for f in iter_findings(model, select=["isolated-element"]))


def test_arguments_override_model_settings() -> None:
    model = loads(MODEL_WITH_SETTINGS)
    assert "CM304" not in codes(model, profiles=["structure"])
    assert not validate(model, use_model_settings=False).failed


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("profiles: [mrc, realst]", r"settings.yaml:\d+:\d+: validation.profiles\[1\]: unknown"),
        ("select: 3", "expected a list"),
        ("severity: {black-box-link: fatal}", "not a severity"),
        ("fan_limit: 0", "whole number of at least 1"),
        ("fan_limit: true", "whole number"),
        ("fail_on: [error]", "not a severity"),
        ("colour: red", "unknown setting 'colour'"),
        ("suppress: [{rule: isolated-element, target: leaflets}]", "needs a 'reason'"),
        ("suppress: [{rule: isolated-element, target: leaflets, reason: '  '}]", "reason"),
        ("suppress: [{target: leaflets, reason: r}]", "needs 'rule'"),
        ("suppress: [{rule: CM999, target: leaflets, reason: r}]", "unknown rule 'CM999'"),
        ("suppress: [{rule: CM201, target: leaflet, reason: r}]", "did you mean 'leaflets'"),
        ("suppress: [{rule: CM201, taget: leaflets, reason: r}]", "did you mean 'target'"),
        ("suppress: {rule: CM201}", "expected a list"),
        ("options: [1]", "mapping of option names"),
    ],
)
def test_malformed_model_settings_give_clear_errors(settings: str, message: str) -> None:
    head, _, _ = MODEL_WITH_SETTINGS.partition("validation:\n")
    # Malformed settings are refused when the file is read, names that no rule or
    # element has when the model is validated: the same error either way.
    with pytest.raises(SettingsError, match=message) as info:
        validate(loads(head + "validation:\n  " + settings + "\n", file="settings.yaml"))
    assert isinstance(info.value, ChangeModelError) and isinstance(info.value, ValueError)
    assert "settings.yaml" in str(info.value)


def test_several_settings_problems_are_reported_together() -> None:
    with pytest.raises(SettingsError) as info:
        Config.from_data({"select": ["nope"], "fail_on": "never", "fan_limit": -1})
    assert len(info.value.problems) == 3


def test_config_merging() -> None:
    base = Config.from_data({"select": ["black-box-link"], "ignore": ["fan-limit"]})
    later = Config.from_data({"select": ["fan-limit"], "ignore": ["black-box-link"]})
    merged = base.merged(later)
    assert merged.select == ("CM206",)
    assert merged.ignore == ("CM304",)
    assert Config().merged(Config.from_data({"fan-limit": 3})).rule_options == {"fan_limit": 3}


def test_pyproject_settings(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.changemodel.validation]\n'
        'profiles = ["structure", "mrc"]\nignore = ["missing-stage"]\n'
        'severity = { "black-box-link" = "error" }\nfail-on = "warning"\n',
        encoding="utf-8",
    )
    found = find_pyproject(project / "models")
    assert found == project / "pyproject.toml"
    config = load_pyproject(found)
    assert config.profiles == ("structure", "mrc")
    assert config.threshold is Severity.WARNING
    report = validate(gappy(), config=config)
    assert "CM306" not in report.codes
    assert {f.severity for f in report if f.code == "CM304"} == {Severity.ERROR}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.changemodel.validation]\nprofiles = [\n", "not valid TOML"),
        ("[tool.changemodel.validation]\nselect = ['nope']\n", r"\[tool.changemodel.validation\]"),
        (
            "[tool.changemodel.validation]\nsuppress = [{rule = 'CM201', reason = 'r'}]\n",
            "write them in the model file",
        ),
        ("[tool]\nchangemodel = 3\n", "must be a table"),
    ],
)
def test_malformed_pyproject(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_pyproject(path)


def test_pyproject_without_the_table_is_empty_settings(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert load_pyproject(path) == Config()
    with pytest.raises(SettingsError, match="cannot read"):
        load_pyproject(tmp_path / "missing.toml")


def test_findings_carry_locations_from_the_file() -> None:
    model = loads(MODEL_WITH_SETTINGS, file="settings.yaml")
    report = validate(model, profiles=["mrc"])
    [black_box] = [f for f in report if f.code == "CM304"]
    assert black_box.link == "support->hope"
    assert black_box.location is not None
    assert (black_box.location.file, black_box.location.line) == ("settings.yaml", 8)
    assert black_box.hint


def test_findings_on_a_model_built_in_python_have_no_location() -> None:
    report = validate(gappy())
    assert all(f.location is None for f in report)


def test_report_sorting_and_grouping() -> None:
    m = gappy()
    m.link("trust", "support")
    report = validate(m, profiles=["structure", "mrc"])
    ranks = [f.severity.rank for f in report]
    assert ranks == sorted(ranks, reverse=True)
    groups = report.by_target()
    assert set(groups) >= {"leaflets", None}
    assert sum(len(g) for g in groups.values()) == len(report)
    counts = report.counts()
    assert counts["error"] == len(report.errors)
    assert counts["warning"] == len(report.warnings)
    assert counts["info"] == len(report.infos)


def test_relations_mixed_models() -> None:
    m = ChangeModel("Contexts")
    m.context("ward", "Ward")
    m.assumption("willing", "Willing")
    m.process_outcome("hope", "Hope")
    m.link("ward", "hope")
    m.link("willing", "hope", Relation.MODERATES)
    found = [f for f in validate(m) if f.code == "CM103"]
    assert sorted(f.link or "" for f in found) == ["ward->hope", "willing-moderates->hope"]


class _EntryPoint:
    def __init__(self, name: str, target: object) -> None:
        self.name = name
        self.value = f"plugins:{name}"
        self._target = target

    def load(self) -> object:
        return self._target


def test_plugins_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from changemodel.validation.defaults import ENTRY_POINT_GROUP, load_plugins
    from changemodel.validation.registry import PluginWarning

    def register(registry: Registry) -> None:
        registry.add_profile("plugged", "From a plugin")

        @registry.rule("PLUG1", "plugged-rule", profiles=("plugged",), what="x", why="y")
        def plugged(facts: Facts) -> Iterator[Problem]:
            yield Problem("from the plugin")

    def broken(registry: Registry) -> None:
        raise ImportError("no module named house_rules")

    seen: list[str] = []

    def entry_points(*, group: str) -> list[_EntryPoint]:
        seen.append(group)
        return [_EntryPoint("house", register)]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registry = Registry()
    load_plugins(registry)
    assert seen == [ENTRY_POINT_GROUP]
    assert [f.message for f in validate(gappy(), profiles=["plugged"], registry=registry)] == [
        "from the plugin"
    ]
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda *, group: [_EntryPoint("bad", broken)]
    )
    with pytest.warns(PluginWarning, match=r"plugin 'bad'.*left out: ImportError"):
        load_plugins(Registry())


def test_suppressions_that_silence_nothing_are_noted() -> None:
    text = MODEL_WITH_SETTINGS.replace("target: leaflets", "target: hope")
    model = loads(text, file="settings.yaml")
    report = validate(model, select=["isolated-element"])
    assert len(report.unused) == 1
    assert report.unused[0].startswith("settings.yaml:")
    assert "suppression of CM201 on hope silenced nothing" in report.unused[0]
    assert "CM201" in report.codes  # leaflets is reported again
    # a suppression whose rule did not run is not noted
    assert validate(model, profiles=["evidence"]).unused == ()
    from changemodel.validation.output import render_json, render_text

    assert "note: settings.yaml:" in render_text([report])
    import json

    assert json.loads(render_json([report]))["files"][0]["unused_suppressions"] == list(
        report.unused
    )


def test_model_settings_are_checked_when_the_file_is_read() -> None:
    head, _, _ = MODEL_WITH_SETTINGS.partition("validation:\n")
    text = head + "validation:\n  fan_limit: 0\n  colour: red\n  fail-on: [x]\n"
    with pytest.raises(SettingsError) as info:
        loads(text, file="settings.yaml")
    found = {(e.path, e.location.line if e.location else None) for e in info.value.errors}
    assert found == {
        ("validation.fan_limit", 10),
        ("validation.colour", 11),
        ("validation.fail-on", 12),
    }
    assert isinstance(info.value, LoadError)


def test_a_setting_in_both_spellings_is_refused() -> None:
    with pytest.raises(SettingsError, match="'fan_limit' and 'fan-limit' are the same setting"):
        Config.from_data({"fan_limit": 3, "fan-limit": 4})


@pytest.mark.parametrize("where", [".", "models/deep"])
def test_a_pyproject_that_is_not_utf8_gives_a_message(tmp_path: Path, where: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(
        b'[tool.changemodel.validation]\nprofiles = ["mrc"]\n# caf\xe9\n'
    )
    start = tmp_path / where
    start.mkdir(parents=True, exist_ok=True)
    found = find_pyproject(start)
    assert found == tmp_path / "pyproject.toml"
    with pytest.raises(SettingsError, match="not valid UTF-8") as info:
        load_pyproject(found)
    [error] = info.value.errors
    assert error.location is not None and (error.location.line, error.location.column) == (3, 6)


def test_pyproject_errors_say_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\n\n[tool.changemodel.validation]\nselect = ["nope"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as info:
        load_pyproject(path)
    [error] = info.value.errors
    assert str(error).startswith(f"{path}:5:1: [tool.changemodel.validation] select[0]: unknown")
