"""row_landscape against a loop over grid points, its geometry for one sample, its memory, and landscape_window."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core import landscape
from linclass.core.landscape import landscape_window, row_landscape
from tests.core.test_model import make_problem
from tests.svm import hinge_loss_and_grad, objective

LOSSES = ["softmax", "hinge"]


def loop_landscape(W, b, X, y, m, w1s, w2s, reg, loss):
    """One ``loss_and_grad`` call per grid point: the oracle."""
    Z = np.empty((len(w2s), len(w1s)))
    for j, w2 in enumerate(w2s):
        for i, w1 in enumerate(w1s):
            Wg = np.array(W, dtype=float)
            Wg[m] = (w1, w2)
            Z[j, i] = objective(loss)(Wg, b, X, y, reg)[0]
    return Z


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reg", [0.0, 0.4])
@pytest.mark.parametrize("N,K,m", [(1, 3, 0), (1, 3, 2), (9, 2, 1), (50, 5, 3), (40, 1, 0)])
def test_matches_a_loop_over_grid_points(N, K, m, reg, bias, loss):
    W, b, X, y = make_problem(N * 7 + K, N, K, 2, bias)
    w1s = np.linspace(W[m, 0] - 2, W[m, 0] + 1.5, 7)
    w2s = np.linspace(W[m, 1] - 1, W[m, 1] + 3, 5)
    Z = row_landscape(W, b, X, y, m, w1s, w2s, reg, loss)
    assert Z.shape == (5, 7)
    np.testing.assert_allclose(Z, loop_landscape(W, b, X, y, m, w1s, w2s, reg, loss), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("loss", LOSSES)
def test_large_scores_stay_exact(loss):
    # Scores in the hundreds: the softmax path must not overflow exp nor lose the log-sum-exp.
    W, b, X, y = make_problem(5, 30, 4, 2)
    X = X * 300
    w1s, w2s = np.linspace(-3, 3, 6), np.linspace(-2, 2, 4)
    Z = row_landscape(W, b, X, y, 1, w1s, w2s, 0.1, loss)
    np.testing.assert_allclose(Z, loop_landscape(W, b, X, y, 1, w1s, w2s, 0.1, loss), rtol=1e-12)


@pytest.mark.parametrize("loss", LOSSES)
def test_blocks_give_the_same_numbers(monkeypatch, loss):
    W, b, X, y = make_problem(8, 60, 4, 2)
    w1s, w2s = np.linspace(-2, 2, 13), np.linspace(-1, 2, 11)
    whole = row_landscape(W, b, X, y, 2, w1s, w2s, 0.2, loss)
    monkeypatch.setattr(landscape, "CELLS", 50)  # ragged slices of the grid
    np.testing.assert_allclose(row_landscape(W, b, X, y, 2, w1s, w2s, 0.2, loss), whole, rtol=1e-13)


def test_memory_stays_bounded_for_300_points_and_a_100_by_100_grid():
    W, b, X, y = make_problem(1, 300, 5, 2)
    w1s, w2s = landscape_window(W, 1)
    row_landscape(W, b, X, y, 1, w1s, w2s)  # warm up
    tracemalloc.start()
    row_landscape(W, b, X, y, 1, w1s, w2s)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The unblocked (grid x points) array alone would be 10,000 * 300 * 8 bytes = 24 MB.
    assert peak < 3e6, peak


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda K: st.tuples(
            hnp.arrays(float, (K, 2), elements=st.floats(-4, 4)),
            st.one_of(st.none(), hnp.arrays(float, (K,), elements=st.floats(-4, 4))),
            st.integers(1, 10).flatmap(
                lambda N: st.tuples(
                    hnp.arrays(float, (N, 2), elements=st.floats(-4, 4)),
                    hnp.arrays(np.intp, (N,), elements=st.integers(0, K - 1)),
                )
            ),
            st.integers(0, K - 1),
        )
    ),
    st.sampled_from(LOSSES),
    st.floats(0, 2),
)
def test_at_the_current_row_it_is_the_loss_and_never_negative(problem, loss, reg):
    W, b, (X, y), m = problem
    Z = row_landscape(W, b, X, y, m, [W[m, 0]], [W[m, 1]], reg, loss)
    assert Z.shape == (1, 1)
    assert Z[0, 0] == pytest.approx(objective(loss)(W, b, X, y, reg)[0], rel=1e-12, abs=1e-12)
    grid = row_landscape(W, b, X, y, m, np.linspace(-3, 3, 4), np.linspace(-3, 3, 3), 0.0, loss)
    assert np.all(grid >= 0)


# ---------- one sample, no bias, no reg: L_i sees w_m only through w_m . x_i ------------------


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("m,label", [(0, 0), (1, 0), (2, 2)])
def test_single_sample_landscape_is_constant_across_x_and_the_gradient_is_along_x(loss, m, label):
    rng = np.random.default_rng(m * 3 + label)
    W = rng.normal(size=(3, 2))
    x = np.array([0.8, -0.5])
    X, y = x[None], np.array([label])
    perp = np.array([-x[1], x[0]]) / np.hypot(*x)
    # A w_m where the hinge pulls on row m: f_m = rival + 0.5, so for m != y its margin is 1.5
    # and for m = y the rival's margin is 0.5.
    f = W @ x
    rival = f[label] if m != label else np.delete(f, m).max()
    base = W[m] + (rival + 0.5 - W[m] @ x) / (x @ x) * x

    def at(points):  # the landscape at each point, each a 1 x 1 grid
        return [row_landscape(W, None, X, y, m, [p[0]], [p[1]], 0.0, loss)[0, 0] for p in points]

    along = at(base + np.outer(np.linspace(-3, 3, 13), perp))
    np.testing.assert_allclose(along, along[6], rtol=1e-12, atol=1e-14)
    # ... but not constant along x itself (so the check above could fail).
    assert np.ptp(at(base + np.outer([-2.0, 0.0, 2.0], x))) > 1e-3
    # Over a whole grid Z is a monotone function of w . x = w1 x1 + w2 x2.
    w1s, w2s = np.linspace(-2, 2, 41), np.linspace(-2, 2, 41)
    Z = row_landscape(W, None, X, y, m, w1s, w2s, 0.0, loss)
    s = np.add.outer(w2s * x[1], w1s * x[0])  # w . x at each grid point
    order = np.argsort(s, axis=None)
    assert np.all(np.diff(Z.ravel()[order]) * (1 if m != label else -1) >= -1e-12)
    # The gradient of row m is a multiple of x: parallel to x, perpendicular to the contours.
    _, dW, _ = objective(loss)(np.vstack([W[:m], base, W[m + 1 :]]), None, X, y, 0.0)
    assert abs(dW[m, 0] * x[1] - dW[m, 1] * x[0]) < 1e-12
    assert np.hypot(*dW[m]) > 1e-3


@pytest.mark.parametrize("loss", LOSSES)
def test_central_differences_of_the_landscape_are_the_row_gradient(loss):
    W, b, X, y = make_problem(21, 12, 4, 2)
    m, h = 2, 1e-5
    w = W[m]
    Z = row_landscape(W, b, X, y, m, [w[0] - h, w[0], w[0] + h], [w[1] - h, w[1], w[1] + h], 0.3, loss)
    _, dW, _ = objective(loss)(W, b, X, y, 0.3)
    np.testing.assert_allclose([(Z[1, 2] - Z[1, 0]) / (2 * h), (Z[2, 1] - Z[0, 1]) / (2 * h)], dW[m], atol=1e-7)


# ---------- bad input -----------------------------------------------------------------------


def test_bad_input_raises_value_errors_naming_the_argument():
    W, b, X, y = make_problem(0)
    g = np.linspace(-1, 1, 3)
    for kwargs, match in [
        ({"m": 3}, "m must be a row index"),
        ({"m": -1}, "m must be a row index"),
        ({"m": 1.0}, "m must be a row index"),
        ({"w1s": []}, "w1s must be"),
        ({"w2s": [0.0, np.nan]}, "w2s must be"),
        ({"w1s": np.zeros((2, 2))}, "w1s must be"),
        ({"loss": "svm"}, "unknown loss"),
        ({"y": y + 3}, "labels must lie in"),
    ]:
        args = {"W": W, "b": b, "X": X, "y": y, "m": 0, "w1s": g, "w2s": g} | kwargs
        with pytest.raises(ValueError, match=match):
            row_landscape(**args)
    for cols in ((0, 0), (0, 3), (1,)):  # W (K, 3): the grid sets two different columns of row m
        with pytest.raises(ValueError, match="cols must be two different columns"):
            row_landscape(np.zeros((3, 3)), None, np.zeros((4, 3)), y[:4], 0, g, g, cols=cols)
    with pytest.raises(ValueError, match="X contains NaN"):
        row_landscape(W, b, np.where(X > 0, np.nan, X), y, 0, g, g)
    with pytest.raises(ValueError, match="delta"):
        row_landscape(W, b, X, y, 0, g, g, loss="hinge", delta=-1)
    with pytest.raises(linclass.NonFiniteError):
        row_landscape(W, b, X * 1e300, y, 0, g * 1e300, g)


# ---------- landscape_window ----------------------------------------------------------------


def test_window_holds_the_row_the_path_and_the_arrow_tip_with_margin():
    W = np.array([[0.5, -0.2], [2.0, 1.0], [0.0, 0.0]])
    path = np.array([[1.0, 1.0], [1.5, 0.8], [1.8, 1.1]])
    step = np.array([0.6, -2.0])  # the tip is (2.6, -1.0)
    w1s, w2s = landscape_window(W, 1, path, step, n=60, margin=0.1, min_half=0.1)
    assert len(w1s) == len(w2s) == 60
    assert np.all(np.diff(w1s) > 0) and np.all(np.diff(w2s) > 0)
    span1, span2 = w1s[-1] - w1s[0], w2s[-1] - w2s[0]
    assert span1 == pytest.approx(span2)  # square: contours meet the gradient at right angles
    pts = np.vstack([W[1], path, W[1] + step])
    spare = 0.1 * (pts.max(axis=0) - pts.min(axis=0)).max()
    assert w1s[0] <= pts[:, 0].min() - spare + 1e-12 and w1s[-1] >= pts[:, 0].max() + spare - 1e-12
    assert w2s[0] <= pts[:, 1].min() - spare + 1e-12 and w2s[-1] >= pts[:, 1].max() + spare - 1e-12
    # Tight: the longer side (w2, from -1.0 to 1.1) spans the points plus a margin on each side.
    assert span2 == pytest.approx(2.1 * 1.2)
    # A larger min_half wins over a small spread.
    wide, _ = landscape_window(W, 1, path, step, margin=0.1, min_half=2.0)
    assert wide[-1] - wide[0] == pytest.approx(4.0)


def test_window_of_a_still_row_is_min_half_around_it():
    W = np.array([[3.0, -4.0], [0.0, 0.0]])
    w1s, w2s = landscape_window(W, 0, n=5, min_half=0.5)
    np.testing.assert_allclose(w1s, [2.5, 2.75, 3.0, 3.25, 3.5])
    np.testing.assert_allclose(w2s, [-4.5, -4.25, -4.0, -3.75, -3.5])
    w1s, _ = landscape_window(W, 0, path=np.empty((0, 2)), step=[0.0, 0.0])
    assert len(w1s) == 100 and w1s[0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"m": 2}, "m must be a row index"),
        ({"n": 1}, "n must be"),
        ({"n": 10.5}, "n must be"),
        ({"path": [[0.0, np.inf]]}, "must be finite"),
        ({"step": [np.nan, 0.0]}, "must be finite"),
        ({"path": np.zeros((2, 3))}, r"path must have shape \(T, 2\)"),
        ({"path": [0.0, 1.0]}, r"path must have shape \(T, 2\)"),
        ({"step": [1.0, 2.0, 3.0]}, r"step \(2,\)"),
        ({"margin": -0.1}, "margin"),
        ({"min_half": 0.0}, "min_half"),
    ],
)
def test_window_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        landscape_window(**({"W": np.zeros((2, 2)), "m": 0} | kwargs))


def test_hinge_landscape_has_flat_floor_where_every_margin_is_met():
    # One sample of class 0 at x = (1, 0): once w_01 exceeds the others' scores by delta, L_i = 0.
    W = np.array([[0.0, 0.0], [0.5, 0.0], [-1.0, 0.0]])
    X, y = np.array([[1.0, 0.0]]), np.array([0])
    w1s = np.array([0.0, 1.0, 1.5, 2.0, 3.0])
    Z = row_landscape(W, None, X, y, 0, w1s, [0.0], loss="hinge")
    # margins: class 1: 0.5 - w + 1, class 2: -1 - w + 1
    expected = np.maximum(0, 1.5 - w1s) + np.maximum(0, -w1s)
    np.testing.assert_allclose(Z[0], expected)
    assert Z[0, -2:].tolist() == [0.0, 0.0]
    assert hinge_loss_and_grad(np.vstack([[3.0, 0.0], W[1:]]), None, X, y)[0] == 0.0
