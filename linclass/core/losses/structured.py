"""The structured SVM (Crammer and Singer) loss: only the strongest rival class counts, margin delta:

    L_i = max(0, delta + max_{m != y_i} f_m - f_{y_i})

Its coefficients: when the margin is violated, +1 at the rival r = argmax_{m != y} f_m (the lowest
such index on a tie) and -1 at y; all zero otherwise. They sum to zero.
"""

from __future__ import annotations

import numpy as np

from .base import Targets

NAME = "structured"
COEFFS_SUM_TO_ZERO = True
USES_MARGIN = True
TRUE_CLASS_MARGIN = False


def loss_and_coeffs(f: np.ndarray, t: Targets, delta: float) -> np.ndarray:
    """L (..., n) of the class-major scores f (..., K, n); f becomes the coefficients."""
    f_true = t.take(f)
    t.put(f, -np.inf)  # the true class is not its own rival
    rival = f.argmax(axis=-2)[..., None, :]  # (..., 1, n)
    margin = delta + np.take_along_axis(f, rival, axis=-2)[..., 0, :] - f_true
    violated = margin > 0  # with one class there is no rival: margin -inf, met
    f[...] = 0.0
    np.put_along_axis(f, rival, violated[..., None, :], axis=-2)
    t.put(f, -1.0 * violated)
    return np.maximum(margin, 0.0)


def margins(f: np.ndarray, y: np.ndarray, delta: float) -> np.ndarray:
    """Each class's margin f_m - f_y + delta for scores f (N, K), 0 at the true class: only the
    largest counts, and only when positive (the bars draw these)."""
    rows = np.arange(len(y))
    out = f - f[rows, y][:, None] + delta
    out[rows, y] = 0.0
    return out
