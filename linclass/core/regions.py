"""Decision regions of a linear classifier in the plane, as exact convex polygons, and its confidence.

Class m wins where f_m >= f_k for every k, i.e. inside the half-planes
(w_m - w_k) . x + (b_m - b_k) >= 0. Intersected with the view rectangle that is a convex
polygon, found by clipping the rectangle against each half-plane (Sutherland-Hodgman).
Ties go to the lower class index, as with ``np.argmax``.

One implementation serves one state and a stack of states (Play's chunk): the clipping runs for
every class of every state in lockstep, one NumPy operation for all of them; a single state is a
stack of one. Shapes: Ws (S, K, 2), bs (S, K) or None; P = S * K polygons of at most V = K + 4
vertices, held as xs, ys (P, V) with n (P,) of them in use.

Public functions check their arguments first: non-finite weights, wrong shapes or a bad view
rectangle are a ValueError naming the argument.
"""

from __future__ import annotations

import numpy as np

from . import objective as kernel
from .checks import bounds as check_bounds
from .checks import real_array, whole
from .features import PLANE, feature_names, phi
from .losses.softmax import max_probability, probabilities
from .model import check_model, scores

__all__ = ["region_polygons", "region_polygons_stack", "predict", "max_prob_grid", "max_prob_grid_stack",
           "grid_points", "region_grid", "region_grid_stack", "CELLS", "TIE"]  # fmt: skip

CELLS = 2_000_000  # grid scores held at once: bounded memory for any chunk
TIE = -1  # ``region_grid``'s class where two or more classes share the largest score


def region_polygons(W, b, bounds) -> list[np.ndarray]:
    """For each class, the polygon (n_m, 2) where it wins inside ``bounds = (x0, x1, y0, y1)``.

    Vertices run counter-clockwise; a class that wins nowhere in the view (or only on a line or
    a point of it) gets an empty (0, 2) array. The polygons tile the rectangle, overlapping only
    on their shared edges.
    """
    W, b = _plane_model(W, b)
    return region_polygons_stack(W[None], None if b is None else b[None], bounds)[0]


def region_polygons_stack(Ws, bs, bounds) -> list[list[np.ndarray]]:
    """``[region_polygons(Ws[s], bs[s], bounds) for s in range(S)]``: Ws (S, K, 2), bs (S, K) or None;
    the clipping runs for every class of every state in lockstep."""
    Ws = real_array(Ws, "Ws", 3)
    S, K, D = Ws.shape
    if D != 2:
        raise ValueError(f"decision regions are drawn in the plane: Ws must be (S, K, 2), got {Ws.shape}")
    bb = np.zeros((S, K)) if bs is None else real_array(bs, "bs", 2)
    if bb.shape != (S, K):
        raise ValueError(f"bs must have shape ({S}, {K}) to match Ws, got {bb.shape}")
    x0, x1, y0, y1 = check_bounds(bounds)
    # As region_polygons: all scores of a state scaled by one positive number (moves no boundary).
    scale = np.maximum(np.abs(Ws).max(axis=(1, 2), initial=0.0), np.abs(bb).max(axis=1, initial=0.0))
    safe = np.where(scale > 0, scale, 1.0)
    Wn, bn = Ws / safe[:, None, None], bb / safe[:, None]  # dividing by 1 changes nothing: as unscaled
    V = K + 4  # each clip of a convex polygon adds at most one vertex
    xs, ys = np.zeros((S * K, V)), np.zeros((S * K, V))
    xs[:, :4], ys[:, :4] = (x0, x1, x1, x0), (y0, y0, y1, y1)  # the rectangle, counter-clockwise
    n = np.full(S * K, 4)
    m, s_of = np.tile(np.arange(K), S), np.repeat(np.arange(S), K)  # polygon p: class m[p] of state s_of[p]
    with np.errstate(all="ignore"):  # the unused entries of a row hold anything: never read
        for j in range(K - 1):  # class m's j-th constraint is the j-th other class k, in order
            k = np.where(j < m, j, j + 1)
            ax = Wn[s_of, m, 0] - Wn[s_of, k, 0]
            ay = Wn[s_of, m, 1] - Wn[s_of, k, 1]
            c = bn[s_of, m] - bn[s_of, k]
            n[(k < m) & (ax == 0) & (ay == 0) & (c == 0)] = 0  # identical scores: the lower index wins
            xs, ys, n = _clip(xs, ys, n, ax, ay, c)
        n[_slivers(xs, ys, n, 1e-12 * (x1 - x0) * (y1 - y0))] = 0
    xy = np.stack([xs, ys], axis=2)  # (P, V, 2): polygon p is the contiguous block xy[p, :n[p]]
    polys = [xy[p, :size] for p, size in enumerate(n.tolist())]
    return [polys[s * K : (s + 1) * K] for s in range(S)]


