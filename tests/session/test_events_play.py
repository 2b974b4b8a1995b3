"""Play's chunk (``Session.more``) is the same as its frames stepped one by one with Step."""

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core.model import NonFiniteError, scores, softmax
from linclass.core.train import TrainState, evaluate
from linclass.session.events import PLAY_KEEP
from linclass.session.session import Session, safely
from linclass.session.view import _chunk_regions, _distinct_rows, make_view, tie_regions
from linclass.ui.words import status_line
from linclass.ui.words import update_note as _update_note
from tests.core.test_chunk import assert_same_record, assert_same_state, same
from tests.core.test_regions_same import assert_same_polygons


def more_one_by_one(self: Session, count: int):
    """The oracle: Play as it was, one ``Step`` of ``per_frame`` steps per frame."""
    if not self.playing:
        return self, []
    sess, frames = self, []
    for _ in range(count):
        nxt = sess.step(self.settings.per_frame)
        ok = nxt.explorer.state.step > sess.explorer.state.step
        if ok:
            frames.append((nxt.rev, nxt.frame))
        sess = replace(nxt, playing=ok, buffer=(*sess.buffer, (nxt.rev, nxt.explorer)))
        if not ok or nxt.messages:
            return replace(sess, playing=False, buffer=sess.buffer[-PLAY_KEEP * count :]), frames
    return replace(sess, buffer=sess.buffer[-PLAY_KEEP * count :]), frames


def assert_same_explorer(a, b):
    assert_same_state(a.state, b.state)
    assert_same_record(a.last, b.last)
    assert a.X is b.X or np.array_equal(a.X, b.X)
    assert (a.selected, a.objective, a.delta, a.names) == (b.selected, b.objective, b.delta, b.names)


def assert_same_frame(f, g):
    assert (f.kind, f.focus, f.by_click, f.refused, f.moment) == (g.kind, g.focus, g.by_click, g.refused, g.moment)
    assert_same_explorer(f.explorer, g.explorer)
    assert_same_record(f.record, g.record)
    assert same(f.p_shown, g.p_shown) and same(f.p_ghost, g.p_ghost)  # the bars and their ghosts


def assert_same_more(got, want):
    (sess, frames), (sess_ref, frames_ref) = got, want
    assert (sess.rev, sess.playing, sess.messages) == (sess_ref.rev, sess_ref.playing, sess_ref.messages)
    assert_same_explorer(sess.explorer, sess_ref.explorer)
    assert [r for r, _ in sess.buffer] == [r for r, _ in sess_ref.buffer]
    for (_, a), (_, b) in zip(sess.buffer, sess_ref.buffer, strict=True):
        assert_same_explorer(a, b)
    assert [r for r, _ in frames] == [r for r, _ in frames_ref]
    for (_, f), (_, g) in zip(frames, frames_ref, strict=True):
        assert_same_frame(f, g)
    assert_same_frame(sess.frame, sess_ref.frame)


@st.composite
def playing_sessions(draw):
    """A playing session: any mode, order, loss, bias, L2, held-out points, steps per frame, a
    selected sample (Play then steps on it), and weights that L2 blows up to overflow."""
    query = {
        "preset": draw(st.sampled_from(["blobs", "cs231n", "xor"])), "n": str(draw(st.integers(4, 40))),
        "k": str(draw(st.integers(2, 5))), "mode": draw(st.sampled_from(["sample", "minibatch", "batch"])),
        "order": draw(st.sampled_from(["cyclic", "shuffle"])), "batch": str(draw(st.integers(1, 9))),
        "lr": draw(st.sampled_from(["0.1", "1", "10"])), "reg": draw(st.sampled_from(["0", "0.01", "1"])),
        "loss": draw(st.sampled_from(["softmax", "hinge"])), "bias": draw(st.sampled_from(["0", "1"])),
        "test": draw(st.sampled_from(["0", "0.2", "0.5"])), "per_frame": str(draw(st.integers(1, 3))),
        "init": draw(st.sampled_from(["zeros", "random"])),
    }  # fmt: skip
    sess = Session.start(query)
    if draw(st.booleans()):  # Select a point: in single-sample mode Play then steps on it
        sess = sess.select(draw(st.integers(0, sess.explorer.n_points - 1)))
    if draw(st.booleans()):  # huge weights: with γ = 10 and λ = 1 each step multiplies them by -9, past MAX_WEIGHT
        sess = sess.set("lr", 10.0).set("reg", 1.0).edit_weights({0: {"w1": 1e98, "w2": -3e97}})
    sess = sess.play()
    if draw(st.booleans()):  # a chunk already played
        sess = safely(sess, lambda s: s.more(draw(st.integers(1, 5)))[0])
    return sess


def played(sess: Session, count: int) -> list:
    """The frames of a Play chunk (none when Play stops on a selected test point)."""
    try:
        return [f for _, f in sess.more(count)[1]]
    except ValueError:
        return []


