"""Exact decision-region polygons agree with the argmax on a dense grid."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from tests.oracle import argmax_loop


def inside(poly, pts, tol=1e-13):
    """Points inside (or on) a counter-clockwise convex polygon."""
    if len(poly) == 0:
        return np.zeros(len(pts), bool)
    ok = np.ones(len(pts), bool)
    for i in range(len(poly)):
        a, c = poly[i], poly[(i + 1) % len(poly)]
        cross = (c[0] - a[0]) * (pts[:, 1] - a[1]) - (c[1] - a[1]) * (pts[:, 0] - a[0])
        ok &= cross >= -tol * (1 + np.abs(pts).max())
    return ok


def polygon_area(poly):
    if len(poly) < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def check_against_grid(W, b, bounds, n=61):
    polys = linclass.region_polygons(W, b, bounds)
    xs = np.linspace(bounds[0], bounds[1], n)
    ys = np.linspace(bounds[2], bounds[3], n)
    pts = np.array([(a, c) for a in xs for c in ys])
    win = linclass.predict(W, b, pts)
    f = linclass.scores(W, b, pts)
    margin = np.sort(np.column_stack([f, np.full(len(f), -np.inf)]), axis=1)  # K = 1: no rival
    clear = (margin[:, -1] - margin[:, -2]) > 1e-7 * (1 + np.abs(f).max())  # not on a boundary
    for m, poly in enumerate(polys):
        assert len(poly) == 0 or polygon_area(poly) > 0  # no degenerate slivers
        ins = inside(poly, pts)
        np.testing.assert_array_equal(ins[clear], (win == m)[clear])
        assert all(polygon_area(poly) >= 0 for poly in polys)  # counter-clockwise
    total = sum(polygon_area(p) for p in polys)
    assert total == pytest.approx((bounds[1] - bounds[0]) * (bounds[3] - bounds[2]), rel=1e-9)
    return polys


def test_three_classes_hand_case():
    # w_0 = (1, 0), w_1 = (-1, 0), w_2 = (0, 1), no bias: regions meet at the origin.
    W = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
    polys = check_against_grid(W, None, (-1, 1, -1, 1))
    assert polygon_area(polys[2]) == pytest.approx(1.0)  # the wedge y > |x| inside the square
    for p in polys:
        assert np.any(np.all(np.isclose(p, [0.0, 0.0]), axis=1))  # the origin is a vertex of each


def test_class_that_never_wins_is_empty():
    W = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    b = np.array([0.0, 0.0, -5.0])
    polys = linclass.region_polygons(W, b, (-1, 1, -1, 1))
    assert polys[2].shape == (0, 2)


def test_all_equal_rows_give_the_whole_view_to_class_0():
    polys = linclass.region_polygons(np.zeros((4, 2)), np.zeros(4), (-2, 2, -1, 1))
    assert polygon_area(polys[0]) == pytest.approx(8.0)
    assert [len(p) for p in polys[1:]] == [0, 0, 0]


def test_bad_bounds_and_shapes():
    with pytest.raises(ValueError, match="bounds"):
        linclass.region_polygons(np.eye(2), None, (1, 0, 0, 1))
    with pytest.raises(ValueError, match="plane"):
        linclass.region_polygons(np.zeros((2, 3)), None, (0, 1, 0, 1))


def test_region_of_no_area_is_empty():
    # class 4 wins only at the origin (found by hypothesis)
    W = np.array(
        [[1e-8, 0.5], [0, -6.99276571e-08], [-6.99276571e-08, 1.0], [-6.99276571e-08, -6.99276571e-08], [0, 0]]
    )
    polys = check_against_grid(W, None, (-1.5, 2.0, -1.0, 1.0), n=41)
    assert len(polys[4]) == 0


def test_thin_sliver_region_is_exact():
    # class 2 wins only in a wedge of slope 1e-8 left of the origin (found by hypothesis)
    W = np.array([[1e-8, 2.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    polys = check_against_grid(W, None, (-1.5, 2.0, -1.0, 1.0), n=41)
    assert 0 < polygon_area(polys[2]) < 1e-7


@given(
    hnp.arrays(float, st.tuples(st.integers(1, 8), st.just(2)), elements=st.floats(-5, 5)),
    st.booleans(),
    st.integers(0, 2**31),
)
@settings(max_examples=60, deadline=None)
def test_polygons_agree_with_argmax(W, bias, seed):
    b = np.random.default_rng(seed).normal(0, 2, len(W)) if bias else None
    check_against_grid(W, b, (-1.5, 2.0, -1.0, 1.0), n=41)


def test_predict_matches_loop():
    rng = np.random.default_rng(0)
    W, b, X = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=(50, 2))
    assert list(linclass.predict(W, b, X)) == [argmax_loop(W.tolist(), b.tolist(), x) for x in X.tolist()]


def test_max_prob_grid():
    W = np.array([[2.0, 0.0], [-2.0, 0.0]])
    xs, ys, pm = linclass.max_prob_grid(W, None, (-1, 1, -1, 1), n=21)
    assert pm.shape == (21, 21) and pm.dtype == np.float32
    assert pm.min() >= 0.5 - 1e-6 and pm.max() <= 1
    assert pm[10, 10] == pytest.approx(0.5)  # x = 0: a tie
    assert pm[3, 0] == pytest.approx(1 / (1 + np.exp(-4)), rel=1e-6)  # x = -1: f = (-2, 2)


def test_huge_weights_still_give_exact_regions():
    W = np.array([[1e308, 0.0], [-1e308, 0.0]])
    polys = linclass.region_polygons(W, np.zeros(2), (-1, 1, -1, 1))
    assert polygon_area(polys[0]) == pytest.approx(2.0) and polygon_area(polys[1]) == pytest.approx(2.0)
    assert all(np.all(np.isfinite(p)) for p in polys)
