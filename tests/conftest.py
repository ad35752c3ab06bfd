"""Test configuration shared by the whole suite."""

from __future__ import annotations

import os

from hypothesis import settings

# The coverage-guided harness needs atheris (the `fuzz` extra) and is run by
# hand; its module must not be imported while collecting doctests.
collect_ignore = ["fuzz/fuzz_readers.py"]

# In CI the property tests draw the same examples on every run (derived from each
# test), so a run can be reproduced exactly and a green commit stays green; on a
# developer's machine they explore new examples each time and remember failures.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
