"""Causal Map's links and sources tables: written, read back with a loss report
that names exactly what the round trip loses, and read as the app writes them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings

from changemodel import ChangeModel, Evidence, LoadError, Reference, load
from changemodel.cli import cli
from changemodel.formats.causalmap import (
    LINK_COLUMNS,
    SOURCE_COLUMNS,
    causal_map_losses,
    from_causal_map,
    read_causal_map,
    to_causal_map,
    write_causal_map,
)
from changemodel.formats.loss import round_trip_losses
from changemodel.testing.strategies import models

ROOT = Path(__file__).resolve().parents[2]


def _with_original_ids(model: ChangeModel, back: ChangeModel) -> ChangeModel:
    """*back* with each element renamed to the id its label has in *model*."""
    ids = {e.label: e.id for e in model.elements}
    for element in list(back.elements):
        original = ids.get(element.label)
        if original is not None and original != element.id:
            back.rename(element.id, f"tmp_{element.id}_x")
    for element in list(back.elements):
        original = ids.get(element.label)
        if original is not None and element.id != original:
            back.rename(element.id, original)
    return back


@settings(max_examples=80, deadline=None)
@given(models(hostile=True, full=True, max_elements=6))
def test_the_loss_report_names_exactly_what_the_round_trip_loses(model: ChangeModel) -> None:
    labels = [e.label for e in model.elements]
    assume(len(set(labels)) == len(labels))  # factors are named by their labels
    links, sources = to_causal_map(model)
    back, read_report = from_causal_map(links, sources, title=model.title)
    assert not read_report
    back = _with_original_ids(model, back)
    lost = round_trip_losses(model, back) - {("model", "title")}
    assert lost == causal_map_losses(model).keys() - {("model", "title")}


def test_the_tables_parse_as_csv_with_the_documented_columns() -> None:
    m = ChangeModel("Peer support")
    m.add(Reference("int1", "Interview 1, peer worker", url="https://example.org/1"))
    support = m.activity("support", "Peer support, weekly")
    hope = m.process_outcome("hope", 'Hope ("things can change")')
    _ = support.leads_to(
        hope,
        evidence=[
            Evidence(reference="int1", quote="=she showed me", page="4", status="reported"),
            Evidence(note="Team workshop", strength="weak"),
        ],
    )
    _ = hope.feeds_back_to(support)
    links, sources = to_causal_map(m)
    rows = list(csv.DictReader(io.StringIO(links)))
    assert tuple(rows[0]) == LINK_COLUMNS
    assert [(r["cause"], r["effect"], r["source_id"], r["tags"]) for r in rows] == [
        ("Peer support, weekly", 'Hope ("things can change")', "int1", "status:reported"),
        ("Peer support, weekly", 'Hope ("things can change")', "", "strength:weak"),
        ('Hope ("things can change")', "Peer support, weekly", "", "feedback"),
    ]
    assert rows[0]["quote"] == "'=she showed me"  # a spreadsheet must not run it
    assert rows[1]["link_memo"] == "Team workshop"
    (source,) = csv.DictReader(io.StringIO(sources))
    assert tuple(source) == SOURCE_COLUMNS and source["title"] == "Interview 1, peer worker"
    back, _ = from_causal_map(links, sources, kinds={"Peer support, weekly": "activity"})
    assert {lk.id for lk in back.links} == {
        "Hope_things_can_change->Peer_support_weekly",
        "Peer_support_weekly->Hope_things_can_change",
    }
    forward = back.get_link("Peer_support_weekly", "Hope_things_can_change")
    assert [ev.quote for ev in forward.evidence] == ["=she showed me", None]
    assert back.get_link("Hope_things_can_change", "Peer_support_weekly").feedback


APP_LINKS = """\
cause,effect,source_id,quote,sentiment,tags,statement_id
Training for peer workers,Confidence of peer workers,S1,After it I knew,0.8,"status:reported, #x",12
Confidence of peer workers,~Stigma,S1,"I stopped hiding it",,,13
~Stigma,Asking for help,S2,"Now I ask",,,20
Training for peer workers,Confidence of peer workers,S2,"The training helped",,,21
"""

APP_SOURCES = """\
source_id,title,region
S1,Interview with a peer worker,North
S2,Interview with a service user,
"""


def test_tables_as_the_app_writes_them(tmp_path: Path) -> None:
    links, sources = tmp_path / "links.csv", tmp_path / "sources.csv"
    links.write_text(APP_LINKS, encoding="utf-8")
    sources.write_text(APP_SOURCES, encoding="utf-8")
    model, report = read_causal_map(links, sources, kinds={"Training for peer workers": "activity"})
    assert model.title == "links"
    assert model.element("Training_for_peer_workers").kind == "activity"
    assert model.element("Stigma").kind == "process_outcome"
    training = model.get_link("Training_for_peer_workers", "Confidence_of_peer_workers")
    assert [(ev.reference, ev.quote) for ev in training.evidence] == [
        ("S1", "After it I knew"),
        ("S2", "The training helped"),
    ]
    assert training.evidence[0].status == "reported"
    assert model.get_link("Confidence_of_peer_workers", "Stigma").sign == "reduces"
    # ~Stigma leads to asking for help: less stigma, more help-seeking
    assert model.get_link("Stigma", "Asking_for_help").sign == "reduces"
    assert model.get_reference("S1").citation == "Interview with a peer worker"
    assert {(loss.subject, loss.field) for loss in report} == {
        (f"{links}:2", "sentiment"),
        (f"{links}:2", "tags"),
        (f"{links}:2", "statement_id"),
        (f"{links}:3", "statement_id"),
        (f"{links}:4", "statement_id"),
        (f"{links}:5", "statement_id"),
        (f"{sources}:2", "region"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("from,to\na,b\n", r"links.csv:1:1: the table has no 'cause', 'effect' column"),
        ("cause,effect\na,\n", r"links.csv:2: the row has no effect"),
        ("cause,effect\na,b\na,~b\n", r"links.csv:3: 'a' -> '~b' is coded with both signs"),
    ],
)
def test_bad_tables_say_where(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        read_causal_map(path)


def test_export_and_import_on_the_command_line(tmp_path: Path) -> None:
    example = ROOT / "examples" / "peer_worker" / "model.yaml"
    links, sources, out = tmp_path / "links.csv", tmp_path / "sources.csv", tmp_path / "m.yaml"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["export", str(example), "--to", "causal-map-links", "-o", str(links)]
    )
    assert result.exit_code == 0, result.output
    assert "causal-map:" in result.stderr and "kind:" in result.stderr
    result = runner.invoke(
        cli, ["export", str(example), "--to", "causal-map-sources", "-o", str(sources), "-q"]
    )
    assert result.exit_code == 0 and result.stderr == ""
    result = runner.invoke(
        cli,
        [
            "import", "causal-map", str(links), "--sources", str(sources),
            "--kind", "Peer workers support service users=activity", "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    original, back = load(example), load(out)
    assert len(back.links) == sum(1 for lk in original.links if lk.relation == "leads_to")
    assert {r.id for r in back.references} == {r.id for r in original.references}
    assert back.element("Peer_workers_support_service_users").kind == "activity"


def test_write_causal_map_writes_both_tables(tmp_path: Path) -> None:
    m = ChangeModel("Tiny")
    _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
    report = write_causal_map(m, tmp_path / "l.csv", tmp_path / "s.csv")
    assert ("element:a", "kind") in report
    back, _ = read_causal_map(tmp_path / "l.csv", tmp_path / "s.csv")
    assert [e.label for e in back.elements] == ["Do", "Change"]


def test_a_label_read_as_an_opposite_is_reported_lost_with_its_links() -> None:
    # "~Act" reads back as the opposite of a factor "Act": another element altogether.
    m = ChangeModel("t")
    act = m.activity("a", "~Act")
    b, c = m.process_outcome("b", "B"), m.process_outcome("c", "C")
    _ = act >> b >> c
    _ = c.feeds_back_to(act)
    links, sources = to_causal_map(m)
    back, _report = from_causal_map(links, sources, title=m.title)
    lost = round_trip_losses(m, _with_original_ids(m, back)) - {("model", "title")}
    assert lost == {("element:a", "*"), ("link:a->b", "*"), ("link:c->a", "*")}
    assert lost == causal_map_losses(m).keys() - {("model", "title")}
