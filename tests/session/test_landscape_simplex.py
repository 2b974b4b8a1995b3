"""The two extra views' arrays (issue 11): one row's loss landscape and the probability simplex,
each computed from the session's frame and checked against the step's own numbers and a loop oracle."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core.landscape import row_landscape
from linclass.core.model import loss_and_grad, scores, softmax
from linclass.core.simplex import CORNERS, simplex_coords
from linclass.session.frame import PREVIEW, TAKEN
from linclass.session.landscape_simplex import GRID, MIN_GRID, WORK, default_row, grid_size, landscape, simplex
from linclass.session.session import Session
from linclass.ui.words import landscape_caption
from tests.oracle import loss_and_grad_loop, softmax_loop


def start(**query) -> Session:
    return Session.start({k: str(v) for k, v in {"n": 30, **query}.items()})


def loop_loss(W, b, X, y, reg):
    return loss_and_grad_loop(W.tolist(), None if b is None else b.tolist(), X.tolist(), y.tolist(), reg)[0]


def grad_of_drawn_loss(frame, m, h=1e-5):
    """Central differences of the loss the landscape draws, at the row's place before the step."""
    rec, ex = frame.record, frame.explorer
    idx = rec.indices
    w = rec.W_before[m]
    Z = row_landscape(rec.W_before, rec.b_before, ex.X[idx], ex.y[idx], m, [w[0] - h, w[0], w[0] + h],
                      [w[1] - h, w[1], w[1] + h], reg=rec.reg)  # fmt: skip
    return np.array([Z[1, 2] - Z[1, 0], Z[2, 1] - Z[0, 1]]) / (2 * h)


# ----- the landscape ------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["sample", "minibatch", "batch"])
@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_the_landscape_is_the_loss_of_the_steps_own_samples(mode, reg):
    s = start(mode=mode, reg=reg, batch=8, init="random").step(3)
    frame = s.frame
    rec, ex = frame.record, frame.explorer
    L = landscape(frame, 1, n=7)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        W = rec.W_before.copy()
        W[1] = L.w1s[i], L.w2s[j]
        idx = rec.indices
        want = loop_loss(W, rec.b_before, ex.X[idx], ex.y[idx], reg)
        assert L.Z[j, i] == pytest.approx(want, rel=1e-10)
    assert len(rec.indices) == {"sample": 1, "minibatch": 8, "batch": 30}[mode]
    assert ("lambda" in landscape_caption(s.frame)) == (reg > 0)


@pytest.mark.parametrize("mode", ["sample", "minibatch", "batch"])
def test_the_arrow_is_the_steps_change_and_minus_gamma_times_the_drawn_gradient(mode):
    s = start(mode=mode, reg=0.01, lr=0.5, init="random").step(2)
    frame = s.frame
    rec = frame.record
    for m in range(3):
        L = landscape(frame, m)
        np.testing.assert_array_equal(L.w, rec.W_before[m])
        np.testing.assert_array_equal(L.step, rec.W_after[m] - rec.W_before[m])
        np.testing.assert_allclose(L.step, -rec.lr * grad_of_drawn_loss(frame, m), rtol=1e-5, atol=1e-9)


def test_a_single_sample_step_is_along_x_i_and_the_contours_cross_it():
    frame = start(mode="sample").step(4).frame
    i = int(frame.record.indices[0])
    x = frame.explorer.X[i]
    for m in range(3):
        L = landscape(frame, m)
        np.testing.assert_array_equal(L.x, x)
        assert abs(L.step[0] * x[1] - L.step[1] * x[0]) <= 1e-12 * np.hypot(*x) * max(np.hypot(*L.step), 1e-300)
        # on the grid, Z is constant along the perpendicular of x_i: it depends on w_m . x_i alone
        gy, gx = np.gradient(L.Z, L.w2s, L.w1s)
        along = np.abs(gx * -x[1] + gy * x[0]) / np.hypot(*x)  # the slope perpendicular to x_i
        assert along.max() <= 1e-2 * np.hypot(gx, gy).max()  # finite differences: within 0.6 degrees


def test_the_path_is_the_row_at_every_earlier_step_and_ends_where_the_arrow_starts():
    s = start(mode="batch", lr=1.0)
    rows = [s.explorer.state.W[2]]
    for _ in range(4):
        s = s.step()
        rows.append(s.explorer.state.W[2])
    L = landscape(s.frame, 2)  # the step just taken: from rows[3] to rows[4]
    assert s.frame.kind == TAKEN
    np.testing.assert_array_equal(L.path, rows[:4])
    np.testing.assert_allclose(L.w + L.step, rows[4])
    back = s.back()  # the next step again, from rows[3]
    assert back.frame.kind == PREVIEW
    Lb = landscape(back.frame, 2)
    np.testing.assert_array_equal(Lb.path, rows[:4])
    np.testing.assert_array_equal(Lb.w, rows[3])
    lo = np.array([Lb.w1s[0], Lb.w2s[0]])
    hi = np.array([Lb.w1s[-1], Lb.w2s[-1]])
    assert np.all(Lb.path >= lo) and np.all(Lb.path <= hi)  # the window holds the whole path
    assert np.all(Lb.w + Lb.step >= lo) and np.all(Lb.w + Lb.step <= hi)


def test_the_default_row_is_the_true_class_of_the_frames_sample():
    s = start(mode="sample").select(7)
    assert default_row(s.frame) == s.explorer.y[7]
    s = start(mode="sample").step(2)
    assert default_row(s.frame) == s.explorer.y[s.frame.focus]


