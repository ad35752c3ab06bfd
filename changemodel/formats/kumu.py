"""Kumu blueprint JSON (``elements`` and ``connections``), for systems maps.

Each element becomes a Kumu element with its ``id``, ``label``, ``type`` (the
kind, as words: ``"process outcome"``), ``description`` and ``tags``, and the
fields Kumu shows in an element's profile: ``horizon``, ``resource``,
``reasoning``, ``theories``, ``intended`` (false for an unintended outcome) and
``configurations`` (the ids of the realist configurations that name the
element, from which :func:`from_kumu` rebuilds their parts). Each link
becomes a ``directed`` connection from one element id to another, whose
``type`` is the relation (``"leads to"``, ``"moderates"``, ``"part of"``)
and which carries ``sign``, ``confidence``, ``feedback``, ``description``
(the rationale), ``assumptions`` and ``theories``. Kumu has no place for the
model's title, references and settings, nor for actors, indicators and
evidence, nor for a configuration's status, statement and confidence: the
loss report names them.

:func:`from_kumu` also reads blueprints made in Kumu: connections may name
elements by label, and types other than the kinds are mapped with ``kinds``.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> data = to_kumu(m)
>>> data["connections"]
[{'from': 'a', 'to': 'o', 'type': 'leads to', 'direction': 'directed', 'sign': 'increases'}]
>>> from_kumu(data, title="Tiny") == m
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Final

from changemodel.domain import (
    ELEMENT_CLASSES,
    ELEMENT_KEYS,
    ConfigurationStatus,
    Kind,
    Relation,
    element_class,
    file_fields,
    file_key,
    value_kind,
)
from changemodel.errors import LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats._json import check_data, parse_json
from changemodel.formats.canonical import FORMAT_VERSION, from_data
from changemodel.formats.loss import Loss, LossReport, carried, empty_texts
from changemodel.model import ChangeModel

__all__ = [
    "from_kumu",
    "kumu_losses",
    "read_kumu",
    "to_kumu",
    "write_kumu",
]


def _kumu_fields(lists: bool) -> tuple[str, ...]:
    """The element fields Kumu carries besides id, kind and label: the text ones or
    the lists of words and ids (from the fields' metadata)."""
    kept = carried("kumu")["element_fields"]
    kinds: dict[str, str] = {}
    for cls in ELEMENT_CLASSES.values():
        kinds.update((file_key(f), value_kind(f)) for f in file_fields(cls))
    chosen = [
        k
        for k in ELEMENT_KEYS
        if k in kept
        and k not in ("id", "kind", "label", "intended")  # intended: written when false
        and (kinds[k] in ("ids", "texts")) == lists
    ]
    return tuple(sorted(chosen, key=lambda k: kinds[k] == "ids"))  # words, then ids


_ELEMENT_FIELDS: Final = _kumu_fields(lists=False)
_LIST_FIELDS: Final = _kumu_fields(lists=True)


def to_kumu(model: ChangeModel) -> dict[str, Any]:
    """The model as a Kumu blueprint mapping (JSON-ready)."""
    elements = []
    membership: dict[str, list[str]] = {}
    for config in model.configurations:
        for id in config.element_ids:
            membership.setdefault(id, []).append(config.id)
    for e in model.elements:
        item: dict[str, Any] = {"id": e.id, "label": e.label, "type": e.kind.label}
        for field in _ELEMENT_FIELDS:
            value = getattr(e, field, None)
            if value is not None:
                item[field] = str(value)
        for field in _LIST_FIELDS:
            values = getattr(e, field)
            if values:
                item[field] = list(values)
        if getattr(e, "intended", True) is False:
            item["intended"] = False
        if e.id in membership:
            item["configurations"] = membership[e.id]
        elements.append(item)
    connections = []
    for lk in model.links:
        conn: dict[str, Any] = {
            "from": lk.source,
            "to": lk.target,
            "type": lk.relation.value.replace("_", " "),
            "direction": "directed",
        }
        if lk.is_causal:
            conn["sign"] = lk.sign.value
        if lk.confidence is not None:
            conn["confidence"] = lk.confidence
        if lk.feedback:
            conn["feedback"] = True
        if lk.rationale is not None:
            conn["description"] = lk.rationale
        if lk.assumptions:
            conn["assumptions"] = list(lk.assumptions)
        if lk.theories:
            conn["theories"] = list(lk.theories)
        connections.append(conn)
    return {"elements": elements, "connections": connections}


def kumu_losses(model: ChangeModel) -> LossReport:
    """What a Kumu blueprint does not carry: the title, description, version,
    references, theories and settings of the model; actors, indicators and
    evidence of elements; evidence of links; of a configuration, all but the
    elements it names (each element lists its configurations in a field)."""
    extra = list(empty_texts(model))
    for config in model.configurations:
        where = f"configuration:{config.id}"
        for name in ("statement", "actors", "refines", "confidence", "evidence", "tags"):
            if getattr(config, name) not in (None, ()):
                extra.append(Loss(where, name, "not in the blueprint"))
        if config.status is not ConfigurationStatus.INITIAL:
            extra.append(Loss(where, "status", f"{config.status.value}, read back as initial"))
        order = {e.id: i for i, e in enumerate(model.elements)}
        for part in ("intervention", "contexts", "mechanisms", "outcomes"):
            ids = getattr(config, part)
            if list(ids) != sorted(ids, key=order.__getitem__):
                extra.append(Loss(where, part, "read back in the order of the elements"))
    return LossReport.compute(
        "kumu",
        model,
        **carried("kumu"),
        configurations=True,
        extra=extra,
    )


@open_file("w")
def write_kumu(model: ChangeModel, file: IO[str], *, indent: int | None = 2) -> LossReport:
    """Write a Kumu blueprint to a path (atomically) or an open text file."""
    file.write(json.dumps(to_kumu(model), indent=indent, ensure_ascii=False) + "\n")
    return kumu_losses(model)


def _kind_names() -> dict[str, Kind]:
    names: dict[str, Kind] = {}
    for kind in Kind:
        names[kind.value] = kind
        names[kind.label] = kind
    return names


_RELATIONS: Final = {
    **{r.value: r for r in Relation},
    **{r.value.replace("_", " "): r for r in Relation},
    "": Relation.LEADS_TO,
}


def from_kumu(
    data: Any,
    *,
    title: str = "Imported from Kumu",
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str | None = None,
    file: str | None = None,
) -> ChangeModel:
    """Build a model from a Kumu blueprint mapping.

    An element's kind comes from its ``type``: a kind (``"mechanism"``,
    ``"process outcome"``), a type named in ``kinds`` (``{"Person": "context"}``),
    else ``default_kind``; an element with another type is an error naming it.
    Elements without an ``id`` get one made from the label; connections may
    name elements by id or by label.
    """
    where = Location(file)
    check_data(data, file)
    if not isinstance(data, dict) or not isinstance(data.get("elements", []), list):
        raise LoadError("not a Kumu blueprint: expected a mapping with 'elements'", location=where)
    names = _kind_names()
    for type_name, chosen in (kinds or {}).items():
        names[type_name.casefold()] = element_class(chosen).kind
    fallback = None if default_kind is None else element_class(default_kind).kind
    elements: list[dict[str, Any]] = []
    configurations: dict[str, dict[str, Any]] = {}
    by_label: dict[str, str] = {}
    used: set[str] = set()
    suffixes: dict[str, int] = {}
    for i, raw in enumerate(data.get("elements", [])):
        if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
            raise LoadError(f"elements[{i}]: an element needs a 'label'", location=where)
        type_name = str(raw.get("type") or "")
        kind = names.get(type_name.casefold(), fallback)
        if kind is None:
            raise LoadError(
                f"elements[{i}] ({raw['label']!r}): type {type_name!r} is not a kind of"
                " element; map it with kinds={...} or give a default kind",
                location=where,
            )
        eid = raw.get("id")
        if not isinstance(eid, str) or not eid:
            eid = _slug(raw["label"], used, suffixes)
        used.add(eid.casefold())
        by_label.setdefault(raw["label"], eid)
        item: dict[str, Any] = {"id": eid, "kind": kind.value, "label": raw["label"]}
        for field in (*_ELEMENT_FIELDS, *_LIST_FIELDS):
            if raw.get(field) not in (None, "", []):
                item[field] = raw[field]
        if kind is not Kind.DOWNSTREAM_OUTCOME:
            item.pop("horizon", None)
        if kind is not Kind.MECHANISM:
            item.pop("resource", None)
            item.pop("reasoning", None)
        if kind.is_outcome and isinstance(raw.get("intended"), bool):
            item["intended"] = raw["intended"]
        memberships = raw.get("configurations") or []
        if not isinstance(memberships, list):
            raise LoadError(
                f"elements[{i}] ({raw['label']!r}): 'configurations' must be a list of"
                f" configuration ids, not {type(memberships).__name__}",
                location=where,
            )
        for config_id in memberships:
            if isinstance(config_id, str):
                parts = configurations.setdefault(config_id, {"id": config_id})
                parts.setdefault(_PART_OF_KIND.get(kind, ""), []).append(eid)
        elements.append(item)
    ids = {e["id"] for e in elements}
    links: list[dict[str, Any]] = []
    raw_connections = data.get("connections", [])
    if not isinstance(raw_connections, list):
        raise LoadError("'connections' must be a list", location=where)
    for i, raw in enumerate(raw_connections):
        if not isinstance(raw, dict):
            raise LoadError(f"connections[{i}]: expected a mapping", location=where)
        ends = []
        for side in ("from", "to"):
            ref = raw.get(side)
            if not isinstance(ref, str):
                raise LoadError(f"connections[{i}]: {side!r} must name an element", location=where)
            ends.append(ref if ref in ids else by_label.get(ref, ref))
        relation = _RELATIONS.get(str(raw.get("type") or "").casefold())
        if relation is None:
            raise LoadError(
                f"connections[{i}]: type {raw.get('type')!r} is not a relation"
                " (leads to, moderates, part of)",
                location=where,
            )
        link: dict[str, Any] = {"from": ends[0], "to": ends[1]}
        if relation is not Relation.LEADS_TO:
            link["relation"] = relation.value
        for field in ("sign", "confidence", "feedback", "assumptions", "theories"):
            if raw.get(field) not in (None, "", []):
                link[field] = raw[field]
        if relation is not Relation.LEADS_TO:
            link.pop("sign", None)
        if raw.get("description") not in (None, ""):
            link["rationale"] = raw["description"]
        links.append(link)
    document: dict[str, Any] = {"changemodel": FORMAT_VERSION, "title": title}
    if elements:
        document["elements"] = elements
    if links:
        document["links"] = links
    if configurations:
        # an element of another kind (an input, an output) cannot stand in one
        document["configurations"] = [
            {k: v for k, v in c.items() if k != ""} for c in configurations.values()
        ]
    return from_data(document, positions={(): where}, file=file)


#: The configuration part each kind of element stands in.
_PART_OF_KIND: Final = {
    Kind.ACTIVITY: "intervention",
    Kind.CONTEXT: "contexts",
    Kind.MECHANISM: "mechanisms",
    Kind.PROCESS_OUTCOME: "outcomes",
    Kind.DOWNSTREAM_OUTCOME: "outcomes",
}


def _slug(label: str, used: set[str], suffixes: dict[str, int]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")[:60] or "element"
    if not base[0].isalpha():
        base = "e_" + base
    # The next suffix to try for each base: linear even when thousands of
    # labels make the same id.
    n = suffixes.get(base.casefold(), 1)
    eid = base if n == 1 else f"{base}_{n}"
    while eid.casefold() in used:
        n += 1
        eid = f"{base}_{n}"
    suffixes[base.casefold()] = n
    return eid


@open_file("r")
def read_kumu(
    file: IO[str],
    *,
    title: str | None = None,
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str | None = None,
) -> ChangeModel:
    """Read a Kumu blueprint from a path or an open text file; the title defaults to
    the file name."""
    name = file_name(file)
    data = parse_json(file.read(), name, check=False)
    if title is None:
        title = Path(name).stem if name else "Imported from Kumu"
    return from_kumu(data, title=title, kinds=kinds, default_kind=default_kind, file=name)
