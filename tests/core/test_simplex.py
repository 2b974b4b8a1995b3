"""The probability simplex: corners, centroid, points inside, argmax regions, and three classes out of K."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core.simplex import CENTROID, CORNERS, pick_three, simplex_coords, simplex_regions

score_rows = hnp.arrays(float, st.tuples(st.integers(1, 20), st.just(3)), elements=st.floats(-30, 30))


def inside(poly, pts, tol=1e-12):
    """Whether each point lies in the counter-clockwise convex polygon (edges included, up to tol)."""
    edges = np.roll(poly, -1, axis=0) - poly
    rel = pts[:, None, :] - poly[None]
    cross = edges[None, :, 0] * rel[..., 1] - edges[None, :, 1] * rel[..., 0]
    return np.all(cross >= -tol, axis=1)


def test_corners_are_documented_and_equilateral_around_the_origin():
    np.testing.assert_allclose(CORNERS, [[0, 1], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])
    sides = np.linalg.norm(CORNERS - np.roll(CORNERS, 1, axis=0), axis=1)
    np.testing.assert_allclose(sides, np.sqrt(3))
    np.testing.assert_allclose(CORNERS.mean(axis=0), CENTROID, atol=1e-15)
    with pytest.raises(ValueError):
        CORNERS[0, 0] = 5.0  # a shared constant is read-only


def test_one_hot_rows_map_to_the_corners_and_the_uniform_row_to_the_centroid():
    np.testing.assert_allclose(simplex_coords(np.eye(3)), CORNERS, atol=1e-15)
    np.testing.assert_allclose(simplex_coords(np.full((1, 3), 1 / 3)), [CENTROID], atol=1e-15)
    # A point on an edge: halfway between e_1 and e_2.
    np.testing.assert_allclose(simplex_coords([[0.5, 0.5, 0.0]]), [(CORNERS[0] + CORNERS[1]) / 2])


@settings(max_examples=300, deadline=None)
@given(score_rows)
def test_points_lie_inside_the_triangle_and_in_the_region_of_their_argmax(scores):
    P = linclass.softmax(scores)
    pts = simplex_coords(P)
    assert pts.shape == (len(P), 2)
    assert inside(CORNERS, pts).all()
    top2 = np.sort(P, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 1e-9  # away from the ties on region borders
    regions = simplex_regions()
    for c in range(3):
        np.testing.assert_array_equal(inside(regions[c], pts[clear]), P[clear].argmax(axis=1) == c)


def test_regions_tile_the_triangle_and_meet_at_the_centroid():
    regions = simplex_regions()
    assert len(regions) == 3

    def area(poly):
        x, y = poly.T
        return 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)

    for c, poly in enumerate(regions):
        assert poly.shape == (4, 2)
        assert area(poly) == pytest.approx(area(CORNERS) / 3)  # positive: counter-clockwise
        np.testing.assert_array_equal(poly[0], CORNERS[c])
        assert any(np.array_equal(v, CENTROID) for v in poly)


def test_points_on_a_grid_each_fall_in_exactly_one_region():
    g = np.linspace(0, 1, 41)
    P = np.array([[a, b, 1 - a - b] for a in g for b in g if a + b <= 1])
    P = P[np.sort(P, axis=1)[:, -1] - np.sort(P, axis=1)[:, -2] > 1e-9]  # no ties
    pts = simplex_coords(P)
    hits = np.array([inside(r, pts) for r in simplex_regions()])
    np.testing.assert_array_equal(hits.sum(axis=0), 1)
    np.testing.assert_array_equal(hits.argmax(axis=0), P.argmax(axis=1))


# ---------- pick_three ----------------------------------------------------------------------


def test_pick_three_is_the_softmax_of_the_three_scores():
    rng = np.random.default_rng(0)
    scores = rng.normal(0, 3, (50, 6))
    Q = pick_three(linclass.softmax(scores), [4, 0, 2])
    np.testing.assert_allclose(Q, linclass.softmax(scores[:, [4, 0, 2]]), rtol=1e-12)
    np.testing.assert_allclose(Q.sum(axis=1), 1.0)
    P3 = linclass.softmax(scores[:, :3])
    np.testing.assert_allclose(pick_three(P3, (0, 1, 2)), P3, rtol=1e-14)


def test_pick_three_of_underflowed_probabilities_is_uniform():
    P = linclass.softmax(np.array([[0.0, 0.0, 0.0, 1000.0], [1.0, 2.0, 3.0, 0.0]]))
    assert P[0, :3].sum() == 0.0
    Q = pick_three(P, [0, 1, 2])
    np.testing.assert_array_equal(Q[0], [1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(Q[1], linclass.softmax(np.array([1.0, 2.0, 3.0])))


@pytest.mark.parametrize(
    "classes", [[0, 1], [0, 1, 1], [0, 1, 4], [-1, 0, 1], [0.0, 1.0, 2.0], [True, False, True], "abc"]
)
def test_pick_three_bad_classes(classes):
    with pytest.raises(ValueError, match="classes must be 3 distinct class indices"):
        pick_three(np.full((2, 4), 0.25), classes)


@pytest.mark.parametrize(
    "P,match",
    [
        (np.full((2, 2), 0.5), r"K >= 3"),
        (np.full(4, 0.25), r"K >= 3"),
        (np.array([[np.nan, 0.5, 0.5, 0.0]]), "finite"),
    ],
)
def test_pick_three_bad_P(P, match):
    with pytest.raises(ValueError, match=match):
        pick_three(P, [0, 1, 2])


@pytest.mark.parametrize(
    "P",
    [
        np.full((2, 4), 0.25),
        np.full(3, 1 / 3),
        np.array([[0.5, 0.6, -0.1]]),
        np.array([[0.5, 0.4, 0.0]]),
        np.array([[np.nan, 0.5, 0.5]]),
    ],
)
def test_simplex_coords_refuses_what_is_not_a_probability_row_over_three_classes(P):
    with pytest.raises(ValueError, match="P must"):
        simplex_coords(P)
