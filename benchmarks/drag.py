"""Dragging a point in a real browser: painted preview frames per second (issue 21).

    python benchmarks/drag.py                          # 300 points in 5 classes, full batch, 10 s
    python benchmarks/drag.py --query "?preset=blobs&n=300&k=5" --seconds 5

Starts the app on loopback, opens it in headless Chromium (1280x800), takes the Select tool,
takes 10 steps (weights that tell places apart), then presses on a point (Playwright's mouse) and
drags it round a circle for --seconds seconds, the pointer reporting every 8 ms as a 125 Hz mouse
does (pointer events dispatched in the page). It prints, from the page's own clock:
  * the preview's painted frames per second: the bars, the arrows and the marks recomputed for
    the point where it is and drawn (the page counts each once it is painted);
  * the display's own frames per second meanwhile (requestAnimationFrame), the ceiling;
  * the longest gap between two painted preview frames;
  * the server's CPU meanwhile (the drag sends nothing until it is released);
and after the release, the time until Python's answer is painted. Full batch is the heaviest case:
every point is one of the step's samples, so every frame evaluates all 300 coefficients. Tests
assert no time: this script is where the speed is measured.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.procstat import cpu_seconds  # noqa: E402
from tests.harness import AppServer, data_to_page, find_chromium, launch, plane_root, wait_until_idle  # noqa: E402

WATCH = """() => {
    const root = document.querySelector("[data-testid='lc-view-plane']");
    const w = window.__lcDrag = {raf: 0, painted: [], seen: +(root.dataset.dragFrames || 0)};
    const tick = () => { w.raf += 1; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new MutationObserver(() => {
        const n = +(root.dataset.dragFrames || 0);
        if (n > w.seen) { w.seen = n; w.painted.push(performance.now()); }
    }).observe(root, {attributes: true, attributeFilter: ["data-drag-frames"]});
}"""


# A mouse that reports every 8 ms (125 Hz), round a circle of radius 0.6 every 2 s: pointer events
# dispatched in the page, on the plot that took the press (Playwright's own moves are a round trip
# each, 10 to 80 ms on a busy machine: they would measure Playwright, not the page).
MOVE = """([c, r, ms]) => new Promise((done) => {
    const div = document.querySelector("[data-testid='lc-points']");
    const t0 = performance.now(); let k = 0;
    const timer = setInterval(() => {
        const t = performance.now() - t0;
        if (t > ms) { clearInterval(timer); done(k); return; }
        const a = 2 * Math.PI * t / 2000;
        div.dispatchEvent(new PointerEvent("pointermove", {clientX: c[0] + r[0] * Math.cos(a),
            clientY: c[1] + r[1] * Math.sin(a), pointerId: 1, bubbles: true}));
        k += 1;
    }, 8);
})"""


def run(query: str, seconds: float) -> dict:
    server = AppServer(ROOT / "app.py").start()
    try:
        with sync_playwright() as pw:
            browser = launch(pw, find_chromium())
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.goto(server.url + query)
            wait_until_idle(page)
            page.get_by_role("button", name="Select", exact=True).click()
            page.locator("[data-testid='lc-btn-step10']").click()
            wait_until_idle(page)
            x0, y0 = page.evaluate("() => { const t = document.querySelector(\"[data-testid='lc-points']\").data[0];"
                                   " return [t.x[0], t.y[0]]; }")  # fmt: skip
            sent0 = int(plane_root(page).get_attribute("data-sent") or 0)
            page.mouse.move(*data_to_page(page, x0, y0))
            page.mouse.down()
            page.mouse.move(*data_to_page(page, x0 * 0.9, y0 * 0.9), steps=4)  # past the slop: a drag
            page.evaluate(WATCH)
            centre, corner = data_to_page(page, 0, 0), data_to_page(page, 0.6, 0.6)
            t0, cpu0 = page.evaluate("() => performance.now()"), cpu_seconds([server.proc.pid])
            k = page.evaluate(MOVE, [centre, [corner[0] - centre[0], corner[1] - centre[1]], seconds * 1e3])
            w = page.evaluate("() => window.__lcDrag")
            log = page.evaluate("() => document.querySelector(\"[data-testid='lc-view-plane']\").parentElement"
                                ".__linclass.dragLog || []")  # fmt: skip
            t1, cpu1 = page.evaluate("() => performance.now()"), cpu_seconds([server.proc.pid])
            sent = int(plane_root(page).get_attribute("data-sent") or 0) - sent0
            up = page.evaluate("() => performance.now()")
            page.mouse.up()
            wait_until_idle(page)
            painted = float(plane_root(page).get_attribute("data-painted-at"))
            gaps = [b - a for a, b in zip(w["painted"], w["painted"][1:], strict=False)]
            browser.close()
            return {
                "moves": k, "fps": len(w["painted"]) / (t1 - t0) * 1e3, "display_fps": w["raf"] / (t1 - t0) * 1e3,
                "longest_gap_ms": max(gaps) if gaps else float("nan"), "server_cpu": (cpu1 - cpu0) / ((t1 - t0) / 1e3),
                "sent_during_drag": sent, "release_to_painted_ms": painted - up,
                "render_ms": statistics.median(log) if log else float("nan"),
            }  # fmt: skip
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query", default="?preset=blobs&n=300&k=5&mode=batch")
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()
    r = run(args.query, args.seconds)
    print(f"drag {args.query}, {args.seconds:g} s, {r['moves']} pointer moves")
    print(f"  preview painted:   {r['fps']:5.1f} frames/s (the display: {r['display_fps']:.1f} frames/s)")
    print(f"  a frame's work:    {r['render_ms']:5.1f} ms (median: the numbers, the patched figures, their drawing)")
    print(f"  longest gap:       {r['longest_gap_ms']:5.1f} ms between painted preview frames")
    cpu, sent = 100 * r["server_cpu"], r["sent_during_drag"]
    print(f"  server CPU:        {cpu:5.1f} % of a core meanwhile ({sent} events sent before the release)")
    print(f"  release -> Python's frame painted: {r['release_to_painted_ms']:.0f} ms")


if __name__ == "__main__":
    main()
