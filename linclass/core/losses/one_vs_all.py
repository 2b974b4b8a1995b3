"""The one-vs-all hinge loss: K binary SVMs, class m against the rest, margin delta:

    L_i = sum_m max(0, delta - t_m f_m),   t_m = +1 for m = y_i, -1 otherwise

Its coefficients: C_m = 1[delta + f_m > 0] for m != y, C_y = -1[delta - f_y > 0]. Unlike the
other losses' they need not sum to zero: each class's score is pushed on its own.
"""

from __future__ import annotations

import numpy as np

from .base import Targets

NAME = "ova"
COEFFS_SUM_TO_ZERO = False
USES_MARGIN = True
TRUE_CLASS_MARGIN = True  # the true class has a margin of its own (the bars draw it)


def loss_and_coeffs(f: np.ndarray, t: Targets, delta: float) -> np.ndarray:
    """L (..., n) of the class-major scores f (..., K, n); f becomes the coefficients."""
    true_margin = delta - t.take(f)  # delta - f_y                                (..., n)
    f += delta  # delta + f_m for m != y
    t.put(f, true_margin)
    losses = np.maximum(f, 0.0).sum(axis=-2)
    np.greater(f, 0.0, out=f, casting="unsafe")
    t.put(f, -1.0 * (true_margin > 0))
    return losses


def margins(f: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """Each class's binary margin delta - t_m f_m for scores f (N, K) (t = +1 at the true class, -1
    elsewhere): a positive one is violated (the bars draw these)."""
    out = f + delta
    rows = np.arange(len(y))
    out[rows, y] = delta - f[rows, y]
    return out
