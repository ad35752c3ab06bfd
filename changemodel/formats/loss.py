"""Loss reports: what a conversion into a poorer format could not carry.

Every writer in :mod:`changemodel.formats` returns a :class:`LossReport`, and
every format module has a ``*_losses(model)`` function that computes the same
report without writing anything. A report lists :class:`Loss` records, each
naming a *subject* (``"model"``, ``"element:<id>"``, ``"link:<link id>"``,
``"reference:<id>"``, ``"theory:<id>"``, ``"configuration:<id>"``, the keys of
:attr:`ChangeModel.locations <changemodel.model.ChangeModel.locations>`) and a
*field* of it (``"evidence"``, ``"sign"``, ...), or ``"*"`` when the whole
subject is dropped. Fields that hold their default value are never reported:
there is nothing to lose.

:func:`round_trip_losses` compares a model with the model read back from a
conversion and names the same (subject, field) pairs, so a test can check that
a report tells exactly what a round trip loses.

>>> from changemodel import ChangeModel, Evidence
>>> m = ChangeModel("Tiny")
>>> do = m.activity("a", "Do", evidence=[Evidence(note="piloted")])
>>> _ = do >> m.process_outcome("o", "Change")
>>> report = LossReport.compute(
...     "example", m, model_fields={"title"}, element_fields={"kind", "label"}
... )
>>> print(report)
example: 1 item not carried
  element:a: evidence (1 entry)
>>> restored = ChangeModel("Tiny")
>>> _ = restored.activity("a", "Do") >> restored.process_outcome("o", "Change")
>>> round_trip_losses(m, restored) == report.keys()
True
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, Final, TypedDict

import attrs

from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    FORMATS,
    Configuration,
    ConfigurationStatus,
    Element,
    Link,
    ModelHeader,
    field_info,
    file_fields,
    file_key,
    keys_of,
)
from changemodel.model import ChangeModel

__all__ = [
    "CONFIGURATION_FIELDS",
    "ELEMENT_FIELDS",
    "LINK_FIELDS",
    "MODEL_FIELDS",
    "Carried",
    "Loss",
    "LossReport",
    "carried",
    "empty_texts",
    "facts",
    "round_trip_losses",
    "texts_in",
]

#: The fields of an element that a format may or may not carry (``id`` names it).
ELEMENT_FIELDS: Final = ELEMENT_KEYS[1:]
#: The fields of a link that a format may or may not carry (source, target and
#: relation name it; a changed relation is reported as the field ``relation``).
LINK_FIELDS: Final = tuple(k for k in keys_of(Link) if k not in ("from", "to", "relation"))
#: The fields of a configuration that a format may or may not carry (``id`` names it).
CONFIGURATION_FIELDS: Final = tuple(f.name for f in file_fields(Configuration))[1:]
#: The model's own fields; ``validation`` is :attr:`ChangeModel.settings`.
MODEL_FIELDS: Final = keys_of(ModelHeader)[1:]


class Carried(TypedDict):
    """What a format carries of the model, its elements and its links."""

    model_fields: frozenset[str]
    element_fields: frozenset[str]
    link_fields: frozenset[str]


def carried(format: str) -> Carried:
    """The model, element and link fields *format* carries, as the domain classes'
    field metadata says (each field lists the formats that lose it), ready to pass
    to :meth:`LossReport.compute`.

    >>> sorted(carried("mermaid")["link_fields"])
    ['feedback', 'sign']
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; known are {', '.join(sorted(FORMATS))}")

    def keep(cls: type, keys: tuple[str, ...]) -> frozenset[str]:
        lost = {
            file_key(f)
            for c in ((cls,) if cls is not Element else ELEMENT_CLASSES.values())
            for f in file_fields(c)
            if format in field_info(f).lost_in
        }
        return frozenset(k for k in keys if k not in lost)

    return Carried(
        model_fields=keep(ModelHeader, MODEL_FIELDS),
        element_fields=keep(Element, ELEMENT_FIELDS),
        link_fields=keep(Link, LINK_FIELDS),
    )


Key = tuple[str, str]


@attrs.frozen(order=True)
class Loss:
    """One thing a conversion could not carry."""

    #: ``"model"``, ``"element:<id>"``, ``"link:<link id>"``, ``"reference:<id>"``, ...
    subject: str
    #: the field not carried, or ``"*"`` for the whole subject
    field: str
    #: a short human description of what was there
    detail: str = attrs.field(default="", order=False)

    @property
    def key(self) -> Key:
        """``(subject, field)``: what was lost, without the explanation."""
        return (self.subject, self.field)

    def __str__(self) -> str:
        what = "dropped" if self.field == "*" else self.field
        return f"{self.subject}: {what}" + (f" ({self.detail})" if self.detail else "")


