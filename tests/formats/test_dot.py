"""DOT in the MRC layout: read back by pydot and drawn by Graphviz, whatever the labels hold."""

from __future__ import annotations

import html
import io
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import ChangeModel, InvalidValueError, Kind, Relation, UnknownIdError
from changemodel.formats._text import clean
from changemodel.formats.dot import COLUMNS, column_of, dot_losses, to_dot, to_pydot, write_dot
from changemodel.testing.strategies import models
from tests.formats._support import html_label_text, parse_dot, peer_worker, squeeze

SVG = "{http://www.w3.org/2000/svg}"
# pydot's parser takes about half a second per model, Graphviz a few hundredths.
HOSTILE = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DRAWN = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render_svg(text: str) -> ET.Element:
    try:
        done = subprocess.run(
            ["dot", "-Tsvg"], input=text.encode(), capture_output=True, check=False, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"Graphviz did not finish within 60 s on:\n{text}")
    assert done.returncode == 0, done.stderr.decode()
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr.decode()
    return ET.fromstring(done.stdout)


def svg_nodes(svg: ET.Element) -> dict[str, str]:
    """Node id (the DOT id attribute) -> all the text drawn in it."""
    out = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "node":
            text = "".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))
            out[g.get("id", "")] = text
    return out


def expected_edges(model: ChangeModel, shown: set[str] | None = None) -> Counter[tuple[str, str]]:
    return Counter(
        (lk.source, lk.target)
        for lk in model.links
        if shown is None or (lk.source in shown and lk.target in shown)
    )


@HOSTILE
@given(models(hostile=True, max_elements=7))
def test_pydot_reads_back_the_same_nodes_edges_and_labels(model: ChangeModel) -> None:
    text = to_dot(model, legend=False)
    assert to_pydot(model, legend=False).to_string() == text  # pydot prints the same
    nodes, edges, _ = parse_dot(text)
    element_nodes = {n for n in nodes if not n.startswith("_")}
    assert element_nodes == {e.id for e in model.elements}
    assert edges == expected_edges(model)
    for e in model.elements:
        drawn = squeeze(html_label_text(nodes[e.id]["label"]))
        assert squeeze(clean(e.label)) in drawn


@DRAWN
@given(models(hostile=True, max_elements=7))
def test_graphviz_draws_every_hostile_model(model: ChangeModel) -> None:
    text = to_dot(model)
    done = subprocess.run(["dot", "-Tsvg"], input=text.encode(), capture_output=True, timeout=60)
    if done.returncode < 0:  # a Graphviz crash on the boxes: render() draws without them
        text = to_dot(model, boxes=False)
    drawn = svg_nodes(render_svg(text))
    for e in model.elements:
        assert squeeze(clean(e.label)) in squeeze(drawn[f"element-{e.id}"])
    assert len([n for n in drawn if n.startswith("element-")]) == len(model)


def test_two_links_the_same_way_within_one_column_render() -> None:
    # Drawn as parallel edges within one rank, one of them not a constraint, this
    # made Graphviz 2.43 abort (merge_chain: Assertion `ED_to_virt(e) == NULL').
    m = ChangeModel("parallel")
    m.context("c1", "Context one")
    m.context("c2", "Context two")
    m.mechanism("m", "Mechanism")
    m.link("c1", "m", sign="reduces")
    m.link("c1", "m", "part_of")
    m.link("c1", "c2", "moderates")
    text = to_dot(m)
    ids = {g.get("id") for g in render_svg(text).iter(f"{SVG}g") if g.get("class") == "edge"}
    assert {"link-c1->m", "link-c1-part_of->m", "link-c1-moderates->c2"} <= ids
    _, edges, _ = parse_dot(text)
    assert edges == expected_edges(m)


def test_ids_that_are_dot_keywords_or_hold_dashes_and_dots() -> None:
    m = ChangeModel("Keywords")
    ids = ["node", "Graph", "edge", "strict", "subgraph", "digraph", "a-b", "x.y"]
    for i in ids:
        m.activity(i, f"label of {i}")
    m.chain(*ids)
    nodes, edges, _ = parse_dot(to_dot(m))
    assert {n for n in nodes if not n.startswith("_")} == set(ids)
    assert sum(edges.values()) == len(ids) - 1
    assert len(svg_nodes(render_svg(to_dot(m)))) == len(ids) + 1  # and the legend


