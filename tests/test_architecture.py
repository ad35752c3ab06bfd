"""The architecture stays visible: each layer imports only the layers below it,
the three middle layers do not know of one another, nothing imports in a
circle, and ``import changemodel`` loads no optional or heavy dependency.

The layers, bottom to top::

    errors, text, _terminal         errors, English text, text made safe to print:
                                    no changemodel import
    domain, _csv                    the elements, links and values; CSV cells (whose
                                    errors are located)
    index, keywords, converter      the graph index the model keeps, the keywords of
                                    the scripting methods, the canonical file's converter
    model                           the graph on the domain objects
    validation | analysis | formats siblings: none imports another
    outputs                         what composes them: report, CMO table, registry
    cli                             the command line
    __main__                        ``python -m changemodel``

``testing`` is test support: it may use the layers up to the siblings, and no
module of the package imports it. The package itself (``changemodel/__init__``)
re-exports the objects of the bottom layers and the canonical file functions.

Every import counts: at the top of a module, inside a function, or under
``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import networkx as nx
import pytest

PACKAGE: Final = Path(__file__).resolve().parent.parent / "changemodel"

#: Layer of each top-level module or package of ``changemodel``, bottom (0) to top.
RANK: Final[dict[str, float]] = {
    "errors": 0,
    "text": 0,
    "_terminal": 0,
    "_csv": 1,
    "domain": 1,
    "index": 2,
    "keywords": 2,
    "converter": 2,
    "model": 3,
    #: the reporting standards read a model; validation and analysis use them
    "standards": 3.5,
    "validation": 4,
    "analysis": 4,
    "formats": 4,
    "outputs": 5,
    "cli": 6,
    "__main__": 7,
}
#: Test support: uses the layers up to the siblings; nothing in the package uses it.
TEST_SUPPORT: Final = "testing"
TEST_SUPPORT_RANK: Final = 4
#: What the package itself (``import changemodel``) may import.
FACADE: Final = frozenset({"errors", "domain", "model", "formats"})


def module_name(path: Path, root: Path) -> str:
    """``changemodel.formats.dot`` for ``<root>/changemodel/formats/dot.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones made absolute;
    ``from a import b`` names ``a.b`` (a module, or a name in ``a``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def top(module: str) -> str | None:
    """The top-level module or package of ``changemodel`` that *module* is in
    (``""`` for the package itself, ``None`` outside it)."""
    parts = module.split(".")
    if parts[0] != "changemodel":
        return None
    return parts[1] if len(parts) > 1 else ""


def _rank(name: str) -> float:
    return TEST_SUPPORT_RANK if name == TEST_SUPPORT else RANK[name]


def forbidden(importer: str, imported: str) -> str | None:
    """Why *importer* may not import *imported* (both dotted names in the package),
    or ``None`` when the layers allow it."""
    mine, theirs = top(importer), top(imported)
    if mine is None or theirs is None or mine == theirs:
        return None
    if theirs == "":
        return "imports the package itself, which loads the formats: import the module"
    if theirs not in RANK and theirs != TEST_SUPPORT:
        # a name the package re-exports (``from changemodel import load``) or a new module
        return f"imports {theirs!r}, which is in no layer"
    if mine == "":
        return None if theirs in FACADE else f"the package imports {theirs!r}, above the facade"
    if theirs == TEST_SUPPORT:
        return "imports the test support"
    if _rank(theirs) > _rank(mine):
        return f"imports a higher layer ({theirs!r})"
    if _rank(theirs) == _rank(mine):
        return f"imports its sibling {theirs!r}"
    return None


def violations(root: Path) -> list[str]:
    """Every import under ``<root>/changemodel`` that the layers forbid, and every
    module that is in no layer."""
    found: list[str] = []
    for path in sorted((root / "changemodel").rglob("*.py")):
        module = module_name(path, root)
        mine = top(module)
        if mine not in RANK and mine not in ("", TEST_SUPPORT):
            found.append(f"{module}: in no layer (add it to RANK in tests/test_architecture.py)")
            continue
        for line, imported in imports(path, module):
            why = forbidden(module, imported)
            if why:
                found.append(f"{path.relative_to(root)}:{line}: {module} {why}: {imported}")
    return found


def import_graph(root: Path) -> nx.DiGraph[str]:
    """Module -> the modules of the package it imports (``from a import b`` counts
    as importing ``a.b`` when that is a module, else ``a``)."""
    modules = {module_name(p, root): p for p in (root / "changemodel").rglob("*.py")}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        for _, imported in imports(path, module):
            target = imported if imported in modules else imported.rpartition(".")[0]
            if target in modules and target != module:
                graph.add_edge(module, target)
    return graph


def circles(root: Path) -> list[list[str]]:
    """The modules that import one another in a circle. A module importing its own
    package (``rules.integrity`` taking ``Catalogue`` from ``rules``) is how Python
    packages are built, not a circle between modules."""
    graph = import_graph(root)
    graph.remove_edges_from([(a, b) for a, b in list(graph.edges) if a.startswith(f"{b}.")])
    return sorted(sorted(c) for c in nx.simple_cycles(graph))


def test_every_import_follows_the_layers() -> None:
    assert violations(PACKAGE.parent) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(PACKAGE.parent) == []


BAD_IMPORTS: Final = [
    ("formats/dot.py", "from changemodel.validation import validate"),
    ("formats/dot.py", "from changemodel.outputs.report import to_html"),
    ("analysis/pathways.py", "from changemodel.formats.dot import to_dot"),
    ("validation/engine.py", "    from changemodel.analysis.pathways import count_pathways"),
    ("model.py", "from changemodel.formats import canonical"),
    ("domain.py", "from changemodel.model import ChangeModel"),
    ("outputs/report.py", "from changemodel.cli import main"),
    ("analysis/plan.py", "from changemodel import load"),
    ("outputs/report.py", "from changemodel.testing.strategies import models"),
    ("formats/kumu.py", "from ..analysis import cmo"),
]


@pytest.mark.parametrize(("where", "line"), BAD_IMPORTS)
def test_a_forbidden_import_is_caught(tmp_path: Path, where: str, line: str) -> None:
    """The check fails on a copy of the package with one bad import added."""
    copy = tmp_path / "changemodel"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert violations(tmp_path) == []
    target = copy / where
    body = "def _bad() -> None:\n" + line + "\n" if line.startswith(" ") else line + "\n"
    target.write_text(target.read_text(encoding="utf-8") + "\n" + body, encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"changemodel/{where}:")


def test_a_module_in_no_layer_is_caught(tmp_path: Path) -> None:
    (tmp_path / "changemodel").mkdir()
    (tmp_path / "changemodel" / "utils.py").write_text("import os\n", encoding="utf-8")
    assert violations(tmp_path) == [
        "changemodel.utils: in no layer (add it to RANK in tests/test_architecture.py)"
    ]


def test_a_circle_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "changemodel" / "validation"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "registry.py").write_text(
        "def f() -> None:\n    from changemodel.validation.rules import x\n", encoding="utf-8"
    )
    (package / "rules.py").write_text(
        "from changemodel.validation.registry import f\n", encoding="utf-8"
    )
    assert circles(tmp_path) == [
        ["changemodel.validation.registry", "changemodel.validation.rules"]
    ]


