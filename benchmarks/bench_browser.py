"""How the explorer feels in a real browser: click->paint, Step->paint, Play, bytes, script time.

    python benchmarks/bench_browser.py                 # this checkout's app.py
    python benchmarks/bench_browser.py --app OTHER/app.py --clicks 25 --play 10

Starts the app on loopback, opens it in headless Chromium (1280x800) with 300 points in
5 classes from a preset (?preset=blobs&n=300&k=5), and measures:
  * click->paint: mouse down on the plane until the new point is on screen. Three figures: the
    browser's immediate preview of the point, Python's answer reaching the page, and the repaint
    with it (regions, bars and arrows recomputed);
  * Step->paint: mouse down on Step until the recomputed plots are on screen;
  * Play: frames painted per second over --play seconds, and whether the plane was ever
    remounted (its DOM node replaced) or blank;
  * bytes per update: websocket messages from the server (CDP), median and largest;
  * the server's script time per rerun (the fragment's time, reported by the page).
With --tab "Loss landscape" (or "Simplex") that panel is open and follows Step and Play meanwhile
(these figures were tests/browser/test_views.py's; tests assert no time).
Times are from the page's own clock (performance.now), so Playwright's overhead is not in them.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.procstat import cpu_seconds  # noqa: E402
from tests.harness import AppServer, find_chromium, launch, plane_root, plot_box, wait_until_idle  # noqa: E402

MARK_DOWN = """() => {
    window.__lcDown = null;
    document.addEventListener('mousedown', () => { window.__lcDown = performance.now(); }, {capture: true});
}"""


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def summary(xs, unit="ms"):
    if not xs:
        return "n/a"
    return f"median {statistics.median(xs):6.1f} {unit}, p95 {p95(xs):6.1f} {unit} (n={len(xs)})"


def attr(page, name):
    v = plane_root(page).get_attribute(name)
    return None if v is None else float(v)


def wait_attr_after(page, name, t0, timeout=10_000):
    """Wait until data-<name> on the plane view holds a time later than t0; return it."""
    page.wait_for_function(
        """([name, t0]) => { const v = document.querySelector("[data-testid='lc-view-plane']").dataset[name];
                             return v !== undefined && parseFloat(v) > t0; }""",
        arg=[name, t0],
        timeout=timeout,
    )
    return float(page.evaluate("(n) => document.querySelector(\"[data-testid='lc-view-plane']\").dataset[n]", name))


def run(app: Path, clicks: int, steps: int, play_s: float, url_query: str, tab: str | None = None) -> dict:
    server = AppServer(app).start()
    ws_sizes: list[tuple[float, int]] = []
    results: dict = {}
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")

            def on_frame(ev):
                r = ev["response"]
                n = len(base64.b64decode(r["payloadData"])) if r.get("opcode") == 2 else len(r["payloadData"])
                ws_sizes.append((time.time(), n))

            cdp.on("Network.webSocketFrameReceived", on_frame)
            page.goto(server.url + url_query)
            wait_until_idle(page)
            if tab:  # a panel under the plots open meanwhile (it follows Step and Play)
                page.get_by_role("radio", name=tab).click()
                wait_until_idle(page)
            page.evaluate(MARK_DOWN)
            time.sleep(1.0)

            # click -> paint
            box = plot_box(page)
            preview, confirmed, answered = [], [], []
            n0 = int(page.evaluate("() => 0"))
            for i in range(clicks):
                fx, fy = 0.12 + 0.76 * ((i * 7) % clicks) / clicks, 0.1 + 0.8 * ((i * 11) % clicks) / clicks
                before = float(page.evaluate("() => performance.now()"))
                page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
                t_pre = wait_attr_after(page, "previewAt", before)
                t_done = wait_attr_after(page, "paintedAt", t_pre)
                t_answer = wait_attr_after(page, "receivedAt", before)
                down = float(page.evaluate("() => window.__lcDown"))
                preview.append(t_pre - down)
                confirmed.append(t_done - down)
                answered.append(t_answer - down)
                time.sleep(0.15)
            del n0
            results["click_preview_ms"] = preview
            results["click_confirmed_ms"] = confirmed
            results["click_answer_ms"] = answered

            # Step -> paint
            step_ms, step_confirmed, script_ms = [], [], []
            step_btn = page.locator("[data-testid='lc-btn-step1']")
            for _ in range(steps):
                before = float(page.evaluate("() => performance.now()"))
                step_btn.click()
                t_done = wait_attr_after(page, "paintedAt", before)
                t_answer = wait_attr_after(page, "receivedAt", before)
                down = float(page.evaluate("() => window.__lcDown"))
                step_ms.append(t_done - down)
                step_confirmed.append(t_answer - down)
                script_ms.append(attr(page, "data-server-ms"))
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                time.sleep(0.15)
            results["step_ms"] = step_ms
            results["step_answer_ms"] = step_confirmed
            results["script_ms_step"] = script_ms

            # Play
            svg_before = page.evaluate_handle("() => document.querySelector(\"[data-testid='lc-points'] .main-svg\")")
            page.locator("[data-testid='lc-btn-play']").click()
            time.sleep(1.0)
            d0, t0 = attr(page, "data-drawn"), time.time()
            cpu0 = cpu_seconds([server.proc.pid])
            ws_mark = len(ws_sizes)
            blank, play_script = 0, []
            end = time.time() + play_s
            while time.time() < end:
                time.sleep(0.1)
                if page.locator("[data-testid='lc-points'] .main-svg").count() == 0:
                    blank += 1
                play_script.append(attr(page, "data-server-ms"))
            d1, t1 = attr(page, "data-drawn"), time.time()
            results["play_server_cpu"] = (cpu_seconds([server.proc.pid]) - cpu0) / (t1 - t0)
            play_bytes = [n for _, n in ws_sizes[ws_mark:]]
            page.locator("[data-testid='lc-btn-pause']").click()
            remounted = not page.evaluate("(el) => el !== null && el.isConnected", svg_before)
            results["play_fps"] = (d1 - d0) / (t1 - t0)
            results["play_remounted"] = remounted
            results["play_blank_samples"] = blank
            results["play_bytes"] = play_bytes
            results["script_ms_play"] = [x for x in play_script if x is not None]
            results["all_bytes"] = [n for _, n in ws_sizes]
            browser.close()
    finally:
        server.stop()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", type=Path, default=ROOT / "app.py")
    ap.add_argument("--clicks", type=int, default=25)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument(
        "--play",
        type=float,
        default=30.0,
        help="seconds of Play to measure (several of Play's 6 s chunks, so the server's CPU is steady)",
    )
    ap.add_argument("--query", default="?preset=blobs&n=300&k=5")
    ap.add_argument("--tab", help='open this panel under the plots first, e.g. "Loss landscape" or "Simplex"')
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = ap.parse_args()
    if find_chromium() is None:
        sys.exit("no Chromium: apt-get install -y chromium (or set LINCLASS_CHROMIUM)")
    r = run(args.app, args.clicks, args.steps, args.play, args.query, args.tab)
    kib = [b / 1024 for b in r["all_bytes"]]
    play_kib = [b / 1024 for b in r["play_bytes"]]
    print(f"app: {args.app}   points: {args.query}" + (f"   panel: {args.tab}" if args.tab else ""))
    print(f"click->paint, preview     {summary(r['click_preview_ms'])}")
    print(f"click->Python's answer    {summary(r['click_answer_ms'])}")
    print(f"click->paint, with Python {summary(r['click_confirmed_ms'])}")
    print(f"Step->paint               {summary(r['step_ms'])}")
    print(f"Step->Python's answer     {summary(r['step_answer_ms'])}")
    print(f"Play                      {r['play_fps']:.1f} painted frames/s over {args.play:g} s; "
          f"remounted: {r['play_remounted']}; blank samples: {r['play_blank_samples']}")  # fmt: skip
    print(f"server CPU while playing  {100 * r['play_server_cpu']:.1f} % of one core")
    print(f"bytes per update, Play    {summary(play_kib, 'KiB')}, largest {max(play_kib, default=0):.1f} KiB")
    print(f"bytes per update, all     {summary(kib, 'KiB')}, largest {max(kib, default=0):.1f} KiB")
    print(f"script time, Step         {summary([x for x in r['script_ms_step'] if x is not None])}")
    print(f"script time, Play chunk   {summary(r['script_ms_play'])}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
