"""train.py with a loss choice (softmax or hinge) and held-out points that never enter a step (issue 12)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linclass
from linclass import Optimizer
from linclass.core import datasets
from linclass.core.train import HeldOutError
from tests.oracle_hinge import hinge_loss_and_grad_loop


@pytest.fixture
def data():
    X, y, k = linclass.make_dataset("blobs", 24, 3, seed=2)
    return linclass.init_state(k, init="random", seed=1), X, y


@pytest.mark.parametrize("mode", ["sample", "minibatch", "batch"])
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_a_hinge_step_follows_the_loop_oracle(data, mode, delta):
    s, X, y = data
    opt = Optimizer(mode=mode, lr=0.3, reg=0.01, batch_size=5, loss="hinge", delta=delta)
    new, rec = linclass.step(s, X, y, opt)
    idx = rec.indices
    loss, dW, db = hinge_loss_and_grad_loop(s.W.tolist(), s.b.tolist(), X[idx].tolist(), y[idx].tolist(), 0.01, delta)
    np.testing.assert_allclose(rec.dW, dW, atol=1e-12)
    np.testing.assert_allclose(rec.db, db, atol=1e-12)
    np.testing.assert_allclose(new.W, s.W - 0.3 * np.array(dW), atol=1e-12)
    assert rec.loss_before == pytest.approx(loss)
    assert (rec.objective, rec.delta) == ("hinge", delta)
    # The state is measured in the hinge loss (the data term, over every point here).
    assert new.loss == pytest.approx(hinge_loss_and_grad_loop(new.W.tolist(), new.b.tolist(), X.tolist(),
                                                              y.tolist(), 0.0, delta)[0])  # fmt: skip


def test_softmax_is_the_default_and_unchanged(data):
    s, X, y = data
    a, ra = linclass.step(s, X, y, Optimizer(lr=0.5))
    b, rb = linclass.step_sample(s, X, y, 0, 0.5)
    np.testing.assert_array_equal(a.W, b.W)
    assert ra.objective == rb.objective == "softmax"
    assert a.loss == pytest.approx(linclass.evaluate(a.W, a.b, X, y)[0])


def test_the_two_losses_differ_where_every_margin_is_met():
    # One sample far on its side: every margin met, the hinge gradient is zero, softmax still pushes.
    W = np.array([[5.0, 0.0], [0.0, 0.0], [-5.0, 0.0]])
    X, y = np.array([[1.0, 0.0]]), np.array([0])
    s = linclass.TrainState(W=W)
    _, hinge = linclass.step(s, X, y, Optimizer(loss="hinge"))
    _, soft = linclass.step(s, X, y, Optimizer(loss="softmax"))
    assert not np.any(hinge.dW) and hinge.loss_before == 0.0
    assert np.any(soft.dW) and soft.loss_before > 0


@pytest.mark.parametrize(("field", "value"), [("loss", "svm"), ("loss", None), ("delta", -1.0),
                                              ("delta", float("nan")), ("delta", "1")])  # fmt: skip
def test_bad_loss_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=rf"\b{field}\b"):
        Optimizer(**{field: value})


def test_evaluate_names_the_objective(data):
    s, X, y = data
    loss, _ = linclass.evaluate(s.W, s.b, X, y, objective="hinge", delta=2.0)
    assert loss == pytest.approx(hinge_loss_and_grad_loop(s.W.tolist(), s.b.tolist(), X.tolist(), y.tolist(),
                                                          0.0, 2.0)[0])  # fmt: skip
    with pytest.raises(ValueError, match="loss"):
        linclass.evaluate(s.W, s.b, X, y, objective="svm")


# ----- held-out points ------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), fraction=st.sampled_from([0.1, 0.2, 0.3, 0.4, 0.5]),
       mode=st.sampled_from(["sample", "minibatch", "batch"]), order=st.sampled_from(["cyclic", "shuffle"]),
       loss=st.sampled_from(["softmax", "hinge"]))  # fmt: skip
def test_test_points_never_enter_a_step(seed, fraction, mode, order, loss):
    X, y, k = linclass.make_dataset("blobs", 20, 3, seed=seed % 1000)
    test = datasets.split(len(y), fraction, seed, y)
    train = np.flatnonzero(~test)
    opt = Optimizer(mode=mode, order=order, batch_size=3, seed=seed % 7, loss=loss)
    s = linclass.init_state(k)
    used = []
    for _ in range(2 * len(y)):
        s, rec = linclass.step(s, X, y, opt, train=train)
        used.extend(rec.indices.tolist())
    assert not test[used].any()
    if mode == "sample":  # the order still visits every training point, as it would all points
        assert set(used) == set(train.tolist())
    # and the state is measured on the training points only
    assert s.loss == pytest.approx(linclass.evaluate(s.W, s.b, X[train], y[train], objective=loss)[0])


def test_a_held_out_sample_is_refused_by_name(data):
    s, X, y = data
    with pytest.raises(HeldOutError, match="#3 is a test point"):
        linclass.step(s, X, y, Optimizer(), index=3, train=[0, 1, 2])
    with pytest.raises(HeldOutError, match="no training points"):
        linclass.step(s, X, y, Optimizer(), train=[])
    with pytest.raises(ValueError, match="train"):
        linclass.step(s, X, y, Optimizer(), train=np.ones(len(y), bool))  # a mask is not indices


def test_a_batch_step_may_report_a_held_out_focus(data):
    s, X, y = data
    _, rec = linclass.step(s, X, y, Optimizer(mode="batch"), focus=5, train=np.arange(5))
    assert list(rec.indices) == [0, 1, 2, 3, 4] and rec.focus == 5 and rec.p_before is not None
