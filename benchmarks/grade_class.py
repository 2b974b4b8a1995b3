"""Grade a class of 200 synthetic submissions with `python -m linclass.testing grade`, and print the wall time.

The submissions are copies of examples/assignment's solution and its wrong solutions (the one that
allocates without bound included), plus one that never returns; both CS231n functions are graded,
with one worker process per core. Goal: 200 submissions in at most 2 minutes on a 2-core machine.

    python benchmarks/grade_class.py [--count 200] [--timeout 10]
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = ROOT / "examples" / "assignment"
# the endless one is added once, by hand; the rest cycle
CYCLE = sorted(p.name for p in ASSIGNMENT.glob("*.py") if p.name.startswith(("solution", "wrong_")))
CYCLE.remove("wrong_endless.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        shutil.copy(ASSIGNMENT / "solution.py", folder / "solution.py")  # the wrong ones import from it
        shutil.copy(ASSIGNMENT / "wrong_endless.py", folder / "student_000.py")
        for i in range(1, args.count - 1):
            shutil.copy(ASSIGNMENT / CYCLE[i % len(CYCLE)], folder / f"student_{i:03d}.py")
        sheet = Path(tmp) / "scores.csv"
        command = [sys.executable, "-m", "linclass.testing", "grade", str(folder), "--layout", "columns",
                   "--penalty", "any", "--timeout", str(args.timeout), "--csv", str(sheet),
                   "--no-progress"]  # fmt: skip
        start = time.monotonic()
        r = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.monotonic() - start
        rows = list(csv.DictReader(sheet.open(newline=""))) if sheet.exists() else []
    print(r.stderr.strip())
    print(f"{args.count} submissions, {len(rows)} rows, {os.cpu_count()} cores:"
          f" {seconds:.1f} s wall time (goal <= 120 s)")  # fmt: skip


if __name__ == "__main__":
    main()
