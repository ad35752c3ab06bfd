"""Reading monitoring data: CSV (any of three separators), Parquet, Excel, and clear
errors naming the file and line; and the local tests never crash on what they read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel import LoadError, load
from changemodel.analysis.local_tests import DataError, local_tests
from changemodel.formats.data import from_data_text, read_data

ROOT = Path(__file__).resolve().parents[2]
MODEL = load(ROOT / "examples" / "peer_worker" / "model.yaml")


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_the_separator_is_read_from_the_header(sep: str) -> None:
    text = f"\ufeffa{sep}b\n1{sep}2\n\n3{sep}\n"
    table = from_data_text(text, source="d.csv")
    assert table.columns == {"a": ("1", "3"), "b": ("2", "")}
    assert table.rows == ("d.csv:2", "d.csv:4")
    assert len(table) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "d.csv: the file has no header row and no data"),
        ("a,,c\n1,2,3\n", "d.csv:1: column 2 of the header has no name"),
        ("a,b,a\n", "d.csv:1: column 'a' appears twice in the header (columns 1 and 3)"),
        ("a,b\n1,2\n1,2,3\n", "d.csv:3: the row has 3 cells but the header names 2 columns"),
        ('a,b\n"1,2\n', "d.csv"),
    ],
)
def test_csv_errors_say_where(text: str, message: str) -> None:
    try:
        table = from_data_text(text, source="d.csv")
    except LoadError as exc:
        assert message in str(exc)
    else:  # an unclosed quote is read to the end of the file, as csv does
        assert message == "d.csv" and table.columns["a"] == ("1,2\n",)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"(?i)no such file"):
        read_data(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("caf\xe9\n1\n".encode("latin-1"))
    with pytest.raises(LoadError, match="not UTF-8 text"):
        read_data(latin)
    for name in ("bad.parquet", "bad.xlsx"):
        (tmp_path / name).write_text("not this format", encoding="utf-8")
        with pytest.raises(LoadError, match=f"{name}: not readable as"):
            read_data(tmp_path / name)


def test_a_missing_reader_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (tmp_path / "d.parquet").write_bytes(b"")
    (tmp_path / "d.xlsx").write_bytes(b"")
    with pytest.raises(LoadError, match=r"reading Parquet needs pyarrow"):
        read_data(tmp_path / "d.parquet")
    with pytest.raises(LoadError, match=r"reading Excel files needs openpyxl"):
        read_data(tmp_path / "d.xlsx")


CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-5, 5).map(str),
    st.sampled_from(["", "NA", "n/a", ".", "yes", "no", "none", " 3 ", "1e400", "-0"]),
    st.text(max_size=4),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 12).flatmap(
        lambda n: st.dictionaries(
            st.sampled_from(
                ["peer_support", "hope_empowerment", "wellbeing", "Appointments attended", "x"]
            ),
            st.lists(CELLS, min_size=n, max_size=n),
            max_size=5,
        )
    ),
    st.lists(st.sampled_from(["peer_support", "wellbeing"]), unique=True),
)
def test_local_tests_never_crash(data: dict[str, list[str]], categorical: list[str]) -> None:
    """Any table either gives a report or a DataError, never another exception."""
    try:
        report = local_tests(MODEL, data, categorical=[c for c in categorical if c in data])
    except DataError as exc:
        assert exc.column is None or exc.column in data
    else:
        for test in report.tests:
            assert test.verdict in {
                "consistent",
                "rejected",
                "agrees",
                "contradicts",
                "inconclusive",
                "skipped",
            }
            if test.p is not None:
                assert 0 <= test.p <= 1 and test.p_adjusted is not None
