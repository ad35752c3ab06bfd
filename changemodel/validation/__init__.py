"""Validation: find the gaps in a theory of change.

Rules are small registered functions grouped in profiles: ``integrity`` (always
on), ``structure`` (on by default), ``mrc``, ``realist``, ``evidence`` and
``evaluation``. :func:`iter_findings` yields findings lazily, :func:`validate`
returns a :class:`Report`, and ``validate(..., strict=True)`` raises every
failing finding at once in a :class:`ValidationError`.

>>> from changemodel import load
>>> model = load("examples/peer_worker/model.yaml")
>>> validate(model).summary()
'0 errors, 0 warnings, 0 infos'
>>> sorted(validate(model, profiles=["realist"]).codes)
['CM401', 'CM403', 'CM404']
"""

from __future__ import annotations

from changemodel.validation.config import (
    Config,
    SettingsError,
    Suppression,
    find_pyproject,
    load_pyproject,
)
from changemodel.validation.defaults import default_registry, register_profile, rule
from changemodel.validation.engine import effective_config, iter_findings, validate
from changemodel.validation.facts import Facts
from changemodel.validation.findings import (
    Finding,
    Report,
    Severity,
    Suppressed,
    ValidationError,
)
from changemodel.validation.registry import (
    ALWAYS_ON,
    DEFAULT_PROFILES,
    Problem,
    Profile,
    Registry,
    Rule,
    RuleError,
)

__all__ = [
    "ALWAYS_ON",
    "DEFAULT_PROFILES",
    "Config",
    "Facts",
    "Finding",
    "Problem",
    "Profile",
    "Registry",
    "Report",
    "Rule",
    "RuleError",
    "SettingsError",
    "Severity",
    "Suppressed",
    "Suppression",
    "ValidationError",
    "default_registry",
    "effective_config",
    "find_pyproject",
    "iter_findings",
    "load_pyproject",
    "register_profile",
    "rule",
    "validate",
]
