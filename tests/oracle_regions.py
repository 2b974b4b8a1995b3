"""Decision regions by plain loops (Sutherland-Hodgman on lists of (x, y) tuples, one half-plane at a
time): the tests' oracle for ``linclass.core.regions``, which clips every polygon of a stack at once."""

import numpy as np


def _clip_list(poly: list, ax: float, ay: float, c: float) -> list:
    """Sutherland-Hodgman against one half-plane, on a few (x, y) tuples in plain Python: for the
    handful of vertices of a region this is several times faster than NumPy's per-call cost."""
    if not poly:
        return poly
    s = [ax * x + ay * y + c for x, y in poly]  # signed side of each vertex
    keep = [v >= 0 for v in s]
    if all(keep):
        return poly
    if not any(keep):
        return []
    out = []
    n = len(poly)
    for i in range(n):
        j = (i + 1) % n
        if keep[i]:
            out.append(poly[i])
        if keep[i] != keep[j]:  # the edge crosses the line: add the crossing point
            t = s[i] / (s[i] - s[j])
            (xi, yi), (xj, yj) = poly[i], poly[j]
            out.append((xi + t * (xj - xi), yi + t * (yj - yi)))
    # Drop repeated vertices (a crossing exactly at a vertex).
    scale = max(1.0, max(max(abs(x), abs(y)) for x, y in out))
    m = len(out)
    out = [v for k, v in enumerate(out)
           if max(abs(v[0] - out[(k + 1) % m][0]), abs(v[1] - out[(k + 1) % m][1])) > 1e-12 * scale]  # fmt: skip
    return out if len(out) >= 3 else []


def region_polygons(W, b, bounds) -> list[np.ndarray]:
    """For each class, the polygon (n_m, 2) where it wins inside ``bounds = (x0, x1, y0, y1)``.

    Vertices run counter-clockwise; a class that wins nowhere in the view (or only on a line or
    a point of it) gets an empty (0, 2) array. The polygons tile the rectangle, overlapping only
    on their shared edges.
    """
    W, b = (np.asarray(W, dtype=float), None if b is None else np.asarray(b, dtype=float))
    K = W.shape[0]
    bb = np.zeros(K) if b is None else b
    # Scaling all scores by one positive number moves no boundary; it keeps w_m - w_k finite
    # for weights near the float limit.
    scale = max(float(np.abs(W).max()), float(np.abs(bb).max()))
    if scale > 0:
        W, bb = W / scale, bb / scale
    x0, x1, y0, y1 = tuple(map(float, bounds))
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
        arr = np.array(poly, dtype=float).reshape(-1, 2)
        if len(arr) and _area(arr) <= 1e-12 * (x1 - x0) * (y1 - y0):
            arr = arr[:0]  # a sliver of no area (a boundary line or point): the class wins nowhere
        polys.append(arr)
    return polys


def _area(poly) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)))
