"""The canonical model file, in YAML or JSON: one data model, two syntaxes.

The file starts with the format version key ``changemodel``. Objects are
written in a stable order (references and theories by id, elements by kind
along the chain then id, links by source, target and relation) and fields
that hold their default are left out, so a one-element change is a small diff
and dumping a canonical file reproduces it byte for byte.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.process_outcome("o", "Change")
>>> print(dumps(m), end="")
changemodel: 1
title: Tiny
elements:
- id: a
  kind: activity
  label: Do
- id: o
  kind: process_outcome
  label: Change
links:
- from: a
  to: o
>>> loads(dumps(m)) == m
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import IO, Any, Final, Literal

import attrs
import yaml

from changemodel.converter import Issue, describe, structure, unstructure
from changemodel.domain import PARTS, Configuration, Link, ModelHeader
from changemodel.errors import (
    ChangeModelError,
    InvalidValueError,
    LoadError,
    LoadErrors,
    Location,
    SettingsError,
    UnknownIdError,
    did_you_mean,
)
from changemodel.formats._files import file_name, open_file
from changemodel.formats._located import (
    LazyLocations,
    Path,
    SourceMap,
    decode,
    format_path,
    lone_surrogates,
    parse_json,
    parse_yaml,
)
from changemodel.model import ChangeModel

__all__ = [
    "FORMAT_VERSION",
    "Syntax",
    "dump",
    "dumps",
    "from_data",
    "load",
    "loads",
    "to_data",
]

#: The version of the file format this library writes and reads.
FORMAT_VERSION: Final = 1

Syntax = Literal["yaml", "json"]

# --------------------------------------------------------------------- write


def to_data(model: ChangeModel) -> dict[str, Any]:
    """The model as plain data (dicts, lists, text, numbers) in canonical order."""
    header = ModelHeader(FORMAT_VERSION, model.title, model.description, model.version)
    data: dict[str, Any] = unstructure(header)
    for part in PARTS:
        objects = sorted(getattr(model, part.key), key=part.order)
        if objects:
            data[part.key] = [unstructure(obj) for obj in objects]
    if model.settings:
        # As written (either spelling of a key), in a stable order.
        data["validation"] = _sorted_settings(model.settings)
    return data


def _sorted_settings(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _sorted_settings(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted_settings(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Block style; text with line breaks as literal blocks; no anchors.

    PyYAML's own emitter, not LibYAML's: the two differ (LibYAML escapes
    characters beyond the Basic Multilingual Plane), and the canonical bytes
    must not depend on how PyYAML was built.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and value == value.strip(" ") and "\r" not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dumps(model: ChangeModel, syntax: Syntax = "yaml") -> str:
    """The model's canonical text in ``"yaml"`` or ``"json"``."""
    data = to_data(model)
    if syntax == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if syntax == "yaml":
        text: str = yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=88,
        )
        return text
    raise InvalidValueError(f"unknown syntax {syntax!r}; expected 'yaml' or 'json'", value=syntax)


def syntax_of(path: str | os.PathLike[str]) -> Syntax:
    """``json`` for ``*.json`` files, ``yaml`` otherwise."""
    return "json" if str(path).lower().endswith(".json") else "yaml"


@open_file("w")
def dump(model: ChangeModel, file: IO[str], syntax: Syntax | None = None) -> None:
    """Write the model to a path (atomically) or an open text file; the syntax comes
    from the file name (``.json`` is JSON, anything else YAML) unless given."""
    name = file_name(file)
    file.write(dumps(model, syntax or (syntax_of(name) if name else "yaml")))


# ---------------------------------------------------------------------- read


_HEADER_KEYS: Final = tuple(a.name for a in ModelHeader.__attrs_attrs__)
#: Every key a model file may have at the top, in file order.
MODEL_KEYS: Final = (*_HEADER_KEYS[:-1], *(p.key for p in PARTS), _HEADER_KEYS[-1])


