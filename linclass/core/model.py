"""The linear softmax classifier: scores, probabilities, loss and gradients (NumPy only).

Conventions (used everywhere in linclass)
-----------------------------------------
N samples, D features, K classes.

    X       (N, D)  one sample per row
    y       (N,)    integer class labels in [0, K)
    W       (K, D)  one row w_m per class, so "one arrow per row" is literal
    b       (K,)    per-class bias, or None for the seed's bias-free f = W x
    scores  (N, K)  f = X W^T + b
    probs   (N, K)  p = softmax(f), row by row

The loss is the mean cross-entropy plus an L2 penalty in the 1/2 convention, on W only
(the bias is not penalised):

    loss = (1/N) sum_i -log p[i, y_i]  +  1/2 * reg * ||W||^2

and its gradient, the seed's derivation written for a batch:

    dscores[i, m] = p[i, m] - 1[m = y_i]          # (N, K); each row sums to zero
    dW = dscores^T X / N + reg * W                # row m: mean_i dscores[i, m] * x_i
    db = sum_i dscores[i] / N
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "NonFiniteError",
    "softmax",
    "scores",
    "loss_and_grad",
    "sample_grad",
    "sample_loss",
]

# Samples per block in the fast path: the (K, BLOCK) float64 buffer stays in L2 for small K.
BLOCK = 8192


class NonFiniteError(ArithmeticError):
    """A computation produced NaN or infinity from finite inputs (for example a huge step size)."""


def softmax(scores: np.ndarray) -> np.ndarray:
    """Softmax over the last axis; shape (..., K) in, same shape out, each row sums to 1.

    The max is subtracted first (softmax is shift invariant), so exp never overflows and the
    result is finite for any finite scores.
    """
    f = np.asarray(scores, dtype=float)
    if f.shape[-1:] == (0,):
        raise ValueError("softmax needs at least one class (last axis has length 0)")
    e = np.exp(f - f.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def scores(W: np.ndarray, b: np.ndarray | None, X: np.ndarray) -> np.ndarray:
    """f = X W^T + b, shape (N, K); a single sample x of shape (D,) gives shape (K,)."""
    f = np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T
    return f if b is None else f + b


def _check(W, b, X, y):
    W = np.asarray(W, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if W.ndim != 2:
        raise ValueError(f"W must have shape (K, D), got {W.shape}")
    K, D = W.shape
    if K < 1:
        raise ValueError("W needs at least one row (one class)")
    if X.ndim != 2 or X.shape[1] != D:
        raise ValueError(f"X must have shape (N, {D}) to match W {W.shape}, got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if X.shape[0] == 0:
        raise ValueError("no samples: X is empty")
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.intp)
        else:
            raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
    lo, hi = int(y.min()), int(y.max())
    if lo < 0 or hi >= K:
        raise ValueError(f"labels must lie in [0, {K}); found {lo if lo < 0 else hi}")
    if b is not None:
        b = np.asarray(b, dtype=float)
        if b.shape != (K,):
            raise ValueError(f"b must have shape ({K},) to match W, got {b.shape}")
    return W, b, X, y


def _raise_nonfinite(W, b, X, what):
    for name, arr in (("W", W), ("b", b), ("X", X)):
        if arr is not None and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or infinity")
    raise NonFiniteError(f"{what} is not finite: the scores overflow (inputs too large)")


def loss_and_grad(W, b, X, y, reg: float = 0.0):
    """Mean cross-entropy loss and its gradient; returns (loss, dW, db).

    See the module docstring for the formulas. ``b=None`` means no bias (f = W x), and then
    ``db`` is None. The loss uses log-sum-exp, -log p_y = log(sum_j e^(f_j - max f)) - (f_y - max f),
    so it stays exact when p_y itself would round to zero.

    The rows are processed in blocks of ``BLOCK`` with preallocated buffers; each block is the
    few lines of the seed's derivation, done in place.
    """
    W, b, X, y = _check(W, b, X, y)
    N = X.shape[0]
    K = W.shape[0]
    dW = np.zeros_like(W)  # (K, D)
    db = np.zeros(K)  # (K,)
    bcol = None if b is None else b[:, None]
    # Scores are kept transposed, (K, n): the reductions over classes then run across K long
    # contiguous rows, which NumPy vectorises, instead of along N short rows of length K.
    buf = np.empty(K * min(N, BLOCK))
    total = 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for start in range(0, N, BLOCK):
            xb, yb = X[start : start + BLOCK], y[start : start + BLOCK]
            n = xb.shape[0]
            f = buf[: K * n].reshape(K, n)  # f[m, i] = w_m . x_i             (K, n)
            at_y = yb * n + np.arange(n)  # flat positions of f[y_i, i]
            np.matmul(W, xb.T, out=f)
            if bcol is not None:
                f += bcol
            f -= f.max(axis=0)  # shift: softmax and the loss are unchanged
            total -= f.ravel()[at_y].sum()  # - (f_y - max f)
            np.exp(f, out=f)
            s = f.sum(axis=0)  # sum_j e^(f_j - max f)             (n,)
            total += np.log(s).sum()  # L_i = log s - (f_y - max f)
            f *= 1.0 / s  # p = softmax(f)                  (K, n)
            f.ravel()[at_y] -= 1.0  # dscores = p - e_y: p_m for m != y, p_y - 1 at y
            dW += f @ xb  # row m gains dscores[m, i] * x_i
            db += f.sum(axis=1)
        loss = total / N
        dW /= N
        db /= N
        if reg:
            loss += 0.5 * reg * float(np.sum(W * W))
            dW += reg * W
    if not (np.isfinite(loss) and np.all(np.isfinite(dW)) and np.all(np.isfinite(db))):
        _raise_nonfinite(W, b, X, "the loss or its gradient")
    return float(loss), dW, (db if b is not None else None)


def sample_grad(W, b, x, y: int):
    """The seed's gradient for one sample (x, y); returns (dW, db).

    Row m of dW is p_m x for m != y and (p_y - 1) x for m = y: every row is a multiple of x,
    and the multiples p - e_y sum to zero. ``db = p - e_y``, or None without a bias.
    """
    W = np.asarray(W, dtype=float)
    x = np.asarray(x, dtype=float)
    if not 0 <= y < W.shape[0]:
        raise ValueError(f"label {y} outside [0, {W.shape[0]})")
    f = W @ x if b is None else W @ x + b  # f_m = w_m . x          (K,)
    e = np.exp(f - f.max())
    p = e / e.sum()  # p = softmax(f)                 (K,)
    p[y] -= 1.0  # p - e_y
    dW = np.multiply.outer(p, x)  # row m: (p_m - 1[m = y]) x  (K, D)
    if not np.all(np.isfinite(dW)):
        _raise_nonfinite(W, b, x, "the sample gradient")
    return dW, (p if b is not None else None)


def sample_loss(W, b, x, y: int) -> float:
    """L_i = -log p_y for one sample, by log-sum-exp."""
    f = scores(W, b, np.asarray(x, dtype=float))
    m = f.max()
    return float(np.log(np.exp(f - m).sum()) - (f[y] - m))
