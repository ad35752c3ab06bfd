"""Mermaid flowcharts, for Markdown documentation (GitHub, GitLab, MkDocs).

The flowchart follows the MRC layout of :mod:`changemodel.formats.dot`: a
subgraph per column, left to right, with a context and an assumptions group.
Kinds are classes with their own colours; a negative link is labelled with a minus sign, a
moderation dotted, a part-of link ends in a circle, a feedback link is thick
and labelled. Every label is written as a quoted string in which anything but
letters, digits, spaces and plain punctuation is a Mermaid entity code
(``#34;``), so no label can break the chart.

Mermaid refuses to draw more than 500 edges by default: beyond that
:func:`to_mermaid` warns with :class:`MermaidEdgeLimitWarning`.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny")
>>> _ = m.activity("a", 'Say "hi"') >> m.process_outcome("o", "Change")
>>> print(to_mermaid(m, title=False, styles=False), end="")
flowchart LR
  subgraph col_1["Activities"]
    e_a["Say #34;hi#34;"]
  end
  subgraph col_4["Process outcomes"]
    e_o["Change"]
  end
  e_a --> e_o
"""

from __future__ import annotations

import json
import re
import warnings
from typing import IO, Final

from changemodel.domain import Kind, Relation, Sign
from changemodel.formats._files import file_name, open_file
from changemodel.formats._text import clean
from changemodel.formats.dot import COLUMNS, KIND_STYLES, RankDir, column_of
from changemodel.formats.loss import LossReport, carried
from changemodel.model import ChangeModel

__all__ = [
    "MERMAID_MAX_EDGES",
    "MermaidEdgeLimitWarning",
    "mermaid_losses",
    "mermaid_text",
    "to_mermaid",
    "write_mermaid",
]

#: Mermaid's default ``maxEdges``: charts with more edges are not drawn.
MERMAID_MAX_EDGES: Final = 500

#: Words that set off Mermaid's handling of style statements inside any line.
_TRIGGER_WORDS: Final = re.compile("style|classDef")
_SAFE_PUNCTUATION: Final = frozenset(" ,.:!?-_/'()+=*%@$^~")


class MermaidEdgeLimitWarning(UserWarning):
    """The chart has more edges than Mermaid draws by default."""


def mermaid_text(text: str) -> str:
    """*text* made safe inside a quoted Mermaid label.

    Mermaid drops the last ``;`` of a line where ``style`` or ``classDef`` is
    followed by ``:`` and an entity, so one letter of each such word is
    written as an entity too.

    >>> mermaid_text('a "b" <c> & d\\ne')
    'a #34;b#34; #60;c#62; #38; d<br>e'
    >>> mermaid_text("lifestyle: a & b")
    'lifes#116;yle: a #38; b'
    """
    text = clean(text)
    forced = {m.start() + 1 for m in _TRIGGER_WORDS.finditer(text)}
    out = []
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("<br>")
        elif i not in forced and ((ch.isalnum() and ord(ch) < 0x10000) or ch in _SAFE_PUNCTUATION):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def _node_ids(model: ChangeModel) -> dict[str, str]:
    ids: dict[str, str] = {}
    used: set[str] = set()
    for e in model.elements:
        base = "e_" + re.sub(r"[^A-Za-z0-9_]", "_", e.id)
        base = _TRIGGER_WORDS.sub(lambda m: m.group()[0] + "_" + m.group()[1:], base)
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}_{n}"
        used.add(name)
        ids[e.id] = name
    return ids


def to_mermaid(
    model: ChangeModel,
    *,
    direction: RankDir = "LR",
    title: bool = True,
    styles: bool = True,
) -> str:
    """The model as a Mermaid flowchart."""
    if len(model.links) > MERMAID_MAX_EDGES:
        warnings.warn(
            f"the chart has {len(model.links)} edges; Mermaid draws at most"
            f" {MERMAID_MAX_EDGES} unless its maxEdges setting is raised"
            " (mermaid.initialize({maxEdges: ...}))",
            MermaidEdgeLimitWarning,
            stacklevel=2,
        )
    ids = _node_ids(model)
    lines: list[str] = []
    if title:
        # Front matter is YAML; a JSON string is valid YAML and escapes everything.
        quoted = json.dumps(clean(model.title), ensure_ascii=True)
        quoted = _TRIGGER_WORDS.sub(
            lambda m: f"{m.group()[0]}\\u{ord(m.group()[1]):04x}{m.group()[2:]}", quoted
        )
        lines += ["---", f"title: {quoted}", "---"]
    lines.append(f"flowchart {direction}")

    def node(e_id: str) -> str:
        return f'    {ids[e_id]}["{mermaid_text(model[e_id].label)}"]'

    for kind, name, heading in (
        (Kind.CONTEXT, "context", "Context"),
        (Kind.ASSUMPTION, "assumptions", "Assumptions"),
    ):
        band = model.elements_of(kind)
        if band:
            lines.append(f'  subgraph {name}["{heading}"]')
            lines.extend(node(e.id) for e in band)
            lines.append("  end")
    for col, (_, _, heading) in enumerate(COLUMNS):
        members = [e for e in model.elements if column_of(e) == col]
        if members:
            lines.append(f'  subgraph col_{col}["{heading}"]')
            lines.extend(node(e.id) for e in members)
            lines.append("  end")
    for lk in model.links:
        a, b = ids[lk.source], ids[lk.target]
        if lk.relation is Relation.MODERATES:
            lines.append(f"  {a} -.-> {b}")
        elif lk.relation is Relation.PART_OF:
            lines.append(f"  {a} --o {b}")
        else:
            marks = []
            if lk.sign is Sign.REDUCES:
                marks.append("#8722;")
            if lk.feedback:
                marks.append("feedback")
            arrow = "==>" if lk.feedback else "-->"
            label = f'|"{" ".join(marks)}"|' if marks else ""
            lines.append(f"  {a} {arrow}{label} {b}")
    if styles:
        for kind, style in KIND_STYLES.items():
            lines.append(
                f"  classDef {kind.value} fill:{style['fillcolor']},stroke:{style['color']}"
            )
        for kind in Kind:
            names = [ids[e.id] for e in model.elements_of(kind)]
            if names:
                lines.append(f"  class {','.join(names)} {kind.value}")
        negative = [
            str(i)
            for i, lk in enumerate(model.links)
            if lk.is_causal and lk.sign is Sign.REDUCES and not lk.feedback
        ]
        if negative:
            lines.append(f"  linkStyle {','.join(negative)} stroke:#c0392b,color:#c0392b")
    return "\n".join(lines) + "\n"


def mermaid_losses(model: ChangeModel) -> LossReport:
    """What the flowchart does not show.

    Shown: the title, each element's kind, label and horizon (its column),
    each link's relation, sign and feedback mark. Everything else is lost.
    """
    return LossReport.compute(
        "mermaid",
        model,
        **carried("mermaid"),
    )


@open_file("w")
def write_mermaid(
    model: ChangeModel,
    file: IO[str],
    *,
    direction: RankDir = "LR",
    fenced: bool | None = None,
) -> LossReport:
    """Write the flowchart to a path (atomically) or an open text file.

    ``fenced`` wraps it in a Markdown ````` ```mermaid ````` block (the default
    for files whose name ends in ``.md``).
    """
    text = to_mermaid(model, direction=direction)
    if fenced is None:
        fenced = (file_name(file) or "").endswith(".md")
    if fenced:
        text = f"```mermaid\n{text}```\n"
    file.write(text)
    return mermaid_losses(model)
