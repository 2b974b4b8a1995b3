"""What the explorer draws, computed from one ``Frame``: arrays and sentences, ready for the figures.

Every panel draws the same frame, so the plane, the bars, the arrows, the math and the status
line show one moment. The math reuses the step's own gradient and states only what is true for
the numbers and settings in force: for the focus sample x (true class y) one step changes its
scores by

    delta f_m = -lr * [ mean_i (p_im - [m = y_i]) (x_i . x + bias) + reg * w_m . x ]

over the step's samples i; for the seed's case (one sample, no bias, no reg) that is
-lr p_m ||x||^2 for m != y and +lr (1 - p_y) ||x||^2 for m = y. With the hinge loss the
coefficient p_im - [m = y_i] becomes c_im = dL_i/df_m: 1 for each violated margin
(f_m - f_{y_i} + delta > 0), minus the number of violations at m = y_i, 0 elsewhere; the bars then
show the margins against zero instead of p.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import objective as kernel
from ..core.losses import loss_named
from ..core.losses.softmax import probabilities
from ..core.regions import max_prob_grid, max_prob_grid_stack, region_polygons, region_polygons_stack
from .frame import IDLE, TAKEN, Chunk, Frame

__all__ = ["View", "SampleMath", "make_view", "fmt", "status_line", "tie_regions", "sample_table", "zero_lines"]

MAX_MEMBER_ARROWS = 40  # a batch's per-sample updates drawn faint: at most this many


def fmt(v: float) -> str:
    """A number for reading: 4 significant digits, scientific notation when tiny or huge."""
    v = float(v)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    return f"{v:.4g}".replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e")


@dataclass(frozen=True, eq=False)
class SampleMath:
    """The derivation for the focus sample, with the numbers of the step shown."""

    index: int
    x: np.ndarray  # (2,)
    y: int
    f: np.ndarray  # (K,) scores before the step
    p: np.ndarray  # (K,) softmax(f) before the step
    loss: float  # -log p_y before the step
    coeff: np.ndarray  # (K,) p - e_y
    grad: np.ndarray  # (K, 2) the gradient rows the step used (its own, L2 included)
    grad_b: np.ndarray | None  # (K,)
    sq_norm: float
    predicted_df: np.ndarray  # (K,) the formula's score change of x
    measured_df: np.ndarray | None  # (K,) f after - f before (a step taken)
    f_after: np.ndarray | None
    p_after: np.ndarray | None
    sentences: tuple[str, ...]  # what is true of this step, in words (markdown with $math$)
    objective: str = "softmax"  # the step's loss; with "hinge", loss and coeff are the hinge loss's
    delta: float = 1.0
    margins: np.ndarray | None = None  # (K,) f_m - f_y + delta before the step, 0 at y (hinge only)
    margins_after: np.ndarray | None = None  # (K,) after a step taken (hinge only)
    held_out: bool = False  # the sample is a test point: in no step


@dataclass(frozen=True, eq=False)
class View:
    moment: str
    bounds: tuple[float, float, float, float]
    polygons: list[np.ndarray]  # per class; empty where the class wins nowhere or only ties
    ties: list[np.ndarray]  # regions where two or more classes tie (identical rows)
    shading: tuple | None
    focus: int | None
    selected: int | None
    members: np.ndarray  # the step's samples (a batch), marked on the plane
    p: np.ndarray | None  # (K,) bars: p of the focus sample on screen
    p_before: np.ndarray | None  # ghosts: before the step just taken
    objective: str  # the loss in force: "softmax" (bars show p) or "hinge" (bars show margins)
    margins: np.ndarray | None  # (K,) hinge bars: f_m - f_y + delta of the focus sample on screen
    margins_before: np.ndarray | None  # ghosts: before the step just taken
    loss_i: float | None  # L_i of the focus sample on screen, in the loss in force
    rows: np.ndarray  # (K, 2) rows before the step: where the arrows start
    rows_after: np.ndarray  # (K, 2) rows after the step
    update: np.ndarray | None  # (K, 2) their move
    member_updates: np.ndarray | None  # (B, K, 2) each batch member's share, for faint arrows
    update_x: np.ndarray | None  # the single sample the update is parallel to, if it is
    update_note: str
    math: SampleMath | None
    status: str
    geometry: dict | None = None  # zero-score lines and normals before and after the step (see zero_lines)


def tie_regions(W, b, bounds) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(per-class polygons, tie polygons). Classes with identical rows (w, b) tie everywhere they
    win: that area is a tie, painted apart, rather than given to the lower index."""
    W = np.asarray(W, dtype=float)
    K = len(W)
    key = np.column_stack([W, np.zeros(K) if b is None else b])
    if len(set(map(tuple, key.tolist()))) == K:  # no two rows (w, b) alike, the usual case: each its own region
        return region_polygons(W, b, bounds), []
    uniq, group = np.unique(key, axis=0, return_inverse=True)
    group = np.asarray(group).reshape(-1)
    polys = region_polygons(uniq[:, :2], uniq[:, 2], bounds)
    per_class = [polys[group[m]] if np.sum(group == group[m]) == 1 else np.zeros((0, 2)) for m in range(K)]
    ties = [polys[g] for g in range(len(uniq)) if np.sum(group == g) > 1 and len(polys[g])]
    return per_class, ties


