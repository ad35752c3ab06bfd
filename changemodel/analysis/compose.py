"""Composition: reusable sub-theories, merging models, and where each element came from.

A *sub-theory* is an ordinary model with its own ids (say, a supervision
module used at several sites). :func:`instantiate` copies it into a larger
model under a namespace: ``trust`` becomes ``site_a.trust``. Its *interface*
elements are not copied but connected to elements of the larger model, so the
module's links attach to them.

:func:`merge` unifies two models: identical elements become one, compatible
ones are combined (a field set on one side only is kept; lists are united),
and anything contradictory (same id, different kind or label; two different
descriptions, confidences, citations...) is reported as a :class:`Conflict`
instead of being overwritten. :func:`merge` is commutative.

Provenance is kept in the model file itself, without a new field: every
element brought in under a namespace or merged from a named model gets the
tag ``from:<name>`` (see :func:`provenance`). Tags are part of the canonical
format, so provenance survives saving and loading.

>>> module = ChangeModel("Supervision module")
>>> sup = module.activity("supervision", "Peer supervision")
>>> confidence = module.process_outcome("confidence", "Peer worker confidence")
>>> support = module.activity("support", "Peer support (placeholder)")
>>> _ = sup >> confidence >> support
>>> host = ChangeModel("Two sites")
>>> _ = host.activity("peer_support", "Peer support") >> host.process_outcome("hope", "Hope")
>>> sub = SubTheory(module, interface=["support"])
>>> both = instantiate(host, sub, "site_a", connect={"support": "peer_support"})
>>> both = instantiate(both, sub, "site_b", connect={"support": "peer_support"})
>>> [lk.id for lk in both.links_to("peer_support")]
['site_a.confidence->peer_support', 'site_b.confidence->peer_support']
>>> provenance(both)["site_b.supervision"]
('site_b',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from changemodel.analysis._data import plain
from changemodel.domain import Configuration, Element, Link, Reference, Theory, validate_id
from changemodel.errors import ChangeModelError, InvalidValueError, UnknownIdError, did_you_mean
from changemodel.model import ChangeModel
from changemodel.text import count

__all__ = [
    "PROVENANCE_PREFIX",
    "CompositionError",
    "Conflict",
    "MergeConflictError",
    "SubTheory",
    "find_conflicts",
    "instantiate",
    "merge",
    "provenance",
    "tag_provenance",
]

#: The tag prefix that records where an element came from.
PROVENANCE_PREFIX: Final = "from:"


@attrs.frozen
class Conflict:
    """Two models disagree about one attribute of one object."""

    section: str  # element, link, reference, theory or metadata
    id: str
    attribute: str
    left: Any
    right: Any

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: where the models disagree and both values."""
        return {
            "section": self.section,
            "id": self.id,
            "attribute": self.attribute,
            "left": plain(self.left),
            "right": plain(self.right),
        }

    def __str__(self) -> str:
        return (
            f"{self.section} {self.id}: {self.attribute} differs:"
            f" {_show(self.left)} versus {_show(self.right)}"
        )


def _show(value: Any) -> str:
    text = repr(str(value) if isinstance(value, str) else value)
    return text if len(text) <= 80 else text[:77] + "..."


class MergeConflictError(ChangeModelError, ValueError):
    """The models cannot be merged; ``conflicts`` lists every disagreement."""

    def __init__(self, conflicts: Iterable[Conflict]) -> None:
        self.conflicts = tuple(conflicts)
        lines = [f"{count(len(self.conflicts), 'conflict')}; nothing was merged:"]
        lines += [f"  {c}" for c in self.conflicts]
        super().__init__("\n".join(lines))


class CompositionError(ChangeModelError, ValueError):
    """A sub-theory cannot be instantiated as asked."""


# ---------------------------------------------------------------- provenance


def provenance(model: ChangeModel) -> dict[str, tuple[str, ...]]:
    """Where each element came from: its ``from:<name>`` tags (empty when none)."""
    n = len(PROVENANCE_PREFIX)
    return {
        e.id: tuple(t[n:] for t in e.tags if t.startswith(PROVENANCE_PREFIX))
        for e in model.elements
    }


def _tagged(element: Element, name: str) -> Element:
    tag = PROVENANCE_PREFIX + name
    if tag in element.tags:
        return element
    return attrs.evolve(element, tags=(*element.tags, tag))


def tag_provenance(model: ChangeModel, name: str) -> ChangeModel:
    """A copy of *model* with every element tagged ``from:<name>``."""
    if not isinstance(name, str) or not name.strip() or any(c.isspace() for c in name):
        raise InvalidValueError(
            f"a provenance name is text without spaces, not {name!r}", value=name
        )
    new = model.copy()
    for element in model.elements:
        new.replace(_tagged(element, name))
    return new


