"""A lesson in the session model: entering scenes (PageDown, PageUp, Home, the link), and building one
from moments ("Add this moment as a scene", "Download lesson") that reads back to the same scenes."""

import numpy as np
import pytest

from linclass.session.boundary import safely
from linclass.session.lesson import Lesson, Scene, builtin, parse_lesson
from linclass.session.session import Session
from linclass.ui.words import status_line

LESSON = builtin()["softmax"]


def events(s: Session, *kinds, epoch=1.0, start=1) -> Session:
    evs = [{"id": start + i, "kind": "scene", "to": to} for i, to in enumerate(kinds)]
    return s.apply_events({"epoch": epoch, "events": evs})


def same_moment(a: Session, b: Session) -> None:
    assert status_line(a.frame, a.settings.reg) == status_line(b.frame, b.settings.reg)
    np.testing.assert_array_equal(a.explorer.X, b.explorer.X)
    np.testing.assert_array_equal(a.explorer.state.W, b.explorer.state.W)
    assert a.explorer.selected == b.explorer.selected and a.settings == b.settings


def test_pagedown_pageup_and_home_move_through_the_scenes():
    s = Session.start({"lesson": "softmax"})
    assert s.scene == 1 and s.lesson is LESSON
    s = events(s, "next", "next")
    assert s.scene == 3 and s.ack == (1.0, 2) and not s.messages
    s = s.step(5)
    s = events(s, "home", start=3)
    assert s.scene == 3 and s.explorer.state.step == 1  # the scene afresh
    s = events(s, "prev", start=4)
    assert s.scene == 2


def test_entering_a_scene_keeps_the_page_s_session_and_the_presses_order():
    s = Session.start({"lesson": "softmax"})
    s2 = events(s, "next")
    assert s2.sid == s.sid and s2.rev > s.rev and s2.entered == s.entered + 1
    # A Step pressed right after PageDown is applied after it: none is lost, none comes first.
    s3 = s.apply_events({"epoch": 1.0, "events": [{"id": 1, "kind": "scene", "to": "next"},
                                                 {"id": 2, "kind": "step", "n": 1}]})  # fmt: skip
    assert s3.scene == 2 and s3.explorer.state.step == 14


def test_past_the_ends_nothing_changes_and_a_note_says_why():
    s = Session.start({"lesson": "softmax"})
    after = events(s, "prev")
    assert after.scene == 1 and after.explorer is s.explorer and "first scene" in after.messages[0][1]
    last = Session.start({"lesson": "softmax", "scene": str(len(LESSON))})
    assert "last scene" in events(last, "next").messages[0][1]
    plain = Session.start({})
    assert "no lesson open" in safely(plain, lambda x: x.to_scene("next")).messages[0][1]


def test_presenter_mode_is_the_viewer_s_and_stays_through_the_scenes():
    s = Session.start({"lesson": "softmax", "present": "1"})
    assert s.settings.present and s.settings.geometry
    s = events(s, "next")
    assert s.settings.present and s.link_query() == {"lesson": "softmax", "scene": "2", "present": "1"}
    off = Session.start({"lesson": "softmax", "scene": "2"})
    assert not off.settings.present and off.settings.lr == s.settings.lr


@pytest.mark.parametrize(
    ("query", "scene", "words"),
    [
        ({"lesson": "nope"}, 0, "lesson='nope' was not used: there is no lesson 'nope'"),
        ({"lesson": "softmax", "scene": "11"}, 1, "scene='11' was not used: the lesson has scenes 1 to 10"),
        ({"lesson": "softmax", "scene": "x"}, 1, "scene='x' was not used"),
        ({"lesson": "softmax", "scene": "2", "lr": "5"}, 2, "lr not used: the scene sets the settings"),
    ],
)
def test_a_bad_lesson_link_is_named(query, scene, words):
    s = Session.start(query)
    assert s.scene == scene and any(words in text for _, text in s.messages), s.messages


def test_a_loaded_lesson_opens_from_its_name():
    mine = Lesson("mine", "Mine", (Scene("xor", link=(("preset", "xor"),), presses=("x10",)),))
    s = Session.start({"lesson": "mine"}, lessons={"mine": mine})
    assert s.settings.preset == "xor" and s.explorer.state.step == 10 and s.link_query()["lesson"] == "mine"