@attrs.frozen
class LossReport:
    """What a conversion into *format* could not carry (empty: nothing lost)."""

    format: str
    losses: tuple[Loss, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.losses)

    def __len__(self) -> int:
        return len(self.losses)

    def __iter__(self) -> Iterator[Loss]:
        return iter(self.losses)

    def __contains__(self, key: object) -> bool:
        """``("element:a", "evidence") in report``: was this field of this subject lost?"""
        return any(loss.key == key for loss in self.losses)

    def keys(self) -> set[Key]:
        """The (subject, field) pairs lost, to compare with :func:`round_trip_losses`."""
        return {loss.key for loss in self.losses}

    def fields(self) -> dict[str, int]:
        """How many subjects lost each field (``"*"``: whole subjects dropped)."""
        counts: dict[str, int] = {}
        for loss in self.losses:
            counts[loss.field] = counts.get(loss.field, 0) + 1
        return dict(sorted(counts.items()))

    def __str__(self) -> str:
        if not self.losses:
            return f"{self.format}: nothing lost"
        n = len(self.losses)
        lines = [f"{self.format}: {n} item{'s' if n != 1 else ''} not carried"]
        lines.extend(f"  {loss}" for loss in self.losses)
        return "\n".join(lines)

    def summary(self, *, limit: int = 4) -> str:
        """One line per field lost, naming up to *limit* subjects.

        >>> lost = [Loss("element:a", "evidence"), Loss("element:b", "evidence")]
        >>> report = LossReport("demo", (*lost, Loss("reference:r", "*")))
        >>> print(report.summary())
        demo: 3 items not carried
          dropped: reference:r
          evidence: element:a, element:b
        """
        if not self.losses:
            return f"{self.format}: nothing lost"
        by_field: dict[str, list[str]] = {}
        for loss in self.losses:
            by_field.setdefault(loss.field, []).append(loss.subject)
        n = len(self.losses)
        lines = [f"{self.format}: {n} item{'s' if n != 1 else ''} not carried"]
        for field in sorted(by_field, key=lambda f: (f != "*", f)):
            subjects = by_field[field]
            shown = ", ".join(subjects[:limit])
            more = f" and {len(subjects) - limit} more" if len(subjects) > limit else ""
            lines.append(f"  {'dropped' if field == '*' else field}: {shown}{more}")
        return "\n".join(lines)

    def merge(self, other: LossReport) -> LossReport:
        """Both reports' losses, once each, under this report's format name."""
        seen = {loss.key: loss for loss in self.losses}
        for loss in other.losses:
            seen.setdefault(loss.key, loss)
        return LossReport(self.format, tuple(sorted(seen.values())))

    @classmethod
    def compute(
        cls,
        format: str,
        model: ChangeModel,
        *,
        model_fields: Collection[str] = (),
        element_fields: Collection[str] = (),
        link_fields: Collection[str] = (),
        references: bool = False,
        theories: bool = False,
        configurations: bool = False,
        keep_element: Callable[[Element], bool] | None = None,
        keep_link: Callable[[Link], bool] | None = None,
        relation_kept: Callable[[Link], bool] | None = None,
        text_ok: Callable[[str], bool] | None = None,
        extra: Iterable[Loss] = (),
    ) -> LossReport:
        """The report for a format that carries the named fields.

        ``keep_element`` and ``keep_link`` say which subjects the format keeps
        at all (a link is also dropped with either of its ends);
        ``relation_kept`` is false for links the format keeps under another
        relation. ``extra`` adds losses particular to the format (a value the
        format cannot spell, say). ``text_ok`` is false for text the format
        cannot hold as it is (control characters in XML, say): a carried
        field holding such text is reported as lost.
        """
        found: dict[Key, Loss] = {}

        def add(loss: Loss) -> None:
            found.setdefault(loss.key, loss)

        def check_text(subject: str, field: str, value: Any) -> None:
            if text_ok is not None and not all(text_ok(t) for t in texts_in(value)):
                add(Loss(subject, field, "text with characters the format cannot hold"))

        dropped: set[str] = set()
        for (subject, field), value in facts(model).items():
            kind, _, name = subject.partition(":")
            if kind == "model":
                if field not in model_fields:
                    add(Loss(subject, field, _describe(value)))
                else:
                    check_text(subject, field, value)
            elif kind in ("reference", "theory", "configuration"):
                carried = {
                    "reference": references,
                    "theory": theories,
                    "configuration": configurations,
                }[kind]
                if not carried:
                    add(Loss(subject, "*", kind))
                else:
                    check_text(subject, field, value)
            elif kind == "element":
                element = model[name]
                if keep_element is not None and not keep_element(element):
                    dropped.add(name)
                    add(Loss(subject, "*", element.kind.label))
                elif field != "*" and field not in element_fields:
                    add(Loss(subject, field, _describe(value)))
                elif field != "*":
                    check_text(subject, field, value)
        for link in model.links:
            subject = f"link:{link.id}"
            if (
                link.source in dropped
                or link.target in dropped
                or (keep_link is not None and not keep_link(link))
            ):
                add(Loss(subject, "*", link.relation.value))
                continue
            if relation_kept is not None and not relation_kept(link):
                add(Loss(subject, "relation", link.relation.value))
                continue
            for field in LINK_FIELDS:
                value = _link_value(link, field)
                if value is not None and field not in link_fields:
                    add(Loss(subject, field, _describe(value)))
                elif value is not None:
                    check_text(subject, field, value)
        for loss in extra:
            add(loss)
        return cls(format, tuple(sorted(found.values())))


