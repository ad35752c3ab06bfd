"""Semantic diff of two versions of a model, and applying a diff.

A text diff of two model files shows moved lines; this diff says what changed
in the theory: elements, links, references and theories added or removed,
and, for those in both, each attribute that changed with its old and new
value. Links are matched by source, target and relation. The diff renders
as text, Markdown (for a pull request) and JSON, and :func:`apply` replays it
on the old model to give the new one.

>>> old = ChangeModel("Peer support", version="1")
>>> _ = old.activity("support", "Peer support") >> old.process_outcome("hope", "Hope")
>>> new = old.copy()
>>> new.version = "2"
>>> _ = new.update("hope", label="Hope and empowerment")
>>> _ = new.ref("support") >> new.mechanism("trust", "Trust")
>>> d = diff(old, new)
>>> print(d.to_text())
~ metadata: version: '1' -> '2'
+ element trust (mechanism): Trust
~ element hope: label: 'Hope' -> 'Hope and empowerment'
+ link support->trust
>>> apply(d, old) == new, diff(new, new).is_empty
(True, True)
>>> apply(ModelDiff.from_json(d.to_json()), old) == new
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from changemodel.analysis._data import plain
from changemodel.analysis._text import md_cell
from changemodel.domain import (
    ELEMENT_CLASSES,
    Element,
    Kind,
    Link,
    Reference,
    Relation,
    Theory,
    element_class,
)
from changemodel.errors import ChangeModelError, InvalidValueError
from changemodel.model import ChangeModel
from changemodel.text import capitalise, join, plural, with_article

__all__ = [
    "ADDED",
    "CHANGED",
    "REMOVED",
    "Change",
    "DiffApplyError",
    "DiffDataError",
    "ModelDiff",
    "apply",
    "diff",
]

ADDED: Final = "added"
REMOVED: Final = "removed"
CHANGED: Final = "changed"
_SECTIONS: Final = ("metadata", "reference", "theory", "element", "link")
_METADATA: Final = ("title", "description", "version", "validation")


class DiffApplyError(ChangeModelError, ValueError):
    """A diff does not fit the model it is applied to."""


class DiffDataError(ChangeModelError, ValueError):
    """Data read as a diff (:meth:`ModelDiff.from_data`) is not one; the message says
    which change and what is wrong."""


def _choice(data: Mapping[str, Any], name: str, allowed: tuple[str, ...], where: str) -> str:
    value = data.get(name)
    if value not in allowed:
        raise DiffDataError(f"{where}.{name}: expected one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _field_table(classes: Iterable[type]) -> dict[str, attrs.Attribute[Any]]:
    """The fields of the classes by name (a field name means the same in every
    element class, so one table serves all kinds)."""
    table: dict[str, attrs.Attribute[Any]] = {}
    for cls in classes:
        table.update(attrs.fields_dict(cls))
    return table


def _decode(section: str, attribute: str | None, value: Any) -> Any:
    """A plain value of :meth:`Change.to_data` back as the typed value it was."""
    if section == "metadata":
        return value
    if attribute is None:  # a whole object, added or removed
        fields = dict(value)
        if section == "element":
            return element_class(fields.pop("kind"))(**fields)
        cls = {"link": Link, "reference": Reference, "theory": Theory}[section]
        return cls(**fields)
    if value is None:
        return None
    if attribute == "kind":
        return Kind(value)
    classes: tuple[type, ...]
    if section == "element":
        classes = tuple(ELEMENT_CLASSES.values())
    else:
        classes = ({"link": Link, "reference": Reference, "theory": Theory}[section],)
    field = _field_table(classes).get(attribute)
    if field is None:
        article = "an" if section[0] in "aeiou" else "a"
        raise DiffDataError(f"{article} {section} has no attribute {attribute!r}")
    converter = field.converter
    if callable(converter):
        return converter(value)
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen
class Change:
    """One difference.

    For ``added`` and ``removed``, ``new`` or ``old`` is the whole object; for
    ``changed``, ``attribute`` names what changed and ``old``/``new`` are its
    values. ``id`` is the object's readable id (a link's is ``source->target``;
    metadata's is ``model``); ``key`` is what identifies it in a model (a link's
    is ``(source, target, relation)``, since two links may share a readable id
    when element ids hold ``-``).
    """

    action: str
    section: str
    id: str
    attribute: str | None = None
    old: Any = None
    new: Any = None
    key: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON; :meth:`from_data` reads it back."""
        data: dict[str, Any] = {"action": self.action, "section": self.section, "id": self.id}
        if self.section == "link" and len(self.key) == 3:
            data.update(zip(("from", "to", "relation"), self.key, strict=True))
        if self.attribute is not None:
            data["attribute"] = self.attribute
        if self.action != ADDED:
            data["old"] = plain(self.old)
        if self.action != REMOVED:
            data["new"] = plain(self.new)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, where: str = "change") -> Change:
        """The change that :meth:`to_data` gave; objects and values come back typed.

        *where* names the change in error messages (``changes[3]``).
        """
        if not isinstance(data, Mapping):
            raise DiffDataError(f"{where}: expected a mapping, not {type(data).__name__}")
        action = _choice(data, "action", (ADDED, REMOVED, CHANGED), where)
        section = _choice(data, "section", _SECTIONS, where)
        id = data.get("id")
        if not isinstance(id, str):
            raise DiffDataError(f"{where}.id: expected text, not {id!r}")
        attribute = data.get("attribute")
        if action == CHANGED and not isinstance(attribute, str):
            raise DiffDataError(f"{where}.attribute: a change names the attribute it changes")
        key: tuple[str, ...] = ()
        if section == "link":
            ends = [data.get(k) for k in ("from", "to", "relation")]
            if not all(isinstance(end, str) for end in ends):
                raise DiffDataError(f"{where}: a link change needs from, to and relation")
            key = tuple(str(end) for end in ends)
        elif section != "metadata":
            key = (id,)
        values: dict[str, Any] = {}
        for name in ("old", "new"):
            if name not in data:
                continue
            try:
                values[name] = _decode(section, attribute, data[name])
            except (ChangeModelError, TypeError, ValueError, KeyError) as exc:
                raise DiffDataError(f"{where}.{name}: {exc}") from None
        return cls(action, section, id, attribute, values.get("old"), values.get("new"), key)

    def __str__(self) -> str:
        if self.action == CHANGED:
            where = "metadata" if self.section == "metadata" else f"{self.section} {self.id}"
            return f"~ {where}: {self.attribute}: {_short(self.old)} -> {_short(self.new)}"
        mark = "+" if self.action == ADDED else "-"
        obj = self.new if self.action == ADDED else self.old
        if isinstance(obj, Element):
            return f"{mark} element {obj.id} ({obj.kind.label}): {' '.join(obj.label.split())}"
        return f"{mark} {self.section} {self.id}"


