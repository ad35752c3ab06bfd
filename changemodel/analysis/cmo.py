"""Realist context-mechanism-outcome (CMO) configurations: the stored ones, and
the mechanism-outcome pairs of the graph that no configuration covers.

A realist programme theory is a numbered set of configurations, each a
statement of its own (:class:`changemodel.domain.Configuration`, stored in the
model). :func:`configurations` lists them first, in the order of their ids
(``CMOC2`` before ``CMOC10``), then, marked as derived, each pair of a
mechanism and an outcome it leads to that no stored configuration names
together. A derived configuration is read off the graph: its contexts are those
moderating the mechanism, the outcome or the activities that trigger the
mechanism; its intervention is those activities.

The CMO table has one set of columns (:data:`CMO_COLUMNS`) whatever it is
written as: text, Markdown, HTML or CSV. In the CSV, a cell with several
entries separates them with ``;``; a ``;`` or ``\\`` inside an entry is escaped
with a backslash, so the table reads back exactly (:func:`from_configurations`).

>>> rows = [
...     {"id": "CMOC1", "contexts": "Small group", "mechanisms": "Trust in peers",
...      "outcomes": "Disclosure", "intervention": "Group visit"},
...     {"id": "CMOC2", "contexts": "Large group", "mechanisms": "Trust in peers",
...      "outcomes": "Withdrawal", "intended": "no"},
...     {"id": "CMOC3", "contexts": "Mistrust of clinicians", "mechanisms": "Trust in peers"},
... ]
>>> m = from_configurations(rows, title="Group visits")
>>> for c in configurations(m):
...     print(c)
CMOC1: Small group + Trust in peers -> Disclosure
CMOC2: Large group + Trust in peers -> Withdrawal (unintended)
CMOC3: Mistrust of clinicians + Trust in peers -> (no outcome)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs

from changemodel.analysis._dag import causal_index, reach
from changemodel.analysis._text import csv_text, md_table, one_line
from changemodel.analysis.confidence import PathwayConfidence, configuration_confidence
from changemodel.domain import (
    Activity,
    Actor,
    Confidence,
    Configuration,
    ConfigurationStatus,
    Context,
    Element,
    Evidence,
    Kind,
    Mechanism,
    Relation,
    element_class,
)
from changemodel.errors import ChangeModelError, InvalidValueError
from changemodel.index import GraphIndex
from changemodel.model import ChangeModel
from changemodel.text import count, join

__all__ = [
    "CMO_COLUMNS",
    "ConfigurationError",
    "ConfigurationView",
    "cell_entries",
    "cell_text",
    "column_key",
    "confidence_text",
    "configuration_rows",
    "configurations",
    "format_configurations",
    "from_configurations",
    "join_entries",
    "split_entries",
    "unknown_column",
]


class ConfigurationError(ChangeModelError, ValueError):
    """A row of a configuration table cannot be read; the message names the row."""

    def __init__(self, message: str, *, row: int) -> None:
        super().__init__(f"configuration {row}: {message}")
        self.row = row


#: The columns of every CMO table (``cmo``, ``export --to cmo-md|cmo-html|cmo-csv``):
#: key (the CSV header) and heading (Markdown, HTML, text).
CMO_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("id", "Id"),
    ("status", "Status"),
    ("refines", "Refines"),
    ("statement", "Statement"),
    ("intervention", "Intervention"),
    ("contexts", "Contexts"),
    ("actors", "Actors"),
    ("mechanisms", "Mechanisms"),
    ("resource", "Resource"),
    ("reasoning", "Reasoning"),
    ("outcomes", "Outcomes"),
    ("outcome_kind", "Outcome kind"),
    ("intended", "Intended"),
    ("confidence", "Confidence"),
)

_OUTCOME_KINDS: Final = {
    "process": Kind.PROCESS_OUTCOME,
    "downstream": Kind.DOWNSTREAM_OUTCOME,
}


@attrs.frozen
class ConfigurationView:
    """A configuration with its elements resolved: a stored one, or one derived
    from the graph (``derived=True``, no status)."""

    id: str
    derived: bool
    status: ConfigurationStatus | None
    intervention: tuple[Element, ...] = ()
    contexts: tuple[Element, ...] = ()
    actors: tuple[Actor, ...] = ()
    mechanisms: tuple[Element, ...] = ()
    outcomes: tuple[Element, ...] = ()
    statement: str | None = None
    refines: tuple[str, ...] = ()
    confidence: Confidence | None = None
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[str, ...] = ()
    #: the configuration's confidence, its CERQual level combined with the chain it
    #: asserts (see :func:`~changemodel.analysis.confidence.configuration_confidence`);
    #: ``None`` for a derived configuration
    assessed: PathwayConfidence | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """The parts left empty (``contexts``, ``mechanisms``, ``outcomes``)."""
        return tuple(p for p in ("contexts", "mechanisms", "outcomes") if not getattr(self, p))

    @property
    def status_text(self) -> str:
        """The status as a table shows it: ``derived`` for a derived configuration."""
        return "derived" if self.status is None else self.status.value

    def __str__(self) -> str:
        contexts = "; ".join(one_line(c.label) for c in self.contexts) or "(no context)"
        mechanisms = "; ".join(one_line(m.label) for m in self.mechanisms) or "(no mechanism)"
        outcomes = (
            "; ".join(
                one_line(o.label) + ("" if getattr(o, "intended", True) else " (unintended)")
                for o in self.outcomes
            )
            or "(no outcome)"
        )
        return f"{self.id}: {contexts} + {mechanisms} -> {outcomes}"

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: element ids for each part, and the elements' labels."""
        elements: dict[str, dict[str, Any]] = {}
        for e in (*self.intervention, *self.contexts, *self.mechanisms, *self.outcomes):
            entry: dict[str, Any] = {"kind": e.kind.value, "label": e.label}
            for name in ("resource", "reasoning"):
                if getattr(e, name, None) is not None:
                    entry[name] = getattr(e, name)
            if e.kind.is_outcome:
                entry["intended"] = getattr(e, "intended", True)
            elements[e.id] = entry
        confidence = None
        if self.confidence is not None:
            confidence = {
                name: getattr(self.confidence, name)
                for name in ("level", *Confidence.COMPONENTS)
                if getattr(self.confidence, name) is not None
            }
            confidence["level"] = self.confidence.level.value
        return {
            "id": self.id,
            "derived": self.derived,
            "status": None if self.status is None else self.status.value,
            "statement": self.statement,
            "refines": list(self.refines),
            "intervention": [e.id for e in self.intervention],
            "contexts": [e.id for e in self.contexts],
            "actors": [
                {"name": a.name, **({"role": a.role} if a.role is not None else {})}
                for a in self.actors
            ],
            "mechanisms": [e.id for e in self.mechanisms],
            "outcomes": [e.id for e in self.outcomes],
            "missing": list(self.missing),
            "confidence": confidence,
            "assessed_confidence": None if self.assessed is None else self.assessed.to_data(),
            "tags": list(self.tags),
            "elements": elements,
        }

    def to_row(self) -> dict[str, str]:
        """The configuration as a row of CSV cells, one per column of :data:`CMO_COLUMNS`."""
        return {key: cell_text(self, key) for key, _ in CMO_COLUMNS}


