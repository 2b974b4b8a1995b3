"""Hypothesis strategies for softmax-classifier problems (W, b, X, y, reg) in linclass's conventions.

A problem is W (K, D), b (K,) or None, X (N, D), y (N,) and reg >= 0. Entries are multiples of 0.01
in [-3, 3], so a shrunk failing problem prints as short exact decimals a student can paste back.
An *extreme* problem scales W (and b) by a power of ten so that its largest score is at least 1e3
away from zero: exp of such a score overflows (or underflows) unless the row's max is subtracted
first, and two classes can be 1e3 or more apart.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..core.model import scores

__all__ = ["EXTREME", "NEAR_TOP", "Problem", "kink_distance", "problems", "with_defaults"]

EXTREME = 1e3  # an extreme problem's largest |score| is at least this (unless every score is 0)
NEAR_TOP = 100.0  # without underflow, a true class's score is at most this far below its row's max
STEPS = 300  # integer entries in [-STEPS, STEPS], divided by 100


class Problem(NamedTuple):
    """One problem in linclass's layout; unpacks as ``W, b, X, y, reg = problem``."""

    W: np.ndarray  # (K, D)
    b: np.ndarray | None  # (K,) or None
    X: np.ndarray  # (N, D)
    y: np.ndarray  # (N,) ints in [0, K)
    reg: float

    @property
    def N(self) -> int:
        return self.X.shape[0]

    @property
    def K(self) -> int:
        return self.W.shape[0]

    @property
    def D(self) -> int:
        return self.W.shape[1]

    def scores(self) -> np.ndarray:
        return scores(self.W, self.b, self.X)  # (N, K)

    def __repr__(self) -> str:
        # Exact and pasteable: .tolist() prints each float as its shortest round-trip decimal.
        b = "None" if self.b is None else f"np.array({self.b.tolist()})"
        return (
            f"Problem(W=np.array({self.W.tolist()}), b={b}, X=np.array({self.X.tolist()}), "
            f"y=np.array({self.y.tolist()}), reg={self.reg!r})"
        )


class _Default:
    def __repr__(self) -> str:
        return "<the check's default>"


DEFAULT = _Default()
# What problems() draws for an argument not given, when used on its own (in a course's @given).
DEFAULTS = {"n": (1, 8), "k": (2, 10), "d": (1, 4), "bias": None, "reg": True, "extreme": None, "underflow": True}


def problems(
    *,
    n: int | tuple[int, int] = DEFAULT,
    k: int | tuple[int, int] = DEFAULT,
    d: int | tuple[int, int] = DEFAULT,
    bias: bool | None = DEFAULT,
    reg: bool | float = DEFAULT,
    extreme: bool | None = DEFAULT,
    underflow: bool = DEFAULT,
) -> st.SearchStrategy[Problem]:
    """A strategy for :class:`Problem` values.

    Passed to a check (``problems=problems(k=3, d=3)``), only the arguments given change: the
    others keep that check's defaults (its bias, no underflow unless require_log_sum_exp, ...).
    Used on its own, an argument not given takes the value in ``DEFAULTS``:

    n, k, d: the number of samples, classes and features, each an int or an inclusive (lo, hi)
        range; by default (1, 8), (2, 10), (1, 4). One-sample batches come up, and classes
        absent from y (y is drawn freely, and shrinks towards all zeros).
    bias: True always draws b, False never (b is None), None (the default) either.
    reg: True (the default) draws reg from 0, 0.01, ..., 1; False fixes it at 0; a number fixes it there.
    extreme: True makes every problem extreme (scores 1e3 or more from zero, classes up to
        thousands apart), False none, None (the default) either.
    underflow: False keeps every sample's true-class score within NEAR_TOP of its row's max, so
        p_y never rounds to zero and -log(p_y) computed from the probabilities stays finite.
        True (the default) draws y freely: then only log-sum-exp gives the exact loss on extreme problems.
    """
    given = {"n": n, "k": k, "d": d, "bias": bias, "reg": reg, "extreme": extreme, "underflow": underflow}
    return _strategy({name: value for name, value in given.items() if value is not DEFAULT})


