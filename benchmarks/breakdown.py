"""Where Python's answer to a click or a Step goes: ours, Streamlit's, the browser's.

    python benchmarks/breakdown.py                   # 20 clicks and 20 Steps, 300 points in 5 classes
    python benchmarks/breakdown.py --clicks 40 --steps 40

Runs this checkout's app.py under a thin wrapper (the app itself is unchanged) that stamps, on the
wall clock, when each rerun's events callback starts and ends, when the plot component is called
and returns, and when the script ends. The page stamps every websocket message it sends and
receives, and when the component took the answer and painted it. Browser and server share this
machine's clock, so the stages line up:

  press -> sent          the page: pointerdown until the websocket message leaves (Streamlit's frontend)
  sent -> callback       tornado, the script runner's queue and the start of the rerun (Streamlit)
  callback               our event handling (the step or the click, the look-ahead)
  callback -> component  the fragment's code before the plot component (views, figures)
  component              our encoding of the frames and Streamlit marshalling the element
  component -> received  the delta to the page and the frontend handing it to the component: split
                         at the first websocket message the page gets after the component returned
  received -> painted    Plotly in the page
  script end             the rest of the fragment (panels, downloads), after the component returned
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.harness import AppServer, find_chromium, launch, plot_box, wait_until_idle  # noqa: E402

# The wrapper Streamlit runs: it patches three functions (once per process), then runs app.py.
TRACED_APP = """
import json, os, runpy, time
from linclass.session import events
from linclass.ui import plotly_view as pv
from linclass.session import session as sm

LOG = os.environ["LINCLASS_TRACE_LOG"]

def log(**kw):
    with open(LOG, "a") as f:
        f.write(json.dumps(kw) + "\\n")

if not getattr(pv, "_traced", False):
    pv._traced = True
    apply_events, view, link_query = events.BrowserEvents.apply_events, pv.plotly_view, sm.Session.link_query

    def traced_apply(self, value):
        t0 = time.time()
        out = apply_events(self, value)
        log(stage="callback", start=t0 * 1e3, end=time.time() * 1e3,
            kinds=[e.get("kind") for e in (value or {}).get("events", [])])
        return out

    def traced_view(*a, **kw):
        t0 = time.time()
        out = view(*a, **kw)
        log(stage="component", start=t0 * 1e3, end=time.time() * 1e3)
        return out

    def traced_link(self):
        log(stage="script_end", at=time.time() * 1e3)
        return link_query(self)

    events.BrowserEvents.apply_events = traced_apply
    pv.plotly_view = traced_view
    sm.Session.link_query = traced_link