# ------------------------------------------------------------------ listing


def _natural(id: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting ``CMOC2`` before ``CMOC10``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", id)
        if part
    )


def view(model: ChangeModel, config: Configuration) -> ConfigurationView:
    """A stored configuration with its elements resolved."""

    def get(ids: tuple[str, ...]) -> tuple[Element, ...]:
        return tuple(model.element(i) for i in ids if i in model)

    return ConfigurationView(
        id=config.id,
        derived=False,
        status=config.status,
        intervention=get(config.intervention),
        contexts=get(config.contexts),
        actors=config.actors,
        mechanisms=get(config.mechanisms),
        outcomes=get(config.outcomes),
        statement=config.statement,
        refines=config.refines,
        confidence=config.confidence,
        evidence=config.evidence,
        tags=config.tags,
        assessed=configuration_confidence(model, config),
    )


def configurations(
    model: ChangeModel, *, proximal: bool = True, derived: bool = True
) -> tuple[ConfigurationView, ...]:
    """The stored configurations by id, then (with ``derived=True``) the derived ones.

    A derived configuration is a mechanism and an outcome it leads to (directly
    or through elements that are neither mechanisms nor outcomes; with
    ``proximal=False`` also the outcomes further on, until another mechanism)
    that no stored configuration names together. Derived ones are numbered
    ``D1``, ``D2``, ... in causal order (an id a stored configuration already
    uses is skipped). Each mechanism costs one walk over the links after it, so
    the whole is at most (mechanisms x links).
    """
    stored = sorted(model.configurations, key=lambda c: _natural(c.id))
    result = [view(model, c) for c in stored]
    if derived:
        result.extend(_derived(model, proximal, {c.id for c in stored}))
    return tuple(result)


