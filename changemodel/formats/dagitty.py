"""The dagitty text format, for causal analysis (dagitty, y0, pgmpy, DoWhy).

:func:`to_dagitty` writes the causal part of the model as a ``dag``: each
element a quoted name (its id) with its role, each causal link an arrow.
Roles default to the MRC reading of the model: activities are
``exposure``\\s, downstream outcomes (or, without any, process outcomes) are
``outcome``\\s, and mechanisms that no indicator measures are ``latent``;
pass ``exposures``, ``outcomes`` or ``latent`` to choose. A moderation is
written as an arrow (in a DAG an effect modifier is a cause of what it
modifies). What a DAG cannot hold is left out and reported: labels, kinds
beyond the roles, signs, evidence, assumptions, part-of and feedback links.

:func:`from_dagitty` reads dagitty text into a model; a variable's kind comes
from its role (exposure: activity, outcome: downstream outcome, latent:
mechanism, otherwise ``default_kind``) unless ``kinds`` names it.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do") >> m.mechanism("m", "Why") >> m.downstream_outcome("o", "Change")
>>> print(to_dagitty(m), end="")
dag {
"a" [exposure]
"m" [latent]
"o" [outcome]
"a" -> "m"
"m" -> "o"
}
>>> back = from_dagitty(to_dagitty(m), title="Tiny")
>>> [(e.id, e.kind.value) for e in back]
[('a', 'activity'), ('m', 'mechanism'), ('o', 'downstream_outcome')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Final

from changemodel.domain import ID_PATTERN, Kind, Link, Relation, element_class, normalise_id
from changemodel.errors import ChangeModelError, LoadError, Location
from changemodel.formats._files import file_name, open_file
from changemodel.formats.loss import Loss, LossReport, carried
from changemodel.model import ChangeModel

__all__ = [
    "RESERVED_NAMES",
    "ROLE_KINDS",
    "dagitty_losses",
    "dagitty_names",
    "dagitty_roles",
    "from_dagitty",
    "read_dagitty",
    "to_dagitty",
    "write_dagitty",
]

#: The kind a role gives a variable when dagitty text is read.
ROLE_KINDS: Final[dict[str, Kind]] = {
    "exposure": Kind.ACTIVITY,
    "outcome": Kind.DOWNSTREAM_OUTCOME,
    "latent": Kind.MECHANISM,
}
_ROLES: Final = ("exposure", "outcome", "latent", "adjusted", "selected")


def _carried(model: ChangeModel) -> tuple[set[str], list[Link]]:
    """The elements and links a DAG keeps (assumptions, part-of and feedback go)."""
    kept = {e.id for e in model.elements if e.kind is not Kind.ASSUMPTION}
    causal = {(lk.source, lk.target) for lk in model.links if lk.is_causal}
    links = [
        lk
        for lk in model.links
        if lk.source in kept
        and lk.target in kept
        and not lk.feedback
        and (
            lk.is_causal
            or (lk.relation is Relation.MODERATES and (lk.source, lk.target) not in causal)
        )
    ]
    return kept, links


def dagitty_roles(
    model: ChangeModel,
    *,
    exposures: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    latent: Iterable[str] | None = None,
) -> dict[str, str]:
    """Each element's dagitty role (elements without one are left out)."""
    if exposures is None:
        exposures = [e.id for e in model.elements_of(Kind.ACTIVITY)]
    if outcomes is None:
        outcomes = [e.id for e in model.elements_of(Kind.DOWNSTREAM_OUTCOME)] or [
            e.id for e in model.elements_of(Kind.PROCESS_OUTCOME)
        ]
    if latent is None:
        latent = [e.id for e in model.elements_of(Kind.MECHANISM) if not e.indicators]
    roles: dict[str, str] = {}
    for role, ids in (("latent", latent), ("outcome", outcomes), ("exposure", exposures)):
        for eid in ids:
            model.element(eid)
            roles[eid] = role
    return roles


#: Names dagitty cannot take as variables: its keywords, and the names every
#: JavaScript object already has (dagitty keeps variables in plain objects).
RESERVED_NAMES: Final = frozenset(
    {
        "dag",
        "pdag",
        "mag",
        "pag",
        "graph",
        "digraph",
        "node",
        "edge",
        "subgraph",
        "strict",
        "bb",
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
    }
)