runpy.run_path(os.environ["LINCLASS_APP"], run_name="__main__")
"""

# The page's side: every websocket message in and out, on the wall clock.
WS_TRACE = """() => {
  window.__wsIn = []; window.__wsOut = []; window.__down = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) { window.__wsOut.push(Date.now()); return send.call(this, d); };
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, opts) {
    if (type === 'message') {
      const inner = fn;
      fn = function (e) { window.__wsIn.push(Date.now()); return inner.call(this, e); };
    }
    return add.call(this, type, fn, opts);
  };
  document.addEventListener('pointerdown', () => window.__down.push(Date.now()), {capture: true});
}"""

STAGES = ["press -> sent", "sent -> callback", "callback", "callback -> component", "component",
          "component -> received", "  of which: to the page's websocket", "  of which: Streamlit's frontend",
          "received -> painted", "press -> received (Python's answer)",
          "script end after the component"]  # fmt: skip


def page_times(page) -> dict:
    return page.evaluate("""() => { const d = document.querySelector("[data-testid='lc-view-plane']").dataset;
        const o = performance.timeOrigin;
        return {received: o + parseFloat(d.receivedAt || 0), painted: o + parseFloat(d.paintedAt || 0),
                down: window.__down.at(-1), out: window.__wsOut.slice(), inn: window.__wsIn.slice()}; }""")


def wait_answer(page, before: float) -> None:
    page.wait_for_function(
        """(t) => { const d = document.querySelector("[data-testid='lc-view-plane']").dataset;
                    return performance.timeOrigin + parseFloat(d.receivedAt || 0) > t
                           && parseFloat(d.paintedAt || 0) >= parseFloat(d.receivedAt || 0); }""",
        arg=before, timeout=10_000,
    )  # fmt: skip
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    time.sleep(0.25)  # the script's end reaches the log


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def one(page, log_path: Path, act) -> dict | None:
    """Do ``act()`` once and split its answer time into stages (None if it could not be matched)."""
    seen = len(read_log(log_path))
    before = time.time() * 1e3
    act()
    wait_answer(page, before)
    t = page_times(page)
    new = read_log(log_path)[seen:]
    cb = next((e for e in new if e["stage"] == "callback"), None)
    comp = next((e for e in new if e["stage"] == "component"), None)
    end = next((e for e in new if e["stage"] == "script_end"), None)
    sent = next((x for x in t["out"] if x >= t["down"]), None)
    if None in (cb, comp, end, sent):
        return None
    arrived = next((x for x in t["inn"] if x >= comp["end"]), t["received"])
    return {
        "press -> sent": sent - t["down"],
        "sent -> callback": cb["start"] - sent,
        "callback": cb["end"] - cb["start"],
        "callback -> component": comp["start"] - cb["end"],
        "component": comp["end"] - comp["start"],
        "component -> received": t["received"] - comp["end"],
        "received -> painted": t["painted"] - t["received"],
        "press -> received (Python's answer)": t["received"] - t["down"],
        "script end after the component": end["at"] - comp["end"],
        "  of which: to the page's websocket": arrived - comp["end"],  # the first message after it
        "  of which: Streamlit's frontend": t["received"] - arrived,
    }


def run(clicks: int, steps: int, query: str, tab: str | None = None, app: Path = ROOT / "app.py") -> dict:
    work = Path(tempfile.mkdtemp(prefix="linclass-trace-"))
    home = app.parent  # the checkout the app comes from: its static files, its config, its linclass
    shutil.copytree(home / "static", work / "static")  # next to the script (Streamlit serves no symlinks)
    shutil.copytree(home / ".streamlit", work / ".streamlit")  # the app's config (static serving) from the cwd
    (work / "app.py").write_text(TRACED_APP)
    log_path = work / "trace.jsonl"
    env = {"LINCLASS_TRACE_LOG": str(log_path), "LINCLASS_APP": str(app),
           "PYTHONPATH": str(home) + os.pathsep + os.environ.get("PYTHONPATH", "")}  # fmt: skip
    server = AppServer(work / "app.py", env=env).start()
    out: dict[str, list[dict]] = {"click": [], "step": []}
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(f"({WS_TRACE})()")
            page.goto(server.url + query)
            wait_until_idle(page)
            if tab:
                page.get_by_role("radio", name=tab).click()
                wait_until_idle(page)
            time.sleep(1.0)
            box = plot_box(page)
            for i in range(clicks):
                fx, fy = 0.12 + 0.76 * ((i * 7) % clicks) / clicks, 0.1 + 0.8 * ((i * 11) % clicks) / clicks
                at = (box["x"] + fx * box["width"], box["y"] + fy * box["height"])
                r = one(page, log_path, lambda at=at: page.mouse.click(*at))
                if r:
                    out["click"].append(r)
            step = page.locator("[data-testid='lc-btn-step1']")
            for _ in range(steps):
                r = one(page, log_path, step.click)
                if r:
                    out["step"].append(r)
            browser.close()
    finally:
        server.stop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--app",
        type=Path,
        default=ROOT / "app.py",
        help="the app.py of a checkout (another commit's, for a before/after)",
    )
    ap.add_argument("--clicks", type=int, default=20)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--query", default="?preset=blobs&n=300&k=5")
    ap.add_argument("--tab", help="open this panel under the plots first (default: the first, the curve)")
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = ap.parse_args()
    if find_chromium() is None:
        sys.exit("no Chromium: apt-get install -y chromium (or set LINCLASS_CHROMIUM)")
    r = run(args.clicks, args.steps, args.query, args.tab, args.app.resolve())
    print(f"points: {args.query}   medians in ms (n = {len(r['click'])} clicks, {len(r['step'])} Steps)")
    print(f"{'stage':40s} {'click':>8s} {'Step':>8s}")
    for stage in STAGES:
        cells = [statistics.median(x[stage] for x in r[k]) if r[k] else float("nan") for k in ("click", "step")]
        print(f"{stage:40s} {cells[0]:8.1f} {cells[1]:8.1f}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
