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

from ..core.hinge import hinge_sample_loss, margins, score_margins
from ..core.model import sample_loss, scores, softmax
from ..core.regions import max_prob_grid, region_polygons
from ..core.regions_many import max_prob_grid_many, region_polygons_many
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
    polygons = region_polygons_many(Ws, bs, chunk.bounds)
    return [None if tie else p for p, tie in zip(polygons, alike.tolist(), strict=True)]


def _shading(frame: Frame, bounds, n: int = 48):
    """``max_prob_grid`` of the frame's weights: its chunk's, for all of its frames at once."""
    chunk = frame.chunk
    if chunk is None:
        return max_prob_grid(frame.explorer.state.W, frame.explorer.state.b, bounds, n=n)
    return chunk.once(("shading", n), lambda: max_prob_grid_many(*_chunk_weights(chunk), bounds, n))[frame.index]


def status_line(frame: Frame, reg: float) -> str:
    """Step, loss (of the loss in force) and accuracy on the training points, on the test points
    if some are held out, the points and the sample shown."""
    ex = frame.explorer
    s = ex.state
    train = "training " if ex.n_test else ""
    what = "hinge loss" if ex.objective == "hinge" else "loss"
    if s.loss is None:
        loss = f"{train}{what} –"
    elif reg > 0:
        l2 = 0.5 * reg * float(np.sum(s.W * s.W))
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
    """The hinge bars: the focus sample's margins f_m - f_y + delta (0 at y) under the weights on
    screen, and before the step just taken (ghosts); (None, None) with the softmax loss."""
    ex, rec = frame.explorer, frame.record
    if ex.objective != "hinge" or frame.focus is None:
        return None, None
    x, yi = ex.X[frame.focus], int(ex.y[frame.focus])
    now = margins(ex.state.W, ex.state.b, x, yi, ex.delta)
    ghost = margins(rec.W_before, rec.b_before, x, yi, ex.delta) if frame.kind == TAKEN else None
    return now, ghost


def coefficients(frame: Frame) -> np.ndarray:
    """dL_i/df_m of each of the step's samples under the step's loss, before it (B, K): p - e_y
    for softmax; for the hinge loss 1 per violated margin, minus their count at the true class."""
    rec, ex = frame.record, frame.explorer
    idx = frame.indices
    onehot = np.eye(ex.n_classes)[ex.y[idx]]  # (B, K)
    if rec.objective != "hinge":
        return frame.probs_before - onehot
    rows = np.arange(len(idx))
    f = scores(rec.W_before, rec.b_before, ex.X[idx])  # (B, K)
    viol = f - f[rows, ex.y[idx]][:, None] + rec.delta > 0  # a margin exactly 0 is met, as in the core
    viol[rows, ex.y[idx]] = False
    return viol - onehot * viol.sum(axis=1, keepdims=True)


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
        update = rows_after - rows
        member_updates = _member_updates(frame, coeff) if rec.mode != "sample" else None
        update_x = ex.X[members[0]] if rec.mode == "sample" else None
    math = _sample_math(frame, coeff) if math else None
    bars, ghosts = bar_margins(frame)
    return View(
        moment=frame.moment, bounds=bounds, polygons=polygons, ties=ties, shading=shade, focus=frame.focus,
        selected=ex.selected, members=members if (rec is not None and rec.mode != "sample") else members[:0],
        p=frame.p_shown, p_before=frame.p_ghost, objective=ex.objective, margins=bars, margins_before=ghosts,
        rows=rows, rows_after=rows_after, update=update,
        member_updates=member_updates, update_x=update_x,
        update_note=_update_note(update, update_x, rec), math=math, status=status_line(frame, reg),
        geometry=_geometry(frame, bounds) if geometry else None,
    )  # fmt: skip


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
    f = scores(rec.W_before, rec.b_before, x)
    p = softmax(f)
    hinge = rec.objective == "hinge"
    W0, b0, W1, b1 = rec.W_before, rec.b_before, rec.W_after, rec.b_after
    mg = margins(W0, b0, x, yi, rec.delta) if hinge else None
    if hinge:
        coeff = (mg > 0).astype(float)
        coeff[yi] = -coeff.sum()
        loss = hinge_sample_loss(W0, b0, x, yi, rec.delta)
    else:
        coeff, loss = p - np.eye(ex.n_classes)[yi], sample_loss(W0, b0, x, yi)
    # The step's samples' coefficients and their effect on x's scores, from the formula.
    bias = b0 is not None
    inner = ex.X[frame.indices] @ x + bias  # (B,)  x_i . x (+1 for the bias)
    predicted = -rec.lr * (C.T @ inner / len(inner) + rec.reg * (W0 @ x))
    taken = frame.kind == TAKEN
    f_after = scores(W1, b1, x)
    says = _hinge_sentences(frame, x, yi, p, mg, predicted) if hinge else _sentences(frame, x, yi, p, predicted)
    if ex.test[i]:
        says = (f"Sample #{i} is a **test point**: it is in no step (steps use training points only); the table "
                "shows what this step, taken on training points, does to its scores.", *says)  # fmt: skip
    return SampleMath(
        index=i, x=x, y=yi, f=f, p=p, loss=loss, coeff=coeff, grad=rec.dW, grad_b=rec.db, sq_norm=float(x @ x),
        predicted_df=predicted, measured_df=(f_after - f) if taken else None, f_after=f_after if taken else None,
        p_after=softmax(f_after) if taken else None, sentences=says, objective=rec.objective, delta=rec.delta,
        margins=mg, margins_after=margins(W1, b1, x, yi, rec.delta) if hinge and taken else None,
        held_out=bool(ex.test[i]),
    )  # fmt: skip


