"""The loss over the plane of one weight row w_m = (w_m1, w_m2), the other rows held fixed (with
features, the plane of two of the row's entries, ``cols``, the others held fixed too).

Each grid point is a weight matrix, W with row m replaced by the point, and its loss is the one
kernel's (``core.objective``) for the loss in force, its margin and L2 term: the grid's matrices
are stacked like Play's states, so the landscape cannot draw another loss than the one a step
takes. The grid is evaluated in slices of points so memory stays bounded.
"""

from __future__ import annotations

import numpy as np

from . import objective as kernel
from .checks import l2_strength, margin, penalty_convention
from .losses import loss_named
from .model import NonFiniteError
from .model import check_data as _check

__all__ = ["row_landscape", "landscape_window"]

CELLS = 125_000  # grid points x classes x samples held at once: about 1 MB (twice that in temporaries)


def _axis(values, name: str) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be a non-empty 1-D array of finite numbers, got shape {a.shape}")
    return a


def _row(m, K: int) -> int:
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or not 0 <= m < K:
        raise ValueError(f"m must be a row index in [0, {K}), got {m!r}")
    return int(m)


def row_landscape(W, b, X, y, m, w1s, w2s, reg: float = 0.0, loss: str = "softmax", delta: float = 1.0,
                  penalty: str = "half", cols=(0, 1)):  # fmt: skip
    """The loss with row m of W replaced by (w1s[i], w2s[j]), as Z (len(w2s), len(w1s)).

    Z[j, i] equals ``loss_and_grad(W', b, X, y, reg, loss=loss, delta=delta, penalty=penalty)[0]``
    where W' is W with row m set to (w1s[i], w2s[j]). Pass the step's samples as (X, y): one sample
    gives its L_i, a mini-batch its mean loss, all samples the full objective; ``reg`` is the L2
    strength the step used. W is (K, D); ``cols`` are the two columns of row m the grid sets (the
    first two by default; with features, the pair of features the landscape is drawn over).
    """
    loss_named(loss)
    delta, reg, penalty = margin(delta), l2_strength(reg), penalty_convention(penalty)
    W, b, X, y = _check(W, b, X, y)
    K, D = W.shape
    cols = [int(c) for c in cols]
    if len(cols) != 2 or cols[0] == cols[1] or not all(0 <= c < D for c in cols):
        raise ValueError(f"cols must be two different columns of W (K, {D}), got {cols!r}")
    m = _row(m, K)
    w1s, w2s = _axis(w1s, "w1s"), _axis(w2s, "w2s")
    rows = np.column_stack([np.tile(w1s, len(w2s)), np.repeat(w2s, len(w1s))])  # w1 fastest  (G, 2)
    at = (slice(None), m, cols)
    Z = np.empty(len(rows))
    per = max(1, CELLS // (K * len(y)))  # grid points a slice
    for lo in range(0, len(rows), per):
        Ws = np.repeat(W[None], len(rows[lo : lo + per]), axis=0)  # (g, K, D)
        Ws[at] = rows[lo : lo + per]
        o = kernel.objective(loss, Ws, None if b is None else np.broadcast_to(b, (len(Ws), K)), X, y, reg=reg,
                             penalty_convention=penalty, delta=delta, grad=False)  # fmt: skip
        if not np.all(o.finite):
            raise NonFiniteError("the loss landscape is not finite: the scores overflow (inputs too large)")
        Z[lo : lo + per] = o.loss
    return Z.reshape(w2s.size, w1s.size)


def landscape_window(W, m, path=None, step=None, n: int = 100, margin: float = 0.15, min_half: float = 1.0):
    """Grid values (w1s, w2s), n each, of a square window around row m's whereabouts.

    The window holds the current w_m = W[m], the path (T, 2) of w_m so far and the tip
    w_m + step of this step's arrow (``step`` (2,) is the change of row m), with ``margin`` of the
    window's width spare on each side. It is square, so contours meet the gradient at right
    angles on screen, and at least 2 * ``min_half`` wide, so a still row shows its surroundings.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[1] != 2:
        raise ValueError(f"W must have shape (K, 2), got {W.shape}")
    m = _row(m, W.shape[0])
    path = np.empty((0, 2)) if path is None else np.asarray(path, dtype=float)
    step = np.zeros(2) if step is None else np.asarray(step, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or step.shape != (2,):
        raise ValueError(f"path must have shape (T, 2) and step (2,), got {path.shape} and {step.shape}")
    pts = np.vstack([W[m], path, W[m] + step])
    if not np.all(np.isfinite(pts)):
        raise ValueError("W, path and step must be finite")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be a whole number >= 2, got {n!r}")
    if not (0 <= margin < np.inf and 0 < min_half < np.inf):
        raise ValueError(f"margin must be >= 0 and min_half > 0, got {margin!r}, {min_half!r}")
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = (lo + hi) / 2
    span = float((hi - lo).max())
    half = max(span / 2 + margin * span, min_half)
    return (np.linspace(centre[0] - half, centre[0] + half, n), np.linspace(centre[1] - half, centre[1] + half, n))
