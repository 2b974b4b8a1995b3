"""Decision regions of a linear classifier in the plane, as exact convex polygons.

Class m wins where f_m >= f_k for every k, i.e. inside the half-planes
(w_m - w_k) . x + (b_m - b_k) >= 0. Intersected with the view rectangle that is a convex
polygon, found by clipping the rectangle against each half-plane (Sutherland-Hodgman).
Ties go to the lower class index, as with ``np.argmax``.
"""

from __future__ import annotations

import numpy as np

from .model import scores, softmax

__all__ = ["clip_halfplane", "region_polygons", "predict", "max_prob_grid"]


def clip_halfplane(poly: np.ndarray, a: np.ndarray, c: float) -> np.ndarray:
    """The part of convex polygon ``poly`` (n, 2) where a . x + c >= 0, as an (m, 2) array."""
    if len(poly) == 0:
        return poly
    s = poly @ a + c  # signed side of each vertex
    keep = s >= 0
    if keep.all():
        return poly
    if not keep.any():
        return poly[:0]
    out = []
    n = len(poly)
    for i in range(n):
        j = (i + 1) % n
        if keep[i]:
            out.append(poly[i])
        if keep[i] != keep[j]:  # the edge crosses the line: add the crossing point
            t = s[i] / (s[i] - s[j])
            out.append(poly[i] + t * (poly[j] - poly[i]))
    out = np.array(out)
    # Drop repeated vertices (a crossing exactly at a vertex).
    d = np.abs(np.diff(out, axis=0, append=out[:1])).max(axis=1)
    scale = max(1.0, float(np.abs(out).max()))
    out = out[d > 1e-12 * scale]
    return out if len(out) >= 3 else poly[:0]


def region_polygons(W, b, bounds) -> list[np.ndarray]:
    """For each class, the polygon (n_m, 2) where it wins inside ``bounds = (x0, x1, y0, y1)``.

    Vertices run counter-clockwise; a class that wins nowhere in the view (or only on a line or
    a point of it) gets an empty (0, 2) array. The polygons tile the rectangle, overlapping only
    on their shared edges.
    """
    W = np.asarray(W, dtype=float)
    K = W.shape[0]
    if W.shape[1] != 2:
        raise ValueError(f"decision regions are drawn in the plane: W must be (K, 2), got {W.shape}")
    bb = np.zeros(K) if b is None else np.asarray(b, dtype=float)
    # Scaling all scores by one positive number moves no boundary; it keeps w_m - w_k finite
    # for weights near the float limit.
    scale = max(float(np.abs(W).max()), float(np.abs(bb).max()))
    if scale > 0:
        W, bb = W / scale, bb / scale
    x0, x1, y0, y1 = map(float, bounds)
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be (x0, x1, y0, y1) with x0 < x1 and y0 < y1, got {bounds}")
    rect = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    polys = []
    for m in range(K):
        poly = rect
        for k in range(K):
            if k == m:
                continue
            a, c = W[m] - W[k], bb[m] - bb[k]
            if k < m and not a.any() and c == 0:
                poly = rect[:0]  # identical scores everywhere: the lower index wins the tie
                break
            poly = clip_halfplane(poly, a, c)
            if len(poly) == 0:
                break
        if len(poly) and _area(poly) <= 1e-12 * (x1 - x0) * (y1 - y0):
            poly = rect[:0]  # a sliver of no area (a boundary line or point): the class wins nowhere
        polys.append(poly)
    return polys


def _area(poly) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)))


def predict(W, b, X) -> np.ndarray:
    """The winning class of each row of X, shape (N,)."""
    return np.argmax(scores(W, b, X), axis=1)


def max_prob_grid(W, b, bounds, n: int = 80):
    """max_m p_m on an n x n grid over ``bounds``; returns (xs (n,), ys (n,), pmax (n, n) float32).

    ``pmax[j, i]`` is at (xs[i], ys[j]), the layout a heatmap expects. Used for the optional
    confidence shading; it is in [1/K, 1].
    """
    x0, x1, y0, y1 = map(float, bounds)
    xs = np.linspace(x0, x1, n)
    ys = np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys)
    P = softmax(scores(W, b, np.column_stack([gx.ravel(), gy.ravel()])))
    return xs, ys, P.max(axis=1).reshape(n, n).astype(np.float32)
