"""What the two extra views draw, computed from one ``Frame``: the loss over one weight row's plane,
and the probabilities as points of a triangle. NumPy only; the figures draw these arrays as they are.

Both draw the frame every other panel draws. The landscape is the loss of the step the frame
shows (its own samples, its own lambda) over (w_m1, w_m2) with the other rows as they were before
that step, so its arrow -gamma * grad is exactly the step's change of w_m and crosses the contours
at right angles. The simplex shows p of every point in the state on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import objective as kernel
from ..core.landscape import landscape_window, row_landscape
from ..core.losses.softmax import probabilities
from ..core.simplex import CORNERS, pick_three, simplex_coords, simplex_regions
from .frame import PREVIEW, Frame
from .view import shown_pair

__all__ = ["Landscape", "Simplex", "default_row", "grid_size", "landscape", "simplex", "GRID"]

GRID = 100  # grid values per axis of the landscape
MIN_GRID = 40  # ... and at the least, for a full batch of thousands of points
WORK = 6_000_000  # grid points x samples x classes a landscape may cost (the kernel's scores): ~0.1 s


def grid_size(n_samples: int, n: int = GRID, n_classes: int = 3) -> int:
    """Grid values per axis for a step on ``n_samples``: ``n``, fewer when the step has so many
    samples that n x n x n_samples x n_classes would exceed WORK (a batch's loss is smooth: 40 still
    draws it)."""
    return int(max(min(MIN_GRID, n), min(n, np.sqrt(WORK / max(n_samples * n_classes, 1)))))


@dataclass(frozen=True, eq=False)
class Landscape:
    """The loss of the frame's step over the plane of row m; Z[j, i] is at (w1s[i], w2s[j])."""

    m: int
    w1s: np.ndarray  # (n,)
    w2s: np.ndarray  # (n,)
    Z: np.ndarray  # (n, n)
    w: np.ndarray  # (2,) w_m before the step
    step: np.ndarray  # (2,) w_m after - before = -lr * grad_{w_m}: the arrow
    path: np.ndarray  # (T, 2) w_m at every kept state so far, oldest first, ending at w
    x: np.ndarray | None  # (2,) the single sample x_i of a single-sample step, else None


@dataclass(frozen=True, eq=False)
class Simplex:
    """p of the points as dots of the triangle whose corners e_1, e_2, e_3 are ``classes``."""

    classes: tuple[int, int, int]  # the class at each corner
    renormalised: bool  # K > 3: p over the three classes only, renormalised to sum to 1
    index: np.ndarray  # (n,) the samples drawn: those of the three classes
    labels: np.ndarray  # (n,) their classes (the dots' colours)
    probs: np.ndarray  # (n, 3) their p over the three classes
    dots: np.ndarray  # (n, 2) where they are drawn
    sample: int | None  # the frame's sample, whose trajectory is drawn
    trajectory: np.ndarray  # (T, 2) its p over the kept states so far, oldest first, ending on screen
    regions: list[np.ndarray]  # three (4, 2) polygons: where each corner's class has the largest p

    @property
    def corners(self) -> np.ndarray:
        """e_1, e_2, e_3 on the plane, (3, 2)."""
        return CORNERS


def _history(frame: Frame, upto_shown: bool):
    """The kept weights (W (T, K, D), b (T, K) or None), oldest first; with ``upto_shown`` they end
    at the state on screen, else at the weights before the frame's step."""
    st = frame.explorer.state
    snaps = [s for s in st.history if s.W.shape == st.W.shape and (s.b is None) == (st.b is None)]
    Ws = [s.W for s in snaps]
    bs = [s.b for s in snaps]
    if upto_shown or frame.kind == PREVIEW:  # on a preview the state on screen is the one before the step
        Ws.append(st.W)
        bs.append(st.b)
    W = np.array(Ws, dtype=float).reshape(-1, *st.W.shape)
    return W, (None if st.b is None else np.array(bs, dtype=float).reshape(len(W), -1))


def default_row(frame: Frame) -> int:
    """The row the landscape shows unless one is picked: the true class of the frame's sample."""
    ex = frame.explorer
    i = frame.focus if frame.focus is not None else ex.current
    return 0 if i is None else int(ex.y[i])


def landscape(frame: Frame, m: int, n: int = GRID, pair: str = "x1,x2") -> Landscape | None:
    """Row m's landscape for the frame's step on a grid of up to n x n (``grid_size``), over the
    row's entries of the pair of features (``view.shown_pair``); None when the frame has no step to
    show or the model has one feature only (no plane of two entries)."""
    rec, ex = frame.record, frame.explorer
    names = shown_pair(ex.features, pair)
    if rec is None or names[1] is None:
        return None
    cols = [ex.features.index(f) for f in names]
    K = ex.n_classes
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or not 0 <= m < K:
        raise ValueError(f"m must be a row index in [0, {K}), got {m!r}")
    W, b = rec.W_before, rec.b_before
    path = _history(frame, upto_shown=False)[0][:, m, cols]  # (T, 2)
    step = rec.W_after[m, cols] - W[m, cols]
    idx = np.asarray(rec.indices)
    w1s, w2s = landscape_window(W[:, cols], m, path, step, n=grid_size(len(idx), n, K))
    Z = row_landscape(W, b, ex.Phi[idx], ex.y[idx], m, w1s, w2s, reg=rec.reg, loss=rec.objective, delta=rec.delta,
                      penalty=rec.penalty, cols=cols)  # fmt: skip
    x = ex.Phi[idx[0]][cols].copy() if rec.mode == "sample" else None
    return Landscape(m, w1s, w2s, Z, W[m, cols].copy(), step, path, x)


def simplex(frame: Frame, classes=(0, 1, 2)) -> Simplex:
    """p of the points in the state on screen, over three classes (ValueError unless K >= 3 and
    ``classes`` are three distinct classes)."""
    ex = frame.explorer
    st = ex.state
    K = ex.n_classes
    if K < 3:
        raise ValueError(f"the probability simplex needs at least 3 classes, there are {K}")
    P = pick_three(probabilities(kernel.scores(st.W, st.b, ex.Phi)).reshape(-1, K), classes)  # checks classes (N, 3)
    pick = np.asarray(classes)
    index = np.flatnonzero(np.isin(ex.y, pick))  # the points whose target is a corner
    sample = frame.focus if frame.focus is not None else ex.current
    trajectory = np.zeros((0, 2))
    if sample is not None:
        Ws, bs = _history(frame, upto_shown=True)
        f = kernel.scores(Ws, bs, ex.Phi[sample])  # its scores at every kept state            (T, K)
        trajectory = simplex_coords(pick_three(probabilities(f), pick))
    return Simplex(
        classes=tuple(int(c) for c in pick), renormalised=K > 3, index=index, labels=ex.y[index], probs=P[index],
        dots=simplex_coords(P[index]), sample=sample, trajectory=trajectory, regions=simplex_regions(),
    )  # fmt: skip
