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

import attrs

from changemodel.validation.findings import Severity
from changemodel.validation.registry import PluginWarning, Profile, Registry, RuleCheck

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
    ``house = "house_rules:register"`` in their ``pyproject.toml``).

    A plugin's rules run only in the profiles it registers itself (or when
    selected by code): one that names a profile already registered, such as
    the default ``structure``, is taken out of it, so that installing a
    package never changes what a plain validation runs. A plugin that fails
    to load is left out whole, with a :class:`PluginWarning` naming it; the
    other rules run as before.
    """
    import warnings
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        trial = registry.copy()
        try:
            register = entry.load()
            register(trial)
        except Exception as exc:
            warnings.warn(
                PluginWarning(
                    f"the validation plugin {entry.name!r} ({entry.value}) failed to load"
                    f" and is left out: {type(exc).__name__}: {exc}"
                ),
                stacklevel=2,
            )
            continue
        for code in trial._rules.keys() - registry._rules.keys():
            rule = trial._rules[code]
            borrowed = [p for p in rule.profiles if p in registry._profiles]
            if borrowed:
                trial._rules[code] = attrs.evolve(
                    rule, profiles=tuple(p for p in rule.profiles if p not in borrowed)
                )
                warnings.warn(
                    PluginWarning(
                        f"the validation plugin {entry.name!r}: rule {code} asks to join the"
                        f" profile{'s' if len(borrowed) > 1 else ''} {', '.join(borrowed)};"
                        " a plugin's rules run only in its own profiles or when selected"
                    ),
                    stacklevel=2,
                )
            trial._plugin_rules[code] = entry.name
        trial._plugin_profiles.update(trial._profiles.keys() - registry._profiles.keys())
        trial._sorted = None
        registry.__dict__.update(trial.__dict__)


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
