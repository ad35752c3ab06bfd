"""Domain objects: the elements of a change model and the values they carry.

Everything here is a frozen attrs class, validated on construction. Change a
value with :func:`attrs.evolve`. Nothing in this module knows about graphs,
files, rules or the command line.

>>> trust = Mechanism("trust", "Trusting relationships based on shared lived experience")
>>> trust.kind
<Kind.MECHANISM: 'mechanism'>
>>> attrs.evolve(trust, reasoning="I can trust someone who has been there").reasoning
'I can trust someone who has been there'
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Final, TypeAlias, cast

import attrs

from changemodel.errors import InvalidIdError, InvalidValueError
from changemodel.text import did_you_mean_text, join, with_article

__all__ = [
    "CAUSAL_STAGE",
    "ELEMENT_CLASSES",
    "ELEMENT_KEYS",
    "FORMATS",
    "KIND_ONLY",
    "META",
    "PARTS",
    "Activity",
    "Actor",
    "Assumption",
    "Confidence",
    "ConfidenceLevel",
    "Configuration",
    "ConfigurationStatus",
    "Context",
    "DownstreamOutcome",
    "Element",
    "Evidence",
    "EvidenceStatus",
    "FieldInfo",
    "Horizon",
    "Indicator",
    "IndicatorStatus",
    "Input",
    "Kind",
    "Link",
    "Mechanism",
    "ModelHeader",
    "Outcome",
    "Output",
    "Part",
    "ProcessOutcome",
    "Reference",
    "Relation",
    "Settings",
    "Severity",
    "Sign",
    "Strength",
    "SuppressionEntry",
    "Theory",
    "element_class",
    "field_info",
    "file_fields",
    "file_key",
    "keys_of",
    "meta",
    "normalise_id",
    "validate_id",
    "value_kind",
]

#: Ids start with a letter and go on with letters, digits, ``_``, ``-`` and ``.``
#: (the dot separates namespaces in composed models).
ID_PATTERN: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,127}")
ID_RULE: Final = (
    "an id starts with an ASCII letter and goes on with up to 127 letters, digits, '_', '-' or '.'"
)


class Kind(enum.StrEnum):
    """The kinds of element in a change model."""

    INPUT = "input"
    ACTIVITY = "activity"
    OUTPUT = "output"
    MECHANISM = "mechanism"
    CONTEXT = "context"
    PROCESS_OUTCOME = "process_outcome"
    DOWNSTREAM_OUTCOME = "downstream_outcome"
    ASSUMPTION = "assumption"

    @property
    def stage(self) -> int | None:
        """Position along the causal chain (0 = inputs), or ``None`` off the chain."""
        return CAUSAL_STAGE.get(self)

    @property
    def label(self) -> str:
        """A readable name: ``process_outcome`` -> ``process outcome``."""
        return self.value.replace("_", " ")

    @property
    def is_outcome(self) -> bool:
        """True for process and downstream outcomes."""
        return self in (Kind.PROCESS_OUTCOME, Kind.DOWNSTREAM_OUTCOME)


#: The MRC chain, left to right. Contexts and assumptions are off the chain.
CAUSAL_STAGE: Final[dict[Kind, int]] = {
    Kind.INPUT: 0,
    Kind.ACTIVITY: 1,
    Kind.OUTPUT: 2,
    Kind.MECHANISM: 3,
    Kind.PROCESS_OUTCOME: 4,
    Kind.DOWNSTREAM_OUTCOME: 5,
}


class Relation(enum.StrEnum):
    """What a link means."""

    #: causal contribution: the source leads to (increases or reduces) the target
    LEADS_TO = "leads_to"
    #: a context shapes an activity, a mechanism or an outcome
    MODERATES = "moderates"
    #: the source is a sub-component of the target
    PART_OF = "part_of"


class Sign(enum.StrEnum):
    """Direction of a causal contribution."""

    INCREASES = "increases"
    REDUCES = "reduces"

    def __mul__(self, other: Sign) -> Sign:  # type: ignore[override]  # signs multiply
        """Signs multiply along a path: reduces x reduces = increases."""
        return Sign.INCREASES if self is other else Sign.REDUCES


class Horizon(enum.StrEnum):
    """When a downstream outcome is expected."""

    SHORT = "short"
    INTERMEDIATE = "intermediate"
    LONG = "long"
    IMPACT = "impact"


class EvidenceStatus(enum.StrEnum):
    """How a claim is known."""

    #: stated by the source itself (e.g. the paper's results)
    REPORTED = "reported"
    #: explained by a body of theory the source cites
    THEORISED = "theorised"
    #: reconstructed by the model's authors from the cited literature
    INFERRED = "inferred"
    #: proposed for testing, not yet supported
    HYPOTHESISED = "hypothesised"


class Strength(enum.StrEnum):
    """How strongly evidence supports a claim."""

    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"


class IndicatorStatus(enum.StrEnum):
    """Where an indicator stands: proposed for an evaluation, or already collected."""

    #: proposed for the evaluation; no source gives it and no data exist yet
    PROPOSED = "proposed"
    #: collected today (by the programme, a trial or routine data)
    IN_USE = "in use"


class ConfigurationStatus(enum.StrEnum):
    """Where a configuration stands across the iterations of a realist evaluation."""

    #: a candidate put forward for the initial programme theory, not yet adopted
    CANDIDATE = "candidate"
    #: part of the initial programme theory
    INITIAL = "initial"
    #: revised in the light of data (names what it refines)
    REFINED = "refined"
    #: the data support it
    SUPPORTED = "supported"
    #: the data contradict it
    REFUTED = "refuted"
    #: dropped by the team without a test (out of scope, merged into another)
    ABANDONED = "abandoned"

    @property
    def is_active(self) -> bool:
        """False for a refuted or abandoned configuration: it no longer feeds hypotheses."""
        return self not in (ConfigurationStatus.REFUTED, ConfigurationStatus.ABANDONED)


class ConfidenceLevel(enum.StrEnum):
    """The overall GRADE-CERQual level of confidence in a finding (Lewin et al. 2018)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very low"


