"""The live preview: served on loopback, rebuilt on save, errors shown over the last good page."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from changemodel.outputs.live import EVENTS, LivePreview

from ._support import EXAMPLE
from .conftest import Browser

GOOD = """changemodel: 1
title: Live
elements:
- id: act
  kind: activity
  label: Run the groups
- id: change
  kind: process_outcome
  label: Confidence
links:
- from: act
  to: change
"""
ADDED = GOOD.replace(
    "links:", "- id: later\n  kind: downstream_outcome\n  label: Well-being\nlinks:"
)
#: Saved with a typo in a kind.
BROKEN = GOOD.replace("kind: process_outcome", "kind: proces_outcome")


def get(url: str, host: str | None = None, method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    if host is not None:
        request.add_unredirected_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def preview(model_file: Path) -> Iterator[LivePreview]:
    with LivePreview(model_file, diagram=False) as live:
        yield live


def save_until(path: Path, text: str, condition: Callable[[], bool], timeout: float = 20) -> None:
    """Save *text* to *path*, again each second (the watcher may still be starting),
    until *condition* holds."""
    end = time.monotonic() + timeout
    while True:
        path.write_text(text, encoding="utf-8")
        step = time.monotonic() + 1
        while time.monotonic() < step:
            if condition():
                return
            time.sleep(0.05)
        assert time.monotonic() < end, "timed out"


def test_serves_the_report_on_loopback_only(preview: LivePreview) -> None:
    assert preview.url == f"http://127.0.0.1:{preview.port}/"
    assert preview._server.server_address[0] == "127.0.0.1"
    status, page = get(preview.url)
    assert status == 200 and "<h1>Live</h1>" in page
    assert f'data-events="{EVENTS}?build=1"' in page
    # the page may open its event stream to where it came from, and nothing else
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "connect-src 'self'" in policy.group(1)
    assert "default-src 'none'" in policy.group(1)


def test_serves_nothing_but_the_report(preview: LivePreview) -> None:
    for path in ("model.yaml", "../model.yaml", "favicon.ico", "etc/passwd", "?x=/"):
        status, _ = get(preview.url + path)
        assert status == (200 if path.startswith("?") else 404), path
    assert get(preview.url, method="POST")[0] == 405
    assert get(preview.url, method="HEAD") == (200, "")
    # a request naming another host (DNS rebinding) is refused
    assert get(preview.url, host="attacker.example:80")[0] == 403
    assert get(preview.url, host=f"localhost:{preview.port}")[0] == 200


def test_a_save_rebuilds_the_page(preview: LivePreview, model_file: Path) -> None:
    assert preview.build == 1
    save_until(model_file, ADDED, lambda: preview.build >= 2)
    status, page = get(preview.url)
    assert status == 200 and 'data-id="later"' in page
    assert f"{EVENTS}?build={preview.build}" in page


def test_a_broken_save_shows_its_errors_over_the_last_good_page(
    preview: LivePreview, model_file: Path
) -> None:
    save_until(model_file, BROKEN, lambda: bool(preview.errors))
    _, page = get(preview.url)
    alert = re.search(r'<div class="cm-alert" role="alert">(.*?)</div>', page, re.S)
    assert alert is not None
    assert "the report below is the last version that could" in alert.group(1)
    # each error is located: file, line and column, the path and a suggestion
    found = re.search(r"model\.yaml:\d+:\d+: elements\[1\]\.kind: unknown kind", alert.group(1))
    assert found is not None
    assert "did you mean &#x27;process_outcome&#x27;?" in alert.group(1)
    assert 'data-id="change"' in page  # the last good model is still shown
    save_until(model_file, GOOD, lambda: not preview.errors)
    assert 'role="alert"' not in get(preview.url)[1]


def test_a_file_broken_from_the_start_shows_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("changemodel: 1\ntitle: [unclosed\n", encoding="utf-8")
    with LivePreview(path, diagram=False, watch=False) as live:
        _, page = get(live.url)
    assert "<h1>draft.yaml</h1>" in page
    assert re.search(r"draft\.yaml:\d+:\d+: invalid YAML", page)
    assert "last version that could" not in page


def test_the_event_stream_says_reload_once_a_newer_build_exists(
    preview: LivePreview,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request("GET", f"{EVENTS}?build=0")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline() == b"data: reload\n"
    connection.close()
    # a page showing the current build waits; a rebuild wakes it
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request("GET", f"{EVENTS}?build={preview.build}")
    response = connection.getresponse()
    preview.rebuild()
    assert response.readline() == b"data: reload\n"
    connection.close()


def test_the_command_serves_until_stopped(model_file: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "changemodel", "serve", str(model_file), "--no-diagram"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            assert found, line
            assert "<h1>Live</h1>" in get(found.group(1))[1]
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_the_command_refuses_a_missing_file_and_a_busy_port(
    model_file: Path, tmp_path: Path
) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "changemodel", "serve", str(tmp_path / "none.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
    with LivePreview(model_file, diagram=False, watch=False) as live:
        busy = subprocess.run(
            [
                sys.executable,
                "-m",
                "changemodel",
                "serve",
                str(model_file),
                "--port",
                str(live.port),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert busy.returncode == 2 and f"cannot listen on 127.0.0.1:{live.port}" in busy.stderr
    assert "Traceback" not in busy.stderr


def test_editing_the_file_updates_the_open_page(browser: Browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / "model.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with LivePreview(path) as live:
        driver = browser.open(live.url)
        assert not driver.find_elements(By.CSS_SELECTOR, '.cm-node[data-id="peer_network"]')
        text = path.read_text(encoding="utf-8").replace(
            "links:",
            "- id: peer_network\n  kind: output\n  label: A network of peer workers\nlinks:",
            1,
        )
        save_until(path, text, lambda: live.build >= 2)
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, '.cm-node[data-id="peer_network"]')
        )
        # a half-written save: the errors appear above the last good diagram
        path.write_text(text[: len(text) // 2] + "\n  kind: [", encoding="utf-8")
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".cm-alert"))
        alert = driver.find_element(By.CSS_SELECTOR, ".cm-alert").text
        assert "model.yaml:" in alert and "cannot be read" in alert
        assert driver.find_elements(By.CSS_SELECTOR, '.cm-node[data-id="peer_network"]')
        path.write_text(text, encoding="utf-8")
        WebDriverWait(driver, 30).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".cm-alert"))
        assert browser.probe()["violations"] == []
