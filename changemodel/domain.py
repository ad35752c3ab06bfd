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

__all__ = [
    "CAUSAL_STAGE",
    "ELEMENT_CLASSES",
    "Activity",
    "Actor",
    "Assumption",
    "Context",
    "DownstreamOutcome",
    "Element",
    "Evidence",
    "EvidenceStatus",
    "Horizon",
    "Indicator",
    "Input",
    "Kind",
    "Link",
    "Mechanism",
    "Output",
    "ProcessOutcome",
    "Reference",
    "Relation",
    "Sign",
    "Strength",
    "Theory",
    "element_class",
    "normalise_id",
    "validate_id",
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

    return check


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

    def convert(value: object) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(m.value) for m in cls)
            raise InvalidValueError(
                f"{value!r} is not a {cls.__name__.lower()}; expected one of {allowed}",
                value=value,
            ) from None

    return convert


def _tuple(value: object) -> tuple[Any, ...]:
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
        out = []
        for item in _tuple(value):
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
        or not math.isfinite(value)
        or not 0.0 <= value <= 1.0
    ):
        raise InvalidValueError(
            f"{attribute.name} must be a number between 0 and 1, not {value!r}",
            attribute=attribute.name,
            value=value,
        )


def _to_float(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


# Named converters (the attrs mypy plugin needs named functions).
def _to_relation(value: object) -> Relation:
    return cast(Relation, _enum(Relation)(value))


def _to_sign(value: object) -> Sign:
    return cast(Sign, _enum(Sign)(value))


def _to_horizon(value: object) -> Horizon | None:
    return cast("Horizon | None", _enum(Horizon, optional=True)(value))


def _to_status(value: object) -> EvidenceStatus | None:
    return cast("EvidenceStatus | None", _enum(EvidenceStatus, optional=True)(value))


def _to_strength(value: object) -> Strength | None:
    return cast("Strength | None", _enum(Strength, optional=True)(value))


def _to_actors(value: object) -> tuple[Actor, ...]:
    return _items(Actor)(value)


def _to_indicators(value: object) -> tuple[Indicator, ...]:
    return _items(Indicator)(value)


def _to_evidence(value: object) -> tuple[Evidence, ...]:
    return _items(Evidence)(value)


# ------------------------------------------------------------- value objects


@attrs.frozen
class Reference:
    """A citable source: a paper, a book, a report."""

    id: str = attrs.field(validator=_id)
    citation: str = attrs.field(validator=_text(required=True))
    doi: str | None = attrs.field(default=None, validator=_text())
    url: str | None = attrs.field(default=None, validator=_text())


@attrs.frozen
class Theory:
    """A named body of theory that explains a mechanism (e.g. social learning theory)."""

    id: str = attrs.field(validator=_id)
    name: str = attrs.field(validator=_text(required=True))
    description: str | None = attrs.field(default=None, validator=_text())
    references: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_ids)


@attrs.frozen
class Actor:
    """Who acts or responds: a peer worker, a service user, ward staff."""

    name: str = attrs.field(validator=_text(required=True))
    role: str | None = attrs.field(default=None, validator=_text())


@attrs.frozen
class Indicator:
    """How an element is measured."""

    name: str = attrs.field(validator=_text(required=True))
    instrument: str | None = attrs.field(default=None, validator=_text())
    timepoints: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_strings)
    data_source: str | None = attrs.field(default=None, validator=_text())
    baseline: str | None = attrs.field(default=None, validator=_text())
    target: str | None = attrs.field(default=None, validator=_text())


@attrs.frozen
class Evidence:
    """A source supporting an element or a link, with how it is known."""

    reference: str | None = attrs.field(default=None, validator=_optional_id)
    quote: str | None = attrs.field(default=None, validator=_text())
    page: str | None = attrs.field(default=None, validator=_text())
    status: EvidenceStatus | None = attrs.field(default=None, converter=_to_status)
    strength: Strength | None = attrs.field(default=None, converter=_to_strength)
    note: str | None = attrs.field(default=None, validator=_text())

    def __attrs_post_init__(self) -> None:
        if self.reference is None and self.quote is None and self.note is None:
            raise InvalidValueError(
                "evidence needs at least a reference, a quote or a note", attribute="reference"
            )


# ------------------------------------------------------------------ elements


@attrs.frozen
class Element:
    """What every element has. Use the subclasses: :class:`Activity`, ..."""

    kind: ClassVar[Kind]

    id: str = attrs.field(validator=_id)
    label: str = attrs.field(validator=_text(required=True))
    description: str | None = attrs.field(default=None, kw_only=True, validator=_text())
    actors: tuple[Actor, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_actors, validator=_instances(Actor)
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_indicators, validator=_instances(Indicator)
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_evidence, validator=_instances(Evidence)
    )
    theories: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_tuple, validator=_ids
    )
    tags: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_tuple, validator=_strings
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
    """What the intervention does; one of its components."""

    kind: ClassVar[Kind] = Kind.ACTIVITY


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

    resource: str | None = attrs.field(default=None, kw_only=True, validator=_text())
    reasoning: str | None = attrs.field(default=None, kw_only=True, validator=_text())


@attrs.frozen
class Context(Element):
    """A factor outside the intervention that shapes implementation, mechanisms or outcomes."""

    kind: ClassVar[Kind] = Kind.CONTEXT


@attrs.frozen
class ProcessOutcome(Element):
    """A proximal change during the intervention, often a mediator."""

    kind: ClassVar[Kind] = Kind.PROCESS_OUTCOME


@attrs.frozen
class DownstreamOutcome(Element):
    """A distal change, with the time horizon at which it is expected."""

    kind: ClassVar[Kind] = Kind.DOWNSTREAM_OUTCOME

    horizon: Horizon | None = attrs.field(default=None, kw_only=True, converter=_to_horizon)


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

    source: AnyId = attrs.field(validator=_id)
    target: AnyId = attrs.field(validator=_id)
    relation: Relation = attrs.field(
        default=Relation.LEADS_TO, kw_only=True, converter=_to_relation
    )
    sign: Sign = attrs.field(default=Sign.INCREASES, kw_only=True, converter=_to_sign)
    confidence: float | None = attrs.field(
        default=None, kw_only=True, converter=_to_float, validator=_confidence
    )
    feedback: bool = attrs.field(default=False, kw_only=True)
    rationale: str | None = attrs.field(default=None, kw_only=True, validator=_text())
    assumptions: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_tuple, validator=_ids
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), kw_only=True, converter=_to_evidence, validator=_instances(Evidence)
    )
    theories: tuple[str, ...] = attrs.field(
        default=(), kw_only=True, converter=_tuple, validator=_ids
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