# ---------------------------------------------------------------- validators


def validate_id(value: object, *, what: str = "id") -> str:
    """Return *value* if it is a valid id, else raise :class:`InvalidIdError`."""
    if not isinstance(value, str):
        raise InvalidIdError(
            f"{what} must be a string, not {type(value).__name__} {value!r}",
            attribute=what,
            value=value,
        )
    if not ID_PATTERN.fullmatch(value):
        raise InvalidIdError(f"invalid {what} {value!r}: {ID_RULE}", attribute=what, value=value)
    return value


def normalise_id(value: str) -> str:
    """The form under which two ids count as the same (case and ``-``/``_`` ignored)."""
    return value.casefold().replace("-", "_")


def _id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    validate_id(value, what=attribute.name)


def _optional_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        validate_id(value, what=attribute.name)


def _ids(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    seen: set[object] = set()
    for item in value:
        validate_id(item, what=f"{attribute.name} entry")
        if item in seen:
            raise InvalidValueError(
                f"{attribute.name} lists {item!r} twice", attribute=attribute.name, value=value
            )
        seen.add(item)


def _text(*, required: bool = False) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and not required:
            return
        if not isinstance(value, str):
            raise InvalidValueError(
                f"{attribute.name} must be text, not {type(value).__name__} {value!r}",
                attribute=attribute.name,
                value=value,
            )
        if required and not value.strip():
            raise InvalidValueError(
                f"{attribute.name} must not be empty", attribute=attribute.name, value=value
            )

    check.text = "required" if required else "optional"  # type: ignore[attr-defined]
    return check


def _whole(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(
            f"{attribute.name} must be a whole number, not {type(value).__name__} {value!r}",
            attribute=attribute.name,
            value=value,
        )


def _instances(cls: type) -> Callable[[object, attrs.Attribute[Any], tuple[object, ...]], None]:
    def check(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        for item in value:
            if not isinstance(item, cls):
                raise InvalidValueError(
                    f"{attribute.name} must hold {cls.__name__} objects,"
                    f" not {type(item).__name__} {item!r}",
                    attribute=attribute.name,
                    value=item,
                )

    return check


def _strings(_: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(
                f"{attribute.name} must hold non-empty text, not {item!r}",
                attribute=attribute.name,
                value=item,
            )


def _enum(cls: type[enum.Enum], *, optional: bool = False) -> Callable[[object], Any]:
    """A converter that accepts the enum or its value, with a readable error."""
    members: dict[object, Any] = {m.value: m for m in cls}
    members.update({m: m for m in cls})

    def convert(value: object) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, str) and value not in members:
            # "very_low" and "very-low" name the same value as "very low"
            spaced = value.replace("_", " ").replace("-", " ")
            if spaced in members:
                return members[spaced]
        try:
            return members[value]
        except (KeyError, TypeError):
            values = [str(m.value) for m in cls]
            what = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__).lower()
            allowed = join([repr(v) for v in values], "or")
            message = f"{value!r} is not {with_article(what)}; expected one of {allowed}"
            hint = did_you_mean_text(value, values) if isinstance(value, str) else None
            if hint is not None:
                message += f"; did you mean {hint!r}?"
            raise InvalidValueError(message, value=value) from None

    return convert


def _tuple(value: object) -> tuple[Any, ...]:
    if type(value) is tuple:
        return value
    if type(value) is list:
        return tuple(value)
    if isinstance(value, str | bytes):
        # A lone string where a list belongs is nearly always a mistake.
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    raise InvalidValueError(f"expected a list, not {type(value).__name__} {value!r}", value=value)


def _items(cls: type) -> Callable[[object], tuple[Any, ...]]:
    """A converter for lists of value objects that also takes mappings (and, for
    actors, plain names), so scripts can write ``actors=["peer worker"]``."""

    def convert(value: object) -> tuple[Any, ...]:
        items = _tuple(value)
        for item in items:
            if type(item) is not cls:
                break
        else:
            return items  # already made (as readers make them)
        out = []
        for item in items:
            if isinstance(item, Mapping):
                try:
                    item = cls(**item)
                except TypeError as exc:
                    raise InvalidValueError(
                        f"cannot make a {cls.__name__} from {dict(item)!r}: {exc}", value=item
                    ) from None
            elif isinstance(item, str) and cls is Actor:
                item = Actor(item)
            out.append(item)
        return tuple(out)

    return convert


def _confidence(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0.0 <= value <= 1.0  # before isfinite, which a huge integer overflows
        or not math.isfinite(value)
    ):
        raise InvalidValueError(
            f"{attribute.name} must be a number between 0 and 1, not {value!r}",
            attribute=attribute.name,
            value=value,
        )


def _to_float(value: object) -> object:
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:  # left for the validator to refuse
            return value
    return value


# Named converters (the attrs mypy plugin needs named functions).
def _to_relation(value: object) -> Relation:
    return cast(Relation, _RELATION(value))


def _to_sign(value: object) -> Sign:
    return cast(Sign, _SIGN(value))


def _to_horizon(value: object) -> Horizon | None:
    return cast("Horizon | None", _HORIZON(value))


def _to_status(value: object) -> EvidenceStatus | None:
    return cast("EvidenceStatus | None", _STATUS(value))


def _to_strength(value: object) -> Strength | None:
    return cast("Strength | None", _STRENGTH(value))


_RELATION: Final = _enum(Relation)
_SIGN: Final = _enum(Sign)
_HORIZON: Final = _enum(Horizon, optional=True)
_STATUS: Final = _enum(EvidenceStatus, optional=True)
_STRENGTH: Final = _enum(Strength, optional=True)


_INDICATOR_STATUS: Final = _enum(IndicatorStatus, optional=True)
_CONFIGURATION_STATUS: Final = _enum(ConfigurationStatus)
_CONFIDENCE_LEVEL: Final = _enum(ConfidenceLevel)


def _to_indicator_status(value: object) -> IndicatorStatus | None:
    return cast("IndicatorStatus | None", _INDICATOR_STATUS(value))


def _to_configuration_status(value: object) -> ConfigurationStatus:
    return cast(ConfigurationStatus, _CONFIGURATION_STATUS(value))


def _to_confidence_level(value: object) -> ConfidenceLevel:
    return cast(ConfidenceLevel, _CONFIDENCE_LEVEL(value))


def _to_confidence(value: object) -> Confidence | None:
    """A :class:`Confidence`, its level alone (``"low"``) or a mapping of its fields."""
    if value is None or isinstance(value, Confidence):
        return value
    if isinstance(value, str | ConfidenceLevel):
        return Confidence(value)
    if isinstance(value, Mapping):
        try:
            return Confidence(**value)
        except TypeError as exc:
            raise InvalidValueError(
                f"cannot make a Confidence from {dict(value)!r}: {exc}", value=value
            ) from None
    raise InvalidValueError(
        "confidence must be a level (high, moderate, low, very low) or a mapping with"
        f" 'level', not {type(value).__name__} {value!r}",
        attribute="confidence",
        value=value,
    )


def _to_actors(value: object) -> tuple[Actor, ...]:
    return _ITEMS[Actor](value)


def _to_indicators(value: object) -> tuple[Indicator, ...]:
    return _ITEMS[Indicator](value)


def _to_evidence(value: object) -> tuple[Evidence, ...]:
    return _ITEMS[Evidence](value)


#: The list converters of the value objects (filled in once the classes exist).
_ITEMS: Final[dict[type, Callable[[object], tuple[Any, ...]]]] = {}


# ------------------------------------------------------------ field metadata

#: The key under which a field's :class:`FieldInfo` sits in its attrs metadata.
META: Final = "changemodel"

#: The formats that carry part of a model, by the names their loss reports use.
#: A field is carried by every one of them unless its metadata says otherwise.
FORMATS: Final = frozenset(
    {
        "graphml",
        "node-link",
        "spreadsheet",
        "links-csv",
        "kumu",
        "dagitty",
        "mermaid",
        "dot",
        "table",
    }
)


@attrs.frozen
class FieldInfo:
    """What a field means and how files hold it: the one place a field is described.

    The canonical reader and writer, the JSON Schema, the loss reports and the
    columns and keys of the interchange formats are all derived from it.
    """

    #: one line for the schema and the docs
    doc: str
    #: the key in files when it differs from the attribute name (``from`` for ``source``)
    key: str | None = None
    #: the formats (of :data:`FORMATS`) that do not carry it
    lost_in: frozenset[str] = frozenset()
    #: written right after the id (and the kind) in files, before a subclass's own fields
    head: bool = False
    #: a list field that files may also give as one lone value (``select: CM201``)
    lone: bool = False
    #: what the value must be, for messages (``"a whole number of at least 1"``)
    expected: str | None = None
    #: the message when a required field is missing
    missing: str | None = None


def meta(
    doc: str,
    *,
    key: str | None = None,
    lost_in: Iterable[str] = (),
    head: bool = False,
    lone: bool = False,
    expected: str | None = None,
    missing: str | None = None,
) -> dict[str, FieldInfo]:
    """The attrs ``metadata`` of a field: ``attrs.field(..., metadata=meta("..."))``."""
    unknown = set(lost_in) - FORMATS
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; known are {sorted(FORMATS)}")
    return {META: FieldInfo(doc, key, frozenset(lost_in), head, lone, expected, missing)}


def field_info(attribute: attrs.Attribute[Any]) -> FieldInfo:
    """The :class:`FieldInfo` of an attrs field (every field of a domain class has one)."""
    info = attribute.metadata.get(META)
    if not isinstance(info, FieldInfo):
        raise TypeError(f"the field {attribute.name!r} has no changemodel metadata")
    return info


def file_key(attribute: attrs.Attribute[Any]) -> str:
    """The key of a field in files."""
    return field_info(attribute).key or attribute.name


def value_kind(attribute: attrs.Attribute[Any]) -> str:
    """What a field holds, as its validator checks it: ``"id"``, ``"ids"``, ``"text"``,
    ``"required text"``, ``"texts"`` (non-empty), ``"fraction"`` (0 to 1),
    ``"objects"`` (a list of value objects), ``"positive"`` (a whole number of at
    least 1) or, when the type says it all, ``"other"``. The JSON Schema is built from it."""
    check = attribute.validator
    check = getattr(check, "validator", check)  # through attrs.validators.optional
    if check is _positive:
        return "positive"
    if check in (_id, _optional_id):
        return "id"
    if check is _ids:
        return "ids"
    if check is _strings:
        return "texts"
    if check is _confidence:
        return "fraction"
    convert: object = attribute.converter
    if convert in (_to_actors, _to_indicators, _to_evidence):
        return "objects"
    if getattr(check, "text", None) is not None:
        return "required text" if getattr(check, "text", None) == "required" else "text"
    return "other"


# ------------------------------------------------------------- value objects

#: The formats that carry none of a model's own fields but its title.
_HEADER_LOST: Final = (
    "kumu",
    "dagitty",
    "mermaid",
    "dot",
    "table",
    "spreadsheet",
    "links-csv",
)


@attrs.frozen
class Reference:
    """A citable source: a paper, a book, a report."""

    id: str = attrs.field(validator=_id, metadata=meta("the reference's id, cited by evidence"))
    citation: str = attrs.field(validator=_text(required=True), metadata=meta("the full citation"))
    doi: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("digital object identifier")
    )
    url: str | None = attrs.field(default=None, validator=_text(), metadata=meta("web address"))


@attrs.frozen
class Theory:
    """A named body of theory that explains a mechanism (e.g. social learning theory)."""

    id: str = attrs.field(validator=_id, metadata=meta("the theory's id"))
    name: str = attrs.field(validator=_text(required=True), metadata=meta("name of the theory"))
    description: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("what the theory says")
    )
    references: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the references that state it"),
    )


