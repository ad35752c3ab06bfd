"""A headless Chromium for the report tests, driven by Selenium.

The browser is Debian's ``chromium`` with its ``chromedriver`` (override with
``CHANGEMODEL_CHROMIUM`` and ``CHANGEMODEL_CHROMEDRIVER``). Without one the
browser tests are skipped, unless the ``CI`` environment variable is set: then
a missing browser fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.chromium.webdriver import ChromiumDriver as WebDriver

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)

#: Runs before any script of every page: records dialogs and policy violations.
PROBE = """
window.__probe = {dialogs: [], violations: []};
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (message) { window.__probe.dialogs.push([name, String(message)]); };
}
document.addEventListener("securitypolicyviolation", function (event) {
  window.__probe.violations.push([event.violatedDirective, event.blockedURI]);
});
"""


def _executable(variable: str, default: str, *names: str) -> str | None:
    chosen = os.environ.get(variable)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    if os.access(default, os.X_OK):
        return default
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}")
    pytest.skip(reason)


class Browser:
    """One Chromium session; :meth:`open` loads a page and waits for its script."""

    def __init__(self, driver: WebDriver) -> None:
        self.driver = driver

    def open(self, path: Path | str, *, width: int = 1400, height: int = 1000) -> WebDriver:
        """Open a page file, or an address given as text."""
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver.set_window_size(width, height)
        self.driver.get("about:blank")
        self.network_events()  # drain what came before
        self.driver.get(path if isinstance(path, str) else path.resolve().as_uri())
        WebDriverWait(self.driver, 30).until(
            lambda d: d.execute_script("return document.body.classList.contains('cm-ready')")
        )
        return self.driver

    def network_events(self) -> list[dict[str, Any]]:
        """The Network.* events of the DevTools performance log since the last call."""
        events = []
        log = self.driver.get_log("performance")  # type: ignore[no-untyped-call]  # untyped upstream
        for entry in log:
            message = json.loads(entry["message"])["message"]
            if str(message.get("method", "")).startswith("Network."):
                events.append(message)
        return events

    def probe(self) -> dict[str, list[list[str]]]:
        result = self.driver.execute_script("return window.__probe")
        assert isinstance(result, dict)
        return result


#: The accessibility engine, installed by ``.ci/setup --with-browser`` (override with
#: ``CHANGEMODEL_AXE``, the path of an ``axe.min.js``).
AXE = Path(__file__).resolve().parents[2] / ".ci" / "browser" / "node_modules" / "axe-core"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe-core's ``axe.min.js``."""
    path = Path(os.environ.get("CHANGEMODEL_AXE") or AXE / "axe.min.js")
    if not path.is_file():
        _unavailable(f"axe-core is not installed ({path} is missing; run .ci/setup --with-browser)")
    return path.read_text(encoding="utf-8")


def run_axe(driver: WebDriver, source: str) -> list[dict[str, Any]]:
    """The violations axe-core finds on the page open in *driver*."""
    driver.execute_script(source)
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        " axe.run(document).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(results, list), results
    return results


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: the rule, its impact and the elements it names."""
    out = []
    for v in violations:
        targets = "; ".join(" ".join(map(str, node["target"])) for node in v["nodes"])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} -- {targets}")
    return "\n".join(out)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[dev]')")
    chromium = _executable("CHANGEMODEL_CHROMIUM", "/usr/bin/chromium", "chromium", "chrome")
    driver_path = _executable("CHANGEMODEL_CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver")
    if chromium is None or driver_path is None:
        _unavailable(
            "no Chromium and chromedriver found (apt-get install chromium chromium-driver)"
        )
    assert chromium is not None and driver_path is not None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="changemodel-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
