"""The one kernel (core/objective.py) with each loss of core/losses: against the plain-loop oracles,
finite differences, the CS231n demo's own numbers, and stacked states against each state alone."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core import objective as kernel
from linclass.core.losses import LOSSES
from linclass.core.model import loss_and_grad
from tests.oracle import loss_and_grad_loop, svm_loss_and_grad_loop


def oracle(name, W, b, X, y, reg, delta, penalty):
    args = (W.tolist(), None if b is None else b.tolist(), X.tolist(), y.tolist())
    if name == "softmax":
        loss, dW, db = loss_and_grad_loop(*args, reg * 2 * kernel.PENALTIES[penalty])
        return loss, dW, db
    return svm_loss_and_grad_loop(name, *args, reg, delta, kernel.PENALTIES[penalty])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**16), N=st.integers(1, 30), K=st.integers(2, 6), D=st.integers(1, 3),
       name=st.sampled_from(list(LOSSES)), bias=st.booleans(), reg=st.sampled_from([0.0, 0.3]),
       delta=st.sampled_from([0.5, 1.0]), penalty=st.sampled_from(["half", "full"]))  # fmt: skip
def test_every_loss_matches_its_loop_oracle(seed, N, K, D, name, bias, reg, delta, penalty):
    rng = np.random.default_rng(seed)
    W, X, y = rng.normal(size=(K, D)), rng.normal(size=(N, D)), rng.integers(0, K, N)
    b = rng.normal(size=K) if bias else None
    loss, dW, db = loss_and_grad(W, b, X, y, reg, loss=name, delta=delta, penalty=penalty)
    want = oracle(name, W, b, X, y, reg, delta, penalty)
    assert loss == pytest.approx(want[0], rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(dW, want[1], rtol=1e-10, atol=1e-12)
    if bias:
        np.testing.assert_allclose(db, want[2], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(LOSSES))
def test_every_gradient_is_the_central_difference_of_its_loss(name):
    rng = np.random.default_rng(4)
    W, b, X, y = rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(25, 2)), rng.integers(0, 4, 25)
    _, dW, db = loss_and_grad(W, b, X, y, 0.2, loss=name)
    h = 1e-6
    for idx in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[idx] += h
        down[idx] -= h
        num = (loss_and_grad(up, b, X, y, 0.2, loss=name)[0] - loss_and_grad(down, b, X, y, 0.2, loss=name)[0]) / (
            2 * h
        )
        assert dW[idx] == pytest.approx(num, abs=1e-6)


@pytest.mark.parametrize(("name", "data_loss"), [("softmax", 1.836640), ("hinge", 2.766667)])
def test_the_cs231n_demos_start_gives_its_own_numbers(name, data_loss):
    X = np.array([[0.5, 0.4], [0.8, 0.3], [0.3, 0.8], [-0.4, 0.3], [-0.3, 0.7], [-0.7, 0.2], [0.7, -0.4],
                  [0.5, -0.6], [-0.4, -0.5]])  # fmt: skip
    y = np.repeat([0, 1, 2], 3)
    W, b = np.array([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]]), np.array([0.0, 0.5, -0.5])
    o = kernel.objective(name, W, b, X, y, reg=0.1, penalty_convention="full")
    assert float(o.data_loss) == pytest.approx(data_loss, abs=5e-7)
    assert float(o.loss) == pytest.approx(data_loss + 0.1 * float(np.sum(W * W)), abs=5e-7)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), S=st.integers(1, 5), N=st.integers(1, 20), name=st.sampled_from(list(LOSSES)))
def test_stacked_states_are_each_state_alone(seed, S, N, name):
    rng = np.random.default_rng(seed)
    Ws, bs, X, y = rng.normal(size=(S, 3, 2)), rng.normal(size=(S, 3)), rng.normal(size=(N, 2)), rng.integers(0, 3, N)
    o = kernel.objective(name, Ws, bs, X, y, reg=0.1, accuracy=True)
    for s in range(S):
        one = kernel.objective(name, Ws[s], bs[s], X, y, reg=0.1, accuracy=True)
        assert o.loss[s] == one.loss and o.accuracy[s] == one.accuracy
        assert np.array_equal(o.dW[s], one.dW) and np.array_equal(o.db[s], one.db)


def test_ties_count_as_wrong():
    o = kernel.objective("softmax", np.zeros((3, 2)), None, np.ones((4, 2)), np.array([0, 1, 2, 0]), accuracy=True)
    assert float(o.accuracy) == 0.0


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**16), K=st.integers(1, 8), name=st.sampled_from(list(LOSSES)), bias=st.booleans())
def test_the_one_sample_path_is_the_kernels_to_the_bit(seed, K, name, bias):
    # sample_grad's lean path (plain indexing, no blocks) against the blocked kernel with N = 1.
    rng = np.random.default_rng(seed)
    W, x, y = rng.normal(size=(K, 2)), rng.normal(size=2), int(rng.integers(0, K))
    b = rng.normal(size=K) if bias else None
    L, dW, db, finite = kernel.one_sample(name, W, b, x, y)
    o = kernel.objective(name, W, b, x[None], np.array([y]))
    assert finite and L == float(o.data_loss) and np.array_equal(dW, o.dW)
    assert (db is None and o.db is None) or np.array_equal(db, o.db)
