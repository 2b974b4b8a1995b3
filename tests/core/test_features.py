"""Feature transforms (core/features.py): phi against a plain-loop oracle, the names' door, the
gradient with features on by finite differences, and the regions' grid against the per-point
classification (issue 21, feature transforms)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core import objective as kernel
from linclass.core.features import FEATURES, PLANE, feature_names, feature_text, in_plane, phi, plane_weights
from linclass.core.regions import TIE, grid_points, region_grid
from tests.oracle import loss_and_grad_loop, phi_loop

coords = hnp.arrays(float, st.tuples(st.integers(1, 12), st.just(2)), elements=st.floats(-3, 3))
feature_sets = st.lists(st.sampled_from(FEATURES), min_size=1, unique=True).map(tuple)


@given(coords, feature_sets)
def test_phi_is_the_plain_loop_s_features_column_by_column(X, names):
    names = feature_names(names)
    got = phi(X, names)
    assert got.shape == (len(X), len(names))
    np.testing.assert_allclose(got, [phi_loop(x, names) for x in X], rtol=1e-15, atol=0)
    np.testing.assert_allclose(phi(X[0], names), phi_loop(X[0], names), rtol=1e-15, atol=0)  # one point (2,)


def test_the_plane_s_own_features_are_the_points_themselves():
    X = np.random.default_rng(0).normal(size=(5, 2))
    assert phi(X, PLANE) is X and phi(X, ["x1", "x2"]) is X


def test_names_come_back_in_canonical_order_and_bad_ones_are_named():
    assert feature_names("x1x2, x1 ,x1") == ("x1", "x1x2")
    assert feature_text(["sinx2", "x2sq", "x1"]) == "x1,x2sq,sinx2"
    with pytest.raises(ValueError, match="'x3' is not a feature"):
        feature_names("x1,x3")
    with pytest.raises(ValueError, match="at least one feature must be on"):
        feature_names(" , ")
    assert in_plane(("x2",)) and in_plane(PLANE) and not in_plane(("x1", "x1sq"))
    np.testing.assert_array_equal(plane_weights([[2.0], [3.0]], ("x2",)), [[0, 2], [0, 3]])


@given(feature_sets, st.integers(0, 2**31 - 1), st.booleans(), st.sampled_from([0.0, 0.3]))
def test_the_loss_and_gradient_on_features_are_the_oracle_s_on_phi(names, seed, bias, reg):
    rng = np.random.default_rng(seed)
    X, y = rng.uniform(-1.5, 1.5, (7, 2)), rng.integers(0, 3, 7)
    P = phi(X, feature_names(names))
    W, b = rng.normal(size=(3, P.shape[1])), rng.normal(size=3) if bias else None
    loss, dW, db = linclass.loss_and_grad(W, b, P, y, reg)
    oloss, odW, odb = loss_and_grad_loop(W.tolist(), None if b is None else b.tolist(),
                                         [phi_loop(x, feature_names(names)) for x in X], y.tolist(), reg)  # fmt: skip
    assert loss == pytest.approx(oloss, rel=1e-12)
    np.testing.assert_allclose(dW, odW, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("loss", ["softmax", "hinge", "ova", "structured"])
@pytest.mark.parametrize("names", [("x1", "x2", "x1x2"), FEATURES, ("x1sq", "sinx2")])
def test_finite_differences_agree_with_the_gradient_with_features_on(loss, names):
    rng = np.random.default_rng(7)
    X, y = rng.uniform(-1, 1, (20, 2)), rng.integers(0, 4, 20)
    P = phi(X, names)
    W, b = rng.normal(size=(4, len(names))), rng.normal(size=4)
    chk = linclass.gradient_check(W, b, P, y, 0.1, loss=loss, penalty="full")
    assert chk.ok(), chk.max_rel_error


@given(st.integers(0, 2**31 - 1), feature_sets, st.integers(2, 5), st.booleans())
def test_the_grid_s_winner_is_the_class_each_grid_point_is_given(seed, names, K, bias):
    rng = np.random.default_rng(seed)
    names = feature_names(names)
    W, b = rng.normal(size=(K, len(names))), rng.normal(size=K) if bias else None
    bounds, n = (-1.3, 1.1, -0.9, 1.2), 23
    xs, ys, winner, pmax = region_grid(W, b, bounds, names, n)
    _, _, pts = grid_points(bounds, n)
    P = phi(pts, names)
    for m in range(K):  # a grid point of class m is one that m's row classifies correctly
        right = kernel.classified(W, b, P, np.full(len(P), m))
        np.testing.assert_array_equal(winner.ravel() == m, right)
    f = kernel.scores(W, b, P)
    p = np.exp(f - f.max(axis=1, keepdims=True))
    np.testing.assert_allclose(pmax.ravel(), (p / p.sum(axis=1, keepdims=True)).max(axis=1), rtol=1e-6)


def test_equal_rows_tie_on_the_grid_and_the_plane_s_grid_matches_the_polygons():
    xs, ys, winner, _ = region_grid(np.zeros((3, 3)), np.zeros(3), (-1, 1, -1, 1), ("x1", "x2", "x1x2"), 9)
    assert (winner == TIE).all()
    W, b = np.array([[1.0, 0.5], [-1.0, 0.2], [0.1, -1.0]]), np.array([0.1, 0.0, -0.2])
    _, _, winner, _ = region_grid(W, b, (-1, 1, -1, 1), PLANE, 31)
    _, _, pts = grid_points((-1, 1, -1, 1), 31)
    clear = winner.ravel() != TIE  # a grid point exactly on a boundary ties (predict gives the lower class)
    assert clear.mean() > 0.95
    np.testing.assert_array_equal(winner.ravel()[clear], linclass.predict(W, b, pts)[clear])
