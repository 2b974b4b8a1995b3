"""Seeded generators of 2D point sets with K classes; each returns (X (N, 2), y (N,)).

The same arguments always give the same points. Points are spread over roughly [-1, 1]^2.
``make`` picks a preset by name (optionally with extra Gaussian jitter); ``split`` draws a
seeded train/test mask.

Each use of randomness has its own seeded stream, so one never shifts another:
[seed] the generator's shape, [seed, 1] the sample order, [seed, 2] the jitter, [seed, 3] the split.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PRESETS", "IN_ORDER", "STARTS", "make", "split", "blobs", "xor", "circles", "spiral", "moons", "cs231n"]


def _split(n: int, k: int) -> np.ndarray:
    """Class sizes for n points over k classes, as even as possible."""
    if k < 1:
        raise ValueError("need at least one class")
    if n < 0:
        raise ValueError("the number of points must be >= 0")
    return np.full(k, n // k) + (np.arange(k) < n % k)


def _labels(n: int, k: int) -> np.ndarray:
    return np.repeat(np.arange(k), _split(n, k))


def blobs(n: int = 150, k: int = 3, seed: int = 0, spread: float = 0.15):
    """Gaussian blobs with centres evenly spaced on a circle of radius 0.6."""
    rng = np.random.default_rng(seed)
    y = _labels(n, k)
    angle = 2 * np.pi * np.arange(k) / k + np.pi / 2
    centres = 0.6 * np.column_stack([np.cos(angle), np.sin(angle)])
    X = centres[y] + rng.normal(0, spread, (n, 2))
    return X, y


def xor(n: int = 200, seed: int = 0, noise: float = 0.1):
    """Two classes in the four quadrants: class 0 where x*y > 0, class 1 where x*y < 0."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (n, 2))
    X += np.sign(X) * 0.1  # a gap along the axes
    X += rng.normal(0, noise, (n, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.intp)
    return X, y


def circles(n: int = 200, k: int = 2, seed: int = 0, noise: float = 0.05):
    """k concentric rings; class m lies on radius (m + 1) / k."""
    rng = np.random.default_rng(seed)
    y = _labels(n, k)
    t = rng.uniform(0, 2 * np.pi, n)
    r = (y + 1) / k + rng.normal(0, noise, n)
    return np.column_stack([r * np.cos(t), r * np.sin(t)]), y


def spiral(n: int = 300, k: int = 3, seed: int = 0, noise: float = 0.2):
    """k interleaved spiral arms (the CS231n case-study data)."""
    rng = np.random.default_rng(seed)
    y = _labels(n, k)
    X = np.empty((n, 2))
    for m, size in enumerate(_split(n, k)):
        r = np.linspace(0.0, 1.0, size)
        t = np.linspace(m * 4.0, (m + 1) * 4.0, size) + rng.normal(0, noise, size)
        X[y == m] = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y


def moons(n: int = 200, seed: int = 0, noise: float = 0.08):
    """Two interleaving half circles, scaled into [-1, 1]^2."""
    rng = np.random.default_rng(seed)
    y = _labels(n, 2)
    t = rng.uniform(0, np.pi, n)
    X = np.where(
        (y == 0)[:, None],
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]),
    )
    X = (X - [0.5, 0.25]) * 0.6 + rng.normal(0, noise, (n, 2))
    return X, y


# The nine points of the CS231n linear-classification demo: three classes of three.
_CS231N_X = np.array(
    [[0.5, 0.4], [0.8, 0.3], [0.3, 0.8], [-0.4, 0.3], [-0.3, 0.7], [-0.7, 0.2],
     [0.7, -0.4], [0.5, -0.6], [-0.4, -0.5]]
)  # fmt: skip
_CS231N_Y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])


def cs231n(n: int = 9, seed: int = 0, noise: float = 0.05):
    """The CS231n demo's nine points (3 classes); for n > 9, jittered copies of them are added."""
    if n < 0:
        raise ValueError("the number of points must be >= 0")
    reps = np.arange(n) % 9
    X = _CS231N_X[reps].copy()
    extra = np.arange(n) >= 9
    X[extra] += np.random.default_rng(seed).normal(0, noise, (int(extra.sum()), 2))
    return X, _CS231N_Y[reps].copy()