def _derived(model: ChangeModel, proximal: bool, taken: set[str]) -> Iterator[ConfigurationView]:
    covered = {(m, o) for c in model.configurations for m in c.mechanisms for o in c.outcomes}
    dag = causal_index(model)
    rank = dag.position.__getitem__
    moderators: dict[str, list[str]] = {}
    for link in model.links:
        if link.relation is Relation.MODERATES:
            moderators.setdefault(link.target, []).append(link.source)
    number = 0
    for mechanism in sorted((e.id for e in model.elements_of(Kind.MECHANISM)), key=rank):
        outcomes = [
            o for o in _outcomes(model, dag, mechanism, proximal) if (mechanism, o) not in covered
        ]
        if not outcomes:
            continue
        triggers = sorted(
            (
                v
                for v in reach(dag, [mechanism], forward=False)
                if model.element(v).kind is Kind.ACTIVITY
            ),
            key=rank,
        )
        for outcome in outcomes:
            context_ids: dict[str, None] = {}
            for target in (*triggers, mechanism, outcome):
                context_ids.update(dict.fromkeys(moderators.get(target, ())))
            actors: dict[Actor, None] = {}
            for v in (*triggers, mechanism, outcome):
                actors.update(dict.fromkeys(model.element(v).actors))
            number += 1
            while f"D{number}" in taken:
                number += 1
            yield ConfigurationView(
                id=f"D{number}",
                derived=True,
                status=None,
                intervention=tuple(model.element(a) for a in triggers),
                contexts=tuple(model.element(c) for c in sorted(context_ids, key=rank)),
                actors=tuple(actors),
                mechanisms=(model.element(mechanism),),
                outcomes=(model.element(outcome),),
            )


def _outcomes(model: ChangeModel, dag: GraphIndex, mechanism: str, proximal: bool) -> list[str]:
    seen = {mechanism}
    stack = [mechanism]
    found = []
    while stack:
        v = stack.pop()
        for link in dag.links_out[v]:
            w = link.target
            if w in seen:
                continue
            seen.add(w)
            kind = model.element(w).kind
            if kind is Kind.MECHANISM:
                continue
            if kind.is_outcome:
                found.append(w)
                if proximal:
                    continue
            stack.append(w)
    return sorted(found, key=dag.position.__getitem__)


# ------------------------------------------------------------------- cells

_ESCAPED: Final = frozenset("\\;")
_ACTOR_ESCAPED: Final = frozenset("\\;()")


def join_entries(entries: Sequence[str], *, escape: frozenset[str] = _ESCAPED) -> str:
    """Entries in one cell, separated by ``"; "``; :func:`split_entries` undoes it.

    A ``\\`` or ``;`` inside an entry, and white space at its edges, get a
    backslash, so any text survives.

    >>> join_entries(["a;b", " c"])
    'a\\\\;b; \\\\ c'
    >>> split_entries(join_entries(["a;b", " c"]))
    ['a;b', ' c']
    """
    if not any(entries):
        return ""
    out = []
    for entry in entries:
        chars = [("\\" + ch) if ch in escape else ch for ch in entry]
        if chars and chars[0].isspace():
            chars[0] = "\\" + chars[0]
        if chars and chars[-1].isspace():
            chars[-1] = "\\" + chars[-1]
        out.append("".join(chars))
    return "; ".join(out)