class _Reader:
    """Turns plain data into a model, collecting every problem with its location."""

    def __init__(
        self, positions: Mapping[Path, Location], file: str | None, *, consume: bool = False
    ) -> None:
        self.positions = positions
        self.file = file
        #: free the plain data as it is read (when it was made for this reading only)
        self.consume = consume
        self.errors: list[LoadError] = []
        #: What was added from each list at the top, item by item (None where refused),
        #: for the model's locations (named when asked for).
        self.added: dict[str, list[Any]] = {}
        #: whether the model keeps validation settings, whose places are located too
        self.settings = False

    def where(self, path: Path) -> Location:
        probe = path
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), Location(self.file))

    def fail(self, message: str, path: Path, **kw: Any) -> None:
        self.errors.append(
            LoadError(message, location=self.where(path), path=format_path(path), **kw)
        )

    def issue(self, issue: Issue, path: Path) -> None:
        self.fail(
            issue.message,
            (*path, *issue.path),
            value=issue.value,
            expected=issue.expected,
            suggestion=issue.suggestion,
        )

    def sequence(self, value: Any, path: Path) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"expected a list, found {describe(value)}", path, value=value)
            return []
        return value

    def model(self, data: Any) -> ChangeModel | None:
        if not isinstance(data, dict):
            self.fail(f"a model file holds a mapping, found {describe(data)}", ())
            return None
        if "changemodel" not in data:
            self.fail(
                "not a changemodel file: the format version key 'changemodel' is missing"
                f" (write 'changemodel: {FORMAT_VERSION}' first)",
                (),
            )
            return None
        version = data["changemodel"]
        if isinstance(version, bool) or not isinstance(version, int):
            self.fail("the format version must be a whole number", ("changemodel",), value=version)
            return None
        if version > FORMAT_VERSION:
            self.fail(
                f"this file is in format {version}, newer than this library reads"
                f" ({FORMAT_VERSION}); upgrade changemodel",
                ("changemodel",),
            )
            return None
        if version < 1:
            self.fail(f"unknown format version {version}", ("changemodel",))
            return None
        for key in data:
            if key not in MODEL_KEYS:
                self.fail(
                    f"unknown key {key!r}",
                    (key,),
                    value=key,
                    expected="one of " + ", ".join(MODEL_KEYS),
                    suggestion=did_you_mean(key, MODEL_KEYS),
                )
        header, issues = structure({k: data[k] for k in _HEADER_KEYS if k in data}, ModelHeader)
        for issue in issues:
            self.issue(issue, ())
        settings = data.get("validation")
        model = ChangeModel(
            header.title if header is not None else "Untitled change model",
            description=header.description if header is not None else None,
            version=header.version if header is not None else None,
            # Kept as written (checked above as Settings), so that it is written back so.
            settings=settings if isinstance(settings, dict) else None,
        )
        self.settings = bool(model.settings)
        # Ids of objects refused for their own faults: what names them is not
        # reported again as naming nothing.
        refused: set[str] = set()
        for part in PARTS:
            items = self.sequence(data.get(part.key), (part.key,))
            added = self.added[part.key] = []
            for i, raw in enumerate(items):
                if self.consume:
                    items[i] = None  # each item's plain data is freed once it is read
                obj, issues = structure(raw, part.cls)
                if issues:
                    for issue in issues:
                        self.issue(issue, (part.key, i))
                if obj is not None:
                    obj = self.add(model, obj, (part.key, i), refused)
                elif isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    refused.add(raw["id"])
                added.append(obj)
        return model

    def add(self, model: ChangeModel, obj: Any, path: Path, refused: set[str]) -> Any:
        """Add *obj* to the model and return it, or report why not and return None."""
        if isinstance(obj, Configuration) and not self.configuration_parts(
            model, obj, path, refused
        ):
            return None
        try:
            model.add(obj)
        except UnknownIdError as exc:
            if not isinstance(obj, Link):
                self.fail(exc.reason, path, value=exc.id, suggestion=exc.suggestion)
                return None
            # Each end that names nothing, unless it names an element refused above.
            for side, end in (("from", obj.source), ("to", obj.target)):
                if (end == exc.id or end not in model) and end not in refused:
                    self.unknown_end(model, obj, end, (*path, side))
        except ChangeModelError as exc:
            self.fail(str(exc), path)
        else:
            return obj
        return None

    def locations(self) -> dict[str, Location]:
        """Where each object is (``model.locations``), and each validation setting, so
        that malformed settings can be reported with a line: ``validation`` and
        ``validation:suppress[0].rule`` and so on."""
        out: dict[str, Location] = {}
        if self.settings:
            out["validation"] = self.where(("validation",))
        for part in PARTS:
            for i, obj in enumerate(self.added.get(part.key, ())):
                if obj is not None:
                    out[f"{part.noun}:{obj.id}"] = self.where((part.key, i))
        if "validation" in out:
            for spot, loc in self.positions.items():
                if spot and spot[0] == "validation" and len(spot) > 1:
                    out[f"validation:{format_path(spot[1:])}"] = loc
        return out

    def configuration_parts(
        self, model: ChangeModel, config: Configuration, path: Path, refused: set[str]
    ) -> bool:
        """Report each entry of a configuration that names no element, or an element of
        the wrong kind, at its own key and position; True when there is none."""
        ok = True
        for part, id in model.configuration_parts(config):
            if model.part_accepts(part, id):
                continue
            ok = False
            if id in refused:
                continue  # already reported where the element is
            where = (*path, part, getattr(config, part).index(id))
            only: dict[str, Any] = {part: (id,)}
            try:
                model.check_configuration(attrs.evolve(config, **only))
            except UnknownIdError as exc:
                self.fail(exc.reason, where, value=id, suggestion=exc.suggestion)
            except ChangeModelError as exc:
                self.fail(str(exc), where, value=id)
        return ok

    def unknown_end(self, model: ChangeModel, link: Link, end: str, path: Path) -> None:
        try:
            model.element(end)
        except UnknownIdError as exc:
            self.fail(
                f"link {link.id} refers to an unknown element {end!r}",
                path,
                value=end,
                suggestion=exc.suggestion,
            )


