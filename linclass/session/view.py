"""What the explorer draws, computed from one ``Frame``: numbers, ready for the figures and the words.

Every panel draws the same frame, so the plane, the bars, the arrows, the math and the status
line show one moment. The math reuses the step's own gradient: for the focus sample x (true class
y) one step changes its scores by

    delta f_m = -lr * [ mean_i c_im (x_i . x + bias) + 2 c reg * w_m . x ]

over the step's samples i, where c_i = dL_i/df_i are the loss's coefficients (the kernel's
``sample_terms``: p_i - e_{y_i} for softmax, violation counts for the SVM losses) and c the
penalty convention's factor; for the derivation's case (one sample, softmax, no bias, no reg) that
is -lr p_m ||x||^2 for m != y and +lr (1 - p_y) ||x||^2 for m = y. What is said about these
numbers is said in ``linclass.ui.words``: this module holds numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import objective as kernel
from ..core.features import PLANE, in_plane, plane_weights
from ..core.losses import loss_named
from ..core.losses.softmax import probabilities
from ..core.regions import max_prob_grid, max_prob_grid_stack, region_polygons, region_polygons_stack
from .frame import IDLE, TAKEN, Chunk, Frame

__all__ = ["View", "SampleMath", "RegionsModel", "make_view", "tie_regions", "sample_table", "zero_lines", "shown_pair"]

MAX_MEMBER_ARROWS = 40  # a batch's per-sample updates drawn faint: at most this many


@dataclass(frozen=True, eq=False)
class SampleMath:
    """The derivation for the focus sample, with the numbers of the step shown."""

    index: int
    x: np.ndarray  # (2,) the point on the plane
    y: int
    f: np.ndarray  # (K,) scores before the step
    p: np.ndarray  # (K,) softmax(f) before the step
    loss: float  # -log p_y before the step
    coeff: np.ndarray  # (K,) p - e_y
    grad: np.ndarray  # (K, D) the gradient rows the step used (its own, L2 included)
    grad_b: np.ndarray | None  # (K,)
    sq_norm: float  # ||phi(x)||^2
    predicted_df: np.ndarray  # (K,) the formula's score change of x
    measured_df: np.ndarray | None  # (K,) f after - f before (a step taken)
    f_after: np.ndarray | None
    p_after: np.ndarray | None
    mean_coeff: np.ndarray  # (K,) the step's samples' mean coefficients: the bias's gradient
    objective: str = "softmax"  # the step's loss; with "hinge", loss and coeff are the hinge loss's
    delta: float = 1.0
    margins: np.ndarray | None = None  # (K,) f_m - f_y + delta before the step, 0 at y (hinge only)
    margins_after: np.ndarray | None = None  # (K,) after a step taken (hinge only)
    held_out: bool = False  # the sample is a test point: in no step
    phi: np.ndarray | None = None  # (D,) phi(x), what the model sees of x (x itself on the plane's features)
    features: tuple[str, ...] = PLANE  # the names of phi's entries and of W's columns


@dataclass(frozen=True, eq=False)
class RegionsModel:
    """The regions of a model on non-linear features, as the page draws them: the model itself. The
    page evaluates phi(x), the scores and the winner (``core.regions.region_grid``'s, its oracle) at
    every pixel of the plane (static/linclass-regions.js); the server computes no grid."""

    W: np.ndarray  # (K, D), one column per feature
    b: np.ndarray | None  # (K,)
    features: tuple[str, ...]  # the names of W's columns (``core.features``)
    shading: bool  # the confidence shading: max_m p_m veils each pixel


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
    rows: np.ndarray  # (K, 2) rows before the step over the pair of features: where the arrows start
    rows_after: np.ndarray  # (K, 2) rows after the step
    update: np.ndarray | None  # (K, 2) their move
    member_updates: np.ndarray | None  # (B, K, 2) each batch member's share, for faint arrows
    update_x: np.ndarray | None  # the single sample's phi(x_i) over the pair: the update is parallel to it
    math: SampleMath | None
    geometry: dict | None = None  # zero-score lines and normals before and after the step (see zero_lines)
    model: RegionsModel | None = None  # non-linear features: the model the page draws the regions from
    pair: tuple = PLANE  # the two features the arrows are drawn over (the second None: one feature only)


def shown_pair(features, pair: str) -> tuple[str, str | None]:
    """The two features the arrows and the landscape show: ``pair`` ("x1,x2") when both are on,
    else the model's first two (the second None when it has one feature only)."""
    want = tuple(pair.split(","))
    if all(f in features for f in want):
        return want
    return features[0], (features[1] if len(features) > 1 else None)


def over_pair(A, features, pair) -> np.ndarray:
    """The entries (..., D) of A over the pair's features, (..., 2): 0 for a feature not on."""
    A = np.asarray(A, dtype=float)
    out = np.zeros((*A.shape[:-1], 2))
    for j, f in enumerate(pair):
        if f is not None:
            out[..., j] = A[..., features.index(f)]
    return out


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
    """``tie_regions`` of the frame's weights (on the plane: its features are coordinates only): its
    Play chunk's, computed for all of its frames at once, where the chunk has them."""
    chunk, ex = frame.chunk, frame.explorer
    if chunk is not None:
        polygons = chunk.once("regions", lambda: _chunk_regions(chunk))[frame.index]
        if polygons is not None:
            return polygons, []
    return tie_regions(_plane(ex.state.W, ex.features), ex.state.b, bounds)


def _plane(W, features):
    """W over coordinates only as the plane's weights (..., K, 2) (W itself for x1, x2)."""
    return W if tuple(features) == PLANE else plane_weights(W, features)


def _chunk_weights(chunk: Chunk):
    """The chunk's frames' weights stacked: Ws (S, K, D), bs (S, K) or None."""
    states = [ex.state for ex in chunk.explorers]
    return np.array([s.W for s in states]), None if states[0].b is None else np.array([s.b for s in states])


def _chunk_regions(chunk: Chunk) -> list[list[np.ndarray] | None]:
    """Per frame: ``region_polygons`` of its weights, the very same arrays; None where two of its
    rows (w, b) are alike (those tie: ``tie_regions`` paints them)."""
    Ws, bs = _chunk_weights(chunk)
    Ws = _plane(Ws, chunk.explorers[0].features)
    key = Ws if bs is None else np.concatenate([Ws, bs[:, :, None]], axis=2)  # each row (w[, b])
    alike = (key[:, :, None, :] == key[:, None, :, :]).all(axis=3).sum(axis=(1, 2)) > Ws.shape[1]
    polygons = region_polygons_stack(Ws, bs, chunk.bounds)
    return [None if tie else p for p, tie in zip(polygons, alike.tolist(), strict=True)]


def _shading(frame: Frame, bounds, n: int = 48):
    """``max_prob_grid`` of the frame's weights (on the plane): its chunk's, for all of its frames at once."""
    chunk, ex = frame.chunk, frame.explorer
    if chunk is None:
        return max_prob_grid(_plane(ex.state.W, ex.features), ex.state.b, bounds, n=n)

    def make():
        Ws, bs = _chunk_weights(chunk)
        return max_prob_grid_stack(_plane(Ws, ex.features), bs, bounds, n)

    return chunk.once(("shading", n), make)[frame.index]


def bar_margins(frame: Frame) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The SVM losses' bars: the focus sample's margins (its loss module's ``margins``) under the
    weights on screen, and before the step just taken (ghosts); (None, None) with the softmax loss."""
    ex, rec = frame.explorer, frame.record
    if ex.objective == "softmax" or frame.focus is None:
        return None, None
    x, yi = ex.Phi[frame.focus], int(ex.y[frame.focus])
    now = _margins(ex.objective, ex.state.W, ex.state.b, x, yi, ex.delta)
    ghost = None
    if frame.kind == TAKEN:
        ghost = _margins(ex.objective, rec.W_before, rec.b_before, x, yi, ex.delta)
    return now, ghost


def _margins(loss: str, W, b, x, yi: int, delta: float) -> np.ndarray:
    return loss_named(loss).margins(kernel.scores(W, b, x)[None], np.array([yi]), delta)[0]


def coefficients(frame: Frame) -> np.ndarray:
    """dL_i/df_m of each of the step's samples under the step's loss, before it (B, K): p - e_y
    for softmax; for the SVM losses their violation counts (the kernel's ``sample_terms``)."""
    rec, ex = frame.record, frame.explorer
    idx = frame.indices
    return kernel.sample_terms(rec.objective, rec.W_before, rec.b_before, ex.Phi[idx], ex.y[idx], rec.delta)[1]


def make_view(frame: Frame, *, shading: bool = False, math: bool = True, geometry: bool = False,
              pair: str = "x1,x2") -> View:  # fmt: skip
    """Everything the explorer draws for this frame (``math=False``: without the math tab's
    numbers, which Play's frames do not show); ``pair`` the features the arrows are drawn over.
    (The L2 strength a step used is in the frame's record.)"""
    ex = frame.explorer
    bounds = ex.bounds() if frame.chunk is None else frame.chunk.bounds  # a chunk's frames share their points
    rec = frame.record
    members = frame.indices
    math = math and frame.focus is not None and rec is not None
    # The coefficients serve the batch's faint arrows and the math: a Play frame on one sample needs neither.
    coeff = coefficients(frame) if rec is not None and (rec.mode != "sample" or math) else None
    bars, ghosts = bar_margins(frame)
    cols = shown_pair(ex.features, pair)
    return View(
        moment=frame.moment, bounds=bounds, **_plane_parts(frame, bounds, shading, geometry), focus=frame.focus,
        selected=ex.selected, members=members if (rec is not None and rec.mode != "sample") else members[:0],
        p=frame.p_shown, p_before=frame.p_ghost, objective=ex.objective, margins=bars, margins_before=ghosts,
        loss_i=_focus_loss(frame), **_arrows(frame, coeff, cols), math=_sample_math(frame, coeff) if math else None,
        pair=cols,
    )  # fmt: skip


def _plane_parts(frame: Frame, bounds, shading: bool, geometry: bool) -> dict:
    """The plane's regions: exact polygons (with the shading and the geometry, when asked) for
    features that are coordinates only, else the model, which the page draws at screen resolution."""
    ex = frame.explorer
    if not in_plane(ex.features):
        model = RegionsModel(ex.state.W, ex.state.b, ex.features, shading)
        return {"polygons": [], "ties": [], "shading": None, "geometry": None, "model": model}
    polygons, ties = _regions(frame, bounds)
    return {"polygons": polygons, "ties": ties, "shading": _shading(frame, bounds) if shading else None,
            "geometry": _geometry(frame, bounds) if geometry else None, "model": None}  # fmt: skip


def _focus_loss(frame: Frame) -> float | None:
    """L_i of the focus sample in the state on screen, in the loss in force."""
    ex, i = frame.explorer, frame.focus
    if i is None:
        return None
    return float(kernel.sample_terms(ex.objective, ex.state.W, ex.state.b, ex.Phi[i][None], ex.y[i : i + 1],
                                     ex.delta)[0][0])  # fmt: skip


def _arrows(frame: Frame, coeff, cols) -> dict:
    """The rows before and after the step over the pair of features ``cols``, their update and the
    batch members' shares."""
    rec, ex = frame.record, frame.explorer
    pair = lambda A: A if ex.features == PLANE and cols == PLANE else over_pair(A, ex.features, cols)  # noqa: E731
    if rec is None:
        W = pair(ex.state.W)
        return {"rows": W, "rows_after": W, "update": None, "member_updates": None, "update_x": None}
    single = rec.mode == "sample"
    return {"rows": pair(rec.W_before), "rows_after": pair(rec.W_after),
            "update": _resolved(pair(rec.W_after - rec.W_before), pair(rec.W_before)),
            "member_updates": None if single else pair(_member_updates(frame, coeff)),
            "update_x": pair(ex.Phi[frame.indices[0]]) if single else None}  # fmt: skip


def _resolved(update: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The update, or zeros where it is below rounding (1e-12 of the rows' size): a converged step's
    ~1e-16 change is no move, and no arrow is drawn for it, as the math panel finds no score change."""
    if float(np.abs(update).max(initial=0.0)) <= 1e-12 * max(1.0, float(np.abs(rows).max(initial=0.0))):
        return np.zeros_like(update)
    return update


def _member_updates(frame: Frame, coeff: np.ndarray) -> np.ndarray:
    """Each batch member's share of the update, -lr/B c_i phi(x_i) per row (c_i = p_i - e_yi for
    softmax), (B, K, D)."""
    rec, ex = frame.record, frame.explorer
    idx = frame.indices[:MAX_MEMBER_ARROWS]
    C = coeff[:MAX_MEMBER_ARROWS]  # (B, K)
    return -rec.lr / len(frame.indices) * C[:, :, None] * ex.Phi[idx][:, None, :]


def _sample_math(frame: Frame, C: np.ndarray) -> SampleMath:
    """The focus sample's derivation, with x_i replaced by phi(x_i); ``C`` (B, K) holds the step's
    samples' coefficients."""
    rec, ex, i = frame.record, frame.explorer, frame.focus
    x, yi = ex.Phi[i], int(ex.y[i])
    W0, b0, W1, b1 = rec.W_before, rec.b_before, rec.W_after, rec.b_after
    f = kernel.scores(W0, b0, x)
    p = probabilities(f)
    (loss,), (coeff,) = kernel.sample_terms(rec.objective, W0, b0, x[None], np.array([yi]), rec.delta)
    svm = rec.objective != "softmax"
    mg = _margins(rec.objective, W0, b0, x, yi, rec.delta) if svm else None
    # The step's samples' coefficients and their effect on x's scores, from the formula.
    bias = b0 is not None
    inner = ex.Phi[frame.indices] @ x + bias  # (B,)  phi(x_i) . phi(x) (+1 for the bias)
    predicted = -rec.lr * (C.T @ inner / len(inner) + 2 * kernel.PENALTIES[rec.penalty] * rec.reg * (W0 @ x))
    taken = frame.kind == TAKEN
    f_after = kernel.scores(W1, b1, x)
    return SampleMath(
        index=i, x=ex.X[i], y=yi, f=f, p=p, loss=float(loss), coeff=coeff, grad=rec.dW, grad_b=rec.db,
        sq_norm=float(x @ x), predicted_df=predicted, measured_df=(f_after - f) if taken else None,
        f_after=f_after if taken else None, p_after=probabilities(f_after) if taken else None,
        mean_coeff=C.mean(axis=0), objective=rec.objective, delta=rec.delta,
        margins=mg, margins_after=_margins(rec.objective, W1, b1, x, yi, rec.delta) if svm and taken else None,
        held_out=bool(ex.test[i]), phi=x, features=ex.features,
    )  # fmt: skip


def is_idle(frame: Frame) -> bool:
    return frame.kind == IDLE


def sample_table(frame: Frame, reg: float, penalty: str = "half") -> tuple[dict, dict]:
    """Every point in the state on screen, as CS231n's demo lists them: (columns, totals).

    columns: "#", "class", "p_y" (softmax only), "L_i" (the loss in force: cross-entropy, or the
    hinge loss sum over m != y of max(0, f_m - f_y + delta)), "correct" (strictly the largest
    score: a tie is wrong), "in step" (a member of the step shown), with points held out "test
    point", then one score column "f <name>" per class. totals: the data loss (the mean of L_i over
    the training points, as the status line has it), and with reg > 0 the L2 term (in the
    convention ``penalty``) and the objective.
    """
    ex = frame.explorer
    W, b = ex.state.W, ex.state.b
    n = ex.n_points
    f = kernel.scores(W, b, ex.Phi) if n else np.zeros((0, ex.n_classes))  # (N, K)
    rows = np.arange(n)
    L = kernel.sample_terms(ex.objective, W, b, ex.Phi, ex.y, ex.delta)[0] if n else np.zeros(0)
    correct = kernel.classified(W, b, ex.Phi, ex.y) if n else np.zeros(0, bool)
    members = np.zeros(n, bool)
    members[frame.indices[frame.indices < n]] = True
    cols = {"#": rows, "class": [ex.names[k] for k in ex.y]}
    if ex.objective == "softmax":
        cols["p_y"] = probabilities(f)[rows, ex.y] if n else np.zeros(0)
    cols["L_i"] = L
    cols["correct"] = correct
    cols["in step"] = members
    test = np.asarray(ex.test, dtype=bool)
    if np.any(test):
        cols["test point"] = test  # held out: never in a step, not in the data loss
    for m, name in enumerate(ex.names):  # last: eight score columns must not push the verdicts off screen
        cols[f"f {name}"] = f[:, m]
    data = float(L[~test].mean()) if np.any(~test) else float("nan")
    totals = {"data loss": data}
    if reg > 0:
        l2 = float(kernel.penalty(W, reg, penalty))
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
    rec, st, chunk, features = frame.record, frame.explorer.state, frame.chunk, frame.explorer.features

    def lines(W, b):
        if chunk is None:
            return zero_lines(_plane(W, features), b, bounds)
        # kept alive by the chunk
        return chunk.once(("zero_lines", id(W), id(b)), lambda: zero_lines(_plane(W, features), b, bounds))

    if rec is None:
        return {"before": lines(st.W, st.b), "after": None}
    return {"before": lines(rec.W_before, rec.b_before), "after": lines(rec.W_after, rec.b_after)}
