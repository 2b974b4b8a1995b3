"""Argument checks shared by the core: each turns bad input into a ValueError that names the argument.

NumPy's own errors (an IndexError from a float index, an OverflowError from an int8 label, a
broadcasting error from a wrong shape) say nothing about which argument was wrong, or worse, a
wrong input gives a wrong answer with no error at all. Every public core function runs its
arguments through these first.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["real_array", "whole", "real", "labels", "indices", "bounds", "l2_strength", "margin", "penalty_convention"]


def _short(value) -> str:
    r = repr(value)
    return r if len(r) <= 40 else r[:37] + "..."


def real_array(a, name: str, ndim: int | tuple[int, ...] | None) -> np.ndarray:
    """``a`` as a float64 array, all finite, of ``ndim`` dimensions (one, a tuple of them, or None: any)."""
    if type(a) is np.ndarray and a.dtype == np.float64 and (ndim is None or a.ndim == ndim):
        if not np.isfinite(a).all():  # the common case, a float array already: one pass, no copy
            raise ValueError(f"{name} contains NaN or infinity")
        return a
    try:
        arr = np.asarray(a)
        if arr.dtype.kind == "O":  # a list mixing ints and floats, or holding None
            arr = arr.astype(float)
    except (TypeError, ValueError, OverflowError):  # ragged lists, None, huge ints
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":  # strings and complex numbers are not real
        raise ValueError(f"{name} must hold real numbers, got {_short(a)}")
    arr = np.asarray(arr, dtype=float)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} dimension(s), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def whole(value, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as a Python int in [lo, hi]; a bool, a float (even 2.0) or a string is refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {_short(value)}")
    v = int(value)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        if hi is None:
            raise ValueError(f"{name} must be >= {lo}, got {v}")
        raise ValueError(f"{name} = {v} is outside [{lo}, {hi}]")
    return v


def real(value, name: str, lo: float = 0.0, what: str = "") -> float:
    """``value`` as a finite float >= lo; a bool or a string is refused."""
    label = f"{name} ({what})" if what else name
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{label} must be a number, got {_short(value)}")
    v = float(value)
    if not (math.isfinite(v) and v >= lo):
        raise ValueError(f"{label} must be a finite number >= {lo:g}, got {v}")
    return v


def labels(y, name: str, n: int, K: int) -> np.ndarray:
    """Class labels (n,) in [0, K) as intp. Any integer dtype works (int8 to uint64); floats only if
    whole (1.0); booleans, other floats and anything else are refused."""
    arr = np.asarray(y)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {arr.shape}")
    if arr.dtype.kind == "b":
        raise ValueError(f"{name} must hold integer class labels, not booleans")
    whole_floats = arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))
    if arr.dtype.kind not in "iu" and not whole_floats:
        raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if n:
        # As Python numbers, before any cast: exact for every dtype (uint64 too), and 1e20 cannot wrap.
        lo, hi = arr.min().item(), arr.max().item()
        if lo < 0 or hi >= K:
            raise ValueError(f"{name}: labels must lie in [0, {K}); found {lo if lo < 0 else hi}")
    return arr.astype(np.intp)


def indices(idx, name: str, n: int) -> np.ndarray:
    """Sample indices (m,) into n samples, as intp; a boolean mask or a float is refused, not cast."""
    arr = np.asarray(idx)
    if arr.dtype.kind == "b":
        raise ValueError(f"{name} must be sample indices, not a boolean mask (use np.flatnonzero(mask))")
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise ValueError(f"{name} must be a flat list of whole sample indices, got {_short(idx)}")
    if arr.size == 0:
        raise ValueError(f"{name}: a mini-batch needs at least one index")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0 or hi >= n:
        raise IndexError(f"{name}: sample index {lo if lo < 0 else hi} outside [0, {n})")
    return arr.astype(np.intp)


def bounds(b) -> tuple[float, float, float, float]:
    """A view rectangle (x0, x1, y0, y1) of finite numbers with x0 < x1 and y0 < y1."""
    try:
        x0, x1, y0, y1 = (float(v) for v in b)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be four numbers (x0, x1, y0, y1), got {_short(b)}") from None
    if not (all(map(math.isfinite, (x0, x1, y0, y1))) and x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be (x0, x1, y0, y1), finite, with x0 < x1 and y0 < y1, got {_short(b)}")
    return x0, x1, y0, y1


def l2_strength(reg) -> float:
    """The L2 strength lambda as a finite float >= 0 (the one check of it, on every entry point)."""
    return real(reg, "reg", what="L2 strength")


def margin(delta) -> float:
    """The SVM losses' margin delta as a finite float >= 0."""
    return real(delta, "delta", what="hinge margin")


def penalty_convention(name) -> str:
    """ "half" (1/2 reg ||W||^2, linclass's) or "full" (reg ||W||^2, CS231n's)."""
    if name not in ("half", "full"):
        raise ValueError(f"penalty must be 'half' (1/2 reg ||W||^2) or 'full' (reg ||W||^2), got {_short(name)}")
    return name
