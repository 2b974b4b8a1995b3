"""What every loss module is handed: a block of scores in class-major layout and where the true classes sit.

A loss sees the scores of n samples under one or more states as ``f`` of shape (..., K, n):
``f[..., m, i]`` is f_m of sample i. Classes run down the second-last axis and samples along the
last, so every reduction over classes (max, sum, count) combines K long contiguous rows, which
NumPy vectorises, instead of N rows of K. ``f`` is always a C-contiguous block the loss may
overwrite: it returns the per-sample losses L (..., n) and leaves the coefficients
C = dL_i/df_i in ``f`` (the kernel then forms dW = C X / N and db = mean C).
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["OneTarget", "Targets"]


@functools.lru_cache(maxsize=8)
def _columns(n: int) -> np.ndarray:
    """0, 1, ..., n - 1, made once per block size (a kernel call makes a Targets per block)."""
    cols = np.arange(n)
    cols.flags.writeable = False
    return cols


class Targets:
    """The positions of f[..., y_i, i] in a contiguous class-major block f (..., K, n)."""

    def __init__(self, y: np.ndarray, lead: tuple[int, ...], K: int):
        n = y.shape[-1]
        flat = y * n + _columns(n)  # y intp: no overflow                                       (..., n)
        if lead:  # each state's block starts K * n further on
            flat = np.broadcast_to(flat, (*lead, n)) + (K * n) * np.arange(int(np.prod(lead))).reshape(*lead, 1)
        self.shape = (*lead, n)
        self.flat = flat.ravel()

    def take(self, f: np.ndarray) -> np.ndarray:
        """f_{y_i} of every sample, shape (..., n)."""
        return f.ravel().take(self.flat).reshape(self.shape)

    def put(self, f: np.ndarray, values) -> None:
        """Set f_{y_i} of every sample (``values`` broadcast to (..., n)) in place."""
        f.ravel()[self.flat] = np.broadcast_to(values, self.shape).ravel()

    def add(self, f: np.ndarray, value: float) -> None:
        """Add ``value`` to f_{y_i} of every sample in place."""
        f.ravel()[self.flat] += value


class OneTarget(Targets):
    """The true class y of a single sample in a block f (K, 1), by plain indexing: the per-sample
    functions run in loops, where fancy indexing would cost more than the arithmetic."""

    def __init__(self, y: int):  # no super().__init__: a single sample needs none of its positions
        self.y = y

    def take(self, f: np.ndarray) -> np.ndarray:
        return f[self.y].copy()  # a copy, as Targets.take gives: the losses overwrite f after taking

    def put(self, f: np.ndarray, values) -> None:
        f[self.y] = values

    def add(self, f: np.ndarray, value: float) -> None:
        f[self.y] += value