def _sentences(frame: Frame, x, yi, p, df) -> tuple[str, ...]:
    """What the step does, each sentence stated only when it holds for these settings and numbers."""
    rec = frame.record
    single = rec.mode == "sample"
    bias = rec.b_before is not None
    lr, reg = rec.lr, rec.reg
    out = []
    if not single:
        out.append(f"This is a {'mini-batch' if rec.mode == 'minibatch' else 'full-batch'} step on "
                   f"{len(rec.indices)} samples: each row's update is the **mean** of the samples' updates, "
                   r"$\nabla_{w_m} = \frac{1}{B}\sum_i (p_{i,m} - [m = y_i])\, x_i$"
                   + (r" $+ \lambda w_m$" if reg > 0 else "")
                   + ". The rows no longer all move along one $x_i$; below is the effect on the scores of "
                   f"sample #{frame.focus}.")  # fmt: skip
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
        out.append(rf"With L2 ($\lambda = {fmt(reg)}$) each row's gradient is $(p_m - [m = y_i])\, x_i + \lambda w_m$: "
                   r"the rows also shrink toward 0, so the updates are **not** all parallel to $x_i$ and need not "
                   "sum to zero.")  # fmt: skip
    if bias:
        out.append(r"The bias moves by $-\gamma (p_m - [m = y_i])$, which adds that much to each score change.")
    if reg > 0:
        out.append(L2_SENTENCE)
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


L2_SENTENCE = r"L2 adds $-\gamma \lambda\, w_m \cdot x$ to the change of score $f_m$."


