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
    "FORMATS",
    "META",
    "Activity",
    "Actor",
    "Assumption",
    "Context",
    "DownstreamOutcome",
    "Element",
    "Evidence",
    "EvidenceStatus",
    "FieldInfo",
    "Horizon",
    "Indicator",
    "Input",
    "Kind",
    "Link",
    "Mechanism",
    "ModelHeader",
    "Output",
    "ProcessOutcome",
    "Reference",
    "Relation",
    "Sign",
    "Strength",
    "Theory",
    "element_class",
    "field_info",
    "file_key",
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


# ------------------------------------------------------------ field metadata

#: The key under which a field's :class:`FieldInfo` sits in its attrs metadata.
META: Final = "changemodel"

#: The formats that carry part of a model, by the names their loss reports use.
#: A field is carried by every one of them unless its metadata says otherwise.
FORMATS: Final = frozenset(
    {"graphml", "node-link", "spreadsheet", "links-csv", "kumu", "dagitty", "mermaid", "table"}
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


def meta(
    doc: str, *, key: str | None = None, lost_in: Iterable[str] = (), head: bool = False
) -> dict[str, FieldInfo]:
    """The attrs ``metadata`` of a field: ``attrs.field(..., metadata=meta("..."))``."""
    unknown = set(lost_in) - FORMATS
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; known are {sorted(FORMATS)}")
    return {META: FieldInfo(doc, key, frozenset(lost_in), head)}


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
    ``"required text"``, ``"texts"`` (non-empty), ``"fraction"`` (0 to 1), or, when
    the type says it all, ``"other"``. The JSON Schema is built from it."""
    check = attribute.validator
    if check in (_id, _optional_id):
        return "id"
    if check is _ids:
        return "ids"
    if check is _strings:
        return "texts"
    if check is _confidence:
        return "fraction"
    if getattr(check, "text", None) is not None:
        return "required text" if getattr(check, "text", None) == "required" else "text"
    return "other"


# ------------------------------------------------------------- value objects

#: The formats that carry none of a model's own fields but its title.
_HEADER_LOST: Final = ("node-link", "kumu", "dagitty", "mermaid", "table", "spreadsheet")


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


# ------------------------------------------------------------- the model's own


@attrs.frozen
class ModelHeader:
    """The model's own fields, written at the top of a model file."""

    changemodel: int = attrs.field(metadata=meta("the format version"))
    title: str = attrs.field(validator=_text(required=True), metadata=meta("the model's title"))
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
    validation: dict[str, Any] | None = attrs.field(
        default=None,
        metadata=meta("validation settings for this model", lost_in=_HEADER_LOST),
    )


# ------------------------------------------------------------------ elements

#: What the logic-model table shows of an element; every other format carries more.
_TABLE = ("table",)
#: Kept by the formats that hold whole models (GraphML, node-link, the spreadsheet),
#: not by Kumu, dagitty, Mermaid or the table.
_RICH = ("kumu", "dagitty", "mermaid", "table", "links-csv")


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
        metadata=meta("who acts or responds", lost_in=_RICH),
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_indicators,
        validator=_instances(Indicator),
        metadata=meta("how the element is measured", lost_in=("kumu", "dagitty", "mermaid")),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_evidence,
        validator=_instances(Evidence),
        metadata=meta("sources that support the element", lost_in=_RICH),
    )
    theories: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta(
            "ids of the theories that explain it", lost_in=("dagitty", "mermaid", "table")
        ),
    )
    tags: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_strings,
        metadata=meta("free labels for grouping", lost_in=("dagitty", "mermaid", "table")),
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

    resource: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("what the intervention offers", lost_in=("dagitty", "mermaid", "table")),
    )
    reasoning: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("the response it triggers", lost_in=("dagitty", "mermaid", "table")),
    )


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

    horizon: Horizon | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_horizon,
        metadata=meta("when the outcome is expected", lost_in=("dagitty", "mermaid")),
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
        metadata=meta("direction of a causal link", lost_in=("mermaid", "table")),
    )
    confidence: float | None = attrs.field(
        default=None,
        kw_only=True,
        converter=_to_float,
        validator=_confidence,
        metadata=meta("how sure the authors are, from 0 to 1", lost_in=("dagitty", "mermaid")),
    )
    feedback: bool = attrs.field(
        default=False,
        kw_only=True,
        metadata=meta("a deliberate loop", lost_in=("dagitty", "mermaid")),
    )
    rationale: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_text(),
        metadata=meta("why the source leads to the target", lost_in=("dagitty", "mermaid")),
    )
    assumptions: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the assumptions that underpin it", lost_in=("dagitty", "mermaid")),
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_to_evidence,
        validator=_instances(Evidence),
        metadata=meta("sources that support the link", lost_in=("kumu", "dagitty", "mermaid")),
    )
    theories: tuple[str, ...] = attrs.field(
        default=(),
        kw_only=True,
        converter=_tuple,
        validator=_ids,
        metadata=meta("ids of the theories that explain it", lost_in=("dagitty", "mermaid")),
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
