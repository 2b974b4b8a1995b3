"""The "Loss landscape" and "Simplex" tabs in a real Chromium (issue 11): they follow Step, Play
and step back like the other panels, measured from the figures' own data; the budgets still hold.

Each expected picture is recomputed here from the same link and presses: the session model is
deterministic, so ``Session.start(query).step(n)`` is the state the browser shows after n steps.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import numpy as np
import pytest

from linclass.core.model import scores, softmax
from linclass.core.simplex import simplex_coords
from linclass.session.session import Session
from linclass.ui import landscape_simplex_figures

from ..harness import status, wait_until_idle
from .test_browser import open_app, press

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
QUERY = {"preset": "blobs", "n": "30", "k": "3", "seed": "1"}


def url(query: dict) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in query.items())


def open_tab(page, name: str, prefix: str):
    page.get_by_role("radio", name=name).click()  # the panel picker under the plots
    return synced(page, prefix)


def synced(page, prefix: str, after: float = -1):
    """Wait until the view has painted the newest frame Python sent (newer than rev ``after``), the
    same rev as the plane's."""
    page.wait_for_function(
        """([p, after]) => { const v = document.querySelector(`[data-testid^='lc-view-${p}']`);
                    const plane = document.querySelector("[data-testid='lc-view-plane']");
                    const gd = document.querySelector(`[data-testid='lc-${p}']`);
                    const idle = document.querySelector("[data-testid='stApp']").dataset.testScriptState
                                 === 'notRunning';
                    return idle && v && plane && gd && gd.data && v.dataset.shownRev === v.dataset.rev
                           && v.dataset.rev === plane.dataset.rev && +v.dataset.rev > after; }""",
        arg=[prefix, after],
    )


def act(page, kind: str, prefix: str):
    """Press a toolbar button and wait until the view shows Python's answer."""
    rev = float(page.locator("[data-testid='lc-view-plane']").get_attribute("data-rev"))
    press(page, kind)
    synced(page, prefix, rev)


def traces(page, plot: str) -> dict:
    """The plot's traces as Plotly holds them, {name: {x, y, z, ...}}, arrays as numbers."""
    raw = page.evaluate(
        """(plot) => { const gd = document.querySelector(`[data-testid='lc-${plot}']`);
                       const arr = (a) => a && (ArrayBuffer.isView(a) ? Array.from(a)
                                   : Array.isArray(a) ? a.map(r => ArrayBuffer.isView(r) ? Array.from(r) : r) : a);
                       return gd.data.map(t => ({name: t.name || t.type, x: arr(t.x), y: arr(t.y), z: arr(t.z)})); }""",
        plot,
    )
    return {t["name"]: {k: _array(v) for k, v in t.items() if k != "name"} for t in raw}


def _array(a):
    if isinstance(a, dict) and "bdata" in a:  # a typed array Plotly kept encoded
        shape = [int(s) for s in str(a.get("shape", "-1")).split(",")]
        return np.frombuffer(base64.b64decode(a["bdata"]), dtype=a["dtype"]).astype(float).reshape(shape)
    return None if a is None else np.asarray(a, dtype=float)


def level_direction(x, y, z) -> np.ndarray:
    """The direction across which z changes most (for z = phi(a . w), a itself), from the grid."""
    gy, gx = np.gradient(z, y, x)
    G = np.array([[np.sum(gx * gx), np.sum(gx * gy)], [np.sum(gx * gy), np.sum(gy * gy)]])
    return np.linalg.eigh(G)[1][:, -1]


def degrees(u, v) -> float:
    c = abs(np.dot(u, v)) / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(min(1.0, c))))


def check_landscape(page, sess: Session):
    """The landscape on screen is row y_i's for the frame of ``sess``: its contours cross x_i at
    right angles (within 1 degree) and its arrow is the step's change of the row."""
    frame = sess.frame
    rec, ex = frame.record, frame.explorer
    i = int(rec.indices[0])
    m = int(ex.y[i])
    t = traces(page, "landscape")
    c = t["loss"]
    z = c["z"].reshape(len(c["y"]), len(c["x"]))
    x_i = ex.X[i]
    assert degrees(level_direction(c["x"], c["y"], z), x_i) <= 1.0
    shaft = t["step −γ∇"]
    np.testing.assert_allclose([shaft["x"][0], shaft["y"][0]], rec.W_before[m], rtol=1e-5, atol=1e-9)
    s = landscape_simplex_figures.landscape_scale(
        c["x"], c["y"], rec.W_after[m] - rec.W_before[m]
    )  # drawn ×s when tiny
    np.testing.assert_allclose([shaft["x"][1], shaft["y"][1]], rec.W_before[m] + s * (rec.W_after[m] - rec.W_before[m]),
                               rtol=1e-5, atol=1e-9)  # fmt: skip
    path = t[f"path of {ex.names[m]}"]
    assert len(path["x"]) == len(ex.state.history) + (frame.kind == "preview")


