"""Drawing with Graphviz: images, a clear error without Graphviz, notebooks."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from changemodel import ChangeModel, ChangeModelError
from changemodel.formats.dot import dot_losses, to_dot
from changemodel.formats.render import (
    DISPLAY_LIMIT,
    GraphvizNotFoundError,
    RenderError,
    find_dot,
    render,
    render_dot,
    write_image,
)
from changemodel.model import DISPLAY_HOOKS
from tests.formats._support import peer_worker

MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_render_each_image_format(fmt: str) -> None:
    data = render(peer_worker(), fmt)
    assert data.startswith(MAGIC[fmt])


def test_the_svg_is_the_drawing_of_the_dot() -> None:
    model = peer_worker()
    svg = ET.fromstring(render(model, "svg"))
    nodes = [
        g.get("id") for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"
    ]
    assert sorted(n for n in nodes if n and n.startswith("element-")) == sorted(
        f"element-{e.id}" for e in model.elements
    )
    assert render_dot(to_dot(model), "svg") == render(model, "svg")


def test_missing_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CHANGEMODEL_DOT", raising=False)
    with pytest.raises(GraphvizNotFoundError) as caught:
        render(peer_worker())
    message = str(caught.value)
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install"):
        assert hint in message
    assert isinstance(caught.value, ChangeModelError) and isinstance(caught.value, OSError)
    # DOT text needs no Graphviz
    assert to_dot(peer_worker()).startswith("digraph")


def test_a_named_executable_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(GraphvizNotFoundError, match="not found"):
        find_dot(str(tmp_path / "no-dot-here"))


def test_the_environment_variable_names_dot(monkeypatch: pytest.MonkeyPatch) -> None:
    real = find_dot()
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("CHANGEMODEL_DOT", real)
    assert find_dot() == real
    assert render(ChangeModel("x"), "svg").startswith(b"<?xml")


def test_graphviz_failure_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="syntax error") as caught:
        render_dot("digraph { a -> }", "svg")
    assert "syntax error" in caught.value.stderr


def test_unknown_image_format() -> None:
    with pytest.raises(ChangeModelError, match="choose one of svg, png, pdf"):
        render(peer_worker(), "gif")


def test_write_image_takes_the_format_from_the_suffix(tmp_path: Path) -> None:
    model = peer_worker()
    report = write_image(model, tmp_path / "m.PNG")
    assert (tmp_path / "m.PNG").read_bytes().startswith(MAGIC["png"])
    assert report == dot_losses(model)
    buffer = io.BytesIO()
    write_image(model, buffer, "pdf")
    assert buffer.getvalue().startswith(MAGIC["pdf"])
    with pytest.raises(ChangeModelError, match="say which format"):
        write_image(model, io.BytesIO())


def test_a_failed_render_leaves_an_existing_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "m.svg"
    target.write_bytes(b"old drawing")
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CHANGEMODEL_DOT", raising=False)
    with pytest.raises(GraphvizNotFoundError):
        write_image(peer_worker(), target)
    assert target.read_bytes() == b"old drawing"
    assert os.listdir(tmp_path) == ["m.svg"]


def test_a_model_shows_as_a_diagram_in_notebooks(monkeypatch: pytest.MonkeyPatch) -> None:
    model = peer_worker()
    assert "image/svg+xml" in DISPLAY_HOOKS
    svg = model._repr_svg_()
    assert svg is not None and "<svg" in svg
    big = ChangeModel("big")
    for i in range(DISPLAY_LIMIT + 1):
        big.activity(f"a{i}", "A")
    assert big._repr_svg_() is None  # too large to draw on the fly
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CHANGEMODEL_DOT", raising=False)
    assert model._repr_svg_() is None  # the notebook falls back to the text repr
