"""The keyword arguments of the scripting methods, typed.

:meth:`ChangeModel.activity <changemodel.model.ChangeModel.activity>`,
:meth:`~changemodel.model.ChangeModel.link`, ``>>`` and the other scripting
methods take the optional fields of the object they make as keyword
arguments. Each set of keywords is a :class:`~typing.TypedDict` here, so an
editor completes them and mypy checks a script::

    m.mechanism("trust", "Trust", reasonning="...")
    # mypy: Unexpected keyword argument "reasonning" for "mechanism" of "ChangeModel"

At run time the same mistake raises :class:`UnknownKeywordError`, which names
the keyword that was meant. The run-time check reads the attrs fields of the
domain classes, and a test holds these dictionaries to the same fields, so the
two cannot drift apart: a field added to a domain class is added here too.

A script's own helpers can reuse the types:

>>> from typing import Unpack
>>> from changemodel import ChangeModel, ElementRef
>>> def step(m: ChangeModel, id: str, **fields: Unpack[ElementFields]) -> ElementRef:
...     return m.activity(id, id.replace("_", " ").capitalize(), **fields)
>>> m = ChangeModel("Example")
>>> step(m, "peer_support", tags=["core"]).element.tags
('core',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

import attrs

from changemodel.domain import Actor, Evidence, Horizon, Indicator, Sign
from changemodel.errors import ChangeModelError, did_you_mean

__all__ = [
    "ActivityFields",
    "DownstreamOutcomeFields",
    "ElementChanges",
    "ElementFields",
    "LinkFields",
    "LinkNoteFields",
    "MechanismFields",
    "UnknownKeywordError",
    "check_keywords",
]

#: What a list of actors may hold: :class:`Actor` objects, plain names, or mappings.
ActorItems = Iterable[Actor | str | Mapping[str, Any]]
#: What a list of indicators may hold: :class:`Indicator` objects or mappings.
IndicatorItems = Iterable[Indicator | Mapping[str, Any]]
#: What a list of evidence may hold: :class:`Evidence` objects or mappings.
EvidenceItems = Iterable[Evidence | Mapping[str, Any]]


class ElementFields(TypedDict, total=False):
    """The optional fields every element has (:class:`~changemodel.domain.Element`)."""

    description: str | None
    actors: ActorItems
    indicators: IndicatorItems
    evidence: EvidenceItems
    theories: Iterable[str]
    tags: Iterable[str]


class ActivityFields(ElementFields, total=False):
    """The optional fields of an :class:`~changemodel.domain.Activity`: its
    description as TIDieR asks for it."""

    materials: str | None
    procedures: str | None
    provider: str | None
    mode: str | None
    setting: str | None
    dose: str | None
    frequency: str | None
    duration: str | None
    tailoring: str | None
    modifications: str | None


class MechanismFields(ElementFields, total=False):
    """The optional fields of a :class:`~changemodel.domain.Mechanism`."""

    resource: str | None
    reasoning: str | None


class DownstreamOutcomeFields(ElementFields, total=False):
    """The optional fields of a :class:`~changemodel.domain.DownstreamOutcome`."""

    horizon: Horizon | str | None


class ElementChanges(ActivityFields, MechanismFields, DownstreamOutcomeFields, total=False):
    """What :meth:`ChangeModel.update <changemodel.model.ChangeModel.update>` may change:
    the label and any optional field of any kind of element (a field the element's
    kind does not have is refused at run time)."""

    label: str


class LinkNoteFields(TypedDict, total=False):
    """The optional fields any link has, whatever its relation."""

    confidence: float | None
    rationale: str | None
    assumptions: Iterable[str]
    evidence: EvidenceItems
    theories: Iterable[str]


class LinkFields(LinkNoteFields, total=False):
    """The optional fields of a :class:`~changemodel.domain.Link` (``sign`` and
    ``feedback`` only on a causal, ``leads_to`` link)."""

    sign: Sign | str
    feedback: bool


class UnknownKeywordError(ChangeModelError, TypeError):
    """A scripting method was given a keyword argument it does not take.

    A ``TypeError``, as Python's own error for an unexpected keyword is;
    ``keyword`` is the keyword given, ``suggestion`` the closest one it takes
    (or ``None``) and ``allowed`` every keyword it takes.
    """

    def __init__(
        self,
        call: str,
        keyword: str,
        allowed: tuple[str, ...],
        suggestion: str | None,
        *,
        where: str | None = None,
    ) -> None:
        hint = (
            f"did you mean {suggestion!r}?"
            if suggestion
            else "it takes " + ", ".join(repr(a) for a in allowed)
        )
        for_ = f" for {where}" if where else ""
        super().__init__(f"{call}() got an unexpected keyword argument {keyword!r}{for_}; {hint}")
        self.call = call
        self.keyword = keyword
        self.allowed = allowed
        self.suggestion = suggestion


def check_keywords(
    call: str,
    given: Mapping[str, object],
    cls: type,
    *,
    exclude: Iterable[str] = (),
    where: str | None = None,
) -> None:
    """Raise :class:`UnknownKeywordError` for a key of *given* that is not a field
    of the attrs class *cls* (leaving out *exclude*); *where* names the object
    the call is about, if any.

    >>> from changemodel.domain import Mechanism
    >>> check_keywords("mechanism", {"reasonning": "..."}, Mechanism, exclude=("id", "label"))
    Traceback (most recent call last):
    ...
    changemodel.keywords.UnknownKeywordError: mechanism() got an unexpected keyword argument \
'reasonning'; did you mean 'reasoning'?
    """
    names = attrs.fields_dict(cls)
    left_out = set(exclude)
    for key in given:
        if key not in names or key in left_out:
            allowed = tuple(n for n in names if n not in left_out)
            raise UnknownKeywordError(call, key, allowed, did_you_mean(key, allowed), where=where)
