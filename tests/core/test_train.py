"""Training steps: modes, orders, records, refusal on divergence, history and step back."""

import numpy as np
import pytest

import linclass
from linclass import Optimizer, TrainState


@pytest.fixture
def data():
    X, y, k = linclass.make_dataset("blobs", 30, 3, seed=1)
    return X, y, k


def test_state_is_immutable(data):
    X, y, k = data
    s = linclass.init_state(k)
    with pytest.raises(ValueError):
        s.W[0, 0] = 1.0
    new, rec = linclass.step_sample(s, X, y, 0, 0.5)
    assert np.all(s.W == 0) and s.step == 0  # the old state is untouched
    assert new.step == 1 and not np.all(new.W == 0)
    assert rec.W_before is s.W


def test_single_sample_record_matches_seed(data):
    X, y, k = data
    s = linclass.init_state(k, init="random", seed=3)
    new, rec = linclass.step_sample(s, X, y, 4, lr=0.7)
    dW, db = linclass.sample_grad(s.W, s.b, X[4], y[4])
    np.testing.assert_allclose(rec.dW, dW, atol=1e-14)
    np.testing.assert_allclose(rec.db, db, atol=1e-14)
    np.testing.assert_allclose(rec.W_after, s.W - 0.7 * dW)
    np.testing.assert_allclose(rec.update, -0.7 * dW)
    # every row moves along x_4 and the rows' moves sum to zero (no reg): the mean row stays put
    cross = rec.update[:, 0] * X[4, 1] - rec.update[:, 1] * X[4, 0]
    np.testing.assert_allclose(cross, 0, atol=1e-12)
    np.testing.assert_allclose(rec.W_after.mean(axis=0), s.W.mean(axis=0), atol=1e-14)
    assert list(rec.indices) == [4] and rec.focus == 4
    np.testing.assert_allclose(rec.p_before, linclass.softmax(linclass.scores(s.W, s.b, X[4])))
    np.testing.assert_allclose(rec.p_after, linclass.softmax(linclass.scores(new.W, new.b, X[4])))
    assert rec.loss_after < rec.loss_before  # a small step on L_i lowers L_i
    loss, acc = linclass.evaluate(new.W, new.b, X, y)
    assert new.loss == pytest.approx(loss) and new.accuracy == pytest.approx(acc)


def test_cyclic_and_shuffled_orders():
    assert list(linclass.sample_order(0, 7, 3)) == [0, 1, 2, 0, 1, 2, 0]
    a = linclass.sample_order(0, 12, 4, "shuffle", seed=5)
    for epoch in range(3):
        assert sorted(a[4 * epoch : 4 * epoch + 4]) == [0, 1, 2, 3]  # each epoch visits every point once
    np.testing.assert_array_equal(a, linclass.sample_order(0, 12, 4, "shuffle", seed=5))
    assert not np.array_equal(a, linclass.sample_order(0, 12, 4, "shuffle", seed=6))
    np.testing.assert_array_equal(linclass.sample_order(5, 3, 4, "shuffle", seed=5), a[5:8])


def test_step_follows_the_order(data):
    X, y, k = data
    s = linclass.init_state(k)
    opt = Optimizer(mode="sample", lr=0.1, order="shuffle", seed=2)
    seen = []
    for _ in range(6):
        s, rec = linclass.step(s, X, y, opt)
        seen.append(int(rec.indices[0]))
    assert seen == list(linclass.sample_order(0, 6, len(y), "shuffle", 2))
    assert s.cursor == 6


def test_minibatch_and_batch_are_the_mean_gradient(data):
    X, y, k = data
    s = linclass.init_state(k, init="random", seed=0)
    opt = Optimizer(mode="minibatch", lr=0.3, batch_size=8, reg=0.01)
    new, rec = linclass.step(s, X, y, opt, focus=2)
    np.testing.assert_array_equal(rec.indices, np.arange(8))
    _, dW, db = linclass.loss_and_grad(s.W, s.b, X[:8], y[:8], 0.01)
    np.testing.assert_allclose(rec.dW, dW)
    np.testing.assert_allclose(new.b, s.b - 0.3 * db)
    assert rec.focus == 2 and rec.p_before is not None and new.cursor == 8
    new2, rec2 = linclass.step(s, X, y, Optimizer(mode="batch", lr=0.3), focus=None)
    assert len(rec2.indices) == len(y) and rec2.p_before is None
    _, dW, _ = linclass.loss_and_grad(s.W, s.b, X, y)
    np.testing.assert_allclose(new2.W, s.W - 0.3 * dW)


