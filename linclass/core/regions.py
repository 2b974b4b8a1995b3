"""Decision regions of a linear classifier in the plane, as exact convex polygons.

Class m wins where f_m >= f_k for every k, i.e. inside the half-planes
(w_m - w_k) . x + (b_m - b_k) >= 0. Intersected with the view rectangle that is a convex
polygon, found by clipping the rectangle against each half-plane (Sutherland-Hodgman).
Ties go to the lower class index, as with ``np.argmax``.

Arguments are checked first: non-finite weights, wrong shapes or a bad view rectangle are a
ValueError naming the argument.
"""

from __future__ import annotations

import math
from itertools import chain

import numpy as np

from .checks import bounds as check_bounds
from .checks import real, real_array, whole
from .model import check_model, scores, softmax

__all__ = ["clip_halfplane", "region_polygons", "predict", "max_prob_grid"]


def clip_halfplane(poly: np.ndarray, a: np.ndarray, c: float) -> np.ndarray:
    """The part of convex polygon ``poly`` (n, 2) where a . x + c >= 0, as an (m, 2) array."""
    poly, a = real_array(poly, "poly", 2), real_array(a, "a", 1)
    if poly.shape[1:] != (2,) or a.shape != (2,):
        raise ValueError(f"poly must be (n, 2) and a (2,), got {poly.shape} and {a.shape}")
    return _clip(poly, a, real(c, "c", lo=-math.inf))


def _clip(poly: np.ndarray, a: np.ndarray, c: float) -> np.ndarray:
    verts = [tuple(map(float, v)) for v in poly]
    out = _clip_list(verts, float(a[0]), float(a[1]), float(c))
    return poly if out is verts else np.array(out, dtype=float).reshape(-1, 2)  # all kept: the polygon itself


def _clip_list(poly: list, ax: float, ay: float, c: float) -> list:
    """Sutherland-Hodgman against one half-plane, on a few (x, y) tuples in plain Python: for the
    handful of vertices of a region this is several times faster than NumPy's per-call cost."""
    if not poly:
        return poly
    s = [ax * x + ay * y + c for x, y in poly]  # signed side of each vertex
    if min(s) >= 0:
        return poly  # all kept
    if max(s) < 0:
        return []
    out = []
    for (xi, yi), si, (xj, yj), sj in zip(poly, s, poly[1:] + poly[:1], s[1:] + s[:1], strict=True):
        if si >= 0:
            out.append((xi, yi))
        if (si >= 0) != (sj >= 0):  # the edge crosses the line: add the crossing point
            t = si / (si - sj)
            out.append((xi + t * (xj - xi), yi + t * (yj - yi)))
    # Drop repeated vertices (a crossing exactly at a vertex).
    tol = 1e-12 * max(1.0, max(map(abs, chain.from_iterable(out))))
    out = [(x, y) for (x, y), (u, v) in zip(out, out[1:] + out[:1], strict=True)
           if abs(x - u) > tol or abs(y - v) > tol]  # fmt: skip
    return out if len(out) >= 3 else []


def region_polygons(W, b, bounds) -> list[np.ndarray]:
    """For each class, the polygon (n_m, 2) where it wins inside ``bounds = (x0, x1, y0, y1)``.

    Vertices run counter-clockwise; a class that wins nowhere in the view (or only on a line or
    a point of it) gets an empty (0, 2) array. The polygons tile the rectangle, overlapping only
    on their shared edges.
    """
    W, b = _plane_model(W, b)
    K = W.shape[0]
    bb = np.zeros(K) if b is None else b
    # Scaling all scores by one positive number moves no boundary; it keeps w_m - w_k finite
    # for weights near the float limit.
    scale = max(float(np.abs(W).max()), float(np.abs(bb).max()))
    if scale > 0:
        W, bb = W / scale, bb / scale
    x0, x1, y0, y1 = check_bounds(bounds)
    rect = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    Wl, bl = W.tolist(), bb.tolist()
    polys = []
    for m in range(K):
        poly = rect
        for k in range(K):
            if k == m:
                continue
            ax, ay, c = Wl[m][0] - Wl[k][0], Wl[m][1] - Wl[k][1], bl[m] - bl[k]
            if k < m and ax == 0 and ay == 0 and c == 0:
                poly = []  # identical scores everywhere: the lower index wins the tie
                break
            poly = _clip_list(poly, ax, ay, c)
            if not poly:
                break
        if poly and _area(poly) <= 1e-12 * (x1 - x0) * (y1 - y0):
            poly = []  # a sliver of no area (a boundary line or point): the class wins nowhere
        polys.append(np.array(poly, dtype=float).reshape(-1, 2))
    return polys


def _plane_model(W, b):
    W, b = check_model(W, b)
    if W.shape[1] != 2:
        raise ValueError(f"decision regions are drawn in the plane: W must be (K, 2), got {W.shape}")
    return W, b


def _area(poly: list) -> float:
    """The area of a polygon of (x, y) tuples (shoelace formula), as the same float as the NumPy
    version gave (np.roll on a handful of vertices cost ten times the arithmetic). np.sum adds
    fewer than eight numbers one by one from 0, so a plain loop is that sum; more go to np.sum."""
    terms = [x * v - u * y for (x, y), (u, v) in zip(poly, poly[1:] + poly[:1], strict=True)]
    if len(terms) >= 8:
        return 0.5 * abs(float(np.sum(terms)))
    total = 0.0
    for t in terms:
        total += t
    return 0.5 * abs(total)


def predict(W, b, X) -> np.ndarray:
    """The winning class of each row of X, shape (N,)."""
    return np.argmax(scores(W, b, X), axis=1)


def max_prob_grid(W, b, bounds, n: int = 80):
    """max_m p_m on an n x n grid over ``bounds``; returns (xs (n,), ys (n,), pmax (n, n) float32).

    ``pmax[j, i]`` is at (xs[i], ys[j]), the layout a heatmap expects. Used for the optional
    confidence shading; it is in [1/K, 1], and NaN (no shading) where the scores overflow.
    ``n`` is a whole number in [1, 1000].
    """
    W, b = _plane_model(W, b)
    xs, ys, grid = grid_points(bounds, whole(n, "n", 1, 1000))
    with np.errstate(over="ignore", invalid="ignore"):
        f = grid @ W.T + (0.0 if b is None else b)  # (n*n, K)
    finite = np.all(np.isfinite(f), axis=1)  # huge weights may overflow at the far corners
    pmax = np.full(len(f), np.nan)
    pmax[finite] = softmax(f[finite]).max(axis=1)
    return xs, ys, pmax.reshape(len(ys), len(xs)).astype(np.float32)


def grid_points(bounds, n: int):
    """(xs (n,), ys (n,), the grid's points (n * n, 2)), row by row: point j * n + i is (xs[i], ys[j])."""
    x0, x1, y0, y1 = check_bounds(bounds)
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])
