"""Feature transforms in a real browser (issue 21): x₁x₂ switched on for XOR, ×100, and the training
accuracy reaches 100 % with the regions painted by the page from the model (a canvas over the plot
area, not polygons), each pixel the class Python's ``region_grid`` gives its point, still and playing."""

from __future__ import annotations

import numpy as np
import pytest

from linclass.core import objective as kernel
from linclass.core.features import phi
from linclass.core.losses.softmax import max_probability
from linclass.core.regions import TIE, region_grid
from linclass.ui import figures

from ..harness import status, wait_until_idle
from .test_browser import mark, open_app, press, wait_status

pytestmark = pytest.mark.browser

# The painted canvas read at data points: the model it was painted from, and each point's pixel (its
# centre, in data units, and its RGBA).
READ = """function (points) {
  const d = document.querySelector("[data-testid='lc-plane']");
  const c = d.querySelector("canvas.lc-regions");
  if (!c || !c.lcModel) return null;
  const [[x0, x1], [y0, y1]] = c.lcRanges;
  const ctx = c.getContext("2d");
  return {model: c.lcModel, size: [c.width, c.height], css: [c.clientWidth, c.clientHeight],
          types: d.data.map(t => t.type), paths: d.querySelectorAll("svg path").length,
          pixels: points.map(([x, y]) => {
            const i = Math.min(c.width - 1, Math.floor((x - x0) / (x1 - x0) * c.width));
            const j = Math.min(c.height - 1, Math.floor((y1 - y) / (y1 - y0) * c.height));
            return {at: [x0 + (i + 0.5) / c.width * (x1 - x0), y1 - (j + 0.5) / c.height * (y1 - y0)],
                    rgba: Array.from(ctx.getImageData(i, j, 1, 1).data)}; })};
}"""

POINTS = [(0.5, 0.5), (-0.5, 0.5), (0.6, -0.4), (-0.3, -0.7), (0.05, 0.9), (1.2, -1.1)]


def painted(page, points=POINTS) -> dict | None:
    return page.evaluate(f"(points) => ({READ})(points)", [list(p) for p in points])


def python_colour(model: dict, x: float, y: float) -> list[int]:
    """The colour of the class ``region_grid`` (the oracle) gives the point (x, y) under the painted model."""
    W = np.array(model["W"])
    b = None if model["b"] is None else np.array(model["b"])
    m = int(region_grid(W, b, (x, x + 1.0, y, y + 1.0), model["features"], 1, confidence=False)[2][0, 0])
    cls = len(figures.PALETTE) if m == TIE else m % len(figures.PALETTE)
    level = figures.LEVELS - 1
    if model["shading"]:  # max p in float64, quantised as the page does (tests/js/regions.test.mjs checks it)
        f = kernel.scores(W, b, phi(np.array([[x, y]]), tuple(model["features"])))
        pmax = float(max_probability(f, f.max(axis=1))[0])
        K = max(model["K"], 2)
        level = int(np.round(np.clip((pmax - 1 / K) / (1 - 1 / K), 0, 1) * (figures.LEVELS - 1)))
    k = 3 * (cls * figures.LEVELS + level)
    return [*model["palette"][k : k + 3], 255]


def assert_pythons_classes(got: dict):
    for p in got["pixels"]:
        assert p["rgba"] == python_colour(got["model"], *p["at"]), p


def test_x1x2_on_xor_reaches_100_percent_and_the_page_paints_python_s_classes(page):
    open_app(page, "?preset=xor&mode=batch&lr=3")
    wait_status(page, "step 0 ")
    assert painted(page) is None  # x1, x2 alone: exact polygons, no canvas
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Model").click()
    page.get_by_text("x₁x₂", exact=True).click()  # the toggle's label
    page.wait_for_function("() => /features=x1(%2C|,)x2(%2C|,)x1x2/.test(location.search)")
    assert "W has 3 columns" in page.locator("[data-testid='stSidebar']").inner_text()
    wait_until_idle(page)
    mark(page)
    press(page, "step100")
    wait_status(page, "step 100 ")
    assert "accuracy 100.0%" in status(page)
    got = painted(page)
    assert got["types"] == ["image"] and got["paths"] == 0  # the regions are the canvas: no polygon
    assert got["model"]["features"] == ["x1", "x2", "x1x2"] and len(got["model"]["W"][0]) == 3
    scale = page.evaluate("() => window.devicePixelRatio")
    assert got["size"] == [round(got["css"][0] * scale), round(got["css"][1] * scale)]  # screen resolution
    assert_pythons_classes(got)
    colours = {tuple(p["rgba"]) for p in got["pixels"][:4]}
    assert len(colours) == 2  # XOR: the quadrants alternate between the two classes
    assert "features=x1%2Cx2%2Cx1x2" in page.url or "features=x1,x2,x1x2" in page.url
    assert not page.errors, page.errors


def test_play_paints_each_frame_s_own_regions_and_the_shading_too(page):
    open_app(page, "?preset=xor&features=x1,x2,x1x2&mode=batch&lr=0.3&shading=1")
    wait_status(page, "step 0 ")
    first = painted(page)
    assert first["model"]["shading"]
    assert_pythons_classes(first)
    press(page, "play")
    # Models painted while playing, read off the canvas at each animation frame until five different ones.
    playing = """(points) => new Promise((done) => {
             const read = READ;
             const out = [];
             const look = () => {
               const got = read(points);
               const last = out.length ? JSON.stringify(out[out.length - 1].model.W) : null;
               if (got && JSON.stringify(got.model.W) !== last) out.push(got);
               if (out.length >= 5) done(out); else requestAnimationFrame(look);
             };
             look();
           })"""
    seen = page.evaluate(playing.replace("READ", READ, 1), [list(p) for p in POINTS])
    assert len({str(s["model"]["W"]) for s in seen}) == 5  # the canvas follows Play's frames
    for got in seen:
        assert_pythons_classes(got)  # each painted frame: its own model's classes
    press(page, "pause")
    page.locator("[data-testid='lc-btn-play']").wait_for()
    wait_until_idle(page)
    root = page.locator("[data-testid='lc-view-plane']")
    assert root.get_attribute("data-shown-rev") == root.get_attribute("data-rev")
    after = painted(page)
    shown = page.evaluate("() => document.querySelector(\"[data-testid='lc-plane']\").data[0].meta.W")
    assert after["model"]["W"] == shown and shown != first["model"]["W"]  # the paused frame's model, painted
    assert_pythons_classes(after)
    assert not page.errors, page.errors
