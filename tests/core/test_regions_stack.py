"""The regions and confidence grids of a stack of weights (``region_polygons_stack``,
``max_prob_grid_stack``): each state's are ``region_polygons``'s and ``max_prob_grid``'s, bit for bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core.regions import max_prob_grid, max_prob_grid_stack, region_polygons, region_polygons_stack
from tests.core.test_regions_same import VALUES, assert_same_polygons
from tests.oracle import softmax_loop


@st.composite
def stacks(draw):
    """S states of K classes in one view: ties, zero rows, lines through corners, float limits."""
    K, S = draw(st.integers(1, 8)), draw(st.integers(1, 6))
    Ws = np.array(draw(st.lists(st.tuples(VALUES, VALUES), min_size=S * K, max_size=S * K))).reshape(S, K, 2)
    bs = None
    if draw(st.booleans()):
        bs = np.array(draw(st.lists(VALUES, min_size=S * K, max_size=S * K))).reshape(S, K)
    if K > 1 and draw(st.booleans()):
        Ws[:, -1] = Ws[:, 0]
        if bs is not None:
            bs[:, -1] = bs[:, 0]
    half = draw(st.sampled_from([1.0, 1.2, 3.5, 1e-9, 1e6]))
    off = draw(st.sampled_from([0.0, 0.5]))
    return Ws, bs, (-half + off, half + off, -half, half)


@settings(max_examples=800, deadline=None)
@given(stacks())
def test_each_state_gets_region_polygons_to_the_bit(stack):
    Ws, bs, bounds = stack
    got = region_polygons_stack(Ws, bs, bounds)
    assert len(got) == len(Ws)
    for s, polys in enumerate(got):
        assert_same_polygons(polys, region_polygons(Ws[s], None if bs is None else bs[s], bounds))


@pytest.mark.parametrize("seed", range(10))
def test_trained_weights_of_a_chunk(seed):
    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 9))
    Ws = np.cumsum(rng.normal(0, 0.05, (96, K, 2)), axis=0)  # a walk, as Play's steps are
    bs = np.cumsum(rng.normal(0, 0.05, (96, K)), axis=0)
    bounds = (-2.0, 2.0, -2.0, 2.0)
    for s, polys in enumerate(region_polygons_stack(Ws, bs, bounds)):
        assert_same_polygons(polys, region_polygons(Ws[s], bs[s], bounds))


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((np.zeros((2, 3)), None, (-1, 1, -1, 1)), "Ws"),
        ((np.zeros((2, 3, 3)), None, (-1, 1, -1, 1)), "plane"),
        ((np.zeros((2, 3, 2)), np.zeros((2, 2)), (-1, 1, -1, 1)), "bs"),
        ((np.zeros((1, 2, 2)), None, (1, -1, 0, 1)), "bounds"),
        ((np.full((1, 2, 2), np.nan), None, (-1, 1, -1, 1)), "Ws"),
    ],
    # fmt: skip
)
def test_bad_arguments_are_named(args, error):
    with pytest.raises(ValueError, match=error):
        region_polygons_stack(*args)


@settings(max_examples=200, deadline=None)
@given(stack=stacks(), n=st.integers(1, 30))
def test_each_state_gets_max_prob_grid(stack, n):
    Ws, bs, bounds = stack
    for s, (xs, ys, pmax) in enumerate(max_prob_grid_stack(Ws, bs, bounds, n)):
        want = max_prob_grid(Ws[s], None if bs is None else bs[s], bounds, n)
        assert np.array_equal(xs, want[0]) and np.array_equal(ys, want[1])
        assert pmax.dtype == want[2].dtype and np.array_equal(pmax, want[2], equal_nan=True)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**16), K=st.integers(1, 8), bias=st.booleans())
def test_max_prob_grid_is_the_loop_oracles_largest_p(seed, K, bias):
    rng = np.random.default_rng(seed)
    W, b = rng.normal(0, 2, (K, 2)), rng.normal(0, 1, K) if bias else None
    xs, ys, pmax = max_prob_grid(W, b, (-2, 2, -1, 1), 7)
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            f = [W[m, 0] * xv + W[m, 1] * yv + (0.0 if b is None else b[m]) for m in range(K)]
            assert pmax[j, i] == pytest.approx(max(softmax_loop(f)), rel=1e-6)
