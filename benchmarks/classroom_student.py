"""One student of the classroom load test (benchmarks/classroom.py): a browser context running its script.

The lesson (issue 10): open a preset link, add 5 points, press Step 10 times, Play for a few
seconds, Pause, save the whole state. Each phase is a method; the load test runs one phase for
every student at once and measures the server around it.

Answer times come from the page's own clock (performance.now): a recorder in the page notes the
moment of each press (pointerdown) and, from a MutationObserver on the plot component, each
moment Python's acknowledgement arrives (data-ack) and each frame is painted (data-painted-at)
with the status line it showed. An action is answered when Python has acknowledged its event and
a frame showing its result is on screen. The id a press's event will get is read at pointerdown
from the component's own state (the plane's ``data-sent``, the last event id it sent), so Play's "more" events
cannot be mistaken for the press's acknowledgement.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import defaultdict
from pathlib import Path

PLANE = "[data-testid='lc-view-plane']"
SAVE_LABEL = "Save the whole state (JSON)"
POINT_SPOTS = [(0.2, 0.3), (0.7, 0.25), (0.5, 0.5), (0.3, 0.75), (0.8, 0.7)]  # fractions of the plot box

RECORDER = """() => {
  const root = document.querySelector("[data-testid='lc-view-plane']");
  const rec = window.__lcRec = { down: 0, expect: 0, log: [] };
  document.addEventListener("pointerdown", () => {
    rec.down = performance.now();
    rec.expect = +(root.dataset.sent || 0) + 1;  // the id the press will get (data-sent: the last one sent)
    const status = root.querySelector(".lc-status");
    rec.shownAtDown = status ? status.textContent : "";  // Pause must stop on exactly this frame
  }, true);
  new MutationObserver((muts) => {
    const now = performance.now();
    for (const m of muts) {
      const status = root.querySelector(".lc-status");
      rec.log.push([now, m.attributeName, +(root.dataset.ack || 0), status ? status.textContent : ""]);
    }
    if (rec.log.length > 4000) rec.log.splice(0, 2000);
  }).observe(root, { attributes: true, attributeFilter: ["data-ack", "data-painted-at"] });
}"""

# [ack ms, shown ms] after the last press once both happened, else null. A frame "shows the
# result" when its status line has step >= minStep and exactly `points` points (either may be null).
ANSWERED = """([minStep, points, needPaint]) => {
  const r = window.__lcRec;
  let ack = null, shown = needPaint ? null : r.down;
  for (const [t, what, a, s] of r.log) {
    if (t < r.down) continue;
    if (ack === null && what === "data-ack" && a >= r.expect) ack = t;
    if (shown === null && what === "data-painted-at") {
      const step = s.match(/step (\\d+)/), pts = s.match(/(\\d+) points/);
      if ((minStep === null || (step && +step[1] >= minStep)) && (points === null || (pts && +pts[1] === points)))
        shown = t;
    }
  }
  return ack !== null && shown !== null ? [ack - r.down, shown - r.down] : null;
}"""


def parse_status(text: str) -> tuple[int | None, int | None]:
    """(step, points) from the status line, None where absent."""
    step, pts = re.search(r"step (\d+)", text), re.search(r"(\d+) points", text)
    return (int(step[1]) if step else None, int(pts[1]) if pts else None)


class Student:
    """One browser context on the app, its answer times, errors and lost-state findings."""

    def __init__(self, name: str, context, url: str, *, timeout_ms: float, think_s: float):
        self.name, self.context, self.url = name, context, url
        self.timeout_ms, self.think_s = timeout_ms, think_s
        self.page = None
        self.times: dict[str, list[float]] = defaultdict(list)  # action -> ms
        self.errors: dict[str, list[str]] = defaultdict(list)  # action -> messages
        self.page_errors: list[str] = []
        self.lost: list[str] = []  # what did not survive the lesson
        self.broken = False  # an action failed: later phases are skipped
        self.start_points = self.step = None
        self.play = {}  # frames computed by the server, frames painted per second
        self.paused_on = None  # the step on screen when Pause was pressed

    # ----- plumbing --------------------------------------------------------------------------------
    async def _guard(self, action: str, coro):
        """Run one action; a failure or timeout is counted under its name and stops this student."""
        if self.broken:
            self.errors[action].append("skipped: an earlier action failed")
            return None
        try:
            return await asyncio.wait_for(coro, self.timeout_ms / 1000 + 5)
        except Exception as err:  # noqa: BLE001 (every failure is a finding of the load test)
            self.errors[action].append(f"{type(err).__name__}: {str(err).splitlines()[0][:160]}")
            self.broken = True
            return None

    async def status(self) -> tuple[int | None, int | None]:
        return parse_status(await self.page.locator(f"{PLANE} .lc-status").text_content() or "")

    async def idle(self) -> None:
        """Python's script run is over and the plane is drawn (as tests/harness.py's wait_until_idle)."""
        await self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                                          timeout=self.timeout_ms)  # fmt: skip
        await self.page.wait_for_selector(f"{PLANE}[data-drawn]", timeout=self.timeout_ms)

    async def _press(self, press, *, min_step=None, points=None, paint=True) -> tuple[float, float]:
        """Press (an awaitable doing the click), then wait until answered: (ack ms, shown ms)."""
        await press
        got = await self.page.wait_for_function(ANSWERED, arg=[min_step, points, paint], polling=50,
                                                timeout=self.timeout_ms)  # fmt: skip
        return tuple(await got.json_value())

    def button(self, kind: str):
        return self.page.locator(f"[data-testid='lc-btn-{kind}']")

    # ----- the lesson's phases ---------------------------------------------------------------------
    async def open(self) -> None:
        async def go():
            self.page = await self.context.new_page()
            self.page.on("pageerror", lambda e: self.page_errors.append(str(e)[:200]))
            t0 = time.perf_counter()
            await self.page.goto(self.url, timeout=self.timeout_ms)
            await self.idle()
            self.times["open link"].append(1e3 * (time.perf_counter() - t0))
            await self.page.evaluate(RECORDER)
            self.step, self.start_points = await self.status()

        await self._guard("open link", go())

    async def add_points(self) -> None:
        async def one(i, fx, fy):
            box = await self.page.locator("[data-testid='lc-points'] .nsewdrag").first.bounding_box()
            spot = self.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
            ack, shown = await self._press(spot, points=self.start_points + i)
            self.times["add point"].append(max(ack, shown))

        for i, (fx, fy) in enumerate(POINT_SPOTS, start=1):
            await self._guard("add point", one(i, fx, fy))
            await asyncio.sleep(self.think_s)

    async def steps(self, n: int) -> None:
        async def one():
            ack, shown = await self._press(self.button("step1").click(), min_step=self.step + 1)
            self.times["Step: shown"].append(shown)  # the look-ahead paints before Python answers
            self.times["Step: answered"].append(max(ack, shown))
            self.step += 1

        for _ in range(n):
            await self._guard("Step: answered", one())
            await asyncio.sleep(self.think_s)

    async def play_and_pause(self, seconds: float) -> None:
        """Play for ``seconds``, then Pause. Notes the frames the server computed (each Play frame
        raises the session's rev by one; the Play and Pause presses one each) and the frames painted
        per second from 1 s after the press to 0.3 s before Pause."""
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def reading():
            root = self.page.locator(PLANE)
            return float(await root.get_attribute("data-rev") or 0), int(await root.get_attribute("data-drawn") or 0)

        async def play():
            rev0, _ = await reading()
            ack, shown = await self._press(self.button("play").click(), min_step=self.step + 1)
            self.times["Play: first frame"].append(max(ack, shown))
            marks = []
            for at in (1.0, seconds - 0.3):
                await asyncio.sleep(max(0.0, start + at - loop.time()))
                marks.append(await reading())
            self.play = {"rev0": rev0, "fps": (marks[1][1] - marks[0][1]) / (seconds - 1.3)}
            await asyncio.sleep(max(0.0, start + seconds - loop.time()))

        async def pause():
            ack, _ = await self._press(self.button("pause").click(), paint=False)
            self.times["Pause"].append(ack)
            self.paused_on = parse_status(await self.page.evaluate("() => window.__lcRec.shownAtDown"))[0]
            rev, _ = await reading()  # set with the acknowledgement of Pause, from the same answer
            self.play["frames"] = rev - self.play["rev0"] - 2

        await self._guard("Play: first frame", play())
        await self._guard("Pause", pause())

    async def save_and_check(self, points_added: int, steps_pressed: int) -> None:
        """Save the state; what the status line, the saved file and a reading 1 s later say must agree
        with what the lesson did."""

        async def check():
            await self.idle()
            await self.button("play").wait_for(timeout=self.timeout_ms)
            save = self.page.get_by_role("button", name=SAVE_LABEL)
            await save.wait_for(timeout=self.timeout_ms)
            step, points = await self.status()
            t0 = time.perf_counter()
            async with self.page.expect_download(timeout=self.timeout_ms) as info:
                await save.click()
            download = await info.value
            doc = json.loads(Path(await download.path()).read_text())
            self.times["Save (download)"].append(1e3 * (time.perf_counter() - t0))
            await asyncio.sleep(1.0)
            later = await self.status()
            self.lost += lost_state(self.start_points + points_added, steps_pressed, (step, points), doc, later)
            if self.paused_on is not None and step != self.paused_on:
                self.lost.append(f"Pause was pressed on step {self.paused_on}, the session stopped on step {step}")
            if await self.page.locator("[data-testid='stException']").count():
                self.lost.append("the page shows a Python exception")

        await self._guard("Save (download)", check())


def lost_state(points: int, min_step: int, shown: tuple, doc: dict, later: tuple) -> list[str]:
    """What differs between the lesson's expected result, the status line, the saved file and a
    second reading of the status line (empty when nothing was lost)."""
    step, n = shown
    lost = []
    if n != points:
        lost.append(f"status shows {n} points, the lesson made {points}")
    if step is None or step < min_step:
        lost.append(f"status shows step {step}, the lesson pressed Step {min_step} times before Play")
    if doc.get("step") != step:
        lost.append(f"saved file has step {doc.get('step')}, the status line {step}")
    saved_n = len(doc.get("points", {}).get("x", []))
    if saved_n != n:
        lost.append(f"saved file has {saved_n} points, the status line {n}")
    if later != shown:
        lost.append(f"1 s later the status line says step {later[0]}, {later[1]} points (was {step}, {n})")
    return lost