@settings(max_examples=150, deadline=None)
@given(sess=playing_sessions(), count=st.integers(1, 12))
def test_a_play_chunk_is_its_frames_stepped_one_by_one(sess, count):
    try:
        want = more_one_by_one(sess, count)
    except ValueError as err:  # a selected test point: Play stops with the same error
        with pytest.raises(type(err), match=re.escape(str(err))):
            sess.more(count)
        return
    assert_same_more(sess.more(count), want)


def test_a_selected_test_point_stops_play_with_the_same_reason():
    sess = Session.start({"preset": "blobs", "n": "20", "test": "0.5"})
    held = int(np.flatnonzero(sess.explorer.test)[0])
    sess = sess.select(held).play()
    got = safely(sess, lambda s: s.more(6)[0])
    want = safely(sess, lambda s: more_one_by_one(s, 6)[0])
    assert got.messages == want.messages and "test point" in got.messages[0][1]


def test_play_stops_at_an_overflow_with_the_step_warning():
    sess = Session.start({"preset": "blobs", "n": "20", "lr": "10", "reg": "1"})
    sess = sess.edit_weights({0: {"w1": 1e98}}).play()
    got, want = sess.more(10), more_one_by_one(sess, 10)
    assert_same_more(got, want)
    assert not got[0].playing and "Step refused" in got[0].messages[0][1]
    assert 0 < len(got[1]) < 10


def test_play_keeps_the_points_arrays_so_the_points_layer_is_reused():
    # Each Play frame's explorer copied X, y and test again: the figures' points layer, keyed on
    # their identity, was rebuilt for every frame.
    sess = Session.start({"preset": "blobs", "n": "50"}).play()
    _, frames = sess.more(5)
    ex0 = sess.explorer
    assert all(f.explorer.X is ex0.X and f.explorer.y is ex0.y and f.explorer.test is ex0.test for _, f in frames)


@settings(max_examples=40, deadline=None)
@given(sess=playing_sessions(), count=st.integers(1, 6))
def test_a_frames_probabilities_are_the_ones_computed_from_its_weights(sess, count):
    # The bars reuse the p the step computed for its sample, and skip re-checking the weights:
    # the numbers are those of softmax(scores(...)) as the frame computed them before.
    for f in played(sess, count):
        r, X = f.record, f.explorer.X
        assert same(f.p_shown, softmax(scores(r.W_after, r.b_after, X[f.focus])))
        assert same(f.p_ghost, softmax(scores(r.W_before, r.b_before, X[f.focus])))
        assert same(f.probs_before, softmax(scores(r.W_before, r.b_before, X[f.indices])))
        assert same(f.probs_after, softmax(scores(r.W_after, r.b_after, X[f.indices])))


@settings(max_examples=60, deadline=None)
@given(sess=playing_sessions(), count=st.integers(1, 4))
def test_the_status_line_measures_the_test_points_as_evaluate_does(sess, count):
    for f in played(sess, count):
        ex = f.explorer
        if not ex.n_test:
            assert ex.test_measure() is None
            continue
        s = ex.state
        want = evaluate(s.W, s.b, ex.X[ex.test], ex.y[ex.test], objective=ex.objective, delta=ex.delta)
        assert ex.test_measure() == want  # the same floats


def test_a_test_measure_that_overflows_raises_as_evaluate_does():
    ex = Session.start({"preset": "blobs", "n": "20", "test": "0.5"}).explorer
    ex = replace(ex, state=TrainState(W=np.full((3, 2), 1.7e308), b=np.full(3, 1.7e308)))  # scores overflow
    s = ex.state
    with pytest.raises(NonFiniteError) as want:
        evaluate(s.W, s.b, ex.X[ex.test], ex.y[ex.test])
    with pytest.raises(NonFiniteError, match=re.escape(str(want.value))):
        ex.test_measure()


@settings(max_examples=40, deadline=None)
@given(sess=playing_sessions(), count=st.integers(1, 4))
def test_the_update_note_says_only_what_the_numbers_show(sess, count):
    # Each claim of the arrows' note checked on the update itself (the frozen copy of the old note is gone).
    for f in played(sess, count):
        r = f.record
        update = r.W_after - r.W_before
        for x in (None, f.explorer.X[f.indices[0]], np.zeros(2)):
            note = _update_note(update, x, r)
            scale = np.abs(update).max()
            if scale == 0:
                assert note.startswith("this step moves no row")
                continue
            cross = np.abs(update[:, 0] * (0 if x is None else x[1]) - update[:, 1] * (0 if x is None else x[0]))
            parallel = x is not None and np.hypot(*x) > 0 and cross.max() <= 1e-9 * scale * np.hypot(*x)
            assert ("∥ xᵢ" in note) == bool(parallel)
            assert ("Σ updates = 0" in note) == bool(np.all(np.abs(update.sum(axis=0)) <= 1e-9 * scale * len(update)))


def assert_same_geometry(a, b):
    assert (a is None) == (b is None)
    if a is None:
        return
    for when in ("before", "after"):
        lines, want = a[when], b[when]
        assert (lines is None) == (want is None)
        for got, exp in zip(lines or [], want or [], strict=True):
            assert (got is None) == (exp is None)
            if got is not None:
                assert same(got[0], exp[0]) and same(got[1], exp[1])


