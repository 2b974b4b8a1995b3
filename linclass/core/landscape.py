"""The loss over the plane of one weight row w_m = (w_m1, w_m2), the other rows held fixed.

Only the score f_m = w_m . x + b_m moves when w_m does, and it moves linearly, so each sample's
loss is a fixed 1-D function phi of one affine function of (w_m1, w_m2, 1):

  softmax, with A_i = log sum_{k != m} e^{f_ik} (the others' log-sum-exp, computed once):
      y_i != m:  L_i = A_i - f_{i,y_i} + softplus(g_i - A_i)          g_i = w_m . x_i + b_m
      y_i  = m:  L_i = softplus(A_i - g_i)
  hinge (Weston & Watkins, margin delta):
      y_i != m:  L_i = sum_{k != y_i, m} max(0, f_ik - f_{i,y_i} + delta) + max(0, g_i - f_{i,y_i} + delta)
      y_i  = m:  L_i = sum_{k != m} max(0, f_ik + delta - g_i)        (K - 1 terms)

So the mean loss over the grid is a constant plus sum_v phi(a_v . (w1, w2, 1)) over "terms" v
(one per sample for softmax; for hinge one per sample of another class and K - 1 per sample of
class m): a (grid x terms) matrix product and one elementwise pass, done in blocks so memory
stays bounded however many points and grid values there are. The L2 term, when reg > 0, is
1/2 * reg * ||W||^2 with row m replaced, as in ``loss_and_grad``.
"""

from __future__ import annotations

import numpy as np

from .hinge import _delta, objective
from .model import _raise_nonfinite
from .model import check_data as _check

__all__ = ["row_landscape", "landscape_window"]

# Grid points x terms per block: 64k float64 (512 KiB) keeps the working arrays in cache.
BUDGET = 1 << 16
TERMS_BLOCK = 4096  # terms per block, so a block holds at least BUDGET // TERMS_BLOCK grid points


def _softplus(t, tmp):
    """log(1 + e^t) in place of t, without overflow: max(t, 0) + log1p(e^-|t|)."""
    np.abs(t, out=tmp)
    np.negative(tmp, out=tmp)
    np.exp(tmp, out=tmp)
    np.log1p(tmp, out=tmp)
    np.maximum(t, 0.0, out=t)
    t += tmp


def _relu(t, tmp):
    np.maximum(t, 0.0, out=t)


def _softmax_terms(f, X, y, m, bm):
    """(const, terms (N, 3)) of the softmax data term as a function of row m (module docstring)."""
    others = np.delete(f, m, axis=1)  # the fixed scores                      (N, K-1)
    top = others.max(axis=1)
    A = top + np.log(np.exp(others - top[:, None]).sum(axis=1))  # their log-sum-exp  (N,)
    own = y == m
    const = np.sum(A[~own] - f[~own, y[~own]])
    sign = np.where(own, -1.0, 1.0)[:, None]  # softplus(A - g) for class m, softplus(g - A) otherwise
    return const, sign * np.column_stack([X, bm - A])  # g - A = (x, b_m - A) . (w1, w2, 1)


def _hinge_terms(f, X, y, m, bm, delta):
    """(const, terms (T, 3)) of the hinge data term as a function of row m (module docstring)."""
    rows = np.arange(len(y))
    own = y == m
    margin = f - f[rows, y][:, None] + delta  # f_k - f_y + delta                 (N, K)
    margin[rows, y] = 0.0
    margin[:, m] = 0.0  # row m's margin is the moving one
    const = np.maximum(margin[~own], 0.0).sum()
    # y != m: max(0, g - f_y + delta), one term per sample
    moving = np.column_stack([X, bm - f[rows, y] + delta])[~own]
    # y = m: max(0, f_k + delta - g), one term per other class k
    fixed = np.delete(f[own], m, axis=1) + delta - bm  # (n_own, K-1)
    K1 = fixed.shape[1]
    own_terms = np.column_stack([np.repeat(-X[own], K1, axis=0), fixed.ravel()])
    return const, np.concatenate([moving, own_terms])


