"""The session's side of the browser protocol, and Play: a mixin of ``Session``.

The browser sends every press and click as an event with an id that only grows; all the events
Python has not acknowledged travel together, so none is lost however fast they come, and
``apply_events`` applies each id once, in order, and acknowledges the last. Play computes frames
ahead of the screen in chunks (``more``); Pause rewinds to the frame the browser shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Self

from ..core.checks import real
from .boundary import safely
from .frame import TAKEN, Chunk, Frame

__all__ = ["BrowserEvents", "PLAY_CHUNK", "PLAY_FIRST", "PLAY_KEEP", "index_of"]

PLAY_KEEP = 2  # Play chunks kept for Pause to rewind to (the browser plays at most one and a half ahead)
PLAY_FIRST = 12  # the first chunk after Play is short, so the first frame comes quickly
PLAY_CHUNK = 192  # Play frames computed per round trip: about 6 s of frames (a rerun costs more than 20 frames)
RECENT_EPOCHS = 8  # the views (epochs) whose last event id is kept, so an old view's re-sent presses apply once


class BrowserEvents:
    """Play and the browser's events, for ``Session`` (which has the fields and actions used here)."""

    # ----- Play ------------------------------------------------------------------------------
    def play(self) -> Self:
        if self.explorer.n_points == 0:
            raise ValueError("there are no points to train on yet: click on the plane to add some")
        return self._new(playing=True, buffer=())

    def more(self, count: int, shown: float | None = None) -> tuple[Self, list[tuple[int, Frame]]]:
        """Play: the next ``count`` frames (each ``per_frame`` steps), as (rev, frame); the session
        moves to the last. Stops early, and stops playing, at a refused step. ``shown``: the rev
        the browser shows; every frame from it on is kept for Pause (a slow page may be chunks
        behind), else the last PLAY_KEEP chunks."""
        if not self.playing or count < 1:
            return self, []
        if self.explorer.n_points == 0:
            raise ValueError("there are no points yet: click on the plane to add some, or load a preset")
        # All the chunk's steps at once: what ``count`` presses of Step (per_frame steps each) give.
        done, err = self.explorer.step_frames(self.optimizer(), self.settings.per_frame, count,
                                              selected=self.by_click)  # fmt: skip
        frames, buffer, chunk = [], list(self.buffer), Chunk(tuple(done))
        for i, ex in enumerate(done):
            frame = Frame(TAKEN, ex, ex.last, self._focus(ex.last), self.by_click, chunk=chunk, index=i)
            frames.append((self.rev + 1 + i, frame))
            buffer.append((self.rev + 1 + i, ex))
        sess = replace(self, explorer=done[-1], rev=self.rev + len(done), messages=()) if done else self
        if err is not None:  # the refused frame: as Step answers it, then Play stops
            nxt = sess._refused(err)
            if nxt.explorer.state.step > sess.explorer.state.step:
                frames.append((nxt.rev, nxt.frame))
            buffer.append((nxt.rev, nxt.explorer))
            sess = replace(nxt, playing=False)
        return replace(sess, buffer=_kept(buffer, PLAY_KEEP * count, shown)), frames

    def more_frames(self, count: int, shown: float | None = None) -> Self:
        """``more``, with the frames kept in ``chunk`` (after any made before) for the browser."""
        sess, frames = self.more(count, shown)
        return replace(sess, chunk=(*self.chunk, *frames))

    def pause(self, shown_rev: int | None = None) -> Self:
        """Stop playing on the frame the browser shows (its rev), so the numbers describe it."""
        ex = dict(self.buffer).get(shown_rev, self.explorer)
        return self._new(explorer=ex, playing=False, buffer=())

    # ----- the browser's events --------------------------------------------------------------
    def apply_events(self, value) -> Self:
        """Apply the browser's pending events ({"epoch", "events": [{"id", "kind", ...}]}) whose
        id is above the last one applied, oldest first, each once; acknowledge the last."""
        if not isinstance(value, Mapping) or not isinstance(value.get("events"), list):
            return self
        epoch = value.get("epoch")
        # Each epoch (a view of the page) counts its own events. A view that is built anew (presenter
        # mode changes the layout) gets a new epoch while the old one may still re-send what it has
        # not seen acknowledged: the last ids of recent epochs are kept, so its presses are not
        # applied twice (the review: three Spaces after Presenter made 4 to 9 steps). A new page counts afresh.
        known = dict(self.acks) if isinstance(epoch, (int, float, str)) else {}
        if self.ack[0] is not None and isinstance(self.ack[0], (int, float, str)):
            known[self.ack[0]] = self.ack[1]
        done = known.get(epoch, 0) if isinstance(epoch, (int, float, str)) else 0
        sess, said, applied = replace(self, chunk=()), [], False
        for ev in value["events"]:
            eid = ev.get("id") if isinstance(ev, Mapping) else None
            if not isinstance(eid, int) or eid <= done:
                continue
            done, applied = eid, True
            sess = safely(sess, lambda s, ev=ev: s._event(ev))
            said += sess.messages
        # Events sent again (the page re-sends what it has not seen acknowledged) are no new action:
        # the last action's messages stay.
        recent = tuple((e, i) for e, i in known.items() if e != epoch)[-(RECENT_EPOCHS - 1) :]
        return replace(sess, ack=(epoch, done), acks=(*recent, (epoch, done)),
                       messages=tuple(said) if applied else self.messages)  # fmt: skip

    def _present(self, on) -> Self:
        """The Presenter press: the mode the user asked for ("on"), so a press applied twice stays put."""
        if not isinstance(on, bool):
            raise ValueError(f"present: on must be true or false, got {on!r}")
        return self.set("present", on)

    def _event(self, ev: Mapping) -> Self:
        kind = ev.get("kind")
        if kind == "click":
            return self.click(*(float(ev[k]) for k in ("x", "y", "px", "py")))
        if kind == "step":
            return self.run(_count(ev.get("n", 1)))
        if kind == "pause":
            return self.pause(ev.get("rev"))
        if kind == "play":
            return self.play().more_frames(PLAY_FIRST)  # a short first chunk: Play answers at once
        if kind == "more":
            return self.more_frames(PLAY_CHUNK, _rev(ev.get("rev")))
        if kind == "tool":
            return self.set_tool(str(ev.get("tool")))
        if kind == "class":
            return self.set_active(ev.get("m"))
        if kind == "row":
            return self.set_row(ev.get("m"), ev.get("w"))
        if kind == "present":
            return self._present(ev.get("on", not self.settings.present))
        if kind == "scene":
            return self.to_scene(str(ev.get("to")))  # PageDown, PageUp, Home in a lesson
        if kind == "move":  # a point dragged with the Select tool, released
            return self.move(ev.get("i"), ev.get("x"), ev.get("y"), ev.get("from"))
        if kind == "select":
            return self.select(index_of(ev.get("i"), self.explorer.n_points))
        simple: dict[str, Callable[[], Self]] = {
            "back": self.back, "undo": self.undo, "redo": self.redo, "clear": self.clear,
        }  # fmt: skip
        if kind in simple:
            return simple[kind]()
        raise ValueError(f"unknown event {kind!r}")


