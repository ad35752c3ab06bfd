"""Reading YAML (and JSON) text into plain data, with a location for every value.

Only the plain YAML types are accepted: mappings with text keys, sequences,
text, integers, floats, booleans and null. Tags that would construct objects,
aliases, merge keys, duplicate keys and multiple documents are refused with
the file, line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Final

import yaml

from changemodel.errors import LoadError, Location

__all__ = [
    "Path",
    "Positions",
    "decode",
    "format_path",
    "lone_surrogates",
    "parse_json",
    "parse_yaml",
]

Path = tuple[str | int, ...]
Positions = dict[Path, Location]

MAX_DEPTH: Final = 64

_YAML = "tag:yaml.org,2002:"

#: LibYAML's parser when PyYAML was built with it (several times faster), else
#: the pure-Python one; both give the same nodes and marks.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS: Final = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


def format_path(path: Path) -> str:
    """``("elements", 3, "kind")`` -> ``elements[3].kind``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text or "(document)"


def decode(data: bytes, file: str | None) -> str:
    """Decode UTF-8 (a byte-order mark is allowed) or say where the bad byte is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            location=Location(file, line, column),
            expected="UTF-8 text",
        ) from None


def _loc(file: str | None, node: yaml.Node | yaml.Mark | None) -> Location:
    mark = node.start_mark if isinstance(node, yaml.Node) else node
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


class _Converter:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.positions: Positions = {}
        self.seen: set[int] = set()
        self.loader = yaml.SafeLoader("")

    def error(self, message: str, node: yaml.Node, path: Path, **kw: Any) -> LoadError:
        return LoadError(message, location=_loc(self.file, node), path=format_path(path), **kw)

    def convert(self, node: yaml.Node, path: Path, *, record: bool = True) -> Any:
        if len(path) > MAX_DEPTH:
            raise self.error(f"the document is nested deeper than {MAX_DEPTH} levels", node, path)
        if id(node) in self.seen:
            raise self.error(
                "YAML aliases (*name) and merge keys are not allowed in a model file;"
                " write the value out",
                node,
                path,
            )
        self.seen.add(id(node))
        if record:
            self.positions[path] = _loc(self.file, node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _YAML + "seq":
                raise self.error(f"the tag {node.tag!r} is not allowed", node, path)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        if node.tag != _YAML + "map":
            raise self.error(f"the tag {node.tag!r} is not allowed", node, path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                raise self.error("YAML merge keys (<<) are not allowed", key_node, path)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise self.error("a mapping key must be plain text", key_node, path)
            key = str(key_node.value)
            if key in result:
                first = self.positions.get((*path, key))
                where = f" (first at line {first.line})" if first and first.line else ""
                raise self.error(f"duplicate key {key!r}{where}", key_node, path, value=key)
            # A key's path is located at the key: "lable:" rather than its value.
            self.positions[(*path, key)] = _loc(self.file, key_node)
            result[key] = self.convert(value_node, (*path, key), record=False)
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise self.error(
                f"the tag {tag!r} is not allowed: a model file holds only plain data",
                node,
                path,
            )
        if tag in (_YAML + "str", _YAML + "timestamp"):
            return str(node.value)
        try:
            return self.loader.construct_object(node)
        except (KeyError, ValueError, OverflowError, yaml.YAMLError):
            # "!!bool maybe", an integer of more digits than Python converts, ...
            kind = tag.removeprefix(_YAML)
            raise self.error(
                f"{_short(node.value)!r} cannot be read as a {_KIND_NAMES.get(kind, kind)}",
                node,
                path,
                value=_short(node.value),
            ) from None


_KIND_NAMES: Final = {
    "bool": "boolean",
    "int": "whole number",
    "float": "number",
    "null": "null",
}


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]} ({len(text)} characters)"


def parse_yaml(text: str, file: str | None = None) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data and the location of each path."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise LoadError(f"invalid YAML: {problem}", location=_loc(file, mark)) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", location=Location(file)) from None
    except RecursionError:
        raise LoadError(
            "the document is nested too deeply to read", location=Location(file)
        ) from None
    if not nodes:
        raise LoadError("the document is empty", location=Location(file, 1, 1))
    if len(nodes) > 1:
        raise LoadError(
            "the file holds more than one YAML document; a model file holds one",
            location=_loc(file, nodes[1]),
        )
    converter = _Converter(file)
    try:
        data = converter.convert(nodes[0], ())
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(
            "the document is nested too deeply to read", location=Location(file)
        ) from None
    except (ValueError, TypeError, yaml.YAMLError) as exc:
        raise LoadError(f"invalid value: {exc}", location=Location(file)) from None
    return data, converter.positions


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(text: str, file: str | None = None) -> tuple[Any, Positions]:
    """Parse JSON strictly (no duplicate keys, no NaN); locations where they can be found."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", location=Location(file, exc.lineno, exc.colno)
        ) from None
    except _DuplicateKey as exc:
        # JSON is (nearly) YAML: let the YAML reader find where the duplicate is.
        try:
            parse_yaml(text, file)
        except LoadError as located:
            if "duplicate key" in located.reason:
                raise located from None
        raise LoadError(f"duplicate key {exc.key!r}", location=Location(file)) from None
    except (ValueError, RecursionError) as exc:
        raise LoadError(f"invalid JSON: {exc}", location=Location(file)) from None
    try:
        _, positions = parse_yaml(text, file)
    except LoadError:
        positions = {}
    return data, positions


#: An escape that may stand for half of a surrogate pair, in JSON or YAML text.
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")


def lone_surrogates(text: str, data: Any) -> Iterator[tuple[Path, str]]:
    """The paths of the texts in *data* that hold a lone surrogate (``"\\ud800"``),
    which no file can hold, with the text; looked for only when *text* could
    produce one."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not _encodable(key):
                    yield path, key
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
