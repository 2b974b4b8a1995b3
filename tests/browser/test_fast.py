"""The side panel (bars over arrows) has one renderer, static/linclass-fast.js, idle and playing:
a Plotly redraw of it takes about 30 ms, more than a Play frame. It draws Plotly's picture (the
same ticks, bars and markers, to the pixel), readable in presenter mode, and the paused frame."""

from __future__ import annotations

import pytest

from ..harness import status, wait_until_idle
from .test_browser import open_app, press, wait_status
from .test_lecture import overlapping

pytestmark = pytest.mark.browser
SIDE = "[data-testid='lc-side']"

# Draw the side panel's current figure with Plotly in a box of the same size, beside our own
# drawing on the page, and collect both pictures' ticks and bars.
COMPARE = """async () => {
    const gd = document.querySelector("[data-testid='lc-side']");
    const cell = gd.parentElement;
    const host = document.createElement('div');
    host.style.cssText = 'position:absolute;inset:0;z-index:9;background:white';
    cell.appendChild(host);
    await window.Plotly.newPlot(host, structuredClone(gd.data), structuredClone(gd.layout), {staticPlot: true});
    const origin = cell.getBoundingClientRect();
    const box = (e) => { const b = e.getBoundingClientRect();
        return [b.left - origin.left, b.top - origin.top, b.right - origin.left, b.bottom - origin.top]; };
    const ticks = {};
    for (const ax of ['x', 'y', 'x2', 'y2']) {
        ticks[ax] = {
            plotly: Array.from(host.querySelectorAll(`.${ax}tick text`)).map((t) => [t.textContent, box(t)]),
            fast: Array.from(gd.querySelectorAll(`.${ax}tick text`)).map((t) => [t.textContent, box(t)]),
        };
    }
    const tall = (b) => b[3] - b[1] > 0.5;
    const bars = {
        plotly: Array.from(host.querySelectorAll('.barlayer .point path')).map(box).filter(tall),
        fast: Array.from(gd.querySelectorAll('rect.lcf-bar')).map(box).filter(tall),
    };
    window.Plotly.purge(host);
    host.remove();
    return {ticks, bars};
}"""


def centre(b, horizontal):
    return (b[0] + b[2]) / 2 if horizontal else (b[1] + b[3]) / 2


@pytest.mark.parametrize(
    "query",
    ["?preset=blobs&n=60&k=5&seed=1", "?preset=blobs&n=60&k=8&seed=2&loss=hinge", "?preset=blobs&n=40&k=3&present=1"],
)
def test_our_drawing_has_plotlys_ticks_and_bars(page, query):
    open_app(page, query)
    press(page, "step10")
    wait_status(page, "step 10 ")
    wait_until_idle(page)
    got = page.evaluate(COMPARE)
    for ax, t in got["ticks"].items():
        assert [x[0] for x in t["fast"]] == [x[0] for x in t["plotly"]], ax  # the same tick labels
        for (_, a), (_, b) in zip(t["fast"], t["plotly"], strict=True):
            for horizontal in (True, False):  # at the same place
                assert abs(centre(a, horizontal) - centre(b, horizontal)) < 3, (ax, a, b)
    fast, plotly = sorted(got["bars"]["fast"]), sorted(got["bars"]["plotly"])
    assert len(fast) == len(plotly) > 0
    for a, b in zip(fast, plotly, strict=True):
        assert max(abs(u - v) for u, v in zip(a, b, strict=True)) < 2.5, (a, b)  # the same bars, to the pixel