PLAY_KEPT_MAX = 16 * PLAY_CHUNK  # however far behind a page is, Pause's memory stays bounded


def _kept(buffer: list, keep: int, shown: float | None) -> tuple:
    """The Play frames Pause may rewind to: from the one the browser shows (if it said), else the
    last ``keep``; never more than PLAY_KEPT_MAX."""
    if shown is not None:
        keep = max(keep, sum(1 for rev, _ in buffer if rev >= shown))
    return tuple(buffer[-min(keep, PLAY_KEPT_MAX) :])


def _rev(v) -> float | None:
    """A rev the browser reports, or None if it is not a finite number."""
    try:
        return real(v, "rev", lo=-math.inf)
    except ValueError:
        return None


def index_of(v, n: int) -> int:
    """``v`` as a point or class index below n; ValueError (never a bool) otherwise."""
    if isinstance(v, bool):
        raise ValueError(f"{v!r} is not a point index")
    try:
        i = int(v)
    except (TypeError, ValueError):
        raise ValueError(f"{v!r} is not a point index") from None
    if not 0 <= i < n:
        raise ValueError(f"there is no point {i} (there are {n})")
    return i


def _count(v) -> int:
    n = int(v)
    if not 1 <= n <= 1000:
        raise ValueError(f"cannot take {n} steps at once")
    return n
