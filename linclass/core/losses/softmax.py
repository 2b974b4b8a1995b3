"""Softmax cross-entropy: L_i = -log p_{y_i} with p = softmax(f_i); the coefficients are p - e_y.

By log-sum-exp, L_i = log sum_k e^(f_k - max f) - (f_y - max f): exact when p_y itself would round
to 0. The coefficients sum to zero over the classes, so every row of a single-sample gradient is a
multiple of x_i and the rows' updates cancel. This module is the only place in linclass that takes
the exponential or logarithm of scores (``probabilities`` serves the bars, the regions' shading
and the simplex).
"""

from __future__ import annotations

import numpy as np

from .base import Targets

NAME = "softmax"
COEFFS_SUM_TO_ZERO = True
USES_MARGIN = False
TRUE_CLASS_MARGIN = False
margins = None  # the bars show p, not margins


def loss_and_coeffs(f: np.ndarray, t: Targets, delta: float) -> np.ndarray:
    """L (..., n) of the class-major scores f (..., K, n); f becomes p - e_y."""
    f -= f.max(axis=-2, keepdims=True)  # shift: softmax and the loss are unchanged
    shifted_y = t.take(f)  # f_y - max f
    np.exp(f, out=f)
    s = f.sum(axis=-2)  # sum_k e^(f_k - max f)                                  (..., n)
    f *= (1.0 / s)[..., None, :]  # p
    t.add(f, -1.0)  # p - e_y: p_m for m != y, p_y - 1 at y
    np.log(s, out=s)
    s -= shifted_y  # L_i = log sum_k e^(f_k - max f) - (f_y - max f)
    return s


def max_probability(f: np.ndarray, top: np.ndarray, axis: int = -1) -> np.ndarray:
    """max_m p_m of scores f along ``axis``, given their max ``top`` (f reduced along axis):
    1 / sum_k e^(f_k - max f), for the regions' shading (finite scores)."""
    with np.errstate(over="ignore"):
        e = np.exp(f - np.expand_dims(top, axis))
    return 1.0 / e.sum(axis=axis)


def probabilities(f: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax of scores f along ``axis`` (finite scores; the max is subtracted first, so exp
    never overflows)."""
    with np.errstate(over="ignore"):  # f - max f may be -inf for scores 1e308 apart: e^-inf = 0 is right
        e = np.exp(f - f.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
