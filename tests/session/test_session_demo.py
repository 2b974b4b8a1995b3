"""The CS231n demo's exact start (?preset=cs231n-demo), the L2 penalty's convention and typed γ, λ (issue 21, part A).

The demo's numbers at its start are the demo's own: data losses 1.836640 (softmax), 2.766667
(Weston-Watkins), 4.022222 (one-vs-all), 2.366667 (structured), and its penalty λ Σ W² = 0.1 * 35 = 3.5.
"""

import numpy as np
import pytest

from linclass.core import objective as kernel
from linclass.session import settings as cfg
from linclass.session.curves import curves
from linclass.session.landscape_simplex import landscape
from linclass.session.session import Session, safely
from linclass.session.view import sample_table
from linclass.ui.words import status_line
from tests.oracle import loss_and_grad_loop, svm_loss_and_grad_loop
from tests.session.test_session import other_value

DEMO_X = [[0.5, 0.4], [0.8, 0.3], [0.3, 0.8], [-0.4, 0.3], [-0.3, 0.7], [-0.7, 0.2], [0.7, -0.4], [0.5, -0.6],
          [-0.4, -0.5]]  # fmt: skip
DEMO_Y = [0, 0, 0, 1, 1, 1, 2, 2, 2]
DEMO_W = [[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]]
DEMO_B = [0.0, 0.5, -0.5]
DEMO_LOSS = {"softmax": 1.836640, "hinge": 2.766667, "ova": 4.022222, "structured": 2.366667}
DEMO_PENALTY = 0.1 * 35.0  # lambda * sum W^2


def demo(**query) -> Session:
    return Session.start({"preset": "cs231n-demo", **{k: str(v) for k, v in query.items()}})


def messages(s: Session) -> str:
    return " ".join(t for _, t in s.messages)


def data_gradient(loss: str, W, b, X, y):
    """The plain-loop oracle's gradient of the data loss alone (no penalty): (dW, db)."""
    if loss == "softmax":
        _, dW, db = loss_and_grad_loop(W, b, X, y, reg=0.0)
    else:
        _, dW, db = svm_loss_and_grad_loop(loss, W, b, X, y, reg=0.0)
    return np.array(dW), np.array(db)


# ----- the demo's start ----------------------------------------------------------------------------
@pytest.mark.parametrize("loss", list(DEMO_LOSS))
def test_the_demo_start_gives_the_demo_s_data_loss_and_total_for_every_loss(loss):
    s = demo(loss=loss)
    ex, st = s.explorer, s.explorer.state
    assert not s.messages
    np.testing.assert_array_equal(ex.X, DEMO_X)  # the demo's own order, not shuffled
    np.testing.assert_array_equal(ex.y, DEMO_Y)
    np.testing.assert_array_equal(st.W, DEMO_W)  # the demo's weights, not zeros
    np.testing.assert_array_equal(st.b, DEMO_B)
    assert (s.settings.lr, s.settings.reg, s.settings.penalty, s.settings.mode) == (0.1, 0.1, "full", "batch")
    assert s.settings.loss == loss and ex.objective == loss  # the link's loss wins over the preset's
    assert st.loss == pytest.approx(DEMO_LOSS[loss], abs=5e-7)
    total = st.loss + float(kernel.penalty(st.W, s.settings.reg, s.settings.penalty))
    assert total == pytest.approx(DEMO_LOSS[loss] + DEMO_PENALTY, abs=5e-7)
    line = status_line(s.frame, s.settings.reg, s.settings.penalty)  # what the page shows, to 7 digits
    assert f"objective {DEMO_LOSS[loss] + DEMO_PENALTY:.6f}" in line
    assert f"{DEMO_LOSS[loss]:.6f} + L2 3.500000" in line
    _, totals = sample_table(s.frame, s.settings.reg, s.settings.penalty)  # the Samples panel agrees
    assert totals["objective"] == pytest.approx(total) and totals["L2"] == pytest.approx(DEMO_PENALTY)


