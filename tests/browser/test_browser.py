"""The explorer in a real headless Chromium: clicks, steps, Play, uploads, network, console."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import off_loopback
from ..harness import data_to_page, plane_root, status, wait_until_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def open_app(page, query="?preset=blobs&n=30&k=3&seed=1"):
    page.goto(page.app_url + query)
    wait_until_idle(page)
    page.evaluate("() => { window.__lcSeen = 0; }")
    return page


def wait_status(page, text: str):
    """Wait until the status line (set once a frame's plots are drawn) shows ``text``, and that frame is painted."""
    page.wait_for_function(
        """(t) => { const root = document.querySelector("[data-testid='lc-view-plane']");
                    const s = root && root.querySelector('.lc-status');
                    const painted = parseFloat(root.dataset.paintedAt) >= window.__lcSeen;
                    return s && s.textContent.includes(t) && painted; }""",
        arg=text,
    )


def mark(page):
    """From now on wait_status only accepts frames painted after this moment."""
    page.evaluate("() => { window.__lcSeen = performance.now(); }")


def press(page, kind: str):
    """Press a toolbar button of the plot component, as a mouse does."""
    page.locator(f"[data-testid='lc-btn-{kind}']").click()


def points_of(page, m: int):
    """The points of class m as the browser shows them (from the figure Python sent)."""
    return page.evaluate(
        """(m) => { const gd = document.querySelector("[data-testid='lc-points']");
                    const t = gd.data[m]; return Array.from(t.x).map((x, i) => [x, t.y[i]]); }""",
        m,
    )


def pixel_size(page):
    return page.evaluate(
        """() => { const gd = document.querySelector("[data-testid='lc-points']");
                   const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
                   return [(xa.range[1] - xa.range[0]) / xa._length, (ya.range[1] - ya.range[0]) / ya._length]; }"""
    )


def figure_state(page, name: str):
    return page.evaluate(
        """(name) => { const gd = document.querySelector(`[data-testid='lc-${name}']`);
                       return JSON.stringify([gd.data.map(t => [Array.from(t.x || []), Array.from(t.y || [])]),
                                              (gd.layout.shapes || []).map(s => [s.x0, s.y0, s.x1, s.y1])]); }""",
        name,
    )


def test_click_adds_a_point_at_the_clicked_coordinates(page):
    open_app(page)
    wait_status(page, "30 points")
    px, py = pixel_size(page)
    for n, (x, y) in enumerate([(0.3, -0.45), (-0.7, 0.62), (0.05, 0.9)], start=31):
        mark(page)
        page.mouse.click(*data_to_page(page, x, y))
        wait_status(page, f"{n} points")
        assert page.locator(".lc-preview").count() == 0  # the click's preview gave way to Python's answer
        got = points_of(page, 0)  # class A is active
        best = min(got, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)
        assert abs(best[0] - x) <= px and abs(best[1] - y) <= py, (
            status(page),
            [len(points_of(page, k)) for k in range(3)],
            points_of(page, 0)[-1],
            points_of(page, 1)[-1],
            points_of(page, 2)[-1],
        )
    # another class
    page.locator(".lc-classes button").nth(1).click()
    page.wait_for_selector(".lc-classes button[aria-pressed='true'] >> text=B")
    mark(page)
    page.mouse.click(*data_to_page(page, -0.2, -0.2))
    wait_status(page, "34 points")
    assert page.evaluate("() => document.querySelector(\"[data-testid='lc-points']\").data.length") == 3
    assert any(abs(p[0] + 0.2) <= px and abs(p[1] + 0.2) <= py for p in points_of(page, 1))
    assert not page.errors, page.errors


def test_step_changes_regions_bars_and_arrows(page):
    open_app(page)
    wait_status(page, "step 0 ")
    before = {n: figure_state(page, n) for n in ("plane", "side")}
    press(page, "step1")
    wait_status(page, "step 1 ")
    wait_until_idle(page)
    after = {n: figure_state(page, n) for n in ("plane", "side")}
    assert after["plane"] != before["plane"]  # regions (and the ring) moved
    assert after["side"] != before["side"]  # bars and arrows
    heading = page.evaluate(
        "() => document.querySelector(\"[data-testid='lc-side']\").layout.annotations.map(a => a.text).join('|')"
    )
    assert "last step's update" in heading
    assert not page.errors, page.errors


def test_erase_and_select_modes(page):
    open_app(page)
    first = points_of(page, 0)[0]
    page.get_by_role("button", name="Select", exact=True).click()
    page.get_by_role("button", name="Select", exact=True).click()  # pressing it again keeps Select
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    mark(page)
    page.mouse.click(*data_to_page(page, *first))
    # Selecting makes the point the next step's sample: the order switches to "chosen by click", visibly.
    page.get_by_role("radio", name="chosen by click").wait_for(state="attached")
    page.wait_for_function(
        "() => { const r = Array.from(document.querySelectorAll('input[type=radio]'))"
        ".find(i => i.closest('label') && i.closest('label').textContent.includes('chosen by click'));"
        " return r && r.checked; }"
    )
    wait_status(page, "(A)")  # the selected point (class A) is now the sample every panel describes
    page.get_by_role("button", name="Erase", exact=True).click()
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Erase")
    page.mouse.click(*data_to_page(page, *first))
    wait_status(page, "29 points")
    sent = int(plane_root(page).get_attribute("data-sent"))
    page.mouse.click(*data_to_page(page, 1.15, -1.15))  # nothing within 10 px: nothing erased
    page.wait_for_function(f"() => +document.querySelector(\"[data-testid='lc-view-plane']\").dataset.sent > {sent}")
    wait_until_idle(page)  # Python answered the click
    assert "29 points" in status(page)


def test_play_then_pause(page):
    open_app(page)
    svg = page.evaluate_handle("() => document.querySelector(\"[data-testid='lc-plane'] svg\")")
    press(page, "play")
    page.wait_for_function(
        "() => { const m = document.querySelector(\"[data-testid='lc-view-plane'] .lc-status\").textContent"
        ".match(/step (\\d+)/); return m && +m[1] >= 12; }",
        timeout=30_000,
    )
    page.evaluate(
        """() => document.addEventListener('pointerdown', () => {
             const s = document.querySelector("[data-testid='lc-view-plane'] .lc-status");
             window.__lcShownAtPress = s.textContent; window.__lcAfter = [];
             new MutationObserver(() => window.__lcAfter.push(s.textContent))
               .observe(s, {childList: true, characterData: true, subtree: true}); }, true)"""
    )
    press(page, "pause")
    shown = page.evaluate("() => window.__lcShownAtPress")
    page.locator("[data-testid='lc-btn-play']").wait_for()
    wait_until_idle(page)  # Python has applied the Pause and answered
    assert status(page) == shown  # Pause keeps the frame on screen when it was pressed, and the model agrees
    after = page.evaluate("() => window.__lcAfter")
    assert all(t == shown for t in after), after  # no Play frame was painted after the press
    assert page.evaluate("(el) => el.isConnected", svg)  # updated in place, never remounted
    assert not page.errors, page.errors


def test_bad_csv_upload_shows_the_line_and_keeps_the_points(page, tmp_path):
    open_app(page)
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Points").click()
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y,label\n0.1,0.2,0\n0.3,oops,1\n")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(bad))
    alert = page.locator("[data-testid='stAlertContentError']")
    alert.wait_for()
    assert "line 3" in alert.text_content() and "not a number" in alert.text_content()
    assert "30 points" in status(page)


def test_nothing_leaves_loopback_and_no_console_errors(page):
    open_app(page)
    page.mouse.click(*data_to_page(page, 0.2, 0.2))
    wait_status(page, "31 points")
    press(page, "step10")
    wait_status(page, "step 10 ")
    assert page.requests, "no requests were recorded"
    assert any("/app/static/plotly.min.js" in u for u in page.requests)  # plotly.js from the app itself
    assert off_loopback(page.requests) == []
    assert not page.errors, page.errors


def test_screenshot_for_the_readme(page, tmp_path):
    """Takes the README's screenshot (written to docs/ when LINCLASS_SCREENSHOT=1)."""
    open_app(page, "?preset=blobs&n=150&k=4&seed=3")
    press(page, "step10")
    wait_status(page, "step 10 ")
    wait_until_idle(page)
    out = ROOT / "docs" / "screenshot.png" if os.environ.get("LINCLASS_SCREENSHOT") else tmp_path / "shot.png"
    out.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 800)
    # the main view fits the projector: the plane and the side plots end above the fold
    for name in ("plane", "side"):
        box = page.locator(f"[data-testid='lc-{name}']").bounding_box()
        assert box["y"] + box["height"] <= 800
    assert plane_root(page).get_attribute("data-drawn")