def _short(value: Any) -> str:
    if isinstance(value, str | int | float | bool) or value is None:
        return repr(str(value) if isinstance(value, str) else value)
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True)


@attrs.frozen
class ModelDiff:
    """The differences from one model to another, in a stable order: metadata,
    references, theories, elements, links; added and removed before changed."""

    changes: tuple[Change, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the two models have the same content."""
        return not self.changes

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def summary(self) -> dict[str, dict[str, int]]:
        """How many objects were added, removed and changed, per section."""
        out: dict[str, dict[str, int]] = {}
        seen: set[tuple[str, str, str]] = set()
        for c in self.changes:
            if (c.action, c.section, c.id) in seen:
                continue
            seen.add((c.action, c.section, c.id))
            counts = out.setdefault(c.section, {ADDED: 0, REMOVED: 0, CHANGED: 0})
            counts[c.action] += 1
        return out

    def to_text(self) -> str:
        """One line per change (``+`` added, ``-`` removed, ``~`` changed)."""
        return "\n".join(str(c) for c in self.changes) if self.changes else "no changes"

    def to_markdown(self) -> str:
        """The changes under a heading per section, for a pull-request comment."""
        if not self.changes:
            return "No changes to the theory.\n"
        lines = ["## Changes to the theory", ""]
        for section in _SECTIONS:
            items = [c for c in self.changes if c.section == section]
            if not items:
                continue
            heading = "Metadata" if section == "metadata" else capitalise(plural(section))
            lines += [f"### {heading}", ""]
            for c in items:
                if c.action == CHANGED:
                    where = "" if section == "metadata" else f"**{md_cell(c.id)}** "
                    lines.append(
                        f"- changed {where}{md_cell(c.attribute or '')}:"
                        f" {md_cell(_short(c.old))} → {md_cell(_short(c.new))}"
                    )
                else:
                    lines.append(f"- {c.action}: {md_cell(str(c)[2:])}")
            lines.append("")
        return "\n".join(lines)

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON; :meth:`from_data` reads it back."""
        return {"equal": self.is_empty, "changes": [c.to_data() for c in self.changes]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ModelDiff:
        """The diff that :meth:`to_data` (or ``changemodel diff --format json``) gave,
        ready for :func:`apply`. :class:`DiffDataError` says which change is malformed."""
        if not isinstance(data, Mapping) or not isinstance(data.get("changes"), list):
            raise DiffDataError("a diff is a mapping with a list of changes")
        return cls(
            tuple(
                Change.from_data(item, where=f"changes[{i}]")
                for i, item in enumerate(data["changes"])
            )
        )

    @classmethod
    def from_json(cls, text: str) -> ModelDiff:
        """The diff that :meth:`to_json` wrote."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DiffDataError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        return cls.from_data(data)

    def to_json(self) -> str:
        """The diff as JSON text (:meth:`to_data`, indented)."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"

    def render(self, format: str = "text") -> str:
        """``text``, ``markdown`` or ``json``."""
        if format == "text":
            return self.to_text() + "\n"
        if format == "markdown":
            return self.to_markdown()
        if format == "json":
            return self.to_json()
        raise InvalidValueError(
            f"unknown format {format!r}; expected text, markdown or json", value=format
        )


# ---------------------------------------------------------------- computing


def _element_fields(e: Element) -> dict[str, Any]:
    return {"kind": e.kind, **{f.name: getattr(e, f.name) for f in attrs.fields(type(e))}}


def _link_fields(link: Link) -> dict[str, Any]:
    return {
        f.name: getattr(link, f.name)
        for f in attrs.fields(Link)
        if f.name not in ("source", "target", "relation")
    }


def _object_fields(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Element):
        return _element_fields(obj)
    if isinstance(obj, Link):
        return _link_fields(obj)
    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))}