def _reserved(name: str) -> bool:
    return name in RESERVED_NAMES or name.casefold() in RESERVED_NAMES


def dagitty_names(model: ChangeModel) -> dict[str, str]:
    """Each element id -> the variable name it gets in dagitty text.

    An id that dagitty reserves (``graph``, ``node``, ``constructor``, ...)
    gets a name with trailing underscores; the id is then written as its label.
    """
    taken = {e.id for e in model.elements}
    names: dict[str, str] = {}
    for e in model.elements:
        name = e.id
        if _reserved(name):
            name += "_"
            while name in taken or _reserved(name):
                name += "_"
            taken.add(name)
        names[e.id] = name
    return names


def to_dagitty(
    model: ChangeModel,
    *,
    exposures: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    latent: Iterable[str] | None = None,
) -> str:
    """The causal part of the model as dagitty text."""
    roles = dagitty_roles(model, exposures=exposures, outcomes=outcomes, latent=latent)
    kept, links = _carried(model)
    names = dagitty_names(model)
    lines = ["dag {"]
    for e in model.elements:
        if e.id in kept:
            attributes = [roles[e.id]] if e.id in roles else []
            if names[e.id] != e.id:
                attributes.append(f'label="{e.id}"')
            lines.append(f'"{names[e.id]}"' + (f" [{','.join(attributes)}]" if attributes else ""))
    lines.extend(f'"{names[lk.source]}" -> "{names[lk.target]}"' for lk in links)
    lines.append("}")
    return "\n".join(lines) + "\n"


def dagitty_losses(
    model: ChangeModel,
    *,
    exposures: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    latent: Iterable[str] | None = None,
    default_kind: Kind | str = Kind.PROCESS_OUTCOME,
) -> LossReport:
    """What dagitty text cannot carry, read back with :func:`from_dagitty`.

    Lost: the title and everything but ids of the model; labels (other than
    an id); kinds that the role does not give back; all link fields; the
    relation of moderations (read back as causal links); assumptions,
    part-of links and feedback links entirely.
    """
    roles = dagitty_roles(model, exposures=exposures, outcomes=outcomes, latent=latent)
    kept, links = _carried(model)
    kept_links = {lk.key for lk in links}
    fallback = element_class(default_kind).kind
    extra = []
    names = dagitty_names(model)
    for e in model.elements:
        if e.id not in kept:
            continue
        if names[e.id] != e.id:
            extra.append(
                Loss(
                    f"element:{e.id}",
                    "id",
                    f"named {names[e.id]!r}, since dagitty reserves {e.id!r}; the id is the label",
                )
            )
        if e.label != e.id:
            extra.append(Loss(f"element:{e.id}", "label", repr(e.label[:40])))
        back = ROLE_KINDS.get(roles.get(e.id, ""), fallback)
        if back is not e.kind:
            extra.append(Loss(f"element:{e.id}", "kind", f"{e.kind.label}, read as {back.label}"))
    return LossReport.compute(
        "dagitty",
        model,
        **carried("dagitty"),
        keep_element=lambda e: e.id in kept,
        keep_link=lambda lk: lk.key in kept_links,
        relation_kept=lambda lk: lk.is_causal,
        extra=extra,
    )


@open_file("w")
def write_dagitty(
    model: ChangeModel,
    file: IO[str],
    *,
    exposures: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    latent: Iterable[str] | None = None,
) -> LossReport:
    """Write dagitty text to a path (atomically) or an open text file; return the losses."""
    file.write(to_dagitty(model, exposures=exposures, outcomes=outcomes, latent=latent))
    return dagitty_losses(model, exposures=exposures, outcomes=outcomes, latent=latent)


# ---------------------------------------------------------------------- read

_TOKEN: Final = re.compile(
    r"""
    (?P<space>[ \t\r\f]+|;)
  | (?P<newline>\n)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<arrow><->|->|<-|--|@->|@-@|--@)
  | (?P<punct>[\[\]{},=])
  | (?P<word>[^\s"\[\]{},=;<>@-][^\s"\[\]{},=;<>@]*?(?=->|<-|--|[\s"\[\]{},=;<>@]|$))
    """,
    re.VERBOSE,
)