@attrs.frozen
class Actor:
    """Who acts or responds: a peer worker, a service user, ward staff."""

    name: str = attrs.field(validator=_text(required=True), metadata=meta("who"))
    role: str | None = attrs.field(default=None, validator=_text(), metadata=meta("their role"))


@attrs.frozen
class Indicator:
    """How an element is measured."""

    name: str = attrs.field(validator=_text(required=True), metadata=meta("what is measured"))
    instrument: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("the instrument, e.g. WEMWBS")
    )
    timepoints: tuple[str, ...] = attrs.field(
        default=(), converter=_tuple, validator=_strings, metadata=meta("when it is measured")
    )
    data_source: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("where the data come from")
    )
    baseline: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("the value at baseline")
    )
    target: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("the value aimed for")
    )
    status: IndicatorStatus | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_indicator_status,
        metadata=meta("proposed for the evaluation, or in use"),
    )


@attrs.frozen
class Evidence:
    """A source supporting an element or a link, with how it is known."""

    reference: str | None = attrs.field(
        default=None, validator=_optional_id, metadata=meta("id of a reference")
    )
    quote: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("a quotation from the source")
    )
    page: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("page or section in the source")
    )
    status: EvidenceStatus | None = attrs.field(
        default=None, converter=_to_status, metadata=meta("how the claim is known")
    )
    strength: Strength | None = attrs.field(
        default=None,
        converter=_to_strength,
        metadata=meta("how strongly the evidence supports the claim"),
    )
    note: str | None = attrs.field(
        default=None, validator=_text(), metadata=meta("a remark on the evidence")
    )

    #: At least one of these must be given.
    one_of: ClassVar[tuple[str, ...]] = ("reference", "quote", "note")

    def __attrs_post_init__(self) -> None:
        if self.reference is None and self.quote is None and self.note is None:
            raise InvalidValueError(
                "evidence needs at least a reference, a quote or a note", attribute="reference"
            )


