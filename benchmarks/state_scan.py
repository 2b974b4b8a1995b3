"""How long a state file's scan before parsing takes on the inputs that once took minutes.

    python benchmarks/state_scan.py

A string pattern that could fail restarted at every later quote, so these inputs were quadratic.
Prints the time of parse_state (which refuses each with a StateFileError) for each input at two sizes:
a linear scan takes about four times as long on four times the input. (tests/session/test_statefile.py
checks that each is refused; how fast is measured here, not asserted in a test.)
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linclass.session.statefile import StateFileError, parse_state  # noqa: E402

INPUTS = {
    "escaped quotes": lambda n: '"' + '\\"' * n,
    "escapes left open": lambda n: '"a\\' * n,
    "nested brackets": lambda n: "[" * (10 * n),
}


def seconds(data: str) -> float:
    """The best of three runs."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            parse_state(data)
        except StateFileError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    for name, make in INPUTS.items():
        small, large = seconds(make(200_000)), seconds(make(800_000))
        print(f"{name}: {small * 1000:.1f} ms at n = 200,000, {large * 1000:.1f} ms at 800,000 ({large / small:.1f}x)")


if __name__ == "__main__":
    main()