def side_texts(page):
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' text')).filter((t) => t.textContent.trim())
             .map((t) => { const b = t.getBoundingClientRect();
                           return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize),
                                   box: [b.left, b.top, b.right, b.bottom]}; })""",
        SIDE,
    )


def one_renderer(page) -> bool:
    """The side panel holds our drawing and no Plotly plot."""
    return page.evaluate(
        """(sel) => { const d = document.querySelector(sel);
                      return !d.querySelector('.main-svg') && !!d.querySelector('svg rect.lcf-bar'); }""",
        SIDE,
    )


def heading(page) -> str:
    return page.evaluate("(sel) => document.querySelector(sel).layout.annotations[0].text", SIDE)


@pytest.mark.parametrize("query", ["?preset=blobs&n=80&k=8&seed=2", "?preset=blobs&n=40&k=3&present=1"])
def test_play_and_pause_draw_the_side_panel_with_one_renderer_readable(page, query):
    open_app(page, query)
    assert one_renderer(page)  # idle
    press(page, "play")
    page.wait_for_function(
        "() => { const m = document.querySelector(\"[data-testid='lc-view-plane'] .lc-status\").textContent"
        ".match(/step (\\d+)/); return m && +m[1] >= 20; }",
        timeout=30_000,
    )
    assert one_renderer(page)  # playing
    items = side_texts(page)
    least = 16 if "present=1" in query else 12
    assert items and min(t["size"] for t in items) >= least, [(t["text"], t["size"]) for t in items]
    assert not overlapping([t for t in items if t["box"][2] > t["box"][0]]), overlapping(items)
    host = page.locator(SIDE).bounding_box()
    cut = [t["text"] for t in items if t["box"][0] < host["x"] - 1 or t["box"][2] > host["x"] + host["width"] + 1]
    assert not cut, cut  # the arrows' heading with its "drawn ×s" fits (found cut off by the review)
    press(page, "pause")
    page.locator("[data-testid='lc-btn-play']").wait_for()
    wait_until_idle(page)
    assert one_renderer(page)  # paused
    root = page.locator("[data-testid='lc-view-plane']")
    assert root.get_attribute("data-shown-rev") == root.get_attribute("data-rev")  # Python's paused frame, drawn
    assert not page.errors, page.errors


def test_the_step_look_ahead_and_pythons_answer_are_drawn_by_the_same_renderer(page):
    open_app(page, "?preset=blobs&n=60&k=5&seed=1")
    page.evaluate(
        """(sel) => { window.__lcPlotly = 0;
            new MutationObserver(() => { if (document.querySelector(sel + ' .main-svg')) window.__lcPlotly += 1; })
              .observe(document.querySelector(sel), {subtree: true, childList: true}); }""",
        SIDE,
    )
    press(page, "step1")
    wait_status(page, "step 1 ")
    wait_until_idle(page)
    assert page.evaluate("() => window.__lcPlotly") == 0  # Plotly never drew the side panel
    assert one_renderer(page)
    assert "after the step" in heading(page)
    assert "step 1 " in status(page)


# One figure with every marker symbol the side panel uses, drawn by Plotly and by linclass-fast.js.
MARKERS = """async () => {
    const m = await import(new URL('app/static/linclass-fast.js', location.href).href);
    const fig = {
        data: [{type: 'scatter', mode: 'markers', x: [1, 2, 3, 4, 5], y: [1, 2, 1, 2, 1],
                marker: {symbol: ['arrow', 'arrow', 'line-ew', 'circle-open', 'x-thin'], size: [13, 12, 34, 12, 10],
                         angle: [30, -120, 0, 0, 0], color: '#333', line: {width: 2, color: '#333'}}}],
        layout: {width: 400, height: 300, margin: {l: 40, r: 10, t: 20, b: 30}, template: 'none', showlegend: false,
                 xaxis: {range: [0, 6]}, yaxis: {range: [0, 3]}},
    };
    const boxes = (els, origin) => Array.from(els).map((e) => { const b = e.getBoundingClientRect();
        return [b.left - origin.left, b.top - origin.top, b.right - origin.left, b.bottom - origin.top]; });
    const a = document.createElement('div'), b = document.createElement('div');
    for (const d of [a, b]) { d.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:300px;background:white';
                              document.body.appendChild(d); }
    await window.Plotly.newPlot(a, fig.data, fig.layout, {staticPlot: true});
    m.drawFast(b, fig, null);
    const out = {plotly: boxes(a.querySelectorAll('.scatterlayer path.point'), a.getBoundingClientRect()),
                 fast: boxes(b.querySelectorAll('.lcf-point'), b.getBoundingClientRect())};
    a.remove(); b.remove();
    return out;
}"""


def test_the_fast_markers_are_plotlys_to_the_pixel(page):
    # Found by review: the arrowheads were larger and centred on the tip, the target line shorter,
    # so every Pause visibly redrew all K arrows and the bars' target lines.
    open_app(page, "?preset=blobs&n=30&k=3&seed=1")
    got = page.evaluate(MARKERS)
    assert len(got["fast"]) == len(got["plotly"]) == 5
    for a, b in zip(got["fast"], got["plotly"], strict=True):
        assert max(abs(u - v) for u, v in zip(a, b, strict=True)) < 1.6, (a, b)