def with_defaults(strategy, **defaults) -> st.SearchStrategy[Problem]:
    """The strategy a check uses: the arguments given to problems(), the check's ``defaults`` for the rest.

    None means problems() with nothing given; a strategy not made by problems() (a course's own) is used as it is.
    """
    given = {} if strategy is None else getattr(strategy, "kit_arguments", None)
    return strategy if given is None else _strategy(defaults | given)


def _strategy(given: dict) -> st.SearchStrategy[Problem]:
    o = DEFAULTS | given
    sizes = _size(o["n"], "n", 1), _size(o["k"], "k", 2), _size(o["d"], "d", 1)
    strategy = _problem(
        *sizes, _either(o["bias"], "bias"), _regs(o["reg"]), _either(o["extreme"], "extreme"), bool(o["underflow"])
    )
    strategy.kit_arguments = given  # read by with_defaults
    return strategy


def kink_distance(p: Problem, delta: float = 1.0) -> float:
    """How far the nearest hinge margin f_m - f_y + delta (m != y) is from its kink at 0 (inf if none)."""
    f = p.scores()  # (N, K)
    rows = np.arange(p.N)
    margin = np.abs(f - f[rows, p.y][:, None] + delta)
    margin[rows, p.y] = np.inf  # the true class has no margin
    return float(margin.min(initial=np.inf))


@st.composite
def _problem(draw, n, k, d, bias, reg, extreme, underflow) -> Problem:
    N, K, D = draw(n), draw(k), draw(d)
    Wi = draw(_ints((K, D)))  # the entries times 100
    bi = draw(_ints((K,))) if draw(bias) else None
    X = draw(_ints((N, D))) / 100
    e = _extreme_exponent(Wi, bi, X) if draw(extreme) else 0
    W, b = _decimal(Wi, e), None if bi is None else _decimal(bi, e)
    f = scores(W, b, X)  # (N, K)
    y = np.array([_label(draw, row, underflow) for row in f], dtype=np.intp)
    return Problem(W, b, X, y, draw(reg))


# Strategies are cached by shape: building and validating one costs more than drawing from it.
@functools.cache
def _ints(shape: tuple) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.int64, shape, elements=st.integers(-STEPS, STEPS))


@functools.cache
def _index(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size - 1)


def _decimal(ints: np.ndarray, e: int) -> np.ndarray:
    """ints * 10**(e - 2), computed so each entry is the float nearest its decimal (a clean repr)."""
    q = e - 2
    return ints * 10.0**q if q >= 0 else ints / 10.0**-q


def _extreme_exponent(Wi, bi, X) -> int:
    """The power of ten that lifts the largest |score| to at least EXTREME.

    A nonzero score is a multiple of 1e-4 (entries are multiples of 0.01), so 10**7 always suffices.
    """
    top = float(np.abs(scores(Wi / 100, None if bi is None else bi / 100, X)).max())
    if top == 0.0:
        return 0  # all scores are zero (X = 0 and no bias): no scale makes them extreme
    return max(math.ceil(math.log10(EXTREME / top)), 0)


def _label(draw, row: np.ndarray, underflow: bool) -> int:
    if underflow:
        return draw(_index(row.shape[0]))
    near = np.flatnonzero(row >= row.max() - NEAR_TOP)  # the classes that keep a probability
    return int(near[draw(_index(near.shape[0]))])


def _size(spec, name: str, least: int) -> st.SearchStrategy[int]:
    lo, hi = (spec, spec) if isinstance(spec, int) else tuple(spec)
    if not (isinstance(lo, int) and isinstance(hi, int) and least <= lo <= hi):
        raise ValueError(f"{name} must be an int >= {least} or a range (lo, hi) with {least} <= lo <= hi, got {spec!r}")
    return st.integers(lo, hi)


def _either(flag, name: str) -> st.SearchStrategy[bool]:
    if flag is None:
        return st.booleans()
    if not isinstance(flag, bool):
        raise ValueError(f"{name} must be True, False or None (either), got {flag!r}")
    return st.just(flag)


def _regs(reg) -> st.SearchStrategy[float]:
    if reg is True:
        return st.integers(0, 100).map(lambda v: v / 100)
    if reg is False:
        return st.just(0.0)
    if not (isinstance(reg, int | float) and reg >= 0 and math.isfinite(reg)):
        raise ValueError(f"reg must be True, False or a finite number >= 0, got {reg!r}")
    return st.just(float(reg))