_ITEMS.update({cls: _items(cls) for cls in (Actor, Indicator, Evidence)})


# ------------------------------------------------------- validation settings


class Severity(enum.Enum):
    """How serious a finding is. Severities compare: ``ERROR > WARNING > INFO``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order of severity: ``info`` < ``warning`` < ``error``."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: object) -> Severity:
        """A severity from itself or its name (``"warning"``), with a readable error."""
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        raise InvalidValueError(
            f"{value!r} is not a severity; expected 'error', 'warning' or 'info'", value=value
        )


_RANK: Final[dict[Severity, int]] = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _positive(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidValueError(
            f"expected a whole number of at least 1, not {value!r}",
            attribute=attribute.name,
            value=value,
        )


def _to_optional_tuple(value: object) -> tuple[Any, ...] | None:
    return None if value is None else _tuple(value)


def _to_severities(value: object) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(f"expected a mapping of rule to severity, not {value!r}")
    return {str(k): Severity.parse(v) for k, v in value.items()}


def _to_severity(value: object) -> Severity | None:
    return None if value is None else Severity.parse(value)


def _to_suppressions(value: object) -> tuple[SuppressionEntry, ...]:
    return _items(SuppressionEntry)(value)


def _options(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidValueError(
            f"expected a mapping of option names to values, not {value!r}",
            attribute=attribute.name,
            value=value,
        )


@attrs.frozen
class SuppressionEntry:
    """A finding to silence: one rule on one element or link, with the reason."""

    rule: str = attrs.field(
        validator=_text(required=True),
        metadata=meta(
            "the rule, by code (CM201) or name (isolated-element)",
            missing="a suppression needs 'rule': the code or name of a rule",
        ),
    )
    target: str | None = attrs.field(
        default=None,
        validator=_text(),
        metadata=meta("an element or link id; none for the model as a whole"),
    )
    reason: str = attrs.field(
        kw_only=True,
        validator=_text(required=True),
        metadata=meta(
            "why this finding does not apply",
            missing="a suppression needs a 'reason': say why this finding does not apply",
        ),
    )


@attrs.frozen
class Settings:
    """Validation settings, as a model file's ``validation:`` section and the
    ``[tool.changemodel.validation]`` table of ``pyproject.toml`` hold them.

    Rules and profiles are named here as written; validation resolves the names
    (:class:`changemodel.validation.Config`). Keys may be written with ``-``
    for ``_`` (``fail-on``).
    """

    #: what an unknown key is called in messages
    key_noun: ClassVar[str] = "setting"
    #: keys may be written with "-" for "_"
    dashes: ClassVar[bool] = True

    profiles: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=_to_optional_tuple,
        validator=attrs.validators.optional(_strings),
        metadata=meta("the profiles to run besides integrity (default: structure)", lone=True),
    )
    select: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_strings,
        metadata=meta("rules to run as well, by code or name", lone=True),
    )
    ignore: tuple[str, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=_strings,
        metadata=meta("rules not to run (integrity rules always run)", lone=True),
    )
    severity: dict[str, Severity] = attrs.field(
        factory=dict,
        converter=_to_severities,
        metadata=meta("rule -> error, warning or info", expected="a mapping of rule to severity"),
    )
    fail_on: Severity | None = attrs.field(
        default=None,
        converter=_to_severity,
        metadata=meta("the lowest severity that makes validation fail (default: error)"),
    )
    fan_limit: int | None = attrs.field(
        default=None,
        validator=_positive,
        metadata=meta(
            "the fan-in and fan-out limit of rule fan-limit (default: 8)",
            expected="a whole number of at least 1",
        ),
    )
    options: dict[str, Any] = attrs.field(
        factory=dict,
        validator=_options,
        metadata=meta(
            "options for third-party rules", expected="a mapping of option names to values"
        ),
    )
    suppress: tuple[SuppressionEntry, ...] = attrs.field(
        default=(),
        converter=_to_suppressions,
        validator=_instances(SuppressionEntry),
        metadata=meta(
            "findings to silence, each on one element or link, with a reason",
            expected="a list of {rule, target, reason}",
        ),
    )


# ------------------------------------------------------------- the model's own


@attrs.frozen
class ModelHeader:
    """The model's own fields, written at the top of a model file."""

    changemodel: int = attrs.field(validator=_whole, metadata=meta("the format version"))
    title: str = attrs.field(
        validator=_text(required=True),
        metadata=meta("the model's title", lost_in=("dagitty", "kumu", "spreadsheet", "links-csv")),
    )
    description: str | None = attrs.field(
        default=None,
        validator=_text(),
        metadata=meta("what the model is about", lost_in=_HEADER_LOST),
    )
    version: str | None = attrs.field(
        default=None,
        validator=_text(),
        metadata=meta("the theory's own version, e.g. '2.1'", lost_in=_HEADER_LOST),
    )
    validation: Settings | None = attrs.field(
        default=None,
        metadata=meta("validation settings for this model", lost_in=_HEADER_LOST),
    )


