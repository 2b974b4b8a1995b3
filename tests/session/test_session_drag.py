"""Dragging a point with the Select tool (issue 21): one move event, one undoable point edit."""

import math

import numpy as np
import pytest

from linclass.core.limits import MAX_ABS
from linclass.session.frame import PREVIEW, TAKEN
from linclass.session.session import Session
from linclass.session.view import make_view


def move(sess: Session, i, x, y, eid: int = 1, **extra) -> Session:
    ev = {"id": eid, "kind": "move", "i": i, "x": x, "y": y, **extra}
    return sess.apply_events({"epoch": 1, "events": [ev]})


def blobs(**query) -> Session:
    return Session.start({"preset": "blobs", "n": "30", "k": "3", "seed": "1", **query}).set_tool("select")


def test_a_move_puts_the_point_there_and_undo_redo_take_it_back_and_again():
    s = blobs().step(5)
    before = s.explorer.X.copy()
    moved = move(s, 4, 0.25, -0.5, **{"from": before[4].tolist()})
    assert moved.messages == ()
    np.testing.assert_array_equal(moved.explorer.X[4], [0.25, -0.5])
    keep = np.arange(30) != 4
    np.testing.assert_array_equal(moved.explorer.X[keep], before[keep])  # every other point stays
    np.testing.assert_array_equal(moved.explorer.y, s.explorer.y)  # and the classes
    assert moved.rev == s.rev + 1 and moved.explorer.state.loss != s.explorer.state.loss  # drawn anew
    undone = moved.apply_events({"epoch": 1, "events": [{"id": 2, "kind": "undo"}]})
    np.testing.assert_array_equal(undone.explorer.X, before)  # one undo: the whole move
    assert undone.explorer.state.loss == s.explorer.state.loss
    redone = undone.apply_events({"epoch": 1, "events": [{"id": 3, "kind": "redo"}]})
    np.testing.assert_array_equal(redone.explorer.X, moved.explorer.X)


def test_the_event_sent_again_moves_once():
    s = blobs()
    once = move(s, 2, 0.1, 0.1)
    again = once.apply_events({"epoch": 1, "events": [{"id": 1, "kind": "move", "i": 2, "x": 0.9, "y": 0.9}]})
    assert again.explorer is once.explorer and len(again.explorer.undo_stack) == len(s.explorer.undo_stack) + 1


def test_moving_the_current_sample_keeps_it_selected_and_the_panels_follow_it():
    s = blobs().select(7)
    assert s.frame.kind == PREVIEW and s.frame.focus == 7
    moved = move(s, 7, -0.4, 0.3)
    assert moved.explorer.selected == 7 and moved.frame.focus == 7
    assert moved.settings.order == "click"
    v = make_view(moved.frame)
    np.testing.assert_array_equal(v.update_x, [-0.4, 0.3])  # the next step's sample is the moved point
    np.testing.assert_array_equal(v.math.x, [-0.4, 0.3])


def test_a_move_after_a_step_shows_the_next_step_from_the_same_weights():
    s = blobs().step(3)
    assert s.frame.kind == TAKEN
    moved = move(s, 0, 0.5, 0.5)
    assert moved.frame.kind == PREVIEW  # a point edit drops the step just taken, as an added point does
    np.testing.assert_array_equal(moved.explorer.state.W, s.explorer.state.W)
    assert moved.explorer.state.step == 3
    assert s.drag_frame.kind == PREVIEW and s.drag_frame.record.indices.tolist() == moved.frame.record.indices.tolist()


@pytest.mark.parametrize(
    ("event", "says"),
    [
        ({"i": 30, "x": 0.1, "y": 0.1}, "there is no point 30"),  # stale: the point is gone
        ({"i": -1, "x": 0.1, "y": 0.1}, "there is no point -1"),
        ({"i": True, "x": 0.1, "y": 0.1}, "not a point index"),
        ({"i": 3, "x": None, "y": 0.1}, "not a finite number"),  # the page's JSON turns NaN into null
        ({"i": 3, "x": math.nan, "y": 0.1}, "not a finite number"),
        ({"i": 3, "x": 0.1, "y": math.inf}, "not a finite number"),
        ({"i": 3, "x": 2 * MAX_ABS, "y": 0.1}, "out of range"),
        ({"i": 3, "x": "0.1", "y": 0.1}, "not a finite number"),
        ({"i": 3, "x": 0.1, "y": 0.1, "from": [9.0, 9.0]}, "no longer where the drag began"),
        ({"i": 3, "x": 0.1, "y": 0.1, "from": "here"}, "not a pair of coordinates"),
    ],
)
def test_a_bad_or_stale_move_is_refused_with_a_message_and_changes_nothing(event, says):
    s = blobs()
    got = move(s, **event)
    assert got.explorer is s.explorer and got.settings is s.settings
    assert got.ack == (1, 1)  # answered: the page stops sending it
    ((kind, text),) = got.messages
    assert kind == "error" and says.lower() in text.lower(), text


def test_a_test_point_cannot_be_moved():
    s = blobs(test="0.3")
    i = int(np.flatnonzero(s.explorer.test)[0])
    got = move(s, i, 0.0, 0.0)
    assert got.explorer is s.explorer
    assert "test point" in got.messages[0][1] and got.messages[0][0] == "error"


def test_a_move_stops_play_on_the_frame_it_moves_from():
    s = blobs().play().more_frames(12)
    moved = move(s, 1, 0.2, 0.2)
    assert not moved.playing and moved.buffer == ()
    np.testing.assert_array_equal(moved.explorer.X[1], [0.2, 0.2])