@settings(max_examples=40, deadline=None)
@given(sess=playing_sessions(), count=st.integers(1, 8), shading=st.booleans(), geometry=st.booleans())
def test_a_chunks_views_are_each_frames_own(sess, count, shading, geometry):
    # What a chunk computes for all its frames at once (regions, shading, lines) is what each
    # frame alone gives.
    for f in played(sess, count):
        view = make_view(f, math=False, shading=shading, geometry=geometry)
        alone = make_view(replace(f, chunk=None), math=False, shading=shading, geometry=geometry)
        assert_same_polygons(view.polygons, alone.polygons)
        assert_same_polygons(view.ties, alone.ties)
        assert view.bounds == alone.bounds and status_line(f, 0.0) == status_line(replace(f, chunk=None), 0.0)
        assert (view.shading is None) == (alone.shading is None)
        if shading:
            assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(view.shading, alone.shading, strict=True))
        assert_same_geometry(view.geometry, alone.geometry)


def test_a_chunk_with_classes_that_tie_leaves_them_to_tie_regions():
    # Two classes without points keep identical rows, frame after frame: tie_regions tells.
    points = [(1, 0, 0), (0, 1, 1), (-1, -1, 2), (2, 0, 0), (0, 2, 1), (-2, -1, 2)]
    csv = "x,y,label\n" + "".join(f"{x},{y},{m}\n" for x, y, m in points)
    sess = Session.start({"preset": "blobs", "k": "5"}).load_csv(csv.encode()).play()
    assert sess.explorer.n_classes == 5
    _, frames = sess.more(6)
    for _, f in frames:
        assert _chunk_regions(f.chunk)[f.index] is None  # the frame's regions are tie_regions'
        view = make_view(f, math=False)
        want = tie_regions(f.explorer.state.W, f.explorer.state.b, f.explorer.bounds())
        assert_same_polygons(view.polygons, want[0])
        assert_same_polygons(view.ties, want[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, -0.0, 1.0, -2.2, 2.2, 1e-13]),
                          st.sampled_from([0.0, -0.0, 1.0, -2.2, 2.2])), min_size=1, max_size=4))  # fmt: skip
def test_distinct_rows_are_np_unique(rows):
    pts = np.array(rows)
    got, want = _distinct_rows(pts), np.unique(pts, axis=0)
    assert len(got) == len(want)
    if len(want) >= 2:  # (a single row is no segment: which of two equal zeros is kept does not count)
        assert same(got, want) and np.array_equal(np.signbit(got), np.signbit(want))


def test_events_sent_again_keep_the_last_actions_message():
    # Found by tests/stress.sh: under load the page re-sent a Step it had not yet seen acknowledged;
    # applying nothing new cleared the "is a test point" refusal before the page could show it.
    sess = Session.start({"preset": "blobs", "n": "30", "test": "0.3"})
    held = int(np.flatnonzero(sess.explorer.test)[0])
    sess = sess.select(held)
    batch = {"epoch": 7, "events": [{"id": 1, "kind": "step", "n": 1}]}
    once = sess.apply_events(batch)
    assert once.messages and "test point" in once.messages[0][1]
    again = once.apply_events(batch)
    assert again.messages == once.messages and again.ack == once.ack


def test_the_presenter_press_asks_for_a_mode_so_a_press_applied_twice_stays_put():
    # Found by the review and by CI under load: after the toolbar's Presenter button, the next Step
    # turned presenter mode off. The view is built anew when presenter mode changes its layout, and a
    # press it sent again under its new epoch toggled the mode back. The press now says which mode.
    sess = Session.start({"preset": "blobs", "n": "30"})
    on = sess.apply_events({"epoch": 1, "events": [{"id": 1, "kind": "present", "on": True}]})
    assert on.settings.present
    again = on.apply_events({"epoch": 2, "events": [{"id": 1, "kind": "present", "on": True}]})  # a new view's epoch
    assert again.settings.present
    off = again.apply_events({"epoch": 2, "events": [{"id": 2, "kind": "present", "on": False}]})
    assert not off.settings.present
    bad = off.apply_events({"epoch": 2, "events": [{"id": 3, "kind": "present", "on": "yes"}]})
    assert not bad.settings.present and bad.messages


def test_a_view_built_anew_and_its_old_self_re_sending_apply_each_press_once():
    # Found by the second review: after the Presenter button (which builds the view anew, with a new
    # epoch), three Spaces made 4 to 9 steps: the old view re-sent its presses and each change of
    # epoch counted them afresh.
    sess = Session.start({"preset": "blobs", "n": "30"})
    old = {"epoch": 1, "events": [{"id": 1, "kind": "step", "n": 1}]}
    new = {"epoch": 2, "events": [{"id": 1, "kind": "step", "n": 1}, {"id": 2, "kind": "step", "n": 1}]}
    for value in (old, new, old, new, old):
        sess = sess.apply_events(value)
    assert sess.explorer.state.step == 3 and sess.ack == (1, 1)
    reloaded = sess.apply_events({"epoch": 3, "events": [{"id": 1, "kind": "step", "n": 1}]})  # a new page
    assert reloaded.explorer.state.step == 4
