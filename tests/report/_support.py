"""Shared helpers for the report tests: the example, a hostile model and page parsing."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from changemodel import ChangeModel, Evidence, Indicator, load

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "peer_worker" / "model.yaml"

#: Text that must show as text, never run or become markup.
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "<!-- <script>alert(3)</script>",
    '"><svg onload=alert(4)>',
    "' onmouseover='alert(5)",
    "]]><script>alert(6)</script>",
    "&lt;b&gt; &amp; \u2028\u2029",
)


def example() -> ChangeModel:
    return load(EXAMPLE)


def hostile_model() -> ChangeModel:
    """Every text field of a model made of hostile snippets."""

    def text(i: int) -> str:
        return HOSTILE[i % len(HOSTILE)] + f" #{i}"

    m = ChangeModel(
        text(0), description=text(1), version=text(2) + "</title><script>alert(7)</script>"
    )
    m.reference("r1", text(3), doi="10.1/<script>", url="javascript:alert(8)")
    m.theory("t1", text(4), description=text(5), references=["r1"])
    evidence = [Evidence("r1", quote=text(6), page=text(7), note=text(8), status="reported")]
    support = m.activity(
        "support",
        text(9),
        description=text(10),
        actors=[text(11)],
        indicators=[Indicator(text(12), instrument=text(13), timepoints=[text(14)])],
        evidence=evidence,
        theories=["t1"],
        tags=[text(15)],
    )
    trust = m.mechanism("trust", text(16), resource=text(17), reasoning=text(18))
    hope = m.process_outcome("hope", text(19), indicators=[Indicator(text(20))])
    admissions = m.downstream_outcome("admissions", text(21), horizon="long")
    m.link(support, trust, rationale=text(22), evidence=evidence)
    m.link(trust, hope, confidence=0.5)
    m.link(hope, admissions, sign="reduces", rationale=text(23))
    m.context("role", text(24), moderates=[trust])
    m.assumption("willing", text(25), underpins=[("support", "trust")])
    return m


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)


def page_data(text: str) -> dict[str, object]:
    """The model data embedded in a report."""
    found = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', text, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert isinstance(data, dict)
    return data
