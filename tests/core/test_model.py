"""softmax, loss_and_grad and sample_grad against hand values, the loop oracle and finite differences."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core import objective as kernel
from tests.oracle import loss_and_grad_loop, softmax_loop


def make_problem(seed, N=7, K=3, D=2, bias=True, scale=1.0):
    rng = np.random.default_rng(seed)
    W = rng.normal(0, scale, (K, D))
    b = rng.normal(0, scale, K) if bias else None
    X = rng.normal(0, 1, (N, D))
    y = rng.integers(0, K, N)
    return W, b, X, y


# ---------- hand-computed tiny case ---------------------------------------------------------


def test_hand_computed_single_sample():
    # f = W x = [1, 2, 0]; softmax([1, 2, 0]) = [0.24472847, 0.66524096, 0.09003057]
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    x = np.array([1.0, 2.0])
    p = np.array([0.24472847, 0.66524096, 0.09003057])
    loss, dW, db = linclass.loss_and_grad(W, None, x[None], np.array([0]))
    assert db is None
    assert loss == pytest.approx(-math.log(0.24472847), abs=1e-7)
    expected = np.array([(p[0] - 1) * x, p[1] * x, p[2] * x])
    np.testing.assert_allclose(dW, expected, atol=1e-7)
    sdW, sdb = linclass.sample_grad(W, None, x, 0)
    np.testing.assert_allclose(sdW, expected, atol=1e-7)
    assert sdb is None


def test_hand_computed_bias_and_reg():
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    b = np.array([0.0, 0.0, 1.0])  # f = [1, 2, 1]
    X = np.array([[1.0, 2.0]])
    e = np.exp([1.0, 2.0, 1.0])
    p = e / e.sum()
    loss, dW, db = linclass.loss_and_grad(W, b, X, np.array([2]), reg=0.5)
    assert loss == pytest.approx(-math.log(p[2]) + 0.25 * 2.0)  # 1/2 * 0.5 * ||W||^2, ||W||^2 = 2
    np.testing.assert_allclose(db, p - [0, 0, 1])
    np.testing.assert_allclose(dW, np.outer(p - [0, 0, 1], X[0]) + 0.5 * W)


# ---------- the loop oracle -----------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reg", [0.0, 0.3])
@pytest.mark.parametrize("N,K,D", [(1, 2, 2), (5, 3, 2), (40, 8, 3), (9000, 4, 2)])
def test_matches_loop_oracle(N, K, D, reg, bias):
    W, b, X, y = make_problem(N + K, N, K, D, bias)
    loss, dW, db = linclass.loss_and_grad(W, b, X, y, reg)
    oloss, odW, odb = loss_and_grad_loop(W.tolist(), None if b is None else b.tolist(), X.tolist(), y.tolist(), reg)
    assert loss == pytest.approx(oloss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dW, odW, rtol=1e-10, atol=1e-13)
    if bias:
        np.testing.assert_allclose(db, odb, rtol=1e-10, atol=1e-13)
    else:
        assert db is None


def test_blocks_agree_with_one_block(monkeypatch):
    # N spans several blocks with a ragged last one; a huge block must give the same numbers.
    W, b, X, y = make_problem(3, 3 * kernel.BLOCK + 17, 5, 2)
    blocked = linclass.loss_and_grad(W, b, X, y)
    monkeypatch.setattr(kernel, "BLOCK", 10**9)
    whole = linclass.loss_and_grad(W, b, X, y)
    assert blocked[0] == pytest.approx(whole[0], rel=1e-13)
    np.testing.assert_allclose(blocked[1], whole[1], rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(blocked[2], whole[2], rtol=1e-11, atol=1e-15)


# ---------- finite differences --------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("bias", [True, False])
def test_finite_differences(seed, bias):
    W, b, X, y = make_problem(seed, 12, 4, 2, bias)
    chk = linclass.gradient_check(W, b, X, y, reg=0.2)
    assert chk.max_rel_error < 1e-6
    assert chk.ok()
    # and the check can fail: a wrong gradient is caught
    wrong = chk.analytic_dW + 1e-3
    assert np.abs(wrong - chk.numeric_dW).max() > 1e-4


def test_sample_grad_finite_differences():
    W, b, X, y = make_problem(11, 1, 5, 2)
    dW, db = linclass.sample_grad(W, b, X[0], y[0])
    nW, nb = linclass.numeric_grad(W, b, X, y)
    np.testing.assert_allclose(dW, nW, atol=1e-8)
    np.testing.assert_allclose(db, nb, atol=1e-8)


# ---------- extreme scores ------------------------------------------------------------------


def test_loss_exact_when_true_probability_underflows():
    # f = [0, 2000]: p_0 = e^-2000 rounds to 0, but -log p_0 = 2000 + log(1 + e^-2000) exactly.
    W = np.array([[0.0, 0.0], [1000.0, 0.0]])
    X = np.array([[2.0, 0.0]])
    loss, dW, _ = linclass.loss_and_grad(W, None, X, np.array([0]))
    assert loss == pytest.approx(2000.0, rel=1e-15)
    np.testing.assert_allclose(dW, [[-2.0, 0.0], [2.0, 0.0]])


@pytest.mark.parametrize("s", [1e3, 1e4, -1e4])
def test_softmax_finite_for_large_scores(s):
    p = linclass.softmax(np.array([[s, 0.0, -s], [s, s, s]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_nan_input_is_a_clear_error():
    W, b, X, y = make_problem(0)
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        linclass.loss_and_grad(W, b, X, y)


def test_overflow_is_a_clear_error():
    W = np.array([[1e300, 0.0], [-1e300, 0.0]])
    with pytest.raises(linclass.NonFiniteError, match="the scores overflow"):
        linclass.loss_and_grad(W, None, np.array([[1e10, 0.0]]), np.array([1]))


@pytest.mark.parametrize("loss", ["softmax", "hinge", "ova", "structured"])
def test_an_overflowing_penalty_is_named_as_the_penalty(loss):
    # Issue 19, item 2: W ~ 1e154 and reg = 0.1 overflow the L2 term, not the scores (x is small).
    W = np.full((3, 2), 1e154)
    X, y = np.array([[1e-200, 0.0]]), np.array([0])
    with pytest.raises(linclass.NonFiniteError, match="L2 penalty overflows"):
        linclass.loss_and_grad(W, None, X, y, reg=0.1, loss=loss)
    with pytest.raises(linclass.NonFiniteError, match="L2 penalty overflows"):
        linclass.gradient_check(W, None, X, y, reg=0.1, loss=loss)


@pytest.mark.parametrize("reg", [-1, -1e6, True, float("nan"), "0.1"])
@pytest.mark.parametrize("loss", ["softmax", "hinge", "ova", "structured"])
def test_every_entry_point_checks_reg_the_same_way(reg, loss):
    # Issue 19, item 12: the hinge and landscape paths took reg=-1 (a negative loss), reg=True as 1,
    # and gave "scores overflow" for NaN and a bare TypeError for a string.
    from linclass.core.landscape import row_landscape

    W, b, X, y = make_problem(0)
    calls = [
        lambda: linclass.loss_and_grad(W, b, X, y, reg, loss=loss),
        lambda: linclass.evaluate(W, b, X, y, reg, objective=loss),
        lambda: linclass.gradient_check(W, b, X, y, reg, loss=loss),
        lambda: row_landscape(W[:, :2], b, X[:, :2], y, 0, [0.0, 1.0], [0.0, 1.0], reg=reg, loss=loss),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=r"reg \(L2 strength\) must be"):
            call()


@pytest.mark.parametrize(
    "args,msg",
    [
        ((np.zeros((3, 2)), None, np.zeros((4, 3)), np.zeros(4, int)), "X must have shape"),
        ((np.zeros((3, 2)), None, np.zeros((4, 2)), np.zeros(3, int)), "y must have shape"),
        ((np.zeros((3, 2)), None, np.zeros((4, 2)), np.array([0, 1, 2, 3])), "labels must lie in"),
        ((np.zeros((3, 2)), np.zeros(2), np.zeros((4, 2)), np.zeros(4, int)), "b must have shape"),
        ((np.zeros((3, 2)), None, np.zeros((0, 2)), np.zeros(0, int)), "no samples"),
        ((np.zeros((3, 2)), None, np.zeros((1, 2)), np.array([0.5])), "integer class labels"),
    ],
)
def test_shape_contract(args, msg):
    with pytest.raises(ValueError, match=msg):
        linclass.loss_and_grad(*args)


def test_sample_grad_rejects_bad_label():
    with pytest.raises(ValueError, match="outside"):
        linclass.sample_grad(np.zeros((3, 2)), None, np.ones(2), 3)


def test_bias_equals_column_of_ones():
    # Fitting a bias is the same as appending a feature that is always 1 (scikit-learn's invariance test).
    W, b, X, y = make_problem(5, 20, 3, 2)
    loss, dW, db = linclass.loss_and_grad(W, b, X, y)
    loss1, dW1, _ = linclass.loss_and_grad(np.column_stack([W, b]), None, np.column_stack([X, np.ones(20)]), y)
    assert loss == pytest.approx(loss1, rel=1e-14)
    np.testing.assert_allclose(np.column_stack([dW, db]), dW1, rtol=1e-12)


# ---------- hypothesis properties -----------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw, bias=None):
    K = draw(st.integers(1, 8))
    D = draw(st.integers(1, 4))
    N = draw(st.integers(1, 30))
    W = draw(hnp.arrays(float, (K, D), elements=st.floats(-10, 10)))
    b = draw(st.one_of(st.none(), hnp.arrays(float, (K,), elements=st.floats(-10, 10)))) if bias is None else None
    X = draw(hnp.arrays(float, (N, D), elements=st.floats(-10, 10)))
    y = draw(hnp.arrays(np.int64, (N,), elements=st.integers(0, K - 1)))
    return W, b, X, y


@given(
    hnp.arrays(float, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), elements=finite),
    finite,
)
def test_softmax_rows_sum_to_one_and_shift_invariant(f, c):
    p = linclass.softmax(f)
    assert p.shape == f.shape
    assert np.all(p >= 0) and np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(linclass.softmax(f + c), p, atol=1e-12)


@given(st.lists(finite, min_size=1, max_size=8))
def test_softmax_matches_loop(f):
    np.testing.assert_allclose(linclass.softmax(np.array(f)), softmax_loop(f), rtol=1e-12, atol=1e-300)


@given(problems())
def test_sample_grad_rows_sum_to_zero_and_are_multiples_of_x(prob):
    W, b, X, y = prob
    dW, db = linclass.sample_grad(W, b, X[0], int(y[0]))
    coeff = linclass.softmax(linclass.scores(W, b, X[0])) - np.eye(W.shape[0])[y[0]]
    np.testing.assert_allclose(dW, np.outer(coeff, X[0]), atol=1e-12)
    np.testing.assert_allclose(dW.sum(axis=0), 0.0, atol=1e-9 * (1 + np.abs(X[0]).max()))
    if b is not None:
        assert abs(db.sum()) < 1e-12


@given(problems())
@settings(max_examples=60)
def test_batch_gradient_is_mean_of_sample_gradients(prob):
    W, b, X, y = prob
    loss, dW, db = linclass.loss_and_grad(W, b, X, y)
    grads = [linclass.sample_grad(W, b, X[i], int(y[i])) for i in range(len(y))]
    np.testing.assert_allclose(dW, np.mean([g[0] for g in grads], axis=0), atol=1e-10)
    if b is not None:
        np.testing.assert_allclose(db, np.mean([g[1] for g in grads], axis=0), atol=1e-12)
    losses = [linclass.sample_loss(W, b, X[i], int(y[i])) for i in range(len(y))]
    assert loss == pytest.approx(np.mean(losses), rel=1e-10, abs=1e-12)
    assert loss >= 0


@given(problems(), st.floats(1e2, 1e3))
@settings(max_examples=50)
def test_finite_for_scores_near_1e3(prob, scale):
    W, b, X, y = prob
    W = W / max(1e-9, np.abs(W).max()) * scale / 10  # scores up to about +-1e3 (|x| <= 10)
    loss, dW, db = linclass.loss_and_grad(W, b, X, y)
    assert np.isfinite(loss) and loss >= 0
    assert np.all(np.isfinite(dW))


@given(problems(bias=False), st.floats(1e-3, 1.0))
@settings(max_examples=80)
def test_one_step_changes_scores_as_the_app_states(prob, lr):
    # With no bias and no reg: f_m changes by -lr p_m ||x||^2 (m != y), f_y by +lr (1 - p_y) ||x||^2.
    W, _, X, y = prob
    x, yi = X[0], int(y[0])
    state = linclass.TrainState(W=W)
    new, rec = linclass.step_sample(state, X, y, 0, lr)
    p = linclass.softmax(W @ x)
    sq = float(x @ x)
    expected = -lr * p * sq
    expected[yi] = lr * (1 - p[yi]) * sq
    np.testing.assert_allclose(new.W @ x - W @ x, expected, atol=1e-9 * (1 + np.abs(W @ x).max()))
    np.testing.assert_allclose(rec.p_before, p)
