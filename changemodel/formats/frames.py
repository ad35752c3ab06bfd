"""A model as pandas data frames, one per kind of record, and back.

:func:`to_frames` gives a dict of data frames keyed by :data:`FRAMES`; each
frame's columns are :data:`COLUMNS` of that key, in that order, derived from
the fields of the domain classes (``changemodel.domain``): a field holding
plain values is a column, a field holding value objects (indicators,
evidence, actors) is a frame of its own whose rows name their owner and their
``position`` in the owner's list. Enumerations are their text (``"reduces"``);
a missing value is ``None`` (and ``NaN`` in the float column ``confidence``);
fields holding lists of text (``tags``, ``theories``, ``assumptions``,
``timepoints``, a theory's ``references``) hold Python lists.
:func:`from_frames` reads such frames back into the same model, so the round
trip loses nothing.

pandas is an optional dependency (``pip install "changemodel[frames]"``),
imported only by these functions.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> frames = to_frames(m)
>>> frames["elements"].loc[:, list(("id", "kind", "label"))]
  id             kind   label
0  a         activity      Do
1  o  process_outcome  Change
>>> from_frames(frames) == m
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from changemodel.domain import (
    ELEMENT_CLASSES,
    Actor,
    Element,
    Evidence,
    Indicator,
    Kind,
    Link,
    Reference,
    Theory,
    element_class,
    field_info,
)
from changemodel.errors import ChangeModelError, InvalidValueError
from changemodel.model import ChangeModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "FRAMES", "frames_reference", "from_frames", "to_frames"]

#: Fields that hold value objects: each is a frame of its own.
_NESTED: Final = {"actors": Actor, "indicators": Indicator, "evidence": Evidence}


def _plain_fields(cls: type) -> list[str]:
    return [f.name for f in attrs.fields(cls) if f.name not in _NESTED]


def _element_columns() -> tuple[str, ...]:
    names: dict[str, None] = {"id": None, "kind": None}
    for cls in ELEMENT_CLASSES.values():
        names.update(dict.fromkeys(_plain_fields(cls)))
    return tuple(names)


#: The owner of a nested record: an element (``element``) or a link (``source``,
#: ``target``, ``relation``), and its place in the owner's list.
_OWNER: Final = ("element", "source", "target", "relation", "position")

#: Frame name -> its columns, in order. The frames of :func:`to_frames`.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "model": ("title", "description", "version", "validation"),
    "references": tuple(_plain_fields(Reference)),
    "theories": tuple(_plain_fields(Theory)),
    "elements": _element_columns(),
    "links": tuple(_plain_fields(Link)),
    "actors": ("element", "position", *_plain_fields(Actor)),
    "indicators": ("element", "position", *_plain_fields(Indicator)),
    "evidence": (*_OWNER, *_plain_fields(Evidence)),
}


def _other_parts() -> dict[str, Any]:
    """The parts of a model file (:data:`changemodel.domain.PARTS`) that have no
    frame of their own above: the extension point. Each gets a frame with a column
    per field, in which records are mappings (configurations, say, once a model
    holds them); a part that deserves tidier frames gets them above."""
    from changemodel.domain import PARTS

    return {part.key: part for part in PARTS if part.key not in COLUMNS}


_OTHER: Final = _other_parts()
COLUMNS.update({key: tuple(f.name for f in attrs.fields(p.cls)) for key, p in _OTHER.items()})

#: The frames, in the order :func:`to_frames` gives them.
FRAMES: Final = tuple(COLUMNS)


def _cell(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_cell(v) for v in value]
    if isinstance(value, str):  # StrEnum members too
        return str(value)
    if attrs.has(type(value)):
        return {
            f.name: _cell(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if getattr(value, f.name) not in (None, ())
        }
    return value


def _rows(model: ChangeModel) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FRAMES}
    rows["model"].append(
        {
            "title": model.title,
            "description": model.description,
            "version": model.version,
            "validation": dict(model.settings) or None,
        }
    )
    for ref in sorted(model.references, key=lambda r: r.id):
        rows["references"].append({c: _cell(getattr(ref, c)) for c in COLUMNS["references"]})
    for theory in sorted(model.theories, key=lambda t: t.id):
        rows["theories"].append({c: _cell(getattr(theory, c)) for c in COLUMNS["theories"]})
    for e in model.elements:
        row = {c: _cell(getattr(e, c, None)) for c in COLUMNS["elements"]}
        row["kind"] = e.kind.value
        rows["elements"].append(row)
        for name in ("actors", "indicators"):
            for i, item in enumerate(getattr(e, name)):
                rows[name].append(
                    {"element": e.id, "position": i, **_fields(item, COLUMNS[name][2:])}
                )
        for i, ev in enumerate(e.evidence):
            owner = {"element": e.id, "source": None, "target": None, "relation": None}
            rows["evidence"].append({**owner, "position": i, **_fields(ev, COLUMNS["evidence"])})
    for link in model.links:
        rows["links"].append({c: _cell(getattr(link, c)) for c in COLUMNS["links"]})
        for i, ev in enumerate(link.evidence):
            owner = {
                "element": None,
                "source": link.source,
                "target": link.target,
                "relation": link.relation.value,
            }
            rows["evidence"].append({**owner, "position": i, **_fields(ev, COLUMNS["evidence"])})
    for key in _OTHER:
        for obj in getattr(model, key):
            rows[key].append({c: _cell(getattr(obj, c)) for c in COLUMNS[key]})
    return rows


def _fields(obj: Any, columns: Iterable[str]) -> dict[str, Any]:
    names = {f.name for f in attrs.fields(type(obj))}
    return {c: _cell(getattr(obj, c)) for c in columns if c in names}


def to_frames(model: ChangeModel) -> dict[str, pd.DataFrame]:
    """The model as data frames keyed by :data:`FRAMES` (see the module's notes).

    Elements come in the model's order, links too; references and theories by id.
    """
    import pandas as pd

    frames: dict[str, pd.DataFrame] = {}
    for name, rows in _rows(model).items():
        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS[name]))
        for column in frame.columns:
            if column == "confidence":
                frame[column] = frame[column].astype("float64")
            elif column == "position":
                frame[column] = frame[column].astype("int64")
            elif column == "feedback":
                frame[column] = frame[column].astype("bool")
            else:
                frame[column] = frame[column].astype(object)
        frames[name] = frame
    return frames


# ----------------------------------------------------------------------- read


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is there when frames are
        return False


def _value(value: Any) -> Any:
    """A cell as a domain value: missing cells are ``None``, numpy scalars plain."""
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    if _missing(value):
        return None
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and not isinstance(value, str):
        return item()
    return value


def _records(frames: Mapping[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    frame = frames.get(name)
    if frame is None:
        return []
    unknown = [str(c) for c in frame.columns if c not in COLUMNS[name]]
    if unknown:
        raise InvalidValueError(
            f"the {name} frame has unknown columns {', '.join(unknown)};"
            f" expected {', '.join(COLUMNS[name])}",
            attribute=name,
            value=unknown,
        )
    out = []
    for index, row in zip(frame.index, frame.to_dict("records"), strict=True):
        values = {str(k): _value(v) for k, v in row.items()}
        out.append((index, {k: v for k, v in values.items() if v is not None}))
    return out


class _Where:
    def __init__(self, name: str, index: object) -> None:
        self.name, self.index = name, index

    def fail(self, exc: Exception) -> InvalidValueError:
        return InvalidValueError(
            f"{self.name} frame, row {self.index!r}: {exc}",
            attribute=self.name,
            value=self.index,
        )


def _build(where: _Where, make: Any, **kwargs: Any) -> Any:
    try:
        return make(**kwargs)
    except (ChangeModelError, TypeError, ValueError) as exc:
        raise where.fail(exc) from None


def _nested(
    frames: Mapping[str, Any], name: str, cls: type
) -> dict[tuple[Any, ...], list[tuple[int, Any]]]:
    """Owner -> [(position, object)] for the actors, indicators or evidence frame."""
    owned: dict[tuple[Any, ...], list[tuple[int, Any]]] = {}
    for index, row in _records(frames, name):
        where = _Where(name, index)
        position = row.pop("position", 0)
        if "element" in row:
            owner: tuple[Any, ...] = (row.pop("element"),)
            if cls is Evidence:  # the link's columns (empty) name no owner here
                for key in ("source", "target", "relation"):
                    row.pop(key, None)
        else:
            try:
                owner = (row.pop("source"), row.pop("target"), row.pop("relation", "leads_to"))
            except KeyError:
                raise where.fail(
                    ValueError("a row names its element, or its link's source and target")
                ) from None
        owned.setdefault(owner, []).append((int(position), _build(where, cls, **row)))
    return owned


def _ordered(items: list[tuple[int, Any]] | None) -> tuple[Any, ...]:
    return tuple(obj for _, obj in sorted(items or [], key=lambda pair: pair[0]))


def from_frames(frames: Mapping[str, pd.DataFrame]) -> ChangeModel:
    """The model that :func:`to_frames` gave *frames* for.

    Frames may be left out (no links, no evidence ...); a missing ``model``
    frame gives the title "Untitled change model". Rows may come in any order
    (``position`` orders the nested records). A bad row raises
    :class:`~changemodel.errors.InvalidValueError` naming the frame and row.
    """
    unknown = [name for name in frames if name not in COLUMNS]
    if unknown:
        raise InvalidValueError(
            f"unknown frames {', '.join(map(repr, unknown))}; expected {', '.join(FRAMES)}",
            attribute="frames",
            value=unknown,
        )
    meta = _records(frames, "model")
    if len(meta) > 1:
        raise InvalidValueError("the model frame holds one row", attribute="model")
    head = meta[0][1] if meta else {}
    where = _Where("model", meta[0][0] if meta else 0)
    model: ChangeModel = _build(
        where,
        ChangeModel,
        title=head.get("title", "Untitled change model"),
        description=head.get("description"),
        version=head.get("version"),
        settings=head.get("validation"),
    )
    for name, make in (("references", Reference), ("theories", Theory)):
        for index, row in _records(frames, name):
            model.add(_build(_Where(name, index), make, **row))
    actors = _nested(frames, "actors", Actor)
    indicators = _nested(frames, "indicators", Indicator)
    evidence = _nested(frames, "evidence", Evidence)
    for index, row in _records(frames, "elements"):
        where = _Where("elements", index)
        kind = row.pop("kind", None)
        try:
            cls: type[Element] = element_class(kind)
        except (InvalidValueError, KeyError) as exc:
            raise where.fail(exc) from None
        key = (row.get("id"),)
        row.update(
            actors=_ordered(actors.pop(key, None)),
            indicators=_ordered(indicators.pop(key, None)),
            evidence=_ordered(evidence.pop(key, None)),
        )
        _add(where, model, _build(where, cls, **row))
    for index, row in _records(frames, "links"):
        where = _Where("links", index)
        link = _build(where, Link, **row)
        owner = (link.source, link.target, link.relation.value)
        link = attrs.evolve(link, evidence=_ordered(evidence.pop(owner, None)))
        _add(where, model, link)
    for name, part in _OTHER.items():
        for index, row in _records(frames, name):
            _add(_Where(name, index), model, _build(_Where(name, index), part.cls, **row))
    leftover = [owner for owned in (actors, indicators, evidence) for owner in owned]
    if leftover:
        owner = leftover[0]
        what = f"element {owner[0]!r}" if len(owner) == 1 else f"link {owner[0]}->{owner[1]}"
        raise InvalidValueError(
            f"a nested row belongs to {what}, which the frames do not hold",
            attribute="frames",
            value=owner,
        )
    return model


def _add(where: _Where, model: ChangeModel, item: Any) -> None:
    try:
        model.add(item)
    except ChangeModelError as exc:
        raise where.fail(exc) from None


# ------------------------------------------------------------------ reference

#: What each frame is, and the columns that are not fields of a domain class.
_FRAME_DOCS: Final = {
    "model": ("One row: the model's own fields.", Any),
    "references": ("One row per reference, by id.", Reference),
    "theories": ("One row per theory, by id.", Theory),
    "elements": ("One row per element, in the model's order.", Element),
    "links": ("One row per link, in the model's order.", Link),
    "actors": ("One row per actor of an element.", Actor),
    "indicators": ("One row per indicator of an element.", Indicator),
    "evidence": (
        "One row per piece of evidence. Evidence on an element names the `element`;"
        " evidence on a link names the link's `source`, `target` and `relation`"
        " (and its `element` is `None`).",
        Evidence,
    ),
}
_OTHER_DOCS: Final = {
    ("model", "title"): "the model's title",
    ("model", "description"): "what the model is about",
    ("model", "version"): "the model's version",
    ("model", "validation"): "the validation settings, a mapping",
    ("elements", "kind"): "the kind: " + ", ".join(f"`{k.value}`" for k in Kind),
    ("actors", "element"): "the id of the element the actor belongs to",
    ("indicators", "element"): "the id of the element measured",
    ("evidence", "element"): "the id of the element the evidence supports",
    ("evidence", "source"): "the source of the link the evidence supports",
    ("evidence", "target"): "the target of the link the evidence supports",
    ("evidence", "relation"): "the relation of the link the evidence supports",
}
_LISTS: Final = {"theories", "tags", "assumptions", "timepoints", "references"}


def _column_doc(frame: str, column: str) -> str:
    if frame in _OTHER:
        return field_info(attrs.fields_dict(_OTHER[frame].cls)[column]).doc
    if (frame, column) in _OTHER_DOCS:
        return _OTHER_DOCS[(frame, column)]
    if column == "position":
        return "its place in its owner's list, from 0"
    cls = _FRAME_DOCS[frame][1]
    classes: list[type] = list(ELEMENT_CLASSES.values()) if cls is Element else [cls]
    for each in classes:
        fields = attrs.fields_dict(each)
        if column in fields:
            doc = field_info(fields[column]).doc
            if frame == "elements" and column in ("resource", "reasoning", "horizon"):
                doc += f" ({each.__name__.lower().replace('outcome', ' outcome')}s only)"
            return f"*list*: {doc}" if column in _LISTS else doc
    raise KeyError(f"no description for the column {column!r} of {frame!r}")  # pragma: no cover


def frames_reference() -> str:
    """The reference page of the frames' columns, from the fields' descriptions."""
    lines = [
        "# Data frames",
        "",
        "<!-- generated by `python -m changemodel.cli._docs docs`: do not edit -->",
        "",
        "`changemodel.to_frames(model)` gives a dict of pandas data frames, one per",
        "kind of record; `changemodel.from_frames(frames)` reads them back into the",
        'same model. Install pandas with `pip install "changemodel[frames]"`.',
        "",
        "The columns below are stable: they are the fields of the model file, in",
        "this order, described as the [JSON Schema](schema.json) describes them",
        "(a link's ends are `source` and `target`, where the file says `from` and",
        "`to`). A missing value is `None` (`NaN` in `confidence`); enumerations",
        "are their text (`reduces`); a *list* cell holds a Python list of text. A field that",
        "holds records (an element's actors, indicators and evidence, a link's",
        "evidence) is a frame of its own, whose rows name their owner and their",
        "`position` in the owner's list.",
        "",
        "`from_frames` takes frames built by hand too: any frame, and any column",
        "that holds nothing, may be left out; rows may come in any order; a bad row",
        "raises `InvalidValueError` naming the frame and the row.",
        "",
    ]
    for name in FRAMES:
        about = (
            _FRAME_DOCS[name][0] if name in _FRAME_DOCS else f"One row each: {_OTHER[name].doc}."
        )
        lines += [f"## `{name}`", "", about, "", "| column | holds |", "|---|---|"]
        lines += [f"| `{column}` | {_column_doc(name, column)} |" for column in COLUMNS[name]]
        lines.append("")
    return "\n".join(lines)
