"""A shareable theory report: one self-contained, interactive HTML page.

The page shows the model's title, description and version, the diagram
(inline SVG drawn by Graphviz when the report is made), the MRC logic-model
table, the realist CMO configurations, the validation findings of a chosen
profile, the testable hypotheses, the evaluation plan, the theories and the
references. In a browser, selecting an element (click, or Enter/Space on the
diagram or a table entry) opens its details; the page filters by kind,
highlights every pathway through an element and searches the text.

The page needs nothing else: no network, no external file. Its script and
style are embedded and allowed by a Content-Security-Policy that forbids
everything else; every text from the model is escaped, the model data sits in
a JSON block that cannot close its ``<script>`` element, and the diagram's SVG
is rebuilt from an allow-list of elements and attributes.

>>> from changemodel import ChangeModel
>>> m = ChangeModel("Tiny </script><script>alert(1)</script>")
>>> _ = m.activity("a", "<img src=x onerror=alert(1)>") >> m.process_outcome("o", "Hope")
>>> page = to_html(m, diagram=False)
>>> "<img" in page or "<script>alert" in page
False
>>> "Content-Security-Policy" in page and "default-src 'none'" in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import IO, TYPE_CHECKING, Any, Final

from changemodel.domain import Configuration, Element, Evidence, Kind, Link
from changemodel.errors import ChangeModelError
from changemodel.formats._files import open_file
from changemodel.formats._text import clean
from changemodel.model import ChangeModel
from changemodel.text import capitalise, count, join, plural

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from changemodel.analysis.local_tests import LocalTestReport
    from changemodel.analysis.loops import Loop
    from changemodel.analysis.plan import RealistSection
    from changemodel.formats.table import Item, Table
    from changemodel.validation import Report

__all__ = [
    "DEFAULT_HYPOTHESES",
    "LOOPS_SHOWN",
    "clean_svg",
    "content_security_policy",
    "to_html",
    "write_html",
]

#: How many pathway hypotheses a report lists at most (pathways can be exponentially many).
DEFAULT_HYPOTHESES: Final = 20

_DOT: Final = " \u00b7 "
_KIND_ORDER: Final = (
    Kind.INPUT,
    Kind.ACTIVITY,
    Kind.OUTPUT,
    Kind.MECHANISM,
    Kind.PROCESS_OUTCOME,
    Kind.DOWNSTREAM_OUTCOME,
    Kind.CONTEXT,
    Kind.ASSUMPTION,
)


def _asset(name: str) -> str:
    return (resources.files("changemodel.outputs") / "report_assets" / name).read_text("utf-8")


def _e(text: object) -> str:
    """Model text as HTML text or attribute value: cleaned and escaped, quotes included."""
    return html.escape(clean(str(text)), quote=True)


def _c(text: str | None) -> str | None:
    return None if text is None else clean(text)


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str, *, live: str = "") -> str:
    """The page's policy: nothing but the embedded *script* and *style* (by hash).

    A live preview's page also runs its *live* script and may connect to the
    server it came from, to hear of changes.

    >>> content_security_policy("", "").split("; ")[0]
    "default-src 'none'"
    """
    scripts = _sha256(script) + (f" {_sha256(live)}; connect-src 'self'" if live else "")
    return (
        f"default-src 'none'; script-src {scripts}; style-src {_sha256(style)};"
        " img-src data:; base-uri 'none'; form-action 'none'"
    )


# ----------------------------------------------------------------- the SVG

_SVG: Final = "{http://www.w3.org/2000/svg}"
#: SVG elements kept (everything else is dropped with its content; ``a`` is unwrapped).
_SVG_TAGS: Final = frozenset(
    {"svg", "g", "title", "path", "polygon", "polyline", "ellipse", "circle", "rect", "line"}
    | {"text", "tspan"}
)
#: Presentation attributes kept; no event handler, link, style or id survives.
_SVG_ATTRS: Final = frozenset(
    {
        "viewBox",
        "width",
        "height",
        "transform",
        "fill",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "stroke-opacity",
        "fill-opacity",
        "d",
        "points",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "text-anchor",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-decoration",
        "baseline-shift",
        "dominant-baseline",
    }
)
_SAFE_VALUE: Final = re.compile(r"[^<>\"'`\\]*")


def _local(tag: object) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and tag.startswith(_SVG) else str(tag)


def clean_svg(svg: str | bytes, model: ChangeModel) -> str:
    """Graphviz SVG rebuilt for inlining in the report.

    Only drawing elements and presentation attributes are kept (no script, no
    ``foreignObject``, no ``on*`` handler, no link, no style, no id); comments
    and the XML prologue go. Each element's node becomes focusable
    (``tabindex="0"``, ``role="button"``, ``aria-label``) and carries
    ``data-id``; each link carries ``data-link``, its position in
    ``model.links``.

    >>> from changemodel import ChangeModel
    >>> m = ChangeModel("Tiny")
    >>> _ = m.activity("a", "Act")
    >>> clean_svg('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    ...           '<g id="element-a" class="node"><title>a</title><script>alert(2)</script>'
    ...           '<text x="1">Act</text></g></svg>', m)  # doctest: +NORMALIZE_WHITESPACE
    '<svg role="group" aria-label="Diagram of the change model"><g class="cm-node cm-k-activity"
    data-id="a" tabindex="0" role="button" aria-label="Act (activity)"><title>Act</title><text
    x="1">Act</text> </g></svg>'
    """
    import xml.etree.ElementTree as ET

    from changemodel.formats.render import RenderError

    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise RenderError(f"the diagram is not well-formed SVG: {exc}") from None
    links = {link.id: i for i, link in enumerate(model.links)}
    out: list[str] = []
    _emit(root, out, model, links, in_text=False)
    return "".join(out)


def _emit(
    node: ET.Element, out: list[str], model: ChangeModel, links: dict[str, int], *, in_text: bool
) -> None:
    tag = _local(node.tag)
    if tag == "a" or (tag == "g" and (node.get("id") or "").startswith("a_")):
        _children(node, out, model, links, in_text=in_text)
        return
    if tag not in _SVG_TAGS:
        return
    attributes: dict[str, str] = {}
    for key, value in node.attrib.items():
        name = _local(key)
        if name in _SVG_ATTRS and _SAFE_VALUE.fullmatch(value) and "url(" not in value.lower():
            attributes[name] = value
    title: str | None = None
    graphviz_id = node.get("id") or ""
    if tag == "svg":
        attributes["role"] = "group"
        attributes["aria-label"] = "Diagram of the change model"
    elif tag == "g" and node.get("class") == "node":
        eid = graphviz_id.removeprefix("element-")
        if graphviz_id.startswith("element-") and eid in model:
            element = model.element(eid)
            # The accessible name starts with the text the box shows (its label and
            # any badge such as the evidence status), so speech matches the screen.
            shown = " ".join(
                " ".join(part.strip() for part in text.itertext() if part.strip())
                for text in node.iter(f"{_SVG}text")
            )
            attributes.update(
                {
                    "class": f"cm-node cm-k-{element.kind.value}",
                    "data-id": eid,
                    "tabindex": "0",
                    "role": "button",
                    "aria-label": f"{clean(shown or element.label)} ({element.kind.label})",
                }
            )
            title = element.label
        else:
            attributes["class"] = "cm-legend"
    elif tag == "g" and node.get("class") == "edge":
        index = links.get(graphviz_id.removeprefix("link-"))
        attributes["class"] = "cm-link"
        if index is not None:
            link = model.links[index]
            attributes["data-link"] = str(index)
            title = f"{model.element(link.source).label} \u2192 {model.element(link.target).label}"
    elif tag == "g" and node.get("class") == "cluster":
        attributes["class"] = "cm-cluster"
    text = "".join(f' {k}="{_e(v)}"' for k, v in attributes.items())
    out.append(f"<{tag}{text}>")
    if title is not None:
        out.append(f"<title>{_e(title)}</title>")
    inside = in_text or tag == "text"
    if inside and node.text:
        out.append(html.escape(clean(node.text), quote=False))
    _children(node, out, model, links, in_text=inside)
    out.append(f"</{tag}>")
    if tag == "text" and not in_text:
        # Lines of a box are separate words to a screen reader, as on the screen.
        out.append(" ")


def _children(
    node: ET.Element, out: list[str], model: ChangeModel, links: dict[str, int], *, in_text: bool
) -> None:
    for child in node:
        if _local(child.tag) == "title":
            continue  # titles are set above from the model, never copied
        _emit(child, out, model, links, in_text=in_text)
        if in_text and child.tail:
            out.append(html.escape(clean(child.tail), quote=False))


# ---------------------------------------------------------------- the data


def _evidence(items: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [
        {
            "reference": ev.reference,
            "quote": _c(ev.quote),
            "page": _c(ev.page),
            "status": ev.status.value if ev.status else None,
            "strength": ev.strength.value if ev.strength else None,
            "note": _c(ev.note),
        }
        for ev in items
    ]


def _element_data(e: Element) -> dict[str, Any]:
    horizon = getattr(e, "horizon", None)
    return {
        "id": e.id,
        "label": clean(e.label),
        "kind": e.kind.value,
        "kindLabel": e.kind.label,
        "description": _c(e.description),
        "horizon": horizon.value if horizon is not None else None,
        "resource": _c(getattr(e, "resource", None)),
        "reasoning": _c(getattr(e, "reasoning", None)),
        "actors": [{"name": clean(a.name), "role": _c(a.role)} for a in e.actors],
        "evidence": _evidence(e.evidence),
        "theories": list(e.theories),
        "indicators": [
            {
                "name": clean(i.name),
                "instrument": _c(i.instrument),
                "timepoints": [clean(t) for t in i.timepoints],
                "data_source": _c(i.data_source),
                "baseline": _c(i.baseline),
                "target": _c(i.target),
            }
            for i in e.indicators
        ],
        "tags": [clean(t) for t in e.tags],
    }


def _link_data(link: Link) -> dict[str, Any]:
    return {
        "id": link.id,
        "source": link.source,
        "target": link.target,
        "relation": link.relation.value,
        "sign": link.sign.value,
        "confidence": link.confidence,
        "feedback": link.feedback,
        "rationale": _c(link.rationale),
        "assumptions": list(link.assumptions),
        "evidence": _evidence(link.evidence),
        "theories": list(link.theories),
    }


def _data(model: ChangeModel, report: Report | None) -> dict[str, Any]:
    findings = []
    if report is not None:
        for f in report.findings:
            findings.append(
                {
                    "severity": f.severity.value,
                    "code": f.code,
                    "name": f.name,
                    "message": clean(f.message),
                    "element": f.element,
                    "link": f.link,
                    "hint": _c(f.hint),
                }
            )
    index = {lk.key: i for i, lk in enumerate(model.links)}
    return {
        "elements": [_element_data(e) for e in model.elements],
        "links": [_link_data(lk) for lk in model.links],
        "loops": [
            {
                "name": loop.name,
                "polarity": loop.polarity.value,
                "elements": list(loop.elements),
                "links": [index[lk.key] for lk in loop.links],
            }
            for loop in _loops(model)
        ],
        "theories": {
            t.id: {"name": clean(t.name), "description": _c(t.description)} for t in model.theories
        },
        "references": {r.id: {"citation": clean(r.citation)} for r in model.references},
        "findings": findings,
        "configurations": _guarded_data(lambda: _configuration_data(model)),
    }


def _guarded_data(make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Data for the page, or nothing when it cannot be made (the section says why)."""
    try:
        return make()
    except ChangeModelError:
        return {}