def _regions(frame: Frame, bounds) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``tie_regions`` of the frame's weights: its Play chunk's, computed for all of its frames
    at once, where the chunk has them."""
    chunk = frame.chunk
    if chunk is not None:
        polygons = chunk.once("regions", lambda: _chunk_regions(chunk))[frame.index]
        if polygons is not None:
            return polygons, []
    return tie_regions(frame.explorer.state.W, frame.explorer.state.b, bounds)


def _chunk_weights(chunk: Chunk):
    """The chunk's frames' weights stacked: Ws (S, K, 2), bs (S, K) or None."""
    states = [ex.state for ex in chunk.explorers]
    return np.array([s.W for s in states]), None if states[0].b is None else np.array([s.b for s in states])


def _chunk_regions(chunk: Chunk) -> list[list[np.ndarray] | None]:
    """Per frame: ``region_polygons`` of its weights, the very same arrays; None where two of its
    rows (w, b) are alike (those tie: ``tie_regions`` paints them)."""
    Ws, bs = _chunk_weights(chunk)
    key = Ws if bs is None else np.concatenate([Ws, bs[:, :, None]], axis=2)  # each row (w[, b])
    alike = (key[:, :, None, :] == key[:, None, :, :]).all(axis=3).sum(axis=(1, 2)) > Ws.shape[1]
    polygons = region_polygons_stack(Ws, bs, chunk.bounds)
    return [None if tie else p for p, tie in zip(polygons, alike.tolist(), strict=True)]


def _shading(frame: Frame, bounds, n: int = 48):
    """``max_prob_grid`` of the frame's weights: its chunk's, for all of its frames at once."""
    chunk = frame.chunk
    if chunk is None:
        return max_prob_grid(frame.explorer.state.W, frame.explorer.state.b, bounds, n=n)
    return chunk.once(("shading", n), lambda: max_prob_grid_stack(*_chunk_weights(chunk), bounds, n))[frame.index]


def status_line(frame: Frame, reg: float) -> str:
    """Step, loss (of the loss in force) and accuracy on the training points, on the test points
    if some are held out, the points and the sample shown."""
    ex = frame.explorer
    s = ex.state
    train = "training " if ex.n_test else ""
    what = "loss" if ex.objective == "softmax" else f"{ex.objective} loss"
    if s.loss is None:
        loss = f"{train}{what} –"
    elif reg > 0:
        l2 = float(kernel.penalty(s.W, reg))
        loss = f"objective {fmt(s.loss + l2)} = {train}data {what} {fmt(s.loss)} + L2 {fmt(l2)}"
    else:
        loss = f"{train}{what} {fmt(s.loss)}"
    acc = "–" if s.accuracy is None else f"{100 * s.accuracy:.1f}%"
    parts = [f"step {s.step}", loss, f"{train}accuracy {acc} (ties count as wrong)"]
    tested = ex.test_measure()
    if tested is not None:
        parts.append(f"test {what} {fmt(tested[0])}, test accuracy {100 * tested[1]:.1f}%")
    parts.append(f"{ex.n_points} points" + (f" ({ex.n_test} test)" if ex.n_test else ""))
    if frame.focus is not None:
        held = ", test point" if ex.test[frame.focus] else ""
        parts.append(f"sample #{frame.focus} ({ex.names[ex.y[frame.focus]]}{held})")
    return "   ·   ".join(parts)


def bar_margins(frame: Frame) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The SVM losses' bars: the focus sample's margins (its loss module's ``margins``) under the
    weights on screen, and before the step just taken (ghosts); (None, None) with the softmax loss."""
    ex, rec = frame.explorer, frame.record
    if ex.objective == "softmax" or frame.focus is None:
        return None, None
    now = _margins(ex.objective, ex.state.W, ex.state.b, ex.X[frame.focus], int(ex.y[frame.focus]), ex.delta)
    ghost = None
    if frame.kind == TAKEN:
        ghost = _margins(ex.objective, rec.W_before, rec.b_before, ex.X[frame.focus], int(ex.y[frame.focus]), ex.delta)
    return now, ghost


