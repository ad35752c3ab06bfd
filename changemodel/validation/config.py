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
<input>: fail-on: 'sometimes' is not a severity; expected 'error', 'warning' or 'info'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from changemodel.domain import Settings, keys_of
from changemodel.errors import (
    LoadError,
    Location,
    SettingsError,
    UnknownIdError,
)
from changemodel.model import ChangeModel
from changemodel.validation.defaults import default_registry
from changemodel.validation.findings import Severity
from changemodel.validation.registry import ALWAYS_ON, DEFAULT_PROFILES, Registry, Rule

__all__ = [
    "KEYS",
    "Config",
    "SettingsError",
    "Suppression",
    "find_pyproject",
    "load_pyproject",
]

#: The keys of a settings mapping (each may also be written with "-" for "_").
KEYS: Final = keys_of(Settings)
#: Where the settings sit in ``pyproject.toml``.
PYPROJECT_TABLE: Final = "[tool.changemodel.validation]"


@attrs.frozen
class Suppression:
    """Silence rule *rule* (a code) on *target* (an element or link id, or ``None``
    for findings about the model as a whole), for a stated *reason*."""

    rule: str
    target: str | None
    reason: str
    #: where it is written, for messages: ``file:line:col: validation.suppress[0]``
    where: str | None = attrs.field(default=None, eq=False)
    #: the same, for a :class:`~changemodel.errors.LoadError`
    location: Location | None = attrs.field(default=None, eq=False)
    path: str | None = attrs.field(default=None, eq=False)


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
        where: Callable[[str], Location | None] | None = None,
        allow_suppress: bool = True,
        prefix: str = "",
    ) -> Config:
        """Settings from a plain mapping; every problem is reported in one :class:`SettingsError`.

        The mapping is read as a :class:`~changemodel.domain.Settings` (the same
        reader as a model file's), then the rules and profiles it names are looked
        up in *registry*. *origin* is the file the settings come from; *where*
        maps a key path such as ``suppress[0].rule`` to its place in that file;
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

        def where(path: str) -> Location | None:
            probe = path
            while probe:
                loc = model.locations.get(f"validation:{probe}")
                if loc is not None:
                    return loc
                probe = _parent(probe)
            return model.locations.get("validation")

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


def _format_path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


class _Parser:
    def __init__(
        self,
        registry: Registry,
        origin: str | None,
        where: Callable[[str], Location | None] | None,
        prefix: str = "",
    ) -> None:
        self.prefix = prefix
        self.registry = registry
        self.origin = origin
        self.where = where
        self.errors: list[LoadError] = []

    def place(self, path: str) -> Location | None:
        found = self.where(path) if self.where is not None and path else None
        if found is None and self.origin is not None:
            found = Location(self.origin)
        return found

    def fail(self, path: tuple[str | int, ...], message: str, **kw: Any) -> None:
        text = _format_path(path)
        self.errors.append(
            LoadError(
                message,
                location=self.place(text),
                path=(self.prefix + text) if text else self.prefix.rstrip(". ") or None,
                **kw,
            )
        )

    def config(self, data: object, *, allow_suppress: bool) -> Config:
        from changemodel.converter import describe, structure

        if not isinstance(data, Mapping):
            self.fail((), f"the settings must be a mapping, not {describe(data)}")
            raise SettingsError(self.errors)
        raw = dict(data)
        settings, issues = structure(raw, Settings)
        for issue in issues:
            self.fail(
                issue.path,
                issue.message,
                value=issue.value,
                expected=issue.expected,
                suggestion=issue.suggestion,
            )
        # Names are looked up in every list that could be read, even when another
        # setting is wrong, so that all the problems are reported at once.
        lists: dict[str, Any] = {}
        for key in ("profiles", "select", "ignore", "severity", "suppress"):
            if key in raw:
                one, trouble = structure({key: raw[key]}, Settings)
                if one is not None and not trouble and getattr(one, key) is not None:
                    lists[key] = getattr(one, key)
        fields: dict[str, Any] = {}
        if "profiles" in lists:
            fields["profiles"] = self._profiles(lists["profiles"])
        if "select" in lists:
            fields["select"] = self._select(lists["select"])
        if "ignore" in lists:
            fields["ignore"] = self._ignore(lists["ignore"])
        if "severity" in lists:
            fields["severity"] = self._severity(lists["severity"])
        if lists.get("suppress"):
            if allow_suppress:
                fields["suppress"] = self._suppress(lists["suppress"])
            else:
                self.fail(
                    ("suppress",),
                    "suppressions name elements of one model: write them in the model"
                    " file's 'validation:' section",
                )
        if self.errors:
            raise SettingsError(self.errors)
        assert settings is not None
        return Config(
            profiles=fields.get("profiles"),
            select=fields.get("select", ()),
            ignore=fields.get("ignore", ()),
            severity=fields.get("severity", {}),
            fail_on=settings.fail_on,
            fan_limit=settings.fan_limit,
            options=dict(settings.options),
            suppress=fields.get("suppress", ()),
        )

    def _rule(self, key: str, path: tuple[str | int, ...]) -> Rule | None:
        try:
            return self.registry.resolve(key)
        except UnknownIdError as exc:
            note = ""
            if key in {p.name for p in self.registry.profiles}:
                note = f"; {key!r} is a profile: list it under 'profiles'"
            self.fail(path, f"{exc}{note}", value=key, suggestion=exc.suggestion)
            return None

    def _profiles(self, names: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for i, name in enumerate(names):
            try:
                out.append(self.registry.profile(name).name)
            except UnknownIdError as exc:
                self.fail(("profiles", i), str(exc), value=name)
        return tuple(out)

    def _select(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(
            r.code
            for i, key in enumerate(keys)
            if (r := self._rule(key, ("select", i))) is not None
        )

    def _ignore(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        codes = []
        for i, key in enumerate(keys):
            rule = self._rule(key, ("ignore", i))
            if rule is None:
                continue
            if ALWAYS_ON in rule.profiles:
                self.fail(
                    ("ignore", i),
                    f"{rule.code} {rule.name} is an integrity rule and always runs;"
                    " suppress its finding on the element or link instead",
                )
                continue
            codes.append(rule.code)
        return tuple(codes)

    def _severity(self, levels: Mapping[str, Severity]) -> dict[str, Severity]:
        out = {}
        for key, level in levels.items():
            rule = self._rule(key, ("severity", key))
            if rule is not None:
                out[rule.code] = level
        return out

    def _suppress(self, entries: Iterable[Any]) -> tuple[Suppression, ...]:
        out = []
        for i, entry in enumerate(entries):
            rule = self._rule(entry.rule, ("suppress", i, "rule"))
            if rule is None:
                continue
            path = _format_path(("suppress", i))
            location = self.place(path)
            out.append(
                Suppression(
                    rule.code,
                    entry.target,
                    entry.reason.strip(),
                    where=f"{location or '<settings>'}: {self.prefix}{path}",
                    location=location,
                    path=self.prefix + path,
                )
            )
        return tuple(out)


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
    here = Location(name)
    try:
        raw = Path(name).read_bytes()
    except OSError as exc:
        raise SettingsError(
            [LoadError(f"cannot read the file: {exc.strerror or exc}", location=here)]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        where = Location(name, before.count(b"\n") + 1, exc.start - before.rfind(b"\n"))
        raise SettingsError(
            [
                LoadError(
                    f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                    location=where,
                    expected="UTF-8 text",
                )
            ]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([LoadError(f"not valid TOML: {exc}", location=here)]) from None
    except RecursionError:
        raise SettingsError(
            [LoadError("not valid TOML: nested too deeply to read", location=here)]
        ) from None
    tool = data.get("tool", {})
    section = tool.get("changemodel", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise SettingsError([LoadError("[tool.changemodel] must be a table", location=here)])
    settings = section.get("validation")
    if settings is None:
        return Config()
    return Config.from_data(
        settings,
        registry=registry,
        origin=name,
        where=lambda key: _toml_line(text, name, key),
        allow_suppress=False,
        prefix=PYPROJECT_TABLE + " ",
    )


def _toml_line(text: str, file: str, key: str) -> Location | None:
    """The line of a key of ``[tool.changemodel.validation]`` in TOML text, if plain to see."""
    top = key.split(".")[0].split("[")[0]
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == PYPROJECT_TABLE
            continue
        if inside and stripped.split("=")[0].strip().strip("\"'") == top:
            return Location(file, number, len(line) - len(line.lstrip()) + 1)
    return None