def max_prob_grid(W, b, bounds, n: int = 80):
    """max_m p_m on an n x n grid over ``bounds``; returns (xs (n,), ys (n,), pmax (n, n) float32).

    ``pmax[j, i]`` is at (xs[i], ys[j]), the layout a heatmap expects. Used for the optional
    confidence shading; it is in [1/K, 1], and NaN (no shading) where the scores overflow.
    ``n`` is a whole number in [1, 1000].
    """
    W, b = _plane_model(W, b)
    return max_prob_grid_stack(W[None], None if b is None else b[None], bounds, n)[0]


def max_prob_grid_stack(Ws, bs, bounds, n: int = 80):
    """``[max_prob_grid(Ws[s], bs[s], bounds, n) for s in range(S)]``, computed together: the
    grid (xs, ys) is shared, each state's pmax (n, n) float32, NaN where its scores overflow."""
    Ws = real_array(Ws, "Ws", 3)
    bs = None if bs is None else real_array(bs, "bs", 2)
    xs, ys, grid = grid_points(bounds, whole(n, "n", 1, 1000))  # grid (n * n, 2)
    out = []
    per = max(1, CELLS // (len(grid) * Ws.shape[1]))  # states at once
    for lo in range(0, len(Ws), per):
        f = kernel.scores(Ws[lo : lo + per], None if bs is None else bs[lo : lo + per], grid)  # (s, G, K)
        finite = np.isfinite(f).all(axis=-1)
        pmax = probabilities(np.where(finite[..., None], f, 0.0)).max(axis=-1)
        pmax[~finite] = np.nan
        out += [(xs, ys, p.reshape(n, n).astype(np.float32)) for p in pmax]
    return out


def region_grid(W, b, bounds, features=PLANE, n: int = 200, confidence: bool = True):
    """The decision regions of a classifier linear in ``features`` (``core.features``), on an n x n
    grid over ``bounds``: (xs (n,), ys (n,), winner (n, n) int8, pmax (n, n) float32).

    ``winner[j, i]`` is the class with the largest score at (xs[i], ys[j]), TIE (-1) where two or
    more share it (as ``objective.classified`` counts a tie) or a score overflows; ``pmax`` is
    max_m p_m there (the confidence shading), NaN where a score overflows (None unless
    ``confidence``). W is (K, D), one column per feature; ``n`` a whole number in [1, 1000].
    """
    W, b = check_model(W, b)
    names = feature_names(features)
    if W.shape[1] != len(names):
        raise ValueError(f"W must have one column per feature ({len(names)}: {', '.join(names)}), got {W.shape}")
    return region_grid_stack(W[None], None if b is None else b[None], bounds, names, n, confidence)[0]


def region_grid_stack(Ws, bs, bounds, features=PLANE, n: int = 200, confidence: bool = True):
    """``[region_grid(Ws[s], bs[s], bounds, features, n) for s in range(S)]``, computed together:
    the grid's features phi(grid) are made once, and the scores of every state are one matrix
    product phi(grid) W^T + b. Arguments trusted but the bounds and n (a chunk's weights were checked)."""
    xs, ys, grid = grid_points(bounds, whole(n, "n", 1, 1000))
    feats = phi(grid, tuple(features))  # (G, D)
    out = []
    per = max(1, CELLS // (len(grid) * Ws.shape[1]))  # states at once
    for lo in range(0, len(Ws), per):
        f = kernel.scores_by_class(Ws[lo : lo + per], None if bs is None else bs[lo : lo + per], feats)  # (s, K, G)
        winner, pmax = _winner_and_confidence(f, confidence)
        out += [(xs, ys, w.reshape(n, n), None if p is None else p.reshape(n, n))
                for w, p in zip(winner, pmax if confidence else [None] * len(winner), strict=True)]  # fmt: skip
    return out


def _winner_and_confidence(f, confidence: bool):
    """(winner (s, G) int8, pmax (s, G) float32 or None) of class-major grid scores f (s, K, G): the
    class with the largest score (TIE where two share it, or where a score is not finite), max_m p_m."""
    top = f.max(axis=1)
    finite = np.isfinite(top)
    winner = np.full(top.shape, TIE, np.int8)
    count = np.zeros(top.shape, np.int8)
    for m in range(f.shape[1] - 1, -1, -1):  # from the last class down: the lowest index wins
        at = f[:, m] == top
        winner[at] = m
        count += at
    winner[(count > 1) | ~finite] = TIE
    if not confidence:
        return winner, None
    with np.errstate(invalid="ignore"):
        pmax = max_probability(f, top, axis=1).astype(np.float32)
    pmax[~finite] = np.nan
    return winner, pmax


def _plane_model(W, b):
    W, b = check_model(W, b)
    if W.shape[1] != 2:
        raise ValueError(f"decision regions are drawn in the plane: W must be (K, 2), got {W.shape}")
    return W, b


def predict(W, b, X) -> np.ndarray:
    """The winning class of each row of X, shape (N,)."""
    return np.argmax(scores(W, b, X), axis=1)


def grid_points(bounds, n: int):
    """(xs (n,), ys (n,), the grid's points (n * n, 2)), row by row: point j * n + i is (xs[i], ys[j])."""
    x0, x1, y0, y1 = check_bounds(bounds)
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def _clip(xs, ys, n, ax, ay, c):
    """Every polygon clipped to a . x + c >= 0 (Sutherland-Hodgman, all polygons in lockstep)."""
    P, V = xs.shape
    col = np.arange(V)
    used = col < n[:, None]
    s = ax[:, None] * xs + ay[:, None] * ys + c[:, None]  # signed side of each vertex      (P, V)
    keep = (s >= 0) | ~used
    cut = (n > 0) & ~keep.all(axis=1)  # some vertex on each side, or none kept
    nxt = _next(n, V)  # flat index of vertex i + 1 (cyclic) of each vertex i
    s_j, x_j, y_j, keep_j = s.take(nxt), xs.take(nxt), ys.take(nxt), keep.take(nxt)
    t = s / (s - s_j)
    cx, cy = xs + t * (x_j - xs), ys + t * (y_j - ys)  # the crossing of each crossing edge
    # Candidates in order: vertex i (if kept), then the crossing after it (if any).
    ox, oy = np.stack([xs, cx], axis=2).reshape(P, 2 * V), np.stack([ys, cy], axis=2).reshape(P, 2 * V)
    ok = np.stack([keep & used, used & (keep != keep_j)], axis=2).reshape(P, 2 * V)
    ox, oy, cnt = _packed(ox, oy, ok)
    # Drop a vertex equal to the next one (a crossing exactly at a vertex).
    inside = np.arange(2 * V) < cnt[:, None]
    tol = 1e-12 * np.maximum(1.0, np.where(inside, np.maximum(np.abs(ox), np.abs(oy)), 0.0).max(axis=1))
    nxt = _next(cnt, 2 * V)
    apart = inside & ((np.abs(ox - ox.take(nxt)) > tol[:, None]) | (np.abs(oy - oy.take(nxt)) > tol[:, None]))
    ox, oy, cnt = _packed(ox, oy, apart)
    cnt[cnt < 3] = 0
    new_n = np.where(cut, cnt, np.where(keep.all(axis=1), n, 0))  # uncut: all kept, or none left
    # A convex polygon gains at most a vertex a clip; rounding on a near-degenerate one may give
    # more: the rows widen rather than lose one.
    width = max(V, int(cnt.max(initial=0)))
    if width > V:
        xs, ys = np.pad(xs, ((0, 0), (0, width - V))), np.pad(ys, ((0, 0), (0, width - V)))
    return np.where(cut[:, None], ox[:, :width], xs), np.where(cut[:, None], oy[:, :width], ys), new_n


def _next(n, V: int) -> np.ndarray:
    """Flat indices into (P, V) rows of n entries: for entry i, entry i + 1, or 0 after the last."""
    col = np.arange(V)
    return np.where(col + 1 < n[:, None], col + 1, 0) + V * np.arange(len(n))[:, None]


def _packed(xs, ys, ok):
    """The entries where ``ok`` is true moved to the front of each row, in order; their count."""
    P, V = xs.shape
    at = np.cumsum(ok, axis=1) - 1 + V * np.arange(P)[:, None]  # where each kept entry goes (flat)
    ox, oy = np.zeros((P, V)), np.zeros((P, V))
    ox.ravel()[at[ok]], oy.ravel()[at[ok]] = xs[ok], ys[ok]
    return ox, oy, ok.sum(axis=1)


def _slivers(xs, ys, n, floor: float) -> np.ndarray:
    """Which polygons have a shoelace area of at most ``floor`` (a line or a point: no area)."""
    P, V = xs.shape
    col = np.arange(V)[None, :]
    nxt = np.where(col + 1 < n[:, None], col + 1, 0)
    rows = np.arange(P)[:, None]
    terms = np.where(col < n[:, None], xs * ys[rows, nxt] - xs[rows, nxt] * ys, 0.0)  # shoelace terms
    total = terms.sum(axis=1)
    return (n > 0) & (0.5 * np.abs(total) <= floor)