def test_a_scene_s_presses_give_what_the_buttons_give():
    # The model runs them as Play's chunk does: the same steps, weights and history as the presses.
    for k, scene in enumerate(LESSON.scenes, start=1):
        by_hand = Session.start(dict(scene.link))
        for p in scene.presses:
            if p.startswith(("step", "x1")):
                n = {"step": 1, "x10": 10, "x100": 100}.get(p) or int(p.split()[1])
                by_hand = by_hand.run(n)
        entered = Session.start({"lesson": "softmax", "scene": str(k)})
        same_moment(by_hand, entered)
        for a, b in zip(by_hand.explorer.state.history, entered.explorer.state.history, strict=True):
            np.testing.assert_array_equal(a.W, b.W)


def test_a_step_refused_in_a_scene_is_said_as_the_button_says_it():
    scene = Scene("break it", link=(("lr", "10"), ("preset", "blobs"), ("reg", "1")), presses=("x100", "x100"))
    s = Session.start({}).enter(Lesson("b", "b", (scene,)), 1)
    assert s.explorer.state.step == 105
    said = " ".join(text for _, text in s.messages)
    assert "grew from 1.1 to 8.91e+189" in said and "after 5 good steps" in said


# ----- building a lesson ---------------------------------------------------------------------------
def test_a_moment_reached_by_steps_is_kept_as_its_link_and_steps():
    s = Session.start({"preset": "cs231n", "mode": "batch", "lr": "0.5"}).run(10).run(10).step(3)
    scene = s.moment_scene("twenty-three")
    assert scene.state is None and scene.presses == ("steps 23",)
    assert dict(scene.link) == {"preset": "cs231n", "mode": "batch", "lr": "0.5"}  # n=9 is the preset's own
    same_moment(s, Session.start({}).enter(Lesson("d", "d", (scene,)), 1))


def test_a_moment_with_points_of_its_own_is_kept_as_the_whole_state():
    s = Session.start({"preset": "xor", "n": "20"}).click(0.5, 0.5, 0.01, 0.01).step(4)
    scene = s.moment_scene("")
    assert scene.link is None and scene.state is not None and scene.title == "Scene 1"
    entered = Session.start({}).enter(Lesson("d", "d", (scene,)), 1)
    # What a saved state keeps: the points, the weights, the step count, the settings (not the step
    # just taken, so the panels preview the next step).
    np.testing.assert_array_equal(entered.explorer.X, s.explorer.X)
    np.testing.assert_array_equal(entered.explorer.state.W, s.explorer.state.W)
    assert entered.explorer.state.step == 4 and entered.settings == s.settings.replace(k=2)  # xor has 2 classes
    edited = Session.start({"preset": "xor"}).set_row(0, [0.3, -0.2])  # weights edited: a link cannot say it
    assert edited.moment_scene("w").state is not None


def test_a_built_lesson_downloads_and_loads_back_to_the_same_scenes():
    s = Session.start({"preset": "cs231n", "bias": "0", "order": "click", "select": "4", "present": "1"}).step()
    s = s.add_moment("One sample").run(10)
    s = s.add_moment("Eleven steps").set("loss", "hinge").run(10)  # a setting changed after steps: a state
    s = s.add_moment("Hinge, ten more").click(0.1, 0.2, 0.01, 0.01)
    s = s.add_moment('A point of my own, "quoted"')
    assert len(s.draft) == 4 and "Added scene 4" in s.messages[0][1]
    assert [sc.state is None for sc in s.draft] == [True, True, False, False]
    # Presenter mode (and the geometry it draws) is the viewer's, not the scene's.
    assert all(not {"present", "geometry"} & set(dict(sc.link or ())) for sc in s.draft)
    text = s.draft_toml()
    back = parse_lesson(text, "mine")
    assert back.scenes == s.draft
    for k in range(1, 5):  # each loaded scene is the moment it was made from
        entered = Session.start({"lesson": "mine", "scene": str(k)}, lessons={"mine": back})
        assert entered.explorer.state.step == (1, 11, 21, 21)[k - 1]
        assert entered.explorer.n_points == (9, 9, 9, 10)[k - 1] and entered.settings.present is False
    assert "no scene yet" in safely(Session.start({}), lambda x: x.draft_toml()).messages[0][1]


def test_entering_a_scene_keeps_the_lesson_being_built():
    s = Session.start({"lesson": "softmax"}).add_moment("first")
    assert events(s, "next").draft == s.draft


def test_every_scene_walked_to_is_the_scene_its_link_opens():
    # The page's walk (PageDown from scene 1) and each scene's link give one moment; the browser test
    # (tests/browser/test_lesson.py) checks what is painted for a scene of each panel.
    s = Session.start({"lesson": "softmax", "present": "1"})
    for k in range(2, len(LESSON) + 1):
        s = events(s, "next", start=k)
        assert s.scene == k
        same_moment(s, Session.start({"lesson": "softmax", "scene": str(k), "present": "1"}))
