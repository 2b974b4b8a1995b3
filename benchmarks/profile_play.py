"""Where the server's time goes in Play, per frame: steps, views, figures, encoding (in process).

    python benchmarks/profile_play.py                        # 300 points, 5 classes, blobs
    python benchmarks/profile_play.py --frames 960 --top 25  # and the 25 costliest functions
    python benchmarks/profile_play.py --query "mode=batch&reg=0.01&test=0.2"

Does what a playing page and app.py's ``main_view`` do, without Streamlit or a browser: presses
Play (an "play" event), then asks for chunks ("more" events) until ``--frames`` frames are made,
and for every chunk draws each frame as ``main_view`` does (``make_view`` without the math,
``figures.frame_figures`` reusing the previous frame's figures), encodes the chunk
(``plotly_view.encode_frames``) and writes it as the JSON text the component gets ("json"; before
commit 631c912 Streamlit wrote the data twice itself, which this did not count). Each stage is timed on its
own, the best of ``--repeat`` runs (on
a shared machine other work only ever adds time); the total is put against the budget of Play at
30 frames a second (a frame every 33.3 ms of one core).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linclass.session.session import Session  # noqa: E402
from linclass.session.view import make_view  # noqa: E402
from linclass.ui import figures, words  # noqa: E402
from linclass.ui.plotly_view import _dumps, encode_frames  # noqa: E402

STAGES = ("steps", "views", "figures", "encoding", "json")
FRAME_MS = 1000 / 30  # Play's frame interval


def play(sess: Session, n_frames: int, clock: dict) -> int:
    """Press Play and ask for chunks until ``n_frames`` frames are drawn; adds each stage's seconds
    to ``clock``; returns the number of frames made (fewer if Play stopped itself)."""
    made, eid, kind = 0, 0, "play"
    while made < n_frames:
        eid += 1
        t = time.perf_counter()
        sess = sess.apply_events({"epoch": "profile", "events": [{"id": eid, "kind": kind}]})
        clock["steps"] += time.perf_counter() - t
        kind = "more"
        if not sess.chunk:
            break
        drawn, figs = [], None
        s = sess.settings
        for rev, frame in sess.chunk:
            t = time.perf_counter()
            view = make_view(frame, shading=s.shading, math=False, geometry=s.geometry)
            t1 = time.perf_counter()
            figs = figures.frame_figures(frame, view, reuse=figs, present=s.present)
            clock["views"] += t1 - t
            clock["figures"] += time.perf_counter() - t1
            drawn.append((figs, words.status_line(frame, s.reg, s.penalty), rev))
        t = time.perf_counter()
        parts, keys, encoded = encode_frames(drawn)
        t1 = time.perf_counter()
        _dumps({"parts": parts, "keys": keys, "frames": encoded}).encode()  # as plotly_view hands it over
        clock["encoding"] += t1 - t
        clock["json"] += time.perf_counter() - t1
        made += len(drawn)
        if not sess.playing:
            break
    return made


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", default="300", help="points (default 300)")
    ap.add_argument("--k", default="5", help="classes (default 5)")
    ap.add_argument("--frames", type=int, default=486, help="frames to make (default 486: Play's first chunk and 5)")
    ap.add_argument("--query", default="", help='more link parameters, e.g. "mode=batch&reg=0.01"')
    ap.add_argument("--repeat", type=int, default=5, help="runs; each stage's best is shown (default 5)")
    ap.add_argument("--top", type=int, default=0, help="also print the N functions with the most own time")
    args = ap.parse_args(argv)
    query = {"preset": "blobs", "n": args.n, "k": args.k, **dict(parse_qsl(args.query))}
    sess = Session.start(query)
    for kind, text in sess.messages:
        print(f"{kind}: {text}")
    play(sess, 12, dict.fromkeys(STAGES, 0.0))  # warm up: imports, caches
    clock = dict.fromkeys(STAGES, float("inf"))
    for _ in range(args.repeat):  # the best of a few runs: the machine is shared, other work only adds
        run = dict.fromkeys(STAGES, 0.0)
        made = play(sess, args.frames, run)
        clock = {k: min(clock[k], run[k]) for k in STAGES}
    print(f"{made} Play frames, {query}, each stage the best of {args.repeat} runs")
    for name in STAGES:
        print(f"  {name:<10} {1e3 * clock[name] / made:7.3f} ms/frame")
    total = 1e3 * sum(clock.values()) / made
    ours = 1e3 * (clock["steps"] + clock["views"] + clock["encoding"] + clock["json"]) / made
    print(f"  {'total':<10} {total:7.3f} ms/frame = {100 * total / FRAME_MS:.1f} % of one core at 30 frames/s")
    print(f"  all but figures {ours:.3f} ms/frame = {100 * ours / FRAME_MS:.1f} % of one core")
    if args.top:
        prof = cProfile.Profile()
        prof.enable()
        play(sess, args.frames, dict.fromkeys(STAGES, 0.0))
        prof.disable()
        print(f"\nthe {args.top} functions with the most own time (one more run, under cProfile):")
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