# name -> (generator, whether it takes k, the classes it makes when it does not)
PRESETS = {
    "blobs": (blobs, True, None),
    "xor": (xor, False, 2),
    "circles": (circles, True, None),
    "spiral": (spiral, True, None),
    "moons": (moons, False, 2),
    "cs231n": (cs231n, False, 3),
    "cs231n-demo": (cs231n, False, 3),  # the demo's exact start: its points in its order, its weights (STARTS)
}
IN_ORDER = frozenset({"cs231n-demo"})  # presets whose points keep the generator's order (no shuffle)
# The weights (W (K, 2), rows are classes; b (K,)) a preset starts from, where it has its own: the
# CS231n linear-classification demo's initial W and b.
STARTS = {"cs231n-demo": (((1.0, 2.0), (2.0, -4.0), (3.0, -1.0)), (0.0, 0.5, -0.5))}


def _is_real(value) -> bool:
    """A finite int or float (NumPy's too), but not a bool."""
    number = isinstance(value, (int, np.integer, float, np.floating)) and not isinstance(value, (bool, np.bool_))
    return number and bool(np.isfinite(value))


def _whole(value, name: str, lo: int, hi: int | None = None) -> int:
    """``value`` as an int, or a ValueError naming the argument (not NumPy's error further on)."""
    ok = _is_real(value) and value == int(value) and value >= lo and (hi is None or value < hi)
    if not ok:
        span = f">= {lo}" if hi is None else f"in [{lo}, {hi})"
        raise ValueError(f"{name} must be a whole number {span}, got {value!r}")
    return int(value)


def _real(value, name: str, lo: float, hi: float = np.inf) -> float:
    """``value`` as a float in [lo, hi], or a ValueError naming the argument."""
    if not (_is_real(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be a number in [{lo}, {hi}], got {value!r}")
    return float(value)


SEEDS = 2**32  # seeds are whole numbers in [0, 2**32)


def make(name: str, n: int = 150, k: int = 3, seed: int = 0, noise: float = 0.0):
    """The preset ``name`` with n points in a seeded random order (the generator's own for the presets
    in ``IN_ORDER``); returns (X, y, n_classes).

    ``k`` is used by the presets that take a number of classes and ignored by the others.
    ``noise`` is extra Gaussian jitter, its standard deviation in the coordinates' units, on top
    of the preset's own shape; 0 (the default) adds nothing, so the output is exactly the
    noise-free preset's.
    """
    try:
        gen, takes_k, fixed_k = PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}") from None
    n = _whole(n, "n", 0)
    seed = _whole(seed, "seed", 0, SEEDS)
    noise = _real(noise, "noise", 0.0)
    if takes_k:
        k = _whole(k, "k", 1)
    X, y = gen(n=n, k=k, seed=seed) if takes_k else gen(n=n, seed=seed)
    # Generators list points class by class; a seeded shuffle keeps a cyclic sample order fair (but
    # a preset that reproduces another tool keeps that tool's order).
    if name not in IN_ORDER:
        perm = np.random.default_rng([seed, 1]).permutation(len(y))
        X, y = X[perm], y[perm]
    if noise > 0:  # skipped at 0, so no stream is drawn and X is untouched bit for bit
        X = X + np.random.default_rng([seed, 2]).normal(0.0, noise, X.shape)
    return X, y, (k if takes_k else fixed_k)


def split(n: int, test_fraction: float = 0.2, seed: int = 0, y=None) -> np.ndarray:
    """A seeded train/test split: a bool mask (n,), True for the test points.

    Without labels ``y`` the split is plain: test_fraction * n points (rounded half up) at random.
    With labels (n,) it is stratified: each class gives round(test_fraction * its size) points.
    Either way at least one point (of each class, when stratified) stays in training, and the
    same arguments always give the same mask. ``test_fraction`` lies in [0, 0.5].
    """
    n = _whole(n, "n", 0)
    test_fraction = _real(test_fraction, "test_fraction", 0.0, 0.5)
    seed = _whole(seed, "seed", 0, SEEDS)
    groups = [np.arange(n)] if y is None else _groups(y, n)
    rng = np.random.default_rng([seed, 3])
    test = np.zeros(n, dtype=bool)
    for idx in groups:  # classes in increasing label order, so the draws are reproducible
        size = len(idx)
        count = min(int(np.floor(test_fraction * size + 0.5)), max(size - 1, 0))
        test[rng.permutation(idx)[:count]] = True
    return test


def _groups(y, n: int) -> list[np.ndarray]:
    """The indices of each class present in labels ``y`` (n,), by increasing label."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match n, got {y.shape}")
    if n and y.dtype.kind not in "iu":
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
    return [np.flatnonzero(y == c) for c in np.unique(y)]
