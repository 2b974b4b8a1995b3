"""The decision regions (and confidence grids) of many weights at once, each exactly
``region_polygons``'s (``max_prob_grid``'s): what a Play chunk's frames draw, computed together.

``regions.region_polygons`` clips the view rectangle against one half-plane after another in
plain Python, a few microseconds a clip, a dozen clips a frame. Here the same Sutherland-Hodgman
runs for every class of every state in lockstep, one NumPy operation for all of them: the same
arithmetic in the same order on the same floats (the signed sides a.x + c, the crossings
x_i + t (x_j - x_i), the repeated-vertex test, the area of a sliver), so every polygon comes out
vertex for vertex, bit for bit, as ``region_polygons`` makes it alone.

Shapes: Ws (S, K, 2), bs (S, K) or None; P = S * K polygons of at most V = K + 4 vertices, held
as xs, ys (P, V) with n (P,) of them in use.
"""

from __future__ import annotations

import numpy as np

from .checks import bounds as check_bounds
from .checks import real_array, whole
from .regions import grid_points

__all__ = ["region_polygons_many", "max_prob_grid_many", "CELLS"]

CELLS = 2_000_000  # grid scores held at once: bounded memory for any chunk


def region_polygons_many(Ws, bs, bounds) -> list[list[np.ndarray]]:
    """``[region_polygons(Ws[s], bs[s], bounds) for s in range(S)]``, computed together."""
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


def max_prob_grid_many(Ws, bs, bounds, n: int = 80):
    """``[max_prob_grid(Ws[s], bs[s], bounds, n) for s in range(S)]``, computed together: the
    grid (xs, ys) is shared, each state's pmax (n, n) float32 is the very one, NaN where its scores
    overflow. The same matmul, max-shift, exp and sums, row by row, stacked over states."""
    Ws = real_array(Ws, "Ws", 3)
    bs = None if bs is None else real_array(bs, "bs", 2)
    xs, ys, grid = grid_points(bounds, whole(n, "n", 1, 1000))  # grid (n * n, 2)
    out = []
    per = max(1, CELLS // (len(grid) * Ws.shape[1]))  # states at once
    with np.errstate(over="ignore", invalid="ignore"):
        for lo in range(0, len(Ws), per):
            f = grid @ Ws[lo : lo + per].transpose(0, 2, 1) + (0.0 if bs is None else bs[lo : lo + per, None, :])
            pmax = _max_softmax(f)
            out += [(xs, ys, p.reshape(n, n).astype(np.float32)) for p in pmax]
    return out


def _max_softmax(f) -> np.ndarray:
    """max_k softmax(f)[..., k] over the last axis, NaN where a score is not finite: the floats of
    ``softmax(f).max(axis=-1)``. NumPy reduces a short last axis slowly, a row at a time; here the
    K columns are combined one by one instead, in np.sum's order for fewer than eight (from 0)."""
    K = f.shape[-1]
    f = np.moveaxis(f, -1, 0).copy()  # (K, ...): each class's scores contiguous
    finite, top = np.isfinite(f[0]), f[0].copy()
    for c in f[1:]:
        finite &= np.isfinite(c)
        np.maximum(top, c, out=top)
    f -= top
    e = np.exp(f, out=f)
    if K < 8:
        total = 0.0 + e[0]
        for k in range(1, K):
            total += e[k]
    else:  # np.sum's pairwise order, which it takes along a contiguous last axis: its own
        total = np.ascontiguousarray(np.moveaxis(e, 0, -1)).sum(axis=-1)
    pmax = e[0] / total
    for k in range(1, K):
        np.maximum(pmax, e[k] / total, out=pmax)
    pmax[~finite] = np.nan
    return pmax


def _clip(xs, ys, n, ax, ay, c):
    """Every polygon clipped to a . x + c >= 0, as ``regions._clip_list`` clips one."""
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
    # Candidates in _clip_list's order: vertex i (if kept), then the crossing after it (if any).
    ox, oy = np.stack([xs, cx], axis=2).reshape(P, 2 * V), np.stack([ys, cy], axis=2).reshape(P, 2 * V)
    ok = np.stack([keep & used, used & (keep != keep_j)], axis=2).reshape(P, 2 * V)
    ox, oy, cnt = _packed(ox, oy, ok)
    # Drop a vertex equal to the next one (a crossing exactly at a vertex), as _clip_list does.
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
    """Which polygons have an area (``regions._area``, the same float) of at most ``floor``."""
    P, V = xs.shape
    col = np.arange(V)[None, :]
    nxt = np.where(col + 1 < n[:, None], col + 1, 0)
    rows = np.arange(P)[:, None]
    terms = np.where(col < n[:, None], xs * ys[rows, nxt] - xs[rows, nxt] * ys, 0.0)  # shoelace terms
    total = np.zeros(P)
    for i in range(V):  # one by one from 0, as np.sum adds fewer than eight (an unused term is 0)
        total += terms[:, i]
    for p in np.flatnonzero(n >= 8):  # more: np.sum's own order
        total[p] = np.sum(terms[p, : n[p]])
    return (n > 0) & (0.5 * np.abs(total) <= floor)
