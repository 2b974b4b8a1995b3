"""Every sentence on screen, built by linclass.ui.words from the session's numbers, true for the settings in force."""

import re

import numpy as np
import pytest

import linclass
from linclass.session import settings as cfg
from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui.words import fmt, math_sentences, status_line, update_note
from tests.session.test_session import cs231n, sentences
from tests.session.test_view_one_formula import LOSSES
from tests.session.test_view_svm import hinge, linclass_fmt


def test_l2_sentences_and_columns():
    # Found: with L2 the tab said "every row moves along ±x_i" and left λ w_m out of the gradient columns;
    # with λ = 0 it still printed "L2 adds".
    s = cs231n(reg="0.3", init="random").step()
    m = make_view(s.frame).math
    rec = s.frame.record
    np.testing.assert_allclose(m.grad, np.multiply.outer(m.coeff, m.x) + 0.3 * rec.W_before, atol=1e-12)
    text = sentences(s)
    assert "moves along $\\pm x_i$" not in text and "not** all parallel" in text and "L2 adds" in text
    assert "L2" not in sentences(cs231n().step())


@pytest.mark.parametrize("mode", ["minibatch", "batch"])
def test_batch_steps_get_batch_maths(mode):
    s = Session.start({"n": "30", "mode": mode, "batch": "8", "init": "random"}).select(3).step()
    m = make_view(s.frame).math
    assert m.index == 3  # the selection is the sample the bars and the math describe
    np.testing.assert_allclose(m.predicted_df, m.measured_df, atol=1e-12)
    assert "mean" in sentences(s) and "single-sample" not in sentences(s)
    v = make_view(s.frame)
    assert len(v.members) == (8 if mode == "minibatch" else 30)
    np.testing.assert_allclose(v.member_updates.sum(axis=0), v.update, atol=1e-12)


def test_zero_sample_and_certain_p_get_true_sentences():
    # Found: at x_i = 0 (no bias) it said "the true class's score rises, every other falls" while every Δf was 0.
    ex = linclass.Explorer.new(3, bias=False).add_point(0.0, 0.0, 1).add_point(0.5, 0.5, 0)
    s = Session(ex, cfg.Settings(bias=False, order="click")).select(0).step()
    text = sentences(s)
    assert "changes no weight and no score" in text and "rises" not in text
    # p ≈ 1: the step changes nothing visible, and the page says why rather than "rises".
    ex = linclass.Explorer.new(2, bias=False).add_point(1.0, 0.0, 0).with_weights([[60.0, 0], [-60.0, 0]])
    s = Session(ex, cfg.Settings(bias=False, order="click")).select(0).step()
    assert "machine precision" in sentences(s)


def test_numbers_are_short():
    # Found: p = 5e-55 printed as a long decimal; a diverging loss as a 95–300-digit number.
    assert fmt(5e-55) == "5e-55" and fmt(0.047512345) == "0.04751" and fmt(1.2345e300) == "1.234e300"
    ex = linclass.Explorer.new(3).add_point(1e6, 1e6, 0).with_weights(np.full((3, 2), 1e3) * [[1], [-1], [0]])
    s = Session(ex)
    assert len(status_line(s.frame, 0.0)) < 140


def test_status_line_shows_the_l2_term_and_the_objective():
    s = Session.start({"reg": "0.1", "init": "random"})
    line = status_line(s.frame, 0.1)
    assert "objective" in line and "data loss" in line and "L2" in line


def test_the_seeds_case_with_the_hinge_loss_says_the_exact_changes():
    # One sample, no bias, no L2, zero weights: every margin is Δ > 0, so all K - 1 are violated.
    s = Session.start({"preset": "cs231n", "bias": "0", "loss": "hinge", "order": "cyclic", "lr": "0.1"}).step()
    m = make_view(s.frame).math
    n, sq, lr = 2, m.sq_norm, 0.1
    np.testing.assert_allclose(m.measured_df[m.y], lr * n * sq)
    np.testing.assert_allclose(np.delete(m.measured_df, m.y), -lr * sq)
    text = " ".join(math_sentences(s.frame, m))
    assert "2 margins are violated" in text and "rises by" in text
    assert "Every margin is met" not in text