def from_data(
    data: Any, *, positions: Mapping[Path, Location] | None = None, file: str | None = None
) -> ChangeModel:
    """Build a model from plain data; every problem is reported in one :class:`LoadError`."""
    return _build(data, positions if positions is not None else {}, file, consume=False)


def _build(
    data: Any, positions: Mapping[Path, Location], file: str | None, *, consume: bool
) -> ChangeModel:
    reader = _Reader(positions, file, consume=consume)
    model = reader.model(data)
    if reader.errors:
        if all((e.path or "").startswith("validation") for e in reader.errors):
            # Only the settings are wrong: the same error validation would give.
            raise SettingsError(reader.errors)
        raise reader.errors[0] if len(reader.errors) == 1 else LoadErrors(reader.errors)
    assert model is not None
    model.source = file
    model.locations = LazyLocations(reader.locations)
    return model


def loads(text: str | bytes, syntax: Syntax = "yaml", *, file: str | None = None) -> ChangeModel:
    """Read a model from YAML or JSON text."""
    return _loads(text, syntax, file)


def _loads(text: str | bytes, syntax: Syntax, file: str | None) -> ChangeModel:
    if isinstance(text, bytes):
        text = decode(text, file)
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:  # text given as str, with a lone surrogate
            before = text[: exc.start]
            raise LoadError(
                f"the text holds a lone surrogate ({_escaped(text[exc.start])}),"
                " which no file can hold",
                location=Location(
                    file, before.count("\n") + 1, exc.start - (before.rfind("\n") + 1) + 1
                ),
            ) from None
    positions: SourceMap
    if syntax == "json":
        data, positions = parse_json(text, file)
    elif syntax == "yaml":
        data, coarse = parse_yaml(text, file, everything=False)
        positions = SourceMap(text, file, coarse=coarse)
    else:
        raise InvalidValueError(
            f"unknown syntax {syntax!r}; expected 'yaml' or 'json'", value=syntax
        )
    reader = _Reader(positions, file)
    for path, value in lone_surrogates(text, data):
        bad = next(c for c in value if "\ud800" <= c <= "\udfff")
        reader.fail(
            f"the text holds a lone surrogate ({_escaped(bad)}), which no file can hold",
            path,
            value=value,
        )
    if reader.errors:
        raise reader.errors[0] if len(reader.errors) == 1 else LoadErrors(reader.errors)
    model = _build(data, positions, file, consume=True)
    if syntax == "yaml" and not model.settings:
        # Every place the model keeps was recorded while reading: the text is not
        # needed again (for JSON it is, to turn offsets into lines when asked).
        positions.text = None
    return model


def _escaped(char: str) -> str:
    return f"\\u{ord(char):04x}"


@open_file("rb")
def load(file: IO[Any], syntax: Syntax | None = None) -> ChangeModel:
    """Read a model from a path or an open file (binary or text); the syntax comes
    from the file name (``.json`` is JSON, anything else YAML) unless given."""
    name = file_name(file)
    return loads(file.read(), syntax or (syntax_of(name) if name else "yaml"), file=name)
