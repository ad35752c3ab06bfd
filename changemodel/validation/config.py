"""Validation settings: from ``pyproject.toml``, from the model file, from arguments.

The same mapping is read in both places: under ``[tool.changemodel.validation]``
in ``pyproject.toml`` and under ``validation:`` in a model file. Keys may be
written with ``_`` or ``-``.

==============  =================================================================
key             meaning
==============  =================================================================
``profiles``    the profiles to run besides ``integrity`` (default: ``[structure]``)
``select``      rules to run as well, by code or name
``ignore``      rules not to run, by code or name (integrity rules cannot be ignored)
``severity``    a mapping rule -> ``error``/``warning``/``info``
``fail_on``     the lowest severity that makes validation fail (default ``error``)
``fan_limit``   the fan-in and fan-out limit of rule ``fan-limit`` (default 8)
``options``     a mapping of further options for third-party rules
``suppress``    (model file only) a list of ``{rule, target, reason}`` entries
==============  =================================================================

A suppression silences one rule on one element or link (``target`` is an
element id or a link id such as ``trust->hope``; without ``target`` it
silences the rule's findings about the model as a whole) and must give a
``reason``.

>>> cfg = Config.from_data({"profiles": ["mrc"], "ignore": ["black-box-link"]})
>>> cfg.profiles, cfg.ignore
(('mrc',), ('CM304',))
>>> try:
...     Config.from_data({"fail-on": "sometimes"})
... except SettingsError as exc:
...     print(exc)
fail_on: 'sometimes' is not a severity; expected 'error', 'warning' or 'info'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from changemodel.errors import (
    ChangeModelError,
    InvalidValueError,
    UnknownIdError,
    did_you_mean,
)
from changemodel.model import ChangeModel
from changemodel.validation.findings import Severity
from changemodel.validation.registry import (
    ALWAYS_ON,
    DEFAULT_PROFILES,
    Registry,
    Rule,
    default_registry,
)

__all__ = [
    "KEYS",
    "Config",
    "SettingsError",
    "Suppression",
    "find_pyproject",
    "load_pyproject",
    "settings_schema",
]

#: The keys of a settings mapping.
KEYS: Final = (
    "profiles",
    "select",
    "ignore",
    "severity",
    "fail_on",
    "fan_limit",
    "options",
    "suppress",
)
_SUPPRESS_KEYS: Final = ("rule", "target", "reason")


class SettingsError(ChangeModelError, ValueError):
    """Validation settings are malformed. ``problems`` lists each, with where it is."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems in the validation settings:\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(message)


