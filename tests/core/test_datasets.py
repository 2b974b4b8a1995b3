"""Preset generators: seeded, the right shapes and classes, and actually shaped as named."""

import numpy as np
import pytest

import linclass
from linclass import datasets


@pytest.mark.parametrize("name", sorted(linclass.PRESETS))
@pytest.mark.parametrize("n,k", [(0, 3), (7, 2), (150, 3), (301, 5)])
def test_presets_shapes_and_seeds(name, n, k):
    X, y, kk = linclass.make_dataset(name, n, k, seed=4)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert np.all(np.isfinite(X))
    assert set(np.unique(y)) <= set(range(kk))
    X2, y2, _ = linclass.make_dataset(name, n, k, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    if n > 20:
        X3, _, _ = linclass.make_dataset(name, n, k, seed=5)
        assert name == "cs231n" or not np.array_equal(X, X3)


def test_balanced_classes():
    _, y, k = linclass.make_dataset("blobs", 301, 5, seed=0)
    counts = np.bincount(y, minlength=k)
    assert counts.max() - counts.min() <= 1


def test_xor_labels_follow_quadrants():
    X, y = datasets.xor(200, seed=1, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_circles_radius_grows_with_class():
    X, y = datasets.circles(300, k=3, seed=0, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    for m in range(3):
        np.testing.assert_allclose(r[y == m], (m + 1) / 3)


def test_blobs_are_linearly_separable_enough():
    X, y, k = linclass.make_dataset("blobs", 150, 3, seed=0)
    s, _ = linclass.run(linclass.init_state(k), X, y, linclass.Optimizer(mode="batch", lr=2.0), 300)
    assert s.accuracy > 0.95


def test_cs231n_demo_points():
    X, y = datasets.cs231n()
    assert X.shape == (9, 2) and list(np.bincount(y)) == [3, 3, 3]


def test_unknown_preset():
    with pytest.raises(ValueError, match="unknown preset"):
        linclass.make_dataset("iris")


def test_the_cs231n_demo_preset_keeps_the_demo_s_order_and_has_its_start():
    # Issue 21: the cs231n preset shuffles the nine points; the demo's exact start keeps its order.
    X, y, k = datasets.make("cs231n-demo", 9, seed=5)
    X0, y0 = datasets.cs231n(9)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1, 1, 2, 2, 2])
    assert k == 3 and not np.array_equal(datasets.make("cs231n", 9)[0], X0)
    W, b = datasets.STARTS["cs231n-demo"]
    assert np.shape(W) == (3, 2) and np.shape(b) == (3,)
