"""The app's script logic, driven by Streamlit's AppTest: set-up, steps, uploads, bad input."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import linclass

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({k: str(v) for k, v in query.items()})
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def ex(at) -> linclass.Explorer:
    return at.session_state["ex"]


def messages(at, kind="error") -> str:
    return " ".join(m.value for m in getattr(at, kind))


def upload(at, label_part: str, name: str, content: bytes) -> AppTest:
    up = next(u for u in at.file_uploader if label_part in u.label)
    return up.upload(name, content, "text/plain").run()


def test_starts_with_a_preset():
    at = ok(start())
    e = ex(at)
    assert e.n_points == 60 and e.n_classes == 3 and e.state.step == 0
    assert e.state.loss == pytest.approx(np.log(3))
    assert [b.label for b in at.button][:4] == ["Step", "×10", "×100", "Play"]


def test_query_parameters_choose_the_preset():
    e = ex(ok(start(preset="spiral", n=90, k=4, seed=3)))
    X, y, _ = linclass.make_dataset("spiral", 90, 4, 3)
    np.testing.assert_array_equal(e.X, X)
    assert e.n_classes == 4
    e = ex(ok(start(preset="nonsense", n="many")))  # bad values fall back to the default
    assert e.n_points == 60


@pytest.mark.parametrize("mode", ["sample", "minibatch", "batch"])
def test_step_buttons_in_each_mode(mode):
    at = start()
    at.radio(key="mode").set_value(mode).run()
    at.button(key="btn_step").click().run()
    e = ex(ok(at))
    assert e.state.step == 1 and e.last.mode == mode
    expected = {"sample": 1, "minibatch": 16, "batch": 60}[mode]
    assert len(e.last.indices) == expected
    at.button(key="btn_10").click().run()
    at.button(key="btn_100").click().run()
    assert ex(ok(at)).state.step == 111
    assert ex(at).state.loss < np.log(3)


def test_sample_chosen_by_click():
    at = start()
    at.radio(key="order").set_value("click").run()
    at.session_state["ex"] = ex(at).select(7)
    at.button(key="btn_10").click().run()
    e = ex(ok(at))
    assert e.state.step == 10 and list(e.last.indices) == [7] and e.current == 7


def test_step_back_undo_and_clear():
    at = start()
    at.button(key="btn_step").click().run()
    at.button(key="btn_step").click().run()
    w1 = ex(at).state.history[-1].W
    at.button(key="btn_back").click().run()
    np.testing.assert_array_equal(ex(ok(at)).state.W, w1)
    at.button(key="btn_clear").click().run()
    assert ex(ok(at)).n_points == 0
    assert "no points" in messages(at, "info").lower()
    at.button(key="btn_undo").click().run()
    assert ex(ok(at)).n_points == 60
    at.button(key="btn_redo").click().run()
    assert ex(ok(at)).n_points == 0


def test_no_points_step_and_play_explain_instead_of_failing():
    at = start()
    at.button(key="btn_clear").click().run()
    at.button(key="btn_step").click().run()
    assert "no points" in messages(ok(at), "info").lower()
    at.button(key="btn_play").click().run()
    assert at.session_state["playing"] is False


def test_play_and_pause_toggle():
    at = start()
    at.button(key="btn_play").click().run()
    assert at.session_state["playing"] is True
    assert at.button(key="btn_play").label == "Pause"
    at.button(key="btn_play").click().run()
    assert at.session_state["playing"] is False


def test_bad_csv_keeps_the_points_and_names_the_line():
    at = start()
    before = ex(at).X.copy()
    upload(at, "CSV", "bad.csv", b"x,y,label\n0.1,0.2,0\nabc,0.3,1\n")
    assert "line 3" in messages(ok(at)) and "not a number" in messages(at)
    np.testing.assert_array_equal(ex(at).X, before)
    upload(at, "CSV", "nan.csv", b"x,y,label\n0.1,nan,0\n")
    assert "line 2" in messages(ok(at)) and "not finite" in messages(at)
    upload(at, "CSV", "huge.csv", b"x,y,label\n1e300,1,0\n")
    assert "out of range" in messages(ok(at))
    upload(at, "CSV", "empty.csv", b"")
    assert "empty" in messages(ok(at))
    np.testing.assert_array_equal(ex(at).X, before)


def test_good_csv_replaces_points_and_names_classes():
    at = start()
    upload(at, "CSV", "pets.csv", b"x,y,label\n0,0,cat\n1,1,dog\n2,0,emu\n3,1,dog\n")
    e = ex(ok(at))
    assert e.n_points == 4 and e.names == ("cat", "dog", "emu")
    assert at.session_state["n_classes"] == 3 and at.session_state["name_1"] == "dog"
    assert "Loaded 4 points" in messages(at, "success")
    at.button(key="btn_undo").click().run()
    assert ex(ok(at)).n_points == 60


def test_csv_with_too_many_classes():
    at = start()
    rows = "".join(f"{m},{m},c{m}\n" for m in range(9))
    upload(at, "CSV", "nine.csv", ("x,y,label\n" + rows).encode())
    assert "at most 8" in messages(ok(at)) and ex(at).n_points == 60


def test_state_file_round_trip_and_bad_state():
    at = start()
    at.button(key="btn_10").click().run()
    saved = ex(at).to_json({"lr": 0.5, "mode": "batch", "reg": 0.01, "batch_size": "nope"})
    fresh = start(preset="xor", n=20)
    upload(fresh, "state", "state.json", saved.encode())
    e = ex(ok(fresh))
    np.testing.assert_array_equal(e.X, ex(at).X)
    np.testing.assert_array_equal(e.state.W, ex(at).state.W)
    assert e.state.step == 10
    assert fresh.session_state["lr"] == 0.5 and fresh.session_state["mode"] == "batch"
    assert fresh.session_state["batch_size"] == 16  # an invalid setting is ignored
    doc = json.loads(saved)
    doc["W"] = [[1, 2]]
    upload(fresh, "state", "bad.json", json.dumps(doc).encode())
    assert '"W" must be 3 rows' in messages(ok(fresh))
    assert ex(fresh).state.step == 10  # nothing changed


def test_divergence_is_refused_with_a_warning_and_no_nan():
    at = start()
    at.select_slider(key="lr").set_value(10.0).run()
    at.select_slider(key="reg").set_value(1.0).run()  # each step multiplies W by about -9
    at.radio(key="mode").set_value("batch").run()
    for _ in range(4):
        at.button(key="btn_100").click().run()
    e = ex(ok(at))
    assert "Step refused" in messages(at, "warning")
    assert 0 < e.state.step < 400
    assert np.all(np.isfinite(e.state.W)) and np.isfinite(e.state.loss)


@pytest.mark.parametrize("k", [1, 8])
def test_one_and_eight_classes(k):
    at = start()
    at.number_input(key="n_classes").set_value(k).run()
    at.button(key="btn_10").click().run()
    e = ex(ok(at))
    assert e.n_classes == k and e.state.W.shape == (k, 2)
    assert e.n_points == (20 if k == 1 else 60)  # one class keeps only class 0's points
    at.button(key="btn_undo").click().run()
    assert ex(ok(at)).n_classes == 3


def test_empty_class_and_five_thousand_points():
    at = start(n=5000, k=4)
    e = ex(ok(at))
    assert e.n_points == 5000
    at.number_input(key="n_classes").set_value(5).run()  # class E has no points
    at.radio(key="mode").set_value("batch").run()
    at.button(key="btn_10").click().run()
    e = ex(ok(at))
    assert e.state.step == 10 and e.class_counts()[4] == 0


def test_class_names_are_shown_as_text():
    at = start()
    at.text_input(key="name_0").set_value("<img src=x onerror=alert(1)>").run()
    ok(at)
    assert ex(at).names[0] == "<img src=x onerror=alert(1)>"
    at.session_state["panel"] = "The math"
    at.run()
    ok(at)
    sources = [md.value for md in at.markdown if "img" in md.value]
    assert sources, "the math panel names the class"
    for src in sources:  # markdown escapes: rendered as the characters typed, never as a tag
        assert "<img" not in src.replace("\\<img", "")
    classes = next(w for w in at.get("button_group") if w.key == "active")
    assert classes.options[0] == "● \\<img src=x onerror=alert\\(1\\)\\>"


def test_math_panel_shows_the_current_sample():
    at = start()
    at.session_state["panel"] = "The math"
    at.button(key="btn_step").click().run()
    ok(at)
    table = at.dataframe[0].value
    e = ex(at)
    m = e.last.focus
    np.testing.assert_allclose(table["p_m"], linclass.softmax(linclass.scores(e.state.W, e.state.b, e.X[m])))
    np.testing.assert_allclose(table["Δf_m measured"], table["Δf_m predicted"], atol=1e-12)


def test_gradient_check_panel_agrees():
    at = start()
    at.session_state["panel"] = "Gradient check"
    at.button(key="btn_10").click().run()
    assert "they agree" in " ".join(md.value for md in ok(at).markdown)


def test_weights_table_shows_w_and_b():
    at = start()
    at.session_state["panel"] = "Weights W, b"
    at.button(key="btn_10").click().run()
    table = ok(at).data_editor[0].value
    e = ex(at)
    np.testing.assert_allclose(table["w₁"], e.state.W[:, 0])
    np.testing.assert_allclose(table["w₂"], e.state.W[:, 1])
    np.testing.assert_allclose(table["b"], e.state.b)
    assert list(table["class"]) == list(e.names)
