"""The spreadsheet tables as one Excel workbook: sheets, text cells, round trips,
located errors and the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from changemodel import ChangeModel, LoadError, load, loads
from changemodel.cli import cli
from changemodel.formats.loss import round_trip_losses
from changemodel.formats.spreadsheet import (
    CONFIGURATION_COLUMNS,
    ELEMENT_COLUMNS,
    LINK_COLUMNS,
    from_workbook,
    read_workbook,
    to_workbook,
    workbook_losses,
    write_workbook,
)
from changemodel.testing.strategies import models
from tests.formats._support import EXAMPLE

openpyxl = pytest.importorskip("openpyxl")

SMA = EXAMPLE.parent.parent / "shared_medical_appointments" / "model.yaml"
ROUND = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sheets(data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet's rows, as openpyxl reads them."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}


@ROUND
@given(models(hostile=True, full=True, configured=True, max_elements=8))
def test_a_workbook_loses_exactly_what_its_report_says(model: ChangeModel) -> None:
    back = from_workbook(to_workbook(model), title="read back")
    keys = workbook_losses(model).keys()
    assert round_trip_losses(model, back) == keys - {("model", "citations")}


@ROUND
@given(models(full=True, configured=True, max_elements=8))
def test_configurations_survive_the_workbook_whole(model: ChangeModel) -> None:
    lossy = {x.subject for x in workbook_losses(model) if x.subject.startswith("config")}
    back = from_workbook(to_workbook(model))
    assert [c for c in back.configurations if f"configuration:{c.id}" not in lossy] == [
        c for c in model.configurations if f"configuration:{c.id}" not in lossy
    ]


def test_the_sheets_hold_the_columns_of_the_tables_as_text_cells(tmp_path: Path) -> None:
    model = load(SMA)
    path = tmp_path / "sma.xlsx"
    report = write_workbook(model, path)
    assert not [loss for loss in report if loss.subject.startswith("configuration:")]
    found = sheets(path.read_bytes())
    assert list(found) == ["Elements", "Links", "Configurations"]
    assert tuple(found["Elements"][0]) == ELEMENT_COLUMNS
    assert tuple(found["Links"][0]) == LINK_COLUMNS
    assert tuple(found["Configurations"][0]) == CONFIGURATION_COLUMNS
    assert [row[0] for row in found["Configurations"][1:]] == [c.id for c in model.configurations]
    back = read_workbook(path, title=model.title)
    assert back.configurations == model.configurations
    assert {e.id: e for e in back} == {e.id: e for e in model}
    # the contrast of CMOC3 and CAND1 survives
    cmoc3, cand1 = back.get_configuration("CMOC3"), back.get_configuration("CAND1")
    assert cmoc3.contrast_with(cand1) == ("inspired_by_peers",)


def test_a_cell_that_looks_like_a_formula_is_text() -> None:
    m = ChangeModel("f")
    m.activity("a", '=HYPERLINK("http://x")', description="@SUM(1)")
    data = to_workbook(m)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for row in book["Elements"].iter_rows(min_row=2) for c in row if c.value]
    assert {c.data_type for c in cells} == {"s"}
    assert from_workbook(data, title="f") == m


def test_control_characters_are_left_out_and_reported() -> None:
    m = ChangeModel("c")
    m.activity("a", "bell\x07 rings")
    report = workbook_losses(m)
    assert ("element:a", "label") in report
    assert from_workbook(to_workbook(m)).element("a").label == "bell rings"


def test_workbook_errors_name_the_file_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    write_workbook(load(SMA), path)
    book = openpyxl.load_workbook(path)
    sheet = book["Configurations"]
    status = CONFIGURATION_COLUMNS.index("status") + 1
    mechanisms = CONFIGURATION_COLUMNS.index("mechanisms") + 1
    sheet.cell(row=3, column=status, value="proven")
    sheet.cell(row=4, column=mechanisms, value="inspired_by_peer")
    book.save(path)
    with pytest.raises(LoadError) as caught:
        read_workbook(path)
    text = str(caught.value)
    assert "m.xlsx [Configurations]:3: configurations[1].status: unknown configuration" in text
    assert "m.xlsx [Configurations]:4: configurations[2].mechanisms[0]" in text
    assert "did you mean 'inspired_by_peers'?" in text
    del book["Elements"]
    book.save(path)
    with pytest.raises(LoadError, match="no sheet 'Elements'"):
        read_workbook(path)
    path.write_bytes(b"not a workbook")
    with pytest.raises(LoadError, match="not readable as an Excel workbook"):
        read_workbook(path)


def test_a_hand_made_workbook_with_typed_numbers_reads(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    elements = book.active
    elements.title = "elements"  # sheet names are matched whatever their case
    elements.append(["id", "kind", "label"])
    elements.append(["a", "activity", "Do"])
    elements.append(["o", "process_outcome", 2024])
    links = book.create_sheet("Links")
    links.append(["from", "to", "confidence"])
    links.append(["a", "o", 0.5])
    path = tmp_path / "hand.xlsx"
    book.save(path)
    model = read_workbook(path)
    assert model.title == "hand"
    assert model.element("o").label == "2024"
    assert model.get_link("a", "o").confidence == 0.5


def test_the_command_line_writes_and_reads_a_workbook(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sma.xlsx"
    result = runner.invoke(cli, ["export", str(SMA), "--to", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "configuration:" not in result.stderr and "dropped: reference:" in result.stderr
    result = runner.invoke(cli, ["import", "workbook", str(out)])
    assert result.exit_code == 0, result.stderr
    assert loads(result.stdout).configurations == load(SMA).configurations
    result = runner.invoke(cli, ["export", str(SMA), "--to", "xlsx"])
    assert result.exit_code == 2 and "name the file with -o" in result.stderr


def test_a_sheet_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    """A "billion laughs" sheet (kept small here): refused as unreadable, not expanded
    into a header cell of 200,000 characters."""
    import zipfile

    source = io.BytesIO(to_workbook(load(SMA)))
    target = tmp_path / "laughs.xlsx"
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "ha">'
        + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 6))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l5;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode("utf-8")
            new.writestr(item, data)
    with pytest.raises(LoadError) as caught:
        read_workbook(target)
    assert caught.value.location is not None
    assert "laughs.xlsx" in str(caught.value) and "not readable" in str(caught.value)
    assert openpyxl.DEFUSEDXML  # the excel extra brings defusedxml, which openpyxl uses


def _bomb(tmp_path: Path) -> Path:
    """A real workbook with one extra member that unpacks to 8 MiB of zeros: a few
    kilobytes on disk."""
    import zipfile

    m = ChangeModel("Small")
    m.activity("a", "Do")
    plain = tmp_path / "plain.xlsx"
    write_workbook(m, plain)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for member in src.infolist():
            out.writestr(member, src.read(member))
        out.writestr("xl/padding.xml", b"\0" * (8 << 20))
    assert bomb.stat().st_size < 64 << 10
    return bomb


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    from changemodel.formats import input_limit
    from changemodel.formats._files import InputTooLargeError
    from changemodel.formats.data import read_data

    bomb = _bomb(tmp_path)
    with input_limit(1 << 20):
        with pytest.raises(InputTooLargeError, match=r"bomb.xlsx: the workbook unpacks to 8"):
            read_workbook(bomb)
        with pytest.raises(InputTooLargeError, match=r"unpacks to 8.* more than the limit of 1"):
            read_data(bomb)
    assert [e.id for e in read_workbook(bomb).elements] == ["a"]  # under the default limit
    result = CliRunner().invoke(
        cli, ["--max-input-size", "1M", "import", "workbook", str(bomb)], catch_exceptions=False
    )
    assert result.exit_code == 2 and "unpacks to 8" in result.stderr
    assert "Traceback" not in result.stderr
