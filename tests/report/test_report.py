"""The report page as text: self-contained, escaped, deterministic, complete."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import itertools
import re
import shutil
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from changemodel import ChangeModel
from changemodel.cli import cli
from changemodel.formats._text import clean
from changemodel.formats.render import GraphvizNotFoundError, RenderError
from changemodel.outputs.report import _SVG_ATTRS, _SVG_TAGS, clean_svg, to_html, write_html
from changemodel.testing.strategies import models
from changemodel.validation import validate

from ._support import EXAMPLE, HOSTILE, ROOT, Page, example, hostile_model, page_data

#: Every tag the page may hold: its own layout and Graphviz's drawing elements.
TAGS = (
    frozenset(
        [
            "html",
            "head",
            "meta",
            "title",
            "link",
            "style",
            "body",
            "a",
            "header",
            "h1",
            "h2",
            "h3",
            "p",
            "nav",
            "ul",
            "ol",
            "li",
            "div",
            "label",
            "input",
            "select",
            "option",
            "mark",
            "fieldset",
            "legend",
            "button",
            "main",
            "section",
            "aside",
            "footer",
            "script",
            "figure",
            "figcaption",
            "table",
            "caption",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "span",
            "strong",
            "dl",
            "dt",
            "dd",
        ]
    )
    | _SVG_TAGS
)  # the diagram's
#: Every attribute the page may hold.
ATTRIBUTES = frozenset(
    [
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "rel",
        "href",
        "class",
        "id",
        "type",
        "tabindex",
        "role",
        "aria-label",
        "aria-labelledby",
        "aria-describedby",
        "aria-live",
        "aria-pressed",
        "hidden",
        "for",
        "placeholder",
        "autocomplete",
        "checked",
        "data-kind",
        "data-id",
        "data-link",
        "data-loop",
        "data-index",
        "data-config",
        "data-config-highlight",
        "data-contrast",
        "data-status",
        "value",
        "scope",
    ]
) | {name.casefold() for name in _SVG_ATTRS}  # the diagram's, as the HTML parser reads them
SCRIPT = (resources.files("changemodel.outputs") / "report_assets" / "report.js").read_text("utf-8")


def check_structure(text: str) -> Page:
    """Nothing in the page is markup that came from the model."""
    page = Page(text)
    for tag, attrs in page.tags:
        assert tag in TAGS, tag
        for name, value in attrs.items():
            assert name in ATTRIBUTES, (tag, name)
            if name == "href":
                assert value is not None
                assert value.startswith(("#", "https://doi.org/", "http://", "https://", "data:"))
    assert [t for t, _ in page.tags].count("script") == 2
    assert page.scripts[1] == SCRIPT
    assert [t for t, a in page.tags if t == "meta" and a.get("http-equiv")] == ["meta"]
    return page


def test_example_report_has_every_section() -> None:
    model = example()
    text = to_html(model, profile=["mrc", "realist", "evidence", "evaluation"])
    page = check_structure(text)
    ids = {a.get("id") for _, a in page.tags}
    for section in ("diagram", "logic-model", "cmo", "findings", "hypotheses", "plan"):
        assert section in ids
    for section in ("theories", "references", "elements"):
        assert section in ids
    words = " ".join(page.text)
    assert model.title in words and model.version is not None and model.version in words
    assert model.description is not None and model.description in words
    for reference in model.references:
        assert clean(reference.citation) in words
    # every element is a focusable node of the diagram and a button elsewhere
    nodes = {a["data-id"] for t, a in page.tags if t == "g" and "data-id" in a}
    assert nodes == {e.id for e in model.elements}
    for _, attrs in page.tags:
        if attrs.get("class", "") and "cm-node" in str(attrs["class"]):
            assert attrs["tabindex"] == "0" and attrs["role"] == "button"
    buttons = {a["data-id"] for t, a in page.tags if t == "button" and "data-id" in a}
    assert buttons == nodes
    links = {a["data-link"] for t, a in page.tags if t == "g" and "data-link" in a}
    assert links == {str(i) for i in range(len(model.links))}


def test_findings_are_those_of_the_chosen_profile() -> None:
    model = example()
    for profiles in (["evaluation"], ["realist"]):
        report = validate(model, profiles=profiles)
        text = to_html(model, profile=profiles, diagram=False)
        data = page_data(text)
        findings = data["findings"]
        assert isinstance(findings, list)
        assert [f["code"] for f in findings] == [f.code for f in report.findings]
        assert report.findings, "the example has findings under these profiles"
        assert f"Profiles: integrity, {profiles[0]}." in " ".join(Page(text).text)
    # a finding about a link names both of its ends, each opening its details
    # (the example's links all carry evidence: take it off one)
    link = model.get_link("trusting_relationships", "hope_empowerment")
    import attrs as attrs_lib

    model.replace(attrs_lib.evolve(link, evidence=()))
    report = validate(model, profiles=["evidence"])
    about_links = [f.link for f in report.findings if f.link is not None]
    assert about_links
    text = to_html(model, profile="evidence", diagram=False)
    section = text[text.index('<section id="findings"') :]
    section = section[: section.index("</section>")]
    for link_id in about_links:
        link = model.find_link(link_id)
        pattern = (
            f'data-id="{link.source}">[^<]*</button> \u2192 <button[^>]*data-id="{link.target}"'
        )
        assert re.search(pattern, section), link_id


def test_embedded_data_round_trips_and_cannot_break_out() -> None:
    model = hostile_model()
    text = to_html(model, diagram=False)
    block = re.search(r'id="cm-data">(.*?)</script>', text, re.S)
    assert block is not None
    assert not set("<>&") & set(block.group(1))
    data = page_data(text)
    elements = data["elements"]
    assert isinstance(elements, list)
    assert [(e["id"], e["label"]) for e in elements] == [(e.id, e.label) for e in model.elements]
    assert elements[0]["description"] == model["support"].description


def test_hostile_model_shows_text_and_no_markup() -> None:
    model = hostile_model()
    text = to_html(model)
    page = check_structure(text)
    words = "".join(page.text)
    for element in model.elements:
        assert element.label in words
    assert model.title in words
    # a javascript: URL is shown, never linked; the DOI link is quoted
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert "https://doi.org/10.1/%3Cscript%3E" in hrefs
    assert not any(str(h).lower().startswith("javascript") for h in hrefs)
    assert "javascript:alert(8)" in words


def test_content_security_policy_allows_exactly_the_embedded_script_and_style() -> None:
    text = to_html(example(), diagram=False)
    page = Page(text)
    (policy,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    style = re.search(r"<style>(.*?)</style>", text, re.S)
    assert style is not None

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    assert directives["script-src"] == digest(page.scripts[1])
    assert directives["style-src"] == digest(style.group(1))
    # the policy comes before any style or script
    assert text.index("Content-Security-Policy") < text.index("<style>")


def test_the_same_model_gives_the_same_page() -> None:
    assert to_html(example()) == to_html(example())


def test_svg_is_rebuilt_from_an_allow_list() -> None:
    model = ChangeModel("Tiny")
    model.activity("a", "Act")
    svg = (
        '<?xml version="1.0"?><!-- Generated by graphviz -->'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="10pt" onload="alert(1)" style="x">'
        '<g id="element-a" class="node"><title>a</title>'
        '<g id="a_element-a"><a xlink:href="javascript:alert(2)" xlink:title="tip">'
        '<path d="M0,0" fill="url(http://example.org/x)" stroke="red" onclick="alert(3)"/>'
        '<text x="1">Act &amp; <tspan>more</tspan> tail</text></a></g>'
        "<script>alert(4)</script><foreignObject><div>x</div></foreignObject></g>"
        '<g id="node9" class="node"><title>_legend</title></g></svg>'
    )
    out = clean_svg(svg, model)
    assert "alert" not in out and "script" not in out and "foreignObject" not in out
    assert "http" not in out and "style" not in out and "<a" not in out and "<!--" not in out
    assert '<path d="M0,0" stroke="red"></path>' in out
    assert '<text x="1">Act &amp; <tspan>more</tspan> tail</text>' in out
    # the accessible name is the text the box shows, then its kind
    assert 'data-id="a"' in out and 'aria-label="Act &amp; more tail (activity)"' in out
    assert '<g class="cm-legend"></g>' in out
    with pytest.raises(RenderError, match="not well-formed"):
        clean_svg("<svg", model)


def test_a_cyclic_model_still_gets_a_report_with_notes() -> None:
    model = ChangeModel("Loop")
    a = model.mechanism("a", "A")
    b = model.process_outcome("b", "B")
    _ = a >> b
    model.link(b, a)
    text = to_html(model)
    assert "could not be made" in text
    assert "cycle" in text
    check_structure(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models(hostile=True))
def test_any_hostile_model_gives_a_page_without_foreign_markup(model: ChangeModel) -> None:
    text = to_html(model)
    page = check_structure(text)
    data = page_data(text)
    elements = data["elements"]
    assert isinstance(elements, list)
    assert [e["label"] for e in elements] == [clean(e.label) for e in model.elements]
    words = "".join(page.text)
    assert clean(model.title) in words


def test_write_html_and_the_command(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    write_html(example(), target, profile="realist")
    written = target.read_text(encoding="utf-8")
    assert written == to_html(example(), profile="realist")
    runner = CliRunner()
    out = tmp_path / "cli.html"
    result = runner.invoke(cli, ["report", str(EXAMPLE), "-o", str(out), "-p", "realist"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == written
    result = runner.invoke(cli, ["report", str(EXAMPLE), "--no-diagram", "--hypotheses", "0"])
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>") and "<svg" not in result.output
    assert "Pathway hypotheses (at most 0)" in result.output
    result = runner.invoke(cli, ["report", str(EXAMPLE), "-o", str(out), "-p", "nonesuch"])
    assert result.exit_code == 2 and "unknown profile 'nonesuch'" in result.output


def test_missing_graphviz_is_said(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHANGEMODEL_DOT", str(tmp_path / "no-dot-here"))
    with pytest.raises(GraphvizNotFoundError):
        to_html(example())
    assert "cm-data" in to_html(example(), diagram=False)
    result = CliRunner().invoke(cli, ["report", str(EXAMPLE), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "Graphviz" in result.output
    assert not (tmp_path / "r.html").exists()


def test_hostile_snippets_are_all_in_the_hostile_model() -> None:
    text = "".join(Page(to_html(hostile_model(), diagram=False)).text)
    for snippet in HOSTILE:
        assert clean(snippet) in text


def test_a_drawing_that_fails_is_noted_in_the_page() -> None:
    failing = shutil.which("false")
    assert failing is not None
    text = to_html(example(), executable=failing)
    assert "The diagram could not be drawn: Graphviz failed" in text
    check_structure(text)


def _build_script() -> ModuleType:
    name = "examples_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_example_report_is_built_and_goes_stale_with_its_model() -> None:
    build = _build_script()
    (output,) = [o for o in build.OUTPUTS if o.path == EXAMPLE.parent / "report.html"]
    reports = {o.path.parent.name for o in build.OUTPUTS if o.path.name == "report.html"}
    assert reports == {"peer_worker", "shared_medical_appointments"}
    existing = output.path.read_bytes()
    assert output.is_fresh()
    changed = example()
    changed.update("wellbeing", label="Mental well-being (WEMWBS)")
    assert not build.report_fresh(lambda: changed)(existing)
    # the committed page is a complete, safe report of the example
    text = existing.decode("utf-8")
    check_structure(text)
    assert page_data(text) == page_data(to_html(example(), profile=build.REPORT_PROFILES))


def test_without_a_browser_the_tests_skip_unless_ci_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .conftest import _unavailable

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no browser")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _unavailable("no browser")


def test_the_page_has_landmarks_headings_and_labels() -> None:
    page = Page(to_html(example(), profile="realist"))
    tags = [t for t, _ in page.tags]
    for landmark in ("header", "nav", "main", "aside", "footer"):
        assert tags.count(landmark) == 1, landmark
    assert any(a.get("role") == "search" for _, a in page.tags)
    levels = [int(t[1]) for t in tags if t in ("h1", "h2", "h3")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    labelled = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag == "input" and attrs.get("type") == "search":
            assert attrs.get("id") in labelled
        if attrs.get("role") == "button":
            assert attrs.get("aria-label") and attrs.get("tabindex") == "0"
    # every checkbox sits inside its label
    text = to_html(example(), diagram=False)
    assert len(re.findall(r'<label><input type="checkbox"', text)) == len(
        re.findall(r'type="checkbox"', text)
    )


def test_the_page_script_never_parses_text_as_markup_or_code() -> None:
    live = (resources.files("changemodel.outputs") / "report_assets" / "live.js").read_text("utf-8")
    for script in (SCRIPT, live):
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in script
        assert "new Function" not in script and "setTimeout(" not in script
    assert "textContent" in SCRIPT


def test_the_loops_section_lists_each_loop_with_its_polarity() -> None:
    m = ChangeModel("Loops")
    support = m.activity("support", "Peer support")
    engaged = m.process_outcome("engaged", "Engagement")
    _ = support >> engaged
    _ = engaged.feeds_back_to(support, sign="reduces")
    page = check_structure(to_html(m, diagram=False))
    text = " ".join(" ".join(page.text).split())
    assert "1 loop (1 independent) in 1 group of elements" in text
    assert "B1 balancing, 2 links:" in text
    assert "The model has no feedback loops." in to_html(example(), diagram=False)
