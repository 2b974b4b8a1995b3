"""Play with five features on (issue 21): painted frames per second in Chromium and the server's CPU
while one student plays, 300 points in 5 classes, the regions painted by the page from the model.

    python benchmarks/bench_features.py [--play 30] [--features x1,x2,x1sq,x2sq,x1x2]

Also prints, in process, what a Play frame costs the server: its view and its figures (the regions
trace carries the model: W, b, the features), ms per frame over a 192-frame chunk, best of 3.
The browser part is ``bench_browser.run`` with no clicks or Steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_browser import run, summary  # noqa: E402
from linclass.session.session import Session  # noqa: E402
from linclass.session.view import make_view  # noqa: E402
from linclass.ui import figures  # noqa: E402
from tests.harness import find_chromium  # noqa: E402


def in_process(query: dict, shading: bool, repeat: int = 3) -> tuple[float, float]:
    """(views, figures) ms per Play frame, best of ``repeat`` chunks of 192 frames."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        s = Session.start(query).play()
        _, frames = s.more(192)
        t0 = time.perf_counter()
        views = [make_view(f, shading=shading, math=False) for _, f in frames]
        t1 = time.perf_counter()
        figs = None
        for (_, f), v in zip(frames, views, strict=True):
            figs = figures.frame_figures(f, v, reuse=figs)
        t2 = time.perf_counter()
        best = min(best, ((t1 - t0) / len(frames) * 1e3, (t2 - t1) / len(frames) * 1e3))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--play", type=float, default=30.0, help="seconds of Play to measure")
    ap.add_argument("--features", default="x1,x2,x1sq,x2sq,x1x2")
    ap.add_argument("--no-browser", action="store_true", help="the in-process figures only")
    args = ap.parse_args()
    query = {"preset": "blobs", "n": "300", "k": "5", "features": args.features, "mode": "batch", "lr": "0.5"}
    for shading in (False, True):
        views, figs = in_process({**query, "shading": str(int(shading))}, shading)
        print(f"in process, shading {'on ' if shading else 'off'}: views {views:.2f} ms a frame, figures {figs:.2f} ms")
    if args.no_browser:
        return
    if find_chromium() is None:
        sys.exit("no Chromium: apt-get install -y chromium (or set LINCLASS_CHROMIUM)")
    r = run(ROOT / "app.py", 0, 0, args.play, "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    play_kib = [b / 1024 for b in r["play_bytes"]]
    print(f"features {args.features}, 300 points, 5 classes, full batch")
    print(f"Play                      {r['play_fps']:.1f} painted frames/s over {args.play:g} s; "
          f"remounted: {r['play_remounted']}; blank samples: {r['play_blank_samples']}")  # fmt: skip
    print(f"server CPU while playing  {100 * r['play_server_cpu']:.1f} % of one core")
    print(f"bytes per update, Play    {summary(play_kib, 'KiB')}, largest {max(play_kib, default=0):.1f} KiB")
    print(f"script time, Play chunk   {summary(r['script_ms_play'])}")


if __name__ == "__main__":
    main()