# ---------------------------------------------------------------- sub-theories


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen(eq=False)
class SubTheory:
    """A reusable model and the ids of its interface elements (the elements meant
    to be connected to the larger model when it is instantiated)."""

    model: ChangeModel
    interface: tuple[str, ...] = attrs.field(default=(), converter=_id_tuple)

    def __attrs_post_init__(self) -> None:
        for id in self.interface:
            self.model.element(id)


def instantiate(
    host: ChangeModel,
    sub: SubTheory | ChangeModel,
    namespace: str,
    *,
    connect: Mapping[str, str] | None = None,
) -> ChangeModel:
    """A new model: *host* plus a copy of *sub* under *namespace*.

    Every element of the sub-theory is copied with the id ``namespace.id`` and
    the tag ``from:namespace``, except those named in *connect*, which map
    interface ids of the sub-theory to existing elements of the host (of the
    same kind): the sub-theory's links then attach to the host's elements.
    Links are copied with their ends and assumption ids renamed; references
    and theories are shared by id (two different objects with the same id
    are an error). Configurations are copied as ``namespace.id``, with the
    element ids they name renamed like the elements (an interface element
    named in *connect* becomes the host's element) and their ``refines``
    renamed too. The host is not changed.
    """
    validate_id(namespace, what="namespace")
    theory = sub if isinstance(sub, SubTheory) else SubTheory(sub)
    model = theory.model
    connect = dict(connect or {})
    for inner, outer in connect.items():
        if theory.interface and inner not in theory.interface:
            raise CompositionError(
                f"{inner!r} is not an interface element of the sub-theory; its interface is"
                f" {', '.join(theory.interface)}"
            )
        inner_element = model.element(inner)
        if outer not in host:
            raise UnknownIdError(
                f"cannot connect {inner!r}: the model has no element {outer!r}",
                id=outer,
                suggestion=did_you_mean(outer, (e.id for e in host.elements)),
            )
        if host.element(outer).kind is not inner_element.kind:
            raise CompositionError(
                f"cannot connect {inner!r} ({inner_element.kind.label}) to {outer!r}"
                f" ({host.element(outer).kind.label}): the kinds differ"
            )
    rename = {e.id: connect.get(e.id, f"{namespace}.{e.id}") for e in model.elements}
    result = host.copy()
    try:
        for table, add in ((model.references, host.references), (model.theories, host.theories)):
            known = {x.id: x for x in add}
            for item in table:
                if item.id not in known:
                    result.add(item)
                elif known[item.id] != item:
                    raise CompositionError(
                        f"the sub-theory and the model hold two different objects with id"
                        f" {item.id!r}"
                    )
        for element in model.elements:
            if element.id not in connect:
                copy = attrs.evolve(element, id=rename[element.id])
                result.add(_tagged(copy, namespace))
        for link in model.links:
            new = attrs.evolve(
                link,
                source=rename[link.source],
                target=rename[link.target],
                assumptions=tuple(rename.get(a, a) for a in link.assumptions),
            )
            if new.key in {lk.key for lk in result.links_from(new.source)}:
                if result.get_link(*new.key) != new:
                    raise CompositionError(f"the model already has a different link {new.id}")
                continue
            result.add(new)
        for config in model.configurations:
            result.add(_renamed(config, namespace, rename))
    except InvalidValueError as exc:  # e.g. a namespaced id grows too long
        raise CompositionError(f"cannot instantiate under {namespace!r}: {exc}") from None
    return result