def test_the_demo_preset_s_own_loss_is_weston_watkins_and_its_link_round_trips():
    s = demo()
    assert s.settings.loss == "hinge"
    again = Session.start(s.link_query())
    assert again.settings == s.settings and not again.messages
    np.testing.assert_array_equal(again.explorer.state.W, DEMO_W)


@pytest.mark.parametrize("loss", list(DEMO_LOSS))
def test_one_step_is_the_true_gradient_step_of_the_full_penalty(loss):
    s = demo(loss=loss)
    W, b = np.array(DEMO_W), np.array(DEMO_B)
    dW, db = data_gradient(loss, DEMO_W, DEMO_B, DEMO_X, DEMO_Y)
    after = s.step()
    np.testing.assert_allclose(after.explorer.state.W, W - 0.1 * (dW + 2 * 0.1 * W), rtol=0, atol=1e-12)
    np.testing.assert_allclose(after.explorer.state.b, b - 0.1 * db, rtol=0, atol=1e-12)  # the bias is not penalised
    rec = after.frame.record
    assert rec.mode == "batch" and len(rec.indices) == 9 and rec.penalty == "full"
    assert rec.loss_before == pytest.approx(DEMO_LOSS[loss] + DEMO_PENALTY, abs=5e-7)


@pytest.mark.parametrize("spec", cfg.SETTINGS, ids=lambda s: s.name)
def test_every_setting_round_trips_through_the_link_of_a_preset_with_settings_of_its_own(spec):
    # Found by the browser test: ?preset=cs231n-demo&loss=softmax wrote no loss key (softmax is the
    # default), and the link then opened with the preset's own loss.
    for preset in ("cs231n-demo", "cs231n"):
        s, _ = cfg.from_query({"preset": preset})
        for value in {spec.default, other_value(spec), getattr(s, spec.name)}:
            if spec.name == "preset":
                continue
            want = s.replace(**{spec.name: value})
            back, notes = cfg.from_query(cfg.to_query(want))
            assert back == want and not notes


def test_the_demo_start_with_other_keys_keeps_them_and_names_bad_ones():
    s = demo(lr=0.5, reg="lots", mode="sample")
    assert s.settings.lr == 0.5 and s.settings.mode == "sample"
    assert s.settings.reg == 0.1 and "reg='lots' was not used" in messages(s)  # the preset's value, named


def test_reset_weights_returns_to_the_demo_s_start():
    s = demo().step(3)
    back = s.reset_weights()
    np.testing.assert_array_equal(back.explorer.state.W, DEMO_W)
    np.testing.assert_array_equal(back.explorer.state.b, DEMO_B)
    assert not back.messages
    no_bias = demo().set("bias", False)  # switching the bias restarts from the demo's W, without b
    np.testing.assert_array_equal(no_bias.explorer.state.W, DEMO_W)
    assert no_bias.explorer.state.b is None
    zeros = demo().set("init", "zeros").reset_weights()  # another init is honoured
    assert not np.any(zeros.explorer.state.W)


def test_the_preset_start_falls_back_to_zeros_with_a_note():
    blobs = Session.start({"init": "preset"}).step(2).reset_weights()
    assert not np.any(blobs.explorer.state.W) and "no weights of its own" in messages(blobs)
    four = demo().set("k", 4).reset_weights()
    assert not np.any(four.explorer.state.W) and "for 3 classes and there are 4" in messages(four)


def test_load_preset_applies_the_demo_s_settings_but_keeps_the_loss():
    s = Session.start({"preset": "blobs", "lr": "2", "loss": "ova", "n": "30"}).set("preset", "cs231n-demo")
    loaded = s.load_preset()
    st = loaded.settings
    assert (st.n, st.lr, st.reg, st.penalty, st.mode, st.init, st.loss) == (9, 0.1, 0.1, "full", "batch", "preset",
                                                                              "ova")  # fmt: skip
    np.testing.assert_array_equal(loaded.explorer.X, DEMO_X)
    np.testing.assert_array_equal(loaded.explorer.state.W, DEMO_W)
    assert loaded.explorer.state.loss == pytest.approx(DEMO_LOSS["ova"], abs=5e-7)
    assert "the loss stays the one chosen" in messages(loaded)
    assert loaded.undo().explorer.n_points == 30  # undoable, as every Load preset


