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

Every function checks its arguments first (see ``checks``): a wrong shape, a non-finite input
or a label that is not a whole number in [0, K) is a ValueError that names the argument;
finite input whose scores overflow is a ``NonFiniteError``.
"""

from __future__ import annotations

import numpy as np

from .checks import labels, real, real_array, whole

__all__ = [
    "NonFiniteError",
    "softmax",
    "softmax_scores",
    "scores",
    "loss_and_grad",
    "loss_and_grad_unchecked",
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
    result is finite for any finite scores. Scores must be finite: NaN or an infinity raises
    ValueError. (An infinite score has no probability of its own: the limit it stands for
    depends on how it was reached, so it is refused rather than guessed.)
    """
    f = real_array(scores, "scores", None)
    if f.ndim == 0 or f.shape[-1] == 0:
        raise ValueError(f"softmax needs at least one class (scores of shape {f.shape})")
    with np.errstate(over="ignore"):  # f - max f may be -inf for scores 1e308 apart: e^-inf = 0 is right
        e = np.exp(f - f.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_scores(W, b, X) -> np.ndarray:
    """``softmax(scores(W, b, X))`` for arguments checked already (W, b of a ``TrainState``, X of
    an ``Explorer``): the same floats, without checking them again; NonFiniteError as ``scores``
    raises it if the scores overflow. For what is drawn many times a second (Play's frames)."""
    with np.errstate(over="ignore", invalid="ignore"):
        f = X @ W.T if b is None else X @ W.T + b  # (N, K), or (K,) for one sample
    if not np.all(np.isfinite(f)):
        raise NonFiniteError("the scores overflow (weights or coordinates too large)")
    with np.errstate(over="ignore"):
        e = np.exp(f - f.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _raise_nonfinite(W, b, X, what: str):
    """Inputs are checked finite on the way in, so a non-finite result means overflow."""
    raise NonFiniteError(f"{what} is not finite: the scores overflow (inputs too large)")


def check_model(W, b) -> tuple[np.ndarray, np.ndarray | None]:
    """W as a finite (K, D) float array with K, D >= 1, and b as a finite (K,) array or None."""
    W = real_array(W, "W", 2)
    if min(W.shape) < 1:
        raise ValueError(f"W needs at least one row (one class) and one column, got shape {W.shape}")
    if b is not None:
        b = real_array(b, "b", None)
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},) to match W, got {b.shape}")
    return W, b


def _samples(X, D: int, single: bool) -> np.ndarray:
    """X as finite samples (N, D), or with ``single`` also one sample (D,)."""
    X = real_array(X, "X", (1, 2) if single else 2)
    if X.shape[-1] != D:
        want = f"({D},) or (N, {D})" if single else f"(N, {D})"
        raise ValueError(f"X must have shape {want} to match W, got {X.shape}")
    return X


def scores(W: np.ndarray, b: np.ndarray | None, X: np.ndarray) -> np.ndarray:
    """f = X W^T + b, shape (N, K); a single sample x of shape (D,) gives shape (K,).

    ValueError for bad shapes or non-finite input, NonFiniteError if the scores overflow.
    """
    W, b = check_model(W, b)
    X = _samples(X, W.shape[1], single=True)
    with np.errstate(over="ignore", invalid="ignore"):
        f = X @ W.T if b is None else X @ W.T + b
    if not np.all(np.isfinite(f)):
        raise NonFiniteError("the scores overflow (weights or coordinates too large)")
    return f


def check_data(W, b, X, y, empty: str = "no samples: X is empty"):
    """(W, b, X, y) checked: W (K, D), b (K,) or None, X (N, D) with N >= 1, y (N,) intp in [0, K)."""
    W, b = check_model(W, b)
    X = _samples(X, W.shape[1], single=False)
    if X.shape[0] == 0:
        raise ValueError(empty)
    return W, b, X, labels(y, "y", X.shape[0], W.shape[0])


def _check_sample(W, b, x, y):
    W, b = check_model(W, b)
    x = real_array(x, "x", 1)
    if x.shape != (W.shape[1],):
        raise ValueError(f"x must be one sample of shape ({W.shape[1]},) to match W, got {x.shape}")
    return W, b, x, whole(y, "y", 0, W.shape[0] - 1)