def _json_block(data: Mapping[str, Any]) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment: ``<``, ``>``
    and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- sections


class _Page:
    def __init__(self, model: ChangeModel) -> None:
        self.model = model

    def el(self, id: str, text: str | None = None) -> str:
        """A button that opens the details of element *id*."""
        element = self.model.element(id)
        return (
            f'<button type="button" class="cm-el cm-k-{element.kind.value}" data-id="{_e(id)}">'
            f"{_e(text if text is not None else element.label)}</button>"
        )

    def els(self, elements: Iterable[Element], empty: str = "") -> str:
        items = [self.el(e.id) for e in elements]
        if not items:
            return _e(empty)
        return (
            items[0]
            if len(items) == 1
            else "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        )

    def item(self, item: Item) -> str:
        out = f'<span class="cm-lead">{_e(item.lead)}:</span> ' if item.lead else ""
        if item.element is not None and item.element in self.model:
            out += self.el(item.element, item.text)
        else:
            out += _e(item.text)
        if item.note:
            out += f' <span class="cm-note">({_e(item.note)})</span>'
        return out

    def table(self, table: Table) -> str:
        led = any(head is not None for head, _ in table.rows)
        out = ['<div class="cm-scroll"><table class="cm-table">']
        out.append(f"<caption>{_e(table.caption)}</caption><thead><tr>")
        if led:
            out.append('<td class="corner"></td>')
        out.extend(f'<th scope="col">{_e(h)}</th>' for h in table.header)
        out.append("</tr></thead><tbody>")
        for head, cells in table.rows:
            out.append("<tr>")
            if led:
                out.append(f'<th scope="row">{_e(head or "")}</th>')
            for cell in cells:
                items = [self.item(i) for i in cell]
                if len(items) > 1:
                    out.append("<td><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></td>")
                else:
                    out.append(f"<td>{''.join(items)}</td>")
            out.append("</tr>")
        out.append("</tbody></table></div>")
        return "".join(out)

    # ------------------------------------------------------------ sections

    def logic_model(self) -> str:
        from changemodel.formats.table import logic_model_table

        return self.table(logic_model_table(self.model))

    def cmo(self) -> str:
        return _configurations_section(self)

    def findings(self, report: Report, profiles: tuple[str, ...]) -> str:
        out = [
            f"<p>Profiles: {_e(', '.join(profiles))}. Result: <strong>{_e(report.summary())}"
            "</strong>.</p>"
        ]
        if not report.findings:
            out.append('<p class="cm-note">No findings: the model passes every rule run.</p>')
            return "".join(out)
        out.append(
            '<div class="cm-scroll"><table class="cm-table"><caption>Findings, most serious'
            ' first</caption><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
            '<th scope="col">About</th><th scope="col">Message</th></tr></thead><tbody>'
        )
        links = {lk.id: lk for lk in self.model.links}
        for f in report.findings:
            link = links.get(f.link) if f.link is not None else None
            if f.element is not None and f.element in self.model:
                about = self.el(f.element)
            elif link is not None:
                about = f"{self.el(link.source)} \u2192 {self.el(link.target)}"
            else:
                about = _e(f.target or "the model")
            message = _e(f.message)
            if f.hint:
                message += f'<div class="cm-small">{_e(f.hint)}</div>'
            out.append(
                f'<tr><td><span class="cm-sev cm-sev-{_e(f.severity.value)}">'
                f"{_e(f.severity.value)}</span></td><td>{_e(f.code)} {_e(f.name)}</td>"
                f"<td>{about}</td><td>{message}</td></tr>"
            )
        out.append("</tbody></table></div>")
        return "".join(out)

    def hypotheses(self, limit: int) -> str:
        from changemodel.analysis.hypotheses import evaluation_hypotheses

        out = []
        found = evaluation_hypotheses(self.model, limit=limit)
        groups = (
            ("Realist hypotheses, one per CMO configuration", found.configurations),
            (f"Pathway hypotheses (at most {limit})", found.pathways),
        )
        for heading, items in groups:
            out.append(f"<h3>{_e(heading)}</h3>")
            if items is found.pathways and self.model.configurations:
                out.append(
                    '<p class="cm-note">The pathways whose final outcome no configuration'
                    " names.</p>"
                )
            if not items:
                out.append('<p class="cm-note">None.</p>')
                continue
            out.append("<ol>")
            for h in items:
                label = f"<strong>{_e(h.id)}</strong> " if h.id else ""
                parts = [f"<p>{label}{_e(h.text)}</p>"]
                steps = " \u2192 ".join(self.el(e.id) for e in h.elements)
                parts.append(f'<p class="cm-small">Runs through: {steps}</p>')
                if h.actors:
                    whom = join([plural(" ".join(a.name.split())) for a in h.actors])
                    parts.append(f'<p class="cm-small">In whom: {_e(whom)}</p>')
                if h.observations:
                    parts.append(
                        '<ul class="cm-small">'
                        + "".join(f"<li>Observe: {_e(str(o))}</li>" for o in h.observations)
                        + "</ul>"
                    )
                if h.confidence is not None:
                    parts.append(
                        f'<p class="cm-small">Confidence ({_e(h.confidence.rule)}):'
                        f" {_e(str(h.confidence))}</p>"
                    )
                if h.assumptions:
                    parts.append(
                        '<p class="cm-small">Assumes: '
                        + " ".join(self.el(a) if a in self.model else _e(a) for a in h.assumptions)
                        + "</p>"
                    )
                out.append(f"<li>{''.join(parts)}</li>")
            out.append("</ol>")
        if found.left_out:
            left = ", ".join(f"{x.id} ({x.reason})" for x in found.left_out)
            out.append(f'<p class="cm-note">Configurations left out: {_e(left)}.</p>')
        return "".join(out)

    def loops(self) -> str:
        from changemodel.analysis.loops import count_loops

        found = _loops(self.model)
        if not found:
            return '<p class="cm-note">The model has no feedback loops.</p>'
        count = count_loops(self.model)
        shown = (
            f" The first {len(found)} are listed."
            if count.exact is None or count.exact > len(found)
            else ""
        )
        out = [
            f"<p>{_e(str(count).capitalize())}: a loop with an even number of"
            " reduces links is reinforcing, one with an odd number balancing."
            f'{_e(shown)}</p><ol class="cm-loops">'
        ]
        for i, loop in enumerate(found):
            steps = " \u2192 ".join(self.el(id) for id in (*loop.elements, loop.elements[0]))
            n = loop.length
            out.append(
                f'<li><button type="button" data-loop="{i}" aria-pressed="false">'
                f"Highlight {_e(loop.name)}</button> <strong>{_e(loop.name)}</strong>"
                f" {_e(loop.polarity.value)}, {n} link{'s' if n != 1 else ''}: {steps}</li>"
            )
        out.append("</ol>")
        return "".join(out)

    def plan(self) -> str:
        from changemodel.analysis.confidence import RULE
        from changemodel.analysis.plan import HEADINGS, evaluation_plan

        plan = evaluation_plan(self.model)
        out = []
        columns: tuple[str, ...] = ("Aspect", "Element", "Indicator", "Instrument")
        columns += ("Timepoints", "Data source", "Baseline", "Target")
        for heading in HEADINGS:
            rows = plan.section(heading)
            out.append(f"<h3>{_e(heading)}</h3>")
            if not rows:
                out.append('<p class="cm-note">Nothing in the model to measure here.</p>')
                continue
            out.append(
                '<div class="cm-scroll"><table class="cm-table"><thead><tr>'
                + "".join(f'<th scope="col">{c}</th>' for c in columns)
                + "</tr></thead><tbody>"
            )
            for r in rows:
                cells = [
                    _e(r.aspect),
                    self.el(r.element)
                    + (f'<div class="cm-small">{_e(r.description)}</div>' if r.description else ""),
                    _e(r.indicator) if r.indicator else '<span class="cm-note">none yet</span>',
                    _e(r.instrument or ""),
                    _e(", ".join(r.timepoints)),
                    _e(r.data_source or ""),
                    _e(r.baseline or ""),
                    _e(r.target or ""),
                ]
                out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            out.append("</tbody></table></div>")
        out.append("<h3>Confidence along pathways</h3>")
        if plan.pathways:
            out.append(
                f'<p class="cm-note">Each pathway is as well supported as its weakest step'
                f" ({_e(RULE)}).</p><ul>"
            )
            for p in plan.pathways:
                steps = " \u2192 ".join(self.el(e) for e in p.elements)
                out.append(f"<li>{steps}: {_e(str(p.confidence))}</li>")
            out.append("</ul>")
        else:
            out.append('<p class="cm-note">No pathway runs from an activity to an outcome.</p>')
        if plan.realist is not None:
            out.append(_realist_plan(plan.realist))
        out.append("<h3>Gaps</h3>")
        if plan.gaps:
            out.append("<ul>")
            for g in plan.gaps:
                message = g.message.split(": ", 1)[0] if g.elements else g.message
                links = " ".join(self.el(e) for e in g.elements if e in self.model)
                out.append(
                    f"<li>{_e(g.heading)}: {_e(message)}{': ' + links if links else ''}</li>"
                )
            out.append("</ul>")
        else:
            out.append("<p>None: every element has an indicator.</p>")
        return "".join(out)

    def data_tests(self, report: LocalTestReport) -> str:
        """The implications tested against data, and the directions of signed links."""
        from changemodel.analysis.implications import TREATMENT
        from changemodel.analysis.local_tests import ADJUSTMENTS

        out = [
            f"<p>Data: {_e(report.source)}, {report.rows} rows, {len(report.mapping)} columns"
            f" mapped to elements. Significance level {report.alpha:g} after"
            f" {_e(ADJUSTMENTS[report.adjust])} adjustment;"
            f" {1 - report.alpha:.0%} confidence intervals.</p>",
            f"<p>Implied independences: <strong>{_e(report.summary('independence'))}</strong>."
            f" Directions of signed links: <strong>{_e(report.summary('direction'))}</strong>.</p>",
        ]
        if report.tests:
            out.append(
                '<div class="cm-scroll"><table class="cm-table"><caption>Each implied'
                " independence the data can test, then the direction of each signed link"
                '</caption><thead><tr><th scope="col">Test</th><th scope="col">Elements</th>'
                '<th scope="col">Given</th><th scope="col">Method</th>'
                '<th scope="col">Result</th><th scope="col">Verdict</th></tr></thead><tbody>'
            )
            for t in report.tests:
                if t.kind == "independence":
                    what = "independence"
                    pair = f"{self.el(t.x)} \u22a5 {self.el(t.y)}"
                else:
                    what = f"direction ({t.expected})"
                    pair = f"{self.el(t.x)} \u2192 {self.el(t.y)}"
                given = " ".join(self.el(g) for g in t.given) or '<span class="cm-note">none</span>'
                if t.estimate is not None and t.ci is not None:
                    name = "V" if t.method == "conditional chi-square" else "r"
                    result = (
                        f"{name} = {t.estimate:.2f} [{t.ci[0]:.2f}, {t.ci[1]:.2f}], n = {t.n},"
                        f" p = {t.p:.2g}, adjusted p = {t.p_adjusted:.2g}"
                    )
                else:
                    result = t.reason or ""
                if t.note:
                    result += f" ({t.note})"
                tone = {"rejected": "error", "contradicts": "error"}.get(t.verdict, "info")
                verdict = (
                    f'<span class="cm-note">{_e(t.verdict)}</span>'
                    if t.verdict in ("skipped", "inconclusive")
                    else f'<span class="cm-sev cm-sev-{tone}">{_e(t.verdict)}</span>'
                )
                out.append(
                    f"<tr><td>{_e(what)}</td><td>{pair}</td><td>{given}</td>"
                    f"<td>{_e(t.method or '')}</td><td>{_e(result)}</td><td>{verdict}</td></tr>"
                )
            out.append("</tbody></table></div>")
        else:
            out.append(
                '<p class="cm-note">No implication can be tested with the mapped columns.</p>'
            )
        out.append("<h3>Columns and elements</h3><ul>")
        out.extend(f"<li>{_e(column)}: {self.el(id)}</li>" for column, id in report.mapping.items())
        if report.unmapped:
            out.append(f"<li>Measuring no element: {_e(', '.join(report.unmapped))}</li>")
        if report.unmeasured:
            out.append(
                "<li>Elements without data: "
                + " ".join(self.el(v) for v in report.unmeasured)
                + "</li>"
            )
        out.extend(f'<li class="cm-small">{_e(note)}</li>' for note in report.notes)
        out.append("</ul><h3>How the model was read</h3><ul>")
        out.extend(
            f"<li>{_e(part.replace('_', ' ').capitalize())}: {_e(rule)}.</li>"
            for part, rule in TREATMENT.items()
        )
        out.append("</ul>")
        return "".join(out)

    def theories(self) -> str:
        if not self.model.theories:
            return '<p class="cm-note">The model names no theory.</p>'
        out = ["<dl>"]
        for t in self.model.theories:
            out.append(f'<dt>{_e(t.name)} <span class="cm-small">({_e(t.id)})</span></dt><dd>')
            if t.description:
                out.append(f"<p>{_e(t.description)}</p>")
            users = [e for e in self.model.elements if t.id in e.theories]
            if users:
                out.append("<p>Explains: " + " ".join(self.el(e.id) for e in users) + "</p>")
            if t.references:
                refs = ", ".join(f'<a href="#ref-{_e(r)}">{_e(r)}</a>' for r in t.references)
                out.append(f'<p class="cm-small">References: {refs}</p>')
            out.append("</dd>")
        out.append("</dl>")
        return "".join(out)

    def references(self) -> str:
        if not self.model.references:
            return '<p class="cm-note">The model cites no reference.</p>'
        out = ["<ol>"]
        for r in self.model.references:
            extra = ""
            if r.doi:
                href = "https://doi.org/" + urllib.parse.quote(clean(r.doi), safe="/:;()._-")
                extra += f' doi:<a href="{_e(href)}" rel="noopener noreferrer">{_e(r.doi)}</a>'
            if r.url:
                scheme = urllib.parse.urlsplit(clean(r.url).strip()).scheme.lower()
                if scheme in ("http", "https"):
                    extra += (
                        f' <a href="{_e(r.url.strip())}" rel="noopener noreferrer">{_e(r.url)}</a>'
                    )
                else:
                    extra += f" {_e(r.url)}"
            out.append(
                f'<li id="ref-{_e(r.id)}">{_e(r.citation)}{extra}'
                f' <span class="cm-small">[{_e(r.id)}]</span></li>'
            )
        out.append("</ol>")
        return "".join(out)

    def index(self) -> str:
        out = []
        for kind in _KIND_ORDER:
            members = self.model.elements_of(kind)
            if not members:
                continue
            out.append(f"<h3>{_e(capitalise(plural(kind.label)))} ({len(members)})</h3><ul>")
            out.extend(f"<li data-index>{self.el(e.id)}</li>" for e in members)
            out.append("</ul>")
        return "".join(out) or '<p class="cm-note">The model has no elements yet.</p>'


#: How many feedback loops the report lists (and can highlight).
LOOPS_SHOWN: Final = 20


def _loops(model: ChangeModel) -> tuple[Loop, ...]:
    from changemodel.analysis.loops import find_loops

    return find_loops(model, limit=LOOPS_SHOWN)


def _guarded(make: Callable[[], str], what: str) -> str:
    """A section, or a note saying why it could not be made (a cyclic model, say)."""
    try:
        return make()
    except ChangeModelError as exc:
        return f'<p class="cm-note">The {_e(what)} could not be made: {_e(exc)}</p>'


def _diagram(model: ChangeModel, executable: str | None) -> str:
    """The diagram section: the SVG, or a note when Graphviz could not draw it.

    A missing Graphviz is an error (the caller asked for a diagram); a drawing
    that fails is noted in the page, which is still worth sharing.
    """
    from changemodel.formats.render import RenderError, render

    try:
        svg = clean_svg(render(model, "svg", executable=executable), model)
    except RenderError as exc:
        return f'<p class="cm-note">The diagram could not be drawn: {_e(exc)}</p>'
    return (
        '<p class="cm-hint cm-small" id="cm-diagram-help">Select a box (click, or Tab to it'
        " and press Enter) to see its details. Read left to right: if \u2026 then. Zoom with"
        " the mouse wheel or the + and \u2212 keys, move by dragging or with the arrow keys,"
        " and press 0 to see the whole diagram again.</p>"
        '<div class="cm-diagram-tools" role="toolbar" aria-label="Diagram view"'
        ">"
        '<button type="button" id="cm-zoom-in">Zoom in</button>'
        '<button type="button" id="cm-zoom-out">Zoom out</button>'
        '<button type="button" id="cm-reset">Whole diagram</button>'
        '<span class="cm-small" id="cm-zoom" aria-live="polite">100%</span></div>'
        '<figure class="cm-diagram"><div class="cm-svg" id="cm-svg" tabindex="0"'
        ' role="region" aria-label="Diagram (zoom and move)"'
        f' aria-describedby="cm-diagram-help">{svg}</div>'
        '<figcaption class="cm-small">The MRC logic model: inputs, activities,'
        " outputs, mechanisms, process and downstream outcomes, with context and"
        " assumptions.</figcaption></figure>"
    )


def _profiles(model: ChangeModel, profile: str | Iterable[str] | None) -> tuple[str, ...]:
    from changemodel.validation import ALWAYS_ON, DEFAULT_PROFILES, effective_config

    chosen = effective_config(model, profiles=profile).profiles
    names = [ALWAYS_ON, *(DEFAULT_PROFILES if chosen is None else chosen)]
    return tuple(dict.fromkeys(names))


def to_html(
    model: ChangeModel,
    *,
    profile: str | Iterable[str] | None = None,
    diagram: bool = True,
    hypotheses: int = DEFAULT_HYPOTHESES,
    executable: str | None = None,
    lang: str = "en",
    local_tests: LocalTestReport | None = None,
    notices: Sequence[str] = (),
    live: str | None = None,
) -> str:
    """The report of *model* as one self-contained HTML page.

    ``profile`` names the validation profile (or profiles) whose findings the
    page shows; ``None`` runs the model's own settings (by default the
    ``integrity`` and ``structure`` rules). ``diagram=False`` leaves the
    diagram out (no Graphviz needed); otherwise Graphviz ``dot`` (found as by
    :func:`changemodel.formats.render.find_dot`, or *executable*) draws it and
    :class:`~changemodel.formats.render.GraphvizNotFoundError` says when it is
    missing. ``hypotheses`` bounds the pathway hypotheses listed.
    ``local_tests`` (from :func:`changemodel.analysis.local_tests.local_tests`)
    adds a section with the implications tested against data. The page holds
    no timestamp: the same model gives the same page.

    The live preview (:mod:`changemodel.outputs.live`) uses the last two
    options: ``notices`` are shown as an alert above the report (the errors of
    a file that no longer loads), and ``live`` is the address on the serving
    host whose events tell the page to reload.
    """
    from changemodel.validation import validate

    if isinstance(profile, str):
        profile = (profile,)
    elif profile is not None:
        profile = tuple(profile)
    report = validate(model, profiles=profile)
    profiles = _profiles(model, profile)
    page = _Page(model)

    sections: list[tuple[str, str, str]] = []
    if diagram:
        sections.append(("diagram", "Diagram", _diagram(model, executable)))
    sections += [
        ("logic-model", "Logic model", _guarded(page.logic_model, "logic-model table")),
        ("cmo", "CMO configurations", _guarded(page.cmo, "CMO configurations")),
        ("findings", "Validation findings", page.findings(report, profiles)),
        ("hypotheses", "Hypotheses", _guarded(lambda: page.hypotheses(hypotheses), "hypotheses")),
        ("loops", "Feedback loops", page.loops()),
        ("plan", "Evaluation plan", _guarded(page.plan, "evaluation plan")),
    ]
    if local_tests is not None:
        sections.append(("data-tests", "Tests against data", page.data_tests(local_tests)))
    sections += [
        ("theories", "Theories", page.theories()),
        ("references", "References", page.references()),
        ("elements", "All elements", page.index()),
    ]

    script = _asset("report.js")
    style = _asset("report.css")
    live_script = _asset("live.js") if live is not None else ""
    alert = (
        '<div class="cm-alert" role="alert"><ul>'
        + "".join(f"<li>{_e(n)}</li>" for n in notices)
        + "</ul></div>"
        if notices
        else ""
    )
    counts = ", ".join(
        f"{n} {kind.label}{'' if n == 1 else 's'}" for kind, n in model.count_by_kind().items() if n
    )
    meta = [f"Version {_e(model.version)}"] if model.version else []
    meta.append(f"{len(model)} elements ({_e(counts or 'none')}), {len(model.links)} links")
    used = [k for k in _KIND_ORDER if model.elements_of(k)]
    kinds = "".join(
        f'<label><input type="checkbox" data-kind="{k.value}" checked> {_e(k.label)}</label>'
        for k in used
    )
    toc = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title, _ in sections)
    body = "".join(
        f'<section id="{sid}" aria-labelledby="{sid}-h"><h2 id="{sid}-h">{_e(title)}</h2>'
        f"{content}</section>\n"
        for sid, title, content in sections
    )
    description = (
        f'<p class="cm-description">{_e(model.description)}</p>' if model.description else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{
        content_security_policy(script, style, live=live_script)
    }">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="changemodel">
<title>{_e(model.title)}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
<a class="cm-skip" href="#main">Skip to the report</a>
{alert}<header class="cm-header">
<h1>{_e(model.title)}</h1>
<p class="cm-meta">{_DOT.join(meta)}</p>
{description}
</header>
<nav class="cm-toc" aria-label="Sections"><ul>{toc}</ul></nav>
<div class="cm-tools" role="search" aria-label="Search and filter">
<label for="cm-search">Search</label>
<input type="search" id="cm-search" placeholder="label, description, indicator\u2026"
 autocomplete="off" aria-describedby="cm-status">
<fieldset><legend>Kinds</legend>{kinds}</fieldset>
<button type="button" id="cm-clear">Clear highlight</button>
<p id="cm-status" class="cm-status" role="status" aria-live="polite"></p>
</div>
<div class="cm-layout">
<main id="main" tabindex="-1">
{body}</main>
<aside id="cm-details" class="cm-details" aria-labelledby="cm-details-h" hidden>
<h2 id="cm-details-h" tabindex="-1">Details</h2>
<div class="cm-details-bar"><button type="button" id="cm-close">Close details</button></div>
<div id="cm-details-body"></div>
</aside>
</div>
<footer><p>Made with changemodel. This page works offline and loads nothing from elsewhere.
</p></footer>
<script type="application/json" id="cm-data">{_json_block(_data(model, report))}</script>
<script>{script}</script>
{_live_block(live, live_script)}</body>
</html>
"""


def _live_block(address: str | None, script: str) -> str:
    if address is None:
        return ""
    return f'<script id="cm-live" data-events="{_e(address)}">{script}</script>\n'


@open_file("w")
def write_html(model: ChangeModel, file: IO[str], /, **options: Any) -> None:
    """Write the report to a path (atomically) or an open text file; options as for
    :func:`to_html`."""
    file.write(to_html(model, **options))


def _realist_plan(section: RealistSection) -> str:
    """The plan's realist section: configurations to test (with their confidence),
    contrasts to sample, interview topics and data sources, each as a list."""
    out = ["<h3>Realist evaluation: configurations to test</h3><ul>"]
    for c in section.configurations:
        out.append(
            f"<li><strong>{_e(c.id)}</strong> ({_e(c.status)}): {_e(c.hypothesis)}"
            f'<div class="cm-small">Confidence: {_e(str(c.confidence))}</div></li>'
        )
    out.append("</ul>")
    if section.left_out:
        left = ", ".join(f"{i} ({r})" for i, r in section.left_out)
        out.append(f'<p class="cm-note">Left out: {_e(left)}.</p>')
    for title, texts in (
        ("Contexts to sample for each contrast", [c.text for c in section.contrasts]),
        ("Interview topics per mechanism", [t.text for t in section.topics]),
        ("Data sources per outcome", [o.text for o in section.sources]),
    ):
        if texts:
            items = "".join(f"<li>{_e(t)}</li>" for t in texts)
            out.append(f"<h3>{_e(title)}</h3><ul>{items}</ul>")
    return "".join(out)


# ------------------------------------------------------ the configurations
#
# The realist configurations: a table with the columns of every CMO table, a
# filter, a highlight of each configuration on the diagram, and the contrasts
# side by side. The page's script finds what to highlight in the data block's
# ``configurations`` (see :func:`_configuration_data`).

#: The parts a configuration may leave empty; the table says "(none)" for them.
_PARTS: Final = ("contexts", "mechanisms", "outcomes")
#: Columns that show what a mechanism or an outcome holds, not the element itself.
_ATTRIBUTES: Final = ("resource", "reasoning", "outcome_kind", "intended")


def _configurations_section(page: _Page) -> str:
    import attrs

    from changemodel.analysis.cmo import CMO_COLUMNS, configurations
    from changemodel.outputs.cmo_table import cmo_cells

    configs = configurations(page.model)
    if not configs:
        return (
            '<p class="cm-note">The model stores no configuration and has no mechanism'
            " leading to an outcome.</p>"
        )
    stored = sum(1 for c in configs if not c.derived)
    derived = len(configs) - stored
    intro = f"The model stores {count(stored, 'configuration', zero='no')}"
    if derived:
        more = "more " if stored else ""
        intro += (
            f"; {derived} {more}{'is' if derived == 1 else 'are'} derived from the graph:"
            f" {'a mechanism' if derived == 1 else 'mechanisms'} leading to"
            f" {'an outcome' if derived == 1 else 'outcomes'} that no stored configuration"
            " names together"
        )
    head = "".join(f'<th scope="col">{_e(heading)}</th>' for _, heading in CMO_COLUMNS)
    rows = []
    for c in configs:
        cells = []
        for (key, _), cell in zip(CMO_COLUMNS, cmo_cells(page.model, c), strict=True):
            if key == "id":
                cells.append(
                    f'<th scope="row">{_e(c.id)}<div><button type="button"'
                    f' data-config-highlight="{_e(c.id)}" aria-pressed="false"'
                    f' aria-label="Highlight configuration {_e(c.id)}">Highlight</button>'
                    "</div></th>"
                )
                continue
            if key in _ATTRIBUTES:  # what a mechanism or an outcome holds, as text
                cell = tuple(attrs.evolve(i, element=None) for i in cell)
            items = [page.item(i) for i in cell]
            if not items and key in _PARTS and not c.derived:
                items = ['<span class="cm-note">(none)</span>']
            cells.append(f"<td>{_divs(items) if len(items) > 1 else ''.join(items)}</td>")
        rows.append(
            f'<tr data-config="{_e(c.id)}" data-status="{_e(c.status_text)}">{"".join(cells)}</tr>'
        )
    statuses = dict.fromkeys(c.status_text for c in configs)
    options = '<option value="">all</option>' + "".join(
        f'<option value="{_e(s)}">{_e(s)}</option>' for s in statuses
    )
    tools = (
        '<div class="cm-config-tools" role="group" aria-label="Filter the configurations">'
        '<label for="cm-config-status">Status</label>'
        f'<select id="cm-config-status">{options}</select>'
        '<label for="cm-config-text">Filter</label>'
        '<input type="search" id="cm-config-text" autocomplete="off"'
        ' placeholder="id, context, mechanism, outcome\u2026" aria-describedby="cm-config-count">'
        f'<p id="cm-config-count" class="cm-status" role="status" aria-live="polite">'
        f"{len(configs)} of {len(configs)} {plural('configuration', len(configs))} shown.</p>"
        "</div>"
    )
    table = (
        f'<div class="cm-scroll"><table class="cm-table cm-configs" id="cm-configs">'
        f"<caption>Context + mechanism \u2192 outcome configurations ({len(configs)})"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    lead = (
        f'<p class="cm-small">{_e(intro)}. Highlight a configuration to'
        " see its elements and the links it asserts on the diagram, the logic model and"
        " the list of elements; the rest is dimmed.</p>"
    )
    return lead + tools + table + _contrasts(page)


#: The most contrasting pairs the report draws side by side; the rest are counted
#: and named by ``changemodel validate --profile realist`` (CM410).
CONTRASTS_SHOWN: Final = 30


def _contrasts(page: _Page) -> str:
    """The pairs of stored configurations that contrast, side by side (the first
    :data:`CONTRASTS_SHOWN`; the others are counted)."""
    model = page.model
    pairs: list[tuple[Configuration, Configuration, tuple[str, ...]]] = []
    n = 0
    for pair in model.contrasting_pairs():
        n += 1
        if len(pairs) < CONTRASTS_SHOWN:
            pairs.append(pair)
    if not pairs:
        return ""
    more = (
        f" The first {CONTRASTS_SHOWN} are shown;"
        " <code>changemodel validate --profile realist</code> lists every one (CM410)."
        if n > len(pairs)
        else ""
    )
    out = [
        '<h3 id="cm-contrasts">Contrasts</h3>'
        f'<p class="cm-small">{count(n, "pair")} of configurations'
        f" {'shares' if n == 1 else 'share'} a mechanism under different contexts with"
        " different outcomes: the heart of a realist explanation. What differs is marked."
        f"{more}</p>"
    ]
    for a, b, shared in pairs:
        mechanisms = join([model.element(m).label for m in shared])
        head = "".join(
            f'<th scope="col">{_e(c.id)} <span class="cm-small">({_e(c.status.value)})</span>'
            f'<div><button type="button" data-config-highlight="{_e(c.id)}"'
            f' aria-pressed="false" aria-label="Highlight configuration {_e(c.id)}">'
            "Highlight</button></div></th>"
            for c in (a, b)
        )
        body = []
        for part, heading in (
            ("intervention", "Intervention"),
            ("contexts", "Contexts"),
            ("mechanisms", "Mechanisms"),
            ("outcomes", "Outcomes"),
        ):
            left, right = getattr(a, part), getattr(b, part)
            if not left and not right:
                continue
            differs = set(left) != set(right)
            label = f"{heading} (differ)" if differs else heading
            cells = "".join(
                f"<td>{_divs([_contrast_entry(page, id, id not in theirs) for id in mine])}</td>"
                for mine, theirs in ((left, right), (right, left))
            )
            row = '<tr class="cm-differs">' if differs else "<tr>"
            body.append(f'{row}<th scope="row">{_e(label)}</th>{cells}</tr>')
        out.append(
            '<div class="cm-scroll"><table class="cm-table cm-contrast"'
            f' data-contrast="{_e(a.id)} {_e(b.id)}"><caption>{_e(a.id)} and {_e(b.id)}: the'
            f" same mechanism ({_e(mechanisms)}) under different contexts, with different"
            f' outcomes</caption><thead><tr><td class="corner"></td>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )
    return "".join(out)


def _contrast_entry(page: _Page, id: str, differs: bool) -> str:
    element = page.model.element(id)
    entry = page.el(id)
    if getattr(element, "intended", True) is False:
        entry += ' <span class="cm-note">(unintended)</span>'
    return f"<mark>{entry}</mark>" if differs else entry


def _configuration_data(model: ChangeModel) -> dict[str, Any]:
    """What the page's script highlights for each configuration: its element ids and
    the positions (in ``links``) of the links it asserts that the model holds; for
    a derived configuration, the links between its elements."""
    from changemodel.analysis.cmo import configurations

    index = {lk.key: i for i, lk in enumerate(model.links)}
    out: dict[str, Any] = {}
    for c in configurations(model):
        ids = [e.id for e in (*c.intervention, *c.contexts, *c.mechanisms, *c.outcomes)]
        if c.derived:
            named = set(ids)
            keys = [
                lk.key
                for e in ids
                for lk in model.links_from(e)
                if lk.target in named and lk.source in named
            ]
        else:
            keys = [lk.key for lk in model.asserted_links(c.id)]
        out[c.id] = {
            "status": c.status_text,
            "elements": list(dict.fromkeys(ids)),
            "links": sorted(index[k] for k in keys if k in index),
        }
    return out


def _divs(items: list[str]) -> str:
    """Entries of a cell, one per line, or "(none)"."""
    return "".join(f"<div>{item}</div>" for item in items) or "(none)"
