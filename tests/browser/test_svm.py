"""The loss switch and held-out test points in a real browser (issue 12)."""

from __future__ import annotations

import numpy as np
import pytest

from linclass.session.session import Session
from linclass.session.settings import LOSSES, MODES
from linclass.session.view import make_view
from linclass.ui.words import status_line

from ..harness import data_to_page, status, wait_until_idle
from .test_browser import figure_state, mark, open_app, press, wait_status

pytestmark = pytest.mark.browser


def trace(page, figure: str, name: str):
    """[x, y] arrays of the trace ``name`` of a figure as the browser draws it ([[], []] if absent)."""
    return page.evaluate(
        """([fig, name]) => { const gd = document.querySelector(`[data-testid='lc-${fig}']`);
                              const t = gd.data.find(t => t.name === name);
                              return t ? [Array.from(t.x), Array.from(t.y)] : [[], []]; }""",
        [figure, name],
    )


def side_heading(page) -> str:
    return page.evaluate(
        "() => document.querySelector(\"[data-testid='lc-side']\").layout.annotations.map(a => a.text).join('|')"
    )


def test_switching_the_loss_changes_the_bars_and_the_regions(page):
    query = "?preset=cs231n&bias=0&init=random&lr=0.5"
    open_app(page, query)
    wait_status(page, "step 0 ")
    press(page, "step10")
    wait_status(page, "step 10 ")
    softmax = figure_state(page, "plane")
    assert "p of sample" in side_heading(page)
    for _ in range(10):
        press(page, "back")
    wait_status(page, "step 0 ")
    mark(page)
    page.get_by_text(LOSSES["hinge"]).click()
    wait_status(page, "hinge loss")
    assert "margins of #" in side_heading(page)  # the bars switched before any step
    mark(page)
    press(page, "step10")
    wait_status(page, "step 10 ")
    wait_until_idle(page)
    assert figure_state(page, "plane") != softmax  # other steps, other regions
    # The bars are the core's margins of the sample on screen, as the session model computes them.
    want = Session.start(dict(p.split("=") for p in query[1:].split("&"))).set("loss", "hinge").step(10)
    v = make_view(want.frame)
    yi = int(want.explorer.y[v.focus])
    bars = trace(page, "side", "f_m − f_y + Δ")[1]
    np.testing.assert_allclose(bars, np.delete(v.margins, yi), rtol=1e-9)
    line = status_line(want.frame, 0.0)
    assert f"hinge loss {line.split('hinge loss ')[1].split()[0]}" in status(page)
    assert not page.errors, page.errors


def test_test_points_are_hollow_and_never_enter_a_step(page):
    open_app(page, "?preset=blobs&n=30&k=3&seed=1&test=0.3&mode=minibatch&batch=8&order=cyclic")
    wait_status(page, "30 points (9 test)")
    hx, hy = trace(page, "points", "test points")
    hollow = np.column_stack([hx, hy])
    assert len(hollow) == 9

    def is_test(x, y):
        return bool(np.any(np.hypot(hollow[:, 0] - x, hollow[:, 1] - y) < 1e-5))

    seen = set()
    for n in (1, 2, 3):
        mark(page)
        press(page, "step1")
        wait_status(page, f"step {n} ")
        bx, by = trace(page, "marks", "batch")
        assert len(bx) == 8 and not any(is_test(x, y) for x, y in zip(bx, by, strict=True))
        seen |= {(round(x, 5), round(y, 5)) for x, y in zip(bx, by, strict=True)}
    assert len(seen) == 21  # three batches of 8 in cyclic order visit all 21 training points
    # A test point can be selected and looked at, but a single-sample step on it is refused.
    page.get_by_text(MODES["sample"]).click()
    wait_until_idle(page)
    page.get_by_role("button", name="Select", exact=True).click()
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    mark(page)
    page.mouse.click(*data_to_page(page, *hollow[0]))
    wait_status(page, ", test point)")
    press(page, "step1")
    page.wait_for_selector("[data-testid='stAlert'] >> text=is a test point")
    assert "step 3 " in status(page)
    assert not page.errors, page.errors