def empty_texts(model: ChangeModel) -> Iterator[Loss]:
    """A loss for each optional text field that holds ``""``, for formats (CSV
    cells, Kumu fields) where an empty value means "not given"."""
    for e in model.elements:
        for field in ("description", "resource", "reasoning"):
            if getattr(e, field, None) == "":
                yield Loss(f"element:{e.id}", field, "empty text, read back as not given")
    for lk in model.links:
        if lk.rationale == "":
            yield Loss(f"link:{lk.id}", "rationale", "empty text, read back as not given")
    if model.description == "":
        yield Loss("model", "description", "empty text, read back as not given")


def texts_in(value: Any) -> Iterator[str]:
    """Every piece of text inside a value (attrs objects, tuples, lists, mappings)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from texts_in(item)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts_in(k)
            yield from texts_in(v)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from texts_in(getattr(value, field.name))


def _describe(value: Any) -> str:
    if isinstance(value, tuple):
        n = len(value)
        return f"{n} entr{'y' if n == 1 else 'ies'}"
    if isinstance(value, dict):
        return "settings"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _element_value(element: Element, field: str) -> Any:
    if field == "kind":
        return element.kind
    value = getattr(element, field, None)
    if field == "intended":
        return False if value is False else None  # only an unintended outcome says something
    if value is None or value == ():
        return None
    return value


def _configuration_value(config: Configuration, field: str) -> Any:
    value = getattr(config, field)
    if field == "status":
        return value if value is not ConfigurationStatus.INITIAL else None
    if value is None or value == ():
        return None
    return value


def _link_value(link: Link, field: str) -> Any:
    value = getattr(link, field)
    if field == "sign":
        return value if value != "increases" else None
    if field == "feedback":
        return True if value else None
    if value is None or value == ():
        return None
    return value


def facts(model: ChangeModel) -> dict[Key, Any]:
    """Every non-default value in the model, keyed by (subject, field).

    Whole objects appear under the field ``"*"`` (references, theories, and
    each element, link and configuration, so that dropping one is a single fact);
    the fields of elements, links and configurations appear one by one.
    """
    out: dict[Key, Any] = {("model", "title"): model.title}
    for field, value in (
        ("description", model.description),
        ("version", model.version),
        ("validation", model.settings or None),
    ):
        if value is not None:
            out[("model", field)] = value
    for ref in model.references:
        out[(f"reference:{ref.id}", "*")] = ref
    for theory in model.theories:
        out[(f"theory:{theory.id}", "*")] = theory
    for config in model.configurations:
        subject = f"configuration:{config.id}"
        out[(subject, "*")] = config.id
        for field in CONFIGURATION_FIELDS:
            value = _configuration_value(config, field)
            if value is not None:
                out[(subject, field)] = value
    for element in model.elements:
        subject = f"element:{element.id}"
        out[(subject, "*")] = element.id
        for field in ELEMENT_FIELDS:
            value = _element_value(element, field)
            if value is not None:
                out[(subject, field)] = value
    for link in model.links:
        subject = f"link:{link.id}"
        out[(subject, "*")] = link.relation
        for field in LINK_FIELDS:
            value = _link_value(link, field)
            if value is not None:
                out[(subject, field)] = value
    return out


def round_trip_losses(original: ChangeModel, restored: ChangeModel) -> set[Key]:
    """The (subject, field) pairs of *original* that *restored* does not hold.

    A subject missing from *restored* counts once, as ``(subject, "*")``; a
    link found again between the same ends under another relation counts as
    ``(subject, "relation")``. Values that *restored* adds are not losses
    unless they replace a value of *original* (a changed kind, say).
    """
    before, after = facts(original), facts(restored)
    restored_keys = {lk.key for lk in restored.links}
    original_keys = {lk.key for lk in original.links}
    lost: set[Key] = set()
    missing = {s for (s, f) in before if f == "*" and (s, f) not in after}
    for link in original.links:
        subject = f"link:{link.id}"
        if subject in missing:
            moved = any(
                (link.source, link.target, rel) in restored_keys
                and (link.source, link.target, rel) not in original_keys
                for rel in {k[2] for k in restored_keys}
            )
            lost.add((subject, "relation" if moved else "*"))
    for (subject, field), value in before.items():
        if subject.startswith("link:") and subject in missing:
            continue
        if subject in missing:
            if field == "*":
                lost.add((subject, "*"))
            continue
        if after.get((subject, field)) != value:
            lost.add((subject, field))
    return lost
