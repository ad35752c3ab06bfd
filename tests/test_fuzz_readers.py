"""Every reader, fed arbitrary and mutated documents, raises only the library's
own errors, each with a location (bounded in time; the harness
``tests/fuzz/fuzz_readers.py`` runs longer by hand)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel.outputs.registry import IMPORTERS
from changemodel.testing.strategies import (
    hostile_json_documents,
    hostile_text,
    mutated_documents,
    yaml_documents,
)
from tests.fuzz.targets import (
    JSON_READERS,
    READERS,
    read,
    read_and_write_back,
    seed_documents,
)

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_every_reader_has_a_seed_that_reads_back() -> None:
    seeds = seed_documents()
    assert set(seeds) == set(READERS)
    for reader, text in seeds.items():
        assert read(reader, text) is not None, reader


@pytest.mark.parametrize("reader", sorted(IMPORTERS))
@FUZZ
@given(text=st.one_of(st.text(max_size=300), yaml_documents(), hostile_text(200)))
def test_arbitrary_text(reader: str, text: str) -> None:
    read(reader, text)


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_documents(reader: str, data: st.DataObject) -> None:
    read(reader, data.draw(mutated_documents(seed_documents()[reader])))


@pytest.mark.parametrize("reader", sorted(JSON_READERS))
@FUZZ
@given(data=st.data())
def test_hostile_values_in_json_documents(reader: str, data: st.DataObject) -> None:
    """Lone surrogates, huge numbers, deep nesting and nulls where ids belong:
    refused with a located message, never a crash."""
    read(reader, data.draw(hostile_json_documents(seed_documents()[reader])))


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_whatever_loads_is_written_by_every_exporter_and_reads_back(
    reader: str, data: st.DataObject
) -> None:
    """A model a reader accepts can be exported to every format as UTF-8, and
    its canonical file reads back equal."""
    seed = seed_documents()[reader]
    strategy = hostile_json_documents(seed) if reader in JSON_READERS else mutated_documents(seed)
    read_and_write_back(reader, data.draw(strategy))
