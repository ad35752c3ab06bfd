"""Properties: validation of any model, with any extra links and any settings, either
succeeds or raises the library's own errors; reports are consistent with iter_findings."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, ChangeModelError, Link, loads
from changemodel.index import components
from changemodel.testing.strategies import hostile_text, models
from changemodel.validation import Config, SettingsError, iter_findings, validate
from changemodel.validation.output import render_github, render_json, render_sarif, render_text

ALL = ["structure", "mrc", "realist", "evidence", "evaluation"]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def models_with_extra_links(draw: st.DrawFn) -> ChangeModel:
    model = draw(models(max_elements=8, acyclic=draw(st.booleans()), hostile=draw(st.booleans())))
    ids = [e.id for e in model.elements]
    if not ids:
        return model
    for _ in range(draw(st.integers(0, 12))):
        source, target = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        with contextlib.suppress(ChangeModelError):  # links the model refuses
            model.add(
                Link(
                    source,
                    target,
                    relation=draw(st.sampled_from(["leads_to", "moderates", "part_of"])),
                    sign=draw(st.sampled_from(["increases", "reduces"])),
                    feedback=draw(st.booleans()),
                    assumptions=draw(
                        st.lists(st.sampled_from([*ids, "ghost"]), max_size=2, unique=True)
                    ),
                    theories=draw(st.lists(st.sampled_from(["t1", "t2"]), max_size=1)),
                )
            )
    return model


@FAST
@given(models_with_extra_links(), st.sampled_from(["evaluation", "mrc", "realist"]))
def test_validation_of_any_model_raises_nothing_foreign(model: ChangeModel, profile: str) -> None:
    report = validate(model, profiles=ALL)  # only the library's own errors may escape
    assert sorted(report.findings, key=lambda f: f.sort_key) == list(report.findings)
    assert report.failed == any(f.severity.value == "error" for f in report)
    # the lazy and the one-shot call find the same
    assert sorted(iter_findings(model, profiles=ALL), key=lambda f: f.sort_key) == list(
        report.findings
    )
    # loops found as strongly connected components agree with networkx's acyclicity test
    assert ("CM105" in report.codes) == (not model.is_acyclic())
    json.loads(render_json([report]))
    json.loads(render_sarif([report]))
    render_text([report], color=True)
    render_github([report])
    validate(model, profiles=[profile])


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 12)
    | st.floats(allow_nan=True)
    | st.sampled_from(["mrc", "CM201", "black-box-link", "error", "info", "nope", ""])
    | hostile_text(20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["rule", "target", "reason", "x", "black-box-link", "CM304"])
            | hostile_text(8),
            inner,
            max_size=3,
        )
    ),
    max_leaves=10,
)
settings_data = st.dictionaries(
    st.sampled_from(
        [
            "profiles",
            "select",
            "ignore",
            "severity",
            "fail_on",
            "fail-on",
            "fan_limit",
            "options",
            "suppress",
            "colour",
        ]
    ),
    json_values,
    max_size=4,
)


@FAST
@given(settings_data)
def test_any_settings_either_parse_or_raise_settings_error(data: dict[str, Any]) -> None:
    try:
        config = Config.from_data(data)
    except SettingsError as exc:
        assert exc.problems
        return
    config.rules()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(max_elements=6), settings_data)
def test_any_settings_in_a_model_file(model: ChangeModel, data: dict[str, Any]) -> None:
    model.settings = data
    with contextlib.suppress(ChangeModelError):
        validate(model)


@FAST
@given(st.dictionaries(st.sampled_from("abcdef"), st.lists(st.sampled_from("abcdef"), max_size=4)))
def test_components_partition_the_cyclic_part(out: dict[str, list[str]]) -> None:
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from("abcdef")
    graph.add_edges_from((s, t) for s, ts in out.items() for t in ts)
    expected = sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
    found = components(set("abcdef"), out)
    assert found == expected
    # a partition: no element in two components, each component one loop
    members = [v for c in found for v in c]
    assert len(members) == len(set(members))
    for c in found:
        assert all(nx.has_path(graph, a, b) for a in c for b in c)


def test_a_loaded_model_with_hostile_settings_location() -> None:
    text = "changemodel: 1\ntitle: t\nvalidation:\n  suppress:\n  - {rule: '\\u202e', reason: x}\n"
    model = loads(text, file="h.yaml")
    try:
        validate(model)
    except SettingsError as exc:
        assert "h.yaml:5" in str(exc)
    else:  # pragma: no cover - the rule name is unknown
        raise AssertionError("expected a SettingsError")