def _tokens(cell: str) -> list[list[tuple[str, bool]]]:
    """A cell split on unescaped ``;`` into entries of (character, escaped)."""
    entries: list[list[tuple[str, bool]]] = [[]]
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            entries[-1].append(("\\" if nxt is None else nxt, True))
        elif ch == ";":
            entries.append([])
        else:
            entries[-1].append((ch, False))
    return entries


def _strip(entry: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    start, end = 0, len(entry)
    while start < end and entry[start][0].isspace() and not entry[start][1]:
        start += 1
    while end > start and entry[end - 1][0].isspace() and not entry[end - 1][1]:
        end -= 1
    return entry[start:end]


def split_entries(cell: str) -> list[str]:
    """The entries of a cell written by :func:`join_entries` (or typed by hand:
    ``"a; b"``); unescaped white space around an entry is dropped. An empty
    cell has no entries; ``"a; "`` has two, the second empty."""
    if not cell.strip():
        return []
    return ["".join(ch for ch, _ in _strip(entry)) for entry in _tokens(cell)]


def _actor_text(actor: Actor) -> str:
    name = join_entries([actor.name], escape=_ACTOR_ESCAPED)
    if actor.role is None:
        return name
    return f"{name} ({join_entries([actor.role], escape=_ACTOR_ESCAPED)})"


def _split_actors(cell: str) -> list[Actor]:
    """``name (role); name`` -> actors; brackets inside a name are escaped."""
    actors = []
    for raw in _tokens(cell):
        entry = _strip(raw)
        if not entry:
            continue
        role = None
        if entry[-1] == (")", False):
            opening = max(
                (i for i, (ch, esc) in enumerate(entry) if ch == "(" and not esc), default=-1
            )
            if opening >= 0:
                role = "".join(ch for ch, _ in _strip(entry[opening + 1 : -1]))
                entry = _strip(entry[:opening])
        actors.append(Actor("".join(ch for ch, _ in entry), role or None))
    return actors


def cell_entries(c: ConfigurationView, key: str) -> tuple[tuple[str, str | None], ...]:
    """The entries of column *key* for configuration *c*: (text, element id or None).

    Parallel columns keep one entry per mechanism (``resource``, ``reasoning``:
    empty text when a mechanism has none) or per outcome (``outcome_kind``,
    ``intended``).
    """

    def elements(items: Iterable[Element]) -> tuple[tuple[str, str | None], ...]:
        return tuple((e.label, e.id) for e in items)

    if key == "id":
        return ((c.id, None),)
    if key == "status":
        return ((c.status_text, None),)
    if key == "refines":
        return tuple((r, None) for r in c.refines)
    if key == "statement":
        return () if c.statement is None else ((c.statement, None),)
    if key in ("intervention", "contexts", "mechanisms", "outcomes"):
        return elements(getattr(c, key))
    if key == "actors":
        return tuple((_actor_text(a), None) for a in c.actors)
    if key in ("resource", "reasoning"):
        values = tuple((getattr(m, key, None) or "", m.id) for m in c.mechanisms)
        return values if any(text for text, _ in values) else ()
    if key == "outcome_kind":
        return tuple((o.kind.value.split("_")[0], o.id) for o in c.outcomes)
    if key == "intended":
        return tuple(("yes" if getattr(o, "intended", True) else "no", o.id) for o in c.outcomes)
    if key == "confidence":
        return () if c.confidence is None else ((c.confidence.level.value, None),)
    raise InvalidValueError(f"unknown CMO column {key!r}", value=key)


def cell_text(c: ConfigurationView, key: str) -> str:
    """Column *key* of configuration *c* as one CSV cell (entries joined, escaped)."""
    entries = [text for text, _ in cell_entries(c, key)]
    if key in ("id", "status", "confidence"):
        return entries[0] if entries else ""
    if key == "actors":
        return "; ".join(entries)
    return join_entries(entries)


def configuration_rows(model: ChangeModel, *, proximal: bool = True) -> list[dict[str, str]]:
    """The configurations as rows of CSV cells, ready for a spreadsheet."""
    return [c.to_row() for c in configurations(model, proximal=proximal)]


def format_configurations(items: Sequence[ConfigurationView], format: str = "text") -> str:
    """Configurations as ``text``, a ``markdown`` table, ``csv`` (formula-safe) or ``json``."""
    if format == "text":
        lines = []
        for c in items:
            head = f"{c.id} ({c.status_text}"
            head += (
                f"; partial: no {', no '.join(m[:-1] for m in c.missing)})" if c.missing else ")"
            )
            lines.append(head)
            for key, heading in CMO_COLUMNS[2:]:
                entries = cell_entries(c, key)
                if key == "confidence":
                    entries = ((confidence_text(c), None),)
                if key in ("resource", "reasoning", "outcome_kind", "intended") or not any(
                    text for text, _ in entries
                ):
                    continue
                texts = [one_line(text) for text, _ in entries]
                if key == "actors":
                    texts = [
                        one_line(a.name) + (f" ({one_line(a.role)})" if a.role else "")
                        for a in c.actors
                    ]
                elif key == "mechanisms":
                    texts = [_mechanism_text(m) for m in c.mechanisms]
                elif key == "outcomes":
                    texts = [_outcome_text(o) for o in c.outcomes]
                lines.append(f"  {heading.lower() + ':':<14}{'; '.join(texts)}")
        return "\n".join(lines) + ("\n" if lines else "")
    if format == "json":
        return json.dumps([c.to_data() for c in items], indent=2, ensure_ascii=False) + "\n"
    header = [key for key, _ in CMO_COLUMNS]
    if format == "markdown":  # for reading: entries joined as in the text, unescaped
        headings = [heading for _, heading in CMO_COLUMNS]
        shown = [
            [
                confidence_text(c)
                if key == "confidence"
                else "; ".join(text for text, _ in cell_entries(c, key))
                for key in header
            ]
            for c in items
        ]
        return "\n".join(md_table(headings, shown)) + "\n"
    if format == "csv":
        return csv_text(header, [[cell_text(c, key) for key in header] for c in items])
    raise InvalidValueError(
        f"unknown format {format!r}; expected text, markdown, csv or json", value=format
    )


def confidence_text(c: ConfigurationView) -> str:
    """The confidence of configuration *c* as the text and Markdown tables show it:
    the level combined by the weakest-link rule, the CERQual level stated and the
    weakest steps ("low (CERQual moderate; weakest: a->b, inferred)"). The CSV
    keeps the stated level alone, so that it reads back."""
    stated = "CERQual " + (c.confidence.level.value if c.confidence else "not stated")
    if c.assessed is None:
        return "" if c.confidence is None else stated
    chain = [s for s in c.assessed.weakest if s.what != "configuration"]
    if not chain:
        return f"{c.assessed.level} ({stated})"
    shown = [str(s) for s in chain[:3]] + ([f"{len(chain) - 3} more"] if len(chain) > 3 else [])
    return f"{c.assessed.level} ({stated}; weakest: {join(shown)})"


def _mechanism_text(m: Element) -> str:
    given = [
        one_line(getattr(m, name)) for name in ("resource", "reasoning") if getattr(m, name, None)
    ]
    if one_line(m.label) == " \u2192 ".join(given):
        # the label is the resource and the reasoning joined, as a table without a
        # mechanism column names it: saying them again in brackets repeats the line
        return one_line(m.label)
    parts = [
        f"{name}: {one_line(getattr(m, name))}"
        for name in ("resource", "reasoning")
        if getattr(m, name, None)
    ]
    return one_line(m.label) + (f" [{'; '.join(parts)}]" if parts else "")


def _outcome_text(o: Element) -> str:
    kind = o.kind.label
    extra = f"{kind}, unintended" if not getattr(o, "intended", True) else kind
    return f"{one_line(o.label)} ({extra})"


# ------------------------------------------------------------------ reverse

_ALIASES: Final = {
    "id": "id",
    "cmoc": "id",
    "status": "status",
    "refines": "refines",
    "statement": "statement",
    "c": "contexts",
    "context": "contexts",
    "contexts": "contexts",
    "m": "mechanisms",
    "mechanism": "mechanisms",
    "mechanisms": "mechanisms",
    "o": "outcomes",
    "outcome": "outcomes",
    "outcomes": "outcomes",
    "outcome_kind": "outcome_kind",
    "outcome kind": "outcome_kind",
    "outcome_kinds": "outcome_kind",
    "intended": "intended",
    "i": "intervention",
    "intervention": "intervention",
    "interventions": "intervention",
    "activity": "intervention",
    "a": "actors",
    "actor": "actors",
    "actors": "actors",
    "resource": "resource",
    "reasoning": "reasoning",
    "response": "reasoning",
    "confidence": "confidence",
    "evidence": "evidence",
    "source": "evidence",
    "tags": "tags",
    # headings as published tables and hand-made spreadsheets write them; a heading
    # is read in lower case with brackets and punctuation as spaces, so that
    # "Mechanism (resource)", "Mechanism - resource" and "Outcome(s)" are found
    "cmoc id": "id",
    "cmo id": "id",
    "configuration id": "id",
    "cmoc status": "status",
    "mechanism resource": "resource",
    "mechanism resources": "resource",
    "m resource": "resource",
    "resources": "resource",
    "mechanism reasoning": "reasoning",
    "mechanism response": "reasoning",
    "m reasoning": "reasoning",
    "m response": "reasoning",
    "sources": "evidence",
    "cerqual": "confidence",
    "cerqual confidence": "confidence",
    "confidence cerqual": "confidence",
    "grade cerqual": "confidence",
}
_YES: Final = {
    "yes": True,
    "true": True,
    "intended": True,
    "no": False,
    "false": False,
    "unintended": False,
}


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:60].strip("_")
    if not slug or not slug[0].isalpha():
        slug = "x_" + slug
    return slug


