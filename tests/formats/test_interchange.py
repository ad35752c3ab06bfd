"""Interchange formats: real readers get back what the format carries, and the loss
report names exactly the rest."""

from __future__ import annotations

import io
import json
import re
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, assume, given, settings

from changemodel import ChangeModel, Kind, LoadError, Relation
from changemodel.formats._text import clean
from changemodel.formats.dagitty import (
    dagitty_losses,
    from_dagitty,
    read_dagitty,
    to_dagitty,
    write_dagitty,
)
from changemodel.formats.graphml import (
    from_graphml,
    graphml_graph,
    graphml_losses,
    read_graphml,
    to_graphml,
    write_graphml,
)
from changemodel.formats.kumu import from_kumu, kumu_losses, read_kumu, to_kumu, write_kumu
from changemodel.formats.loss import round_trip_losses
from changemodel.formats.mermaid import (
    MERMAID_MAX_EDGES,
    MermaidEdgeLimitWarning,
    mermaid_losses,
    to_mermaid,
    write_mermaid,
)
from changemodel.formats.nodelink import (
    from_node_link,
    node_link_losses,
    read_node_link,
    to_node_link,
    write_node_link,
)
from changemodel.formats.spreadsheet import (
    CONFIGURATION_COLUMNS,
    from_spreadsheet,
    read_spreadsheet,
    spreadsheet_losses,
    to_configurations_csv,
    to_elements_csv,
    to_links_csv,
    write_spreadsheet,
)
from changemodel.testing.strategies import models
from tests.formats._support import peer_worker

# Drawing a full hostile model costs about a tenth of a second: keep the counts modest.
ROUND = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same_graph(a: nx.MultiDiGraph[Any], b: nx.MultiDiGraph[Any]) -> bool:
    return (
        {k: v for k, v in a.graph.items() if k not in ("node_default", "edge_default")}
        == {k: v for k, v in b.graph.items() if k not in ("node_default", "edge_default")}
        and dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        and sorted(a.edges(keys=True, data=True), key=repr)
        == sorted(b.edges(keys=True, data=True), key=repr)
    )


# -------------------------------------------------------------------- GraphML


@ROUND
@given(models(hostile=True, full=True, max_elements=6))
def test_networkx_reads_the_graphml_back_to_an_equal_graph_and_we_to_the_model(
    model: ChangeModel,
) -> None:
    text = to_graphml(model)
    back: Any = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
    assert same_graph(back, graphml_graph(model))
    assert from_graphml(text) == model
    assert not graphml_losses(model)


def test_graphml_attributes_are_typed() -> None:
    text = to_graphml(peer_worker())
    keys = dict(re.findall(r'attr\.name="(\w+)" attr\.type="(\w+)"', text))
    assert keys["feedback"] == "boolean"
    assert keys["sign"] == keys["relation"] == keys["kind"] == "string"
    m = ChangeModel("c")
    m.activity("a", "A").leads_to(m.process_outcome("o", "O"), confidence=0.7)
    assert 'attr.name="confidence" attr.type="double"' in to_graphml(m)


def test_graphml_reports_text_that_xml_cannot_hold() -> None:
    m = ChangeModel("c")
    m.activity("a", "line one\r\nline two")
    m.activity("b", "bell \x07 here")
    back = from_graphml(to_graphml(m))
    assert (
        round_trip_losses(m, back)
        == graphml_losses(m).keys()
        == {
            ("element:a", "label"),
            ("element:b", "label"),
        }
    )
    assert back["a"].label == "line one\nline two"


