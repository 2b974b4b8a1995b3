"""The hinge bars, hollow test points, the two-set curve, the sidebar's new settings and the hinge math tab."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui import figures
from tests.session.test_session import _array
from tests.svm import margins
from tests.ui.test_page import ok, start


def figures_of(sess: Session) -> dict:
    return figures.frame_figures(sess.frame, make_view(sess.frame))


def valid(fig: go.Figure) -> go.Figure:
    """``fig``, once it has been built again with Plotly's validation (raises on a bad property)."""
    go.Figure(json.loads(fig.to_json()))
    return fig


def bar_trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_the_side_bars_show_the_margins_in_hinge_mode_and_p_in_softmax_mode():
    s = Session.start({"n": "30", "loss": "hinge", "init": "random", "delta": "2"}).step(2)
    ex, v = s.explorer, make_view(s.frame)
    side = valid(figures_of(s)["side"])
    bars = bar_trace(side, "f_m − f_y + Δ")
    yi = int(ex.y[v.focus])
    want = np.delete(margins(ex.state.W, ex.state.b, ex.X[v.focus], yi, 2.0), yi)
    np.testing.assert_array_equal(_array(bars.y), want)
    assert list(bars.x) == [n for m, n in enumerate(ex.names) if m != yi]  # the true class has no margin
    assert bar_trace(side, "before the step").y is not None  # ghosts of the step just taken
    heads = " ".join(a.text for a in side.layout.annotations)
    assert "margins of #" in heads and ", L_i =" in heads
    soft = valid(figures_of(s.set("loss", "softmax"))["side"])
    assert any(t.name == "p" for t in soft.data) and not any(t.name == "f_m − f_y + Δ" for t in soft.data)


def test_test_points_are_drawn_hollow_over_their_markers():
    s = Session.start({"n": "30", "test": "0.3"})
    ex = s.explorer
    pts = valid(figures_of(s)["points"])
    hollow = bar_trace(pts, "test points")
    np.testing.assert_allclose(np.column_stack([hollow.x, hollow.y]), ex.X[ex.test].astype(np.float32))
    assert hollow.marker.color == "white"
    assert list(hollow.marker.line.color) == [figures.class_color(int(m)) for m in ex.y[ex.test]]
    assert sum(len(t.x) for t in pts.data[: ex.n_classes]) == ex.n_points  # every point still in its class
    assert not any(t.name == "test points" for t in figures_of(Session.start({"n": "30"}))["points"].data)


def test_the_curve_draws_training_and_test_lines_and_the_other_loss():
    steps = np.arange(4)
    fig = valid(figures.curve_figure(steps, steps * 0.5, steps * 0.2, test_loss=steps * 0.6, test_accuracy=steps * 0.1,
                                     other=steps * 0.3, name="hinge loss", other_name="cross-entropy"))  # fmt: skip
    names = [t.name for t in fig.data]
    assert names == ["training hinge loss", "training accuracy", "test hinge loss", "test accuracy",
                     "training cross-entropy (same W)"]  # fmt: skip
    assert [t.line.dash for t in fig.data] == [None, None, "dash", "dash", "dot"]
    plain = valid(figures.curve_figure(steps, steps, steps))
    assert [t.name for t in plain.data] == ["cross-entropy", "accuracy"]


def test_margins_figure_draws_met_margins_faint_and_keeps_the_zero_line():
    fig = valid(figures.margins_figure(np.array([0.0, 1.5, -0.5]), 0, ["a", "b", "c"], before=[0.0, 2.0, 0.1]))
    bars = bar_trace(fig, "f_m − f_y + Δ")
    assert list(bars.text) == ["1.50 ✗", "-0.50 ✓"]
    assert bars.marker.color[0] != bars.marker.color[1]  # violated solid, met faint
    lo, hi = fig.layout.yaxis.range
    assert lo < -0.5 and hi > 2.0 and fig.layout.yaxis.zeroline


