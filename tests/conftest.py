"""The suite's rules, and the fixtures of the browser tests.

- Hypothesis runs under one profile chosen here: ``dev`` (random examples), ``ci`` when CI is set
  (derandomized: every run tries the same examples, so a green test stays green), or any profile
  named with ``--hypothesis-profile`` (``thorough``: many more examples, for a hunt). No test waits
  on a deadline, and no property test runs more examples than its profile allows.
- On CI (CI set) a test that a missing module would skip (``pytest.importorskip``: torch) fails.
- The browser tests: the app on loopback and a headless Chromium driving it. Without a Chromium
  they are skipped with a one-line hint, except on CI, where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from hypothesis import HealthCheck, settings

from .harness import CHROMIUM_HINT, POLL_MS, AppServer, find_chromium, launch


def _browser_unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -r requirements-dev.txt"
    return None if find_chromium() else CHROMIUM_HINT


@pytest.fixture(scope="session")
def chromium_path():
    why = _browser_unavailable()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run on CI: {why}", pytrace=False)
        pytest.skip(why)
    return find_chromium()


@pytest.fixture(scope="session")
def app_server(chromium_path):
    server = AppServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw, chromium_path)
        yield b
        b.close()


VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context a worker: its pages share the HTTP cache and compiled scripts (plotly.js,
    4 MB, is fetched and compiled once a worker, not once a test). Each page is still its own app
    session: Streamlit keeps nothing in cookies or storage."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


def _new_tab(context):
    tab = context.new_page()
    tab.set_default_timeout(30_000)  # a ceiling for a loaded machine; waits end on their condition
    # A condition is checked every POLL_MS, not on every animation frame (Playwright's default): polling
    # by animation frame makes the page run a frame 60 times a second for as long as a test waits.
    wait = tab.wait_for_function
    tab.wait_for_function = lambda expression, *, arg=None, polling=POLL_MS, timeout=None: wait(
        expression, arg=arg, polling=polling, timeout=timeout
    )
    tab.requests, tab.errors = [], []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    return tab


@pytest.fixture(scope="session")
def _tab(browser_context):
    """The worker's one tab, handed from test to test by ``page``."""
    holder = {"tab": _new_tab(browser_context)}
    yield holder
    holder["tab"].close()


ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _leave_evidence(tab, item) -> None:
    """After a browser test failed: its page as a screenshot and as text (address, the page's text, console errors) in
    test-artifacts/, so a failure seen once under load can be looked at afterwards."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in item.nodeid.split("::", 1)[-1])[:120]
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), timeout=5_000)
    with contextlib.suppress(Exception):
        text = tab.evaluate("() => document.body.innerText")
        (ARTIFACTS / f"{name}.txt").write_text(f"{tab.url}\n\n{text}\n\nconsole errors: {tab.errors}\n")


@pytest.fixture
def page(_tab, browser_context, app_server, request):
    """A fresh app session at 1280x800 in the worker's tab, which records requests and console errors.

    The tab is reused: a page load in a tab that loaded the app before costs Chromium about 1 s of CPU
    instead of 3.5 s (V8 keeps the compiled plotly.js and Streamlit bundles of that renderer process),
    and page loads were most of the browser tests' time. Each test still gets a new app session (a
    new document and websocket; Streamlit keeps nothing in cookies or storage), the viewport, the
    request and error records and the mouse are reset, and after a test the tab is left on
    about:blank, so no script of that test's page runs on. A tab that cannot be reset is replaced.
    """
    tab = _tab["tab"]
    try:
        tab.set_viewport_size(VIEWPORT)
    except Exception:  # the tab crashed or was closed: start a new one
        tab = _tab["tab"] = _new_tab(browser_context)
        tab.set_viewport_size(VIEWPORT)
    tab.requests.clear()
    tab.errors.clear()
    tab.app_url = app_server.url
    yield tab
    report = getattr(request.node, "_call_report", None)
    if report is not None and report.failed:
        _leave_evidence(tab, request.node)
    try:
        tab.mouse.up()
        tab.unroute_all()
        tab.goto("about:blank")
    except Exception:
        with contextlib.suppress(Exception):
            tab.close()
        _tab["tab"] = _new_tab(browser_context)


def off_loopback(urls: list[str]) -> list[str]:
    """The requests that went anywhere but this machine."""
    out = []
    for u in urls:
        p = urlparse(u)
        if p.scheme in ("data", "blob", "about"):
            continue
        if p.hostname not in ("127.0.0.1", "localhost", "::1"):
            out.append(u)
    return out


# ---------- Hypothesis: one profile for the whole suite ---------------------------------------------
# A profile's max_examples is the budget of every property test: the default for a test that names no
# count, and a ceiling for one that names more (a count in a test's own @settings would otherwise win).
# deadline=None: a busy machine must not fail a test for being slow.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", settings.get_profile("dev"), derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
settings.register_profile("thorough", settings.get_profile("dev"), max_examples=2000)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _examples_within_the_budget(items) -> None:
    budget = settings().max_examples
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)  # what @settings attached to the test
        if getattr(test, "is_hypothesis_test", False) and own is not None and own.max_examples > budget:
            test._hypothesis_internal_use_settings = settings(own, max_examples=budget)


# ---------- CI: a missing reference library fails --------------------------------------------------
# pytest.importorskip (torch for the autograd checks, ...) skips where a module is missing; on CI,
# which installs every requirement, that skip would hide a check that never ran.
def _skip_fails_on_ci(report) -> None:
    if not (os.environ.get("CI") and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if "could not import" in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where every requirement is installed: {reason}"


def pytest_collection_modifyitems(config, items):
    _examples_within_the_budget(items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    _skip_fails_on_ci(report)
    if report.when == "call":
        item._call_report = report  # the page fixture's teardown reads it (_leave_evidence)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _skip_fails_on_ci(outcome.get_result())