def test_import_changemodel_is_light() -> None:
    code = (
        "import sys, changemodel; "
        "print(' '.join(m for m in ('yaml', 'pydot', 'click', 'jsonschema', 'hypothesis', 'cattrs',"
        " 'changemodel.formats.canonical', 'changemodel.validation', 'changemodel.analysis',"
        " 'changemodel.outputs', 'numpy', 'scipy', 'pandas', 'pyarrow', 'openpyxl')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def _validate_imports(example: Path, extra: str = "") -> list[str]:
    """Which of networkx and cattrs ``changemodel validate`` on *example* imports,
    with *extra* code run after it."""
    code = (
        "import contextlib, io, sys\n"
        "from changemodel.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['validate', sys.argv[1]])\n"
        "    except SystemExit: pass\n"
        f"{extra}\n"
        "print(' '.join(m for m in ('networkx', 'cattrs') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True
    ).stdout
    return out.split()


def test_validating_a_well_formed_file_imports_neither_networkx_nor_cattrs() -> None:
    """The model's networkx graph is made when something asks a graph question, and
    the cattrs converter when a value needs a detailed message: reading a
    well-formed file and validating it need neither (a third of the start-up)."""
    example = PACKAGE.parent / "examples" / "peer_worker" / "model.yaml"
    assert _validate_imports(example) == []
    # and the check can fail: a graph question, and a file with a bad value, bring them in
    question = "from changemodel import load; m = load(sys.argv[1]); m.links_from('peer_support')"
    assert _validate_imports(example, question) == ["networkx"]
    bad = (
        "from changemodel import loads\n"
        "try: loads('changemodel: 1\\ntitle: 3\\n')\n"
        "except Exception: pass"
    )
    assert _validate_imports(example, bad) == ["cattrs"]


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
