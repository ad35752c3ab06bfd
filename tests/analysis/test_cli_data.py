"""``changemodel implications`` and ``changemodel test`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemodel.analysis.implications import implication_graph
from changemodel.cli import COMMANDS, cli
from tests.analysis._support import EXAMPLE, ROOT, peer_worker

FILE = str(EXAMPLE)
DATA = str(ROOT / "examples" / "peer_worker" / "monitoring.csv")
ALLIANCE = "working_alliance=trusting_relationships"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_commands_are_registered() -> None:
    assert COMMANDS["implications"] == ("changemodel.cli.data", "implications")
    assert COMMANDS["test"] == ("changemodel.cli.data", "test_command")


def test_implications_in_every_format() -> None:
    code, out, _ = run("implications", FILE)
    assert code == 0
    assert "wellbeing _||_ peer_support | hope_empowerment" in out.splitlines()
    assert len(out.splitlines()) == 42
    code, out, _ = run("implications", FILE, "--indicated", "--measured", "peer_support")
    assert out.splitlines() == [
        "wellbeing _||_ peer_support | hope_empowerment",
        "wellbeing _||_ service_engagement | hope_empowerment",
        "treated as unmeasured: distinct_role, team_acceptance, training_support, engagement,"
        " role_modelling, trusting_relationships, fewer_admissions",
    ]
    data = json.loads(run("implications", FILE, "--format", "json")[1])
    assert data["count"] == 42 and data["unmeasured"] == []
    rows = list(csv.reader(io.StringIO(run("implications", FILE, "--format", "csv")[1])))
    assert rows[0] == ["Independent", "Of", "Given"] and len(rows) == 43
    markdown = run("implications", FILE, "--format", "markdown")[1]
    assert markdown.startswith("| Independent | Of | Given |")


def test_implications_refuses_unknown_ids(tmp_path: Path) -> None:
    code, _, err = run("implications", FILE, "--measured", "wellbeeing")
    assert code == 2
    assert "'wellbeeing' is not an element of the model" in err
    assert "did you mean 'wellbeing'" in err


def test_the_example_data_reject_the_link_the_theory_lacks(tmp_path: Path) -> None:
    code, out, _ = run("test", FILE, DATA, "--map", ALLIANCE)
    assert code == 1
    assert "implied independences: 4 consistent, 3 rejected" in out
    assert "REJECTED      wellbeing _||_ service_engagement | hope_empowerment" in out
    assert "columns that measure no element: participant" in out
    out_file = tmp_path / "tests.json"
    code, out, _ = run(
        "test", FILE, DATA, "--map", ALLIANCE, "--format", "json", "-o", str(out_file)
    )
    assert code == 1 and out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["summary"]["independences"] == {"consistent": 4, "rejected": 3}
    assert data["mapping"]["Mental well-being"] == "wellbeing"


def test_data_that_follow_the_theory_pass(tmp_path: Path) -> None:
    """Data simulated from the theory itself, each link with its sign: exit 0."""
    import numpy as np

    model = peer_worker()
    graph = implication_graph(model)
    signs = {(lk.source, lk.target): -1 if lk.sign == "reduces" else 1 for lk in model.links}
    rng = np.random.default_rng(8)
    values: dict[str, np.ndarray] = {}
    for v in graph.order:
        values[v] = rng.standard_normal(500)
        for p in graph.parents[v]:
            values[v] += 0.5 * signs[(p, v)] * values[p]
    path = tmp_path / "theory.csv"
    lines = [",".join(values)]
    lines += [",".join(f"{values[v][i]:.4f}" for v in values) for i in range(500)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("engagement: engagement\n", encoding="utf-8")
    code, out, err = run("test", FILE, str(path), "--mapping", str(mapping), "--adjust", "bh")
    assert code == 0, out + err
    assert "p values adjusted by Benjamini-Hochberg" in out
    assert "implied independences: 42 consistent" in out
    assert "directions of signed links: 9 agree" in out


@pytest.mark.parametrize(
    ("cells", "args", "message"),
    [
        ("wellbeing,hope_empowerment\n40,3\nabc,4\n", (), "t.csv:3 holds 'abc'"),
        ("wellbeing,Mental well-being\n1,2\n", (), "measured by two columns"),
        ("a,b\n1,2\n", (), "no column measures an element"),
        ("wellbeing\n1\n", ("--map", "wellbeing"), "expected COLUMN=ID"),
        (
            "x,wellbeing\n1,2\n",
            ("--map", "x=hope_empowerment", "--map", "x=wellbeing"),
            "column 'x' is mapped to two elements",
        ),
        ("x,y\n1,2,3\n", (), "t.csv:2: the row has 3 cells but the header names 2 columns"),
        ("x,x\n1,2\n", (), "column 'x' appears twice"),
    ],
)
def test_data_errors_exit_2_naming_the_column(
    tmp_path: Path, cells: str, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(cells, encoding="utf-8")
    code, out, err = run("test", FILE, str(path), *args)
    assert code == 2, out
    assert message in err


def test_a_bad_mapping_file_and_an_unknown_suffix(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("- a list\n", encoding="utf-8")
    code, _, err = run("test", FILE, DATA, "--mapping", str(mapping))
    assert code == 2 and "expected a mapping of column names to element ids" in err
    mapping.write_text("a: [\n", encoding="utf-8")
    code, _, err = run("test", FILE, DATA, "--mapping", str(mapping))
    assert code == 2 and "not readable as YAML" in err
    code, _, err = run("test", FILE, str(tmp_path / "data.sav"))
    assert code == 2 and "cannot tell the data format from the suffix '.sav'" in err


def _example_table() -> tuple[list[str], list[list[object]]]:
    rows = list(csv.reader(io.StringIO(Path(DATA).read_text(encoding="utf-8"))))
    body: list[list[object]] = []
    for row in rows[1:]:
        body.append([float(c) if c.replace(".", "").isdigit() else (c or None) for c in row])
    return rows[0], body


def test_excel_and_parquet_give_the_same_results_as_csv(tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    header, body = _example_table()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Follow-up"
    sheet.append(header)
    for row in body:
        sheet.append(row)
    book.save(tmp_path / "data.xlsx")
    pq.write_table(
        pa.table({name: [row[i] for row in body] for i, name in enumerate(header)}),
        tmp_path / "data.parquet",
    )
    expected = json.loads(run("test", FILE, DATA, "--map", ALLIANCE, "--format", "json")[1])
    for name in ("data.xlsx", "data.parquet"):
        code, out, err = run(
            "test", FILE, str(tmp_path / name), "--map", ALLIANCE, "--format", "json"
        )
        assert code == 1, err
        data = json.loads(out)
        assert data["summary"] == expected["summary"]
        assert [t["p"] for t in data["tests"]] == pytest.approx([t["p"] for t in expected["tests"]])
    code, _, err = run("test", FILE, str(tmp_path / "data.xlsx"), "--sheet", "Baseline")
    assert code == 2 and "no sheet 'Baseline' (sheets: 'Follow-up')" in err
