"""The report in a real browser: details, keyboard, search, filter, pathways, safety, speed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from changemodel import ChangeModel, Kind, Relation
from changemodel.outputs.report import to_html
from changemodel.testing.generate import layered_model
from changemodel.validation import validate

from ._support import example, hostile_model
from .conftest import Browser, describe_violations, run_axe

PROFILES = ["mrc", "realist", "evidence", "evaluation"]


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "peer_worker.html"
    path.write_text(to_html(example(), profile=PROFILES), encoding="utf-8")
    return path


def css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def ids_with(driver: Any, selector: str) -> set[str]:
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]),"
        " n => n.getAttribute('data-id'))",
        selector,
    )
    return set(found)


def details_text(driver: Any) -> str:
    text = css(driver, "#cm-details").text
    assert isinstance(text, str)
    return text


def test_clicking_a_node_opens_its_details(browser: Browser, example_page: Path) -> None:
    model = example()
    driver = browser.open(example_page)
    assert not css(driver, "#cm-details").is_displayed()
    findings = validate(model, profiles=PROFILES).by_target()
    element = next(e for e in model.elements_of(Kind.MECHANISM) if findings.get(e.id))
    css(driver, f'.cm-node[data-id="{element.id}"]').click()
    assert css(driver, "#cm-details").is_displayed()
    assert css(driver, "#cm-details-body h3").text == element.label
    text = details_text(driver)
    assert f"{element.kind.label} \u00b7 id {element.id}" in text
    for evidence in element.evidence:
        assert evidence.status is not None and evidence.status.value in text
    for theory in element.theories:
        assert model.get_theory(theory).name in text
    for link in model.links_to(element.id):
        assert model.element(link.source).label in text
        if link.rationale:
            assert link.rationale in text
    for link in model.links_from(element.id):
        assert model.element(link.target).label in text
    for finding in findings[element.id]:
        assert f"{finding.code} {finding.name}: {finding.message}" in text
    assert ids_with(driver, ".cm-selected") == {element.id}
    # a link in the details goes to the element at its other end
    target = model.links_from(element.id)[0].target
    css(driver, f'#cm-details-body [data-goto="{target}"]').click()
    assert css(driver, "#cm-details-body h3").text == model.element(target).label


def test_keyboard_selects_nodes_and_table_entries(browser: Browser, example_page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    model = example()
    driver = browser.open(example_page)
    node = css(driver, '.cm-node[data-id="wellbeing"]')
    driver.execute_script("arguments[0].focus()", node)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert css(driver, "#cm-details-body h3").text == model.element("wellbeing").label
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert not css(driver, "#cm-details").is_displayed()
    assert driver.execute_script("return document.activeElement.getAttribute('data-id')") == (
        "wellbeing"
    )
    entry = css(driver, '#logic-model button[data-id="peer_support"]')
    driver.execute_script("arguments[0].focus()", entry)
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    assert css(driver, "#cm-details-body h3").text == model.element("peer_support").label


def _haystack(model: ChangeModel, id: str) -> str:
    e = model.element(id)
    parts = [e.id, e.label, e.kind.label, e.description or ""]
    parts += [getattr(e, "resource", None) or "", getattr(e, "reasoning", None) or ""]
    parts += list(e.tags) + [x for a in e.actors for x in (a.name, a.role or "")]
    parts += [x for i in e.indicators for x in (i.name, i.instrument or "")]
    return "\n".join(parts).lower()


def test_search_and_filter(browser: Browser, example_page: Path) -> None:
    model = example()
    driver = browser.open(example_page)
    search = css(driver, "#cm-search")
    search.send_keys("service users")
    expected = {
        e.id
        for e in model.elements
        if all(w in _haystack(model, e.id) for w in ("service", "users"))
    }
    assert expected and len(expected) < len(model)
    assert ids_with(driver, ".cm-node.cm-match") == expected
    assert ids_with(driver, ".cm-node.cm-nomatch") == {e.id for e in model.elements} - expected
    assert ids_with(driver, "li[data-index]:not([hidden]) button") == expected
    assert css(driver, "#cm-status").text == f"{len(expected)} of {len(model)} elements shown."
    search.clear()
    search.send_keys(" ")
    assert ids_with(driver, ".cm-nomatch") == set()

    contexts = {e.id for e in model.elements_of(Kind.CONTEXT)}
    box = css(driver, 'input[data-kind="context"]')
    box.click()
    assert ids_with(driver, ".cm-node.cm-filtered") == contexts
    assert ids_with(driver, "li[data-index][hidden] button") == contexts
    moderations = driver.execute_script(
        "return document.querySelectorAll('.cm-link.cm-filtered').length"
    )
    assert moderations == sum(1 for lk in model.links if lk.source in contexts)
    box.click()
    assert ids_with(driver, ".cm-filtered") == set()


def _pathway(model: ChangeModel, id: str) -> set[str]:
    """Expected: the element and everything causally up- and downstream of it
    (feedback links left out); for a context, of what it moderates; for an
    assumption, of the links it underpins; plus the contexts moderating those
    and the assumptions of their links."""
    causal = [lk for lk in model.links if lk.is_causal and not lk.feedback]

    def reach(seeds: set[str], forward: bool) -> set[str]:
        seen = set(seeds)
        changed = True
        while changed:  # a fixpoint, independent of the page's walk
            changed = False
            for lk in causal:
                here, there = (lk.source, lk.target) if forward else (lk.target, lk.source)
                if here in seen and there not in seen:
                    seen.add(there)
                    changed = True
        return seen

    kind = model.element(id).kind
    on_links = []
    if kind is Kind.CONTEXT:
        up_seeds = {lk.target for lk in model.links_from(id, Relation.MODERATES)}
        down_seeds = up_seeds
    elif kind is Kind.ASSUMPTION:
        underpinned = [lk for lk in model.links if id in lk.assumptions]
        up_seeds = {lk.source for lk in underpinned}
        down_seeds = {lk.target for lk in underpinned}
        on_links += underpinned
    else:
        up_seeds = down_seeds = {id}
    up, down = reach(up_seeds, False), reach(down_seeds, True)
    on = {id} | up | down
    on_links += [
        lk for lk in causal if {lk.source, lk.target} <= up or {lk.source, lk.target} <= down
    ]
    extra = {a for lk in on_links for a in lk.assumptions}
    extra |= {
        lk.source for lk in model.links if lk.relation is Relation.MODERATES and lk.target in on
    }
    return on | (extra & {e.id for e in model.elements})


def test_pathways_through_an_element_are_highlighted(browser: Browser, example_page: Path) -> None:
    model = example()
    driver = browser.open(example_page)
    everything = {e.id for e in model.elements}
    partial = 0
    for element in model.elements:
        css(driver, f'.cm-node[data-id="{element.id}"]').click()
        css(driver, "#cm-paths").click()
        expected = _pathway(model, element.id)
        assert ids_with(driver, ".cm-node.cm-on") == expected, element.id
        assert ids_with(driver, "li[data-index] .cm-on") == expected, element.id
        assert len(expected) > 1, element.id
        partial += expected < everything
    assert partial >= len(model) // 2  # most elements lie on some pathways only
    assert css(driver, "#cm-paths").get_attribute("aria-pressed") == "true"
    css(driver, "#cm-clear").click()
    assert ids_with(driver, ".cm-on") == set()
    assert css(driver, "#cm-paths").get_attribute("aria-pressed") == "false"


def test_hostile_labels_show_as_text_and_run_nothing(browser: Browser, tmp_path: Path) -> None:
    model = hostile_model()
    path = tmp_path / "hostile.html"
    path.write_text(to_html(model, profile=PROFILES), encoding="utf-8")
    driver = browser.open(path)
    counts = driver.execute_script(
        "return [document.scripts.length, document.images.length,"
        " document.querySelectorAll('svg').length, document.querySelectorAll('iframe').length]"
    )
    assert counts == [2, 0, 1, 0]
    assert driver.title == model.title
    assert css(driver, "h1").text == model.title
    for element in model.elements:
        css(driver, f'.cm-node[data-id="{element.id}"]').click()
        assert css(driver, "#cm-details-body h3").text == element.label.strip()
        css(driver, "#cm-paths").click()
    css(driver, "#cm-search").send_keys("<script>alert(1)</script>")
    probe = browser.probe()
    assert probe == {"dialogs": [], "violations": []}
    assert driver.execute_script("return document.images.length") == 0
    # the probe does catch a dialog when one is asked for
    driver.execute_script("window.alert('control')")
    assert browser.probe()["dialogs"] == [["alert", "control"]]


def test_the_page_makes_no_network_request(browser: Browser, example_page: Path) -> None:
    driver = browser.open(example_page)
    css(driver, '.cm-node[data-id="trusting_relationships"]').click()
    css(driver, "#cm-paths").click()
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    requested = {
        event["params"]["request"]["url"]
        for event in browser.network_events()
        if event["method"] == "Network.requestWillBeSent"
    }
    assert requested == {example_page.resolve().as_uri()}
    assert browser.probe()["violations"] == []


def test_readable_on_a_phone(browser: Browser, example_page: Path) -> None:
    driver = browser.open(example_page, width=390, height=844)
    width = driver.execute_script("return [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]
    css(driver, '.cm-node[data-id="wellbeing"]').click()
    box = driver.execute_script(
        "const r = document.getElementById('cm-details').getBoundingClientRect();"
        " return [r.top, r.bottom, r.width, innerHeight, innerWidth]"
    )
    top, bottom, width_, height, inner = box
    assert 0 < top < height and bottom <= height + 1 and width_ <= inner


@pytest.mark.slow
def test_a_1k_element_model_renders_and_stays_usable(browser: Browser, tmp_path: Path) -> None:
    """Every interaction works on a large page; the timings are printed for the record
    (speed is measured by the benchmarks, never asserted in tests)."""
    model = layered_model(1000)
    path = tmp_path / "large.html"
    path.write_text(to_html(model), encoding="utf-8")
    driver = browser.open(path)
    timing = driver.execute_script(
        "const paint = performance.getEntriesByName('first-contentful-paint')[0];"
        " const ready = performance.getEntriesByName('cm-ready')[0];"
        " return [paint ? paint.startTime : null, ready.startTime]"
    )
    first_render, ready = timing
    assert first_render is not None
    # each step timed until the page has restyled and laid itself out again
    steps = driver.execute_script(
        "const took = {};"
        " function step(name, act) { const t = performance.now(); act();"
        "   document.body.offsetHeight; took[name] = performance.now() - t; }"
        " const input = document.getElementById('cm-search');"
        " step('search', () => { input.value = 'mechanism 1';"
        "   input.dispatchEvent(new Event('input')); });"
        " step('select', () => document.querySelector('.cm-node[data-id=\"mechanism_0\"]')"
        "   .dispatchEvent(new MouseEvent('click', {bubbles: true})));"
        " step('paths', () => document.getElementById('cm-paths').click());"
        " step('filter', () => document.querySelector('input[data-kind=\"context\"]').click());"
        " took.lit = document.querySelectorAll('.cm-node.cm-on').length;"
        " return took;"
    )
    lit = steps.pop("lit")
    print(
        f"\n1K-element report: {path.stat().st_size / 1e6:.1f} MB, first contentful paint"
        f" {first_render:.0f} ms, script ready {ready:.0f} ms; "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in steps.items())
        + f" ({lit} elements on the pathways)"
    )
    assert lit > 1
    assert set(steps) == {"search", "select", "paths", "filter"}
    assert driver.execute_script("return !document.getElementById('cm-details').hidden")


def test_print_keeps_the_content_and_drops_the_controls(
    browser: Browser, example_page: Path
) -> None:
    driver = browser.open(example_page)
    css(driver, '.cm-node[data-id="wellbeing"]').click()
    css(driver, 'input[data-kind="context"]').click()
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script(
            "const out = {};"
            " for (const s of ['.cm-tools', 'nav.cm-toc', '#cm-details', '#elements',"
            "   '#cm-svg svg', '#logic-model table', '#findings table', '#plan table',"
            "   '#references li'])"
            "   out[s] = getComputedStyle(document.querySelector(s)).display !== 'none';"
            " out.faded = getComputedStyle(document.querySelector("
            "   '.cm-node[data-id=\"distinct_role\"]')).opacity;"
            " return out;"
        )
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown.pop("faded") == "1"  # a filter on screen does not fade the printout
    hidden = {".cm-tools", "nav.cm-toc", "#cm-details", "#elements"}
    assert {s for s, visible in shown.items() if not visible} == hidden


def test_the_address_names_the_selected_element(browser: Browser, example_page: Path) -> None:
    model = example()
    driver = browser.open(example_page)
    css(driver, '.cm-node[data-id="hope_empowerment"]').click()
    assert driver.execute_script("return location.hash") == "#el=hope_empowerment"
    driver.get(example_page.resolve().as_uri() + "#el=wellbeing")
    assert css(driver, "#cm-details").is_displayed()
    assert css(driver, "#cm-details-body h3").text == model.element("wellbeing").label
    css(driver, "#cm-close").click()
    assert driver.execute_script("return location.hash") == ""
    driver.get(example_page.resolve().as_uri() + "#el=no-such-element")
    assert not css(driver, "#cm-details").is_displayed()


def zoom(driver: Any) -> float:
    value = css(driver, "#cm-svg").get_attribute("data-zoom")
    assert value is not None
    return float(value)


def view_box(driver: Any) -> list[float]:
    text = driver.execute_script(
        "return document.querySelector('#cm-svg svg').getAttribute('viewBox')"
    )
    assert isinstance(text, str)
    return [float(v) for v in text.split()]


def test_the_diagram_takes_the_page_width(browser: Browser, example_page: Path) -> None:
    driver = browser.open(example_page, width=1400, height=1000)
    width, inner = driver.execute_script(
        "return [document.getElementById('cm-svg').getBoundingClientRect().width, innerWidth]"
    )
    assert width >= 0.9 * inner
    # Drawn across the width, a box's text is at least as large as the page's small print.
    text_height = driver.execute_script(
        "return document.querySelector('.cm-node text').getBoundingClientRect().height"
    )
    assert text_height >= 11
    # Opening the details puts the panel beside the diagram, not over it.
    css(driver, '.cm-node[data-id="wellbeing"]').click()
    diagram, details = driver.execute_script(
        "return [document.getElementById('cm-svg').getBoundingClientRect().right,"
        " document.getElementById('cm-details').getBoundingClientRect().left]"
    )
    assert diagram <= details


def test_the_wheel_zooms_around_the_pointer_and_the_reset_shows_everything(
    browser: Browser, example_page: Path
) -> None:
    driver = browser.open(example_page)
    whole = view_box(driver)
    assert zoom(driver) == 1.0
    driver.execute_script(
        "const box = document.getElementById('cm-svg'); const r = box.getBoundingClientRect();"
        " box.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left + 10,"
        " clientY: r.top + 10, bubbles: true, cancelable: true}));"
    )
    assert zoom(driver) > 1.5
    zoomed = view_box(driver)
    assert zoomed[2] < whole[2] and zoomed[3] < whole[3]
    css(driver, "#cm-zoom-out").click()
    assert zoom(driver) < view_box_zoom(whole, zoomed)
    css(driver, "#cm-reset").click()
    assert view_box(driver) == whole and zoom(driver) == 1.0
    assert css(driver, "#cm-zoom").text == "100%"


def view_box_zoom(whole: list[float], view: list[float]) -> float:
    return whole[2] / view[2]


def test_a_drag_moves_the_view_and_selects_nothing(browser: Browser, example_page: Path) -> None:
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    driver = browser.open(example_page)
    before = view_box(driver)
    node = css(driver, '.cm-node[data-id="wellbeing"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", node)
    x, y = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        " return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)]",
        node,
    )
    actions = ActionBuilder(driver)
    pointer: Any = actions.pointer_action  # selenium's pointer actions are untyped upstream
    pointer.move_to_location(x, y).pointer_down()
    pointer.move_to_location(x - 120, y).move_to_location(x - 160, y + 30)
    pointer.pointer_up()
    actions.perform()
    after = view_box(driver)
    assert after[0] > before[0] and after[1] < before[1]
    assert after[2:] == before[2:]
    assert not css(driver, "#cm-details").is_displayed()
    # A click without a drag still opens the details.
    node.click()
    assert css(driver, "#cm-details").is_displayed()


def test_the_keyboard_zooms_moves_and_resets(browser: Browser, example_page: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    driver = browser.open(example_page)
    whole = view_box(driver)
    box = css(driver, "#cm-svg")
    box.send_keys("+")
    box.send_keys("+")
    assert zoom(driver) > 1.5
    zoomed = view_box(driver)
    box.send_keys(Keys.ARROW_RIGHT)
    box.send_keys(Keys.ARROW_DOWN)
    moved = view_box(driver)
    assert moved[0] > zoomed[0] and moved[1] > zoomed[1]
    box.send_keys("-")
    assert zoom(driver) < view_box_zoom(whole, zoomed)
    box.send_keys("0")
    assert view_box(driver) == whole
    # Zooming stays within bounds however often it is asked for.
    for _ in range(40):
        box.send_keys("+")
    assert zoom(driver) <= 16.0001


def test_no_serious_accessibility_violation(
    browser: Browser, example_page: Path, axe_source: str
) -> None:
    driver = browser.open(example_page)

    def serious() -> list[dict[str, Any]]:
        found = run_axe(driver, axe_source)
        return [v for v in found if v["impact"] in ("serious", "critical")]

    assert not (found := serious()), describe_violations(found)
    # With an element selected and its pathways highlighted, the page still passes.
    css(driver, '.cm-node[data-id="wellbeing"]').click()
    css(driver, "#cm-paths").click()
    assert not (found := serious()), describe_violations(found)


def test_a_feedback_loop_is_highlighted(browser: Browser, tmp_path: Path) -> None:
    from changemodel.analysis.loops import find_loops

    m = ChangeModel("Loops")
    support = m.activity("support", "Peer support")
    engaged = m.process_outcome("engaged", "Engagement")
    stigma = m.process_outcome("stigma", "Self-stigma")
    _ = support >> engaged
    _ = engaged.feeds_back_to(support)
    _ = engaged.reduces(stigma)
    _ = stigma.feeds_back_to(engaged)
    path = tmp_path / "loops.html"
    path.write_text(to_html(m), encoding="utf-8")
    driver = browser.open(path)
    loops = find_loops(m)
    for i, loop in enumerate(loops):
        css(driver, f'button[data-loop="{i}"]').click()
        assert ids_with(driver, ".cm-node.cm-on") == set(loop.elements), loop.name
        lit = driver.execute_script(
            "return Array.from(document.querySelectorAll('.cm-link.cm-on'), n => n.id)"
        )
        assert len(lit) == loop.length, loop.name
        assert css(driver, f'button[data-loop="{i}"]').get_attribute("aria-pressed") == "true"
        assert loop.name in css(driver, "#cm-status").text
    css(driver, "#cm-clear").click()
    assert ids_with(driver, ".cm-on") == set()
    assert css(driver, 'button[data-loop="0"]').get_attribute("aria-pressed") == "false"


# ------------------------------------------------------------ configurations

SMA = Path(__file__).resolve().parents[2] / "examples" / "shared_medical_appointments"


@pytest.fixture(scope="module")
def realist_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from changemodel import load

    path = tmp_path_factory.mktemp("report") / "realist.html"
    path.write_text(to_html(load(SMA / "model.yaml"), profile=PROFILES), encoding="utf-8")
    return path


def shown_configurations(driver: Any) -> list[str]:
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('tr[data-config]'))"
        ".filter(r => r.offsetParent !== null).map(r => r.getAttribute('data-config'))"
    )
    assert isinstance(found, list)
    return found


def test_the_configurations_filter_by_status_and_text(browser: Browser, realist_page: Path) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    from changemodel import load
    from changemodel.analysis.cmo import configurations

    model = load(SMA / "model.yaml")
    views = configurations(model)
    driver = browser.open(realist_page)
    assert shown_configurations(driver) == [c.id for c in views]
    status = Select(css(driver, "#cm-config-status"))
    status.select_by_value("candidate")
    candidates = [c.id for c in views if c.status_text == "candidate"]
    assert candidates and shown_configurations(driver) == candidates
    count = f"{len(candidates)} of {len(views)} configurations shown."
    assert css(driver, "#cm-config-count").text == count
    status.select_by_value("")
    # the text filter keeps the rows that name every word typed (a context's label here)
    context = model.element(model.get_configuration("CMOC8").contexts[0])
    word = context.label.split()[-1].lower()
    css(driver, "#cm-config-text").send_keys(word)
    expected = [
        c.id
        for c in views
        if any(word in e.label.lower() for e in (*c.intervention, *c.contexts, *c.mechanisms))
        or any(word in e.label.lower() for e in c.outcomes)
        or word in (c.statement or "").lower()
    ]
    assert "CMOC8" in expected and len(expected) < len(views)
    assert shown_configurations(driver) == expected
    # keyboard only: the status list answers the arrow keys
    css(driver, "#cm-config-text").clear()
    css(driver, "#cm-config-text").send_keys(" ")
    select = css(driver, "#cm-config-status")
    select.send_keys(Keys.END)
    last = status.options[-1].get_attribute("value")
    assert shown_configurations(driver) == [c.id for c in views if c.status_text == last]


def test_a_configuration_is_highlighted_on_the_diagram(
    browser: Browser, realist_page: Path, axe_source: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from changemodel import load

    model = load(SMA / "model.yaml")
    config = model.get_configuration("CMOC4")
    position = {lk.key: i for i, lk in enumerate(model.links)}
    asserted = {position[lk.key] for lk in model.asserted_links(config) if lk.key in position}
    assert asserted
    driver = browser.open(realist_page)
    button = css(driver, 'tr[data-config="CMOC4"] button[data-config-highlight]')
    driver.execute_script("arguments[0].focus()", button)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert ids_with(driver, ".cm-node.cm-on") == set(config.element_ids)
    lit = driver.execute_script(
        "return Array.from(document.querySelectorAll('.cm-link.cm-on'),"
        " n => Number(n.getAttribute('data-link')))"
    )
    assert set(lit) == asserted
    # the rest of the diagram is dimmed, the configuration's elements are not
    opacity = "return getComputedStyle(arguments[0]).opacity"
    other = next(e.id for e in model.elements if e.id not in config.element_ids)
    assert float(driver.execute_script(opacity, css(driver, f'.cm-node[data-id="{other}"]'))) < 0.5
    member = css(driver, f'.cm-node[data-id="{config.mechanisms[0]}"]')
    assert float(driver.execute_script(opacity, member)) == 1.0
    assert button.get_attribute("aria-pressed") == "true"
    assert "Configuration CMOC4 (initial)" in css(driver, "#cm-status").text
    # with the highlight on and the table filtered, the page still passes axe
    css(driver, "#cm-config-text").send_keys("isolation")
    found = [v for v in run_axe(driver, axe_source) if v["impact"] in ("serious", "critical")]
    assert not found, describe_violations(found)
    # another configuration replaces the highlight; pressing it again clears it
    other_button = css(driver, 'table.cm-contrast button[data-config-highlight="CAND1"]')
    other_button.click()
    assert ids_with(driver, ".cm-node.cm-on") == set(model.get_configuration("CAND1").element_ids)
    assert button.get_attribute("aria-pressed") == "false"
    other_button.click()
    assert ids_with(driver, ".cm-on") == set()
    assert driver.execute_script("return document.querySelectorAll('.cm-paths').length") == 0


def test_contrasting_configurations_stand_side_by_side(
    browser: Browser, realist_page: Path
) -> None:
    from changemodel import load

    model = load(SMA / "model.yaml")
    stored = list(model.configurations)
    pairs = {
        f"{a.id} {b.id}"
        for i, a in enumerate(stored)
        for b in stored[i + 1 :]
        if a.contrast_with(b)
    }
    assert pairs == {"CMOC3 CAND1"}
    driver = browser.open(realist_page)
    tables = driver.execute_script(
        "return Array.from(document.querySelectorAll('table.cm-contrast'),"
        " t => t.getAttribute('data-contrast'))"
    )
    assert set(tables) == pairs
    table = css(driver, 'table.cm-contrast[data-contrast="CMOC3 CAND1"]')
    differing = driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('tr.cm-differs th'), h => h.textContent)",
        table,
    )
    assert differing == ["Contexts (differ)", "Outcomes (differ)"]
    marked = ids_with(driver, 'table.cm-contrast[data-contrast="CMOC3 CAND1"] mark [data-id]')
    one, two = model.get_configuration("CMOC3"), model.get_configuration("CAND1")
    assert marked == {*one.contexts, *two.contexts, *one.outcomes, *two.outcomes}
    assert one.mechanisms[0] not in marked  # the shared mechanism is not marked
    # a marked entry is a button like any other: it opens the element's details
    css(driver, f'table.cm-contrast mark [data-id="{two.outcomes[0]}"]').click()
    assert css(driver, "#cm-details-body h3").text == model.element(two.outcomes[0]).label