def check_simplex(page, sess: Session):
    """Every dot is at the core's p for its point in the state on screen."""
    ex = sess.explorer
    t = traces(page, "simplex")
    for m in range(3):
        P = softmax(scores(ex.state.W, ex.state.b, ex.X[ex.y == m]))
        got = np.column_stack([t[ex.names[m]]["x"], t[ex.names[m]]["y"]])
        np.testing.assert_allclose(got, simplex_coords(P), atol=1e-6)


def steps_shown(page) -> int:
    return int(status(page).split("step ")[1].split()[0])


def follow(page, query: dict, tab: str, prefix: str, check) -> None:
    """Open the view, then Step, x10, Back, Play and Pause; after each, ``check`` the picture against
    the session that the same presses make."""
    open_app(page, url(query))
    open_tab(page, tab, prefix)
    start = Session.start(query)
    check(page, start)  # the next step, a preview
    for kind, sess in (("step1", start.step(1)), ("step10", start.step(11)), ("back", start.step(11).back())):
        act(page, kind, prefix)
        check(page, sess)
    press(page, "play")
    page.wait_for_function("() => document.querySelector(\"[data-testid='lc-view-plane'] .lc-status\")"
                           ".textContent.match(/step (\\d+)/)[1] >= 20", timeout=30_000)  # fmt: skip
    act(page, "pause", prefix)
    check(page, start.step(steps_shown(page)))
    assert not page.errors, page.errors


def test_landscape_follows_step_back_and_play(page):
    follow(page, QUERY, "Loss landscape", "landscape", check_landscape)


def test_simplex_dots_are_the_core_probabilities_through_step_back_and_play(page):
    follow(page, {**QUERY, "init": "random", "lr": "0.5"}, "Simplex", "simplex", check_simplex)


PLANE = "[data-testid='lc-view-plane']"


def painted(page, root: str) -> list[float]:
    """The revs a view painted, in order (the page's own log)."""
    return page.evaluate("(r) => document.querySelector(r).lcPainted.slice()", root)


@pytest.mark.parametrize(("tab", "prefix"), [("Loss landscape", "landscape"), ("Simplex", "simplex")])
def test_the_view_follows_step_and_play_in_order_without_remounting(page, tab, prefix):
    """The view follows every Step and Play's chunks: oldest first, never an older frame after a
    newer one, ending on the plane's frame, and is never remounted. (How fast: benchmarks/
    bench_browser.py --tab.)"""
    view = f"[data-testid^='lc-view-{prefix}']"
    open_app(page, "?preset=blobs&n=300&k=5&seed=1")
    open_tab(page, tab, prefix)
    node = page.evaluate_handle(f'() => document.querySelector("{view}")')
    for _ in range(3):
        act(page, "step1", prefix)
    press(page, "play")
    page.wait_for_function("() => document.querySelector(\"[data-testid='lc-view-plane'] .lc-status\")"
                           ".textContent.match(/step (\\d+)/)[1] >= 20", timeout=30_000)  # fmt: skip
    act(page, "pause", prefix)
    plane, seen = painted(page, PLANE), painted(page, view)
    assert len(seen) >= 5, seen  # the three steps, some of Play, the paused frame
    assert seen == sorted(seen) and len(set(seen)) == len(seen), seen  # never an older frame, none twice
    assert set(seen[:4]) <= set(plane)  # the steps' frames are the plane's
    assert seen[-1] == plane[-1]  # and both end on Python's paused frame
    assert page.evaluate("(el) => el.isConnected", node)  # updated in place, never remounted
    assert not page.errors, page.errors


BLOBS = {"preset": "blobs", "k": "3"}


@pytest.mark.parametrize(("file", "tab", "query", "steps"), [
    ("landscape", "Loss landscape", {**BLOBS, "n": "60", "seed": "1", "lr": "0.5"}, 13),
    ("landscape-overshoot", "Loss landscape", {**BLOBS, "n": "60", "seed": "1", "mode": "batch", "lr": "10",
                                               "reg": "0.1"}, 8),
    ("simplex", "Simplex", {**BLOBS, "n": "150", "seed": "3", "mode": "batch", "lr": "1"}, 30),
])  # fmt: skip
def test_screenshots_for_the_lecture_guide(page, tmp_path, file, tab, query, steps):
    """docs/landscape.png, docs/landscape-overshoot.png and docs/simplex.png (written there when
    LINCLASS_SCREENSHOT=1), for the README's lecture guide."""
    prefix = "landscape" if tab == "Loss landscape" else "simplex"
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_app(page, url(query))
    open_tab(page, tab, prefix)
    for n in (10,) * (steps // 10) + (1,) * (steps % 10):
        act(page, f"step{n}", prefix)
    wait_until_idle(page)
    panel = page.locator(".st-key-lc_panel")
    panel.scroll_into_view_if_needed()
    out = ROOT / "docs" / f"{file}.png" if os.environ.get("LINCLASS_SCREENSHOT") else tmp_path / "shot.png"
    panel.screenshot(path=str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not page.errors, page.errors