def _compare(section: str, key: Key, old: Any, new: Any) -> Iterable[Change]:
    a, b = _object_fields(old), _object_fields(new)
    for name in [*a, *(k for k in b if k not in a)]:
        if a.get(name) != b.get(name):
            yield Change(CHANGED, section, old.id, name, a.get(name), b.get(name), key)


def _metadata(model: ChangeModel) -> dict[str, Any]:
    return {
        "title": model.title,
        "description": model.description,
        "version": model.version,
        "validation": model.settings,
    }


Key = tuple[str, ...]


def _key(obj: Any) -> Key:
    if isinstance(obj, Link):
        return (obj.source, obj.target, obj.relation.value)
    return (obj.id,)


def _tables(model: ChangeModel) -> dict[str, dict[Key, Any]]:
    return {
        "reference": {_key(r): r for r in model.references},
        "theory": {_key(t): t for t in model.theories},
        "element": {_key(e): e for e in model.elements},
        "link": {_key(lk): lk for lk in model.links},
    }


def _order(section: str, table: dict[Key, Any]) -> list[Key]:
    if section == "element":
        return sorted(table, key=lambda k: (list(Kind).index(table[k].kind), k))
    if section == "link":
        relations = list(Relation)
        return sorted(table, key=lambda k: (k[0], k[1], relations.index(Relation(k[2]))))
    return sorted(table)


