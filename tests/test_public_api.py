"""The API a tool builds on: documented names, one ``to_data()`` everywhere, and a
networkx graph that networkx's own writers take."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings

import changemodel
from changemodel import ChangeModel
from changemodel.analysis import (
    causal_view,
    diff,
    find_conflicts,
    iter_pathways,
    mediators,
    moderators,
    single_points_of_failure,
)
from changemodel.analysis.causal import CausalView
from changemodel.analysis.mediation import assumption_load
from changemodel.analysis.pathways import Pathway
from changemodel.testing.strategies import models
from changemodel.validation import validate
from tests.analysis._support import peer_worker

ROOT = Path(__file__).resolve().parent.parent


def _public() -> Iterator[tuple[str, object]]:
    """Every public module, the classes and functions in its ``__all__`` that it
    defines, and their public methods and properties."""
    for info in pkgutil.walk_packages(changemodel.__path__, "changemodel."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        module = importlib.import_module(info.name)
        yield info.name, module
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if obj.__module__ != info.name:
                continue  # counted where it is defined
            yield f"{info.name}.{name}", obj
            if inspect.isclass(obj):
                for member, value in vars(obj).items():
                    if member.startswith("_"):
                        continue
                    if isinstance(value, staticmethod | classmethod):
                        value = value.__func__
                    if inspect.isfunction(value) or isinstance(value, property):
                        yield f"{info.name}.{name}.{member}", value


PUBLIC = dict(_public())


def test_every_public_name_has_a_docstring() -> None:
    assert len(PUBLIC) > 400  # the walk sees the whole package
    missing = sorted(name for name, obj in PUBLIC.items() if not (obj.__doc__ or "").strip())
    assert not missing, f"{len(missing)} of {len(PUBLIC)} public names lack a docstring"


def test_plain_data_is_to_data_everywhere() -> None:
    """One name for plain data: a ``to_dict`` left is a deprecated alias that warns."""
    for name, obj in PUBLIC.items():
        if name.endswith(".to_dict"):
            assert "Deprecated" in (obj.__doc__ or ""), name
            assert name.removesuffix(".to_dict") + ".to_data" in PUBLIC


def test_the_deprecated_to_dict_warns_and_gives_the_same_data() -> None:
    report = validate(peer_worker())
    with pytest.warns(DeprecationWarning, match=r"use Report\.to_data\(\)"):
        assert report.to_dict() == report.to_data()


def test_every_analysis_result_gives_plain_data_for_json() -> None:
    m = peer_worker()
    outcome = "wellbeing"
    revised = m.copy()
    revised.update(outcome, label="Mental wellbeing (SWEMWBS)")
    results: list[object] = [
        *iter_pathways(m, None, outcome, limit=3),
        *mediators(m, None, outcome),
        *moderators(m, None, outcome),
        single_points_of_failure(m, outcome),
        *assumption_load(m, outcome),
        causal_view(m),
        *causal_view(m).implied_independencies(),
        diff(m, ChangeModel("Empty")),
        *find_conflicts(m, revised),
    ]
    kinds = {type(r).__name__ for r in results}
    assert kinds >= {
        "Pathway",
        "Mediator",
        "Moderator",
        "SinglePoints",
        "AssumptionLoad",
        "CausalView",
        "Independence",
        "ModelDiff",
        "Conflict",
    }
    for result in results:
        data = result.to_data()  # type: ignore[attr-defined]
        assert json.loads(json.dumps(data)) == data, type(result).__name__


def test_pathways_and_causal_views_read_their_data_back() -> None:
    m = peer_worker()
    for p in iter_pathways(m, None, "wellbeing", limit=5):
        assert Pathway.from_data(json.loads(json.dumps(p.to_data()))) == p
    view = causal_view(m)
    back = CausalView.from_data(json.loads(json.dumps(view.to_data())))
    assert (back.order, back.edges) == (view.order, view.edges)
    assert back.to_data() == view.to_data()


# --------------------------------------------------------------- networkx


def _written_and_read(graph: nx.MultiDiGraph[str]) -> tuple[nx.Graph[Any], ...]:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    buffer.seek(0)
    from_graphml = nx.read_graphml(buffer, force_multigraph=True)
    text = json.dumps(nx.node_link_data(graph, edges="edges"))
    from_json = nx.node_link_graph(json.loads(text), edges="edges")
    return from_graphml, from_json


def _same(a: nx.Graph[Any], b: nx.MultiDiGraph[str]) -> None:
    defaults = ("node_default", "edge_default")  # added by the GraphML reader
    assert {k: v for k, v in a.graph.items() if k not in defaults} == b.graph
    assert {v: a.nodes[v] for v in a} == {v: b.nodes[v] for v in b}
    assert isinstance(a, nx.MultiDiGraph)
    edges_a = {(s, t, k): d for s, t, k, d in a.edges(keys=True, data=True)}
    assert edges_a == {(s, t, k): d for s, t, k, d in b.edges(keys=True, data=True)}


def test_networkx_writers_take_the_example_and_read_it_back() -> None:
    graph = peer_worker().to_networkx()
    assert graph.nodes["wellbeing"]["horizon"] == "intermediate"
    assert graph.edges["peer_support", "engagement", "leads_to"]["feedback"] is False
    for back in _written_and_read(graph):
        _same(back, graph)


@settings(max_examples=40, deadline=None)
@given(models(max_elements=8, full=True))
def test_networkx_writers_take_any_model(model: ChangeModel) -> None:
    graph = model.to_networkx()
    for back in _written_and_read(graph):
        _same(back, graph)


# ------------------------------------------------------ licence, changelog


def test_the_licence_file_matches_the_package_metadata() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["license"] == "MIT"
    assert licence.startswith("MIT License\n")
    (holder,) = (a["name"] for a in project["authors"])
    assert f" {holder}\n" in licence.splitlines(keepends=True)[2]
    assert "LICENSE" in project["license-files"]


def test_the_changelog_has_an_unreleased_section_and_names_every_deprecation() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## Unreleased\n" in changelog
    stability = (ROOT / "docs" / "stability.md").read_text(encoding="utf-8")
    deprecated = sorted(n for n in PUBLIC if n.endswith(".to_dict"))
    assert deprecated
    for name in deprecated:
        short = ".".join(name.split(".")[-2:])
        assert f"`{short}()`" in changelog, short
        assert short in stability, short
