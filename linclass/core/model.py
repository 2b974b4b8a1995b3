"""The linear classifier's public functions: scores, probabilities, loss and gradients (NumPy only).

Conventions (used everywhere in linclass)
-----------------------------------------
N samples, D features, K classes.

    X       (N, D)  one sample per row
    y       (N,)    integer class labels in [0, K)
    W       (K, D)  one row w_m per class, so "one arrow per row" is literal
    b       (K,)    per-class bias, or None for the derivation's bias-free f = W x
    scores  (N, K)  f = X W^T + b
    probs   (N, K)  p = softmax(f), row by row

The default loss is the mean cross-entropy plus an L2 penalty in the 1/2 convention, on W only
(the bias is not penalised):

    loss = (1/N) sum_i -log p[i, y_i]  +  1/2 * reg * ||W||^2

and its gradient, the derivation written for a batch:

    dscores[i, m] = p[i, m] - 1[m = y_i]          # (N, K); each row sums to zero
    dW = dscores^T X / N + reg * W                # row m: mean_i dscores[i, m] * x_i
    db = sum_i dscores[i] / N

``loss=`` picks another loss of ``core.losses`` ("hinge", "ova", "structured", with margin
``delta``) and ``penalty="full"`` CS231n's reg * ||W||^2; the formulas live once, in
``core.objective`` and the loss modules. These functions are the door: each checks its arguments
(a wrong shape, a non-finite input or a label that is not a whole number in [0, K) is a ValueError
that names the argument), and finite input whose numbers overflow is a ``NonFiniteError`` that
says what overflowed.
"""

from __future__ import annotations

import numpy as np

from . import objective as kernel
from .checks import l2_strength, labels, margin, penalty_convention, real_array, whole
from .losses import loss_named
from .losses.softmax import probabilities

__all__ = [
    "NonFiniteError",
    "check_data",
    "check_model",
    "check_sample",
    "loss_and_grad",
    "raise_unless_finite",
    "sample_grad",
    "sample_loss",
    "scores",
    "softmax",
]


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
    return probabilities(f)


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


def check_data(W, b, X, y, empty: str = "no samples: X is empty"):
    """(W, b, X, y) checked: W (K, D), b (K,) or None, X (N, D) with N >= 1, y (N,) intp in [0, K)."""
    W, b = check_model(W, b)
    X = _samples(X, W.shape[1], single=False)
    if X.shape[0] == 0:
        raise ValueError(empty)
    return W, b, X, labels(y, "y", X.shape[0], W.shape[0])


def check_sample(W, b, x, y):
    """(W, b, x, y) checked for one sample: x (D,) and y a whole number in [0, K)."""
    W, b = check_model(W, b)
    x = real_array(x, "x", 1)
    if x.shape != (W.shape[1],):
        raise ValueError(f"x must be one sample of shape ({W.shape[1]},) to match W, got {x.shape}")
    return W, b, x, whole(y, "y", 0, W.shape[0] - 1)


def scores(W: np.ndarray, b: np.ndarray | None, X: np.ndarray) -> np.ndarray:
    """f = X W^T + b, shape (N, K); a single sample x of shape (D,) gives shape (K,).

    ValueError for bad shapes or non-finite input, NonFiniteError if the scores overflow.
    """
    W, b = check_model(W, b)
    f = kernel.scores(W, b, _samples(X, W.shape[1], single=True))
    if not np.all(np.isfinite(f)):
        raise NonFiniteError("the scores overflow (weights or coordinates too large)")
    return f


def raise_unless_finite(o: kernel.Objective, W=None, b=None, X=None) -> None:
    """NonFiniteError naming what overflowed in ``o`` (the scores, the penalty, the data loss or
    the gradient), or nothing when every number in it is finite. Given the arguments (W, b, X), the
    scores are looked at on this failure path only (a step does not check them on its way)."""
    if np.all(o.finite):
        return
    scores_finite = o.scores_finite
    if X is not None:
        scores_finite = scores_finite & np.all(np.isfinite(kernel.scores(W, b, X)), axis=(-2, -1))
    if not np.all(scores_finite):
        raise NonFiniteError("the scores overflow (weights or coordinates too large)")
    if not np.all(np.isfinite(o.penalty)):
        raise NonFiniteError("the L2 penalty overflows (the weights are too large for this L2 strength)")
    if not np.all(np.isfinite(o.data_loss)):
        raise NonFiniteError("the data loss overflows (the scores are too far apart)")
    raise NonFiniteError("the gradient overflows (weights or coordinates too large)")


def loss_and_grad(W, b, X, y, reg: float = 0.0, *, loss: str = "softmax", delta: float = 1.0,
                  penalty: str = "half"):  # fmt: skip
    """Mean loss plus the L2 term, and its gradient; returns (loss, dW, db).

    See the module docstring for the formulas. ``b=None`` means no bias (f = W x), and then
    ``db`` is None. The cross-entropy uses log-sum-exp, so it stays exact when p_y itself would
    round to zero. ``y`` may have any integer dtype or hold whole floats; booleans, fractions and
    labels outside [0, K) raise ValueError naming y, as bad shapes or non-finite W, b, X do.
    ``reg`` is a finite number >= 0; ``loss`` one of ``core.losses.LOSSES``; ``delta`` the SVM
    losses' margin (>= 0); ``penalty`` "half" (1/2 reg ||W||^2) or "full" (reg ||W||^2).
    """
    W, b, X, y = check_data(W, b, X, y)
    o = kernel.objective(loss_name(loss), W, b, X, y, reg=l2_strength(reg),
                         penalty_convention=penalty_convention(penalty), delta=margin(delta))  # fmt: skip
    raise_unless_finite(o, W, b, X)
    return float(o.loss), o.dW, o.db


def sample_grad(W, b, x, y: int, *, loss: str = "softmax", delta: float = 1.0):
    """The derivation's gradient for one sample (x, y); returns (dW, db).

    For softmax, row m of dW is p_m x for m != y and (p_y - 1) x for m = y: every row is a
    multiple of x, and the multiples p - e_y sum to zero. ``db`` is those multiples, or None
    without a bias. ``x`` has shape (D,); ``y`` is a whole number in [0, K) (a bool or 1.0 is
    refused).
    """
    _, dW, db = _one(W, b, x, y, loss, delta)
    return dW, db


def sample_loss(W, b, x, y: int, *, loss: str = "softmax", delta: float = 1.0) -> float:
    """L_i of one sample (for softmax -log p_y, by log-sum-exp); arguments as ``sample_grad``'s."""
    return _one(W, b, x, y, loss, delta)[0]


def _one(W, b, x, y, loss, delta):
    W, b, x, y = check_sample(W, b, x, y)
    L, dW, db, finite = kernel.one_sample(loss_name(loss), W, b, x, y, margin(delta))
    if not finite:
        raise NonFiniteError("the scores overflow (weights or coordinates too large)")
    if not (np.isfinite(L) and np.isfinite(dW).all()):
        raise NonFiniteError("the sample's loss or gradient overflows (weights or coordinates too large)")
    return L, dW, db


def loss_name(name) -> str:
    """``name`` if it names a loss of ``core.losses``; ValueError naming the choices otherwise."""
    loss_named(name)
    return name