# ----- the app ---------------------------------------------------------------------------------------
def test_the_sidebar_offers_the_loss_the_split_and_the_noise():
    at = start(n=30)
    assert not [w for w in at.select_slider if w.key == "set_delta"]  # Δ only with the hinge loss
    at.radio(key="set_loss").set_value("hinge").run()
    sess = ok(at).session_state["session"]
    assert sess.explorer.objective == "hinge" and sess.frame.record.objective == "hinge"
    at.select_slider(key="set_delta").set_value(2.0).run()
    assert ok(at).session_state["session"].explorer.delta == 2.0
    at.select_slider(key="set_test").set_value(0.3).run()
    assert ok(at).session_state["session"].explorer.n_test == 9
    at.select_slider(key="set_noise").set_value(0.2).run()
    assert "noise" not in at.query_params  # the address names the points on screen: noise acts on Load preset
    at.button(key="btn_preset").click().run()
    at.toggle(key="set_compare").set_value(True).run()
    s = ok(at).session_state["session"].settings
    assert (s.loss, s.delta, s.test, s.noise, s.compare) == ("hinge", 2.0, 0.3, 0.2, True)
    q = at.query_params
    assert {k: (q[k][0] if isinstance(q[k], list) else q[k]) for k in ("loss", "test", "noise", "compare")} == {
        "loss": "hinge", "test": "0.3", "noise": "0.2", "compare": "1"}  # fmt: skip


def math_tab_app():
    import numpy as np

    from linclass.session.session import Session
    from linclass.session.view import make_view
    from linclass.ui.panels import curve_panel, math_panel

    s = Session.start({"n": "30", "loss": "hinge", "test": "0.3", "mode": "batch", "compare": "1"})
    s = s.select(int(np.flatnonzero(s.explorer.test)[0])).step(2)
    math_panel(s, make_view(s.frame))
    curve_panel(s)


def test_the_math_tab_gives_the_hinge_derivation_and_says_a_test_point_is_one():
    at = ok(AppTest.from_function(math_tab_app, default_timeout=60).run())
    text = " ".join(m.value for m in at.markdown)
    assert "a **test point**, never in a step" in text and "is a **test point**" in text
    assert any(r"\max(0,\ f_m - f_{y_i} + \Delta)" in x.value for x in at.latex)
    table = at.dataframe[0].value
    for col in ("f_m − f_y + Δ", "margin", "c_m = ∂Lᵢ/∂f_m", "Δf_m predicted", "Δf_m measured", "margin after"):
        assert col in table.columns
    assert "p_m" not in table.columns
    captions = " ".join(c.value for c in at.caption)
    assert "Dashed: the test points" in captions and "Dotted: the cross-entropy" in captions


@pytest.mark.parametrize("loss", ["softmax", "hinge", "ova", "structured"])
def test_the_app_runs_with_every_new_setting_in_the_link(loss):
    at = start(n=40, loss=loss, delta=0.5, test=0.2, noise=0.1, compare=1, mode="minibatch")
    s = at.session_state["session"]
    assert not s.messages and s.explorer.n_test == 9 and s.explorer.objective == loss


def _math_app(loss: str):
    from linclass.session.session import Session
    from linclass.session.view import make_view
    from linclass.ui.panels import math_panel

    s = Session.start({"preset": "cs231n", "loss": loss, "order": "click", "select": "4"}).step()
    math_panel(s, make_view(s.frame))


@pytest.mark.parametrize("loss", ["hinge", "ova", "structured"])
def test_every_svm_losss_math_names_its_own_formula_and_margins(loss):
    from linclass.ui.words import SVM_TEX

    at = ok(AppTest.from_function(_math_app, args=(loss,), default_timeout=60).run())
    loss_tex, margin_name, _, after = SVM_TEX[loss]
    assert any(loss_tex in x.value and after in x.value for x in at.latex)
    assert margin_name in at.dataframe[0].value.columns


def _gradient_check_app(loss: str):
    from linclass.session.session import Session
    from linclass.ui.panels import gradient_check_panel

    gradient_check_panel(Session.start({"preset": "blobs", "n": "30", "test": "0.3", "loss": loss}).step(3))


@pytest.mark.parametrize("loss", ["softmax", "hinge", "ova", "structured"])
def test_the_gradient_check_checks_the_loss_in_force_on_the_training_points(loss):
    # Issue 18: the gradient check was always softmax and included the held-out test points.
    from linclass.session.settings import LOSSES

    at = ok(AppTest.from_function(_gradient_check_app, args=(loss,), default_timeout=60).run())
    text = " ".join(m.value for m in at.markdown)
    assert f"Gradient of the {LOSSES[loss]} objective over the 21 training points" in text
