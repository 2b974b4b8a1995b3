"""regions.py on bad input: non-finite weights, wrong shapes, bad bounds, overflowing grids."""

import numpy as np
import pytest

import linclass

BOUNDS = (-1.0, 1.0, -1.0, 1.0)


@pytest.mark.parametrize(
    "W,b,name",
    [
        (np.full((3, 2), np.nan), None, "W"),
        (np.array([[np.inf, 0], [0, 1]]), None, "W"),
        (np.ones(3), None, "W"),
        (np.ones((3, 2, 1)), None, "W"),
        (np.zeros((0, 2)), None, "W"),
        ([[1, "a"], [0, 0]], None, "W"),
        (np.ones((3, 2)), np.ones(2), "b"),
        (np.ones((3, 2)), [0, np.nan, 0], "b"),
    ],
)
def test_region_polygons_refuse_bad_weights(W, b, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        linclass.region_polygons(W, b, BOUNDS)


@pytest.mark.parametrize("bounds", [(0, 1, 0), (0, np.nan, 0, 1), (0, np.inf, 0, 1), "abcd", None, (1, 0, 0, 1)])
def test_region_polygons_and_grid_refuse_bad_bounds(bounds):
    with pytest.raises(ValueError, match="bounds"):
        linclass.region_polygons(np.eye(2), None, bounds)
    with pytest.raises(ValueError, match="bounds"):
        linclass.max_prob_grid(np.eye(2), None, bounds)


@pytest.mark.parametrize("n", [0, 2.5, True, 10**6])
def test_grid_size_is_checked(n):
    with pytest.raises(ValueError, match=r"\bn\b"):
        linclass.max_prob_grid(np.eye(2), None, BOUNDS, n)


def test_grid_refuses_nan_weights():
    with pytest.raises(ValueError, match=r"\bW\b"):
        linclass.max_prob_grid(np.full((2, 2), np.nan), None, BOUNDS)


def test_grid_with_overflowing_scores_is_nan_there_and_nothing_raises():
    W = np.array([[1.7e308, 1.7e308], [-1.7e308, 0.0]])
    xs, ys, pmax = linclass.max_prob_grid(W, None, (-2.0, 2.0, -2.0, 2.0), 9)
    fine = ~np.isnan(pmax)
    assert np.all((pmax[fine] >= 0.5) & (pmax[fine] <= 1.0))
    assert not fine.all() and fine.any()


def test_huge_finite_weights_still_give_polygons_that_tile():
    W = np.array([[1.7e308, 0.0], [-1.7e308, 0.0]])
    polys = linclass.region_polygons(W, None, BOUNDS)
    assert all(len(p) == 4 for p in polys)
