"""Saving and loading in the browser: both downloads, their round trip, and every bad upload (issue 8)."""

from __future__ import annotations

import json

import pytest

from ..harness import wait_until_idle
from .test_browser import open_app, press, status, wait_status

pytestmark = pytest.mark.browser


def open_sidebar(page, section: str):
    page.locator("[data-testid='stExpander'] summary").filter(has_text=section).click()


def download(page, label: str):
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return info.value


def upload(page, which: int, path):
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(which).set_input_files(str(path))


def no_traceback(page):
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.content()


def test_both_downloads_work_and_load_back_into_a_fresh_page(page, browser, app_server, tmp_path):
    # Found: both downloads said "Failed to generate file for download".
    open_app(page, "?preset=cs231n&init=random")
    press(page, "step10")
    wait_status(page, "step 10 ")
    csv = download(page, "Download points (CSV)")
    text = open(csv.path()).read()
    assert text.splitlines()[0] == "x,y,label" and len(text.splitlines()) == 10
    st = download(page, "Save the whole state (JSON)")
    doc = json.loads(open(st.path()).read())
    assert doc["format"] == "linclass-state" and doc["step"] == 10
    saved = tmp_path / "state.json"
    saved.write_text(json.dumps(doc))
    fresh = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    fresh.app_url = app_server.url
    open_app(fresh)
    open_sidebar(fresh, "Save and load")
    upload(fresh, 1, saved)
    wait_status(fresh, "step 10 ")
    assert "9 points" in status(fresh)
    pts = tmp_path / "pts.csv"
    pts.write_text(text)
    open_sidebar(fresh, "Points")
    upload(fresh, 0, pts)
    fresh.wait_for_selector("[data-testid='stAlertContentSuccess'] >> text=Loaded 9 points")
    no_traceback(fresh)


BAD_CSV = {
    "cr_only": b'x,y,label\r0.1,0.2,0\r0.3,0.4,1\r0.5,0.6,zzz"\r',
    "huge_field": b"x,y,label\n0.1,0.2," + b"a" * 140_000 + b"\n",
    "unterminated_quote": b'x,y,label\n0.1,0.2,"cat\n0.3,0.4,dog\n',
    "binary": bytes(range(256)) * 20,
}
BAD_JSON = {
    "nested": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "long_int": b'{"format": "linclass-state", "version": 1, "step": ' + b"9" * 5000 + b"}",
    "huge_w": json.dumps(
        {
            "format": "linclass-state",
            "version": 1,
            "names": ["A", "B"],
            "points": {"x": [1.0], "y": [1.0], "label": [0]},
            "W": [[1.7e308, 1.7e308], [0, 0]],
            "b": None,
        }
    ).encode(),
    "selected_true": json.dumps(
        {
            "format": "linclass-state",
            "version": 1,
            "names": ["A", "B"],
            "points": {"x": [1.0, 2.0], "y": [1.0, 0.0], "label": [0, 1]},
            "W": [[0, 0], [0, 0]],
            "b": None,
            "selected": True,
        }
    ).encode(),
}


def test_bad_files_one_after_another_are_each_refused_with_a_message_that_stays(page, tmp_path):
    # Found: these files replaced the page with a traceback, and a reload lost the points. One page
    # takes them all, as a user trying file after file would: each is refused with its message,
    # which stays until the next action, and the points and the session are kept throughout.
    open_app(page)
    wait_status(page, "30 points")
    alert = page.locator("[data-testid='stAlertContentError'], [data-testid='stAlertContentWarning']")
    opened = set()
    for step, name in enumerate([*BAD_CSV, *BAD_JSON], start=1):
        csv = name in BAD_CSV
        path = tmp_path / (name + (".csv" if csv else ".json"))
        path.write_bytes(BAD_CSV[name] if csv else BAD_JSON[name])
        section = "Points" if csv else "Save and load"
        if section not in opened:
            open_sidebar(page, section)
            opened.add(section)
        upload(page, 0 if csv else 1, path)
        alert.first.wait_for()
        wait_until_idle(page)
        assert alert.count() >= 1, name  # still there once every rerun is over
        assert "not loaded" in alert.first.text_content(), name
        assert "30 points" in status(page), name
        no_traceback(page)
        press(page, "step1")  # the session still works, and the next action clears the message
        wait_status(page, f"step {step} ")
        alert.first.wait_for(state="detached")
        no_traceback(page)
