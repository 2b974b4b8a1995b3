"""Fixtures for the browser tests: the app on loopback and a headless Chromium driving it.

Without a Chromium the browser tests are skipped with a one-line hint, except on CI (CI set),
where they must run and so fail instead.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

from .harness import CHROMIUM_HINT, AppServer, find_chromium, launch


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


@pytest.fixture
def page(browser, app_server):
    """A fresh page (a fresh app session) at 1280x800 that records requests and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    pg.app_url = app_server.url
    pg.requests, pg.errors = [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


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
