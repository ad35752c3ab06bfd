"""The example notebook runs from top to bottom, so it cannot go stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


def test_the_example_notebook_runs(tmp_path: Path) -> None:
    shutil.copy(NOTEBOOK, tmp_path / NOTEBOOK.name)
    notebook = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    # the model draws itself inline, and the data frames show as tables
    svg = [
        out["data"]["image/svg+xml"] for out in outputs if "image/svg+xml" in out.get("data", {})
    ]
    assert svg and "<svg" in svg[0] and "Peer workers support" in svg[0]
    tables = [out["data"]["text/html"] for out in outputs if "text/html" in out.get("data", {})]
    assert any("<table" in t and "self_stigma" in t for t in tables)
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert "B1 balancing" in text and "R1 reinforcing" in text
    assert "changemodel: 1\ntitle: Peer support in mental health services" in text
    assert any(out.get("data", {}).get("text/plain") == "True" for out in outputs)
