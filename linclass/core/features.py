"""Feature transforms of the plane: the inputs phi(x) a linear classifier may be given (NumPy only).

The one home of phi. Points stay in the plane, x = (x1, x2); the model sees the features named in
a list, in that order, one column each:

    x1, x2              the coordinates
    x1sq, x2sq          x1^2, x2^2
    x1x2                x1 * x2
    sinx1, sinx2        sin x1, sin x2

as TensorFlow Playground offers them. ``phi(X, names)`` is (N, D) for X (N, 2) (or (D,) for one
point (2,)), D = len(names); the classifier is linear in those columns: f = phi(x) W^T + b with
W (K, D). With ``names = ("x1", "x2")`` phi(X) is X itself, the very same array: every number is
then what it was before features existed.

A list of names is checked by ``feature_names`` (the door: the settings, the saved file, the link)
and written back by ``feature_text``, in the canonical order of ``FEATURES``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FEATURES", "PLANE", "feature_names", "feature_text", "phi", "in_plane", "plane_weights"]

FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")  # every feature, in canonical order
PLANE = ("x1", "x2")  # the model on the plane itself (the default): phi(x) = x

_COLUMNS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sinx1": lambda x1, x2: np.sin(x1),
    "sinx2": lambda x1, x2: np.sin(x2),
}


def feature_names(value) -> tuple[str, ...]:
    """The features a text ("x1,x2,x1x2") or a sequence of names says, in canonical order, each
    once; ValueError naming a name that is not a feature, or when none is on."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = [str(p).strip() for p in parts]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in _COLUMNS]
    if unknown:
        what = "is not a feature" if len(unknown) == 1 else "are not features"
        raise ValueError(f"{', '.join(map(repr, unknown))} {what}; the features are {', '.join(FEATURES)}")
    if not names:
        raise ValueError(f"at least one feature must be on (of {', '.join(FEATURES)})")
    return tuple(f for f in FEATURES if f in names)


def feature_text(names) -> str:
    """The features as a link and the saved file write them: "x1,x2,x1x2" (canonical order)."""
    return ",".join(feature_names(names))


def phi(X, names=PLANE) -> np.ndarray:
    """phi(X): (N, D) for points X (N, 2), or (D,) for one point (2,); column j is feature names[j].
    ``names`` are trusted (checked by ``feature_names`` at the door); the plane's own features
    give X itself."""
    names = tuple(names)
    if names == PLANE:
        return X
    x1, x2 = X[..., 0], X[..., 1]
    return np.stack([_COLUMNS[n](x1, x2) for n in names], axis=-1)


def in_plane(names) -> bool:
    """Whether the features are coordinates only (x1, x2 or one of them): then a class's region
    on the plane is a convex polygon, and its zero-score set a line."""
    return all(n in PLANE for n in names)


def plane_weights(W, names) -> np.ndarray:
    """W (..., K, D) over features that are coordinates only (``in_plane``), as the weights of the
    plane (..., K, 2): a coordinate that is not a feature has weight 0."""
    W = np.asarray(W, dtype=float)
    out = np.zeros((*W.shape[:-1], 2))
    for j, n in enumerate(names):
        out[..., PLANE.index(n)] = W[..., j]
    return out
