"""What the explorer shows with the hinge loss and held-out points: bars, math, sentences, status, curves."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linclass
from linclass.core.train import evaluate, evaluate_stack
from linclass.session.curves import curves
from linclass.session.frame import TAKEN
from linclass.session.session import Session
from linclass.session.view import coefficients, make_view
from linclass.ui.words import math_sentences
from tests.svm import hinge_sample_grad, hinge_sample_loss, margins


def hinge(**query) -> Session:
    return Session.start({"preset": "blobs", "n": "30", "seed": "2", "loss": "hinge", "init": "random", **query})


# ----- the bars --------------------------------------------------------------------------------------
@pytest.mark.parametrize("steps", [0, 1, 4])
def test_the_hinge_bars_are_the_cores_margins_of_the_focus_sample(steps):
    s = hinge(delta="2").step(steps) if steps else hinge(delta="2")
    f, ex = s.frame, s.explorer
    v = make_view(f)
    x, yi = ex.X[v.focus], int(ex.y[v.focus])
    np.testing.assert_array_equal(v.margins, margins(ex.state.W, ex.state.b, x, yi, 2.0))  # the weights on screen
    if f.kind == TAKEN:
        np.testing.assert_array_equal(v.margins_before, margins(f.record.W_before, f.record.b_before, x, yi, 2.0))
    else:
        assert v.margins_before is None
    assert v.objective == "hinge"
    soft = make_view(s.set("loss", "softmax").frame)
    assert soft.margins is None and soft.p is not None  # softmax: the bars are p


# ----- the math --------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 300), mode=st.sampled_from(["sample", "minibatch", "batch"]), bias=st.booleans(),
       reg=st.sampled_from([0.0, 0.1]), delta=st.sampled_from([0.5, 1.0, 2.0]), steps=st.integers(0, 3))  # fmt: skip
def test_the_hinge_math_agrees_with_the_core_and_the_step(seed, mode, bias, reg, delta, steps):
    s = hinge(seed=str(seed), mode=mode, bias=str(int(bias)), reg=str(reg), delta=str(delta), batch="5", test="0.2")
    if mode != "sample":
        s = s.select(seed % 30)  # the sample described, maybe a test point (single-sample steps refuse those)
    s = s.step(steps) if steps else s
    f, ex = s.frame, s.explorer
    m = make_view(f).math
    rec = f.record
    W0, b0 = rec.W_before, rec.b_before
    dW, _ = hinge_sample_grad(W0, b0, m.x, m.y, delta)
    np.testing.assert_array_equal(np.outer(m.coeff, m.x), dW)  # the sample's own gradient rows
    assert m.loss == hinge_sample_loss(W0, b0, m.x, m.y, delta)
    np.testing.assert_array_equal(m.margins, margins(W0, b0, m.x, m.y, delta))
    np.testing.assert_array_equal(m.grad, rec.dW)  # the step's own gradient
    # every step's sample's coefficients are those of the core's per-sample gradient
    C = coefficients(f)
    for row, i in zip(C, f.indices, strict=True):
        np.testing.assert_allclose(np.outer(row, ex.X[i]), hinge_sample_grad(W0, b0, ex.X[i], ex.y[i], delta)[0])
    f_after = linclass.scores(rec.W_after, rec.b_after, m.x)
    f_before = linclass.scores(W0, b0, m.x)
    np.testing.assert_allclose(m.predicted_df, f_after - f_before, atol=1e-10)  # the formula is the step
    assert m.held_out == bool(ex.test[m.index]) and not ex.test[f.indices].any()
    assert any("test point" in t for t in math_sentences(f, m)) == m.held_out


def test_the_faint_batch_arrows_average_to_the_bold_one_with_the_hinge_loss():
    s = hinge(mode="minibatch", batch="6").step()
    v = make_view(s.frame)
    np.testing.assert_allclose(v.member_updates.sum(axis=0), v.update, atol=1e-12)


# ----- the status line and the curves ----------------------------------------------------------------


def linclass_fmt(v):
    from linclass.ui.words import fmt

    return fmt(v)


def test_softmax_keeps_pushing_after_every_margin_is_met():
    # The lecture's point: on separable blobs the hinge loss of the softmax run reaches 0 and stays,
    # while the cross-entropy of the same weights keeps falling.
    s = Session.start({"preset": "blobs", "n": "30", "seed": "1", "mode": "batch", "lr": "1", "compare": "1"})
    c = curves(s.step(300).explorer, compare=True)
    met = np.flatnonzero(c.other == 0)
    assert len(met) and met[-1] == len(c.other) - 1
    assert c.loss[-1] < c.loss[met[0]] * 0.8
    # Trained with the hinge loss instead, the weights stop once every margin is met.
    h = s.set("loss", "hinge").reset_weights().step(300).explorer
    assert h.state.loss == 0.0
    np.testing.assert_array_equal(h.step(linclass.Optimizer(mode="batch", loss="hinge")).state.W, h.state.W)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), S=st.integers(1, 5), bias=st.booleans(),
       objective=st.sampled_from(["softmax", "hinge"]), delta=st.sampled_from([0.0, 0.5, 1.0]))  # fmt: skip
def test_evaluate_stack_is_evaluate_for_each(seed, S, bias, objective, delta):
    rng = np.random.default_rng(seed)
    K, N = int(rng.integers(2, 6)), int(rng.integers(1, 20))
    Ws, X = rng.normal(0, 3, (S, K, 2)), rng.normal(0, 1, (N, 2))
    bs = rng.normal(0, 1, (S, K)) if bias else None
    y = rng.integers(0, K, N)
    Ws[0] = 0.0  # ties everywhere: wrong, as in evaluate
    got = evaluate_stack(Ws, bs, X, y, objective=objective, delta=delta)
    for k in range(S):
        want = evaluate(Ws[k], None if bs is None else bs[k], X, y, objective=objective, delta=delta)
        np.testing.assert_allclose(got[k], want, rtol=1e-12, atol=1e-12)
