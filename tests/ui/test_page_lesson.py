"""A lesson in the page (AppTest): the scene's bar and its buttons, the panel a scene opens, loading a
lesson file in the sidebar (and from the launcher's files), building one and downloading it."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from linclass.session.lesson import LESSONS_ENV, PANELS, builtin, parse_lesson
from linclass.ui import page

from .test_page import APP, ok, sess, shown, start, upload

LESSON = builtin()["softmax"]


def said(at) -> str:
    """The messages as they read (the page escapes markdown in them)."""
    return shown(at).replace("\\", "")


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def button(at, key: str):
    return next(b for b in at.button if b.key == key)


def test_the_page_s_panels_are_the_ones_a_lesson_names():
    assert tuple(page.PANELS) == PANELS


def test_the_link_opens_the_scene_with_its_heading_caption_and_panel():
    at = start(lesson="softmax", scene=3)
    assert "Scene 3 / 10: The same derivation with the SVM loss" in markdown(at)
    assert "both margins are violated" in captions(at)
    assert at.session_state["panel"] == "The math" and sess(at).explorer.state.step == 1
    assert dict(at.query_params) == {"lesson": "softmax", "scene": "3"}


def test_the_buttons_move_through_the_scenes_and_restart_one():
    at = start(lesson="softmax")
    assert button(at, "btn_scene_prev").disabled and not button(at, "btn_scene_next").disabled
    ok(button(at, "btn_scene_next").click().run())
    assert sess(at).scene == 2 and "Scene 2 / 10" in markdown(at)
    assert at.session_state["panel"] == "Loss landscape"
    assert at.query_params["scene"] == "2"
    ok(button(at, "btn_scene_next").click().run())
    ok(button(at, "btn_scene_next").click().run())
    assert sess(at).scene == 4 and at.session_state["panel"] == "Loss & accuracy"  # a scene naming no panel
    at.session_state["panel"] = "Samples"  # the lecturer opens another panel and steps on
    ok(at.run())
    ok(button(at, "btn_scene_home").click().run())
    assert sess(at).scene == 4 and sess(at).explorer.state.step == 300
    assert at.session_state["panel"] == "Loss & accuracy"
    ok(button(at, "btn_scene_prev").click().run())
    assert sess(at).scene == 3
    last = start(lesson="softmax", scene=10)
    assert button(last, "btn_scene_next").disabled


def test_a_scene_that_is_not_there_is_named_and_the_first_opens():
    at = start(lesson="softmax", scene=12)
    assert "scene='12' was not used" in shown(at) and sess(at).scene == 1


def test_without_a_lesson_there_is_no_scene_bar():
    at = start()
    assert not [b for b in at.button if (b.key or "").startswith("btn_scene")]


def test_a_lesson_file_loads_from_the_sidebar_and_its_name_opens_it_in_another_session():
    text = (Path(page.__file__).resolve().parents[1] / "session/lessons/softmax.toml").read_text()
    mine = text.replace('title = "Softmax, step by step"', 'title = "Mine"')
    at = upload(start(), "Load a lesson", "My Lesson.toml", mine.encode())
    s = sess(at)
    assert s.lesson.title == "Mine" and s.scene == 1 and s.lesson.name.startswith("my-lesson-")
    assert f"?lesson={s.lesson.name}" in said(at)
    other = start(lesson=s.lesson.name, scene=2)  # a student's browser: another session, the same server
    assert sess(other).lesson.title == "Mine" and sess(other).scene == 2


def test_a_bad_lesson_file_is_refused_and_nothing_is_lost():
    at = start(preset="xor")
    before = sess(at).explorer
    bad = b'format = "linclass-lesson"\nversion = 1\n[[scene]]\ntitle = 3\nlink = {preset = "xor"}\n'
    at = upload(at, "Load a lesson", "bad.toml", bad)
    assert sess(at).explorer is before and sess(at).lesson is None
    assert 'That lesson was not loaded, nothing changed: scene 1, key "title", line 4: must be text' in said(at)


def test_moments_are_added_and_the_lesson_downloads_as_toml_that_loads_back():
    at = start(preset="cs231n", mode="batch", lr="0.5")
    at.text_input(key="scene_title").set_value("Nine points")  # a form: the title goes with the press
    ok(button(at, "btn_add_scene").click().run())
    s = sess(at)
    assert len(s.draft) == 1 and s.draft[0].title == "Nine points" and at.text_input(key="scene_title").value == ""
    assert "1 scene." in captions(at)
    ok(button(at, "btn_add_scene").click().run())  # no title: numbered
    assert sess(at).draft[1].title == "Scene 2"
    back = parse_lesson(sess(at).draft_toml(), "x")
    assert back.scenes == sess(at).draft
    assert any(d.proto.label == "Download lesson (TOML)" for d in at.get("download_button"))


def test_the_launcher_s_lesson_file_is_there_for_every_session(monkeypatch, tmp_path):
    path = tmp_path / "Week 3.toml"
    path.write_text((Path(page.__file__).resolve().parents[1] / "session/lessons/softmax.toml").read_text())
    (tmp_path / "broken.toml").write_text("nope")
    monkeypatch.setenv(LESSONS_ENV, f"{path}:{tmp_path / 'broken.toml'}")
    page.lesson_shelf.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"lesson": "week-3", "scene": "5"})
        at = ok(at.run())
        assert sess(at).lesson.name == "week-3" and sess(at).scene == 5
        assert "broken.toml: line 1: not valid TOML" in said(at)
    finally:
        page.lesson_shelf.clear()


@pytest.mark.parametrize("k", range(1, 11))
def test_every_scene_s_panel_renders(k):
    ok(start(lesson="softmax", scene=k, present=1))
