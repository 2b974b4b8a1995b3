"""``python -m linclass.testing grade SUBMISSIONS...``: grade a class, one process per submission.

    python -m linclass.testing grade submissions/ --function softmax_loss_naive \\
        --function softmax_loss_vectorized --layout columns --penalty any --timeout 10 --csv scores.csv

The score sheet goes to --csv (or stdout); the progress bar and the summary go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .calls import LAYOUTS
from .grade import FUNCTIONS, Options, collect, grade
from .mistakes import CONVENTIONS, LOSSES
from .scores import Points, score, summary, write_csv, write_gradescope

PENALTIES = {"half": "1/2 * reg * ||W||^2", "full": "reg * ||W||^2", "any": "either"}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m linclass.testing", description="linclass's grading kit")
    commands = top.add_subparsers(dest="command", required=True)
    p = commands.add_parser("grade", help="grade .py submissions, each in its own process with time and memory limits")
    p.add_argument("submissions", nargs="+", help=".py files, or folders of them (tests and conftest.py are skipped)")
    p.add_argument(
        "--function",
        action="append",
        dest="functions",
        metavar="NAME",
        help="a function to grade (repeat); default: the two CS231n functions of --loss",
    )
    p.add_argument("--loss", choices=sorted(LOSSES), default="softmax", help="softmax, or hinge (the multiclass SVM)")
    p.add_argument(
        "--layout",
        choices=sorted(LAYOUTS),
        default="columns",
        help="columns: W is (D, K) as in CS231n (default); rows: W is (K, D)",
    )
    p.add_argument(
        "--penalty",
        choices=CONVENTIONS,
        default="any",
        help="half: 1/2 reg ||W||^2; full: reg ||W||^2; any: either (default)",
    )
    p.add_argument("--bias", action="store_true", help="the functions take b after W and return db")
    p.add_argument(
        "--timeout", type=float, default=10.0, help="seconds each call of a function may take, and the import (10)"
    )
    p.add_argument("--memory", type=int, default=2048, metavar="MB", help="memory a submission may use (2048 MB)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once (the cores)")
    p.add_argument("--csv", metavar="PATH", help="write the score sheet here (default: stdout)")
    p.add_argument("--gradescope", metavar="PATH", help="write Gradescope's results.json (one submission)")
    p.add_argument("--points", metavar="SPEC", help="check=points,... or a TOML file (default: 1 point a check)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar on stderr (default: when stderr is a terminal)")  # fmt: skip
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        submissions = collect(args.submissions)
        points = Points.parse(args.points)
        options = _options(args)
        if args.gradescope and len(submissions) != 1:
            raise ValueError(f"--gradescope grades one submission; got {len(submissions)}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    show = sys.stderr.isatty() if args.progress is None else args.progress
    start = time.monotonic()
    rows = grade(submissions, options, _bar(start) if show else None)
    scored = score(rows, points)
    if args.csv:
        with open(args.csv, "w", newline="") as stream:
            write_csv(scored, stream)
    else:
        write_csv(scored, sys.stdout)
    if args.gradescope:
        write_gradescope(scored, Path(args.gradescope))
    print(summary(rows, time.monotonic() - start), file=sys.stderr)
    return 0


def _options(args) -> Options:
    if not args.timeout > 0 or args.memory <= 0 or args.jobs <= 0:
        raise ValueError("--timeout, --memory and --jobs must be positive")
    functions = tuple(dict.fromkeys(args.functions or FUNCTIONS[args.loss]))
    return Options(functions, args.loss, args.layout, args.penalty, args.bias, args.timeout, args.memory, args.jobs)


def progress_bar(done: int, total: int, seconds: float, width: int = 30) -> str:
    filled = width * done // max(total, 1)
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} submissions, {seconds:.0f} s"


def _bar(start: float):
    def show(done: int, total: int) -> None:
        sys.stderr.write(progress_bar(done, total, time.monotonic() - start) + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show


if __name__ == "__main__":
    sys.exit(main())