# ------------------------------------------------------------------ elements

#: Only the model file and the elements sheet carry these (the TIDieR description).
_NOT_CARRIED: Final = tuple(sorted(FORMATS - {"spreadsheet"}))


@attrs.frozen
class Element:
    """An element of the change model.

    This class holds what every element has: use the subclasses
    (:class:`Activity`, ...). A subclass's own fields (a mechanism's
    ``resource``, ...) are written in files right after the fields marked
    ``head`` here.
    """

    kind: ClassVar[Kind]

    id: str = attrs.field(validator=_id, metadata=meta("the element's id", head=True))
    label: str = attrs.field(
        validator=_text(required=True),
        metadata=meta("short text shown in diagrams and tables", head=True),
    )
    description: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("longer explanation", head=True, lost_in=("dagitty", "mermaid", "table")),
    )
    actors: tuple[Actor, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_actors,
        validator=_instances(Actor),
        metadata=meta(
            "who acts or responds", lost_in=("kumu", "dagitty", "mermaid", "dot", "table")
        ),
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_indicators,
        validator=_instances(Indicator),
        metadata=meta("how the element is measured", lost_in=("kumu", "dagitty", "mermaid", "dot")),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_evidence,
        validator=_instances(Evidence),
        metadata=meta(
            "sources that support the element",
            lost_in=("kumu", "dagitty", "mermaid", "dot", "table"),
        ),
    )
    theories: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta(
            "ids of the theories that explain it", lost_in=("dagitty", "mermaid", "dot", "table")
        ),
    )
    tags: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_strings,
        metadata=meta("free labels for grouping", lost_in=("dagitty", "mermaid", "dot", "table")),
    )

    def __attrs_pre_init__(self) -> None:
        if type(self) is Element:
            raise TypeError("Element is abstract: use Activity, Mechanism, ...")


@attrs.frozen
class Input(Element):
    """Resources invested: staff, money, training."""

    kind: ClassVar[Kind] = Kind.INPUT