def test_class_names_are_shown_as_text(page):
    open_app(page)
    name = '<img src=x onerror="window.__xss=1">'
    box = page.get_by_label("Name of class 1")  # the first sample's class
    box.fill(name)
    box.press("Enter")
    wait_until_idle(page)
    page.wait_for_function(
        "(n) => Array.from(document.querySelectorAll(\"[data-testid='lc-side'] .xtick text\"))"
        ".some(t => t.textContent.startsWith(n))", arg=name[:8])  # fmt: skip
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img[src='x']").count() == 0
    ticks = page.evaluate(
        "() => Array.from(document.querySelectorAll(\"[data-testid='lc-side'] .xtick text\")).map(t => t.textContent)"
    )
    assert any(t.startswith(name[:8]) for t in ticks), ticks  # the name as typed (cut to the bar width)
    assert not page.errors, page.errors


def test_a_click_on_a_table_row_selects_that_point(page):
    # Issue 9: the per-sample table; clicking a row selects that point.
    open_app(page)
    page.get_by_role("radio", name="Samples").click()  # the panel picker
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    wait_until_idle(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 17, box["y"] + 36 + 35 * 2 + 17)  # the row-selection cell of the 3rd row (point #2)
    wait_status(page, "sample #2 ")
    page.get_by_role("radio", name="chosen by click").wait_for(state="attached")
    assert not page.errors, page.errors