def _margins(loss: str, W, b, x, yi: int, delta: float) -> np.ndarray:
    return loss_named(loss).margins(kernel.scores(W, b, x)[None], np.array([yi]), delta)[0]


def coefficients(frame: Frame) -> np.ndarray:
    """dL_i/df_m of each of the step's samples under the step's loss, before it (B, K): p - e_y
    for softmax; for the SVM losses their violation counts (the kernel's ``sample_terms``)."""
    rec, ex = frame.record, frame.explorer
    idx = frame.indices
    return kernel.sample_terms(rec.objective, rec.W_before, rec.b_before, ex.X[idx], ex.y[idx], rec.delta)[1]


def make_view(frame: Frame, reg: float, *, shading: bool = False, math: bool = True, geometry: bool = False) -> View:
    """Everything the explorer draws for this frame (``math=False``: without the math tab's
    numbers, which Play's frames do not show)."""
    ex = frame.explorer
    bounds = ex.bounds() if frame.chunk is None else frame.chunk.bounds  # a chunk's frames share their points
    W = ex.state.W
    polygons, ties = _regions(frame, bounds)
    shade = _shading(frame, bounds) if shading else None
    rec = frame.record
    members = frame.indices
    math = math and frame.focus is not None and rec is not None
    # The coefficients serve the batch's faint arrows and the math: a Play frame on one sample needs neither.
    coeff = coefficients(frame) if rec is not None and (rec.mode != "sample" or math) else None
    if rec is None:
        rows = rows_after = W
        update = member_updates = update_x = None
    else:
        rows, rows_after = rec.W_before, rec.W_after
        update = _resolved(rows_after - rows, rows)
        member_updates = _member_updates(frame, coeff) if rec.mode != "sample" else None
        update_x = ex.X[members[0]] if rec.mode == "sample" else None
    math = _sample_math(frame, coeff) if math else None
    bars, ghosts = bar_margins(frame)
    loss_i = None
    if frame.focus is not None:
        st = ex.state
        loss_i = float(kernel.sample_terms(ex.objective, st.W, st.b, ex.X[frame.focus][None],
                                           ex.y[frame.focus : frame.focus + 1], ex.delta)[0][0])  # fmt: skip
    return View(
        moment=frame.moment, bounds=bounds, polygons=polygons, ties=ties, shading=shade, focus=frame.focus,
        selected=ex.selected, members=members if (rec is not None and rec.mode != "sample") else members[:0],
        p=frame.p_shown, p_before=frame.p_ghost, objective=ex.objective, margins=bars, margins_before=ghosts,
        loss_i=loss_i, rows=rows, rows_after=rows_after, update=update,
        member_updates=member_updates, update_x=update_x,
        update_note=_update_note(update, update_x, rec), math=math, status=status_line(frame, reg),
        geometry=_geometry(frame, bounds) if geometry else None,
    )  # fmt: skip