def diff(old: ChangeModel, new: ChangeModel) -> ModelDiff:
    """What changed from *old* to *new*.

    Linear in the size of the models (plus sorting). Locations and the
    source file are not part of a model's content and are ignored.
    """
    changes: list[Change] = []
    a, b = _metadata(old), _metadata(new)
    changes.extend(
        Change(CHANGED, "metadata", "model", k, a[k], b[k]) for k in _METADATA if a[k] != b[k]
    )
    ta, tb = _tables(old), _tables(new)
    for section in ("reference", "theory", "element", "link"):
        left, right = ta[section], tb[section]
        added = [i for i in _order(section, right) if i not in left]
        removed = [i for i in _order(section, left) if i not in right]
        changes.extend(Change(ADDED, section, right[i].id, new=right[i], key=i) for i in added)
        changes.extend(Change(REMOVED, section, left[i].id, old=left[i], key=i) for i in removed)
        for i in _order(section, left):
            if i in right and left[i] != right[i]:
                changes.extend(_compare(section, i, left[i], right[i]))
    return ModelDiff(tuple(changes))


# ----------------------------------------------------------------- applying


def _rebuild(section: str, current: Any, fields: dict[str, Any]) -> Any:
    try:
        if isinstance(current, Element):
            cls = element_class(fields["kind"])
            allowed = attrs.fields_dict(cls)
            extra = [k for k, v in fields.items() if k not in allowed and k != "kind" and v]
            if extra:
                raise DiffApplyError(
                    f"element {current.id}: {with_article(cls.kind.label)} has no {join(extra)}"
                )
            return cls(**{k: v for k, v in fields.items() if k in allowed})
        if isinstance(current, Link):
            return Link(current.source, current.target, relation=current.relation, **fields)
        return type(current)(**fields)
    except (TypeError, ChangeModelError) as exc:
        if isinstance(exc, DiffApplyError):
            raise
        raise DiffApplyError(f"{section} {getattr(current, 'id', '')}: {exc}") from None


def apply(changes: ModelDiff, old: ChangeModel) -> ChangeModel:
    """The model that the diff leads to from *old* (which is left unchanged).

    Every change is checked against *old* first: an object to add must be
    absent, an object to remove or change must hold the old value.
    :class:`DiffApplyError` says which change does not fit.
    """
    meta = _metadata(old)
    tables = _tables(old)
    edits: dict[tuple[str, Key], dict[str, Any]] = {}
    for c in changes.changes:
        if c.section == "metadata":
            if meta.get(c.attribute or "") != c.old:
                raise DiffApplyError(f"metadata {c.attribute} is not {_short(c.old)}")
            meta[c.attribute or ""] = c.new
            continue
        table = tables[c.section]
        key = c.key or (c.id,)
        if c.action == ADDED:
            if key in table:
                raise DiffApplyError(f"cannot add {c.section} {c.id}: it exists already")
            table[key] = c.new
        elif c.action == REMOVED:
            if table.get(key) != c.old:
                raise DiffApplyError(f"cannot remove {c.section} {c.id}: it differs or is absent")
            del table[key]
        else:
            if key not in table:
                raise DiffApplyError(f"cannot change {c.section} {c.id}: it is absent")
            fields = edits.setdefault((c.section, key), _object_fields(table[key]))
            if fields.get(c.attribute or "") != c.old:
                raise DiffApplyError(
                    f"cannot change {c.attribute} of {c.section} {c.id}: it is not {_short(c.old)}"
                )
            fields[c.attribute or ""] = c.new
    for (section, key), fields in edits.items():
        tables[section][key] = _rebuild(section, tables[section][key], fields)
    try:
        return ChangeModel(
            meta["title"],
            description=meta["description"],
            version=meta["version"],
            settings=meta["validation"],
            references=tables["reference"].values(),
            theories=tables["theory"].values(),
            elements=tables["element"].values(),
            links=tables["link"].values(),
        )
    except ChangeModelError as exc:
        raise DiffApplyError(f"the changed model does not hold together: {exc}") from None
