"""The multiclass hinge (SVM) loss of Weston and Watkins, CS231n's ``svm_loss``, margin delta:

    L_i = sum_{m != y_i} max(0, f_m - f_{y_i} + delta)

Its coefficients count the violated margins: C_m = 1[f_m - f_y + delta > 0] for m != y, and
C_y = -(the number of violations), so they sum to zero. At a kink (a margin exactly 0) the margin
counts as met: the one-sided derivative from the satisfied side.
"""

from __future__ import annotations

import numpy as np

from .base import Targets

NAME = "hinge"
COEFFS_SUM_TO_ZERO = True
USES_MARGIN = True
TRUE_CLASS_MARGIN = False


def loss_and_coeffs(f: np.ndarray, t: Targets, delta: float) -> np.ndarray:
    """L (..., n) of the class-major scores f (..., K, n); f becomes the coefficients."""
    f -= t.take(f)[..., None, :]
    f += delta  # f_m - f_y + delta
    t.put(f, 0.0)  # the true class is not compared with itself
    losses = np.maximum(f, 0.0).sum(axis=-2)
    np.greater(f, 0.0, out=f, casting="unsafe")  # 1 per violated margin
    t.put(f, -f.sum(axis=-2))  # the true row loses x_i once per violation
    return losses


def margins(f: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """Each class's margin f_m - f_y + delta for scores f (N, K), 0 at the true class: a positive
    one is violated (the bars draw these)."""
    rows = np.arange(len(y))
    out = f - f[rows, y][:, None] + delta
    out[rows, y] = 0.0
    return out