def test_graphml_files_and_errors(tmp_path: Path) -> None:
    model = peer_worker()
    assert not write_graphml(model, tmp_path / "m.graphml")
    assert read_graphml(tmp_path / "m.graphml") == model
    (tmp_path / "bad.graphml").write_text("<graphml><graph", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad\.graphml: not readable as GraphML"):
        read_graphml(tmp_path / "bad.graphml")
    with pytest.raises(LoadError, match="No such file"):
        read_graphml(tmp_path / "missing.graphml")
    text = to_graphml(model).replace(">activity<", ">activty<")
    with pytest.raises(LoadError, match=r"unknown kind 'activty'.*did you mean 'activity'"):
        from_graphml(text)


# ------------------------------------------------------------------ node-link


@ROUND
@given(models(hostile=True, full=True, max_elements=6))
def test_networkx_builds_an_equal_graph_from_node_link(model: ChangeModel) -> None:
    from changemodel.formats._graph import model_to_graph

    data = json.loads(json.dumps(to_node_link(model)))
    built: Any = nx.node_link_graph(data, edges="edges")
    assert same_graph(built, model_to_graph(model))
    assert from_node_link(data) == model
    assert not node_link_losses(model)


def test_node_link_files_and_links_key(tmp_path: Path) -> None:
    model = peer_worker()
    write_node_link(model, tmp_path / "m.json")
    assert read_node_link(tmp_path / "m.json") == model
    data = to_node_link(model)
    data["links"] = data.pop("edges")
    assert from_node_link(data) == model
    (tmp_path / "bad.json").write_text("{\n  nope", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad.json:2:3: not JSON"):
        read_node_link(tmp_path / "bad.json")
    with pytest.raises(LoadError, match="undirected"):
        from_node_link({**data, "directed": False})


# -------------------------------------------------------------------- dagitty


@ROUND
@given(models(hostile=True, max_elements=7))
def test_dagitty_loss_report_names_exactly_what_the_round_trip_loses(model: ChangeModel) -> None:
    back = from_dagitty(to_dagitty(model), title="read back")
    assert round_trip_losses(model, back) == dagitty_losses(model).keys()


def test_dagitty_of_the_example_loses_evidence_and_signs_but_keeps_the_causal_structure() -> None:
    model = peer_worker()
    report = dagitty_losses(model)
    assert ("element:peer_support", "evidence") in report
    assert ("link:service_engagement->fewer_admissions", "sign") in report
    assert ("link:distinct_role-moderates->peer_support", "relation") in report
    assert ("element:lived_experience_shared", "*") in report
    back = from_dagitty(to_dagitty(model))
    causal = {(lk.source, lk.target) for lk in model.links}
    assert {(lk.source, lk.target) for lk in back.links} == causal


def test_dagitty_roles_can_be_chosen() -> None:
    text = to_dagitty(peer_worker(), exposures=["engagement"], outcomes=["wellbeing"], latent=[])
    assert '"engagement" [exposure]' in text
    assert '"wellbeing" [outcome]' in text
    assert "[latent]" not in text and '"peer_support" [' not in text


def test_reading_dagitty_written_by_hand() -> None:
    text = """dag {
    bb="0,0,1,1"
    "Smoking status" [exposure,pos="0.1,0.2"]
    Cancer [outcome]
    U [latent]
    "Smoking status" -> { Tar "Cancer" }
    Tar -> Cancer ; U -> "Smoking status"
    Cancer <- Genes
    }"""
    m = from_dagitty(text, kinds={"Genes": "context"})
    assert [(e.id, e.kind, e.label) for e in m.elements] == [
        ("Smoking_status", Kind.ACTIVITY, "Smoking status"),
        ("Cancer", Kind.DOWNSTREAM_OUTCOME, "Cancer"),
        ("U", Kind.MECHANISM, "U"),
        ("Tar", Kind.PROCESS_OUTCOME, "Tar"),
        ("Genes", Kind.CONTEXT, "Genes"),
    ]
    assert {lk.id for lk in m.links} == {
        "Smoking_status->Tar",
        "Smoking_status->Cancer",
        "Tar->Cancer",
        "U->Smoking_status",
        "Genes->Cancer",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dag { a -> b\n c <-> d }", r"dag.txt:2: the edge '<->' is not a causal arrow"),
        ("dag { a -> b", r"dag.txt:1: the text ends before the graph's closing"),
        ("graf { a }", r"dag.txt:1: expected 'dag \{', found 'graf'"),
        ("dag { a [exposure } ", r"dag.txt:1: expected an attribute, found '\}'"),
        ("dag {\n\n a -> ] }", r"dag.txt:3: expected a variable name, found '\]'"),
    ],
)
def test_dagitty_errors_say_where(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "dag.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        read_dagitty(path)


def test_dagitty_files(tmp_path: Path) -> None:
    model = peer_worker()
    report = write_dagitty(model, tmp_path / "m.dagitty")
    back = read_dagitty(tmp_path / "m.dagitty")
    assert back.title == "m"
    assert round_trip_losses(model, back) - {("model", "title")} == report.keys() - {
        ("model", "title")
    }


# ----------------------------------------------------------------------- Kumu


@ROUND
@given(models(hostile=True, full=True, max_elements=6))
def test_kumu_loss_report_names_exactly_what_the_round_trip_loses(model: ChangeModel) -> None:
    data = json.loads(json.dumps(to_kumu(model)))
    back = from_kumu(data)
    assert round_trip_losses(model, back) == kumu_losses(model).keys()


def test_kumu_blueprint_made_in_kumu() -> None:
    data = {
        "elements": [
            {"label": "Peer support", "type": "Programme"},
            {"label": "Hope", "type": "process outcome", "tags": ["recovery"]},
            {"label": "Stigma", "type": "Barrier"},
        ],
        "connections": [
            {"from": "Peer support", "to": "Hope", "type": "leads to", "direction": "directed"},
            {"from": "Stigma", "to": "Peer support", "type": "moderates"},
            {"from": "Stigma", "to": "Hope", "sign": "reduces"},
        ],
    }
    with pytest.raises(LoadError, match=r"elements\[0\] \('Peer support'\): type 'Programme'"):
        from_kumu(data)
    m = from_kumu(data, kinds={"programme": "activity"}, default_kind="context")
    assert [(e.id, e.kind) for e in m.elements] == [
        ("Peer_support", Kind.ACTIVITY),
        ("Hope", Kind.PROCESS_OUTCOME),
        ("Stigma", Kind.CONTEXT),
    ]
    assert m["Hope"].tags == ("recovery",)
    assert m.get_link("Stigma", "Peer_support", Relation.MODERATES)
    assert m.get_link("Stigma", "Hope").sign == "reduces"


def test_kumu_files(tmp_path: Path) -> None:
    model = peer_worker()
    report = write_kumu(model, tmp_path / "map.json")
    back = read_kumu(tmp_path / "map.json")
    assert back.title == "map"
    assert ("element:peer_support", "evidence") in report
    assert {(e.id, e.kind, e.label) for e in back} == {(e.id, e.kind, e.label) for e in model}


# --------------------------------------------------------------- spreadsheets


@ROUND
@given(models(hostile=True, full=True, max_elements=6))
def test_spreadsheet_loss_report_names_exactly_what_the_round_trip_loses(
    model: ChangeModel,
) -> None:
    back = from_spreadsheet(to_elements_csv(model), to_links_csv(model), title="read back")
    keys = spreadsheet_losses(model).keys()
    assert round_trip_losses(model, back) == keys - {("model", "citations")}
    # Citations of the references and theories the tables drop are named too.
    cited = any(e.theories or any(ev.reference for ev in e.evidence) for e in model.elements)
    cited |= any(lk.theories or any(ev.reference for ev in lk.evidence) for lk in model.links)
    dropped = bool(model.references or model.theories)
    assert (("model", "citations") in keys) == (cited and dropped)


@ROUND
@given(models(hostile=True, full=True, configured=True, max_elements=8))
def test_spreadsheet_with_configurations_loses_exactly_what_its_report_says(
    model: ChangeModel,
) -> None:
    back = from_spreadsheet(
        to_elements_csv(model),
        to_links_csv(model),
        to_configurations_csv(model),
        title="read back",
    )
    keys = spreadsheet_losses(model).keys()
    assert round_trip_losses(model, back) == keys - {("model", "citations")}
    assert not any(field == "*" for subject, field in keys if subject.startswith("config"))
    lossy = {subject for subject, _ in keys if subject.startswith("configuration:")}
    assert [c for c in back.configurations if f"configuration:{c.id}" not in lossy] == [
        c for c in model.configurations if f"configuration:{c.id}" not in lossy
    ]
    # without the configurations table, the report names every configuration
    dropped = spreadsheet_losses(model, configurations=False)
    assert {x.subject for x in dropped if x.field == "*" and x.subject.startswith("config")} == {
        f"configuration:{c.id}" for c in model.configurations
    }


@ROUND
@given(models(full=True, configured=True, max_elements=8))
def test_configurations_survive_the_spreadsheet_whole(model: ChangeModel) -> None:
    # tags with ';' or spaces around them are the one thing the table cannot hold
    assume(not any(loss.field == "tags" for loss in spreadsheet_losses(model)))
    back = from_spreadsheet(
        to_elements_csv(model), to_links_csv(model), to_configurations_csv(model)
    )
    assert back.configurations == model.configurations
    assert {e.id: e for e in back.elements} == {e.id: e for e in model.elements}
    assert set(back.links) == set(model.links)


def test_citations_of_configurations_dangle_only_when_the_configurations_are_written() -> None:
    from changemodel import Evidence

    m = ChangeModel("Cited")
    m.reference("kirsh2017", "Kirsh et al. (2017).")
    m.mechanism("trust", "Trust")
    m.configuration("C1", mechanisms="trust", evidence=[Evidence("kirsh2017")])
    assert ("model", "citations") in spreadsheet_losses(m)
    assert ("model", "citations") not in spreadsheet_losses(m, configurations=False)
    back = from_spreadsheet(to_elements_csv(m), None, to_configurations_csv(m))
    assert back.configurations[0].evidence[0].reference == "kirsh2017"
    assert not back.references


def test_the_configurations_columns_are_the_keys_of_a_configuration_in_files() -> None:
    from changemodel.domain import Configuration, keys_of

    assert sorted(CONFIGURATION_COLUMNS) == sorted(keys_of(Configuration))
    assert CONFIGURATION_COLUMNS[0] == "id"


def test_spreadsheet_cells_that_look_like_formulas(tmp_path: Path) -> None:
    m = ChangeModel("f")
    m.activity("a", "=cmd|' /C calc'!A0", description="@SUM(1)")
    m.activity("b", "'=already quoted", tags=["+1", "-1"])
    write_spreadsheet(m, tmp_path / "e.csv", tmp_path / "l.csv")
    text = (tmp_path / "e.csv").read_text(encoding="utf-8")
    assert "'=cmd" in text and "'@SUM" in text and "'+1; -1" in text and "''=already" in text
    back = read_spreadsheet(tmp_path / "e.csv", tmp_path / "l.csv", title="f")
    assert back == m


def test_spreadsheet_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(
        "id,kind,label,colour\na,activity,A,red\nb,mechansim,B,\n", encoding="utf-8"
    )
    with pytest.raises(LoadError) as caught:
        read_spreadsheet(tmp_path / "e.csv")
    text = str(caught.value)
    assert "e.csv:1: unknown column 'colour'" in text
    (tmp_path / "e.csv").write_text(
        "id,kind,label\na,activity,A\nb,mechansim,B\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match=r"e.csv:3: .*unknown kind 'mechansim'.*'mechanism'"):
        read_spreadsheet(tmp_path / "e.csv")
    (tmp_path / "e.csv").write_text("id,kind,label\na,activity,A\n", encoding="utf-8")
    (tmp_path / "l.csv").write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"l.csv:2: .*unknown element 'b'"):
        read_spreadsheet(tmp_path / "e.csv", tmp_path / "l.csv")


def test_configurations_table_errors_name_file_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(
        "id,kind,label\nm,mechanism,M\no,process_outcome,O\n", encoding="utf-8"
    )
    table = tmp_path / "c.csv"
    table.write_text(
        "id,status,mechanisms,outcomes,confidence\n"
        "C1,supported,m,o,high\n"
        "C2,proven,m,o,\n"
        "C3,initial,mm,o,\n"
        "C4,,m,o,middling\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        read_spreadsheet(tmp_path / "e.csv", None, table)
    text = str(caught.value)
    assert "c.csv:3: configurations[1].status: unknown configuration status 'proven'" in text
    assert (
        "c.csv:4: configurations[2].mechanisms[0]: configuration 'C3': mechanisms names an"
        " unknown element 'mm'; did you mean 'm'?"
    ) in text
    assert "c.csv:5: configurations[3].confidence.level: unknown confidence level" in text
    table.write_text("id,confidence\nC1,low\nC2,{oops\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"c.csv:3: confidence: not JSON"):
        read_spreadsheet(tmp_path / "e.csv", None, table)
    table.write_text("id,colour\nC1,red\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"c.csv:1: unknown column 'colour'"):
        read_spreadsheet(tmp_path / "e.csv", None, table)
    table.write_text("status\nsupported\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"c.csv:1: missing column 'id'"):
        read_spreadsheet(tmp_path / "e.csv", None, table)


# -------------------------------------------------------------------- Mermaid

_NODE = re.compile(r'^ {4}(e_\w+)\["([^"]*)"\]$')
_EDGE = re.compile(r"^ {2}(e_\w+) (-->|-\.->|--o|==>)(?:\|\"([^\"]*)\"\|)? (e_\w+)$")


def _decode(label: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.replace("<br>", "\n"))


@ROUND
@given(models(hostile=True, max_elements=8))
def test_mermaid_declares_each_node_once_with_its_label_and_each_link(
    model: ChangeModel,
) -> None:
    text = to_mermaid(model)
    lines = text.splitlines()
    assert lines[0] == "---" and lines[2] == "---"
    assert json.loads(lines[1].removeprefix("title: ")) == clean(model.title)
    nodes = {m.group(1): _decode(m.group(2)) for line in lines if (m := _NODE.match(line))}
    edges = [m.groups() for line in lines if (m := _EDGE.match(line))]
    assert sorted(nodes.values()) == sorted(clean(e.label) for e in model.elements)
    assert len(nodes) == len(model)
    assert len(edges) == len(model.links)
    assert sum(1 for line in lines if line.strip() == "end") == sum(
        1 for line in lines if line.lstrip().startswith("subgraph ")
    )
    for line in lines[3:]:
        stripped = line.strip()
        assert (
            _NODE.match(line)
            or _EDGE.match(line)
            or stripped == "end"
            or re.fullmatch(r'subgraph \w+\["[A-Za-z -]+"\]', stripped)
            or stripped.startswith(("flowchart ", "classDef ", "class ", "linkStyle "))
        ), line


def test_mermaid_marks_signs_moderation_and_feedback() -> None:
    m = ChangeModel("s")
    a, o = m.activity("a", "A"), m.process_outcome("o", "O")
    a.reduces(o)
    o.feeds_back_to(a)
    m.context("c", "C", moderates=[a])
    text = to_mermaid(m, title=False)
    assert '  e_a -->|"#8722;"| e_o' in text
    assert '  e_o ==>|"feedback"| e_a' in text
    assert "  e_c -.-> e_a" in text
    report = mermaid_losses(m)
    assert ("link:a->o", "sign") not in report


def test_mermaid_warns_beyond_its_edge_limit(tmp_path: Path) -> None:
    m = ChangeModel("big")
    outcome = m.process_outcome("o", "O")
    for i in range(MERMAID_MAX_EDGES + 1):
        m.activity(f"a{i}", f"A{i}").leads_to(outcome)
    with pytest.warns(MermaidEdgeLimitWarning, match="501 edges"):
        to_mermaid(m)
    small = peer_worker()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_mermaid(small, tmp_path / "m.md")
    assert (tmp_path / "m.md").read_text(encoding="utf-8").startswith("```mermaid\n---\n")


def test_empty_optional_text_is_reported_where_it_reads_back_as_not_given() -> None:
    m = ChangeModel("t", description="")
    a = m.mechanism("a", "A", description="", resource="")
    a.leads_to(m.process_outcome("o", "O"), rationale="")
    expected = {
        ("model", "description"),
        ("element:a", "description"),
        ("element:a", "resource"),
        ("link:a->o", "rationale"),
    }
    sheet = from_spreadsheet(to_elements_csv(m), to_links_csv(m), title="read back")
    assert round_trip_losses(m, sheet) == spreadsheet_losses(m).keys() >= expected
    kumu = from_kumu(to_kumu(m))
    assert (
        round_trip_losses(m, kumu) == kumu_losses(m).keys() >= expected - {("model", "description")}
    )
    assert from_graphml(to_graphml(m)) == m


def test_kumu_configurations_that_are_not_a_list_are_refused() -> None:
    from changemodel.formats.kumu import from_kumu

    data = {"elements": [{"id": "o", "label": "O", "type": "process outcome", "configurations": 5}]}
    with pytest.raises(LoadError, match=r"elements\[0\] \('O'\): 'configurations' must be a list"):
        from_kumu(data)