def loss_and_grad(W, b, X, y, reg: float = 0.0):
    """Mean cross-entropy loss and its gradient; returns (loss, dW, db).

    See the module docstring for the formulas. ``b=None`` means no bias (f = W x), and then
    ``db`` is None. The loss uses log-sum-exp, -log p_y = log(sum_j e^(f_j - max f)) - (f_y - max f),
    so it stays exact when p_y itself would round to zero.

    ``y`` may have any integer dtype (int8 to uint64) or hold whole floats; booleans, fractions
    and labels outside [0, K) raise ValueError naming y, as bad shapes or non-finite W, b, X do.
    ``reg`` is a finite number >= 0.

    The rows are processed in blocks of ``BLOCK`` with preallocated buffers; each block is the
    few lines of the seed's derivation, done in place.
    """
    W, b, X, y = check_data(W, b, X, y)
    return loss_and_grad_unchecked(W, b, X, y, real(reg, "reg", what="L2 strength"))


def loss_and_grad_unchecked(W, b, X, y, reg: float):
    """``loss_and_grad`` on arguments already checked (``check_data``; reg a float >= 0): for a
    caller that checks once and then takes many steps (Play's chunks)."""
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
            at_y = yb * n + np.arange(n)  # flat positions of f[y_i, i]; y is intp, so no overflow
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
    return mean_with_penalty(total, dW, db, N, W, b, reg, "the loss or its gradient")


def mean_with_penalty(total: float, dW, db, N: int, W, b, reg: float, what: str):
    """(loss, dW, db) from sums over N samples: the means, plus 1/2 reg ||W||^2 and its gradient
    reg W; NonFiniteError naming ``what`` if anything overflowed. ``db`` is None without a bias.
    Every loss of the package ends here (softmax, hinge), so they share one convention."""
    with np.errstate(over="ignore", invalid="ignore"):
        loss = total / N
        dW /= N
        db /= N
        if reg:
            loss += 0.5 * reg * float(np.sum(W * W))
            dW += reg * W
    if not (np.isfinite(loss) and np.all(np.isfinite(dW)) and np.all(np.isfinite(db))):
        raise NonFiniteError(f"{what} is not finite: the scores overflow (inputs too large)")
    return float(loss), dW, (db if b is not None else None)


def sample_grad(W, b, x, y: int):
    """The seed's gradient for one sample (x, y); returns (dW, db).

    Row m of dW is p_m x for m != y and (p_y - 1) x for m = y: every row is a multiple of x,
    and the multiples p - e_y sum to zero. ``db = p - e_y``, or None without a bias.
    ``x`` has shape (D,); ``y`` is a whole number in [0, K) (a bool or 1.0 is refused).
    """
    W, b, x, y = _check_sample(W, b, x, y)
    with np.errstate(over="ignore", invalid="ignore"):
        f = W @ x if b is None else W @ x + b  # f_m = w_m . x          (K,)
        e = np.exp(f - f.max())
        p = e / e.sum()  # p = softmax(f)                 (K,)
        p[y] -= 1.0  # p - e_y
        dW = np.multiply.outer(p, x)  # row m: (p_m - 1[m = y]) x  (K, D)
    if not np.all(np.isfinite(dW)):
        raise NonFiniteError("the sample gradient is not finite: the scores overflow (inputs too large)")
    return dW, (p if b is not None else None)


def sample_loss(W, b, x, y: int) -> float:
    """L_i = -log p_y for one sample, by log-sum-exp; the arguments are checked as in ``sample_grad``."""
    W, b, x, y = _check_sample(W, b, x, y)
    with np.errstate(over="ignore", invalid="ignore"):
        f = W @ x if b is None else W @ x + b  # (K,)
        m = f.max()
        loss = float(np.log(np.exp(f - m).sum()) - (f[y] - m))
    if not np.isfinite(loss):
        raise NonFiniteError("the sample loss is not finite: the scores overflow (inputs too large)")
    return loss
