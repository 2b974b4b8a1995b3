"""The feature toggles and the pair of features in the app (AppTest): the sidebar, the link, every
panel with features on, and the note a refused toggle gives (issue 21, feature transforms)."""

from __future__ import annotations

import pytest

from linclass.core.features import FEATURES
from linclass.ui.page import PANELS
from tests.ui.test_page import ok, sess, shown, start


def test_a_toggle_turns_a_feature_on_and_the_model_gets_its_column():
    at = start(preset="xor")
    assert [at.toggle(key=f"feature_{f}").value for f in FEATURES] == [True, True, False, False, False, False, False]
    ok(at.toggle(key="feature_x1x2").set_value(True).run())
    s = sess(at)
    assert s.settings.features == "x1,x2,x1x2" and s.explorer.features == ("x1", "x2", "x1x2")
    assert s.explorer.state.W.shape == (2, 3)
    assert "W has 3 columns" in shown(at) and "start afresh" in shown(at)
    assert at.query_params["features"] == "x1,x2,x1x2"


def test_the_last_feature_cannot_be_turned_off_and_a_note_says_why():
    at = start(preset="xor", features="x1x2")
    assert sess(at).explorer.features == ("x1x2",)
    ok(at.toggle(key="feature_x1x2").set_value(False).run())
    assert sess(at).explorer.features == ("x1x2",) and at.toggle(key="feature_x1x2").value
    assert "at least one feature must be on" in shown(at)


def test_a_bad_features_value_in_the_link_is_named_and_the_default_kept():
    at = start(features="x1,x3")
    assert sess(at).explorer.features == ("x1", "x2")
    assert "features=" in shown(at) and "'x3' is not a feature" in shown(at)


def test_the_pair_picks_the_columns_the_arrows_show():
    at = start(preset="circles", features="x1,x2,x1sq,x2sq")
    ok(at.selectbox(key="pair_0").set_value("x1sq").run())
    ok(at.selectbox(key="pair_1").set_value("x2sq").run())
    assert sess(at).settings.pair == "x1sq,x2sq" and at.query_params["pair"] == "x1sq,x2sq"
    ok(at.selectbox(key="pair_1").set_value("x1sq").run())  # the same feature twice: refused
    assert sess(at).settings.pair == "x1sq,x2sq" and "not two different features" in shown(at)


@pytest.mark.parametrize("panel", list(PANELS))
def test_every_panel_draws_a_model_on_features(panel):
    at = start(preset="xor", features="x1,x2,x1x2,sinx1", mode="batch", lr=1)
    ok(at.button(key="btn_reset").click().run())
    at.session_state["session"] = sess(at).step(3)
    ok(at.segmented_control(key="panel").set_value(panel).run())
    assert not at.error, [e.value for e in at.error]
    if panel == "The math":
        text = " ".join(m.value for m in at.markdown)
        assert r"\phi(x_i) = (x_1 = " in text and r"\|\phi(x_i)\|^2" in text
        assert any(r"W \phi(x_i)" in x.value for x in at.latex)
    if panel == "Gradient check":
        assert "they agree" in " ".join(m.value for m in at.markdown)