class _Token:
    __slots__ = ("kind", "line", "text")

    def __init__(self, kind: str, text: str, line: int) -> None:
        self.kind = kind
        self.text = text
        self.line = line


def _tokens(text: str, file: str | None) -> list[_Token]:
    out: list[_Token] = []
    line, pos = 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise LoadError(f"unexpected character {text[pos]!r}", location=Location(file, line))
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "newline":
            line += 1
        elif kind == "string":
            out.append(_Token("name", re.sub(r"\\(.)", r"\1", value[1:-1]), line))
        elif kind == "word":
            out.append(_Token("name", value, line))
        elif kind != "space":
            out.append(_Token(kind if kind == "arrow" else value, value, line))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[_Token], file: str | None) -> None:
        self.tokens = tokens
        self.i = 0
        self.file = file
        self.nodes: dict[str, set[str]] = {}
        self.order: list[str] = []
        self.edges: list[tuple[str, str, int]] = []
        self.labels: dict[str, str] = {}
        #: (subject, field, detail) of what the text says and a model cannot keep
        self.dropped: list[tuple[str, str, str]] = []

    def fail(self, message: str, token: _Token | None = None) -> LoadError:
        line = token.line if token else (self.tokens[-1].line if self.tokens else 1)
        return LoadError(message, location=Location(self.file, line))

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise self.fail("the text ends before the graph's closing '}'")
        self.i += 1
        return token

    def node(self, name: str) -> None:
        if name not in self.nodes:
            self.nodes[name] = set()
            self.order.append(name)

    def parse(self) -> None:
        first = self.peek()
        if first is not None and first.kind == "name":
            if first.text not in ("dag", "pdag", "graph", "mag", "pag"):
                raise self.fail(f"expected 'dag {{', found {first.text!r}", first)
            self.take()
            if self.peek() is not None and self.peek().kind == "name":  # type: ignore[union-attr]
                self.take()  # a graph name
        brace = self.take()
        if brace.kind != "{":
            raise self.fail(f"expected '{{', found {brace.text!r}", brace)
        while True:
            token = self.peek()
            if token is None:
                raise self.fail("the text ends before the graph's closing '}'")
            if token.kind == "}":
                self.take()
                break
            self.statement()
        rest = self.peek()
        if rest is not None:
            raise self.fail(f"unexpected {rest.text!r} after the graph", rest)

    def group(self) -> list[str]:
        token = self.take()
        if token.kind == "name":
            self.node(token.text)
            return [token.text]
        if token.kind == "{":
            names: list[str] = []
            while True:
                inner = self.take()
                if inner.kind == "}":
                    return names
                if inner.kind != "name":
                    raise self.fail(f"expected a variable name, found {inner.text!r}", inner)
                self.node(inner.text)
                names.append(inner.text)
        raise self.fail(f"expected a variable name, found {token.text!r}", token)

    def attributes(self, names: list[str]) -> None:
        if self.peek() is None or self.peek().kind != "[":  # type: ignore[union-attr]
            return
        self.take()
        while True:
            token = self.take()
            if token.kind == "]":
                return
            if token.kind == ",":
                continue
            if token.kind != "name":
                raise self.fail(f"expected an attribute, found {token.text!r}", token)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "=":
                self.take()
                value = self.take()
                for name in names:
                    if token.text == "label":
                        self.labels[name] = value.text
                    else:
                        self.dropped.append((name, token.text, repr(value.text[:40])))
                continue
            for name in names:
                if token.text in _ROLES:
                    self.nodes[name].add(token.text)
                else:
                    self.dropped.append((name, token.text, "a flag with no meaning here"))

    def statement(self) -> None:
        start = self.peek()
        assert start is not None
        if start.kind == "name":
            nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if nxt is not None and nxt.kind == "=":  # a graph attribute: bb="..."
                value = self.tokens[self.i + 2] if self.i + 2 < len(self.tokens) else None
                self.dropped.append(("", start.text, repr(value.text[:40]) if value else ""))
                self.i += 3
                return
        left = self.group()
        self.attributes(left)
        while self.peek() is not None and self.peek().kind == "arrow":  # type: ignore[union-attr]
            arrow = self.take()
            right = self.group()
            self.attributes(right)
            if arrow.text == "->":
                pairs = [(a, b) for a in left for b in right]
            elif arrow.text == "<-":
                pairs = [(b, a) for a in left for b in right]
            else:
                raise self.fail(
                    f"the edge {arrow.text!r} is not a causal arrow; a change model reads only"
                    " '->' and '<-'",
                    arrow,
                )
            self.edges.extend((a, b, arrow.line) for a, b in pairs)
            left = right


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("_.-")[:100]
    if not slug or not slug[0].isalpha() or not slug.isascii():
        slug = "v_" + slug
    return slug if ID_PATTERN.fullmatch(slug) else "v"


