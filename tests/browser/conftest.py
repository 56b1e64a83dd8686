"""Fixtures for tests that drive the real page in headless Chromium.

- `server_url`: the app served by uvicorn on a free loopback port (tests/conftest.py: `live_server`).
- `browser`: Chromium through Playwright's sync API (one per session). Never skipped: without a
  Chromium the tests fail with a message saying how to install one.
- `page`: a fresh 1280×800 context per test; any console error, page error or failed request
  fails the test at teardown.
- `shot(name)`: saves a screenshot of the current page to test-artifacts/<name>.png.
- `js`: the page's own ES modules, imported from the served /static/js/ in the real browser, for
  unit tests of the pure modules (no Node toolchain): `js.call("format.js", "compact", 0.25)`
  answers what the function returns; `js.run(source, *args)` runs an async function body with
  the modules at hand (`await mod("format.js")`) and answers its result. One page per test module.
- `options`: the server's GET /api/v1/options document.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    "No Chromium found for the browser tests. Install one with `apt-get install chromium` "
    "(Debian) or `python -m playwright install chromium`, or point $CHROMIUM_PATH at a Chromium binary."
)


@pytest.fixture(scope="session")
def server_url(live_server: str) -> str:
    return live_server


def _find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found  # None: fall back to Playwright's own download, if any


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.exit("Playwright is not installed: `pip install playwright`. " + INSTALL_HINT, returncode=1)
    executable = _find_chromium()
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            pytest.exit(f"{INSTALL_HINT}\n(launch failed: {exc})", returncode=1)
        yield chromium
        chromium.close()


class PageProblems:
    """Console errors, page errors and failed requests seen during one test."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.allowed: list[str] = []  # substrings a test expects (e.g. a deliberate 422)
        self.closed = False  # requests aborted by closing the page are not problems

    def allow(self, fragment: str) -> None:
        self.allowed.append(fragment)

    def add(self, text: str) -> None:
        if not self.closed and not any(fragment in text for fragment in self.allowed):
            self.items.append(text)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, problems: PageProblems) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.on("console", lambda m: problems.add(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.add(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.add(f"request failed: {r.method} {r.url} ({r.failure})"))
    pg.on("response", lambda r: problems.add(f"HTTP {r.status}: {r.request.method} {r.url}")
          if r.status >= 400 else None)
    yield pg
    problems.closed = True
    context.close()
    if problems.items:
        pytest.fail("the page reported problems:\n  " + "\n  ".join(problems.items), pytrace=False)


@pytest.fixture
def shot(page) -> Callable[[str], Path]:
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take


class Modules:
    """Calls into the page's ES modules in a real browser page at the server's origin."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def call(self, module: str, name: str, *args: Any) -> Any:
        """`name(*args)` exported by static/js/<module>, with JSON-like arguments and result."""
        return self.page.evaluate(
            "async ([path, name, args]) => (await import(path))[name](...args)",
            [f"/static/js/{module}", name, list(args)],
        )

    def run(self, body: str, *args: Any) -> Any:
        """Run `body` as an async function of `args` (a list) where `mod(path)` imports static/js/<path>."""
        source = ("async (args) => { const mod = (path) => import(`/static/js/${path}`); "
                  + body + " }")
        return self.page.evaluate(source, list(args))


@pytest.fixture(scope="module")
def js(browser, server_url: str) -> Iterator[Modules]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # asked for by any plain page
    pg.goto(f"{server_url}/healthz")  # any page of the app's origin: the modules are imported from it
    yield Modules(pg)
    context.close()
    assert not errors, errors


@pytest.fixture(scope="module")
def options(server_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{server_url}/api/v1/options", timeout=10) as answer:
        return json.loads(answer.read())
