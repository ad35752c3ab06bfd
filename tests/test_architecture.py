"""The architecture stays visible: nothing low imports anything high, and
``import changemodel`` loads no optional or heavy dependency."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "changemodel"

#: bottom to top; ``testing`` is test support and may use anything below formats
LAYERS = {
    "errors": 0,
    "text": 0,
    "domain": 0,
    "keywords": 0,
    "model": 1,
    "testing": 1,
    "validation": 2,
    "analysis": 3,
    "formats": 4,
    "cli": 5,
}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "changemodel" or len(parts) < 2:
        return None
    return LAYERS.get(parts[1])


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    mine = _layer(module)
    if mine is None or module.startswith("changemodel.testing"):
        return
    higher = sorted(m for m in _imports(path) if (_layer(m) or 0) > mine)
    assert not higher, f"{module} (layer {mine}) imports {higher}"


def test_import_changemodel_is_light() -> None:
    code = (
        "import sys, changemodel; "
        "print(' '.join(m for m in ('yaml', 'pydot', 'click', 'jsonschema', 'hypothesis', 'cattrs',"
        " 'changemodel.formats.canonical', 'changemodel.validation', 'changemodel.analysis',"
        " 'numpy', 'scipy', 'pandas', 'pyarrow', 'openpyxl')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


#: Imported only by ``changemodel test`` (the statistics and the data readers).
HEAVY = ("numpy", "scipy", "pandas", "pyarrow", "openpyxl")


def test_no_command_but_test_loads_the_statistics_at_start_up() -> None:
    """Every command module (and the modules of the local tests themselves) imports
    without numpy, scipy or the data readers; so does a whole ``implications`` run."""
    example = PACKAGE.parent / "examples" / "peer_worker" / "model.yaml"
    code = (
        "import importlib, sys, io, contextlib\n"
        "from changemodel.cli import COMMANDS, main\n"
        "for module, _ in COMMANDS.values(): importlib.import_module(module)\n"
        "importlib.import_module('changemodel.analysis.local_tests')\n"
        "importlib.import_module('changemodel.formats.data')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['implications', sys.argv[1]])\n"
        "    except SystemExit: pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
    # and the check can fail: the test command does load them
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            code.replace(
                "'implications', sys.argv[1]",
                "'test', sys.argv[1], sys.argv[1].replace('model.yaml', 'monitoring.csv')",
            ),
            str(example),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "numpy" in loaded.split() and "scipy" in loaded.split()


def test_a_model_shows_as_a_diagram_in_notebooks_after_import_changemodel() -> None:
    code = (
        "import changemodel; m = changemodel.ChangeModel('x'); m.activity('a', 'A'); "
        "print(type(m._repr_svg_()).__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "str"
