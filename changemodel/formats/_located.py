"""Reading YAML (and JSON) text into plain data, with a location for every value.

Only the plain YAML types are accepted: mappings with text keys, sequences,
text, integers, floats, booleans and null. Tags that would construct objects,
aliases, merge keys, duplicate keys and multiple documents are refused with
the file, line and column.
"""

from __future__ import annotations

import json
import json.scanner
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, Final

import yaml

from changemodel.errors import LoadError, Location

__all__ = [
    "LazyLocations",
    "Path",
    "Positions",
    "SourceMap",
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


def _loc(file: str | None, node: Any) -> Location:
    mark = node.start_mark if isinstance(node, yaml.Node) else node
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


_KIND_NAMES: Final = {
    "bool": "boolean",
    "int": "whole number",
    "float": "number",
    "null": "null",
}


def _short(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}...{text[-10:]} ({len(text)} characters)"


def parse_yaml(
    text: str, file: str | None = None, *, everything: bool = True
) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data and the location of each path (with
    ``everything=False``, of the top keys and the objects of the lists at the top).

    The data is built from the parser's events as they come, so no tree of YAML
    nodes is kept in memory beside it.
    """
    reader = _Events(text, file, everything=everything)
    try:
        return reader.document(), reader.positions
    except LoadError:
        raise
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
    except (ValueError, TypeError) as exc:
        raise LoadError(f"invalid value: {exc}", location=Location(file)) from None
    finally:
        reader.parser.dispose()


class _Events:
    """Plain data from YAML parser events, refusing what a model file may not hold."""

    def __init__(self, text: str, file: str | None, *, everything: bool) -> None:
        self.parser: Any = _Loader(text)  # PyYAML's parser methods are not typed
        self.file = file
        self.depth = MAX_DEPTH + 1 if everything else 2
        self.positions: Positions = {}
        self.constructor = yaml.SafeLoader("")

    def error(self, message: str, mark: Any, path: Path, **kw: Any) -> LoadError:
        return LoadError(message, location=_loc(self.file, mark), path=format_path(path), **kw)

    def document(self) -> Any:
        parser = self.parser
        parser.get_event()  # the stream's start
        if parser.check_event(yaml.StreamEndEvent):
            raise LoadError("the document is empty", location=Location(self.file, 1, 1))
        parser.get_event()  # the document's start
        data = self.value(())
        parser.get_event()  # the document's end
        if not parser.check_event(yaml.StreamEndEvent):
            raise LoadError(
                "the file holds more than one YAML document; a model file holds one",
                location=_loc(self.file, parser.peek_event().start_mark),
            )
        return data

    def value(self, path: Path) -> Any:
        """The value whose events start now (collections with a stack, not recursion)."""
        parser = self.parser
        root: list[Any] = []
        # Each open collection: (container, its path, key waiting for its value, keys' marks)
        stack: list[tuple[Any, Path, list[Any], dict[str, Any] | None]] = [(root, (), [], None)]
        while True:
            event = parser.get_event()
            container, at, pending, marks = stack[-1]
            if isinstance(container, dict):
                if isinstance(event, yaml.MappingEndEvent):
                    stack.pop()
                    if len(stack) == 1:
                        return root[0]
                    continue
                if not pending:  # a key
                    key = self.key(event, at, marks)
                    pending.append(key)
                    continue
                here: Path = (*at, pending[0])
                record_value = False
            else:
                if isinstance(event, yaml.SequenceEndEvent):
                    stack.pop()
                    if len(stack) == 1:
                        return root[0]
                    continue
                here = (*at, len(container)) if stack[-1][0] is not root else path
                record_value = True
            if len(here) > MAX_DEPTH:
                raise self.error(
                    f"the document is nested deeper than {MAX_DEPTH} levels",
                    event.start_mark,
                    here,
                )
            if record_value and len(here) <= self.depth:
                self.positions[here] = _loc(self.file, event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                raise self.error(
                    "YAML aliases (*name) and merge keys are not allowed in a model file;"
                    " write the value out",
                    event.start_mark,
                    here,
                )
            item: Any
            opened: tuple[Any, Path, list[Any], dict[str, Any] | None] | None = None
            if isinstance(event, yaml.MappingStartEvent):
                if event.tag not in (None, "!", _YAML + "map"):
                    raise self.error(
                        f"the tag {event.tag!r} is not allowed", event.start_mark, here
                    )
                item = {}
                opened = (item, here, [], {})
            elif isinstance(event, yaml.SequenceStartEvent):
                if event.tag not in (None, "!", _YAML + "seq"):
                    raise self.error(
                        f"the tag {event.tag!r} is not allowed", event.start_mark, here
                    )
                item = []
                opened = (item, here, [], None)
            else:
                item = self.scalar(event, here)
            if isinstance(container, dict):
                container[pending.pop()] = item
            else:
                container.append(item)
            if opened is not None:
                stack.append(opened)
            elif stack[-1][0] is root:
                return root[0]

    def key(self, event: Any, path: Path, marks: dict[str, Any] | None) -> str:
        if isinstance(event, yaml.AliasEvent):
            raise self.error(
                "YAML aliases (*name) and merge keys are not allowed in a model file;"
                " write the value out",
                event.start_mark,
                path,
            )
        if not isinstance(event, yaml.ScalarEvent):
            raise self.error("a mapping key must be plain text", event.start_mark, path)
        tag = self.tag(event)
        if tag == _YAML + "merge":
            raise self.error("YAML merge keys (<<) are not allowed", event.start_mark, path)
        if tag not in _SCALAR_TAGS:
            raise self.error("a mapping key must be plain text", event.start_mark, path)
        key = str(event.value)
        assert marks is not None
        if key in marks:
            where = f" (first at line {marks[key].line + 1})"
            raise self.error(f"duplicate key {key!r}{where}", event.start_mark, path, value=key)
        marks[key] = event.start_mark
        # A key's path is located at the key: "lable:" rather than its value.
        if len(path) < self.depth:
            self.positions[(*path, key)] = _loc(self.file, event.start_mark)
        return key

    def tag(self, event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.parser.resolve(yaml.ScalarNode, event.value, event.implicit)
        return str(tag)

    def scalar(self, event: Any, path: Path) -> Any:
        tag = self.tag(event)
        if tag not in _SCALAR_TAGS:
            raise self.error(
                f"the tag {tag!r} is not allowed: a model file holds only plain data",
                event.start_mark,
                path,
            )
        if tag in (_YAML + "str", _YAML + "timestamp"):
            return str(event.value)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return self.constructor.construct_object(node)
        except (KeyError, ValueError, OverflowError, yaml.YAMLError):
            # "!!bool maybe", an integer of more digits than Python converts, ...
            kind = tag.removeprefix(_YAML)
            raise self.error(
                f"{_short(event.value)!r} cannot be read as a {_KIND_NAMES.get(kind, kind)}",
                event.start_mark,
                path,
                value=_short(event.value),
            ) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_DECODER: Final = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)
_SCAN: Final = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]
_SPACE: Final = re.compile(r"[ \t\n\r]*")


def _json_top(text: str, *, keep: bool = True) -> tuple[Any, dict[Path, int]]:
    """Parse JSON text whose top is an object, with the offsets of its keys and of
    the items of its lists: the C scanner reads each value, this loop only the top.

    With ``keep=False`` only the offsets are wanted: each item of a list at the top
    is dropped once read, so that the text's data is never held whole again.
    """
    offsets: dict[Path, int] = {}
    end = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if text[end : end + 1] != "{":
        value, end = _value(text, end)
        _end(text, end)
        return value, offsets
    offsets[()] = end
    data: dict[str, Any] = {}
    i = _SPACE.match(text, end + 1).end()  # type: ignore[union-attr]
    if text[i : i + 1] == "}":
        _end(text, i + 1)
        return data, offsets
    while True:
        if text[i : i + 1] != '"':
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
        start = i
        key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        if key in data:
            raise _DuplicateKeyAt(key, start)
        offsets[(key,)] = start
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        if text[i : i + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
        i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        if text[i : i + 1] == "[":
            items: list[Any] = []
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i : i + 1] == "]":
                i += 1
            else:
                count = 0
                while True:
                    offsets[(key, count)] = i
                    item, i = _value(text, i)
                    count += 1
                    if keep:
                        items.append(item)
                    i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
                    if text[i : i + 1] == ",":
                        i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
                    elif text[i : i + 1] == "]":
                        i += 1
                        break
                    else:
                        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
            data[key] = items
        else:
            data[key], i = _value(text, i)
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        if text[i : i + 1] == ",":
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
        elif text[i : i + 1] == "}":
            _end(text, i + 1)
            return data, offsets
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


class _DuplicateKeyAt(Exception):
    def __init__(self, key: str, offset: int) -> None:
        self.key = key
        self.offset = offset


def _value(text: str, index: int) -> tuple[Any, int]:
    try:
        result: tuple[Any, int] = _SCAN(text, index)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    return result


def _end(text: str, index: int) -> None:
    index = _SPACE.match(text, index).end()  # type: ignore[union-attr]
    if index != len(text):
        raise json.JSONDecodeError("Extra data", text, index)


def parse_json(text: str, file: str | None = None) -> tuple[Any, SourceMap]:
    """Parse JSON strictly (no duplicate keys, no NaN); the places of values are
    found when they are asked for.

    Text that parses is read in one call of the C parser; only text that does not
    is read again by the loop that can say where each problem is.
    """
    try:
        data = _DECODER.decode(text)
    except (json.JSONDecodeError, _DuplicateKey, ValueError, RecursionError):
        pass  # read again below, to say where
    else:
        return data, SourceMap(text, file, json=True)
    try:
        data, offsets = _json_top(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", location=Location(file, exc.lineno, exc.colno)
        ) from None
    except _DuplicateKeyAt as exc:
        line, column = _line_column(text, exc.offset)
        raise LoadError(
            f"duplicate key {exc.key!r}", location=Location(file, line, column), value=exc.key
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
    return data, SourceMap(text, file, offsets=offsets)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class SourceMap(Mapping[Path, Location]):
    """Where the values of a document are, found when asked for.

    Reading records only the places a model keeps (the top keys and the
    objects of the lists at the top); the place of any other value, needed
    only to report a problem, is found by reading the text again, once.
    """

    def __init__(
        self,
        text: str,
        file: str | None,
        *,
        coarse: Positions | None = None,
        offsets: dict[Path, int] | None = None,
        json: bool = False,
    ) -> None:
        self.text: str | None = text
        self.file = file
        self._coarse = coarse
        self._offsets = offsets
        #: JSON read without its places: they are found in the text when first asked for
        self._json = json
        self._full: Positions | None = None

    def coarse(self) -> Positions:
        """The places of the top keys and of the objects of the lists at the top."""
        if self._coarse is None:
            self._coarse = {}
            if self._json and self._offsets is None and self.text is not None:
                self._offsets = _json_top(self.text, keep=False)[1]
            if self._offsets and self.text is not None:
                # One pass over the text, in the order of the offsets.
                line, last, line_start = 1, 0, 0
                text = self.text
                for path, offset in sorted(self._offsets.items(), key=lambda item: item[1]):
                    newlines = text.count("\n", last, offset)
                    if newlines:
                        line += newlines
                        line_start = text.rfind("\n", last, offset) + 1
                    last = offset
                    self._coarse[path] = Location(self.file, line, offset - line_start + 1)
            self._offsets = None
        return self._coarse

    def full(self) -> Positions:
        """The place of every value (the text is read again, the first time)."""
        if self._full is None:
            found: Positions = {}
            if self.text is not None:
                try:
                    found = parse_yaml(self.text, self.file)[1]
                except LoadError:
                    found = {}
            self._full = {**self.coarse(), **found}
        return self._full

    def __getitem__(self, path: Path) -> Location:
        found = self.coarse().get(path)
        if found is not None:
            return found
        return self.full()[path]

    def __contains__(self, path: object) -> bool:
        return path in self.coarse() or path in self.full()

    def __iter__(self) -> Iterator[Path]:
        return iter(self.full())

    def __len__(self) -> int:
        return len(self.full())


class LazyLocations(MutableMapping[str, Location]):
    """A mapping of locations made the first time it is used (``model.locations``)."""

    def __init__(self, make: Callable[[], dict[str, Location]]) -> None:
        self._make: Callable[[], dict[str, Location]] | None = make
        self._data: dict[str, Location] = {}

    def _items(self) -> dict[str, Location]:
        if self._make is not None:
            make, self._make = self._make, None
            self._data = {**make(), **self._data}
        return self._data

    def __getitem__(self, key: str) -> Location:
        return self._items()[key]

    def __setitem__(self, key: str, value: Location) -> None:
        self._items()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __repr__(self) -> str:
        return f"LazyLocations({self._items()!r})"


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
