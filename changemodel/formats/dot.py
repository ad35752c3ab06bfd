"""Graphviz DOT in the MRC logic-model layout, as text or as a pydot graph.

The diagram reads left to right, "if ... then": a column per stage (inputs,
activities, outputs, mechanisms, process outcomes, then downstream outcomes,
one column per time horizon), a *context* band across the columns it touches,
and assumptions beside the links they underpin (the link carries a marker
``A1``, the assumption note repeats it). Each kind has its own colour and
shape; a negative link is red and marked with a minus sign, a moderation dashed, a part-of
dotted with a diamond, a feedback loop bold purple. Sub-components sit in a box
with the component they belong to. A legend explains what the picture uses.

Every label is an HTML-like label whose text is escaped, so any text (quotes,
backslashes, braces, angle brackets, line breaks, any script) is drawn as
written. Making DOT text needs neither Graphviz nor pydot (:func:`to_pydot`
gives the pydot graph, which prints the same text); see
:mod:`changemodel.formats.render` to draw it.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", "Do <this> & that") >> m.process_outcome("o", "Change")
>>> text = to_dot(m)
>>> '"a" -> "o"' in text and "Do &lt;this&gt; &amp; that" in text
True
>>> print(dot_losses(m))
dot: nothing lost
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Collection, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, Literal, Protocol

from changemodel.domain import (
    Element,
    EvidenceStatus,
    Horizon,
    Kind,
    Link,
    Relation,
    Sign,
    element_class,
)
from changemodel.errors import InvalidValueError
from changemodel.formats._files import open_file
from changemodel.formats._text import dot_html_lines, dot_html_text, dot_quoted
from changemodel.formats.loss import LossReport, carried
from changemodel.model import ChangeModel

if TYPE_CHECKING:
    import pydot

__all__ = [
    "COLUMNS",
    "KIND_STYLES",
    "LoopLike",
    "RankDir",
    "column_of",
    "dot_losses",
    "to_dot",
    "to_pydot",
    "write_dot",
]

RankDir = Literal["LR", "TB", "RL", "BT"]

#: The diagram's columns, left to right: (stage kind, horizon or None, heading).
COLUMNS: Final[tuple[tuple[Kind, Horizon | None, str], ...]] = (
    (Kind.INPUT, None, "Inputs"),
    (Kind.ACTIVITY, None, "Activities"),
    (Kind.OUTPUT, None, "Outputs"),
    (Kind.MECHANISM, None, "Mechanisms"),
    (Kind.PROCESS_OUTCOME, None, "Process outcomes"),
    (Kind.DOWNSTREAM_OUTCOME, Horizon.SHORT, "Short-term outcomes"),
    (Kind.DOWNSTREAM_OUTCOME, Horizon.INTERMEDIATE, "Intermediate outcomes"),
    (Kind.DOWNSTREAM_OUTCOME, Horizon.LONG, "Long-term outcomes"),
    (Kind.DOWNSTREAM_OUTCOME, Horizon.IMPACT, "Impact"),
    (Kind.DOWNSTREAM_OUTCOME, None, "Downstream outcomes"),
)

#: Node attributes per kind: shape, fill and border colour.
KIND_STYLES: Final[dict[Kind, dict[str, str]]] = {
    Kind.INPUT: {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#eef1f5",
        "color": "#5a6b7d",
    },
    Kind.ACTIVITY: {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#dceaf7",
        "color": "#1f5f99",
    },
    Kind.OUTPUT: {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#e1f0dc",
        "color": "#3b7d34",
    },
    Kind.MECHANISM: {
        "shape": "box",
        "style": "rounded,filled,bold",
        "fillcolor": "#fdebd0",
        "color": "#b35c00",
    },
    Kind.PROCESS_OUTCOME: {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#ece2f5",
        "color": "#6a3d9a",
    },
    Kind.DOWNSTREAM_OUTCOME: {
        "shape": "box",
        "style": "rounded,filled,bold",
        "fillcolor": "#f7dde4",
        "color": "#a12b50",
    },
    Kind.CONTEXT: {"shape": "box", "style": "filled", "fillcolor": "#f2f2f2", "color": "#7a7a7a"},
    Kind.ASSUMPTION: {
        "shape": "note",
        "style": "filled",
        "fillcolor": "#fff7c2",
        "color": "#9a8700",
    },
}

_NEGATIVE: Final = "#c0392b"
_FEEDBACK: Final = "#7b1fa2"
_MODERATION: Final = "#6b6b6b"
_FADED_FILL: Final = "#f7f7f7"
_FADED_LINE: Final = "#d0d0d0"
_FADED_TEXT: Final = "#a8a8a8"
_FONT: Final = "Helvetica"
_MINUS: Final = "\u2212"


def column_of(element: Element) -> int | None:
    """The index in :data:`COLUMNS` of an element on the causal chain, else ``None``."""
    horizon = getattr(element, "horizon", None)
    for i, (kind, col_horizon, _) in enumerate(COLUMNS):
        if kind is element.kind and (kind is not Kind.DOWNSTREAM_OUTCOME or col_horizon == horizon):
            return i
    return None


def _q(name: str) -> str:
    """A DOT id, always quoted (ids may be DOT keywords or contain '-' and '.')."""
    return f'"{name}"'


# ------------------------------------------------------------------ statements
# The builder fills this small tree, with the names of pydot's API. to_dot prints
# it directly (pydot's printer re-examines every value and is the slow part of a
# large export); to_pydot turns it into pydot objects.

_BARE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_KEYWORDS: Final = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


def _value(value: str) -> str:
    """An attribute value as DOT: bare, an HTML label, already quoted, or quoted now."""
    if _BARE.fullmatch(value) and value.lower() not in _KEYWORDS:
        return value
    if len(value) >= 2 and (
        (value[0] == "<" and value[-1] == ">") or (value[0] == '"' and value[-1] == '"')
    ):
        return value
    return '"' + value.replace('"', '\\"') + '"'


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={_value(v)}" for k, v in attrs.items())


class _Node:
    __slots__ = ("attrs", "name")

    def __init__(self, name: str, **attrs: str) -> None:
        self.name = name
        self.attrs = attrs

    def set(self, key: str, value: str) -> None:
        self.attrs[key] = value


class _Edge:
    __slots__ = ("attrs", "source", "target")

    def __init__(self, source: str, target: str, **attrs: str) -> None:
        self.source = source
        self.target = target
        self.attrs = attrs

    def set(self, key: str, value: str) -> None:
        self.attrs[key] = value


class _Graph:
    """A graph or subgraph: attributes, then nodes, edges and subgraphs in order."""

    __slots__ = ("attrs", "items", "keyword", "name")

    def __init__(self, name: str, keyword: str = "subgraph", **attrs: str) -> None:
        self.name = name
        self.keyword = keyword
        self.attrs = attrs
        self.items: list[_Node | _Edge | _Graph | tuple[str, dict[str, str]]] = []

    def set(self, key: str, value: str) -> None:
        self.attrs[key] = value

    def add_node(self, node: _Node) -> None:
        self.items.append(node)

    def add_edge(self, edge: _Edge) -> None:
        self.items.append(edge)

    def add_subgraph(self, graph: _Graph) -> None:
        self.items.append(graph)

    def set_node_defaults(self, **attrs: str) -> None:
        self.items.append(("node", attrs))

    def set_edge_defaults(self, **attrs: str) -> None:
        self.items.append(("edge", attrs))

    def write(self, out: list[str]) -> None:
        out.append(f"{self.keyword} {self.name} {{\n")
        out.extend(f"{k}={_value(v)};\n" for k, v in self.attrs.items())
        for item in self.items:
            if isinstance(item, _Node):
                out.append(
                    f"{item.name} [{_attrs(item.attrs)}];\n" if item.attrs else f"{item.name};\n"
                )
            elif isinstance(item, _Edge):
                tail = f" [{_attrs(item.attrs)}]" if item.attrs else ""
                out.append(f"{item.source} -> {item.target}{tail};\n")
            elif isinstance(item, _Graph):
                item.write(out)
            else:
                out.append(f"{item[0]} [{_attrs(item[1])}];\n")
        out.append("}\n")

    def to_pydot(self) -> Any:
        import pydot

        pd: Any = pydot  # its stubs do not take **attributes of one type
        graph: Any
        if self.keyword == "digraph":
            graph = pd.Dot(self.name, graph_type="digraph", **self.attrs)
        else:
            graph = pd.Subgraph(self.name, **self.attrs)
        for item in self.items:
            if isinstance(item, _Node):
                graph.add_node(pd.Node(item.name, **item.attrs))
            elif isinstance(item, _Edge):
                graph.add_edge(pd.Edge(item.source, item.target, **item.attrs))
            elif isinstance(item, _Graph):
                graph.add_subgraph(item.to_pydot())
            elif item[0] == "node":
                graph.set_node_defaults(**item[1])
            else:
                graph.set_edge_defaults(**item[1])
        return graph


class LoopLike(Protocol):
    """What the legend needs of a loop (:class:`changemodel.analysis.loops.Loop` has it)."""

    @property
    def name(self) -> str:
        """The loop's name, such as ``R1``."""
        ...

    @property
    def elements(self) -> tuple[str, ...]:
        """The ids of its elements, in order."""
        ...

    @property
    def polarity(self) -> str:
        """``reinforcing`` or ``balancing``."""
        ...