@attrs.frozen
class Activity(Element):
    """What the intervention does; one of its components.

    The optional fields describe the component as TIDieR asks (Hoffmann et al.
    2014, BMJ 348:g1687): what materials and procedures, who provides it, how,
    where, when and how much, tailoring and modifications.
    """

    kind: ClassVar[Kind] = Kind.ACTIVITY

    materials: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "physical or informational materials used (TIDieR item 3)",
            lost_in=_NOT_CARRIED,
        ),
    )
    procedures: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "the procedures, activities or processes used (TIDieR item 4)",
            lost_in=_NOT_CARRIED,
        ),
    )
    provider: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "who provides it: expertise, background, training given (TIDieR item 5)",
            lost_in=_NOT_CARRIED,
        ),
    )
    mode: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "how it is delivered: face to face, online or by telephone; alone or in a group"
            " (TIDieR item 6)",
            lost_in=_NOT_CARRIED,
        ),
    )
    setting: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "where it happens: the type of location and the infrastructure needed (TIDieR item 7)",
            lost_in=_NOT_CARRIED,
        ),
    )
    dose: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "how much: the number of sessions or contacts, their intensity (TIDieR item 8)",
            lost_in=_NOT_CARRIED,
        ),
    )
    frequency: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "how often: the schedule of sessions (TIDieR item 8)",
            lost_in=_NOT_CARRIED,
        ),
    )
    duration: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "how long: each session and the whole period (TIDieR item 8)",
            lost_in=_NOT_CARRIED,
        ),
    )
    tailoring: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "what is personalised or adapted, why, when and how (TIDieR item 9)",
            lost_in=_NOT_CARRIED,
        ),
    )
    modifications: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "changes made during the study: what, why, when and how (TIDieR item 10)",
            lost_in=_NOT_CARRIED,
        ),
    )


@attrs.frozen
class Output(Element):
    """A direct, countable product of delivery (fidelity, dose, reach, adaptations)."""

    kind: ClassVar[Kind] = Kind.OUTPUT


@attrs.frozen
class Mechanism(Element):
    """How the intervention produces change.

    Realist evaluation splits a mechanism into the *resource* the intervention
    offers and the *reasoning* (response) it triggers; both are optional.
    """

    kind: ClassVar[Kind] = Kind.MECHANISM

    resource: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "what the intervention offers", lost_in=("dagitty", "mermaid", "dot", "table")
        ),
    )
    reasoning: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("the response it triggers", lost_in=("dagitty", "mermaid", "dot", "table")),
    )


@attrs.frozen
class Context(Element):
    """A factor outside the intervention that shapes implementation, mechanisms or outcomes."""

    kind: ClassVar[Kind] = Kind.CONTEXT


@attrs.frozen
class Outcome(Element):
    """What every outcome has. Use :class:`ProcessOutcome` or :class:`DownstreamOutcome`.

    ``intended`` is false for an unintended outcome (a side effect, a harm, an
    unexpected benefit), so that it is data rather than a tag.
    """

    intended: bool = attrs.field(
        default=True,
        kw_only=True,
        metadata=meta(
            "false for an unintended outcome (a side effect, a harm, an unexpected benefit)",
            lost_in=("dagitty", "mermaid", "table"),
        ),
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.intended, bool):
            raise InvalidValueError(
                f"intended must be true or false, not {self.intended!r}",
                attribute="intended",
                value=self.intended,
            )

    def __attrs_pre_init__(self) -> None:
        if type(self) in (Element, Outcome):
            raise TypeError("Outcome is abstract: use ProcessOutcome or DownstreamOutcome")


@attrs.frozen
class ProcessOutcome(Outcome):
    """A proximal change during the intervention, often a mediator."""

    kind: ClassVar[Kind] = Kind.PROCESS_OUTCOME


@attrs.frozen
class DownstreamOutcome(Outcome):
    """A distal change, with the time horizon at which it is expected."""

    kind: ClassVar[Kind] = Kind.DOWNSTREAM_OUTCOME

    horizon: Horizon | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_horizon,
        metadata=meta("when the outcome is expected", lost_in=("dagitty",)),
    )


@attrs.frozen
class Assumption(Element):
    """A belief that must hold for a link to work."""

    kind: ClassVar[Kind] = Kind.ASSUMPTION


ELEMENT_CLASSES: Final[dict[Kind, type[Element]]] = {
    cls.kind: cls
    for cls in (
        Input,
        Activity,
        Output,
        Mechanism,
        Context,
        ProcessOutcome,
        DownstreamOutcome,
        Assumption,
    )
}


def element_class(kind: Kind | str) -> type[Element]:
    """The element class for a kind (``"mechanism"`` -> :class:`Mechanism`)."""
    return ELEMENT_CLASSES[_enum(Kind)(kind)]


# --------------------------------------------------------------------- links

AnyId: TypeAlias = str


