"""``figures._label_spots`` as it was before it was written with plain floats, kept as the oracle for
the new one (see test_figures.py). One change: a stable sort. NumPy's default argsort may order rows
with the same angle either way (on this machine it does not keep row order); the new code puts
tied rows in row order, and so does this one now."""

import numpy as np


def label_spots(W, tips, r: float, chars: int = 3) -> np.ndarray:
    """Where each row's name goes: on a ring near the panel's edge, in the direction of its arrow's
    tip (for a row near 0: its class's place on the ring), the names spread along the ring until
    no two are closer than a name's width. Sure to leave no overlap, unlike labels at the tips."""
    K = len(W)
    default = 2 * np.pi * np.arange(K) / K + 0.4
    tip_len = np.hypot(tips[:, 0], tips[:, 1])
    angle = np.where(tip_len > 0.08 * r, np.arctan2(tips[:, 1], tips[:, 0]), default)
    radius = 0.8 * r
    need = min((0.12 + 0.06 * chars) * r / radius, 2 * np.pi / K)  # the angle a name's width takes
    order = np.argsort(angle, kind="stable")
    a = angle[order].copy()
    start = int(np.argmax(np.diff(np.append(a, a[0] + 2 * np.pi)))) + 1  # sweep from after the widest gap
    order, a = np.roll(order, -start), np.roll(a, -start)
    a[a < a[0]] += 2 * np.pi
    for i in range(1, K):  # each name at least a name's width past the one before it
        a[i] = max(a[i], a[i - 1] + need)
    if a[-1] > a[0] + 2 * np.pi - need:  # no room left over: evenly round the ring
        a = a[0] + 2 * np.pi * np.arange(K) / K
    out = np.empty(K)
    out[order] = a
    return radius * np.column_stack([np.cos(out), np.sin(out)])
