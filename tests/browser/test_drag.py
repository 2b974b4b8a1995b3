"""Dragging a point with the Select tool, in a real Chromium (issue 21): the preview follows the pointer,
releasing moves the point there in one undoable move."""

from __future__ import annotations

import re

import pytest

from ..harness import data_to_page, plane_root, status, wait_until_idle
from .test_browser import mark, open_app, pixel_size, points_of, press, wait_status

pytestmark = pytest.mark.browser


def side_trace(page, name: str):
    """A trace of the side panel (bars over arrows) as it is drawn now."""
    return page.evaluate(
        """(name) => { const gd = document.querySelector("[data-testid='lc-side']");
                       const t = gd.data.find(t => t.name === name); return t ? Array.from(t.y) : null; }""",
        name,
    )


def ring(page):
    """Where the ring around the current sample is drawn (the marks layer)."""
    return page.evaluate(
        """() => { const gd = document.querySelector("[data-testid='lc-marks']");
                   const t = gd.data.filter(t => t.name === 'current sample').pop(); return [t.x[0], t.y[0]]; }"""
    )


def hidden(page) -> int:
    """How many of the points' markers are hidden (the one being dragged)."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll(\"[data-testid='lc-points'] path.point\"))"
        ".filter(p => p.style.visibility === 'hidden').length"
    )


def drag_frames(page) -> int:
    return int(plane_root(page).get_attribute("data-drag-frames") or 0)


def wait_drag_frames(page, above: int) -> None:
    page.wait_for_function(
        "(n) => +(document.querySelector(\"[data-testid='lc-view-plane']\").dataset.dragFrames || 0) > n", arg=above
    )


@pytest.mark.parametrize(
    "query",
    [
        "?preset=blobs&n=30&k=3&seed=1",
        # The review (issue 21): with a non-linear feature on, the press went to Plotly's zoom.
        "?preset=xor&n=30&seed=1&features=x1,x2,x1x2&pair=x1x2,x2",
    ],
    ids=["plane", "features"],
)
def test_dragging_the_sample_previews_its_bars_and_one_move_lands_where_it_is_released(page, query):
    open_app(page, query)
    page.get_by_role("button", name="Select", exact=True).click()
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    wait_until_idle(page)
    start = points_of(page, 0)[3]  # a point of class A
    mark(page)
    page.mouse.click(*data_to_page(page, *start))  # a press that does not move selects the point
    wait_status(page, "(A)")
    j = int(re.search(r"sample #(\d+)", status(page)).group(1))
    press(page, "step10")  # weights that tell the places apart (at W = 0 every p is 1/3)
    wait_status(page, "step 10 ")
    wait_until_idle(page)
    bars = side_trace(page, "p")
    x0, y0 = start
    to = (-0.8 * x0 + 0.1, -0.8 * y0 - 0.1)  # across the plane, into another class's region

    page.mouse.move(*data_to_page(page, x0, y0))
    page.mouse.down()
    seen = []
    for k in range(1, 9):  # in several steps, each previewed
        t = k / 8
        n = drag_frames(page)
        page.mouse.move(*data_to_page(page, x0 + t * (to[0] - x0), y0 + t * (to[1] - y0)), steps=3)
        wait_drag_frames(page, n)
        seen.append(side_trace(page, "p"))
        if k == 4:  # halfway: the ring follows, and the point is not sent yet
            mid = (x0 + 0.5 * (to[0] - x0), y0 + 0.5 * (to[1] - y0))
            px, py = pixel_size(page)
            got = ring(page)
            assert abs(got[0] - mid[0]) <= 2 * px and abs(got[1] - mid[1]) <= 2 * py, (got, mid)
            assert page.locator("[data-testid='lc-drag']").count() == 1
            assert hidden(page) == 1  # Plotly's own marker of the point gives way to the dragged one
    assert all(abs(sum(p) - 1) < 1e-9 for p in seen)
    assert seen[-1] != bars and len({tuple(p) for p in seen}) > 3, seen  # the bars moved with the point
    assert "step 10 " in status(page)  # Python has heard nothing yet: no step, no move
    sent = int(plane_root(page).get_attribute("data-sent"))
    mark(page)
    page.mouse.up()
    root = "document.querySelector(\"[data-testid='lc-view-plane']\")"
    page.wait_for_function(f"() => +{root}.dataset.sent === {sent + 1}")  # one event: the move
    wait_until_idle(page)
    wait_status(page, f"sample #{j} ")  # still the sample
    assert page.locator("[data-testid='lc-drag']").count() == 0  # the preview gave way to Python's frame
    assert hidden(page) == 0
    px, py = pixel_size(page)
    pts = points_of(page, 0)
    assert start not in pts
    best = min(pts, key=lambda p: (p[0] - to[0]) ** 2 + (p[1] - to[1]) ** 2)
    assert abs(best[0] - to[0]) <= px and abs(best[1] - to[1]) <= py, (best, to)
    assert abs(side_trace(page, "p")[0] - seen[-1][0]) < 0.01  # Python's bars are the ones the preview drew

    mark(page)
    press(page, "undo")  # one Undo: the point is back, so exactly one move was applied
    wait_until_idle(page)
    page.wait_for_function(
        "(p) => Array.from(document.querySelector(\"[data-testid='lc-points']\").data[0].x).includes(p)", arg=start[0]
    )
    assert start in points_of(page, 0) and best not in points_of(page, 0)
    assert not page.errors, page.errors


def test_escape_cancels_a_drag_and_nothing_is_sent(page):
    open_app(page)
    page.get_by_role("button", name="Select", exact=True).click()
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    wait_until_idle(page)
    start = points_of(page, 1)[0]
    sent = plane_root(page).get_attribute("data-sent")
    page.mouse.move(*data_to_page(page, *start))
    page.mouse.down()
    page.mouse.move(*data_to_page(page, 0.0, 0.0), steps=5)
    wait_drag_frames(page, 0)
    page.keyboard.press("Escape")
    page.mouse.up()
    assert page.locator("[data-testid='lc-drag']").count() == 0
    assert plane_root(page).get_attribute("data-sent") == sent
    assert start in points_of(page, 1)
    assert not page.errors, page.errors


def test_while_dragging_the_status_line_names_the_moment_the_bars_preview(page):
    # The second review: after a Step the status line named the step just taken (sample #9) while the
    # drag's ring and bars showed the next step's sample (#10).
    open_app(page)
    press(page, "step10")
    wait_status(page, "step 10 ")
    page.get_by_role("button", name="Select", exact=True).click()
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    wait_until_idle(page)
    heading = "() => document.querySelector(\"[data-testid='lc-side']\").layout.annotations.map(a => a.text)"
    x0, y0 = ring(page)
    page.mouse.move(*data_to_page(page, x0, y0))
    page.mouse.down()
    n = drag_frames(page)
    page.mouse.move(*data_to_page(page, x0 + 0.2, y0 - 0.2), steps=3)
    wait_drag_frames(page, n)
    bars = next(t for t in page.evaluate(heading) if t.startswith("p of sample #"))
    sample = re.search(r"#(\d+)", bars).group(1)
    assert f"sample #{sample} " in status(page) + " ", (status(page), bars)
    page.keyboard.press("Escape")  # nothing sent: the moment on screen again
    page.wait_for_function("() => !document.querySelector(\"[data-testid='lc-drag']\")")
    assert "step 10 " in status(page)
    page.mouse.up()
    assert not page.errors, page.errors