def _sum_phi(P, terms, phi):
    """sum_v phi(P @ terms[v]) for each grid point, shape (G,), in blocks of about BUDGET."""
    G, V = P.shape[0], terms.shape[0]
    out = np.zeros(G)
    if V == 0:
        return out
    vb = min(V, TERMS_BLOCK)
    gb = max(1, BUDGET // vb)
    buf, tmp = np.empty(gb * vb), np.empty(gb * vb)
    for v0 in range(0, V, vb):
        tv = terms[v0 : v0 + vb].T  # (3, nv)
        for g0 in range(0, G, gb):
            pg = P[g0 : g0 + gb]
            t = buf[: pg.shape[0] * tv.shape[1]].reshape(pg.shape[0], tv.shape[1])
            np.matmul(pg, tv, out=t)  # the moving argument of phi          (ng, nv)
            phi(t, tmp[: t.size].reshape(t.shape))
            out[g0 : g0 + gb] += t.sum(axis=1)
    return out


def _axis(values, name: str) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be a non-empty 1-D array of finite numbers, got shape {a.shape}")
    return a


def _row(m, K: int) -> int:
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (int, np.integer)) or not 0 <= m < K:
        raise ValueError(f"m must be a row index in [0, {K}), got {m!r}")
    return int(m)


def _data_term(W, b, X, y, m, P, loss, delta):
    """The mean loss over the samples at each grid point of P (G, 3); see the module docstring."""
    f = X @ W.T if b is None else X @ W.T + b  # scores; column m is replaced   (N, K)
    bm = 0.0 if b is None else b[m]
    if loss == "softmax":
        const, terms = _softmax_terms(f, X, y, m, bm)
        return (_sum_phi(P, terms, _softplus) + const) / X.shape[0]
    const, terms = _hinge_terms(f, X, y, m, bm, delta)
    return (_sum_phi(P, terms, _relu) + const) / X.shape[0]


def row_landscape(W, b, X, y, m, w1s, w2s, reg: float = 0.0, loss: str = "softmax", delta: float = 1.0):
    """The loss with row m of W replaced by (w1s[i], w2s[j]), as Z (len(w2s), len(w1s)).

    Z[j, i] equals ``objective(loss)(W', b, X, y, reg)[0]`` where W' is W with row m set to
    (w1s[i], w2s[j]). Pass the step's samples as (X, y): one sample gives its L_i, a mini-batch
    its mean loss, all samples the full objective; ``reg`` is the L2 strength the step used.
    ``loss`` is "softmax" or "hinge" (with margin ``delta``). W must be (K, 2).
    """
    objective(loss)  # the same names and the same error as the training switch
    delta = _delta(delta)
    W, b, X, y = _check(W, b, X, y)
    K, D = W.shape
    if D != 2:
        raise ValueError(f"the landscape is drawn over (w_m1, w_m2): W must be (K, 2), got {W.shape}")
    m = _row(m, K)
    w1s, w2s = _axis(w1s, "w1s"), _axis(w2s, "w2s")
    P = np.column_stack([np.tile(w1s, len(w2s)), np.repeat(w2s, len(w1s)), np.ones(w1s.size * w2s.size)])
    Z = np.zeros(P.shape[0])  # grid points, w1 fastest                    (G,)
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, as loss_and_grad does
        if K > 1:  # with one class every loss is 0
            Z = _data_term(W, b, X, y, m, P, loss, delta)
        if reg:
            Z += 0.5 * reg * (np.sum(W * W) - W[m] @ W[m] + P[:, 0] ** 2 + P[:, 1] ** 2)
    if not np.all(np.isfinite(Z)):
        _raise_nonfinite(W, b, X, "the loss landscape")
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
