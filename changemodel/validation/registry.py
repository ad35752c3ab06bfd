"""Rules as data: a registry of small generator functions, and the profiles that group them.

A rule is a function that takes the shared :class:`~changemodel.validation.facts.Facts`
about a model and *yields* :class:`Problem` records. It is registered with its
code, a readable name, a default severity, the profiles it belongs to and its
documentation (what it checks, why it matters, an example model that triggers
it). Third parties register their own rules and profiles the same way, in a
registry of their own or in the shared one
(:func:`~changemodel.validation.defaults.default_registry`):

>>> from changemodel.validation import default_registry
>>> registry = default_registry().copy()
>>> _ = registry.add_profile("house", "Our own house rules")
>>> @registry.rule("HOUSE001", "unlabelled-actor", profiles=("house",),
...                what="Activities name at least one actor.",
...                why="Whoever delivers a component is part of the theory.")
... def unlabelled_actor(facts):
...     for e in facts.model.elements_of("activity"):
...         if not e.actors:
...             yield Problem(f"Activity {e.id!r} names no actor.", element=e.id)
>>> registry.resolve("unlabelled-actor").code
'HOUSE001'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Final

import attrs

from changemodel.errors import ChangeModelError, InvalidValueError, UnknownIdError, did_you_mean
from changemodel.validation.findings import Severity

if TYPE_CHECKING:
    from changemodel.validation.facts import Facts

__all__ = [
    "ALWAYS_ON",
    "DEFAULT_PROFILES",
    "PluginWarning",
    "Problem",
    "Profile",
    "Registry",
    "Rule",
    "RuleCheck",
    "RuleError",
]

#: The profile whose rules always run, whatever else is chosen.
ALWAYS_ON: Final = "integrity"
#: The profiles that run when none is chosen (besides :data:`ALWAYS_ON`).
DEFAULT_PROFILES: Final = ("structure",)

_CODE: Final = re.compile(r"[A-Z][A-Z0-9]{1,15}")
_NAME: Final = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _severity(value: Severity | str) -> Severity:
    return Severity.parse(value)


@attrs.frozen
class Problem:
    """What a rule yields: a message and what it is about.

    The engine turns it into a :class:`~changemodel.validation.findings.Finding`
    by adding the rule's code, name and severity and the location. ``at`` is
    the key of :attr:`ChangeModel.locations <changemodel.model.ChangeModel.locations>`
    to locate it by, when that is not ``"element:<element>"`` or ``"link:<link>"``.
    """

    message: str
    element: str | None = None
    link: str | None = None
    #: the id of a theory or reference the problem is about
    item: str | None = None
    related: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    hint: str | None = None
    at: str | None = None


RuleCheck = Callable[["Facts"], Iterable[Problem]]


class RuleError(ChangeModelError, RuntimeError):
    """A rule failed while it ran (a bug in the rule, not a finding about the model)."""


def _check_code(_: object, __: object, value: str) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise InvalidValueError(
            "a rule code is capital letters then capital letters or digits, such as 'CM201',"
            f" not {value!r}",
            attribute="code",
            value=value,
        )


def _check_name(_: object, __: object, value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise InvalidValueError(
            f"a rule name is lower-case words joined by '-', such as 'isolated-element',"
            f" not {value!r}",
            attribute="name",
            value=value,
        )


@attrs.frozen
class Rule:
    """A registered rule and its documentation.

    ``what`` says what the rule checks, ``why`` why it matters, ``example`` is
    a small model (YAML) that triggers it, ``hint`` how to fix a finding.
    """

    code: str = attrs.field(validator=_check_code)
    name: str = attrs.field(validator=_check_name)
    check: RuleCheck = attrs.field(repr=False)
    severity: Severity = attrs.field(default=Severity.WARNING, converter=_severity)
    profiles: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    what: str = ""
    why: str = ""
    example: str = ""
    hint: str | None = None

    @property
    def summary(self) -> str:
        """The first sentence of :attr:`what`."""
        return self.what.split(". ")[0].rstrip(".") + "." if self.what else self.name


@attrs.frozen
class Profile:
    """A named group of rules (a rule names the profiles it belongs to)."""

    name: str = attrs.field(validator=_check_name)
    description: str = ""


class PluginWarning(UserWarning):
    """A validation plugin could not be loaded, or asked for more than a plugin gets."""


class Registry:
    """Rules and profiles, by code and by name. Copy it to extend it privately."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}
        self._profiles: dict[str, Profile] = {}
        self._sorted: tuple[Rule, ...] | None = None
        #: rule code -> the name of the plugin that added it
        self._plugin_rules: dict[str, str] = {}
        #: the profiles plugins added
        self._plugin_profiles: set[str] = set()

    def copy(self) -> Registry:
        """An independent registry with the same rules and profiles, to extend."""
        new = Registry()
        new._rules = dict(self._rules)
        new._names = dict(self._names)
        new._profiles = dict(self._profiles)
        new._plugin_rules = dict(self._plugin_rules)
        new._plugin_profiles = set(self._plugin_profiles)
        return new

    @property
    def plugin_rules(self) -> dict[str, str]:
        """Each rule an installed plugin added (code -> plugin name)."""
        return dict(self._plugin_rules)

    def without_plugins(self) -> Registry:
        """A copy without the rules and profiles that installed plugins added."""
        new = self.copy()
        for code in self._plugin_rules:
            rule = new._rules.pop(code)
            del new._names[rule.name]
        for name in self._plugin_profiles:
            new._profiles.pop(name, None)
        new._plugin_rules = {}
        new._plugin_profiles = set()
        new._sorted = None
        return new

    # ---------------------------------------------------------------- adding

    def add_profile(self, name: str, description: str = "") -> Profile:
        """Register a profile (again with the same name replaces its description)."""
        profile = Profile(name, description)
        self._profiles[name] = profile
        return profile

    def add(self, rule: Rule) -> Rule:
        """Register a rule; its code and name must be new and its profiles known."""
        if rule.code in self._rules:
            raise InvalidValueError(f"a rule with code {rule.code} is already registered")
        if rule.name in self._names:
            raise InvalidValueError(
                f"a rule named {rule.name!r} is already registered ({self._names[rule.name]})"
            )
        if rule.name in self._profiles or rule.code in self._profiles:
            raise InvalidValueError(f"{rule.name!r} is already the name of a profile")
        for profile in rule.profiles:
            if profile not in self._profiles:
                raise UnknownIdError(
                    f"rule {rule.code} names an unknown profile {profile!r};"
                    " register it first with add_profile()",
                    id=profile,
                    suggestion=did_you_mean(profile, self._profiles),
                )
        self._rules[rule.code] = rule
        self._names[rule.name] = rule.code
        self._sorted = None
        return rule

    def rule(
        self,
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
        """Decorator: register the decorated generator function as a rule."""

        def register(check: RuleCheck) -> RuleCheck:
            self.add(
                Rule(
                    code,
                    name,
                    check,
                    severity=Severity.parse(severity),
                    profiles=_strings(profiles),
                    what=what,
                    why=why,
                    example=example,
                    hint=hint,
                )
            )
            return check

        return register

    # --------------------------------------------------------------- reading

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, by code."""
        if self._sorted is None:
            self._sorted = tuple(self._rules[c] for c in sorted(self._rules, key=_code_key))
        return self._sorted

    @property
    def profiles(self) -> tuple[Profile, ...]:
        """Every profile, in the order they were registered."""
        return tuple(self._profiles.values())

    def profile(self, name: str) -> Profile:
        """The profile with this name; :class:`UnknownIdError` says the closest name if absent."""
        try:
            return self._profiles[name]
        except KeyError:
            raise UnknownIdError(
                f"unknown profile {name!r}; the profiles are {', '.join(self._profiles)}",
                id=name,
                suggestion=did_you_mean(name, self._profiles),
            ) from None

    def in_profile(self, name: str) -> tuple[Rule, ...]:
        """The rules that belong to a profile."""
        self.profile(name)
        return tuple(r for r in self.rules if name in r.profiles)

    def resolve(self, key: str) -> Rule:
        """The rule with this code (any case) or name."""
        if not isinstance(key, str):
            raise UnknownIdError(f"a rule is named by its code or name, not {key!r}", id=str(key))
        rule = self._rules.get(key.upper().strip())
        if rule is None and key.strip() in self._names:
            rule = self._rules[self._names[key.strip()]]
        if rule is None:
            raise UnknownIdError(
                f"unknown rule {key!r}",
                id=key,
                suggestion=did_you_mean(key, [*self._rules, *self._names]),
            )
        return rule

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key.upper() in self._rules or key in self._names)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self._rules)


def _code_key(code: str) -> tuple[str, int, str]:
    match = re.match(r"([A-Z]+)(\d*)(.*)", code)
    assert match is not None
    prefix, digits, rest = match.groups()
    return (prefix, int(digits) if digits else -1, rest)