@attrs.frozen
class Suppression:
    """Silence rule *rule* (a code) on *target* (an element or link id, or ``None``
    for findings about the model as a whole), for a stated *reason*."""

    rule: str
    target: str | None
    reason: str
    where: str | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Config:
    """Validation settings. ``None`` fields are unset: a later layer or the default applies."""

    profiles: tuple[str, ...] | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = attrs.field(factory=dict, hash=False)
    fail_on: Severity | None = None
    fan_limit: int | None = None
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    suppress: tuple[Suppression, ...] = ()

    # ------------------------------------------------------------- reading

    @classmethod
    def from_data(
        cls,
        data: object,
        *,
        registry: Registry | None = None,
        origin: str | None = None,
        where: Callable[[str], str | None] | None = None,
        allow_suppress: bool = True,
        prefix: str = "",
    ) -> Config:
        """Settings from a plain mapping; every problem is reported in one :class:`SettingsError`.

        *origin* prefixes the messages (a file name); *where* maps a key path such
        as ``suppress[0].rule`` to a more precise place (``file:line:column``);
        *prefix* goes before the key paths in messages.
        """
        return _Parser(registry or default_registry(), origin, where, prefix).config(
            data, allow_suppress=allow_suppress
        )

    @classmethod
    def from_model(cls, model: ChangeModel, *, registry: Registry | None = None) -> Config:
        """The settings written in a model file's ``validation:`` section."""
        if not model.settings:
            return cls()

        def where(path: str) -> str | None:
            loc = model.locations.get(f"validation:{path}.<value>")
            if loc is not None:
                return str(loc)
            probe = path
            while probe:
                loc = model.locations.get(f"validation:{probe}")
                if loc is not None:
                    return str(loc)
                probe = _parent(probe)
            loc = model.locations.get("validation")
            if loc is not None:
                return str(loc)
            return model.source

        return cls.from_data(
            model.settings,
            registry=registry,
            origin=model.source,
            where=where,
            prefix="validation.",
        )

    # ------------------------------------------------------------ combining

    def merged(self, later: Config) -> Config:
        """These settings overridden by *later* (lists of rules and suppressions add up)."""
        later_select, later_ignore = set(later.select), set(later.ignore)
        return Config(
            profiles=later.profiles if later.profiles is not None else self.profiles,
            select=_unique([*(c for c in self.select if c not in later_ignore), *later.select]),
            ignore=_unique([*(c for c in self.ignore if c not in later_select), *later.ignore]),
            severity={**self.severity, **later.severity},
            fail_on=later.fail_on if later.fail_on is not None else self.fail_on,
            fan_limit=later.fan_limit if later.fan_limit is not None else self.fan_limit,
            options={**self.options, **later.options},
            suppress=(*self.suppress, *later.suppress),
        )

    def rules(self, registry: Registry | None = None) -> tuple[Rule, ...]:
        """The rules these settings run, in code order."""
        registry = registry or default_registry()
        profiles = {ALWAYS_ON, *(self.profiles if self.profiles is not None else DEFAULT_PROFILES)}
        for name in profiles - {ALWAYS_ON}:  # a bare registry may lack the integrity profile
            registry.profile(name)
        chosen = {r.code for r in registry.rules if profiles.intersection(r.profiles)}
        chosen.update(registry.resolve(c).code for c in self.select)
        chosen.difference_update(registry.resolve(c).code for c in self.ignore)
        return tuple(r for r in registry.rules if r.code in chosen)

    @property
    def threshold(self) -> Severity:
        """The severity at which validation fails (``fail_on``, by default ``error``)."""
        return self.fail_on if self.fail_on is not None else Severity.ERROR

    @property
    def rule_options(self) -> dict[str, Any]:
        """The options rules read (``fan_limit`` included)."""
        out = dict(self.options)
        if self.fan_limit is not None:
            out["fan_limit"] = self.fan_limit
        return out


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class _Parser:
    def __init__(
        self,
        registry: Registry,
        origin: str | None,
        where: Callable[[str], str | None] | None,
        prefix: str = "",
    ) -> None:
        self.prefix = prefix
        self.registry = registry
        self.origin = origin
        self.where = where
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        place = self.where(path) if self.where else None
        head = place or self.origin
        path = self.prefix + path
        self.problems.append(f"{head}: {path}: {message}" if head else f"{path}: {message}")

    def config(self, data: object, *, allow_suppress: bool) -> Config:
        if not isinstance(data, Mapping):
            self.fail("validation", f"the settings must be a mapping, not {_describe(data)}")
            raise SettingsError(self.problems)
        fields: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = raw_key.replace("-", "_") if isinstance(raw_key, str) else raw_key
            if key not in KEYS:
                hint = did_you_mean(str(key), KEYS)
                self.fail(
                    str(raw_key),
                    f"unknown setting {raw_key!r}; the settings are {', '.join(KEYS)}"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                )
                continue
            parse = getattr(self, f"_{key}")
            if key == "suppress" and not allow_suppress:
                self.fail(
                    str(raw_key),
                    "suppressions name elements of one model: write them in the model"
                    " file's 'validation:' section",
                )
                continue
            result = parse(value, str(raw_key))
            if result is not None:
                fields[key] = result
        if self.problems:
            raise SettingsError(self.problems)
        return Config(**fields)

    def _strings(self, value: object, path: str) -> list[tuple[str, str]] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            self.fail(path, f"expected a list, not {_describe(value)}")
            return None
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}[{i}]", f"expected a rule code or name, not {_describe(item)}")
                continue
            out.append((f"{path}[{i}]", item))
        return out

    def _rule(self, key: str, path: str) -> Rule | None:
        try:
            return self.registry.resolve(key)
        except UnknownIdError as exc:
            note = ""
            if key in {p.name for p in self.registry.profiles}:
                note = f"; {key!r} is a profile: list it under 'profiles'"
            self.fail(path, f"{exc}{note}")
            return None

    def _profiles(self, value: object, path: str) -> tuple[str, ...] | None:
        items = self._strings(value, path)
        if items is None:
            return None
        out = []
        for at, name in items:
            try:
                out.append(self.registry.profile(name).name)
            except UnknownIdError as exc:
                self.fail(at, str(exc))
        return tuple(out)

    def _select(self, value: object, path: str) -> tuple[str, ...] | None:
        items = self._strings(value, path)
        if items is None:
            return None
        return tuple(r.code for at, key in items if (r := self._rule(key, at)) is not None)

    def _ignore(self, value: object, path: str) -> tuple[str, ...] | None:
        codes = []
        for at, key in self._strings(value, path) or ():
            rule = self._rule(key, at)
            if rule is None:
                continue
            if ALWAYS_ON in rule.profiles:
                self.fail(
                    at,
                    f"{rule.code} {rule.name} is an integrity rule and always runs;"
                    " suppress its finding on the element or link instead",
                )
                continue
            codes.append(rule.code)
        return tuple(codes)

    def _severity(self, value: object, path: str) -> dict[str, Severity] | None:
        if not isinstance(value, Mapping):
            self.fail(path, f"expected a mapping of rule to severity, not {_describe(value)}")
            return None
        out = {}
        for key, sev in value.items():
            at = f"{path}.{key}"
            if not isinstance(key, str):
                self.fail(at, f"expected a rule code or name, not {_describe(key)}")
                continue
            rule = self._rule(key, at)
            try:
                parsed = Severity.parse(sev)
            except InvalidValueError as exc:
                self.fail(at, str(exc))
                continue
            if rule is not None:
                out[rule.code] = parsed
        return out

    def _fail_on(self, value: object, path: str) -> Severity | None:
        try:
            return Severity.parse(value)
        except InvalidValueError as exc:
            self.fail(path.replace("-", "_"), str(exc))
            return None

    def _fan_limit(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(path, f"expected a whole number of at least 1, not {_describe(value)}")
            return None
        return value

    def _options(self, value: object, path: str) -> dict[str, Any] | None:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            self.fail(path, f"expected a mapping of option names to values, not {_describe(value)}")
            return None
        return dict(value)

    def _suppress(self, value: object, path: str) -> tuple[Suppression, ...] | None:
        if not isinstance(value, list | tuple):
            self.fail(path, f"expected a list of {{rule, target, reason}}, not {_describe(value)}")
            return None
        out = []
        for i, entry in enumerate(value):
            at = f"{path}[{i}]"
            if not isinstance(entry, Mapping):
                self.fail(
                    at, f"expected a mapping with rule, target and reason, not {_describe(entry)}"
                )
                continue
            ok = True
            for key in entry:
                if key not in _SUPPRESS_KEYS:
                    ok = False
                    hint = did_you_mean(str(key), _SUPPRESS_KEYS)
                    self.fail(
                        f"{at}.{key}",
                        f"unknown key {key!r}; a suppression has rule, target and reason"
                        + (f" (did you mean {hint!r}?)" if hint else ""),
                    )
            rule_key, target, reason = entry.get("rule"), entry.get("target"), entry.get("reason")
            rule = None
            if not isinstance(rule_key, str):
                ok = False
                self.fail(
                    f"{at}.rule" if "rule" in entry else at,
                    "a suppression needs 'rule': the code or name of a rule",
                )
            else:
                rule = self._rule(rule_key, f"{at}.rule")
                ok = ok and rule is not None
            if target is not None and not isinstance(target, str):
                ok = False
                self.fail(
                    f"{at}.target", f"expected an element or link id, not {_describe(target)}"
                )
            if not isinstance(reason, str) or not reason.strip():
                ok = False
                self.fail(
                    f"{at}.reason" if "reason" in entry else at,
                    "a suppression needs a 'reason': say why this finding does not apply",
                )
            if ok and rule is not None and isinstance(reason, str):
                out.append(Suppression(rule.code, target, reason.strip(), where=self._place(at)))
        return tuple(out)

    def _place(self, path: str) -> str:
        place = self.where(path) if self.where else None
        return f"{place or self.origin or '<settings>'}: {self.prefix}{path}"


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    return f"{type(value).__name__} {value!r}"


def settings_schema() -> dict[str, Any]:
    """The JSON Schema of a settings mapping (the model file's ``validation:`` section).

    >>> sorted(settings_schema()["properties"])[:3]
    ['fail-on', 'fail_on', 'fan-limit']
    """
    rule = {
        "type": "string",
        "pattern": r"^\s*([A-Za-z][A-Za-z0-9]{1,15}|[a-z][a-z0-9]*(-[a-z0-9]+)*)\s*$",
        "description": "a rule, by code (CM201) or name (isolated-element)",
    }
    rules = {"oneOf": [rule, {"type": "array", "items": rule}]}
    level = {"enum": ["error", "warning", "info"]}
    limit = {"type": "integer", "minimum": 1, "description": "the fan-in and fan-out limit"}
    threshold = {**level, "description": "the lowest severity that makes validation fail"}
    profile = {"type": "string", "pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"}
    return {
        "type": "object",
        "description": "validation settings: profiles, select, ignore, severity, fail_on,"
        " fan_limit, options and suppressions with their reasons",
        "properties": {
            "profiles": {
                "oneOf": [profile, {"type": "array", "items": profile}],
                "description": "the profiles to run besides integrity (default: structure)",
            },
            "select": {**rules, "description": "rules to run as well"},
            "ignore": {**rules, "description": "rules not to run (not integrity rules)"},
            "severity": {
                "type": "object",
                "additionalProperties": level,
                "description": "rule -> error, warning or info",
            },
            "fail_on": threshold,
            "fail-on": threshold,
            "fan_limit": limit,
            "fan-limit": limit,
            "options": {"type": "object", "description": "options for third-party rules"},
            "suppress": {
                "type": "array",
                "description": "findings to silence, each on one element or link, with a reason",
                "items": {
                    "type": "object",
                    "properties": {
                        "rule": rule,
                        "target": {
                            "type": "string",
                            "description": "an element or link id; none for the whole model",
                        },
                        "reason": {
                            "type": "string",
                            "pattern": r"\S",
                            "description": "why this finding does not apply",
                        },
                    },
                    "required": ["rule", "reason"],
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }


# ------------------------------------------------------------ pyproject.toml


def find_pyproject(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in *start* (default: the working folder) or above."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(path: str | os.PathLike[str], *, registry: Registry | None = None) -> Config:
    """The settings under ``[tool.changemodel.validation]`` of a ``pyproject.toml``
    (empty settings when the table is absent)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise SettingsError([f"{name}: cannot read the file: {exc.strerror or exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"{name}: not valid TOML: {exc}"]) from None
    except RecursionError:
        raise SettingsError([f"{name}: not valid TOML: nested too deeply to read"]) from None
    tool = data.get("tool", {})
    section = tool.get("changemodel", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise SettingsError([f"{name}: [tool.changemodel] must be a table"])
    settings = section.get("validation")
    if settings is None:
        return Config()
    return Config.from_data(
        settings,
        registry=registry,
        origin=f"{name} [tool.changemodel.validation]",
        allow_suppress=False,
    )
