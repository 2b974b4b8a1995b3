"""The decision regions made cheap, not changed: vertex for vertex the polygons of before
(``regions_before``, the old code kept verbatim), for any weights, ties and degenerate lines."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core import regions
from tests import oracle_regions as regions_before

# Small whole numbers make lines through corners and vertices, ties and repeated rows; the
# scales reach the float limits the polygons are guarded for.
VALUES = st.one_of(st.integers(-3, 3).map(float), st.floats(-5, 5, allow_nan=False),
                   st.sampled_from([1e-300, 1e300, -1e308, 0.1, 1 / 3]))  # fmt: skip


@st.composite
def planes(draw):
    K = draw(st.integers(1, 8))
    W = np.array(draw(st.lists(st.tuples(VALUES, VALUES), min_size=K, max_size=K)))
    b = np.array(draw(st.lists(VALUES, min_size=K, max_size=K))) if draw(st.booleans()) else None
    if K > 1 and draw(st.booleans()):  # a repeated row: a tie everywhere
        W[-1] = W[0]
        if b is not None:
            b[-1] = b[0]
    half = draw(st.sampled_from([1.0, 1.2, 3.5, 1e-9, 1e6]))
    off = draw(st.sampled_from([0.0, 0.5]))
    return W, b, (-half + off, half + off, -half, half)


def assert_same_polygons(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape and g.dtype == w.dtype and np.array_equal(g, w)


@settings(max_examples=1500, deadline=None)
@given(planes())
def test_region_polygons_are_the_old_ones_to_the_bit(plane):
    assert_same_polygons(regions.region_polygons(*plane), regions_before.region_polygons(*plane))


@pytest.mark.parametrize("seed", range(20))
def test_region_polygons_of_trained_weights_are_the_old_ones(seed):
    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 9))
    W, b = rng.normal(0, 2, (K, 2)), rng.normal(0, 1, K)
    bounds = (-2.5, 2.5, -2.5, 2.5)
    assert_same_polygons(regions.region_polygons(W, b, bounds), regions_before.region_polygons(W, b, bounds))


def test_area_of_a_sliver_is_judged_as_before():
    # A region that is a line (two classes' boundaries meet on it) is no region.
    W = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    box = (-1, 1, -1, 1)
    got, want = regions.region_polygons(W, None, box), regions_before.region_polygons(W, None, box)
    assert_same_polygons(got, want)
    assert len(got[2]) == 0
