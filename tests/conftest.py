"""Test configuration shared by the whole suite."""

from __future__ import annotations

# The coverage-guided harness needs atheris (the `fuzz` extra) and is run by
# hand; its module must not be imported while collecting doctests.
collect_ignore = ["fuzz/fuzz_readers.py"]