def test_columns_run_left_to_right_with_a_rank_per_stage() -> None:
    model = peer_worker()
    _, _, root = parse_dot(to_dot(model, legend=False))
    assert root.get("rankdir") == "LR"
    ranks = {
        sub.get_name(): {n.get_name().strip('"') for n in sub.get_nodes()}
        for sub in root.get_subgraphs()
        if sub.get("rank") == "same"
    }
    for e in model.elements:
        col = column_of(e)
        if col is not None:
            assert e.id in ranks[f"rank_{col}"]
    # the columns are chained in MRC order by invisible edges
    chain = [
        (edge.get_source().strip('"'), edge.get_destination().strip('"'))
        for edge in root.get_edges()
        if edge.get("style") == "invis" and "_legend" not in edge.get_destination()
    ]
    order = [column_of(model[a]) for a, _ in chain] + [column_of(model[chain[-1][1]])]
    assert None not in order
    assert order == sorted(c for c in order if c is not None)
    headings = {
        sub.get("label")
        for sub in root.get_subgraphs()
        if sub.get_name().startswith("cluster_column")
    }
    assert "<<B>Intermediate outcomes</B>>" in headings
    assert "<<B>Long-term outcomes</B>>" in headings


def test_styles_per_relation_sign_and_feedback() -> None:
    m = ChangeModel("Styles")
    a = m.activity("a", "A")
    o = m.process_outcome("o", "O")
    d = m.downstream_outcome("d", "D", horizon="short")
    c = m.context("c", "C", moderates=[a])
    a.reduces(o)
    o >> d
    d.feeds_back_to(a)
    m.activity("part", "Part").part_of(a)
    m.assumption("as", "Holds", underpins=[("o", "d")])
    _, _, root = parse_dot(to_dot(m))
    edges = {
        (e.get_source().strip('"'), e.get_destination().strip('"')): e
        for e in root.get_edges()
        if e.get("style") != "invis"
    }
    assert edges[("a", "o")].get("color") == '"#c0392b"'
    assert "\u2212" in edges[("a", "o")].get("xlabel")
    assert edges[("c", "a")].get("style") == "dashed"
    assert edges[("d", "a")].get("constraint") == "false"
    assert edges[("d", "a")].get("style") == "bold"
    assert edges[("part", "a")].get("arrowhead") == "odiamond"
    assert "A1" in edges[("o", "d")].get("xlabel")
    groups = [s for s in _all_subgraphs(root) if s.get_name().startswith("cluster_part")]
    assert len(groups) == 1
    assert {n.get_name().strip('"') for n in groups[0].get_nodes()} == {"a", "part"}
    del c


def _all_subgraphs(graph: Any) -> list[Any]:
    out = []
    for sub in graph.get_subgraphs():
        out.append(sub)
        out.extend(_all_subgraphs(sub))
    return out


def test_legend_names_only_what_is_drawn() -> None:
    m = ChangeModel("Small")
    _ = m.activity("a", "A") >> m.process_outcome("o", "O")
    nodes, _, _ = parse_dot(to_dot(m))
    legend = html_label_text(nodes["_legend"]["label"])
    assert "activity" in legend and "process outcome" in legend
    assert "mechanism" not in legend and "reduces" not in legend
    nodes, _, _ = parse_dot(to_dot(m, legend=False))
    assert "_legend" not in nodes


def test_kinds_option_shows_only_those_kinds() -> None:
    model = peer_worker()
    nodes, edges, _ = parse_dot(
        to_dot(model, kinds=["mechanism", Kind.PROCESS_OUTCOME], legend=False)
    )
    shown = {e.id for e in model.elements_of(Kind.MECHANISM, Kind.PROCESS_OUTCOME)}
    assert {n for n in nodes if not n.startswith("_")} == shown
    assert edges == expected_edges(model, shown)
    report = dot_losses(model, kinds=["mechanism", "process_outcome"])
    assert ("element:peer_support", "*") in report
    with pytest.raises(InvalidValueError):
        to_dot(model, kinds=["mechanisms"])


def test_focus_highlights_an_element_and_its_neighbours() -> None:
    model = peer_worker()
    nodes, _, _ = parse_dot(to_dot(model, focus="trusting_relationships", legend=False))
    lit = {
        n for n, a in nodes.items() if a.get("penwidth") == '"2.5"' or a.get("penwidth") == "2.5"
    }
    neighbours = {
        "trusting_relationships",
        "peer_support",
        "hope_empowerment",
        "service_engagement",
        "training_support",
    }
    assert lit == neighbours
    faded = {n for n, a in nodes.items() if a.get("fontcolor") is not None}
    assert faded == {e.id for e in model.elements} - neighbours


def test_pathway_highlights_its_links_and_refuses_a_broken_one() -> None:
    model = peer_worker()
    path = ["peer_support", "trusting_relationships", "hope_empowerment", "wellbeing"]
    _, _, root = parse_dot(to_dot(model, pathway=path, legend=False))
    lit = {
        (e.get_source().strip('"'), e.get_destination().strip('"'))
        for e in root.get_edges()
        if e.get("penwidth") in ("2.5", '"2.5"')
    }
    assert lit == set(itertools.pairwise(path))
    with pytest.raises(InvalidValueError, match="no link from 'peer_support' to 'wellbeing'"):
        to_dot(model, pathway=["peer_support", "wellbeing"])
    with pytest.raises(UnknownIdError, match="did you mean 'wellbeing'"):
        to_dot(model, focus="wellbeeing")


