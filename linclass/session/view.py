"""What the explorer shows, computed from an ``Explorer``: arrays only, ready for the figures.

The update arrows show the last step (rows before it, and each row's move -lr * grad); before
any step they show the step that Step would take next. The math panel's numbers are those of
the current sample x_i: scores, probabilities, the gradient's coefficients p - e_y, and the
change in each score that one single-sample step makes,

    delta f_m = -lr * [ (p_m - 1[m = y]) * (||x||^2 + bias) + reg * w_m . x ]

which for the seed's case (no bias, no reg) is -lr p_m ||x||^2 for m != y and
+lr (1 - p_y) ||x||^2 for m = y.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .explorer import Explorer
from ..core.model import loss_and_grad, sample_loss, scores, softmax
from ..core.regions import max_prob_grid, region_polygons
from ..core.train import Optimizer

__all__ = ["View", "SampleMath", "make_view", "next_indices"]


@dataclass(frozen=True, eq=False)
class SampleMath:
    """The seed's chain for the current sample, with numbers."""

    index: int
    x: np.ndarray  # (2,)
    y: int
    f: np.ndarray  # (K,) scores W x + b
    p: np.ndarray  # (K,) softmax(f)
    loss: float  # -log p_y
    coeff: np.ndarray  # (K,) p - e_y: row m of the gradient is coeff[m] * x
    grad: np.ndarray  # (K, 2)
    sq_norm: float  # ||x||^2
    predicted_df: np.ndarray  # (K,) the score change one single-sample step on x makes
    measured_df: np.ndarray | None  # (K,) f after - f before, if the last step was on this sample
    seed_case: bool  # no bias and no reg: the seed's formula applies as it stands


@dataclass(frozen=True, eq=False)
class View:
    bounds: tuple[float, float, float, float]
    polygons: list[np.ndarray]
    shading: tuple | None
    current: int | None
    p: np.ndarray | None  # (K,) for the current sample
    p_before: np.ndarray | None  # ghosts: p of the current sample before the last step
    rows: np.ndarray  # (K, 2) rows the arrows start from
    update: np.ndarray | None  # (K, 2) their move
    update_label: str  # "last step" or "next step"
    update_x: np.ndarray | None  # the single sample the update is parallel to, if any
    update_note: str  # what the arrows show about the update, in words (one fact a line)
    math: SampleMath | None


def next_indices(ex: Explorer, opt: Optimizer, by_click: bool) -> np.ndarray:
    """The samples the next step would use."""
    if opt.mode == "sample" and by_click:
        return np.array([ex.current])
    return opt.next_indices(ex.state.cursor, ex.n_points)


def _predicted_df(W, b, x, coeff, lr, reg) -> np.ndarray:
    """Score change of one single-sample step: w_m moves by -lr (coeff_m x + reg w_m), b_m by -lr coeff_m."""
    return -lr * (coeff * (float(x @ x) + (b is not None)) + reg * (W @ x))


def _sample_math(ex: Explorer, opt: Optimizer, i: int) -> SampleMath:
    W, b = ex.state.W, ex.state.b
    x, yi = ex.X[i], int(ex.y[i])
    e_y = np.eye(ex.n_classes)[yi]
    f = scores(W, b, x)
    p = softmax(f)
    coeff = p - e_y
    last = ex.last
    if last is not None and last.mode == "sample" and last.focus == i:
        # The last step was on this sample: its prediction (from the weights before it) beside what it did.
        coeff_before = softmax(scores(last.W_before, last.b_before, x)) - e_y
        predicted = _predicted_df(last.W_before, last.b_before, x, coeff_before, last.lr, last.reg)
        measured = f - scores(last.W_before, last.b_before, x)
        seed_case = last.b_before is None and last.reg == 0
    else:
        predicted = _predicted_df(W, b, x, coeff, opt.lr, opt.reg)
        measured = None
        seed_case = b is None and opt.reg == 0
    return SampleMath(
        index=i, x=x, y=yi, f=f, p=p, loss=sample_loss(W, b, x, yi), coeff=coeff,
        grad=np.multiply.outer(coeff, x), sq_norm=float(x @ x), predicted_df=predicted,
        measured_df=measured, seed_case=seed_case,
    )  # fmt: skip


def make_view(ex: Explorer, opt: Optimizer, *, by_click: bool = False, shading: bool = False) -> View:
    """Everything the explorer draws, for this state and these settings."""
    bounds = ex.bounds()
    W, b = ex.state.W, ex.state.b
    polygons = region_polygons(W, b, bounds)
    shade = max_prob_grid(W, b, bounds, n=60) if shading else None
    cur = ex.current
    p = p_before = math = None
    if cur is not None:
        math = _sample_math(ex, opt, cur)
        p = math.p
        if ex.last is not None and ex.last.focus == cur and ex.last.p_before is not None:
            p_before = ex.last.p_before
    update_x = None
    if ex.last is not None:
        rows, update, label = ex.last.W_before, ex.last.update, "last step"
        if ex.last.mode == "sample":
            update_x = ex.X[ex.last.focus] if ex.last.focus < ex.n_points else None
    elif ex.n_points:
        idx = next_indices(ex, opt, by_click)
        _, dW, _ = loss_and_grad(W, b, ex.X[idx], ex.y[idx], opt.reg)
        rows, update, label = W, -opt.lr * dW, "next step"
        if opt.mode == "sample":
            update_x = ex.X[idx[0]]
    else:
        rows, update, label = W, None, "next step"
    return View(bounds, polygons, shade, cur, p, p_before, rows, update, label, update_x,
                _update_note(update, update_x), math)  # fmt: skip


def _update_note(update, x) -> str:
    """The facts the arrows show, checked on the numbers rather than assumed."""
    if update is None or not np.any(update):
        return ""
    notes = []
    scale = float(np.abs(update).max())
    if x is not None and np.hypot(*x) > 0:
        cross = update[:, 0] * x[1] - update[:, 1] * x[0]
        if np.all(np.abs(cross) <= 1e-9 * scale * np.hypot(*x)):
            notes.append("all updates ∥ xᵢ")
    if np.all(np.abs(update.sum(axis=0)) <= 1e-9 * scale * len(update)):
        notes.append("Σ updates = 0: mean row (o) fixed")
    else:
        notes.append("mean row moves (o → ×): L2 shrinks rows")
    return "\n".join(notes)
