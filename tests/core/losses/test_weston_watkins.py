"""The multiclass hinge loss against a hand case, the loop oracle, finite differences, properties and torch."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core import objective as kernel
from tests.core.test_model import make_problem
from tests.oracle_hinge import hinge_loss_and_grad_loop
from tests.svm import hinge_loss_and_grad, hinge_sample_grad, hinge_sample_loss, margins


def all_margins(W, b, X, y, delta=1.0):
    """Every f_m - f_y + delta with m != y_i, flattened: where the kinks are."""
    return np.concatenate([np.delete(margins(W, b, X[i], y[i], delta), y[i]) for i in range(len(y))])


def away_from_kinks(seed, N, K, D, bias, gap=1e-3):
    """The first problem from ``seed`` onwards whose margins all lie at least ``gap`` from 0."""
    for s in range(seed, seed + 1000):
        W, b, X, y = make_problem(s, N, K, D, bias)
        if np.abs(all_margins(W, b, X, y)).min() > gap:
            return W, b, X, y
    raise AssertionError("no problem away from the kinks")


# ---------- hand-computed tiny case ---------------------------------------------------------


def test_hand_computed_single_sample():
    # f = W x = [1, 2, 0], y = 0: margins [0, 2 - 1 + 1, 0 - 1 + 1] = [0, 2, 0]
    W = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(margins(W, None, x, 0), [0.0, 2.0, 0.0])
    assert hinge_sample_loss(W, None, x, 0) == 2.0
    loss, dW, db = hinge_loss_and_grad(W, None, x[None], np.array([0]))
    assert loss == 2.0 and db is None
    # Only class 1 violates (class 2 sits exactly on its kink, which counts as met).
    expected = np.array([-x, x, 0 * x])
    np.testing.assert_array_equal(dW, expected)
    sdW, sdb = hinge_sample_grad(W, None, x, 0)
    np.testing.assert_array_equal(sdW, expected)
    assert sdb is None
    # With a bias lifting class 2 above its kink, the true row loses x twice.
    loss, dW, db = hinge_loss_and_grad(W, [0.0, 0.0, 0.5], x[None], [0], reg=0.5)
    assert loss == pytest.approx(2.5 + 0.25 * 2.0)  # 1/2 * 0.5 * ||W||^2, ||W||^2 = 2
    np.testing.assert_allclose(db, [-2.0, 1.0, 1.0])
    np.testing.assert_allclose(dW, np.outer([-2.0, 1.0, 1.0], x) + 0.5 * W)


def test_delta_moves_the_margin():
    W = np.array([[1.0, 0.0], [0.0, 1.0]])
    x = np.array([3.0, 1.0])  # f = [3, 1], y = 0: margin 1 - 3 + delta
    assert hinge_sample_loss(W, None, x, 0, delta=1.0) == 0.0
    assert hinge_sample_loss(W, None, x, 0, delta=2.5) == 0.5
    assert hinge_loss_and_grad(W, None, x[None], [0], delta=2.5)[0] == 0.5


# ---------- the loop oracle -----------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reg,delta", [(0.0, 1.0), (0.3, 1.0), (0.1, 0.25)])
@pytest.mark.parametrize("N,K,D", [(1, 2, 2), (5, 3, 2), (40, 8, 3), (9000, 4, 2)])
def test_matches_loop_oracle(N, K, D, reg, delta, bias):
    W, b, X, y = make_problem(N + K, N, K, D, bias)
    loss, dW, db = hinge_loss_and_grad(W, b, X, y, reg, delta)
    oloss, odW, odb = hinge_loss_and_grad_loop(
        W.tolist(), None if b is None else b.tolist(), X.tolist(), y.tolist(), reg, delta
    )
    assert loss == pytest.approx(oloss, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dW, odW, rtol=1e-10, atol=1e-12)
    if bias:
        np.testing.assert_allclose(db, odb, rtol=1e-10, atol=1e-12)
    else:
        assert db is None


def test_blocks_agree_with_one_block(monkeypatch):
    W, b, X, y = make_problem(3, 3 * kernel.BLOCK + 17, 5, 2)
    blocked = hinge_loss_and_grad(W, b, X, y)
    monkeypatch.setattr(kernel, "BLOCK", 10**9)
    whole = hinge_loss_and_grad(W, b, X, y)
    assert blocked[0] == pytest.approx(whole[0], rel=1e-13)
    np.testing.assert_allclose(blocked[1], whole[1], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(blocked[2], whole[2], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("bias", [True, False])
def test_sample_functions_match_the_batch_of_one(bias):
    W, b, X, y = make_problem(11, 20, 4, 3, bias)
    for i in range(20):
        loss, dW, db = hinge_loss_and_grad(W, b, X[i : i + 1], y[i : i + 1])
        sdW, sdb = hinge_sample_grad(W, b, X[i], int(y[i]))
        assert hinge_sample_loss(W, b, X[i], int(y[i])) == pytest.approx(loss, rel=1e-14)
        np.testing.assert_allclose(sdW, dW, rtol=1e-14)
        assert (sdb is None) == (not bias)
        if bias:
            np.testing.assert_allclose(sdb, db, rtol=1e-14)


# ---------- finite differences away from the kinks -------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("reg", [0.0, 0.7])
@pytest.mark.parametrize("N,K,D", [(1, 3, 2), (6, 4, 2), (12, 5, 3)])
def test_gradient_matches_finite_differences(N, K, D, reg, bias):
    W, b, X, y = away_from_kinks(N * 10 + K, N, K, D, bias)
    _, dW, db = hinge_loss_and_grad(W, b, X, y, reg)
    eps = 1e-6  # moves a score by at most eps * |x| << 1e-3: no margin crosses its kink
    for theta, grad in ((W, dW), (b, db)):
        if theta is None:
            continue
        for idx in np.ndindex(theta.shape):
            old = theta[idx]
            theta[idx] = old + eps
            up = hinge_loss_and_grad(W, b, X, y, reg)[0]
            theta[idx] = old - eps
            down = hinge_loss_and_grad(W, b, X, y, reg)[0]
            theta[idx] = old
            assert grad[idx] == pytest.approx((up - down) / (2 * eps), abs=1e-7)


# ---------- properties ----------------------------------------------------------------------

shapes = st.tuples(st.integers(1, 12), st.integers(2, 6), st.integers(1, 3))  # N, K, D
finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw):
    N, K, D = draw(shapes)
    W = draw(hnp.arrays(float, (K, D), elements=finite))
    b = draw(st.one_of(st.none(), hnp.arrays(float, (K,), elements=finite)))
    X = draw(hnp.arrays(float, (N, D), elements=finite))
    y = draw(hnp.arrays(np.intp, (N,), elements=st.integers(0, K - 1)))
    return W, b, X, y


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(0, 3), st.floats(0, 2))
def test_loss_is_nonnegative_and_rows_of_the_gradient_sum_to_zero(problem, delta, reg):
    W, b, X, y = problem
    loss, dW, db = hinge_loss_and_grad(W, b, X, y, reg, delta)
    assert loss >= 0.0
    assert loss >= 0.5 * reg * np.sum(W * W) - 1e-12
    # Without reg each sample's coefficients sum to zero (+1 per violation, -count on the true row).
    _, dW0, db0 = hinge_loss_and_grad(W, b, X, y, 0.0, delta)
    np.testing.assert_allclose(dW0.sum(axis=0), 0.0, atol=1e-12 * max(1.0, np.abs(X).max()) * len(W))
    if b is not None:
        assert abs(db0.sum()) < 1e-12 * len(W)
    for i in range(len(y)):
        coeff = hinge_sample_grad(W, np.zeros(len(W)) if b is None else b, X[i], int(y[i]), delta)[1]
        assert coeff.sum() == 0.0 and np.all(np.delete(coeff, y[i]) >= 0)


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(0.01, 3))
def test_zero_loss_and_gradient_when_every_margin_is_met(problem, delta):
    W, b, X, y = problem
    f = X @ W.T if b is None else X @ W.T + b
    y = f.argmax(axis=1)  # label each point with its winning class
    top2 = np.sort(f, axis=1)[:, -2:]  # K >= 2
    gap = (top2[:, 1] - top2[:, 0]).min()
    assume(gap > 1e-3)
    c = 2 * delta / gap  # scaling the scores by c puts every margin at <= -delta
    loss, dW, db = hinge_loss_and_grad(c * W, None if b is None else c * b, X, y, 0.0, delta)
    assert loss == 0.0
    assert not dW.any() and (db is None or not db.any())


# ---------- torch autograd ------------------------------------------------------------------


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("N,K,D", [(1, 3, 2), (30, 5, 2), (200, 7, 4)])
def test_matches_torch_autograd(N, K, D, bias):
    torch = pytest.importorskip("torch")
    W, b, X, y = away_from_kinks(N + 7 * K, N, K, D, bias)
    loss, dW, db = hinge_loss_and_grad(W, b, X, y, reg=0.2, delta=1.0)
    tW = torch.tensor(W, dtype=torch.float64, requires_grad=True)
    tb = None if b is None else torch.tensor(b, dtype=torch.float64, requires_grad=True)
    f = torch.tensor(X) @ tW.T + (0 if tb is None else tb)
    # torch's multi_margin_loss is Weston & Watkins divided by K (its per-sample sum is over x.size(1)).
    tloss = K * torch.nn.functional.multi_margin_loss(f, torch.tensor(y), p=1, margin=1.0) + 0.1 * (tW * tW).sum()
    tloss.backward()
    assert loss == pytest.approx(tloss.item(), rel=1e-12)
    np.testing.assert_allclose(dW, tW.grad.numpy(), rtol=1e-10, atol=1e-13)
    if bias:
        np.testing.assert_allclose(db, tb.grad.numpy(), rtol=1e-10, atol=1e-13)


# ---------- bad input and the objective switch ----------------------------------------------


def test_bad_input_raises_the_same_errors_as_the_softmax_loss():
    W, b, X, y = make_problem(0)
    for args in [(W[0], b, X, y), (W, b, X[:, :1], y), (W, b, X, y[:-1]), (W, b, X, y + 5), (W, b[:-1], X, y),
                 (W, b, X, y + 0.5)]:  # fmt: skip
        with pytest.raises(ValueError) as softmax_err:
            linclass.loss_and_grad(*args)
        with pytest.raises(ValueError) as hinge_err:
            hinge_loss_and_grad(*args)
        assert str(hinge_err.value) == str(softmax_err.value)


@pytest.mark.parametrize("delta", [-1.0, float("nan"), float("inf"), "one", None])
def test_bad_delta(delta):
    W, b, X, y = make_problem(0)
    with pytest.raises(ValueError, match="delta"):
        hinge_loss_and_grad(W, b, X, y, delta=delta)
    with pytest.raises(ValueError, match="delta"):
        margins(W, b, X[0], y[0], delta)


def test_bad_sample():
    W, b, X, y = make_problem(0)
    with pytest.raises(ValueError, match="x must have 1 dimension"):
        hinge_sample_grad(W, b, X[:2], 0)
    with pytest.raises(ValueError, match="outside"):
        hinge_sample_loss(W, b, X[0], 3)
    with pytest.raises(ValueError, match="x must be one sample"):
        margins(W, b, X[0, :1], 0)


def test_nonfinite_scores_raise_the_library_error():
    W, b, X, y = make_problem(0)
    with pytest.raises(linclass.NonFiniteError):
        hinge_loss_and_grad(W * 1e200, b, X * 1e200, y)
    with pytest.raises(ValueError, match="X contains NaN"):
        hinge_loss_and_grad(W, b, np.where(X > 0, np.nan, X), y)


def test_the_loss_is_picked_by_name():
    W, b, X, y = make_problem(4)
    np.testing.assert_allclose(
        linclass.loss_and_grad(W, b, X, y, 0.1, loss="hinge")[1],
        hinge_loss_and_grad_loop(W.tolist(), b.tolist(), X.tolist(), y.tolist(), 0.1)[1],
    )
    for bad in ["svm", "", None, ["hinge"]]:
        with pytest.raises(ValueError, match="unknown loss"):
            linclass.loss_and_grad(W, b, X, y, loss=bad)