def test_the_grid_is_fine_for_one_sample_and_bounded_for_thousands():
    assert grid_size(1) == grid_size(200, n_classes=3) == GRID
    for n in (301, 1000, 5000, 10**6):
        g = grid_size(n)
        assert MIN_GRID <= g < GRID and (g * g * n * 3 <= WORK or g == MIN_GRID)
    s = Session.start({"n": "3000", "mode": "batch"})
    L = landscape(s.frame, 0)
    assert L.Z.shape == (MIN_GRID, MIN_GRID)  # sqrt(WORK / 3000) = 31.6 is below the floor
    assert landscape(start(mode="sample").frame, 0).Z.shape == (GRID, GRID)


def test_no_step_no_landscape_and_a_bad_row_is_named():
    assert landscape(Session.start({"n": "1"}).clear().frame, 0) is None
    frame = start().frame
    for bad in (3, -1, 1.0, True, "0"):
        with pytest.raises(ValueError, match="m must be a row index"):
            landscape(frame, bad)


@settings(max_examples=25, deadline=None)
@given(mode=st.sampled_from(["sample", "minibatch", "batch"]), steps=st.integers(0, 6), k=st.integers(2, 5),
       reg=st.sampled_from([0.0, 0.01, 1.0]), lr=st.sampled_from([0.1, 1.0, 5.0]), bias=st.booleans(),
       seed=st.integers(0, 50))  # fmt: skip
def test_property_arrow_equals_minus_gamma_grad_of_the_drawn_loss(mode, steps, k, reg, lr, bias, seed):
    s = start(mode=mode, k=k, reg=reg, lr=lr, bias=int(bias), seed=seed, batch=5, init="random", init_seed=seed)
    s = s.step(steps) if steps else s
    frame = s.frame
    if frame.record is None:
        return
    m = default_row(frame)
    L = landscape(frame, m, n=20)
    grad = grad_of_drawn_loss(frame, m, h=1e-6)
    np.testing.assert_allclose(L.step, -lr * grad, rtol=1e-4, atol=1e-7 * lr)
    assert L.Z.shape == (20, 20) and np.all(np.isfinite(L.Z))
    assert L.path.shape[1] == 2 and (len(L.path) == 0 or np.array_equal(L.path[-1], L.w))


# ----- the simplex --------------------------------------------------------------------------------
def test_the_dots_are_the_probabilities_of_the_state_on_screen():
    s = start(init="random", lr=0.5).step(5)
    ex = s.explorer
    S = simplex(s.frame)
    assert S.classes == (0, 1, 2) and not S.renormalised
    np.testing.assert_array_equal(S.index, np.arange(ex.n_points))
    for n, i in enumerate(S.index):
        p = softmax_loop(list(ex.X[i] @ ex.state.W.T + ex.state.b))  # the oracle, one sample at a time
        np.testing.assert_allclose(S.probs[n], p, rtol=1e-12)
        np.testing.assert_allclose(S.dots[n], np.array(p) @ CORNERS, atol=1e-12)
    np.testing.assert_array_equal(S.labels, ex.y)


def test_the_trajectory_is_the_samples_p_over_the_steps_from_uniform():
    s = start(mode="sample").select(4)  # zero weights: every p is uniform, the centroid
    states = [s.explorer.state]
    for _ in range(3):
        s = s.step()
        states.append(s.explorer.state)
    S = simplex(s.frame)
    assert S.sample == 4
    x = s.explorer.X[4]
    want = [simplex_coords(softmax(scores(st.W, st.b, x))[None])[0] for st in states]
    np.testing.assert_allclose(S.trajectory, want, atol=1e-12)
    np.testing.assert_allclose(S.trajectory[0], [0, 0], atol=1e-15)
    np.testing.assert_allclose(S.trajectory[-1], S.dots[4], atol=1e-12)  # it ends at the sample's dot
    back = simplex(s.back().frame)  # step back: the trajectory loses its last point
    np.testing.assert_allclose(back.trajectory, want[:-1], atol=1e-12)


def test_more_than_three_classes_are_renormalised_over_the_picked_three():
    s = start(k=5, n=50, init="random").step(2)
    ex = s.explorer
    S = simplex(s.frame, (4, 0, 2))
    assert S.renormalised and S.classes == (4, 0, 2)
    np.testing.assert_array_equal(S.index, np.flatnonzero(np.isin(ex.y, [0, 2, 4])))
    P = softmax(scores(ex.state.W, ex.state.b, ex.X[S.index]))[:, [4, 0, 2]]
    np.testing.assert_allclose(S.probs, P / P.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(S.probs.sum(axis=1), 1.0)


def test_the_simplex_refuses_two_classes_and_bad_picks():
    with pytest.raises(ValueError, match="at least 3 classes"):
        simplex(start(k=2).frame)
    frame = start(k=4).frame
    for bad in [(0, 1), (0, 1, 1), (0, 1, 4), (0.0, 1, 2)]:
        with pytest.raises(ValueError, match="classes must be 3 distinct"):
            simplex(frame, bad)


def test_loss_and_grad_agrees_with_the_oracle_here():
    # The landscape tests lean on the oracle; keep it honest against the library on one case.
    s = start(init="random").step(1)
    W, b, ex = s.explorer.state.W, s.explorer.state.b, s.explorer
    assert loss_and_grad(W, b, ex.X, ex.y, 0.1)[0] == pytest.approx(loop_loss(W, b, ex.X, ex.y, 0.1), rel=1e-12)
