"""Every reader, fed arbitrary and mutated documents, raises only the library's
own errors, each with a location (bounded in time; the harness
``tests/fuzz/fuzz_readers.py`` runs longer by hand)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemodel.outputs.registry import IMPORTERS
from changemodel.testing.strategies import hostile_text, mutated_documents, yaml_documents
from tests.fuzz.targets import READERS, read, seed_documents

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
