"""Feedback loops: listed lazily against networkx's own cycle search, counted
without listing, named by polarity, and shown by the command line, explain and
the diagram legend."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, InvalidValueError, Kind, Link, UnknownIdError, dump
from changemodel.analysis.explain import explain
from changemodel.analysis.loops import (
    Polarity,
    count_loops,
    find_loops,
    iter_loops,
    loops_through,
)
from changemodel.cli import cli
from changemodel.domain import element_class
from changemodel.formats.dot import to_dot
from changemodel.testing.generate import systems_map
from tests.formats._support import html_label_text, parse_dot

_CHAIN = [k for k in Kind if k.stage is not None]


@st.composite
def looped_models(draw: st.DrawFn, max_nodes: int = 7) -> ChangeModel:
    """Small models with forward links, feedback links back and, sometimes, a
    backward link not marked feedback (a loop that validation would report)."""
    n = draw(st.integers(1, max_nodes))
    model = ChangeModel("Loops")
    for i in range(n):
        model.add(element_class(draw(st.sampled_from(_CHAIN)))(f"n{i}", f"Element {i}"))
    sign = st.sampled_from(["increases", "reduces"])
    for i in range(n):
        for j in range(n):
            if i == j:
                if draw(st.integers(0, 9)) == 0:
                    model.add(Link(f"n{i}", f"n{i}", feedback=True, sign=draw(sign)))
                continue
            roll = draw(st.integers(0, 9))
            if i < j and roll < 4:
                model.add(Link(f"n{i}", f"n{j}", sign=draw(sign)))
            elif i > j and roll < 2:
                model.add(Link(f"n{i}", f"n{j}", sign=draw(sign), feedback=roll == 0))
    return model


def _reference(model: ChangeModel) -> set[frozenset[tuple[str, str]]]:
    graph = model.causal_graph(include_feedback=True)
    return {
        frozenset(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        for cycle in nx.simple_cycles(graph)
    }


def _edges(elements: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(elements, (*elements[1:], elements[0]), strict=True))


@settings(max_examples=150, deadline=None)
@given(looped_models())
def test_every_loop_is_found_once_as_networkx_finds_them(model: ChangeModel) -> None:
    loops = list(iter_loops(model))
    assert len({_edges(lp.elements) for lp in loops}) == len(loops)
    assert {_edges(lp.elements) for lp in loops} == _reference(model)
    for loop in loops:
        assert [lk.source for lk in loop.links] == list(loop.elements)
        reduces = sum(lk.sign == "reduces" for lk in loop.links)
        expected = Polarity.BALANCING if reduces % 2 else Polarity.REINFORCING
        assert loop.polarity is expected
        assert loop.name[0] == expected.letter
        assert loop.length == len(loop.elements)


@settings(max_examples=150, deadline=None)
@given(looped_models())
def test_the_count_brackets_the_number_of_loops(model: ChangeModel) -> None:
    total = len(_reference(model))
    count = count_loops(model)
    assert count.at_least <= total <= count.at_most
    assert count.any == (total > 0)
    if count.exact is not None:
        assert count.exact == total
    graph = model.causal_graph(include_feedback=True)
    in_loops = {n for c in nx.simple_cycles(graph) for n in c}
    assert {n for c in count.components for n in c} == in_loops


@settings(max_examples=100, deadline=None)
@given(looped_models(), st.integers(0, 5), st.integers(1, 4))
def test_limit_and_max_length_bound_the_listing(
    model: ChangeModel, limit: int, max_length: int
) -> None:
    everything = list(iter_loops(model))
    assert list(iter_loops(model, limit=limit)) == everything[:limit]
    short = {_edges(lp.elements) for lp in iter_loops(model, max_length=max_length)}
    assert short == {e for e in _reference(model) if len(e) <= max_length}


@settings(max_examples=100, deadline=None)
@given(looped_models())
def test_loops_through_an_element_are_those_that_visit_it(model: ChangeModel) -> None:
    for element in model.elements:
        through = {_edges(lp.elements) for lp in loops_through(model, element.id)}
        expected = {e for e in _reference(model) if any(element.id in pair for pair in e)}
        assert through == expected


def _engagement() -> ChangeModel:
    m = ChangeModel("Engagement")
    support = m.activity("support", "Peer support")
    engaged = m.process_outcome("engaged", "Engagement with services")
    stigma = m.process_outcome("stigma", "Self-stigma")
    _ = support >> engaged
    _ = engaged.feeds_back_to(support)
    _ = engaged.reduces(stigma)
    _ = stigma.feeds_back_to(engaged)
    return m


def test_a_balancing_loop_and_a_reinforcing_loop_are_named_apart() -> None:
    loops = find_loops(_engagement())
    assert [(lp.name, lp.polarity, lp.elements) for lp in loops] == [
        ("R1", Polarity.REINFORCING, ("support", "engaged")),
        ("B1", Polarity.BALANCING, ("engaged", "stigma")),
    ]
    assert str(loops[1]) == "B1 balancing (2 links): engaged -> stigma -> engaged"
    assert [lk.id for lk in loops[1].feedback] == ["stigma->engaged"]


def test_a_model_without_loops_counts_none() -> None:
    m = ChangeModel("Chain")
    _ = m.activity("a", "A") >> m.process_outcome("o", "O")
    count = count_loops(m)
    assert (count.any, count.exact, count.independent, str(count)) == (False, 0, 0, "no loops")
    assert find_loops(m) == ()


def test_bad_bounds_and_unknown_ids_are_refused() -> None:
    m = _engagement()
    with pytest.raises(InvalidValueError, match="limit must not be negative"):
        list(iter_loops(m, limit=-1))
    with pytest.raises(InvalidValueError, match="max_length must be a whole number"):
        list(iter_loops(m, max_length=1.5))  # type: ignore[arg-type]
    with pytest.raises(UnknownIdError, match="stigm"):
        list(loops_through(m, "stigm"))


def test_the_systems_map_is_counted_without_listing_and_listed_lazily() -> None:
    m = systems_map(2000, seed=3)
    count = count_loops(m)
    assert count.any and count.at_least >= len(count.components)
    first = find_loops(m, limit=3)
    assert len(first) == 3
    assert all(lp.feedback for lp in first)


def test_a_huge_upper_bound_is_written_as_an_order_of_magnitude() -> None:
    # a complete digraph of 12 elements: circuit rank 121, so 2**121 - 1 as a bound
    m = ChangeModel("Dense")
    for i in range(12):
        m.process_outcome(f"n{i}", f"N{i}")
    for i in range(12):
        for j in range(12):
            if i != j:
                m.add(Link(f"n{i}", f"n{j}", feedback=i > j))
    count = count_loops(m)
    assert count.exact is None and count.independent == 121
    data = count.to_data()
    assert data["at_most"] == "about 10^36"
    assert json.loads(json.dumps(data))["exact"] is None
    assert str(count).startswith("between ")


def test_explain_lists_the_loops_through_the_outcome() -> None:
    m = _engagement()
    e = explain(m, "stigma")
    assert [lp.elements for lp in e.loops] == [("engaged", "stigma")]
    assert "  loops through stigma:\n    - B1 balancing (2 links)" in e.to_text(m)
    assert e.to_data()["loops"][0]["polarity"] == "balancing"


def test_the_diagram_legend_lists_the_loops_it_is_given() -> None:
    m = _engagement()
    nodes, _, _ = parse_dot(to_dot(m, loops=find_loops(m)))
    label = html_label_text(nodes["_legend"]["label"])
    assert (
        "R1 reinforcing: Peer support \u2192 Engagement with services \u2192 Peer support" in label
    )
    assert "B1 balancing: Engagement with services \u2192 Self-stigma" in label
    assert "Loops" not in to_dot(m)


def test_the_loops_command(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    dump(_engagement(), path)
    runner = CliRunner()
    result = runner.invoke(cli, ["loops", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2 loops (2 independent) in 1 group of elements",
        "R1 reinforcing (2 links): support -> engaged -> support",
        "B1 balancing (2 links): engaged -> stigma -> engaged",
    ]
    result = runner.invoke(cli, ["loops", str(path), "--limit", "1", "--format", "json"])
    data = json.loads(result.output)
    assert data["count"]["exact"] == 2
    assert [lp["name"] for lp in data["loops"]] == ["R1"]
    result = runner.invoke(cli, ["loops", str(path), "--limit", "1"])
    assert result.output.splitlines()[-1] == "... the first 1 shown; raise --limit to see more"
    result = runner.invoke(cli, ["loops", str(path), "--through", "nowhere"])
    assert result.exit_code == 2 and "nowhere" in result.output


def test_render_lists_and_highlights_a_loop(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    dump(_engagement(), path)
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(path), "--to", "dot", "--loop", "b1", "-q"])
    assert result.exit_code == 0, result.output
    _, _, graph = parse_dot(result.output)
    widths: dict[frozenset[str], list[str | None]] = {}
    for edge in graph.get_edges():
        if edge.get("style") == "invis":
            continue
        ends = frozenset((edge.get_source(), edge.get_destination()))
        widths.setdefault(ends, []).append(edge.get("penwidth"))
    # both links of the loop are drawn bold (the second one with dir=back)
    assert widths[frozenset(('"engaged"', '"stigma"'))] == ["2.5", "2.5"]
    assert widths[frozenset(('"support"', '"engaged"'))] == [None, None]
    assert "B1 balancing" in result.output
    result = runner.invoke(cli, ["export", str(path), "--to", "dot", "--loop", "R9"])
    assert result.exit_code == 2 and "no loop named 'R9'" in result.output
    result = runner.invoke(cli, ["export", str(path), "--to", "dot", "--loops", "0"])
    assert "R1 reinforcing" not in result.output
