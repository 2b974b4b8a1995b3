"""Probability rows over three classes as points of a triangle (the probability simplex), NumPy only.

A row p = (p_1, p_2, p_3) is drawn at its barycentric point p_1 e_1 + p_2 e_2 + p_3 e_3, where the
corners e_m are fixed on the unit circle at the angles of the blobs preset's class centres:

    e_1 = (0, 1)                  top          (angle 90 degrees)
    e_2 = (-sqrt(3)/2, -1/2)      bottom left  (angle 210 degrees)
    e_3 = ( sqrt(3)/2, -1/2)      bottom right (angle 330 degrees)

The triangle is equilateral with its centroid, the uniform row (1/3, 1/3, 1/3), at the origin.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CORNERS", "CENTROID", "simplex_coords", "pick_three", "simplex_regions"]

CORNERS = np.array([[0.0, 1.0], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])  # e_1, e_2, e_3  (3, 2)
CORNERS.flags.writeable = False
CENTROID = np.zeros(2)
CENTROID.flags.writeable = False

TOL = 1e-6  # how far a row may stray from a probability vector (rounding in softmax is ~1e-16)


def simplex_coords(P) -> np.ndarray:
    """The points (N, 2) of probability rows P (N, 3): row i goes to P[i] @ CORNERS."""
    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[1] != 3:
        raise ValueError(f"P must have shape (N, 3), one probability row per point, got {P.shape}")
    if not np.all(np.isfinite(P)) or (P < -TOL).any() or (np.abs(P.sum(axis=1) - 1) > TOL).any():
        raise ValueError("P must hold probabilities: entries >= 0 and each row summing to 1")
    return P @ CORNERS


def pick_three(P, classes) -> np.ndarray:
    """Columns ``classes`` (3 distinct indices) of P (N, K), each row renormalised to sum to 1, (N, 3).

    That is the softmax over those three classes' scores alone. A row whose three chosen
    probabilities all underflowed to 0 keeps no trace of their ratio and becomes uniform (the centroid).
    """
    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[1] < 3:
        raise ValueError(f"P must have shape (N, K) with K >= 3, got {P.shape}")
    if not np.all(np.isfinite(P)):
        raise ValueError("P must be finite")
    idx = np.asarray(classes)
    K = P.shape[1]
    ok = idx.shape == (3,) and idx.dtype.kind in "iu" and len(set(idx.tolist())) == 3
    if not (ok and np.all((0 <= idx) & (idx < K))):
        raise ValueError(f"classes must be 3 distinct class indices in [0, {K}), got {classes!r}")
    Q = P[:, idx]  # (N, 3)
    s = Q.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(s > 0, Q / s, 1.0 / 3.0)


def simplex_regions() -> list[np.ndarray]:
    """Where each class has the largest probability: three polygons (4, 2), counter-clockwise.

    Class m's region is the quadrilateral e_m, the midpoint of the edge to the next corner, the
    centroid, the midpoint of the edge to the previous corner; p_m = p_k holds on the segment
    from the centroid to the midpoint of edge (m, k). The three meet at the centroid and tile the
    triangle.
    """
    regions = []
    for m in range(3):
        e, nxt, prv = CORNERS[m], CORNERS[(m + 1) % 3], CORNERS[(m + 2) % 3]
        regions.append(np.array([e, (e + nxt) / 2, CENTROID, (e + prv) / 2]))
    return regions
