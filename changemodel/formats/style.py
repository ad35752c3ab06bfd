"""The canonical style of a model file, with the file's own comments kept.

:func:`format_text` rewrites a model file's text the way :func:`~changemodel.
formats.canonical.dumps` writes the model (the canonical order of objects and
keys, default values left out, one style of quoting and indenting), then puts
the file's comments back:

- the comment block at the top of the file (a schema modeline such as
  ``# yaml-language-server: $schema=...``, a licence, notes) stays on top;
- a comment on lines of its own stays above the object or key that follows it
  (an element by its id, a link by its ends and relation, a key by its name);
- a comment at the end of a line stays at the end of that object's or key's
  line (or above it, when the value there spans several lines);
- comments after the last entry stay at the end.

A comment whose object or key the canonical form leaves out (a default value
written out, such as ``sign: increases``) has nowhere to go: the text is not
rewritten and :class:`CommentsLost` names the lines, unless
``drop_comments=True``. JSON has no comments.

>>> text = '''# yaml-language-server: $schema=schema.json
... changemodel: 1
... title: Tiny
... links:
... - to: o   # the only link
...   from: a
... elements:
... # the outcome comes second in the file, first here
... - {id: o, kind: process_outcome, label: Change}
... - {id: a, kind: activity, label: Do}
... '''
>>> print(format_text(text).text, end="")
# yaml-language-server: $schema=schema.json
changemodel: 1
title: Tiny
elements:
- id: a
  kind: activity
  label: Do
# the outcome comes second in the file, first here
- id: o
  kind: process_outcome
  label: Change
links:
- from: a  # the only link
  to: o
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
import yaml

from changemodel.errors import LoadError, Location
from changemodel.formats.canonical import Syntax, dumps, loads

__all__ = ["CommentsLost", "Formatted", "format_text"]

#: A place in a model file that survives canonical reordering: top-level keys by
#: name, elements, references and theories by id, links by their key, anything
#: nested by key or (for lists inside an object, whose order is kept) by index.
Anchor = tuple[str | int, ...]

_END: Anchor = ("<end>",)


class CommentsLost(LoadError):
    """Comments that the canonical form of the file has no place for."""

    def __init__(self, file: str | None, lines: list[int], reasons: list[str]) -> None:
        self.lines = tuple(lines)
        n = len(lines)
        super().__init__(
            f"{n} comment{'s' if n != 1 else ''} would be lost: {'; '.join(reasons)};"
            f" move {'them' if n != 1 else 'it'}, or format with --drop-comments",
            location=Location(file, lines[0], 1),
        )


@attrs.frozen
class Formatted:
    """The canonical text of a file, and whether it differs from the file."""

    text: str
    changed: bool
    #: lines of comments left out (only with ``drop_comments=True``)
    dropped: tuple[int, ...] = ()


@attrs.frozen
class _Comment:
    line: int  # 1-based, in the original text
    text: str  # the comment, from its '#'
    trailing: bool


def format_text(
    text: str | bytes,
    syntax: Syntax = "yaml",
    *,
    file: str | None = None,
    drop_comments: bool = False,
) -> Formatted:
    """The file's text in the canonical style, comments kept (see the module's notes).

    Raises :class:`~changemodel.errors.LoadError` when the text is not a valid
    model and :class:`CommentsLost` when a comment has no place to go.
    """
    model = loads(text, syntax, file=file)
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    canonical = dumps(model, syntax)
    if syntax == "json":
        return Formatted(canonical, canonical != text)
    original = text.lstrip("\ufeff")
    comments = list(_comments(original))
    if not comments:
        return Formatted(canonical, canonical != text)
    before = _anchors(original)
    after = _anchors(canonical)
    canon_lines = canonical.splitlines()
    head: list[str] = []
    tail: list[str] = []
    above: dict[int, list[str]] = {}
    at_end: dict[int, list[str]] = {}
    lost: list[int] = []
    reasons: list[str] = []
    first_content = min(before.lines) if before.lines else None
    for comment in comments:
        if not comment.trailing and (first_content is None or comment.line < first_content):
            head.append(comment.text)
            continue
        anchor = _anchor_for(comment, before)
        if anchor == _END:
            tail.append(comment.text)
            continue
        target = after.first_line.get(anchor) if anchor is not None else None
        if target is None:
            lost.append(comment.line)
            what = _describe(anchor)
            reasons.append(f"line {comment.line} is on {what}, which the canonical form leaves out")
            continue
        if comment.trailing and target not in after.continued:
            at_end.setdefault(target, []).append(comment.text)
        else:
            above.setdefault(target, []).append(comment.text)
    if lost and not drop_comments:
        raise CommentsLost(file, lost, reasons)
    out: list[str] = list(head)
    for number, line in enumerate(canon_lines, start=1):
        indent = line[: len(line) - len(line.lstrip())]
        out.extend(indent + c for c in above.get(number, ()))
        ends = at_end.get(number)
        out.append(line + ("  " + " ".join(ends) if ends else ""))
    out.extend(tail)
    result = "\n".join(out) + "\n"
    kept = len(comments) - len(lost)
    if loads(result, syntax, file=file) != model or len(list(_comments(result))) != kept:
        # A safety net: never write a changed model or lose a comment unannounced.
        raise LoadError(  # pragma: no cover - no known input reaches it
            "formatting would change the model or its comments; the file is left as it is",
            location=Location(file),
        )
    return Formatted(result, result != text, tuple(lost))


# ----------------------------------------------------------------- comments


def _comments(text: str) -> Iterator[_Comment]:
    """Every comment in the YAML text: a ``#`` (at the start of a line or after
    white space) that no token of the YAML scanner covers, so a ``#`` inside
    a quoted or block text is text, not a comment."""
    lines = text.splitlines()
    covered: dict[int, list[tuple[int, int]]] = {}

    def cover(line: int, start: int, end: int) -> None:
        covered.setdefault(line, []).append((start, end))

    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        s, e = token.start_mark, token.end_mark
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            header = re.match(r"[|>][-+0-9]*", lines[s.line][s.column :])
            cover(s.line, s.column, s.column + (len(header.group()) if header else 1))
            for inner in range(s.line + 1, e.line + (1 if e.column else 0)):
                cover(inner, 0, len(lines[inner]) if inner < len(lines) else 0)
            continue
        if s.line == e.line:
            cover(s.line, s.column, e.column)
            continue
        cover(s.line, s.column, len(lines[s.line]))
        for middle in range(s.line + 1, e.line):
            cover(middle, 0, len(lines[middle]))
        cover(e.line, 0, e.column)
    for number, text_line in enumerate(lines):
        spans = covered.get(number, [])
        for j, char in enumerate(text_line):
            if char != "#" or (j and text_line[j - 1] not in " \t"):
                continue
            if any(a <= j < b for a, b in spans):
                continue
            trailing = bool(text_line[:j].strip())
            yield _Comment(number + 1, text_line[j:].rstrip(), trailing=trailing)
            break


def _walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    if node is None:
        return
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                stack.extend((key, value))
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)


# ------------------------------------------------------------------ anchors


@attrs.define
class _Anchors:
    #: 1-based line -> the shallowest anchor that starts on it
    lines: dict[int, Anchor]
    #: anchor -> the 1-based line it starts on
    first_line: dict[Anchor, int]
    #: 1-based lines where a value starts that goes on over the next lines
    continued: set[int]


def _anchors(text: str) -> _Anchors:
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found = _Anchors({}, {}, set())

    def note(anchor: Anchor, mark: yaml.Mark) -> None:
        line = mark.line + 1
        found.first_line.setdefault(anchor, line)
        known = found.lines.get(line)
        if known is None or len(anchor) < len(known):
            found.lines[line] = anchor

    stack: list[tuple[yaml.Node, Anchor]] = [(root, ())] if root is not None else []
    while stack:
        node, anchor = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.end_mark.line > node.start_mark.line:
                found.continued.add(node.start_mark.line + 1)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*anchor, str(key.value))
                note(child, key.start_mark)
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                child = (*anchor, _item_name(anchor, item, i))
                note(child, item.start_mark)
                stack.append((item, child))
    return found


def _scalar(node: yaml.MappingNode, key: str) -> str | None:
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.ScalarNode):
            return str(v.value)
    return None


def _item_name(parent: Anchor, item: yaml.Node, index: int) -> str | int:
    """Elements, references and theories by id; links by their ends and relation."""
    if len(parent) == 1 and isinstance(item, yaml.MappingNode):
        if parent[0] in ("elements", "references", "theories"):
            id = _scalar(item, "id")
            if id is not None:
                return f"id={id}"
        elif parent[0] == "links":
            source, target = _scalar(item, "from"), _scalar(item, "to")
            relation = _scalar(item, "relation") or "leads_to"
            if source is not None and target is not None:
                return f"{source}-{relation}->{target}"
    return index


def _anchor_for(comment: _Comment, anchors: _Anchors) -> Anchor | None:
    """The anchor a comment belongs to: that of its own line (trailing) or of the
    next line holding content; ``_END`` after the last content."""
    if comment.trailing:
        earlier = [n for n in anchors.lines if n <= comment.line]
        return anchors.lines[max(earlier)] if earlier else None
    later = [n for n in anchors.lines if n > comment.line]
    if not later:
        return _END
    return anchors.lines[min(later)]


def _describe(anchor: Anchor | None) -> str:
    if not anchor:
        return "no entry"
    text = ""
    for part in anchor:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("id="):
            text += f"[{part[3:]}]"
        elif "-leads_to->" in part:
            text += f"[{part.replace('-leads_to->', '->')}]"
        elif "->" in part and text in ("links",):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text
