"""The page with the CS231n demo's exact start, the penalty setting and typed γ, λ (issue 21, part A), in AppTest."""

import numpy as np
import pytest

from tests.session.test_session_demo import DEMO_B, DEMO_LOSS, DEMO_PENALTY, DEMO_W
from tests.ui.test_page import ok, sess, shown, start


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def latex(at) -> str:
    return " ".join(m.value for m in at.latex)


@pytest.mark.parametrize("loss", list(DEMO_LOSS))
def test_the_math_panel_shows_the_demo_s_data_loss_and_total_and_the_gradient_note(loss):
    at = start(preset="cs231n-demo", loss=loss)
    at.session_state["panel"] = "The math"
    at = ok(at.run())
    text = markdown(at)
    assert f"data loss **{DEMO_LOSS[loss]:.6f}**" in text
    assert f"total **{DEMO_LOSS[loss] + DEMO_PENALTY:.6f}**" in text and "3.500000" in text
    assert r"adds $0.5\,\lambda W$ to the gradient" in text and r"$2\lambda W$" in text
    assert r"$+ 2\lambda w_m$" in text  # the batch sentence's gradient, in the full convention


def test_the_gradient_note_is_only_for_the_demo_preset():
    at = start(preset="cs231n", reg=0.1, penalty="full")
    at.session_state["panel"] = "The math"
    assert r"0.5\,\lambda W" not in markdown(ok(at.run()))


@pytest.mark.parametrize(("penalty", "term"), [("half", r"+ \lambda w_m"), ("full", r"+ 2\lambda w_m")])
def test_the_math_panel_s_gradient_formula_follows_the_penalty(penalty, term):
    at = start(preset="cs231n", reg=0.1, penalty=penalty, mode="sample", bias=0)
    at.session_state["panel"] = "The math"
    at = ok(at.run())
    assert term in latex(at)
    other = r"+ 2\lambda w_m" if penalty == "half" else r"+ \lambda w_m}"
    assert other not in latex(at)


def test_the_sidebar_shows_the_demo_s_settings_and_reset_goes_back_to_its_start():
    at = start(preset="cs231n-demo")
    assert at.radio(key="set_penalty").value == "full" and at.radio(key="set_init").value == "preset"
    assert at.number_input(key="set_lr").value == 0.1 and at.number_input(key="set_reg").value == 0.1
    at.session_state["session"] = sess(at).step(2)
    at = ok(at.run())
    assert sess(at).explorer.state.step == 2
    next(b for b in at.button if b.key == "btn_reset").click()
    at = ok(at.run())
    np.testing.assert_array_equal(sess(at).explorer.state.W, DEMO_W)
    np.testing.assert_array_equal(sess(at).explorer.state.b, DEMO_B)


def test_the_penalty_radio_changes_the_session_and_the_address():
    at = start(reg=0.1)
    at.radio(key="set_penalty").set_value("full").run()
    assert sess(ok(at)).settings.penalty == "full"
    assert at.query_params["penalty"] in ("full", ["full"])


def test_a_typed_lr_in_range_is_taken_and_one_outside_is_named_and_kept_out():
    at = start()
    at.number_input(key="set_lr").set_value(0.37).run()
    assert sess(ok(at)).settings.lr == 0.37
    at.number_input(key="set_reg").set_value(25.0).run()
    at = ok(at)
    assert sess(at).settings.reg == 0.0 and "(reg): 25 is outside 0..10" in shown(at).replace("\\", "")
    assert at.number_input(key="set_reg").value == 0.0  # the widget shows the value in force


def test_the_gradient_check_uses_the_penalty_in_force():
    at = start(preset="cs231n-demo", loss="softmax")
    at.session_state["panel"] = "Gradient check"
    at = ok(at.run())
    assert "λ‖W‖²" in markdown(at) and "they agree" in markdown(at)


# ----- Share this exact moment ---------------------------------------------------------------------------
def test_the_share_button_shows_a_link_that_opens_the_same_moment():
    at = start(preset="cs231n-demo", loss="structured")
    at.session_state["session"] = sess(at).step(2)
    at = ok(at.run())
    next(b for b in at.button if b.key == "btn_share").click()
    at = ok(at.run())
    (code,) = at.code
    assert "?state=" in code.value
    value = code.value.split("?state=")[1]
    opened = start(state=value)
    s, o = sess(at), sess(opened)
    np.testing.assert_array_equal(o.explorer.state.W, s.explorer.state.W)
    assert o.settings == s.settings and o.explorer.state.step == 2
    assert "holds the whole state on screen" in " ".join(c.value for c in at.caption)
    at.session_state["session"] = sess(at).step(1)  # the moment changed: the link no longer shows
    assert not ok(at.run()).code


def test_a_bad_pasted_link_is_named_and_nothing_changes():
    at = start(preset="cs231n-demo")
    before = sess(at)
    at.text_input(key="open_link").set_value("http://127.0.0.1:8501/?state=eNpLy").run()
    at = ok(at)
    assert sess(at).explorer is before.explorer and "cut short" in shown(at)
    good = before.step(1).share_value()
    at.text_input(key="open_link").set_value(f"http://127.0.0.1:8501/?state={good}").run()
    assert sess(ok(at)).explorer.state.step == 1 and "Opened a shared moment" in shown(at)
