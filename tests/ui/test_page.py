"""The app's script logic, driven by Streamlit's AppTest: start-up, settings, uploads, messages, saving.

Presses and clicks on the plot component are events of the session model (tests/session); here the
widgets and files around it.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import linclass
from linclass.session.session import Session

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({k: str(v) for k, v in query.items()})
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def sess(at) -> Session:
    return at.session_state["session"]


def shown(at) -> str:
    return " ".join(m.value for kind in ("error", "warning", "info", "success") for m in getattr(at, kind))


def upload(at, label_part: str, name: str, content: bytes) -> AppTest:
    up = next(u for u in at.file_uploader if label_part in u.label)
    return ok(up.upload(name, content, "text/plain").run())


def test_starts_with_a_preset():
    s = sess(start())
    assert s.explorer.n_points == 60 and s.explorer.n_classes == 3 and s.explorer.state.step == 0


def test_the_link_chooses_the_scenario_and_a_bad_value_is_named():
    at = start(preset="spiral", n=90, k=4, seed=3, lr=0.5, mode="batch")
    X, _, _ = linclass.make_dataset("spiral", 90, 4, 3)
    np.testing.assert_array_equal(sess(at).explorer.X, X)
    assert sess(at).settings.mode == "batch" and sess(at).settings.lr == 0.5
    at = start(preset="nonsense", lr="fast")
    assert "preset=" in shown(at) and "lr=" in shown(at)


def test_the_address_follows_the_settings():
    at = start()
    at.radio(key="set_mode").set_value("minibatch").run()
    assert at.query_params["mode"] == ["minibatch"] or at.query_params["mode"] == "minibatch"


def test_settings_widgets_change_the_session():
    at = start()
    at.radio(key="set_mode").set_value("batch").run()
    at.number_input(key="set_lr").set_value(0.5).run()
    s = sess(ok(at))
    assert s.settings.mode == "batch" and s.settings.lr == 0.5
    at.toggle(key="set_bias").set_value(False).run()
    assert not sess(ok(at)).explorer.state.has_bias


def test_bad_csv_keeps_the_points_and_the_message_stays():
    at = start()
    before = sess(at).explorer
    at = upload(at, "CSV", "bad.csv", b"x,y,label\n0.1,0.2,0\n0.3,oops,1\n")
    assert "line 3" in shown(at) and sess(at).explorer.X is before.X
    at = ok(at.run())  # another rerun: the message is still there
    assert "line 3" in shown(at)


def test_good_csv_replaces_points_and_names_classes():
    at = upload(start(), "CSV", "pts.csv", b"x,y,label\n0.1,0.2,cat\n0.3,0.4,dog\n-0.5,0.1,cat\n")
    e = sess(at).explorer
    assert e.n_points == 3 and e.names == ("cat", "dog")


def test_state_file_round_trip_and_bad_state():
    at = start(preset="cs231n", init="random")
    saved = sess(at).state_json()
    fresh = upload(start(), "saved state", "s.json", saved.encode())
    a, b = sess(at).explorer, sess(fresh).explorer
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.state.W, b.state.W)
    assert sess(fresh).settings.init == "random"
    bad = upload(start(), "saved state", "s.json", b'{"format": "nope"}')
    assert "not loaded" in shown(bad)


def test_the_downloads_hold_the_session_files():
    # Found: both downloads failed ("Failed to generate file") because the file was built outside the run.
    at = start(preset="cs231n")
    s = sess(at)
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) >= {"Download points (CSV)", "Save the whole state (JSON)"}
    X, y, _ = linclass.read_csv(s.points_csv().encode())
    np.testing.assert_allclose(X, s.explorer.X)
    assert json.loads(s.state_json())["format"] == "linclass-state"


@pytest.mark.parametrize("k", [2, 8])
def test_two_and_eight_classes(k):
    at = start(k=k, n=80)
    assert sess(at).explorer.n_classes == k
    assert len([t for t in at.text_input if t.label.startswith("Name of class")]) == k


def test_a_class_name_taken_twice_is_refused():
    at = start()
    at.text_input(key="name_1").set_value("A").run()
    assert sess(ok(at)).explorer.names == ("A", "B", "C") and "already called" in shown(at)


def test_class_names_are_shown_as_text():
    at = start()
    at.text_input(key="name_0").set_value("**bold** <b>x</b> $x$").run()
    assert sess(ok(at)).explorer.names[0] == "**bold** <b>x</b> $x$"


@pytest.mark.parametrize("tab", ["The math", "Samples", "Weights W, b", "Gradient check"])
@pytest.mark.parametrize("query", [{}, {"mode": "batch", "reg": "0.1", "bias": "0"}])
def test_every_tab_renders(tab, query):
    at = start(**query)
    at.session_state["panel"] = tab
    ok(at.run())


def test_the_panel_under_the_plots_is_picked_by_one_widget_and_only_it_runs():
    """The finding (issue 10's answer-time breakdown): st.tabs re-sent seven tab blocks with every
    press and the page re-rendered them all before the plot had Python's answer, a quarter of the
    answer time. One picker now; the picked panel alone is drawn."""
    panels = ["Loss & accuracy", "The math", "Samples", "Loss landscape", "Simplex", "Weights W, b", "Gradient check"]
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.tabs
    (picker,) = at.get("button_group")
    assert [o.content for o in picker.proto.options] == panels

    def drawn(at):
        return sorted(c.proto.id.split("-")[-1] for c in at.get("bidi_component"))

    assert "curve" in drawn(at)
    at.session_state["panel"] = "Samples"
    at.run()
    assert not at.exception
    assert "curve" not in drawn(at) and len(at.dataframe) == 1


def test_a_link_key_given_twice_is_named_on_the_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lr"] = ["0.5", "0.7"]
    ok(at.run())
    said = shown(at).replace("\\", "")  # the page escapes markdown
    assert "link parameter lr was given 2 times ('0.5', '0.7'): the last one, '0.7', was used" in said
    assert sess(at).settings.lr == 0.7


def test_with_no_training_point_the_samples_panel_says_so_and_shows_no_nan():
    # Review: a saved state with no points read "data loss nan · L2 3.339 · objective nan".
    empty = Session.start({"preset": "cs231n", "init": "random"}).clear()
    at = start(state=empty.share_value())
    at.session_state["panel"] = "Samples"
    text = " ".join(m.value for m in ok(at.run()).markdown)
    assert "nan" not in text and "data loss: none (no training point)" in text, text


def test_a_setting_changed_by_a_press_keeps_every_widget_s_key_so_no_click_is_lost():
    # CI lost a click on a sidebar toggle now and then, and the review a click on the order right after
    # Select picked a point (1 in 5 under load): a press that changed a setting gave widgets new keys,
    # so a click the browser sent from the sidebar it still showed was dropped.
    at = start(preset="blobs", n=30, k=3, mode="sample")
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    at.session_state["session"] = sess(at).select(3)  # what a click with the Select tool does
    ok(at.run())
    assert keys == {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert sess(at).settings.order == "click"
    ok(at.radio(key="set_order").set_value("shuffle").run())  # the user's click on the order: it counts
    assert sess(at).settings.order == "shuffle"
    ok(at.toggle(key="set_shading").set_value(True).run())
    assert sess(at).settings.shading and sess(at).settings.order == "shuffle"


DIVERGING = dict(preset="blobs", lr=10, reg=1, mode="batch")  # the review: x100 in full batch crashed the page


def test_a_diverging_full_batch_is_drawn_with_its_warning_and_no_error():
    at = start(**DIVERGING)
    at.session_state["session"] = sess(at).run_chunked(100)
    ok(at.run())
    assert "grew from" in shown(at) and "cannot be drawn" not in shown(at)


def test_a_figure_that_cannot_be_sent_is_said_with_a_way_back_not_a_traceback(monkeypatch):
    from linclass.ui import figures

    monkeypatch.setattr(figures, "_display_precision", lambda a: a.astype(np.float32))  # as before the fix
    at = start(**DIVERGING)
    at.session_state["session"] = sess(at).run_chunked(100)
    ok(at.run())
    assert "This moment cannot be drawn" in shown(at)
    at.button(key="btn_undrawable_reset").click()
    ok(at.run())
    assert "cannot be drawn" not in shown(at) and sess(at).explorer.state.step == 0


class _State(dict):
    """A stand-in for st.session_state: items and attributes alike."""

    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


def test_the_browser_s_old_copy_of_a_widget_changes_nothing_and_the_user_s_move_counts(monkeypatch):
    # The review (wave 4): a Space 50 ms after PageDown put back the last scene's λ, the browser's old
    # copy of the widget. This wave's review: a click on the order right after Select picked a point
    # (which set the order) was lost. The old copy is the value from before a change the user did not
    # make with that widget; the user's click is another value.
    from linclass.ui import page

    state = _State()
    monkeypatch.setattr(page, "ss", state)
    page.drawn("set_order", "cyclic")
    page.drawn("set_order", "click")  # Select picked a point: the order changed, not by its widget
    state["set_order"] = "cyclic"  # what the browser re-sends with its next press: its old copy
    assert not page.current("set_order")
    state["set_order"] = "shuffle"  # the user's click on the radio the browser still shows
    assert page.current("set_order") and state["_moved"] == "set_order"
    page.drawn("set_order", "shuffle")  # drawn after the user's own move: no old copy to refuse
    state.pop("_moved")
    state["set_order"] = "click"  # ... so moving it back at once counts
    assert page.current("set_order")
    page.drawn("set_reg", 0.1)
    page.drawn("set_reg", 0.5)  # a scene set λ
    state["_drawn"]["set_reg"] = (0.1, 0.5, state["_drawn"]["set_reg"][2] - page.STALE_S)  # long ago
    state["set_reg"] = 0.1
    assert page.current("set_reg")  # the user sets the old value again, later: it counts
