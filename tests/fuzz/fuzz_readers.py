"""Coverage-guided fuzzing of every reader, for long runs by hand.

    pip install 'changemodel[fuzz]'
    python tests/fuzz/fuzz_readers.py -atheris_runs=200000        # all readers
    python tests/fuzz/fuzz_readers.py -max_total_time=600 dagitty # one reader

The first bytes of each input choose the reader; the rest is the document. Only
the library's own errors may escape, each with a location; anything else stops
the run with the input that caused it saved by libFuzzer. The text may hold
lone surrogates; what an importer accepts must be exported by every format and
read back equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import atheris

with atheris.instrument_imports():
    from tests.fuzz.targets import (
        IMPORTERS,
        read_and_write_back,
        seed_documents,
    )


def main() -> None:
    chosen = [a for a in sys.argv[1:] if not a.startswith("-")]
    readers = chosen or sorted(IMPORTERS)
    for name in readers:
        if name not in IMPORTERS:
            sys.exit(f"unknown reader {name!r}; readers: {', '.join(sorted(IMPORTERS))}")
    seeds = seed_documents()

    def one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        reader = readers[provider.ConsumeIntInRange(0, len(readers) - 1)]
        if provider.ConsumeBool() and reader in seeds:
            seed = seeds[reader]
            at = provider.ConsumeIntInRange(0, len(seed))
            text = seed[:at] + provider.ConsumeUnicode(16) + seed[at + 8 :]
        else:
            text = provider.ConsumeUnicode(4096)
        read_and_write_back(reader, text)

    argv = [sys.argv[0], *(a for a in sys.argv[1:] if a.startswith("-"))]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
