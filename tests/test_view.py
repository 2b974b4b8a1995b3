"""The explorer's view: the math panel's predicted score change equals what a step does."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linclass
from linclass import Explorer, Optimizer
from linclass.session.view import make_view, next_indices


def three_points(bias):
    return (
        Explorer.new(3, bias=bias)
        .add_point(0.6, -0.3, 0)
        .add_point(-0.4, 0.5, 1)
        .add_point(-0.2, -0.8, 2)
        .reset_weights(bias=bias, init="random", seed=4)
    )


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_predicted_score_change_matches_the_step(bias, reg):
    ex = three_points(bias).select(1)
    opt = Optimizer(lr=0.7, reg=reg)
    before = make_view(ex, opt, by_click=True).math
    after = ex.step_selected(opt)
    m = make_view(after, opt, by_click=True).math
    np.testing.assert_allclose(m.measured_df, before.predicted_df, atol=1e-12)
    np.testing.assert_allclose(m.predicted_df, m.measured_df, atol=1e-12)
    assert m.seed_case == (not bias and reg == 0)


@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(1e-3, 2.0), st.integers(0, 2))
@settings(max_examples=50, deadline=None)
def test_seed_case_signs(x0, x1, lr, label):
    # No bias, no reg: the true class's score rises and every other falls, whatever the signs of x.
    if abs(x0) + abs(x1) < 1e-3:
        return
    ex = Explorer.new(3, bias=False).add_point(x0, x1, label).reset_weights(bias=False, init="random", seed=1)
    m = make_view(ex, Optimizer(lr=lr)).math
    sq = x0 * x0 + x1 * x1
    expected = -lr * m.p * sq
    expected[label] = lr * (1 - m.p[label]) * sq
    np.testing.assert_allclose(m.predicted_df, expected, atol=1e-12)
    assert m.predicted_df[label] >= 0
    assert all(m.predicted_df[k] <= 0 for k in range(3) if k != label)


def test_next_step_preview_is_the_step():
    ex = three_points(True)
    for opt in (Optimizer(lr=0.3), Optimizer(mode="batch", lr=0.3), Optimizer(mode="minibatch", batch_size=2)):
        v = make_view(ex, opt)
        assert v.update_label == "next step"
        stepped = ex.step(opt)
        np.testing.assert_allclose(v.update, stepped.state.W - ex.state.W, atol=1e-14)
        after = make_view(stepped, opt)
        assert after.update_label == "last step"
        np.testing.assert_allclose(after.rows, ex.state.W)


def test_single_sample_update_is_parallel_to_x():
    ex = three_points(False)
    v = make_view(ex.step(Optimizer(lr=0.5)), Optimizer(lr=0.5))
    x = v.update_x
    cross = v.update[:, 0] * x[1] - v.update[:, 1] * x[0]
    np.testing.assert_allclose(cross, 0, atol=1e-14)
    np.testing.assert_allclose(v.update.sum(axis=0), 0, atol=1e-14)  # the mean row stays put


def test_next_indices_follow_orders():
    ex = three_points(True)
    assert list(next_indices(ex.select(2), Optimizer(), by_click=True)) == [2]
    assert list(next_indices(ex, Optimizer(), by_click=False)) == [0]
    assert list(next_indices(ex, Optimizer(mode="batch"), by_click=False)) == [0, 1, 2]


def test_empty_explorer_view():
    v = make_view(Explorer.new(2), Optimizer())
    assert v.current is None and v.math is None and v.update is None
    assert [len(p) for p in v.polygons] == [4, 0]  # zero weights: a tie, class 0 everywhere


def test_p_before_are_ghosts_of_the_last_step():
    ex = three_points(True)
    after = ex.step(Optimizer(lr=0.5))
    v = make_view(after, Optimizer(lr=0.5))
    np.testing.assert_allclose(v.p_before, linclass.softmax(linclass.scores(ex.state.W, ex.state.b, ex.X[0])))


def test_update_note_states_what_the_numbers_show():
    ex = three_points(False)
    single = make_view(ex.step(Optimizer(lr=0.5)), Optimizer(lr=0.5))
    assert single.update_note == "all updates ∥ xᵢ\nΣ updates = 0: mean row (o) fixed"
    batch = make_view(ex.step(Optimizer(mode="batch", lr=0.5)), Optimizer())
    assert batch.update_note == "Σ updates = 0: mean row (o) fixed"
    l2 = make_view(ex.step(Optimizer(mode="batch", lr=0.5, reg=0.5)), Optimizer())
    assert "L2 shrinks" in l2.update_note