@attrs.frozen
class Link:
    """A relation from one element to another.

    A causal link (``leads_to``) has a sign and optionally a confidence; any
    link can carry its rationale, the assumptions that underpin it, evidence and
    theories. ``feedback`` marks a deliberate loop. A self-loop that is not a
    marked feedback is refused.
    """

    source: AnyId = attrs.field(
        validator=_id, metadata=meta("id of the element it starts from", key="from")
    )
    target: AnyId = attrs.field(
        validator=_id, metadata=meta("id of the element it leads to", key="to")
    )
    relation: Relation = attrs.field(
        default=Relation.LEADS_TO,
        kw_only=True,
        converter=_to_relation,
        metadata=meta("what the link means"),
    )
    sign: Sign = attrs.field(
        default=Sign.INCREASES,
        kw_only=True,
        converter=_to_sign,
        metadata=meta("direction of a causal link", lost_in=("dagitty", "table")),
    )
    confidence: float | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_float,
        validator=_confidence,
        metadata=meta(
            "how sure the authors are, from 0 to 1", lost_in=("dagitty", "mermaid", "dot", "table")
        ),
    )
    feedback: bool = attrs.field(
        default=False,
        kw_only=True,
        metadata=meta("a deliberate loop", lost_in=("dagitty", "table")),
    )
    rationale: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta(
            "why the source leads to the target", lost_in=("dagitty", "mermaid", "table")
        ),
    )
    assumptions: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta(
            "ids of the assumptions that underpin it", lost_in=("dagitty", "mermaid", "table")
        ),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_evidence,
        validator=_instances(Evidence),
        metadata=meta(
            "sources that support the link", lost_in=("kumu", "dagitty", "mermaid", "dot", "table")
        ),
    )
    theories: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta(
            "ids of the theories that explain it", lost_in=("dagitty", "mermaid", "dot", "table")
        ),
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.feedback, bool):
            raise InvalidValueError(
                f"feedback must be true or false, not {self.feedback!r}",
                attribute="feedback",
                value=self.feedback,
            )
        if self.relation is not Relation.LEADS_TO:
            if self.sign is not Sign.INCREASES:
                raise InvalidValueError(
                    f"only a leads_to link has a sign; {self.id} is {self.relation}",
                    attribute="sign",
                    value=self.sign,
                )
            if self.feedback:
                raise InvalidValueError(
                    f"only a leads_to link can be a feedback; {self.id} is {self.relation}",
                    attribute="feedback",
                    value=self.feedback,
                )
        if self.source == self.target and not self.feedback:
            raise InvalidValueError(
                f"{self.source!r} links to itself; a self-loop must be marked feedback",
                attribute="target",
                value=self.target,
            )

    @property
    def key(self) -> tuple[str, str, Relation]:
        """What makes a link unique in a model: source, target and relation."""
        return (self.source, self.target, self.relation)

    @property
    def id(self) -> str:
        """A readable, stable id: ``a->b`` for a causal link, ``a-moderates->b`` otherwise."""
        if self.relation is Relation.LEADS_TO:
            return f"{self.source}->{self.target}"
        return f"{self.source}-{self.relation.value}->{self.target}"

    @property
    def is_causal(self) -> bool:
        """True for a ``leads_to`` link."""
        return self.relation is Relation.LEADS_TO


# ------------------------------------------------------------ configurations


@attrs.frozen
class Confidence:
    """Confidence in a finding, graded with GRADE-CERQual (Lewin et al. 2018).

    ``level`` is the overall judgement; the four components may carry a note
    each on how they were judged.

    >>> Confidence("very_low").level
    <ConfidenceLevel.VERY_LOW: 'very low'>
    """

    level: ConfidenceLevel = attrs.field(
        converter=_to_confidence_level,
        metadata=meta("the overall level: high, moderate, low or very low"),
    )
    methodological_limitations: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("how the methodological limitations were judged"),
    )
    coherence: str | None = attrs.field(
        default=None, kw_only=True, validator=_text(), metadata=meta("how coherence was judged")
    )
    adequacy: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("how the adequacy of the data was judged"),
    )
    relevance: str | None = attrs.field(
        default=None, kw_only=True, validator=_text(), metadata=meta("how relevance was judged")
    )

    #: the CERQual components, in the order the approach lists them
    COMPONENTS: ClassVar[tuple[str, ...]] = (
        "methodological_limitations",
        "coherence",
        "adequacy",
        "relevance",
    )


