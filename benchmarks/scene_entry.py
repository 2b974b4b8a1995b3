"""How long entering a lesson's scene takes in the model, beside one Step (issue 23: "as fast as a Step").

    python benchmarks/scene_entry.py [REPEATS]

For each scene of the built-in lesson ``softmax``: the median time of ``Session.enter`` (the
scene's setup and its presses, run in the model as PageDown runs them) over REPEATS runs, and for
scale the median time of one Step on that scene's moment. Python's side only: the page adds the
same rerun and paint after either.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linclass.session.lesson import find  # noqa: E402
from linclass.session.session import Session  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main(repeats: int = 7) -> None:
    lesson = find("softmax")
    viewer = Session.start({"present": "1"})
    print(f"lesson {lesson.name!r}, {len(lesson)} scenes; median of {repeats} runs, Python's side")
    for k, scene in enumerate(lesson.scenes, start=1):
        entered = viewer.enter(lesson, k)
        enter_ms = median_ms(lambda k=k: viewer.enter(lesson, k), repeats)
        step_ms = median_ms(lambda s=entered: s.step(1), repeats)
        print(
            f"scene {k:2d} {scene.title[:34]:34s} enter {enter_ms:7.1f} ms   one Step there {step_ms:6.1f} ms   "
            f"presses: {', '.join(scene.presses) or 'none'}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
