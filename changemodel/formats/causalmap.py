"""Causal Map: the links and sources tables of the qualitative coding app.

`Causal Map <https://causalmap.app>`_ codes causal claims in interviews and
reports: each coded claim is a row of its *links* table (a ``cause``, an
``effect``, the ``source_id`` of the document it comes from and the ``quote``
that makes the claim), and each document a row of its *sources* table. Factors
are named by their labels. This module reads and writes the two tables as CSV:

- **links**: ``cause``, ``effect``, ``source_id``, ``quote``, ``page``,
  ``tags`` (comma-separated) and ``link_memo``. Each piece of evidence on a
  leads-to link is a row (a coded claim): its reference is the ``source_id``,
  its quote the ``quote``, its note the ``link_memo``, its page the ``page``,
  its status and strength the tags ``status:reported``, ``strength:strong``. A
  link without evidence is one row with no source. A feedback link is tagged
  ``feedback``. A ``reduces`` link points at the opposite of its effect,
  written ``~effect`` as Causal Map's "combine opposites" reads it; reading,
  each ``~`` on a cause or an effect turns the sign.
- **sources**: ``source_id``, ``title`` (the reference's citation), ``doi``
  and ``url``.

Reading, rows with the same cause and effect become one link carrying each
row's evidence; factors become elements of the kind given for their label
(``kinds``) or ``default_kind`` (a process outcome), with ids made from their
labels. What the tables cannot carry either way is reported:
:func:`causal_map_losses` for writing, and the report returned by
:func:`from_causal_map` for reading (other columns, such as ``sentiment`` or
``statement_id``, and other tags).

>>> from changemodel import ChangeModel, Evidence, Reference
>>> m = ChangeModel("Peer support")
>>> m.add(Reference("q1", "Interview 1"))
>>> _ = m.activity("support", "Peer support").reduces(
...     m.process_outcome("stigma", "Self-stigma"),
...     evidence=[Evidence(reference="q1", quote="I felt less ashamed", status="reported")],
... )
>>> links, sources = to_causal_map(m)
>>> for line in links.splitlines():
...     print(line)
cause,effect,source_id,quote,page,tags,link_memo
Peer support,~Self-stigma,q1,I felt less ashamed,,status:reported,
>>> back, report = from_causal_map(links, sources, kinds={"Peer support": "activity"})
>>> for lk in back.links:
...     print(lk.source, lk.target, lk.sign)
Peer_support Self_stigma reduces
>>> print(report)
causal-map (read): nothing lost
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from changemodel._csv import read_rows, write_table
from changemodel.domain import EvidenceStatus, Kind, Relation, Sign, Strength, element_class
from changemodel.errors import LoadError, Location
from changemodel.formats._files import PathOrFile, read_text, write_text
from changemodel.formats.canonical import FORMAT_VERSION, from_data
from changemodel.formats.loss import Loss, LossReport
from changemodel.model import ChangeModel

__all__ = [
    "LINK_COLUMNS",
    "SOURCE_COLUMNS",
    "causal_map_losses",
    "from_causal_map",
    "read_causal_map",
    "to_causal_map",
    "write_causal_map",
]

#: The columns of the links table, in the order written.
LINK_COLUMNS: Final = ("cause", "effect", "source_id", "quote", "page", "tags", "link_memo")
#: The columns of the sources table, in the order written.
SOURCE_COLUMNS: Final = ("source_id", "title", "doi", "url")

_OPPOSITE: Final = "~"


# ---------------------------------------------------------------------- write


def _tags(status: EvidenceStatus | None, strength: Strength | None, feedback: bool) -> str:
    tags = []
    if feedback:
        tags.append("feedback")
    if status is not None:
        tags.append(f"status:{status.value}")
    if strength is not None:
        tags.append(f"strength:{strength.value}")
    return ", ".join(tags)


def to_causal_map(model: ChangeModel) -> tuple[str, str]:
    """The links table and the sources table, as CSV text."""
    rows: list[list[str]] = []
    for link in model.links:
        if link.relation is not Relation.LEADS_TO:
            continue
        cause = model.element(link.source).label
        effect = model.element(link.target).label
        if link.sign is Sign.REDUCES:
            effect = _OPPOSITE + effect
        for ev in link.evidence or (None,):
            if ev is None:
                rows.append([cause, effect, "", "", "", _tags(None, None, link.feedback), ""])
                continue
            rows.append(
                [
                    cause,
                    effect,
                    ev.reference or "",
                    ev.quote or "",
                    ev.page or "",
                    _tags(ev.status, ev.strength, link.feedback),
                    ev.note or "",
                ]
            )
    sources = [
        [ref.id, ref.citation, ref.doi or "", ref.url or ""]
        for ref in sorted(model.references, key=lambda r: r.id)
    ]
    return write_table(LINK_COLUMNS, rows), write_table(SOURCE_COLUMNS, sources)


def causal_map_losses(model: ChangeModel) -> LossReport:
    """What the two tables do not carry: the model's own fields (title included), theories and
    settings; elements on no leads-to link; every element field but the label
    (a kind other than a process outcome is read back as one, unless mapped);
    links other than leads-to; a link's confidence, rationale, assumptions and
    theories; text that the tables cannot hold as it is (empty text, a label
    starting with ``~`` or shared with another element, a ``, `` in a tag)."""
    linked = {
        end
        for lk in model.links
        if lk.relation is Relation.LEADS_TO
        for end in (lk.source, lk.target)
    }
    extra: list[Loss] = []
    seen: dict[str, str] = {}
    for e in model.elements:
        if e.id not in linked:
            continue
        if e.kind is not Kind.PROCESS_OUTCOME and not e.label.startswith(_OPPOSITE):
            extra.append(
                Loss(f"element:{e.id}", "kind", f"{e.kind.label}, read as process outcome")
            )
        if e.label.startswith(_OPPOSITE):
            # Read back, "~X" names the opposite of a factor X: another element.
            extra.append(
                Loss(
                    f"element:{e.id}", "*", "label starts with '~', read as the opposite of another"
                )
            )
        if e.label in seen:
            extra.append(Loss(f"element:{e.id}", "*", f"same label as {seen[e.label]}"))
        seen.setdefault(e.label, e.id)
    for lk in model.links:
        if lk.relation is not Relation.LEADS_TO:
            continue
        ends = (model.element(lk.source).label, model.element(lk.target).label)
        if any(label.startswith(_OPPOSITE) for label in ends):
            extra.append(
                Loss(f"link:{lk.id}", "*", "an end's label starts with '~': read as another link")
            )
        for ev in lk.evidence:
            texts = (ev.quote, ev.page, ev.note)
            if "" in texts or not any(t for t in (ev.reference, ev.quote, ev.note)):
                extra.append(
                    Loss(f"link:{lk.id}", "evidence", "empty text, read back as not given")
                )
    for ref in model.references:
        if "" in (ref.doi, ref.url):
            extra.append(Loss(f"reference:{ref.id}", "*", "empty text, read back as not given"))
    return LossReport.compute(
        "causal-map",
        model,
        element_fields={"kind", "label"},
        link_fields={"sign", "feedback", "evidence"},
        references=True,
        # An element whose label starts with "~", and its links, come back as
        # others: they are named whole (in extra), not field by field.
        keep_element=lambda e: e.id in linked and not e.label.startswith(_OPPOSITE),
        keep_link=lambda lk: (
            lk.relation is Relation.LEADS_TO
            and not any(
                model.element(end).label.startswith(_OPPOSITE) for end in (lk.source, lk.target)
            )
        ),
        extra=extra,
    )


def write_causal_map(
    model: ChangeModel, links: PathOrFile, sources: PathOrFile | None = None
) -> LossReport:
    """Write the links table (and the sources table, if given a place), each to a
    path (atomically) or an open text file."""
    links_text, sources_text = to_causal_map(model)
    write_text(links_text, links)
    if sources is not None:
        write_text(sources_text, sources)
    return causal_map_losses(model)


# ----------------------------------------------------------------------- read


def _table(
    text: str, file: str | None, required: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    rows = read_rows(text, file)
    if not rows:
        return []
    _, header = rows[0]
    names = [h.strip().casefold() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise LoadError(
            f"the table has no {', '.join(repr(c) for c in missing)} column"
            f" (its columns: {', '.join(header)})",
            location=Location(file, 1, 1),
        )
    out = []
    for line, cells in rows[1:]:
        out.append((line, {n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names)}))
    return out


def _slug(label: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")[:60] or "factor"
    if not base[0].isalpha():
        base = "f_" + base
    eid, n = base, 1
    while eid.casefold() in used:
        n += 1
        eid = f"{base}_{n}"
    return eid


def from_causal_map(
    links: str,
    sources: str | None = None,
    *,
    title: str = "Imported from Causal Map",
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str = Kind.PROCESS_OUTCOME,
    links_file: str | None = None,
    sources_file: str | None = None,
) -> tuple[ChangeModel, LossReport]:
    """A model from the CSV text of a links table (and a sources table), and what
    the model could not carry of them (see the module's notes)."""
    losses: list[Loss] = []
    where = links_file or "links"
    references: list[dict[str, Any]] = []
    if sources is not None:
        swhere = sources_file or "sources"
        for line, row in _table(sources, sources_file, ("source_id",)):
            sid = row.get("source_id", "").strip()
            if not sid:
                raise LoadError("a source has no source_id", location=Location(sources_file, line))
            ref: dict[str, Any] = {"id": sid, "citation": row.get("title") or sid}
            for key in ("doi", "url"):
                if row.get(key):
                    ref[key] = row[key]
            references.append(ref)
            for column, value in row.items():
                if column not in SOURCE_COLUMNS and value:
                    losses.append(Loss(f"{swhere}:{line}", column, repr(value[:40])))
    kind_of = {label: element_class(kind).kind for label, kind in (kinds or {}).items()}
    fallback = element_class(default_kind).kind
    ids: dict[str, str] = {}
    used: set[str] = set()
    elements: list[dict[str, Any]] = []
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for line, row in _table(links, links_file, ("cause", "effect")):
        ends = []
        sign = Sign.INCREASES
        for side in ("cause", "effect"):
            label = row.get(side, "")
            while label.startswith(_OPPOSITE):
                label = label[1:]
                sign = sign * Sign.REDUCES
            if not label.strip():
                raise LoadError(f"the row has no {side}", location=Location(links_file, line))
            if label not in ids:
                ids[label] = _slug(label, used)
                used.add(ids[label].casefold())
                kind = kind_of.get(label, fallback)
                elements.append({"id": ids[label], "kind": kind.value, "label": label})
            ends.append(ids[label])
        tags = [t.strip() for t in row.get("tags", "").split(",") if t.strip()]
        evidence: dict[str, Any] = {}
        feedback = False
        for tag in tags:
            key, _, value = tag.partition(":")
            if tag == "feedback":
                feedback = True
            elif key == "status" and value in {s.value for s in EvidenceStatus}:
                evidence["status"] = value
            elif key == "strength" and value in {s.value for s in Strength}:
                evidence["strength"] = value
            else:
                losses.append(Loss(f"{where}:{line}", "tags", repr(tag)))
        for column, field in (
            ("source_id", "reference"),
            ("quote", "quote"),
            ("page", "page"),
            ("link_memo", "note"),
        ):
            if row.get(column):
                evidence[field] = row[column].strip() if field == "reference" else row[column]
        for column, value in row.items():
            if column not in LINK_COLUMNS and value:
                losses.append(Loss(f"{where}:{line}", column, repr(value[:40])))
        pair = (ends[0], ends[1])
        link = grouped.get(pair)
        if link is None:
            link = grouped[pair] = {"from": ends[0], "to": ends[1], "evidence": []}
            if sign is Sign.REDUCES:
                link["sign"] = sign.value
        elif link.get("sign", "increases") != sign.value:
            raise LoadError(
                f"{row.get('cause')!r} -> {row.get('effect')!r} is coded with both signs;"
                " changemodel holds one sign per link",
                location=Location(links_file, line),
            )
        if feedback:
            link["feedback"] = True
        if set(evidence) & {"reference", "quote", "note"}:
            link["evidence"].append(evidence)
        elif evidence:
            losses.append(
                Loss(f"{where}:{line}", "evidence", "a page, status or strength with no source")
            )
    document: dict[str, Any] = {"changemodel": FORMAT_VERSION, "title": title}
    if references:
        document["references"] = references
    if elements:
        document["elements"] = elements
    if grouped:
        document["links"] = [
            {k: v for k, v in link.items() if v != []} for link in grouped.values()
        ]
    model = from_data(document, positions={(): Location(links_file)}, file=links_file)
    return model, LossReport("causal-map (read)", tuple(sorted(losses)))


def read_causal_map(
    links: PathOrFile,
    sources: PathOrFile | None = None,
    *,
    title: str | None = None,
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str | None = None,
) -> tuple[ChangeModel, LossReport]:
    """Read a links CSV (and a sources CSV), each from a path or an open text file:
    the model and what it could not carry. The title defaults to the links file's
    name."""
    links_text, links_name = read_text(links)
    sources_text, sources_name = read_text(sources) if sources is not None else (None, None)
    return from_causal_map(
        links_text,
        sources_text,
        title=title or (Path(links_name).stem if links_name else "Imported from Causal Map"),
        kinds=kinds,
        default_kind=default_kind or Kind.PROCESS_OUTCOME,
        links_file=links_name,
        sources_file=sources_name,
    )