@attrs.frozen
class Configuration:
    """A realist configuration (CMOC; ICAMO with intervention and actors), as a
    statement of its own.

    The parts are element ids of the model: ``intervention`` names activities,
    ``contexts`` contexts, ``mechanisms`` mechanisms (each may carry a resource,
    a reasoning or both, so one mechanism can be offered by one actor and
    reasoned by another) and ``outcomes`` outcomes. Contexts belong to the
    configuration, so the same mechanism can appear under different contexts
    with different outcomes. Any of contexts, mechanisms and outcomes may be
    empty: a partial configuration is legal (validation names what is missing).

    >>> c = Configuration("CMOC1", contexts=["isolated"], mechanisms=["trust"],
    ...                   outcomes=["hope"], status="refined", refines=["CMOC0"])
    >>> c.status, c.is_partial
    (<ConfigurationStatus.REFINED: 'refined'>, False)
    """

    id: str = attrs.field(
        validator=_id, metadata=meta("the configuration's id, as the source numbers it")
    )
    statement: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("the configuration in the source's words"),
    )
    intervention: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the activities of the intervention"),
    )
    contexts: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the contexts in which the mechanism fires, in this configuration"),
    )
    actors: tuple[Actor, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_actors,
        validator=_instances(Actor),
        metadata=meta("who offers the resource and who responds, with their role"),
    )
    mechanisms: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the mechanisms (resource, reasoning or both)"),
    )
    outcomes: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the outcomes"),
    )
    status: ConfigurationStatus = attrs.field(
        default=ConfigurationStatus.INITIAL,
        kw_only=True,
        converter=_to_configuration_status,
        metadata=meta("where it stands across the iterations of the evaluation"),
    )
    refines: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the earlier configurations it revises"),
    )
    confidence: Confidence | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_confidence,
        metadata=meta("confidence in the finding, graded with GRADE-CERQual"),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_evidence,
        validator=_instances(Evidence),
        metadata=meta("sources that support the configuration"),
    )
    tags: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_strings,
        metadata=meta("free labels for grouping"),
    )

    def __attrs_post_init__(self) -> None:
        if self.id in self.refines:
            raise InvalidValueError(
                f"configuration {self.id!r} cannot refine itself",
                attribute="refines",
                value=self.id,
            )

    #: The parts that make a configuration complete, in realist order.
    PARTS: ClassVar[tuple[str, ...]] = ("contexts", "mechanisms", "outcomes")

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts left empty: ``("outcomes",)`` for a context and mechanism without outcome."""
        return tuple(part for part in self.PARTS if not getattr(self, part))

    @property
    def is_partial(self) -> bool:
        """True when a context, a mechanism or an outcome is missing."""
        return bool(self.missing)

    @property
    def element_ids(self) -> tuple[str, ...]:
        """Every element id the configuration names, each once, in part order."""
        ids: dict[str, None] = {}
        for part in ("intervention", "contexts", "mechanisms", "outcomes"):
            ids.update(dict.fromkeys(getattr(self, part)))
        return tuple(ids)

    def contrast_with(self, other: Configuration) -> tuple[str, ...]:
        """The mechanisms this configuration shares with *other* when the two form a
        realist contrast: the same mechanism under different contexts giving
        different outcomes; ``()`` when they do not (or either is partial).

        >>> a = Configuration("C1", contexts=["small"], mechanisms=["trust"], outcomes=["talk"])
        >>> b = Configuration("C2", contexts=["large"], mechanisms=["trust"], outcomes=["quit"])
        >>> a.contrast_with(b), a.contrast_with(a)
        (('trust',), ())
        """
        if self.is_partial or other.is_partial:
            return ()
        shared = tuple(m for m in self.mechanisms if m in other.mechanisms)
        if (
            shared
            and set(self.contexts) != set(other.contexts)
            and set(self.outcomes) != set(other.outcomes)
        ):
            return shared
        return ()


# -------------------------------------------------- the shape of a model file
#
# A model file holds the model's own fields (:class:`ModelHeader`) and the
# lists of :data:`PARTS`; each object is written with the keys of its fields
# in the order below. :mod:`changemodel.converter` reads and writes them.


def _by_id(obj: Any) -> Any:
    return obj.id


_KIND_ORDER: Final = {kind: i for i, kind in enumerate(Kind)}
_RELATION_ORDER: Final = {relation: i for i, relation in enumerate(Relation)}


def _element_order(element: Element) -> Any:
    return (_KIND_ORDER[element.kind], element.id)


def _link_order(link: Link) -> Any:
    return (link.source, link.target, _RELATION_ORDER[link.relation])


def _file_order(_: object) -> Any:
    return 0  # a stable sort keeps the order they were written in


@attrs.frozen
class Part:
    """A list of objects at the top of a model file."""

    #: the key in the file (``references``), also the :class:`ChangeModel` attribute
    #: that lists them
    key: str
    #: the class of its objects
    cls: type
    #: the name of one object in messages and in ``model.locations`` keys
    noun: str
    #: what the list holds, for the schema
    doc: str
    #: the order objects are written in (by id unless said otherwise)
    order: Callable[[Any], Any] = _by_id


#: The lists of objects a model file holds, in the order they are read and written
#: (an object may name those of earlier parts). Links, which name elements, come after them;
#: configurations, which name elements too, last.
PARTS: Final = (
    Part("references", Reference, "reference", "the sources cited"),
    Part("theories", Theory, "theory", "bodies of theory that explain mechanisms"),
    Part("elements", Element, "element", "the elements of the change model", _element_order),
    Part("links", Link, "link", "the links between elements", _link_order),
    Part(
        "configurations",
        Configuration,
        "configuration",
        "realist context-mechanism-outcome configurations, in the source's order",
        _file_order,
    ),
)


_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}
_KEYS: dict[type, tuple[str, ...]] = {}


def file_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of a domain class in file order (``head`` fields first)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _file_fields(cls)
    return known


def _file_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    fields = attrs.fields(cls)
    head = [f for f in fields if field_info(f).head]
    if not head:
        return tuple(fields)
    own = [f for f in fields if f.name not in {a.name for a in attrs.fields(_base(cls))}]
    rest = [f for f in fields if f not in head and f not in own]
    return (*head, *own, *rest)


def _base(cls: type) -> type:
    return Element if issubclass(cls, Element) else cls


def keys_of(cls: type) -> tuple[str, ...]:
    """The keys of a domain object in files, in file order (``kind`` after an element's id)."""
    known = _KEYS.get(cls)
    if known is None:
        keys = [file_key(f) for f in file_fields(cls)]
        if issubclass(cls, Element):
            keys.insert(1, "kind")
        known = _KEYS[cls] = tuple(keys)
    return known


def _element_keys() -> tuple[str, ...]:
    base = keys_of(Element)
    head = 1 + sum(field_info(f).head for f in attrs.fields(Element))  # with the kind
    own = [k for cls in reversed(ELEMENT_CLASSES.values()) for k in keys_of(cls) if k not in base]
    return (*base[:head], *dict.fromkeys(own), *base[head:])


#: Every key an element may have in a file, in file order.
ELEMENT_KEYS: Final = _element_keys()

#: Keys that only some kinds of element have, with those kinds.
KIND_ONLY: Final = {
    key: tuple(kind for kind, cls in ELEMENT_CLASSES.items() if key in keys_of(cls))
    for key in ELEMENT_KEYS
    if key not in keys_of(Element)
}