def test_batch_size_larger_than_data(data):
    X, y, k = data
    _, rec = linclass.step(linclass.init_state(k), X[:5], y[:5], Optimizer(mode="minibatch", batch_size=64))
    assert sorted(rec.indices) == [0, 1, 2, 3, 4]


def test_gradient_descent_learns_blobs(data):
    X, y, k = data
    s = linclass.init_state(k)
    s, _ = linclass.run(s, X, y, Optimizer(mode="batch", lr=1.0), 200)
    assert s.accuracy >= 0.9
    assert s.loss < np.log(k) / 2


def test_divergent_step_is_refused_and_state_kept():
    X = np.array([[1e6, -1e6], [-1e6, 1e6]])
    y = np.array([0, 1])
    s = linclass.init_state(2, init="random", seed=0)
    with pytest.raises(linclass.NonFiniteError, match="step refused.*learning rate"):
        linclass.step_sample(s, X, y, 0, lr=1e300)
    assert s.step == 0  # untouched (immutable anyway)


def test_run_reports_partial_progress_on_refusal():
    # lr * reg = 1000: each step multiplies W by about -999, so it passes MAX_WEIGHT (1e100) after ~33 steps.
    X = np.array([[1.0, 0.0], [-1.0, 0.5]])
    y = np.array([0, 1])
    s = linclass.init_state(2, init="random", seed=0)
    with pytest.raises(linclass.NonFiniteError, match="step refused") as info:
        linclass.run(s, X, y, Optimizer(mode="batch", lr=10.0, reg=100.0), 500)
    err = info.value
    assert 20 < err.steps_done < 500 and "would pass 1e+100" in str(err)
    assert err.last_good.step == err.steps_done
    assert np.all(np.abs(err.last_good.W) <= 1e100)
    assert err.last_record.W_after is err.last_good.W


def test_invalid_settings():
    with pytest.raises(ValueError, match="learning rate"):
        Optimizer(lr=float("nan"))
    with pytest.raises(ValueError, match="learning rate"):
        Optimizer(lr=-1)
    with pytest.raises(ValueError, match="mode"):
        Optimizer(mode="adam")
    with pytest.raises(ValueError, match="no points"):
        linclass.step(linclass.init_state(2), np.zeros((0, 2)), np.zeros(0, int), Optimizer())
    with pytest.raises(IndexError):
        linclass.step_sample(linclass.init_state(2), np.zeros((2, 2)), np.zeros(2, int), 5, 0.1)


def test_history_step_back_and_curve(data):
    X, y, k = data
    s0 = linclass.init_state(k).measured(X, y)
    s = s0
    for _ in range(5):
        s, _ = linclass.step(s, X, y, Optimizer(lr=0.5))
    steps, loss, acc = s.curve()
    assert list(steps) == [0, 1, 2, 3, 4, 5]
    assert loss[0] == pytest.approx(np.log(k))
    back = linclass.step_back(linclass.step_back(s))
    assert back.step == 3 and back.cursor == 3
    np.testing.assert_array_equal(back.W, s.history[-2].W)
    with pytest.raises(ValueError, match="nothing to step back"):
        linclass.step_back(s0)


def test_history_is_bounded(data):
    X, y, k = data
    s = TrainState(W=np.zeros((k, 2)), b=np.zeros(k), max_history=4)
    for _ in range(10):
        s, _ = linclass.step(s, X, y, Optimizer(lr=0.1))
    assert len(s.history) == 4 and s.history[0].step == 6


def test_init_random_is_seeded():
    a = linclass.init_state(4, init="random", seed=9)
    b = linclass.init_state(4, init="random", seed=9)
    np.testing.assert_array_equal(a.W, b.W)
    assert linclass.init_state(4, bias=False).b is None
    with pytest.raises(ValueError):
        linclass.init_state(3, init="ones")
