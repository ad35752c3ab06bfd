"""Readers and writers take a path or an open file alike, through one decorator."""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from changemodel import ChangeModel, LoadError
from changemodel.formats import (
    canonical,
    causalmap,
    dagitty,
    data,
    dot,
    graphml,
    kumu,
    mermaid,
    nodelink,
    render,
)
from changemodel.formats._files import file_name, open_file
from changemodel.formats.table import logic_model_table, write_table
from changemodel.outputs import cmo_table, report
from tests.formats._support import peer_worker


@open_file("r")
def words(file: IO[str]) -> tuple[list[str], str | None]:
    return file.read().split(), file_name(file)


@open_file("w")
def shout(text: str, file: IO[str], *, fail: bool = False) -> str | None:
    file.write(text.upper())
    if fail:
        raise RuntimeError("stopped half way")
    return file_name(file)


def test_a_path_is_read_whole_with_its_name_and_without_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes("\ufeffa b".encode())
    assert words(path) == (["a", "b"], str(path))
    assert words(str(path)) == (["a", "b"], str(path))


def test_an_open_file_is_passed_through_and_left_open() -> None:
    file = io.StringIO("a b")
    assert words(file) == (["a", "b"], None)
    assert not file.closed
    out = io.StringIO()
    assert shout("hi", out) is None
    assert out.getvalue() == "HI"
    assert not out.closed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the file: No such file"),
        (b"\xff\xfe\x00bad", r"x\.txt:1:1: the file is not valid UTF-8 \(byte 0xff\)"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_located_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "x.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(LoadError, match=message) as caught:
        words(path)
    assert caught.value.location is not None
    assert caught.value.location.file == str(path)


def test_a_writer_that_fails_leaves_the_old_file_and_no_other(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    assert shout("first", path) == str(path)
    assert path.read_text(encoding="utf-8") == "FIRST"
    with pytest.raises(RuntimeError):
        shout("second", path, fail=True)
    assert path.read_text(encoding="utf-8") == "FIRST"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


WRITERS: list[tuple[str, Callable[..., Any], dict[str, Any]]] = [
    ("yaml", canonical.dump, {}),
    ("dot", dot.write_dot, {}),
    ("mermaid", mermaid.write_mermaid, {}),
    ("graphml", graphml.write_graphml, {}),
    ("node-link", nodelink.write_node_link, {}),
    ("dagitty", dagitty.write_dagitty, {}),
    ("kumu", kumu.write_kumu, {}),
    ("cmo-csv", cmo_table.write_cmo_csv, {}),
    ("report", report.write_html, {"diagram": False}),
]


@pytest.mark.parametrize(("name", "write", "options"), WRITERS, ids=[w[0] for w in WRITERS])
def test_every_writer_writes_the_same_to_a_path_and_to_an_open_file(
    tmp_path: Path, name: str, write: Callable[..., Any], options: dict[str, Any]
) -> None:
    model = peer_worker()
    buffer = io.StringIO()
    write(model, buffer, **options)
    path = tmp_path / f"model.{name}"
    write(model, path, **options)
    assert path.read_bytes().decode("utf-8") == buffer.getvalue() != ""


READERS: list[tuple[str, Callable[..., Any], Callable[..., Any]]] = [
    ("yaml", canonical.dump, canonical.load),
    ("graphml", graphml.write_graphml, graphml.read_graphml),
    ("node-link", nodelink.write_node_link, nodelink.read_node_link),
    ("dagitty", dagitty.write_dagitty, dagitty.read_dagitty),
    ("kumu", kumu.write_kumu, kumu.read_kumu),
    ("cmo-csv", cmo_table.write_cmo_csv, cmo_table.read_cmo_csv),
]


@pytest.mark.parametrize(("name", "write", "read"), READERS, ids=[r[0] for r in READERS])
def test_every_reader_reads_the_same_from_a_path_and_from_an_open_file(
    tmp_path: Path, name: str, write: Callable[..., Any], read: Callable[..., Any]
) -> None:
    path = tmp_path / "model.txt"
    write(peer_worker(), path)
    options: dict[str, Any] = {} if name in ("yaml", "graphml", "node-link") else {"title": "t"}
    from_path: ChangeModel = read(path, **options)
    if name in ("yaml", "graphml"):  # binary readers take text files too
        with open(path, "rb") as binary:
            from_file: ChangeModel = read(binary, **options)
        assert from_file == from_path
    with open(path, encoding="utf-8", newline="") as text:
        from_file = read(text, **options)
    assert from_file == from_path


def test_the_format_of_a_table_or_image_comes_from_the_file_name(tmp_path: Path) -> None:
    table = logic_model_table(peer_worker())
    with open(tmp_path / "t.html", "w", encoding="utf-8") as file:
        write_table(table, file)
    assert (tmp_path / "t.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(Exception, match="say which format"):
        render.write_image(peer_worker(), io.BytesIO())


def test_no_reader_or_writer_checks_for_a_path_itself() -> None:
    """The branch "a path or an open file" is written once, in formats._files."""
    modules = (canonical, causalmap, data, dagitty, dot, graphml, kumu, mermaid, nodelink, render)
    for module in (*modules, cmo_table, report):
        source = inspect.getsource(module)
        assert "isinstance(path, str | os.PathLike)" not in source, module.__name__
        assert "write_atomic(" not in source, module.__name__
