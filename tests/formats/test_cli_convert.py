"""``changemodel export``, ``render`` and ``import``."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from changemodel import load, loads
from changemodel.cli import COMMANDS, cli
from changemodel.outputs.registry import EXPORTERS, IMPORTERS, export
from tests.formats._support import EXAMPLE, peer_worker


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    # the bytes, not .stdout, which turns CSV's \r\n line ends into \n
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def test_commands_are_registered() -> None:
    assert {"export", "render", "import"} <= set(COMMANDS)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_each_format_to_stdout(fmt: str) -> None:
    code, out, err = run("export", str(EXAMPLE), "--to", fmt)
    assert code == 0, err
    text, report = export(peer_worker(), fmt)
    assert out == text
    if report:
        assert err.startswith(f"{report.format}: {len(report)} items not carried")
    else:
        assert err == ""


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_export_quiet_never_computes_the_losses(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import changemodel.formats.loss as loss

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("losses computed")

    monkeypatch.setattr(loss.LossReport, "compute", classmethod(refuse))
    monkeypatch.setattr(loss.LossReport, "__init__", refuse)
    code, out, _ = run("export", str(EXAMPLE), "--to", fmt, "-q")
    assert code == 0
    assert out
    with pytest.raises(AssertionError, match="losses computed"):
        run("export", str(EXAMPLE), "--to", fmt)


def test_export_to_a_file_with_the_full_loss_list(tmp_path: Path) -> None:
    out = tmp_path / "m.graphml"
    code, stdout, err = run("export", str(EXAMPLE), "--to", "graphml", "-o", str(out))
    assert code == 0 and stdout == "" and err == ""
    assert nx.read_graphml(out, force_multigraph=True).number_of_nodes() == len(peer_worker())
    code, _, err = run(
        "export", str(EXAMPLE), "--to", "dagitty", "-o", str(tmp_path / "m.dag"), "-v"
    )
    assert "  link:service_engagement->fewer_admissions: sign ('reduces')" in err.splitlines()
    code, _, err = run(
        "export", str(EXAMPLE), "--to", "dagitty", "-o", str(tmp_path / "m.dag"), "-q"
    )
    assert code == 0 and err == ""


def test_export_diagram_options() -> None:
    code, out, _ = run(
        "export",
        str(EXAMPLE),
        "--to",
        "dot",
        "--rankdir",
        "TB",
        "--kind",
        "mechanism",
        "--kind",
        "process outcome",
        "--pathway",
        "trusting_relationships,hope_empowerment",
    )
    assert code == 0
    assert "rankdir=TB" in out and '"peer_support"' not in out and "penwidth=2.5" in out
    code, _, err = run("export", str(EXAMPLE), "--to", "dot", "--focus", "trust")
    assert code == 2 and "no element with id 'trust'" in err
    code, _, err = run("export", str(EXAMPLE), "--to", "dot", "--kind", "mechanisms")
    assert code == 2 and "unknown kind 'mechanisms'" in err


def test_render_writes_an_image(tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    code, _, err = run("render", str(EXAMPLE), "-o", str(out))
    assert code == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert err.startswith("dot: ")
    code, _, err = run("render", str(EXAMPLE), "-o", str(tmp_path / "m.gif"))
    assert code == 2 and "choose one of svg, png, pdf" in err


def test_render_without_graphviz_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "m.svg"
    out.write_text("old", encoding="utf-8")
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CHANGEMODEL_DOT", raising=False)
    code, _, err = run("render", str(EXAMPLE), "-o", str(out))
    assert code == 2
    assert "apt-get install graphviz" in err
    assert out.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["m.svg"]


def test_export_of_an_unreadable_model(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("changemodel: 1\ntitle: t\nelements:\n- id: a\n  kind: activty\n  label: A\n")
    code, _, err = run("export", str(bad), "--to", "mermaid")
    assert code == 2
    assert "bad.yaml:5" in err and "did you mean 'activity'" in err


@pytest.mark.parametrize("fmt", ["graphml", "node-link", "kumu", "dagitty", "cmo-csv", "json"])
def test_import_what_export_wrote(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / f"m.{fmt}"
    code, _, _ = run("export", str(EXAMPLE), "--to", fmt, "-o", str(source), "-q")
    assert code == 0
    target = tmp_path / "back.yaml"
    code, _, err = run("import", fmt, str(source), "-o", str(target))
    assert code == 0, err
    back = load(target)
    model = peer_worker()
    if fmt in ("graphml", "node-link", "json"):
        assert back == model
    else:
        assert len(back) > 0
        assert back.title == "m"


def test_a_spreadsheet_with_configurations_round_trips_through_the_command_line(
    tmp_path: Path,
) -> None:
    realist = EXAMPLE.parent.parent / "shared_medical_appointments" / "model.yaml"
    model = load(realist)
    assert len(model.configurations) >= 6
    tables = {}
    for name in ("elements", "links", "configurations"):
        tables[name] = tmp_path / f"{name}.csv"
        code, _, err = run("export", str(realist), "--to", f"{name}-csv", "-o", str(tables[name]))
        assert code == 0, err
        if name == "configurations":
            assert "configuration:" not in err  # nothing of a configuration is lost
        else:
            assert "dropped: configuration:" in err or name == "links"
    code, out, err = run(
        "import",
        "spreadsheet",
        str(tables["elements"]),
        "--links",
        str(tables["links"]),
        "--configurations",
        str(tables["configurations"]),
    )
    assert code == 0, err
    back = loads(out)
    assert back.configurations == model.configurations
    assert {e.id: e for e in back} == {e.id: e for e in model}
    text = tables["configurations"].read_text(encoding="utf-8")
    tables["configurations"].write_text(text.replace(",initial,", ",intial,", 1), "utf-8")
    code, _, err = run(
        "import",
        "spreadsheet",
        str(tables["elements"]),
        "--configurations",
        str(tables["configurations"]),
    )
    assert code == 2
    assert "configurations.csv:2: configurations[0].status: unknown configuration status" in err
    assert "did you mean 'initial'?" in err


def test_import_a_spreadsheet_with_links_and_kinds(tmp_path: Path) -> None:
    run("export", str(EXAMPLE), "--to", "elements-csv", "-o", str(tmp_path / "e.csv"), "-q")
    run("export", str(EXAMPLE), "--to", "links-csv", "-o", str(tmp_path / "l.csv"), "-q")
    code, out, err = run(
        "import",
        "spreadsheet",
        str(tmp_path / "e.csv"),
        "--links",
        str(tmp_path / "l.csv"),
        "--title",
        "Peer worker change model",
    )
    assert code == 0, err
    restored = loads(out)
    model = peer_worker()
    assert {e.id: e for e in restored} == {e.id: e for e in model}
    assert set(restored.links) == set(model.links)
    dag = tmp_path / "d.txt"
    dag.write_text("dag { X [exposure] Y [outcome] Z -> X -> Y }", encoding="utf-8")
    code, out, err = run(
        "import", "dagitty", str(dag), "--kind", "Z=context", "--default-kind", "process outcome"
    )
    assert code == 0, err
    kinds = {e.id: e.kind.value for e in loads(out)}
    assert kinds == {"X": "activity", "Y": "downstream_outcome", "Z": "context"}
    code, _, err = run("import", "dagitty", str(dag), "--kind", "Z")
    assert code == 2 and "--kind takes NAME=KIND" in err


def test_import_errors_name_the_file_and_line(tmp_path: Path) -> None:
    dag = tmp_path / "d.txt"
    dag.write_text("dag {\n a -> b\n c <-> d\n}", encoding="utf-8")
    code, _, err = run("import", "dagitty", str(dag), "-o", str(tmp_path / "m.yaml"))
    assert code == 2
    assert f"{dag}:3: the edge '<->' is not a causal arrow" in err
    assert not (tmp_path / "m.yaml").exists()


def test_every_importer_is_offered_by_the_command() -> None:
    from changemodel.cli.convert import import_command

    choices = next(p for p in import_command.params if p.name == "format").type.choices  # type: ignore[attr-defined]
    assert set(choices) == set(IMPORTERS)
