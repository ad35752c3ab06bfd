"""What the fuzzers feed: every reader of text, and a seed document for each.

Shared by the Hypothesis properties in ``tests/test_fuzz_readers.py`` (bounded,
part of the test suite) and the coverage-guided harness ``fuzz_readers.py``
(run by hand for as long as you like).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from changemodel import ChangeModel, load
from changemodel.errors import ChangeModelError, LoadError
from changemodel.outputs.registry import EXPORTERS, IMPORTERS, export, import_model

__all__ = [
    "IMPORTERS",
    "JSON_READERS",
    "READERS",
    "SEED_MODEL",
    "read",
    "read_and_write_back",
    "seed_documents",
]

SEED_MODEL = Path(__file__).resolve().parents[2] / "examples" / "peer_worker" / "model.yaml"

#: reader name -> the exporter that writes a valid document for it
READERS: dict[str, str] = {
    name: name for name in IMPORTERS if name in EXPORTERS and name != "cmo-csv"
}
READERS.update({"cmo-csv": "cmo-csv"} if "cmo-csv" in EXPORTERS else {})
READERS.update({"spreadsheet": "elements-csv"} if "elements-csv" in EXPORTERS else {})


#: The importers of JSON documents (fed hostile JSON values too).
JSON_READERS: frozenset[str] = frozenset({"node-link", "kumu"}) & frozenset(READERS)


@cache
def seed_documents() -> dict[str, str]:
    """A valid document per reader, exported from the peer worker example."""
    model = load(SEED_MODEL)
    out: dict[str, str] = {}
    for reader, exporter in READERS.items():
        text, _ = export(model, exporter)
        out[reader] = text
    return out


def read(reader: str, text: str) -> ChangeModel | None:
    """Run one reader on *text*; return the model, or ``None`` after a library error.

    Anything else escaping is a bug, and so is a :class:`LoadError` without a
    location.
    """
    try:
        return import_model(reader, io.StringIO(text))
    except LoadError as exc:
        if exc.location is None:
            raise AssertionError(f"{reader}: a load error without a location: {exc}") from exc
        return None
    except ChangeModelError:
        return None


def read_and_write_back(reader: str, text: str) -> None:
    """Read *text*; when it loads, export it to every format (as UTF-8) and check
    that its canonical file reads back equal."""
    from changemodel.formats.canonical import dumps, loads

    model = read(reader, text)
    if model is None:
        return
    for name in EXPORTERS:
        try:
            written, _ = export(model, name)
        except ChangeModelError:
            continue
        written.encode("utf-8")
    assert loads(dumps(model)) == model