def _renamed(config: Configuration, namespace: str, rename: Mapping[str, str]) -> Configuration:
    """*config* under *namespace*: its id and ``refines`` prefixed, its element ids
    renamed as the elements were."""

    def renamed(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(rename.get(id, id) for id in ids)

    return attrs.evolve(
        config,
        id=f"{namespace}.{config.id}",
        intervention=renamed(config.intervention),
        contexts=renamed(config.contexts),
        mechanisms=renamed(config.mechanisms),
        outcomes=renamed(config.outcomes),
        refines=tuple(f"{namespace}.{r}" for r in config.refines),
    )


# ---------------------------------------------------------------------- merge

_IDENTITY_FIELDS: Final = ("id",)


def _key(value: Any) -> str:
    return repr(value)


def _combine(left: Any, right: Any, section: str, id: str, conflicts: list[Conflict]) -> Any:
    """Combine two attrs objects of the same class field by field."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(left)):
        name = field.name
        a, b = getattr(left, name), getattr(right, name)
        if a == b or name in _IDENTITY_FIELDS:
            continue
        if section == "configuration" and name in _CONFIGURATION_STATEMENT:
            continue  # reported by the caller
        if isinstance(a, tuple) and isinstance(b, tuple):
            changes[name] = tuple(sorted(set(a) | set(b), key=_key))
        elif a is None:
            changes[name] = b
        elif b is not None:
            conflicts.append(Conflict(section, id, name, a, b))
    return attrs.evolve(left, **changes) if changes else left


def _merge(a: ChangeModel, b: ChangeModel, conflicts: list[Conflict]) -> ChangeModel:
    texts = sorted({a.title, b.title})
    title = " + ".join(texts)
    descriptions = sorted({d for d in (a.description, b.description) if d is not None})
    version = a.version if a.version == b.version else None
    if a.settings and b.settings and a.settings != b.settings:
        conflicts.append(Conflict("metadata", "model", "validation", a.settings, b.settings))
    result = ChangeModel(
        title,
        description="\n\n".join(descriptions) or None,
        version=version,
        settings=a.settings or b.settings,
    )
    for section, left, right in (
        ("reference", a.references, b.references),
        ("theory", a.theories, b.theories),
    ):
        table: dict[str, Reference | Theory] = {x.id: x for x in left}
        for item in right:
            if item.id in table:
                table[item.id] = _combine(table[item.id], item, section, item.id, conflicts)
            else:
                table[item.id] = item
        result.add(*table.values())
    elements: dict[str, Element] = {e.id: e for e in a.elements}
    by_norm = {_norm(e.id): e.id for e in a.elements}
    for e in b.elements:
        if e.id in elements:
            old = elements[e.id]
            if old.kind is not e.kind:
                conflicts.append(Conflict("element", e.id, "kind", old.kind.value, e.kind.value))
                continue
            if old.label != e.label:
                conflicts.append(Conflict("element", e.id, "label", old.label, e.label))
                continue
            elements[e.id] = _combine(old, e, "element", e.id, conflicts)
        elif _norm(e.id) in by_norm:
            other = by_norm[_norm(e.id)]
            pair = sorted((other, e.id))
            conflicts.append(Conflict("element", pair[0], "id", pair[0], pair[1]))
        else:
            elements[e.id] = e
            by_norm[_norm(e.id)] = e.id
    links: dict[tuple[str, str, Any], Link] = {lk.key: lk for lk in a.links}
    for lk in b.links:
        if lk.key in links:
            links[lk.key] = _combine(links[lk.key], lk, "link", lk.id, conflicts)
        else:
            links[lk.key] = lk
    configurations: dict[str, Configuration] = {c.id: c for c in a.configurations}
    for c in b.configurations:
        if c.id not in configurations:
            configurations[c.id] = c
            continue
        old_config = configurations[c.id]
        # A configuration is a statement: two versions that name different parts,
        # or stand differently, disagree; evidence and tags add up.
        for name in _CONFIGURATION_STATEMENT:
            left_value, right_value = getattr(old_config, name), getattr(c, name)
            if left_value != right_value:
                conflicts.append(Conflict("configuration", c.id, name, left_value, right_value))
        configurations[c.id] = _combine(old_config, c, "configuration", c.id, conflicts)
    if conflicts:
        return result
    result.add(*elements.values())
    for lk in links.values():
        if lk.source in elements and lk.target in elements:
            result.add(lk)
    result.add(*configurations.values())
    return result


#: What a configuration says; two versions of it must agree on every one of these.
_CONFIGURATION_STATEMENT: Final = (
    "statement",
    "intervention",
    "contexts",
    "actors",
    "mechanisms",
    "outcomes",
    "status",
    "refines",
    "confidence",
)


def _norm(id: str) -> str:
    return id.casefold().replace("-", "_")


def find_conflicts(a: ChangeModel, b: ChangeModel) -> tuple[Conflict, ...]:
    """Every disagreement between *a* and *b*, sorted; empty when they merge cleanly."""
    conflicts: list[Conflict] = []
    _merge(a, b, conflicts)
    return tuple(sorted(conflicts, key=lambda c: (c.section, c.id, c.attribute)))


def merge(a: ChangeModel, b: ChangeModel, *, names: tuple[str, str] | None = None) -> ChangeModel:
    """One model from two, unifying identical elements, links, references and theories.

    With *names*, every element is first tagged with where it came from
    (``from:<name>``), so an element both models share carries both tags.
    Raises :class:`MergeConflictError` listing every conflict (nothing is
    overwritten). The title joins both titles; differing descriptions are
    both kept; differing versions give no version.
    """
    if names is not None:
        a, b = tag_provenance(a, names[0]), tag_provenance(b, names[1])
    conflicts: list[Conflict] = []
    result = _merge(a, b, conflicts)
    if conflicts:
        raise MergeConflictError(sorted(conflicts, key=lambda c: (c.section, c.id, c.attribute)))
    return result