def test_rankdir_and_wrapping() -> None:
    model = peer_worker()
    _, _, root = parse_dot(to_dot(model, rankdir="TB", legend=False))
    assert root.get("rankdir") == "TB"
    with pytest.raises(InvalidValueError):
        to_dot(model, rankdir="XY")
    nodes, _, _ = parse_dot(to_dot(model, wrap=20, legend=False))
    label = nodes["role_modelling"]["label"]
    lines = [html.unescape(line) for line in label[1:].split("<BR/><FONT")[0].split("<BR/>")]
    assert len(lines) >= 4
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == model["role_modelling"].label


def test_a_cycle_that_is_not_feedback_is_still_drawn() -> None:
    m = ChangeModel("Cycle")
    a, b = m.mechanism("a", "A"), m.mechanism("b", "B")
    a >> b
    b >> a
    assert len(svg_nodes(render_svg(to_dot(m)))) == 3


def test_empty_model() -> None:
    text = to_dot(ChangeModel("Nothing yet"))
    nodes, edges, _ = parse_dot(text)
    assert not nodes and not edges
    render_svg(text)


def test_losses_of_the_diagram() -> None:
    model = peer_worker()
    report = dot_losses(model)
    keys = report.keys()
    assert ("element:peer_support", "actors") in keys
    assert ("element:role_modelling", "theories") in keys
    assert ("reference:gillard2014", "*") in keys
    # what the diagram shows is not reported
    assert ("link:service_engagement->fewer_admissions", "sign") not in keys
    assert ("link:service_engagement->fewer_admissions", "rationale") not in keys
    assert ("element:wellbeing", "horizon") not in keys
    assert not any(f == "label" for _, f in keys)


def test_write_dot_to_a_path_and_to_an_open_file(tmp_path: Path) -> None:
    model = peer_worker()
    report = write_dot(model, tmp_path / "m.dot")
    assert (tmp_path / "m.dot").read_text(encoding="utf-8") == to_dot(model)
    assert report == dot_losses(model)
    buffer = io.StringIO()
    write_dot(model, buffer, rankdir="TB")
    assert buffer.getvalue() == to_dot(model, rankdir="TB")


def test_to_pydot_is_the_graph_to_dot_prints() -> None:
    model = peer_worker()
    assert to_pydot(model, focus="engagement").to_string() == to_dot(model, focus="engagement")
    assert len(COLUMNS) == 10
    assert {lk.relation for lk in model.links} == {Relation.LEADS_TO, Relation.MODERATES}


def test_importing_the_library_or_making_dot_text_does_not_import_pydot() -> None:
    code = (
        "import sys, changemodel\n"
        "from changemodel.formats.dot import to_dot\n"
        "m = changemodel.ChangeModel('t'); m.activity('a', 'A')\n"
        "to_dot(m)\n"
        "print(sorted(k for k in ('pydot', 'pyparsing') if k in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert done.stdout.decode().strip() == "[]"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(hostile=True, min_elements=1, max_elements=7), st.data())
def test_options_draw_on_any_model(model: ChangeModel, data: st.DataObject) -> None:
    kinds = data.draw(st.sets(st.sampled_from(list(Kind)), min_size=1))
    shown = [e for e in model.elements if e.kind in kinds]
    focus = data.draw(st.sampled_from(shown)).id if shown else None
    rankdir = data.draw(st.sampled_from(["LR", "TB", "RL", "BT"]))
    text = to_dot(model, kinds=kinds, focus=focus, radius=2, rankdir=rankdir, wrap=10)
    drawn = svg_nodes(render_svg(text))
    assert {n.removeprefix("element-") for n in drawn if n.startswith("element-")} == {
        e.id for e in shown
    }


@pytest.mark.parametrize("label", ["\\\\", "\\N", "a\\\\\\b", "\\l \\n \\G \\E", "ends\\"])
def test_backslashes_draw_as_written(label: str) -> None:
    model = ChangeModel("t")
    model.activity("a", label)
    drawn = svg_nodes(render_svg(to_dot(model, wrap=0)))
    assert drawn["element-a"].startswith(label)


def test_two_way_links_inside_clusters_render() -> None:
    # Drawn as plain two-way edges next to a flat edge, this made Graphviz 2.43 loop forever.
    m = ChangeModel("two-way")
    m.context("co", "context")
    z, f = m.assumption("z", "Z"), m.assumption("f", "F")
    low, o, q = (m.process_outcome(i, i.upper()) for i in ("low", "o", "q"))
    o >> q
    f.part_of(z)
    low.part_of(f)
    m.link(f, low, "moderates")
    text = to_dot(m)
    drawn = render_svg(text)
    _, edges, _ = parse_dot(text)
    assert edges == expected_edges(m)
    ids = {g.get("id") for g in drawn.iter(f"{SVG}g") if g.get("class") == "edge"}
    assert {"link-low-part_of->f", "link-f-moderates->low"} <= ids
