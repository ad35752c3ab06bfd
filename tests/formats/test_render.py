"""Drawing with Graphviz: images, a clear error without Graphviz, notebooks."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import changemodel
from changemodel import ChangeModel, ChangeModelError
from changemodel.formats.dot import dot_losses, to_dot
from changemodel.formats.render import (
    DISPLAY_LIMIT,
    GraphvizNotFoundError,
    LayoutFallbackWarning,
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


# A model whose boxed layout makes Graphviz 2.43 abort (class2.c merge_chain):
# an activity and an assumption that are parts of each other, in one rank.
CRASHING = """\
changemodel: 1
title: Parts both ways
elements:
- {id: b, kind: activity, label: Activity}
- {id: d, kind: output, label: Output}
- {id: e, kind: mechanism, label: Mechanism}
- {id: a, kind: assumption, label: Second assumption}
- {id: c, kind: assumption, label: First assumption}
links:
- {from: a, to: b, relation: part_of}
- {from: b, to: a, relation: part_of}
- {from: c, to: a, relation: moderates}
- {from: c, to: e, relation: moderates}
- {from: d, to: e}
"""


def crashing_dot(tmp_path: Path, *, always: bool = False) -> str:
    """A ``dot`` that aborts, as Graphviz 2.43 does, on any layout with boxes
    (or on every layout)."""
    script = tmp_path / ("dot-always" if always else "dot")
    crash_on = "*" if always else '*"subgraph cluster_"*'
    script.write_text(
        "#!/bin/sh\n"
        "input=$(cat)\n"
        f'case "$input" in {crash_on}) echo "dot: merge_chain: Assertion" >&2;'
        " kill -ABRT $$;; esac\n"
        f'printf "%s" "$input" | exec {find_dot()} "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def test_without_boxes_the_diagram_keeps_its_elements_and_links() -> None:
    from tests.formats._support import parse_dot
    from tests.formats.test_dot import expected_edges

    model = peer_worker()
    boxed, unboxed = to_dot(model), to_dot(model, boxes=False)
    assert "subgraph cluster_column" in boxed and "cluster_" not in unboxed
    nodes, edges, _ = parse_dot(unboxed)
    assert {e.id for e in model.elements} <= set(nodes)
    assert edges == expected_edges(model)


def test_a_graphviz_crash_on_the_boxes_draws_without_them(tmp_path: Path) -> None:
    model = changemodel.loads(CRASHING)
    with pytest.warns(LayoutFallbackWarning, match="drawn without them"):
        svg = render(model, "svg", executable=crashing_dot(tmp_path))
    drawn = {g.get("id") for g in ET.fromstring(svg).iter() if g.get("class") == "node"}
    assert {f"element-{e.id}" for e in model.elements} <= drawn
    # a crash without the boxes is an error: nothing is left to drop
    with pytest.raises(RenderError, match="exit status -6") as caught:
        render(model, "svg", executable=crashing_dot(tmp_path, always=True))
    assert caught.value.returncode == -6 and "Assertion" in caught.value.stderr


def test_the_command_line_says_when_it_drew_without_boxes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from changemodel.cli import cli

    (tmp_path / "m.yaml").write_text(CRASHING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHANGEMODEL_DOT", crashing_dot(tmp_path))
    runner = CliRunner()
    for args in (["render", "m.yaml", "-o", "m.svg", "-q"], ["report", "m.yaml", "-o", "m.html"]):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("warning: Graphviz crashed laying out the column boxes")
        assert "Traceback" not in result.stderr and "LayoutFallbackWarning" not in result.stderr


def test_the_real_graphviz_draws_the_crashing_model() -> None:
    """Whatever the installed Graphviz does with the boxes, a diagram comes out."""
    import warnings

    model = changemodel.loads(CRASHING)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        svg = render(model, "svg")
    assert svg.startswith(b"<?xml")