def _short(label: str, width: int = 24) -> str:
    text = " ".join(label.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


class _Builder:
    def __init__(
        self,
        model: ChangeModel,
        *,
        rankdir: RankDir,
        kinds: Collection[Kind] | None,
        focus: str | None,
        radius: int,
        pathway: Sequence[str] | None,
        wrap: int,
        legend: bool,
        title: bool,
        evidence: bool,
        loops: Sequence[LoopLike],
        configurations: bool = True,
    ) -> None:
        self.model = model
        self.loops = tuple(loops)
        self.wrap = wrap
        self.evidence = evidence
        #: element id -> the configurations that name it, marked under its label
        self.membership: dict[str, list[str]] = {}
        if configurations:
            for config in model.configurations:
                for id in config.element_ids:
                    self.membership.setdefault(id, []).append(config.id)
        self.shown = [e for e in model.elements if kinds is None or e.kind in kinds]
        shown_ids = {e.id for e in self.shown}
        self.links = [lk for lk in model.links if lk.source in shown_ids and lk.target in shown_ids]
        self.lit_nodes, self.lit_links = self._highlight(focus, radius, pathway)
        self.markers = self._markers()
        self.graph = _Graph(
            "changemodel",
            "digraph",
            rankdir=rankdir,
            newrank="true",
            compound="true",
            fontname=_FONT,
            nodesep="0.25",
            ranksep="0.55",
            labelloc="t",
            fontsize="16",
            forcelabels="true",
        )
        if title:
            self.graph.set("label", f"<<B>{dot_html_text(model.title)}</B>>")
        self.graph.set_node_defaults(fontname=_FONT, fontsize="11", margin="0.12,0.06")
        self.graph.set_edge_defaults(
            fontname=_FONT, fontsize="10", color="#404040", arrowsize="0.8"
        )
        self.used_kinds: set[Kind] = set()
        self.used_statuses: set[EvidenceStatus] = set()
        self.legend = legend

    # ----------------------------------------------------------- highlight

    def _highlight(
        self, focus: str | None, radius: int, pathway: Sequence[str] | None
    ) -> tuple[set[str] | None, set[tuple[str, str, Relation]] | None]:
        if focus is None and pathway is None:
            return None, None
        nodes: set[str] = set()
        links: set[tuple[str, str, Relation]] = set()
        if focus is not None:
            self.model.element(focus)
            nodes.add(focus)
            frontier = {focus}
            for _ in range(max(radius, 0)):
                nxt: set[str] = set()
                for lk in self.links:
                    if lk.source in frontier and lk.target not in nodes:
                        nxt.add(lk.target)
                    if lk.target in frontier and lk.source not in nodes:
                        nxt.add(lk.source)
                nodes |= nxt
                frontier = nxt
            links |= {lk.key for lk in self.links if lk.source in nodes and lk.target in nodes}
        if pathway is not None:
            steps = list(pathway)
            for step in steps:
                self.model.element(step)
            nodes.update(steps)
            for a, b in itertools.pairwise(steps):
                found = [lk.key for lk in self.links if lk.source == a and lk.target == b]
                if not found:
                    raise InvalidValueError(
                        f"the pathway has no link from {a!r} to {b!r} among the links shown",
                        attribute="pathway",
                        value=steps,
                    )
                links.update(found)
        return nodes, links

    def _markers(self) -> dict[str, str]:
        """Assumption id -> marker ``A1``, ``A2``, ... in the order links use them."""
        shown = {e.id for e in self.shown if e.kind is Kind.ASSUMPTION}
        markers: dict[str, str] = {}
        for lk in self.links:
            for a in lk.assumptions:
                if a in shown and a not in markers:
                    markers[a] = f"A{len(markers) + 1}"
        for e in self.shown:
            if e.kind is Kind.ASSUMPTION and e.id not in markers:
                markers[e.id] = f"A{len(markers) + 1}"
        return markers

    # --------------------------------------------------------------- nodes

    def node(self, element: Element) -> _Node:
        self.used_kinds.add(element.kind)
        style = dict(KIND_STYLES[element.kind])
        text = dot_html_lines(element.label, self.wrap)
        if element.kind is Kind.ASSUMPTION:
            text = f"<B>{self.markers[element.id]}</B>  {text}"
        statuses = sorted(
            {ev.status for ev in element.evidence if ev.status is not None},
            key=list(EvidenceStatus).index,
        )
        if self.evidence and statuses:
            self.used_statuses.update(statuses)
            text += (
                '<BR/><FONT POINT-SIZE="9" COLOR="#555555"><I>'
                + ", ".join(s.value for s in statuses)
                + "</I></FONT>"
            )
        if element.id in self.membership:
            text += (
                '<BR/><FONT POINT-SIZE="9" COLOR="#1f4e79">'
                + html.escape(", ".join(self.membership[element.id]))
                + "</FONT>"
            )
        attrs: dict[str, Any] = {"label": f"<{text}>", "id": _q(f"element-{element.id}")}
        attrs.update(style)
        if element.description:
            attrs["tooltip"] = dot_quoted(element.description)
        if self.lit_nodes is not None:
            if element.id in self.lit_nodes:
                attrs["penwidth"] = "2.5"
            else:
                attrs.update(fillcolor=_FADED_FILL, color=_FADED_LINE, fontcolor=_FADED_TEXT)
        return _Node(_q(element.id), **attrs)

    def edge(self, link: Link) -> _Edge:
        attrs: dict[str, Any] = {"id": _q(f"link-{link.id}")}
        marks: list[str] = []
        if link.relation is Relation.MODERATES:
            attrs.update(style="dashed", color=_MODERATION, arrowhead="empty")
        elif link.relation is Relation.PART_OF:
            attrs.update(style="dotted", arrowhead="odiamond", color="#555555")
        else:
            if link.sign is Sign.REDUCES:
                attrs.update(color=_NEGATIVE, fontcolor=_NEGATIVE)
                marks.append(f'<FONT POINT-SIZE="16"><B>{_MINUS}</B></FONT>')
            if link.feedback:
                attrs.update(color=_FEEDBACK, style="bold", fontcolor=_FEEDBACK, constraint="false")
                marks.append("<I>feedback</I>")
        for a in link.assumptions:
            if a in self.markers:
                marks.append(f'<FONT COLOR="#9a8700"><B>{self.markers[a]}</B></FONT>')
        if marks:
            attrs["xlabel"] = "<" + " ".join(marks) + ">"
        if link.rationale:
            attrs["tooltip"] = dot_quoted(link.rationale)
        if self.lit_links is not None:
            if link.key in self.lit_links:
                attrs["penwidth"] = "2.5"
            else:
                attrs.update(color=_FADED_LINE, fontcolor=_FADED_TEXT)
        return _Edge(_q(link.source), _q(link.target), **attrs)

    # -------------------------------------------------------------- layout

    def build(self) -> _Graph:
        by_id = {e.id: e for e in self.shown}
        column: dict[str, int] = {}
        for e in self.shown:
            col = column_of(e)
            if col is not None:
                column[e.id] = col
        # Off-chain elements (contexts, assumptions) sit in the column of the
        # first thing they touch, so the bands span the columns they concern.
        targets: dict[str, list[str]] = {}
        underpinned: dict[str, list[str]] = {}
        for lk in self.links:
            targets.setdefault(lk.source, []).append(lk.target)
            for a in lk.assumptions:
                underpinned.setdefault(a, []).append(lk.target)
        chain_columns = sorted(set(column.values())) or [0]
        for band_kind in (Kind.CONTEXT, Kind.ASSUMPTION):
            links_of = underpinned if band_kind is Kind.ASSUMPTION else targets
            members = [e for e in self.shown if e.kind is band_kind and e.id not in column]
            # Each sits over the first column it touches, but no column takes more
            # than its share, so a long band spreads across the columns instead of
            # stacking up in one.
            share = max(2, -(-len(members) // len(chain_columns)))
            load = dict.fromkeys(chain_columns, 0)
            for e in members:
                cols = [column[t] for t in links_of.get(e.id, []) if t in column]
                want = min(cols) if cols else chain_columns[0]
                free = [c for c in chain_columns if load[c] < share]
                col = min(free, key=lambda c: (abs(c - want), c))
                load[col] += 1
                column[e.id] = col
        used_columns = sorted({column[e.id] for e in self.shown})

        # Part-of groups inside a column: parent -> its parts in the same column.
        parent: dict[str, str] = {}
        for lk in self.links:
            if lk.relation is not Relation.PART_OF or lk.source in parent:
                continue
            if self._box(by_id[lk.source], column) != self._box(by_id[lk.target], column):
                continue
            up: str | None = lk.target
            while up is not None and up != lk.source:
                up = parent.get(up)
            if up is None:
                parent[lk.source] = lk.target
        children: dict[str, list[str]] = {}
        for child, par in parent.items():
            children.setdefault(par, []).append(child)

        def place(into: _Graph, eid: str) -> None:
            if eid in children:
                group = _Graph(
                    f"cluster_part_{len(self._groups)}",
                    label="",
                    style="rounded,dashed",
                    color="#9e9e9e",
                    penwidth="1",
                )
                self._groups.append(eid)
                group.add_node(self.node(by_id[eid]))
                for child in children[eid]:
                    place(group, child)
                into.add_subgraph(group)
            else:
                into.add_node(self.node(by_id[eid]))

        self._groups: list[str] = []
        for band_kind, name, heading in (
            (Kind.CONTEXT, "context", "Context"),
            (Kind.ASSUMPTION, "assumptions", "Assumptions"),
        ):
            members = [e for e in self.shown if e.kind is band_kind]
            if members:
                band = _Graph(
                    f"cluster_{name}",
                    label=f"<<B>{heading}</B>>",
                    style="rounded,filled",
                    fillcolor="#fafafa",
                    color="#bdbdbd",
                    fontsize="12",
                    labeljust="l",
                )
                for e in members:
                    if e.id not in parent:
                        place(band, e.id)
                self.graph.add_subgraph(band)
        for col in used_columns:
            kind, _, heading = COLUMNS[col]
            members = [e for e in self.shown if column[e.id] == col and e.kind is kind]
            if not members:
                continue
            cluster = _Graph(
                f"cluster_column_{col}",
                label=f"<<B>{heading}</B>>",
                style="rounded",
                color="#d5d5d5",
                fontsize="12",
            )
            for e in members:
                if e.id not in parent:
                    place(cluster, e.id)
            self.graph.add_subgraph(cluster)
        # One rank per column: everything in it, contexts and assumptions included.
        previous: str | None = None
        for col in used_columns:
            rank = _Graph(f"rank_{col}", rank="same")
            members = [e for e in self.shown if column[e.id] == col]
            for e in members:
                rank.add_node(_Node(_q(e.id)))
            self.graph.add_subgraph(rank)
            head = members[0].id
            if previous is not None:
                self.graph.add_edge(_Edge(_q(previous), _q(head), style="invis"))
            previous = head
        # Two links running both ways between the same elements are laid out as
        # one direction, the second drawn with dir=back (its arrow still points
        # at its own target): Graphviz's crossing minimisation can loop forever
        # on a two-way pair inside clusters next to a flat edge. A second link
        # the same way between two elements of one column is drawn reversed
        # with dir=back too: Graphviz 2.43 aborts (merge_chain) on parallel
        # edges within one rank when one of them is not a constraint.
        drawn: set[tuple[str, str]] = set()
        for lk in self.links:
            edge = self.edge(lk)
            backwards = lk.relation is Relation.LEADS_TO and column.get(lk.source, 0) > column.get(
                lk.target, 0
            )
            if backwards or lk.relation is not Relation.LEADS_TO:
                edge.set("constraint", "false")
            if (lk.target, lk.source) in drawn or (
                (lk.source, lk.target) in drawn and column.get(lk.source) == column.get(lk.target)
            ):
                edge.source, edge.target = edge.target, edge.source
                edge.set("dir", "back")
            drawn.add((lk.source, lk.target))
            self.graph.add_edge(edge)
        if self.legend and self.shown:
            self._add_legend(
                used_columns[-1], [e.id for e in self.shown if column[e.id] == used_columns[-1]]
            )
        return self.graph

    @staticmethod
    def _box(element: Element, column: dict[str, int]) -> tuple[int, Kind]:
        """The box an element is drawn in: its column, or its band."""
        if element.kind.stage is None:
            return (-1, element.kind)
        return (column[element.id], element.kind)

    def _add_legend(self, last: int, last_members: list[str]) -> None:
        rows: list[str] = []
        for kind in Kind:
            if kind in self.used_kinds:
                style = KIND_STYLES[kind]
                rows.append(
                    f'<TR><TD BGCOLOR="{style["fillcolor"]}" COLOR="{style["color"]}" BORDER="1"'
                    f' WIDTH="18"> </TD><TD ALIGN="LEFT">{dot_html_text(kind.label)}</TD></TR>'
                )
        relations = {lk.relation for lk in self.links}
        lines: list[tuple[str, str]] = []
        if Relation.LEADS_TO in relations:
            lines.append(("#404040", "\u2192 leads to (increases)"))
        if any(lk.is_causal and lk.sign is Sign.REDUCES for lk in self.links):
            lines.append((_NEGATIVE, f"\u2192 {_MINUS} reduces"))
        if any(lk.feedback for lk in self.links):
            lines.append((_FEEDBACK, "\u2192 feedback loop (bold)"))
        if Relation.MODERATES in relations:
            lines.append((_MODERATION, "- - \u25b7 context moderates"))
        if Relation.PART_OF in relations:
            lines.append(("#555555", "\u00b7\u00b7\u00b7 \u25c7 part of"))
        if any(a in self.markers for lk in self.links for a in lk.assumptions):
            lines.append(("#9a8700", "A1 assumption underpinning the link"))
        for colour, text in lines:
            rows.append(
                f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT COLOR="{colour}">'
                f"{dot_html_text(text)}</FONT></TD></TR>"
            )
        if self.loops:
            rows.append('<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Loops</B></TD></TR>')
        for loop in self.loops:
            steps = [
                _short(self.model.element(id).label) if id in self.model else id
                for id in loop.elements
            ]
            path = " \u2192 ".join((*steps, steps[0]))
            text = f"{loop.name} {loop.polarity}: {path}"
            rows.append(
                f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT COLOR="{_FEEDBACK}">'
                f"{dot_html_text(text)}</FONT></TD></TR>"
            )
        if self.used_statuses:
            rows.append(
                '<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9"><I>italic: how the'
                " element is known (evidence status)</I></FONT></TD></TR>"
            )
        label = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
            '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>' + "".join(rows) + "</TABLE>>"
        )
        legend = _Graph("cluster_legend", label="", style="rounded", color="#d5d5d5")
        legend.add_node(_Node('"_legend"', shape="plaintext", label=label, fontsize="10"))
        self.graph.add_subgraph(legend)
        self.graph.add_edge(_Edge(_q(last_members[0]), '"_legend"', style="invis", minlen="1"))


def _build(
    model: ChangeModel,
    *,
    rankdir: RankDir = "LR",
    kinds: Iterable[Kind | str] | None = None,
    focus: str | None = None,
    radius: int = 1,
    pathway: Sequence[str] | None = None,
    wrap: int = 24,
    legend: bool = True,
    title: bool = True,
    evidence: bool = True,
    loops: Sequence[LoopLike] = (),
    configuration: str | None = None,
    configurations: bool = True,
    boxes: bool = True,
) -> _Graph:
    """The diagram's statements; options as for :func:`to_pydot`.

    ``rankdir`` turns the picture (``"TB"`` reads top to bottom); ``kinds``
    shows only elements of those kinds (and the links between them);
    ``focus`` highlights one element and its neighbours up to ``radius`` links
    away, ``pathway`` a sequence of linked element ids, fading the rest;
    ``wrap`` is the label width in characters (0: no wrapping); ``legend``,
    ``title`` and ``evidence`` (the evidence status under each label) can be
    switched off; ``loops`` (from :func:`changemodel.analysis.loops.find_loops`)
    are listed in the legend with their name, polarity and elements;
    ``configuration`` draws one realist configuration alone (its elements and the
    links between them); ``configurations`` marks under each label the
    configurations that name the element; ``boxes=False`` draws no box around
    the columns, the bands and the parts of an element (the layout is the same).
    """
    if configuration is not None:
        model = configuration_model(model, configuration)
        loops = ()  # the loops of the whole model do not belong in one configuration
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise InvalidValueError(
            f"rankdir must be LR, TB, RL or BT, not {rankdir!r}", attribute="rankdir", value=rankdir
        )
    wanted = None if kinds is None else {element_class(k).kind for k in kinds}
    graph = _Builder(
        model,
        rankdir=rankdir,
        kinds=wanted,
        focus=focus,
        radius=radius,
        pathway=pathway,
        wrap=wrap,
        legend=legend,
        title=title,
        evidence=evidence,
        loops=loops,
        configurations=configurations,
    ).build()
    if not boxes:
        _unbox(graph)
    return graph


def _unbox(graph: _Graph) -> None:
    """Turn every cluster into a plain subgraph: Graphviz keeps the ranks and
    the order, and draws no box."""
    for item in graph.items:
        if isinstance(item, _Graph):
            if item.name.startswith("cluster_"):
                item.name = "group_" + item.name.removeprefix("cluster_")
                item.attrs = {}
            _unbox(item)


def configuration_model(model: ChangeModel, id: str) -> ChangeModel:
    """A model of one configuration: its elements, the links between them, the
    configuration itself, and a title that names it."""
    config = model.get_configuration(id)
    ids = set(config.element_ids)
    title = f"{model.title}: {config.id} ({config.status.value})"
    return ChangeModel(
        title,
        elements=[e for e in model.elements if e.id in ids],
        links=[lk for lk in model.links if lk.source in ids and lk.target in ids],
        configurations=[config],
    )


def to_pydot(model: ChangeModel, **options: Any) -> pydot.Dot:
    """The model as a :class:`pydot.Dot` graph in the MRC layout.

    Options: ``rankdir`` turns the picture (``"TB"`` reads top to bottom);
    ``kinds`` shows only elements of those kinds (and the links between them);
    ``focus`` highlights one element and its neighbours up to ``radius`` links
    away, ``pathway`` a sequence of linked element ids, fading the rest;
    ``wrap`` is the label width in characters (0: no wrapping); ``legend``,
    ``title`` and ``evidence`` (the evidence status under each label) can be
    switched off; ``loops`` (from :func:`changemodel.analysis.loops.find_loops`)
    are listed in the legend with their name, polarity and elements;
    ``configuration`` draws one realist configuration alone,
    ``configurations=False`` leaves out the configuration ids under the labels,
    and ``boxes=False`` draws no boxes around the columns and bands.
    """
    graph: pydot.Dot = _build(model, **options).to_pydot()
    return graph


def to_dot(model: ChangeModel, **options: Any) -> str:
    """The model as DOT text in the MRC layout; options as for :func:`to_pydot`.

    The text is what pydot prints for :func:`to_pydot`'s graph (the same
    statements in the same order), written without importing pydot.
    """
    out: list[str] = []
    _build(model, **options).write(out)
    return "".join(out)


def dot_losses(model: ChangeModel, *, kinds: Iterable[Kind | str] | None = None) -> LossReport:
    """What the diagram does not show.

    The diagram shows each element's kind, label (wrapped), horizon (its
    column), description (as a tooltip) and evidence status, and each link's
    relation, sign, feedback mark, rationale (tooltip) and assumptions. Not
    shown: actors, indicators, theories, tags, evidence sources, mechanism
    resource and reasoning, link confidence, evidence and theories,
    references, theories and the validation settings; nor the elements of
    kinds left out.
    """
    wanted = None if kinds is None else {element_class(k).kind for k in kinds}
    return LossReport.compute(
        "dot",
        model,
        **carried("dot"),
        keep_element=None if wanted is None else (lambda e: e.kind in wanted),
    )


@open_file("w")
def write_dot(model: ChangeModel, file: IO[str], /, **options: Any) -> LossReport:
    """Write the DOT text to a path (atomically) or an open text file; return the losses."""
    file.write(to_dot(model, **options))
    return dot_losses(model, kinds=options.get("kinds"))