# ----- the penalty's convention -----------------------------------------------------------------------
def test_the_penalty_setting_reaches_every_number():
    half = Session.start({"preset": "blobs", "n": "30", "reg": "0.3", "init": "random", "mode": "batch"})
    full = half.set("penalty", "full")
    W = half.explorer.state.W
    assert full.settings.penalty == "full" and full.optimizer().penalty == "full"
    for s, c in ((half, 0.5), (full, 1.0)):
        l2 = c * 0.3 * float((W * W).sum())
        _, totals = sample_table(s.frame, 0.3, s.settings.penalty)
        assert totals["L2"] == pytest.approx(l2)
        stepped = s.step()
        rec = stepped.frame.record
        assert rec.penalty == s.settings.penalty
        dW, _ = data_gradient("softmax", W.tolist(), half.explorer.state.b.tolist(), half.explorer.X.tolist(),
                              half.explorer.y.tolist())  # fmt: skip
        np.testing.assert_allclose(rec.dW, dW + 2 * c * 0.3 * W, atol=1e-12)  # λW for half, 2λW for full
        c_ = curves(stepped.explorer, reg=0.3, penalty=s.settings.penalty)
        np.testing.assert_allclose(c_.l2[0], l2)  # the curve's L2 term of step 0
        L = landscape(stepped.frame, 0, n=8)  # the landscape's objective is the step's, with its penalty
        Wp = rec.W_before.copy()
        Wp[0] = (L.w1s[2], L.w2s[5])
        ex = stepped.explorer
        want = kernel.objective("softmax", Wp, rec.b_before, ex.X, ex.y, reg=0.3, penalty_convention=rec.penalty)
        assert L.Z[5, 2] == pytest.approx(float(want.loss), rel=1e-12)


def test_the_divergence_warning_follows_the_penalty():
    s = Session.start({"preset": "blobs", "lr": "10", "reg": "0.15", "penalty": "full"}).run(100)
    text = messages(s)
    assert "1 − 2γλ = -2" in text and "γλ > 1" in text


def test_a_saved_file_without_a_penalty_was_saved_under_the_half_one():
    s = Session.start({"reg": "0.1"})
    text = s.state_json().replace('"penalty": "half",', "")
    assert '"penalty"' not in text
    loaded = Session.start({"preset": "cs231n-demo"}).load_state(text.encode())
    assert loaded.settings.penalty == "half" and loaded.settings.reg == 0.1
    again = s.set("penalty", "full")
    assert Session.start({}).load_state(again.state_json().encode()).settings.penalty == "full"


# ----- γ and λ: any typed value in range -------------------------------------------------------------
def test_any_lr_and_reg_in_range_are_taken_exactly_and_round_trip():
    s = Session.start({"lr": "0.123456789", "reg": "0.0375"})
    assert not s.messages and s.settings.lr == 0.123456789 and s.settings.reg == 0.0375
    assert Session.start(s.link_query()).settings == s.settings
    back, notes = cfg.from_saved(cfg.to_saved(s.settings))
    assert back == s.settings and not notes
    assert s.set("lr", 3.7).settings.lr == 3.7 and s.set("reg", "0.0001234").settings.reg == 0.0001234


@pytest.mark.parametrize(("key", "value"), [("lr", "0"), ("lr", "1000"), ("lr", "-0.1"), ("reg", "-1"),
                                            ("reg", "11"), ("lr", "nan"), ("reg", "inf")])  # fmt: skip
def test_an_lr_or_reg_outside_its_range_is_named_not_replaced_silently(key, value):
    s = Session.start({key: value})
    assert f"{key}={value!r} was not used" in messages(s)
    assert getattr(s.settings, key) == cfg.BY_NAME[key].default
    typed = safely(Session.start({}), lambda x: x.set(key, value))  # typed in the sidebar
    assert typed.settings == cfg.Settings() and key in messages(typed) and typed.messages[0][0] == "error"