def test_a_sample_whose_margins_are_met_is_said_to_be_and_softmax_would_still_push():
    W = np.array([[3.0, 0.0], [0.0, 0.0], [-3.0, 0.0]])
    ex = linclass.Explorer.from_preset("cs231n", 9, 3).with_weights(W, np.zeros(3))
    s = Session(ex.with_objective("hinge"), Session.start({"loss": "hinge"}).settings).select(0)  # x = (0.5, 0.4)
    m = make_view(s.frame).math
    assert np.all(np.delete(m.margins, 0) <= 0) and m.loss == 0.0
    text = " ".join(math_sentences(s.frame, m))
    assert "Every margin is met" in text and "changes no weight" in text and "Softmax would still push" in text
    assert not np.any(s.frame.record.dW)


def test_the_status_line_names_the_loss_and_both_sets():
    s = hinge(test="0.2").step(2)
    ex = s.explorer
    text = status_line(s.frame, 0.0)
    tl, ta = ex.test_measure()
    assert "training hinge loss" in text and f"test hinge loss {linclass_fmt(tl)}" in text
    assert f"test accuracy {100 * ta:.1f}%" in text and "30 points (6 test)" in text
    plain = status_line(Session.start({}).frame, 0.0)
    assert (
        "training" not in plain and "test" not in plain and "loss 1.098612" in plain
    )  # as before the split (7 digits)


@pytest.mark.parametrize("loss", LOSSES)
def test_the_bias_sentence_of_a_batch_step_is_the_tables_gradient(loss):
    # ?preset=blobs&mode=minibatch&batch=8&lr=0.5&select=5, Step twice: the sentence implied
    # Δb = (-0.166, -0.154, +0.320) (sample #5's p) while the table's ∇b gave (+0.016, +0.028, -0.044).
    s = Session.start({"preset": "blobs", "mode": "minibatch", "batch": "8", "lr": "0.5", "select": "5",
                       "loss": loss}).step().step()  # fmt: skip
    v = make_view(s.frame)
    said = next(t for t in math_sentences(s.frame, v.math) if t.startswith("The bias moves"))
    moved = [float(t) for t in re.search(r"= \(([^)]*)\)", said).group(1).split(", ")]
    np.testing.assert_allclose(moved, -s.frame.record.lr * v.math.grad_b, rtol=1e-3, atol=1e-4)


# ----- the captions of the landscape and the simplex (issue 19, item 7; issue 18) ----------------------
def _landscape_caption(s):
    from linclass.session.landscape_simplex import landscape
    from linclass.ui.words import landscape_panel_caption

    L = landscape(s.frame, int(s.frame.explorer.y[s.frame.focus]))
    return landscape_panel_caption(s.frame, L, "A", False, "")


def test_the_landscape_says_straight_lines_only_where_they_are_straight():
    plain = cs231n().step()
    assert "straight lines across it" in _landscape_caption(plain)
    bent = Session.start({"preset": "cs231n", "bias": "0", "order": "click", "select": "4", "reg": "0.1"}).step()
    text = _landscape_caption(bent)
    assert "bends them into curves" in text and "the contours of $L_i$ are straight" not in text
    ex = linclass.Explorer.new(3, bias=False).add_point(0.0, 0.0, 1).add_point(0.5, 0.5, 0)
    flat = Session(ex, cfg.Settings(bias=False, order="click")).select(0).step()
    assert "the plane is flat" in _landscape_caption(flat) and "straight lines" not in _landscape_caption(flat)


@pytest.mark.parametrize("loss", ["hinge", "ova", "structured"])
def test_the_simplex_says_its_p_are_not_what_an_svm_trains(loss):
    from linclass.session.landscape_simplex import simplex
    from linclass.ui.words import simplex_caption

    s = Session.start({"preset": "blobs", "loss": loss}).step()
    text = simplex_caption(s.frame, simplex(s.frame), ["A", "B", "C"], False, "")
    assert "does not use them" in text
    soft = Session.start({"preset": "blobs"}).step()
    assert "does not use them" not in simplex_caption(soft.frame, simplex(soft.frame), ["A", "B", "C"], False, "")


