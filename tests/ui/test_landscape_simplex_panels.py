"""The "Loss landscape" and "Simplex" tabs in the app (AppTest): they draw the session's frame,
follow Step, step back and Play, and their pickers choose the row and the three classes (issue 11)."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from linclass.session.landscape_simplex import default_row, landscape, simplex
from linclass.session.session import PLAY_CHUNK, Session
from linclass.ui import landscape_simplex_figures
from linclass.ui.landscape_simplex_figures import log_levels
from linclass.ui.landscape_simplex_panels import CLASSES_KEY, FOLLOWED, ROW_KEY, _frames
from linclass.ui.plotly_view import PLAY_FRAME_MS

from .test_landscape_simplex_figures import array
from .test_plotly_view import part

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def start(tab: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({k: str(v) for k, v in query.items()})
    at.run()
    at.session_state["panel"] = tab  # open the tab, as a click on it does
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def with_session(at: AppTest, change) -> AppTest:
    """Apply ``change`` to the session (what a press on the plot component does) and rerun."""
    at.session_state["session"] = change(at.session_state["session"])
    return ok(at.run())


def view(at: AppTest, prefix: str):
    """(component key, {trace name: trace}, rev) of the view whose key starts with ``prefix``."""
    comps = [c for c in at.get("bidi_component") if c.proto.id.split("-")[-1].startswith(prefix)]
    assert len(comps) == 1, [c.proto.id for c in at.get("bidi_component")]
    data = json.loads(comps[0].proto.bytes)  # the component's data: one JSON text
    frame = data["frames"][-1]
    (name, (_, trace_refs)), = frame["figs"].items()  # fmt: skip
    traces = [part(data["parts"], i) for i in trace_refs]  # JSON text, or a base with a patch
    return data["name"], {t.get("name", t["type"]): t for t in traces}, frame["rev"]


def check_landscape(at: AppTest, m: int | None = None):
    """The view shows row m (None: the sample's class, as "auto" picks it) of the session's frame."""
    s = at.session_state["session"]
    key, traces, rev = view(at, "landscape")
    assert key == f"landscape_{'auto' if m is None else m}" and rev == s.rev
    m = default_row(s.frame) if m is None else m
    L = landscape(s.frame, m)
    np.testing.assert_allclose(array(traces["loss"]["z"]).reshape(L.Z.shape), log_levels(L.Z)[0], rtol=1e-5)
    shaft = traces["step −γ∇"]
    s = landscape_simplex_figures.landscape_scale(L.w1s, L.w2s, L.step)
    np.testing.assert_allclose([shaft["x"][1], shaft["y"][1]], L.w + s * L.step, rtol=1e-5, atol=1e-9)
    return L


def check_simplex(at: AppTest, classes=(0, 1, 2)):
    s = at.session_state["session"]
    key, traces, rev = view(at, "simplex")
    assert key == "simplex_" + "_".join(map(str, classes)) and rev == s.rev
    S = simplex(s.frame, classes)
    ex = s.explorer
    for m in classes:
        t = traces[ex.names[m]]
        np.testing.assert_allclose(np.column_stack([array(t["x"]), array(t["y"])]), S.dots[S.labels == m], atol=1e-6)
    return S


def test_the_landscape_follows_step_back_and_play():
    at = start("Loss landscape", n=30)
    check_landscape(at)
    at = with_session(at, lambda s: s.step(3))
    L = check_landscape(at)
    assert len(L.path) == 3 and L.x is not None
    at = with_session(at, lambda s: s.back())
    assert len(check_landscape(at).path) == 3  # the next step from step 2: the same path
    at = with_session(at, lambda s: s.play().more_frames(4))
    assert at.session_state["session"].playing
    check_landscape(at)  # drawn while playing too, on the newest frame
    assert any("Playing" in c.value for c in at.caption)


def test_the_row_picker_chooses_the_row_and_auto_follows_the_sample():
    at = start("Loss landscape", n=30)
    at.segmented_control(key=ROW_KEY).set_value(0).run()
    check_landscape(ok(at), 0)
    at.segmented_control(key=ROW_KEY).set_value("auto").run()
    check_landscape(ok(at))
    at = with_session(at, lambda s: s.select(int(np.flatnonzero(s.explorer.y == 2)[0])))
    assert default_row(at.session_state["session"].frame) == 2  # auto: the selected sample's true class
    check_landscape(at)
    at.segmented_control(key=ROW_KEY).set_value(2).run()
    at = with_session(ok(at), lambda s: s.with_classes(2))  # row 2 is gone: the pick falls back to auto
    assert at.session_state[ROW_KEY] == "auto"
    check_landscape(at)


def test_the_simplex_follows_steps_and_back():
    at = start("Simplex", n=30, init="random")
    check_simplex(at)
    at = with_session(at, lambda s: s.step(10))
    S = check_simplex(at)
    assert len(S.trajectory) == 11
    at = with_session(at, lambda s: s.back())
    assert len(check_simplex(at).trajectory) == 10


def test_more_than_three_classes_pick_three_and_say_so():
    at = start("Simplex", n=50, k=5)
    check_simplex(at)
    at.multiselect(key=CLASSES_KEY).set_value([4, 1, 2]).run()
    check_simplex(ok(at), (4, 1, 2))
    assert any("renormalised" in c.value for c in at.caption)
    at.multiselect(key=CLASSES_KEY).set_value([4, 1]).run()
    assert any("Pick three classes" in m.value for m in ok(at).markdown)


@pytest.mark.parametrize("tab", ["Loss landscape", "Simplex"])
def test_without_what_a_view_needs_it_says_why(tab):
    at = start(tab, k=2, n=20)
    at = with_session(at, lambda s: s.clear())
    said = " ".join(m.value for m in at.markdown)
    assert ("Add points" in said) if tab == "Loss landscape" else ("3 or more" in said)


def test_the_simplex_of_no_points_is_an_empty_triangle():
    at = with_session(start("Simplex", n=30), lambda s: s.clear())
    _, traces, _ = view(at, "simplex")
    assert all(len(traces[name].get("x", [])) == 0 for name in ("A", "B", "C"))
    assert "triangle" in traces


def test_eight_rows_are_picked_from_a_drop_down_that_fits_the_screen():
    # Found (review): with 8 classes the row buttons ran past 1280 px; rows G and H could not be reached.
    at = start("Loss landscape", k=8, n=80)
    box = next(s for s in at.selectbox if s.label == "Row w_m")
    box.set_value(7).run()
    check_landscape(ok(at), 7)


@pytest.mark.parametrize("tab", ["Loss landscape", "Simplex"])
def test_while_playing_the_caption_names_no_step(tab):
    # Found (review): during Play the caption named the newest step computed, ahead of the screen.
    at = start(tab, n=30)
    at = with_session(at, lambda s: s.play().more_frames(24))
    text = " ".join(c.value for c in at.caption)
    assert "Playing" in text and "step just taken" not in text and "preview" not in text
    # Found (issue 10's review): the Simplex caption named the newest frame's sample ("sample #289")
    # while the legend of the frame on screen named its own ("sample #157").
    assert "sample #" not in text


def test_during_play_a_view_draws_every_kth_frame_from_the_first_chunk_on():
    # Found by CI after Play's first chunk grew to 12 frames: the views drew every frame of it
    # (a landscape each), because the stride was worked out from each chunk's own length.
    s = Session.start({"preset": "blobs", "n": "60", "k": "3"}).apply_events({"epoch": 1, "events": [
        {"id": 1, "kind": "play"}]})  # fmt: skip
    k = PLAY_CHUNK // FOLLOWED
    first, ms = _frames(s, lambda f: f)
    assert [rev for _, _, rev in first] == [s.chunk[-1][0]] and ms == k * PLAY_FRAME_MS
    s = s.apply_events({"epoch": 1, "events": [{"id": 2, "kind": "more", "rev": s.chunk[-1][0]}]})
    full, _ = _frames(s, lambda f: f)
    assert [rev for _, _, rev in full] == [rev for rev, _ in s.chunk[k - 1 :: k]] and len(full) == FOLLOWED


def test_a_view_sends_its_data_as_one_json_text():
    """The finding (issue 10's profile of Play): handed a dict, Streamlit walked it for dataframes
    and wrote it as JSON twice (once sorted, for the element's identity), a tenth of the server's
    time in Play. The component now gets bytes, written once; the page parses them."""
    at = ok(AppTest.from_file(str(APP), default_timeout=60).run())
    comps = at.get("bidi_component")
    assert comps
    for c in comps:
        assert c.proto.WhichOneof("data") == "bytes", c.proto.id
        assert json.loads(c.proto.bytes)["frames"]


@pytest.mark.parametrize(("pair", "titles"), [("x1x2,x2", ("w·x₁x₂", "w·x₂")), ("x1,x2", ("w·x₁", "w·x₂"))])
def test_with_features_the_landscape_s_axes_name_the_pair_s_columns(pair, titles):
    # Review: over the x1x2 and x2 entries of a row the axes read "B: w₁" and "B: w₂", as the plane's own.
    at = start("Loss landscape", preset="xor", features="x1,x2,x1x2", mode="batch", lr="3", pair=pair)
    at = with_session(at, lambda s: s.step(1))
    comps = [c for c in at.get("bidi_component") if c.proto.id.split("-")[-1].startswith("landscape")]
    data = json.loads(comps[0].proto.bytes)
    (layout_ref, _), = data["frames"][-1]["figs"].values()  # fmt: skip
    layout = {k: part(data["parts"], ref) for k, ref in layout_ref.items()}  # a part a key
    got = (layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"])
    assert [t.split(": ", 1)[1] for t in got] == list(titles), got