def _hinge_sentences(frame: Frame, x, yi, p, mg, df) -> tuple[str, ...]:
    """The hinge loss's step in words, each sentence stated only when it holds for these numbers."""
    rec = frame.record
    single, bias, reg = rec.mode == "sample", rec.b_before is not None, rec.reg
    n = int(np.sum(mg > 0))  # violated margins (0 at the true class)
    out = []
    if not single:
        out.append(f"This is a {'mini-batch' if rec.mode == 'minibatch' else 'full-batch'} step on "
                   f"{len(rec.indices)} samples: each row's update is the **mean** of the samples' updates, "
                   r"$\nabla_{w_m} = \frac{1}{B}\sum_i c_{i,m}\, x_i$" + (r" $+ \lambda w_m$" if reg > 0 else "")
                   + r", with $c_{i,m} = 1$ for each violated margin of sample $i$ and $c_{i,y_i}$ minus their "
                   f"number. Below is the effect on the scores of sample #{frame.focus}.")  # fmt: skip
    if n == 0:
        still = rf" Softmax would still push it: $p_{{y_i}} = {fmt(p[yi])} < 1$." if p[yi] < 1 else ""
        out.append(r"Every margin is met ($f_m - f_{y_i} + \Delta \le 0$ for every $m \neq y_i$): $L_i = 0$ and this "
                   "sample's gradient is zero" + (", so this step changes no weight." if single and reg == 0 else ".")
                   + still)  # fmt: skip
    elif single and reg == 0 and not np.any(x) and not bias:
        out.append(r"Here $x_i = 0$: every gradient row $c_m x_i$ is zero, so this step changes no weight and no "
                   "score.")  # fmt: skip
    elif single and reg == 0:
        out.append(f"{n} margin{'s are' if n > 1 else ' is'} violated (✗ in the table): each violating row $w_m$ "
                   rf"moves by $-\gamma x_i$, the true row $w_{{y_i}}$ by $+\gamma \cdot {n}\, x_i$, and the rows "
                   "whose margin is met stay; the coefficients sum to zero.")  # fmt: skip
    elif single:
        out.append(rf"With L2 ($\lambda = {fmt(reg)}$) each row's gradient is $c_m x_i + \lambda w_m$: the rows also "
                   r"shrink toward 0, so the updates are **not** all parallel to $x_i$ and need not sum to zero.")
    if bias:
        out.append(r"The bias moves by $-\gamma" + (r" c_m$" if single else r" \frac{1}{B}\sum_i c_{i,m}$")
                   + ", which adds that much to each score change.")  # fmt: skip
    if reg > 0:
        out.append(L2_SENTENCE)
    out.append(_hinge_effect(frame, yi, mg, df, n))
    return tuple(out)


def _hinge_effect(frame: Frame, yi, mg, df, n: int) -> str:
    """What the step does to the sample's scores, checked on the numbers."""
    rec = frame.record
    viol = [m for m in range(len(mg)) if mg[m] > 0]
    x = frame.explorer.X[frame.focus]
    sq = float(x @ x)
    if float(np.max(np.abs(df))) < 1e-12 * max(1.0, rec.lr):
        return "This step changes no score of this sample (to 12 digits)."
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
    f = scores(W, b, ex.X) if n else np.zeros((0, ex.n_classes))  # (N, K)
    rows = np.arange(n)
    if ex.objective == "hinge":
        L = np.maximum(score_margins(f, ex.y, ex.delta), 0.0).sum(axis=1)
    else:
        shift = f - f.max(axis=1, keepdims=True) if n else f
        logsum = np.log(np.exp(shift).sum(axis=1)) if n else np.zeros(0)
        L = logsum - shift[rows, ex.y] if n else np.zeros(0)  # -log p_y by log-sum-exp
    others = f.copy()
    others[rows, ex.y] = -np.inf
    correct = f[rows, ex.y] > others.max(axis=1) if n else np.zeros(0, bool)
    members = np.zeros(n, bool)
    members[frame.indices[frame.indices < n]] = True
    cols = {"#": rows, "class": [ex.names[k] for k in ex.y]}
    for m, name in enumerate(ex.names):
        cols[f"f {name}"] = f[:, m]
    if ex.objective != "hinge":
        cols["p_y"] = np.exp(-L)
    cols["L_i"] = L
    cols["correct"] = correct
    cols["in step"] = members
    test = np.asarray(ex.test, dtype=bool)
    if np.any(test):
        cols["test point"] = test  # held out: never in a step, not in the data loss
    data = float(L[~test].mean()) if np.any(~test) else float("nan")
    totals = {"data loss": data}
    if reg > 0:
        l2 = 0.5 * reg * float(np.sum(W * W))
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
