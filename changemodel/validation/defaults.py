"""The shared registry: the built-in rules and profiles, and those installed packages add.

:func:`default_registry` is built on first use from the built-in catalogue
(:mod:`changemodel.validation.rules`) and every plugin registered under the
entry point group :data:`ENTRY_POINT_GROUP`; :func:`rule` and
:func:`register_profile` add to it. The registry's types are in
:mod:`changemodel.validation.registry`, which the catalogue builds on, so that
neither of the two imports the other in a circle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Final

from changemodel.errors import ChangeModelError
from changemodel.validation.findings import Severity
from changemodel.validation.registry import Profile, Registry, RuleCheck, RuleError

__all__ = ["ENTRY_POINT_GROUP", "default_registry", "load_plugins", "register_profile", "rule"]

_DEFAULT: Registry | None = None
_LOCK = threading.Lock()


def default_registry() -> Registry:
    """The shared registry with the built-in profiles and rules (loaded on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _LOCK:
            if _DEFAULT is None:
                from changemodel.validation.rules import register_builtins

                registry = Registry()
                register_builtins(registry)
                load_plugins(registry)
                _DEFAULT = registry
    return _DEFAULT


#: The entry point group through which installed packages add rules and profiles.
ENTRY_POINT_GROUP: Final = "changemodel.validation"


def load_plugins(registry: Registry) -> None:
    """Call every function registered under the entry point group
    :data:`ENTRY_POINT_GROUP` with *registry*, so installed packages can add their
    rules and profiles (``[project.entry-points."changemodel.validation"]`` with
    ``house = "house_rules:register"`` in their ``pyproject.toml``)."""
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            register = entry.load()
            register(registry)
        except ChangeModelError:
            raise
        except Exception as exc:
            raise RuleError(
                f"the validation plugin {entry.name!r} ({entry.value}) failed to load:"
                f" {type(exc).__name__}: {exc}"
            ) from exc


def rule(
    code: str,
    name: str,
    *,
    severity: Severity | str = Severity.WARNING,
    profiles: Iterable[str] = (),
    what: str = "",
    why: str = "",
    example: str = "",
    hint: str | None = None,
) -> Callable[[RuleCheck], RuleCheck]:
    """Decorator: register a rule in the :func:`default_registry`."""
    return default_registry().rule(
        code,
        name,
        severity=severity,
        profiles=profiles,
        what=what,
        why=why,
        example=example,
        hint=hint,
    )


def register_profile(name: str, description: str = "") -> Profile:
    """Register a profile in the :func:`default_registry`."""
    return default_registry().add_profile(name, description)