def _parts(value: Any, row: int, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_entries(value)
    if isinstance(value, Iterable):
        out = []
        for item in value:
            if not isinstance(item, str):
                raise ConfigurationError(f"{key} must be text, not {item!r}", row=row)
            out.append(item)
        return out
    raise ConfigurationError(f"{key} must be text or a list of text, not {value!r}", row=row)


def _parallel(row: dict[str, Any], key: str, wanted: int, number: int, of: str) -> list[str]:
    values = _parts(row.get(key), number, key)
    if not values:
        return [""] * wanted
    if len(values) != wanted:
        raise ConfigurationError(
            f"the {key} column has {count(len(values), 'entry')} but the {of} column has"
            f" {count(wanted, 'entry')}: give one per {of[:-1]} (leave an entry empty"
            " between ';' where there is none)",
            row=number,
        )
    return values


class _Builder:
    """Makes elements from labels: the same label (and kind) is the same element."""

    def __init__(self, model: ChangeModel) -> None:
        self.model = model
        self.made: dict[tuple[str, str], str] = {}
        self.taken: set[str] = set()
        #: the values a row gave explicitly, so two rows cannot disagree
        self.given: dict[tuple[str, str], object] = {}

    def element(
        self, group: str, label: str, cls: type[Element], number: int, **fields: Any
    ) -> str:
        given = {k: v for k, v in fields.items() if v is not None}
        key = (group, label)
        id = self.made.get(key)
        if id is None:
            base = _slug(label)
            id, n = base, 1
            while id.casefold() in self.taken:
                n += 1
                id = f"{base}_{n}"
            try:
                self.model.add(cls(id, label, **given))
            except InvalidValueError as exc:
                raise ConfigurationError(str(exc), row=number) from None
            self.taken.add(id.casefold())
            self.made[key] = id
        elif self.model.element(id).kind is not cls.kind:
            raise ConfigurationError(
                f"{label!r} is a {self.model.element(id).kind.label} in an earlier row and a"
                f" {cls.kind.label} here",
                row=number,
            )
        changes = {}
        for name, value in given.items():
            before = self.given.setdefault((id, name), value)
            if before != value:
                raise ConfigurationError(
                    f"{label!r} has two different values for {name}: {before!r} and {value!r}",
                    row=number,
                )
            changes[name] = value
        if changes:
            self.model.update(id, **changes)
        return id


def from_configurations(
    rows: Iterable[Mapping[str, Any] | ConfigurationView],
    *,
    title: str = "Realist programme theory",
    outcome_kind: Kind | str = Kind.PROCESS_OUTCOME,
) -> ChangeModel:
    """Build a model from a configuration table, one configuration per row.

    The columns are those of :data:`CMO_COLUMNS` (case does not matter;
    ``C``/``M``/``O``, ``context``, ``mechanism``, ``outcome`` work too) plus
    ``evidence`` and ``tags``; a row may also be a :class:`ConfigurationView`.
    Several entries go in one cell separated by ``;`` (or as a list).
    ``resource`` and ``reasoning`` give one entry per mechanism, and
    ``outcome_kind`` (``process`` or ``downstream``, else *outcome_kind*) and
    ``intended`` (yes or no) one per outcome. A row without mechanisms but
    with a resource or reasoning gets a mechanism named after them.

    Each row becomes a stored configuration with the row's ``id`` (``CMOC<n>``
    for row *n* when there is none), the links it asserts are added, and any
    of contexts, mechanisms and outcomes may be empty (a partial row). A row
    whose status is ``derived`` adds its elements and links but no stored
    configuration (the graph gives it back). The same text in two rows is the
    same element; ids are made from the text. Problems raise
    :class:`ConfigurationError` naming the row (from 1) and the column.
    """
    model = ChangeModel(title)
    default_outcome = element_class(outcome_kind)
    if not default_outcome.kind.is_outcome:
        raise InvalidValueError(f"{outcome_kind!r} is not an outcome kind", value=outcome_kind)
    build = _Builder(model)
    pending: list[tuple[int, Configuration]] = []
    ids: set[str] = set()
    for number, raw in enumerate(rows, start=1):
        row = _row(raw, number)
        config, derived = _configuration(build, row, number, default_outcome.kind)
        if derived:
            # a derived row's actors are those named on its elements: put them back there
            for mid in config.mechanisms:
                mechanism = model.element(mid)
                extra = tuple(a for a in config.actors if a not in mechanism.actors)
                if extra:
                    model.update(mid, actors=(*mechanism.actors, *extra))
            links = model.asserted_links(config)
            for link in links:
                if link.key not in {lk.key for lk in model.links}:
                    model.add(link)
            continue
        if config.id in ids:
            raise ConfigurationError(f"the id {config.id!r} is used by an earlier row", row=number)
        ids.add(config.id)
        pending.append((number, config))
    for number, config in pending:
        try:
            model.add(config)
        except ChangeModelError as exc:
            raise ConfigurationError(str(exc), row=number) from None
        for link in model.asserted_links(config.id):
            if link.key not in {lk.key for lk in model.links_from(link.source)}:
                model.add(link)
    return model


def _configuration(
    build: _Builder, row: dict[str, Any], number: int, default_outcome: Kind
) -> tuple[Configuration, bool]:
    mechanisms = _parts(row.get("mechanisms"), number, "mechanisms")
    resources = _parts(row.get("resource"), number, "resource")
    reasonings = _parts(row.get("reasoning"), number, "reasoning")
    if not mechanisms and (resources or reasonings):
        n = max(len(resources), len(reasonings))
        resources = resources or [""] * n
        reasonings = reasonings or [""] * n
        if len(resources) != len(reasonings):
            raise ConfigurationError(
                "resource and reasoning need as many entries as each other", row=number
            )
        mechanisms = [
            " \u2192 ".join(x for x in pair if x)
            for pair in zip(resources, reasonings, strict=True)
        ]
    resources = _parallel(row, "resource", len(mechanisms), number, "mechanisms")
    reasonings = _parallel(row, "reasoning", len(mechanisms), number, "mechanisms")
    outcomes = _parts(row.get("outcomes"), number, "outcomes")
    kinds = _parallel(row, "outcome_kind", len(outcomes), number, "outcomes")
    intended = _parallel(row, "intended", len(outcomes), number, "outcomes")
    for label in (*mechanisms, *outcomes):
        if not label.strip():
            raise ConfigurationError("an entry of mechanisms or outcomes is empty", row=number)
    mechanism_ids = [
        build.element(
            "mechanism",
            label,
            Mechanism,
            number,
            resource=resource or None,
            reasoning=reasoning or None,
        )
        for label, resource, reasoning in zip(mechanisms, resources, reasonings, strict=True)
    ]
    outcome_ids = []
    for label, kind_text, intended_text in zip(outcomes, kinds, intended, strict=True):
        kind = default_outcome
        if kind_text.strip():
            key = kind_text.strip().casefold().replace(" outcome", "").replace("_outcome", "")
            if key not in _OUTCOME_KINDS:
                raise ConfigurationError(
                    f"outcome kind {kind_text!r} is neither 'process' nor 'downstream'", row=number
                )
            kind = _OUTCOME_KINDS[key]
        flag: bool | None = None
        if intended_text.strip():
            if intended_text.strip().casefold() not in _YES:
                raise ConfigurationError(
                    f"intended must be yes or no, not {intended_text!r}", row=number
                )
            flag = _YES[intended_text.strip().casefold()]
        outcome_ids.append(
            build.element("outcome", label, element_class(kind), number, intended=flag)
        )
    intervention = [
        build.element("activity", label, Activity, number)
        for label in _parts(row.get("intervention"), number, "intervention")
        if label.strip()
    ]
    contexts = [
        build.element("context", label, Context, number)
        for label in _parts(row.get("contexts"), number, "contexts")
        if label.strip()
    ]
    actors_cell = row.get("actors")
    if isinstance(actors_cell, str):
        actors = _split_actors(actors_cell)
    else:
        actors = [Actor(a) for a in _parts(actors_cell, number, "actors")]
    status_text = row.get("status")
    derived = isinstance(status_text, str) and status_text.strip().casefold() == "derived"
    id = row.get("id")
    if id is None:
        id = f"CMOC{number}"
    elif isinstance(id, str):
        id = id.strip()
    try:
        config = Configuration(
            id,
            statement=_statement(row.get("statement"), number),
            intervention=intervention,
            contexts=contexts,
            actors=actors,
            mechanisms=mechanism_ids,
            outcomes=outcome_ids,
            status=ConfigurationStatus.INITIAL if derived or status_text is None else status_text,
            refines=[r for r in _parts(row.get("refines"), number, "refines") if r.strip()],
            confidence=row.get("confidence"),
            evidence=[Evidence(note=n) for n in _parts(row.get("evidence"), number, "evidence")],
            tags=[t for t in _parts(row.get("tags"), number, "tags") if t.strip()],
        )
    except ChangeModelError as exc:
        raise ConfigurationError(str(exc), row=number) from None
    return config, derived


def _statement(value: Any, number: int) -> str | None:
    """A statement cell: one entry, written escaped; a hand-typed ';' is kept."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"statement must be text, not {value!r}", row=number)
    return "; ".join(split_entries(value)) or None


def column_key(heading: str) -> str | None:
    """The column a configuration table's heading names (``"Context"`` is
    ``contexts``, ``"CMOC"`` is ``id``, ``"Mechanism (resource)"`` is ``resource``),
    or None for a heading it does not know.

    >>> [column_key(h) for h in ("CMOC ID", "Mechanism (reasoning)", "Outcome(s)", "Notes")]
    ['id', 'reasoning', 'outcomes', None]
    """
    folded = heading.strip().casefold()
    found = _ALIASES.get(folded.replace("-", "_")) or _ALIASES.get(folded)
    if found is not None:
        return found
    words = " ".join(re.sub(r"[^\w]+|_", " ", folded.replace("(s)", "s")).split())
    return _ALIASES.get(words) or _ALIASES.get(words.replace(" ", "_"))


def unknown_column(heading: str) -> str:
    """The message for a heading :func:`column_key` does not know."""
    expected = ", ".join(k for k, _ in CMO_COLUMNS)
    return f"unknown column {heading!r}; expected one of {expected}, evidence, tags"


def _row(raw: Mapping[str, Any] | ConfigurationView, number: int) -> dict[str, Any]:
    if isinstance(raw, ConfigurationView):
        return {k: v for k, v in raw.to_row().items() if v}
    if not isinstance(raw, Mapping):
        raise ConfigurationError(
            f"expected a mapping of columns, not {type(raw).__name__}", row=number
        )
    row: dict[str, Any] = {}
    for key, value in raw.items():
        name = column_key(str(key))
        if name is None:
            raise ConfigurationError(unknown_column(str(key)), row=number)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name in row:
            raise ConfigurationError(f"two columns give {name}", row=number)
        row[name] = value
    return row