def test_a_landscape_caption_names_the_loss_and_the_penalty_in_force():
    from linclass.ui.words import landscape_caption

    s = Session.start({"preset": "blobs", "loss": "hinge", "reg": "0.1", "mode": "batch"}).step()
    text = landscape_caption(s.frame)
    assert "hinge loss" in text and r"\frac{1}{2}\lambda" in text


def test_an_update_below_rounding_is_no_move_on_every_panel():
    # Issue 19, item 7: at convergence the arrows panel drew a ~1e-16 update "×1,000,000" and said "L2
    # shrinks every row" while the math panel said no score changes.
    from linclass.ui.figures import update_scale
    from linclass.ui.words import update_note

    ex = linclass.Explorer.new(2, bias=False).add_point(1.0, 0.0, 0).with_weights([[60.0, 0], [-60.0, 0]])
    s = Session(ex, cfg.Settings(bias=False, order="click", reg=0.0)).select(0).step()
    v = make_view(s.frame)
    assert not np.any(v.update) and update_scale(v.rows, v.update) == 1
    assert update_note(v.update, v.update_x, s.frame.record) == "this step moves no row (to 12 digits)"
    assert "machine precision" in " ".join(math_sentences(s.frame, v.math))


def test_a_mini_batch_of_one_is_said_to_be_that_samples_update():
    # Issue 19, item 7: a mini-batch of 1 said "the rows no longer all move along one x_i".
    s = Session.start({"preset": "blobs", "mode": "minibatch", "batch": "1", "select": "2"}).step()
    text = " ".join(math_sentences(s.frame, make_view(s.frame).math))
    assert "step on one sample" in text and "no longer all move" not in text


def test_rounding_is_shown_as_zero_in_the_bias_sentence_and_the_tables():
    # Review: "The bias moves by ... = (1.85e-17, 1.85e-17, 1.85e-17)" and a ∇b_m column of -3.701e-17
    # for a batch whose coefficients cancel (issue 19, item 7: an update below rounding is zero).
    from linclass.ui.words import column

    assert column([1.85e-17, -3.7e-17, 0.25]) == ["0", "0", "0.25"]
    assert column([1e-13, 2e-13]) == ["0", "0"] and column([3.0, 1e-11]) == ["3", "1e-11"]
    s = Session.start({"preset": "cs231n", "bias": "1", "mode": "minibatch", "batch": "3", "lr": "0.5",
                       "select": "5"}).step()  # fmt: skip
    said = next(t for t in math_sentences(s.frame, make_view(s.frame).math) if t.startswith("The bias"))
    assert "e-17" not in said and "e-16" not in said


def test_the_demo_note_claims_only_what_holds_for_the_settings():
    # Review: with the bias off or lambda = 0 the note still said the losses at the start agree with the
    # demo's and that the weights differ after a step.
    from linclass.ui.words import demo_note

    for reg, want in ((0.0, "the two gradients agree"), (0.1, "lead to different weights")):
        note = demo_note(cfg.Settings(preset="cs231n-demo", reg=reg, bias=False))
        assert want in note and "losses at the start agree" not in note, note
    assert demo_note(cfg.Settings(preset="cs231n")) == ""


def test_with_features_the_arrows_note_names_the_pair_and_phi_not_x():
    # Review: with features (x1, x1x2) the arrows ran along phi(x_i) = (-0.4, 0.2) while the note said
    # "all updates ∥ xᵢ" (x_i = (-0.4, -0.5)); the heading with the pair was cut off at 1280 px.
    s = Session.start({"preset": "cs231n", "features": "x1,x1x2", "pair": "x1,x1x2", "order": "click",
                       "select": "4", "lr": "1"}).step(1)  # fmt: skip
    v = make_view(s.frame)
    note = update_note(v.update, v.update_x, s.frame.record, s.explorer.features, v.pair)
    assert note.split("\n")[0] == "rows over (x₁, x₁x₂)" and "all updates ∥ φ(xᵢ)" in note, note
    plain = Session.start({"preset": "cs231n", "order": "click", "select": "4"}).step(1)
    pv = make_view(plain.frame)
    assert "all updates ∥ xᵢ" in update_note(pv.update, pv.update_x, plain.frame.record), "the plane's own words"