def from_dagitty(
    text: str,
    *,
    title: str = "Imported from dagitty",
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str = Kind.PROCESS_OUTCOME,
    file: str | None = None,
    losses: list[Loss] | None = None,
) -> ChangeModel:
    """Read dagitty text into a model.

    A variable's kind comes from ``kinds`` (variable name -> kind), else from
    its role (:data:`ROLE_KINDS`), else ``default_kind``. A name that is a
    valid id becomes the id; another name becomes the label, with an id made
    from it. A ``label="..."`` attribute becomes the label; the ``adjusted``
    and ``selected`` flags become tags of those names. What a model cannot
    keep (positions such as ``pos="1,2"``, other attributes and flags, graph
    attributes) is appended to *losses* when a list is given.

    >>> losses = []
    >>> m = from_dagitty('dag { x [adjusted,pos="0,1",label="Age"] x -> y }', losses=losses)
    >>> m.element("x").label, m.element("x").tags
    ('Age', ('adjusted',))
    >>> print(LossReport("dagitty", tuple(losses)))
    dagitty: 1 item not carried
      element:x: pos ('0,1')
    """
    parser = _Parser(_tokens(text, file), file)
    parser.parse()
    fallback = element_class(default_kind).kind
    chosen = {name: element_class(kind).kind for name, kind in (kinds or {}).items()}
    for name in chosen:
        if name not in parser.nodes:
            raise LoadError(
                f"'kinds' names {name!r}, which the graph does not have", location=Location(file)
            )
    model = ChangeModel(title)
    ids: dict[str, str] = {}
    taken: set[str] = set()
    # The next suffix to try for each base id: finding a free id stays linear
    # when thousands of names make the same id.
    suffixes: dict[str, int] = {}
    for name in parser.order:
        kind = chosen.get(name)
        if kind is None:
            found = [ROLE_KINDS[r] for r in _ROLES if r in parser.nodes[name] and r in ROLE_KINDS]
            kind = found[0] if found else fallback
        eid = name if ID_PATTERN.fullmatch(name) else _slug(name)
        base = eid
        n = suffixes.get(normalise_id(base), 1)
        if n > 1:
            eid = f"{base}_{n}"
        while normalise_id(eid) in taken:
            n += 1
            eid = f"{base}_{n}"
        suffixes[normalise_id(base)] = n
        taken.add(normalise_id(eid))
        ids[name] = eid
        label = parser.labels.get(name) or (name if name.strip() else eid)
        tags = [role for role in ("adjusted", "selected") if role in parser.nodes[name]]
        model.add(element_class(kind)(eid, label, tags=tags))
    if losses is not None:
        for name, key, detail in parser.dropped:
            subject = f"element:{ids[name]}" if name else "model"
            losses.append(Loss(subject, key, detail))
    added: set[tuple[str, str]] = set()
    for source, target, line in parser.edges:
        a, b = ids[source], ids[target]
        if (a, b) in added:
            continue
        added.add((a, b))
        try:
            model.add(Link(a, b, feedback=a == b))
        except ChangeModelError as exc:
            raise LoadError(str(exc), location=Location(file, line)) from None
    return model


@open_file("r")
def read_dagitty(
    file: IO[str],
    *,
    title: str | None = None,
    kinds: Mapping[str, Kind | str] | None = None,
    default_kind: Kind | str = Kind.PROCESS_OUTCOME,
    losses: list[Loss] | None = None,
) -> ChangeModel:
    """Read a dagitty file from a path or an open text file; the title defaults to the
    file name (see :func:`from_dagitty` for *losses*)."""
    name = file_name(file)
    if title is None:
        title = Path(name).stem if name else "Imported from dagitty"
    return from_dagitty(
        file.read(), title=title, kinds=kinds, default_kind=default_kind, file=name, losses=losses
    )