def _resolved(update: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The update, or zeros where it is below rounding (1e-12 of the rows' size): a converged step's
    ~1e-16 change is no move, and no arrow is drawn for it, as the math panel finds no score change."""
    if float(np.abs(update).max(initial=0.0)) <= 1e-12 * max(1.0, float(np.abs(rows).max(initial=0.0))):
        return np.zeros_like(update)
    return update


def _member_updates(frame: Frame, coeff: np.ndarray) -> np.ndarray:
    """Each batch member's share of the update, -lr/B c_i x_i per row (c_i = p_i - e_yi for
    softmax), (B, K, 2)."""
    rec, ex = frame.record, frame.explorer
    idx = frame.indices[:MAX_MEMBER_ARROWS]
    C = coeff[:MAX_MEMBER_ARROWS]  # (B, K)
    return -rec.lr / len(frame.indices) * C[:, :, None] * ex.X[idx][:, None, :]


def _update_note(update, x, rec) -> str:
    """The facts the arrows show, checked on the numbers rather than assumed. (In Python floats:
    the same products, differences and row-by-row sums as NumPy's, on a handful of numbers.)"""
    rows = None if update is None else update.tolist()  # (K, 2)
    if rows is None or not any(v != 0 for row in rows for v in row):
        return "this step moves no row" if update is not None else ""
    notes = []
    scale = max(abs(v) for row in rows for v in row)
    norm = None if x is None else np.hypot(x[0], x[1])
    if norm is not None and norm > 0:
        x0, x1 = float(x[0]), float(x[1])
        limit = 1e-9 * scale * norm
        if all(abs(u0 * x1 - u1 * x0) <= limit for u0, u1 in rows):  # each update's cross product with x
            notes.append("all updates ∥ xᵢ")
    s0, s1 = rows[0]
    for u0, u1 in rows[1:]:  # the rows' sum, in np.sum(axis=0)'s order
        s0, s1 = s0 + u0, s1 + u1
    limit = 1e-9 * scale * len(rows)
    if abs(s0) <= limit and abs(s1) <= limit:
        notes.append("Σ updates = 0: mean row (o) fixed")
    elif rec is not None and rec.reg > 0:
        notes.append("mean row moves (o → ×): L2 shrinks every row")
    if rec is not None and rec.mode != "sample":
        notes.append(f"bold: mean of {len(rec.indices)} samples' updates")
    return "\n".join(notes)


def _sample_math(frame: Frame, C: np.ndarray) -> SampleMath:
    """The focus sample's derivation; ``C`` (B, K) holds the step's samples' coefficients."""
    rec, ex, i = frame.record, frame.explorer, frame.focus
    x, yi = ex.X[i], int(ex.y[i])
    W0, b0, W1, b1 = rec.W_before, rec.b_before, rec.W_after, rec.b_after
    f = kernel.scores(W0, b0, x)
    p = probabilities(f)
    (loss,), (coeff,) = kernel.sample_terms(rec.objective, W0, b0, x[None], np.array([yi]), rec.delta)
    svm = rec.objective != "softmax"
    mg = _margins(rec.objective, W0, b0, x, yi, rec.delta) if svm else None
    # The step's samples' coefficients and their effect on x's scores, from the formula.
    bias = b0 is not None
    inner = ex.X[frame.indices] @ x + bias  # (B,)  x_i . x (+1 for the bias)
    predicted = -rec.lr * (C.T @ inner / len(inner) + 2 * kernel.PENALTIES[rec.penalty] * rec.reg * (W0 @ x))
    taken = frame.kind == TAKEN
    f_after = kernel.scores(W1, b1, x)
    mean_c = C.mean(axis=0)  # the bias's gradient: the batch mean of the coefficients
    if svm:
        says = _hinge_sentences(frame, x, yi, p, mg, coeff, mean_c, predicted)
    else:
        says = _sentences(frame, x, yi, p, mean_c, predicted)
    if ex.test[i]:
        says = (f"Sample #{i} is a **test point**: it is in no step (steps use training points only); the table "
                "shows what this step, taken on training points, does to its scores.", *says)  # fmt: skip
    return SampleMath(
        index=i, x=x, y=yi, f=f, p=p, loss=float(loss), coeff=coeff, grad=rec.dW, grad_b=rec.db, sq_norm=float(x @ x),
        predicted_df=predicted, measured_df=(f_after - f) if taken else None, f_after=f_after if taken else None,
        p_after=probabilities(f_after) if taken else None, sentences=says, objective=rec.objective, delta=rec.delta,
        margins=mg, margins_after=_margins(rec.objective, W1, b1, x, yi, rec.delta) if svm and taken else None,
        held_out=bool(ex.test[i]),
    )  # fmt: skip


def _batch_sentence(rec, coeff_tex: str) -> str:
    """What a batch step's update is; for a batch of one, the sample's own update."""
    B = len(rec.indices)
    kind = "mini-batch" if rec.mode == "minibatch" else "full-batch"
    l2 = r" $+ 2c\lambda w_m$".replace("2c", _penalty_factor(rec)) if rec.reg > 0 else ""
    if B == 1:
        return (f"This is a {kind} step on one sample (#{int(rec.indices[0])}): its update is that sample's, "
                rf"$\nabla_{{w_m}} = {coeff_tex}\, x_i$" + l2 + ".")  # fmt: skip
    return (f"This is a {kind} step on {B} samples: each row's update is the **mean** of the samples' updates, "
            rf"$\nabla_{{w_m}} = \frac{{1}}{{B}}\sum_i {coeff_tex}\, x_i$" + l2
            + ". The rows no longer all move along one $x_i$; below is the effect on the scores of the sample shown.")


def _penalty_factor(rec) -> str:
    return "" if kernel.PENALTIES[rec.penalty] == 0.5 else "2"


def _bias_sentence(rec, mean_c: np.ndarray, coeff_tex: str) -> str:
    """How the bias moves, with the numbers: -lr times the batch mean of the coefficients (the
    bias is not penalised), which is -lr * db."""
    moves = "(" + ", ".join(fmt(v) for v in (-rec.lr * mean_c).tolist()) + ")"
    if rec.mode == "sample" or len(rec.indices) == 1:
        return rf"The bias moves by $-\gamma\, {coeff_tex}$ = {moves}, which adds that much to each score change."
    return (rf"The bias moves by $-\gamma \frac{{1}}{{B}}\sum_i {coeff_tex}$ = {moves} (the batch's mean, not this "
            "sample's alone), which adds that much to each score change.")  # fmt: skip


def _sentences(frame: Frame, x, yi, p, mean_c, df) -> tuple[str, ...]:
    """What the step does, each sentence stated only when it holds for these settings and numbers."""
    rec = frame.record
    single = rec.mode == "sample"
    bias = rec.b_before is not None
    lr, reg = rec.lr, rec.reg
    out = []
    if not single:
        out.append(_batch_sentence(rec, "(p_{i,m} - [m = y_i])" if len(rec.indices) > 1 else "(p_m - [m = y_i])"))
    zero_x = not np.any(x)
    if single and zero_x and not bias and reg == 0:
        out.append(r"Here $x_i = 0$: every gradient row $(p_m - [m = y_i])\, x_i$ is zero, so this step changes "
                   "no weight and no score.")  # fmt: skip
    elif single and not zero_x and reg == 0:
        out.append(r"Each row moves along $\pm x_i$: $w_m$ by $-\gamma p_m x_i$ for $m \neq y_i$, $w_{y_i}$ by "
                   r"$+\gamma (1 - p_{y_i})\, x_i$; the coefficients $p - e_y$ sum to zero. A component of $w_m$ "
                   r"($m \ne y_i$) goes down only where the matching component of $x_i$ is positive: "
                   r"\"$p_m x_i \ge 0$, so $w_m$ decreases\" holds only for non-negative $x_i$.")  # fmt: skip
    elif single and reg > 0:
        out.append(rf"With L2 ($\lambda = {fmt(reg)}$) each row's gradient is $(p_m - [m = y_i])\, x_i$ plus the L2 term: "
                   r"the rows also shrink toward 0, so the updates are **not** all parallel to $x_i$.")  # fmt: skip
    if bias:
        out.append(_bias_sentence(rec, mean_c, "(p_{i,m} - [m = y_i])" if len(rec.indices) > 1 else "(p_m - [m = y_i])"))
    if reg > 0:
        out.append(_l2_sentence(rec))
    scale = float(np.max(np.abs(df))) if len(df) else 0.0
    if scale < 1e-12 * max(1.0, lr):
        out.append("This step changes no score of this sample (to 12 digits)"
                   + (r": $p_{y_i}$ is 1 to machine precision." if p[yi] > 1 - 1e-12 else "."))  # fmt: skip
    elif single and not bias and reg == 0:
        out.append(rf"So $f_{{y_i}}$ rises by $\gamma (1 - p_{{y_i}}) \|x_i\|^2 = {fmt(df[yi])}$ and every other "
                   r"$f_m$ falls by $\gamma p_m \|x_i\|^2$: the true class's score rises, every other score falls.")
    elif df[yi] > 0 and all(df[m] < 0 for m in range(len(df)) if m != yi):
        out.append("Here the true class's score rises and every other score falls.")
    else:
        out.append("Here not every other score falls: see the Δf column (the bias, L2 or the batch's other "
                   "samples pull too).")  # fmt: skip
    return tuple(out)


def _l2_sentence(rec) -> str:
    """What the L2 term adds to a score change, in the record's penalty convention."""
    factor = r"\lambda" if kernel.PENALTIES[rec.penalty] == 0.5 else r"2\lambda"
    return rf"L2 adds $-\gamma {factor}\, w_m \cdot x$ to the change of score $f_m$."


MARGIN_TEX = {"hinge": r"f_m - f_{y_i} + \Delta", "structured": r"f_m - f_{y_i} + \Delta", "ova": r"\Delta - t_m f_m"}
COEFF_WORDS = {
    "hinge": r"$c_{i,m} = 1$ for each violated margin of sample $i$ and $c_{i,y_i}$ minus their number",
    "structured": r"$c_{i,m} = 1$ at sample $i$'s strongest rival when its margin is violated, $-1$ at $y_i$",
    "ova": r"$c_{i,m} = 1$ where $\Delta + f_m > 0$ ($m \neq y_i$) and $c_{i,y_i} = -1$ where $\Delta - f_{y_i} > 0$",
}


def _svm_moves(rec, coeff) -> str:
    """How each row moves under one sample's SVM coefficients c (reg 0), read off the numbers."""
    down = [m for m, c in enumerate(coeff.tolist()) if c > 0]
    up = [m for m, c in enumerate(coeff.tolist()) if c < 0]
    parts = [rf"$w_{{{m}}}$ by $-\gamma \cdot {fmt(coeff[m])}\, x_i$" for m in down]
    parts += [rf"$w_{{{m}}}$ by $+\gamma \cdot {fmt(-coeff[m])}\, x_i$" for m in up]
    total = "the coefficients sum to zero" if abs(float(coeff.sum())) < 1e-12 else (
        rf"the coefficients sum to {fmt(coeff.sum())}, not zero: each class is pushed on its own")
    return r"Each row moves by $-\gamma c_m x_i$ (rows counted from 0): " + ", ".join(parts) + \
        "; the others stay; " + total + "."


def _hinge_sentences(frame: Frame, x, yi, p, mg, coeff, mean_c, df) -> tuple[str, ...]:
    """An SVM loss's step in words, each sentence stated only when it holds for these numbers."""
    rec = frame.record
    single, bias, reg = rec.mode == "sample", rec.b_before is not None, rec.reg
    n = int(np.sum(mg > 0))  # violated margins (for the Weston-Watkins loss, 0 at the true class)
    out = []
    if not single:
        out.append(_batch_sentence(rec, "c_{i,m}" if len(rec.indices) > 1 else "c_m")
                   + f" Here {COEFF_WORDS[rec.objective]}.")  # fmt: skip
    if not np.any(coeff):
        still = rf" Softmax would still push it: $p_{{y_i}} = {fmt(p[yi])} < 1$." if p[yi] < 1 else ""
        out.append(rf"Every margin is met (${MARGIN_TEX[rec.objective]} \le 0$): $L_i = 0$ and this "
                   "sample's gradient is zero" + (", so this step changes no weight." if single and reg == 0 else ".")
                   + still)  # fmt: skip
    elif single and reg == 0 and not np.any(x) and not bias:
        out.append(r"Here $x_i = 0$: every gradient row $c_m x_i$ is zero, so this step changes no weight and no "
                   "score.")  # fmt: skip
    elif single and reg == 0:
        out.append(f"{n} margin{'s are' if n != 1 else ' is'} violated (✗ in the table). " + _svm_moves(rec, coeff))
    elif single:
        out.append(rf"With L2 ($\lambda = {fmt(reg)}$) each row's gradient is $c_m x_i$ plus the L2 term: the rows "
                   r"also shrink toward 0, so the updates are **not** all parallel to $x_i$.")  # fmt: skip
    if bias:
        out.append(_bias_sentence(rec, mean_c, "c_{i,m}" if len(rec.indices) > 1 else "c_m"))
    if reg > 0:
        out.append(_l2_sentence(rec))
    out.append(_hinge_effect(frame, yi, mg, df, n, coeff))
    return tuple(out)


def _hinge_effect(frame: Frame, yi, mg, df, n: int, coeff) -> str:
    """What the step does to the sample's scores, checked on the numbers."""
    rec = frame.record
    viol = [m for m in range(len(coeff)) if coeff[m] > 0]
    x = frame.explorer.X[frame.focus]
    sq = float(x @ x)
    if float(np.max(np.abs(df))) < 1e-12 * max(1.0, rec.lr):
        return "This step changes no score of this sample (to 12 digits)."
    if rec.mode == "sample" and rec.b_before is None and rec.reg == 0 and n and rec.objective != "hinge":
        return (r"So each score changes by $-\gamma c_m \|x_i\|^2$: "
                + ", ".join(rf"$\Delta f_{{{m}}} = {fmt(d)}$" for m, d in enumerate(df.tolist())) + ".")
    if rec.mode == "sample" and rec.b_before is None and rec.reg == 0 and n:
        return (rf"So $f_{{y_i}}$ rises by $\gamma \cdot {n}\, \|x_i\|^2 = {fmt(df[yi])}$, each violating $f_m$ falls "
                rf"by $\gamma \|x_i\|^2 = {fmt(rec.lr * sq)}$ and the others stay: each violated margin shrinks by "
                rf"$\gamma ({n} + 1) \|x_i\|^2$, each met one by $\gamma \cdot {n}\, \|x_i\|^2$.")  # fmt: skip
    if not viol:
        pull = "L2" if rec.mode == "sample" else "the batch's other samples" + (" and L2" if rec.reg > 0 else "")
        return f"Its scores change only through {pull}: see the Δf column."
    if df[yi] > 0 and all(df[m] < 0 for m in viol):
        return "Here the true class's score rises and every violating class's score falls."
    return ("Here not every violating score falls while the true one rises: see the Δf column (the bias, L2 or the "
            "batch's other samples pull too).")  # fmt: skip


def is_idle(frame: Frame) -> bool:
    return frame.kind == IDLE


def sample_table(frame: Frame, reg: float) -> tuple[dict, dict]:
    """Every point in the state on screen, as CS231n's demo lists them: (columns, totals).

    columns: "#", "class", one score column per class, "p_y" (softmax only), "L_i" (the loss in
    force: cross-entropy, or the hinge loss sum over m != y of max(0, f_m - f_y + delta)),
    "correct" (strictly the largest score: a tie is wrong), "in step" (a member of the step shown)
    and, with points held out, "test point". totals: the data loss (the mean of L_i over the
    training points, as the status line has it), and with reg > 0 the L2 term and the objective.
    """
    ex = frame.explorer
    W, b = ex.state.W, ex.state.b
    n = ex.n_points
    f = kernel.scores(W, b, ex.X) if n else np.zeros((0, ex.n_classes))  # (N, K)
    rows = np.arange(n)
    L = kernel.sample_terms(ex.objective, W, b, ex.X, ex.y, ex.delta)[0] if n else np.zeros(0)
    correct = kernel.classified(W, b, ex.X, ex.y) if n else np.zeros(0, bool)
    members = np.zeros(n, bool)
    members[frame.indices[frame.indices < n]] = True
    cols = {"#": rows, "class": [ex.names[k] for k in ex.y]}
    for m, name in enumerate(ex.names):
        cols[f"f {name}"] = f[:, m]
    if ex.objective == "softmax":
        cols["p_y"] = probabilities(f)[rows, ex.y] if n else np.zeros(0)
    cols["L_i"] = L
    cols["correct"] = correct
    cols["in step"] = members
    test = np.asarray(ex.test, dtype=bool)
    if np.any(test):
        cols["test point"] = test  # held out: never in a step, not in the data loss
    data = float(L[~test].mean()) if np.any(~test) else float("nan")
    totals = {"data loss": data}
    if reg > 0:
        l2 = float(kernel.penalty(W, reg))
        totals |= {"L2": l2, "objective": data + l2}
    return cols, totals


def _line_in_box(a, c: float, bounds) -> np.ndarray | None:
    """The segment of the line a . x + c = 0 inside the box (x0, x1, y0, y1), as (2, 2), or None."""
    x0, x1, y0, y1 = bounds
    if not np.any(a):
        return None
    pts = []
    for x in (x0, x1):  # crossings of the vertical sides
        if a[1] != 0:
            y = -(a[0] * x + c) / a[1]
            if y0 <= y <= y1:
                pts.append((x, y))
    for y in (y0, y1):  # and of the horizontal ones
        if a[0] != 0:
            x = -(a[1] * y + c) / a[0]
            if x0 <= x <= x1:
                pts.append((x, y))
    pts = _distinct_rows(np.round(np.array(pts, dtype=float), 12)) if pts else np.zeros((0, 2))
    return pts[:2] if len(pts) >= 2 else None


def _distinct_rows(pts: np.ndarray) -> np.ndarray:
    """``np.unique(pts, axis=0)``: the distinct rows of pts (m, 2), sorted. Two rows (a line
    through two sides, the usual case) are compared in Python: np.unique costs ten times more."""
    if len(pts) != 2:
        return np.unique(pts, axis=0)
    a, b = pts.tolist()
    if a == b:  # (as np.unique: -0.0 equals 0.0; the one row left is no segment either way)
        return pts[:1]
    return pts if a < b else pts[::-1].copy()


def zero_lines(W, b, bounds) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """For each class m: (segment of w_m . x + b_m = 0 in the view, (2, 2); its normal w_m as an
    arrow (2, 2) from the line's point nearest the origin), or None when w_m = 0 or the line misses
    the view. The arrow has a fifth of the view's width and points where f_m grows."""
    W = np.asarray(W, dtype=float)
    bb = np.zeros(len(W)) if b is None else np.asarray(b, dtype=float)
    size = 0.2 * (bounds[1] - bounds[0])
    out = []
    for w, c in zip(W, bb, strict=True):
        seg = _line_in_box(w, c, bounds)
        if seg is None:
            out.append(None)
            continue
        n2 = float(w @ w)
        foot = -c * w / n2  # the point of the line nearest the origin
        if not (bounds[0] <= foot[0] <= bounds[1] and bounds[2] <= foot[1] <= bounds[3]):
            foot = seg.mean(axis=0)
        out.append((seg, np.array([foot, foot + size * w / np.sqrt(n2)])))
    return out


def _geometry(frame: Frame, bounds) -> dict:
    """Each class's zero-score line and normal w_m, before and after the step the frame shows.
    In a chunk, the weights after a frame's step are the next frame's before: made once."""
    rec, st, chunk = frame.record, frame.explorer.state, frame.chunk

    def lines(W, b):
        if chunk is None:
            return zero_lines(W, b, bounds)
        return chunk.once(("zero_lines", id(W), id(b)), lambda: zero_lines(W, b, bounds))  # kept alive by the chunk

    if rec is None:
        return {"before": lines(st.W, st.b), "after": None}
    return {"before": lines(rec.W_before, rec.b_before), "after": lines(rec.W_after, rec.b_after)}
