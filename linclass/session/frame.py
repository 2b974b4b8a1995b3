"""One moment on screen: a step, with everything every panel needs to draw it.

A frame is either "the step just taken" (the state after it is on screen, the record says what it
did) or "the next step" (a preview: the state on screen is the one before it, and the record is
the step Step would take). Both carry the same ``StepRecord``, so the bars, the arrows and their
labels, the math, the weights table and the status line all describe one step on one sample
(``focus``) and can say which moment they show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..core import objective as kernel
from ..core.losses.softmax import probabilities
from ..core.train import StepRecord
from .explorer import Explorer

__all__ = ["Chunk", "Frame", "TAKEN", "PREVIEW", "IDLE"]

TAKEN = "taken"  # the step just taken: before -> after, the state after is on screen
PREVIEW = "preview"  # the next step: the state before is on screen
IDLE = "idle"  # no step to show: no points, or the next step would overflow


@dataclass(frozen=True, eq=False)
class Chunk:
    """The explorers of one Play chunk, frame by frame, and what is computed once for all of its
    frames (``once``): the views of a chunk are made one frame after another, but what NumPy can
    compute for every frame in one go (the regions, the shading) costs a fraction of that there."""

    explorers: tuple[Explorer, ...]
    memo: dict = field(default_factory=dict, repr=False)

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.explorers[0].bounds()  # the frames share their points, so their view

    def once(self, key, make):
        """``make()``, made the first time ``key`` is asked for and kept for the chunk's frames."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


@dataclass(frozen=True, eq=False)
class Frame:
    kind: str
    explorer: Explorer  # the state on screen
    record: StepRecord | None  # the step shown (None when idle)
    focus: int | None  # the sample the bars and the math describe
    by_click: bool = False  # the step's sample is the one the user selected
    refused: str = ""  # why there is no next step (idle with points)
    chunk: Chunk | None = None  # the Play chunk this frame is part of (its ``index``-th)
    index: int = 0

    @property
    def moment(self) -> str:
        """What this frame shows, in words, for every panel's caption."""
        if self.kind == TAKEN:
            n = self.explorer.state.step  # a ×10 press shows the last of its steps
            return f"the step just taken (step {n - 1} → {n})"
        if self.kind == PREVIEW:
            return f"the next step (preview, from step {self.explorer.state.step})"
        return f"step {self.explorer.state.step}"

    # ----- the step's samples and their probabilities -------------------------------------
    @property
    def indices(self) -> np.ndarray:
        return np.zeros(0, np.intp) if self.record is None else np.asarray(self.record.indices)

    # The weights (of a state or a step) and the points (of an explorer) were checked when they
    # were made: the probabilities below skip checking them again (``_probs``).
    @cached_property
    def probs_before(self) -> np.ndarray:
        """p of each of the step's samples under the weights before it, (B, K)."""
        r = self.record
        return _probs(r.W_before, r.b_before, self.explorer.Phi[self.indices])

    @cached_property
    def probs_after(self) -> np.ndarray:
        """p of each of the step's samples under the weights after it, (B, K)."""
        r = self.record
        return _probs(r.W_after, r.b_after, self.explorer.Phi[self.indices])

    def p_focus(self, which: str) -> np.ndarray | None:
        """p of the focus sample "before" or "after" the step (None without a step or a focus)."""
        r = self.record
        if r is None or self.focus is None:
            return None
        if r.focus == self.focus and r.p_before is not None:  # the step computed it: the same floats
            return r.p_before if which == "before" else r.p_after
        W, b = (r.W_before, r.b_before) if which == "before" else (r.W_after, r.b_after)
        return _probs(W, b, self.explorer.Phi[self.focus])

    @property
    def p_shown(self) -> np.ndarray | None:
        """The bars: p of the focus sample in the state on screen."""
        if self.focus is None:
            return None
        if self.record is None:
            st = self.explorer.state
            return _probs(st.W, st.b, self.explorer.Phi[self.focus])
        return self.p_focus("after" if self.kind == TAKEN else "before")

    @property
    def p_ghost(self) -> np.ndarray | None:
        """The ghost bars: p of the focus sample before the step just taken (only for a taken step)."""
        return self.p_focus("before") if self.kind == TAKEN else None


def _probs(W, b, X) -> np.ndarray:
    """softmax of the kernel's scores (checked weights and points; finite scores)."""
    return probabilities(kernel.scores(W, b, X))
