"""The multiclass hinge (SVM) loss of Weston & Watkins, beside the softmax loss (NumPy only).

Same conventions as ``model.py``: X (N, D), y (N,), W (K, D), b (K,) or None, scores (N, K).
For one sample, with scores f = W x + b and margin delta (1 by default):

    L_i = sum_{m != y_i} max(0, f_m - f_{y_i} + delta)

The loss is the mean over samples plus the same L2 term as the softmax loss, 1/2 * reg * ||W||^2
on W only (the bias is not penalised). Its (sub)gradient counts the violated margins:

    viol[i, m]    = 1[f_m - f_{y_i} + delta > 0]  for m != y_i, 0 at m = y_i
    dscores[i, m] = viol[i, m] - 1[m = y_i] * sum_k viol[i, k]   # (N, K); each row sums to zero
    dW = dscores^T X / N + reg * W                               # row m gains x_i per violation,
    db = sum_i dscores[i] / N                                    # row y_i loses it as often

At a kink (a margin exactly 0) the margin counts as met, so the gradient there is the one-sided
derivative from the satisfied side. Inputs are validated by ``model._check``, the same function
``loss_and_grad`` uses, so both losses refuse bad input with the same messages.
"""

from __future__ import annotations

import numpy as np

from .model import BLOCK, _raise_nonfinite, loss_and_grad, mean_with_penalty
from .model import check_data as _check

__all__ = [
    "OBJECTIVES",
    "hinge_loss_and_grad",
    "hinge_loss_and_grad_unchecked",
    "hinge_sample_grad",
    "hinge_sample_loss",
    "margins",
    "score_margins",
    "objective",
]


def _delta(delta) -> float:
    try:
        d = float(delta)
    except (TypeError, ValueError):
        d = np.nan
    if not (np.isfinite(d) and d >= 0):
        raise ValueError(f"delta must be a finite number >= 0, got {delta!r}")
    return d


def _one(W, b, x, y):
    """One sample checked by ``model._check``: (W, b, x (D,), y as an int)."""
    if np.ndim(x) != 1:
        raise ValueError(f"x must be one sample of shape (D,), got shape {np.shape(x)}")
    W, b, X, ys = _check(W, b, np.reshape(x, (1, -1)), np.reshape(y, (1,)))
    return W, b, X[0], int(ys[0])


def score_margins(f, y, delta: float) -> np.ndarray:
    """f_m - f_y + delta of each sample's scores f (n, K), with 0 at its true class y (n,):
    ``margins`` for many samples at once, from scores already computed (arguments trusted)."""
    rows = np.arange(len(y))
    margin = f - f[rows, y][:, None] + delta  # f_m - f_y + delta            (n, K)
    margin[rows, y] = 0.0  # the true class is not compared with itself
    return margin


def _block(W, b, X, y, delta):
    """Summed loss and (dW, db) sums of one block of samples; the seed's lines, vectorised."""
    rows = np.arange(X.shape[0])
    f = X @ W.T if b is None else X @ W.T + b  # scores                       (n, K)
    margin = score_margins(f, y, delta)
    dscores = (margin > 0).astype(float)  # viol                          (n, K)
    dscores[rows, y] = -dscores.sum(axis=1)  # the true row loses x_i per violation
    return np.maximum(margin, 0.0).sum(), dscores.T @ X, dscores.sum(axis=0)


def hinge_loss_and_grad(W, b, X, y, reg: float = 0.0, delta: float = 1.0):
    """Mean multiclass hinge loss plus 1/2 * reg * ||W||^2, and its gradient: (loss, dW, db).

    Same signature and return convention as ``model.loss_and_grad``: ``db`` is None when ``b``
    is None. Samples are processed in blocks of ``model.BLOCK`` so memory stays bounded.
    """
    W, b, X, y = _check(W, b, X, y)
    return hinge_loss_and_grad_unchecked(W, b, X, y, reg, _delta(delta))


def hinge_loss_and_grad_unchecked(W, b, X, y, reg: float, delta: float):
    """``hinge_loss_and_grad`` on arguments already checked (``model.check_data``, delta a float >= 0)."""
    N = X.shape[0]
    total, dW, db = 0.0, np.zeros_like(W), np.zeros(W.shape[0])  # (K, D), (K,)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, N, BLOCK):
            part = _block(W, b, X[start : start + BLOCK], y[start : start + BLOCK], delta)
            total += part[0]
            dW += part[1]
            db += part[2]
    return mean_with_penalty(total, dW, db, N, W, b, reg, "the hinge loss or its gradient")


def margins(W, b, x, y: int, delta: float = 1.0) -> np.ndarray:
    """f_m - f_y + delta for one sample x (D,), shape (K,), with 0 at the true class y.

    A positive entry is a violated margin: it adds that much to L_i and pulls on row m.
    """
    W, b, x, y = _one(W, b, x, y)
    delta = _delta(delta)
    with np.errstate(over="ignore", invalid="ignore"):
        f = W @ x if b is None else W @ x + b  # scores                          (K,)
        out = f - f[y] + delta
    out[y] = 0.0
    if not np.all(np.isfinite(out)):
        _raise_nonfinite(W, b, x, "the margins")
    return out


def hinge_sample_loss(W, b, x, y: int, delta: float = 1.0) -> float:
    """L_i = sum_{m != y} max(0, f_m - f_y + delta) for one sample."""
    return float(np.maximum(margins(W, b, x, y, delta), 0.0).sum())


def hinge_sample_grad(W, b, x, y: int, delta: float = 1.0):
    """The gradient of L_i for one sample (x, y); returns (dW, db).

    Row m (m != y) is x when its margin is violated and 0 otherwise; row y is -x times the
    number of violations. Every row is a multiple of x and the multiples sum to zero.
    ``db`` is those multiples, or None without a bias.
    """
    coeff = (margins(W, b, x, y, delta) > 0).astype(float)  # viol            (K,)
    coeff[y] = -coeff.sum()
    dW = np.multiply.outer(coeff, np.asarray(x, dtype=float))  # (K, D)
    return dW, (coeff if b is not None else None)


# name -> the objective's loss_and_grad(W, b, X, y, reg) -> (loss, dW, db)
OBJECTIVES = {"softmax": loss_and_grad, "hinge": hinge_loss_and_grad}


def objective(name: str):
    """The ``loss_and_grad`` function of the objective ``name``: "softmax" or "hinge"."""
    try:
        return OBJECTIVES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown objective {name!r}; choose one of {sorted(OBJECTIVES)}") from None
