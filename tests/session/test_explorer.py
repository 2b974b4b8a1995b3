"""The explorer's state changes as pure functions: clicks, undo/redo, classes, steps, save/load."""

import json

import numpy as np
import pytest

from linclass import Explorer, NonFiniteError, Optimizer, StateFileError


@pytest.fixture
def ex():
    return Explorer.new(3).add_point(0.5, 0.5, 0).add_point(-0.5, 0.2, 1).add_point(0.1, -0.7, 2)


def test_add_point_lands_at_coordinates(ex):
    assert ex.n_points == 3
    np.testing.assert_array_equal(ex.X[1], [-0.5, 0.2])
    assert list(ex.y) == [0, 1, 2]
    assert ex.state.loss == pytest.approx(np.log(3))  # zeros: every p_m = 1/3


@pytest.mark.parametrize(
    "x,msg", [(float("nan"), "not a finite"), (float("inf"), "not a finite"), (1e9, "out of range")]
)
def test_add_point_rejects_bad_coordinates(ex, x, msg):
    with pytest.raises(ValueError, match=msg):
        ex.add_point(x, 0.0, 0)
    with pytest.raises(ValueError, match="does not exist"):
        ex.add_point(0.0, 0.0, 3)


def test_nearest_uses_pixels_per_axis(ex):
    # x spans 0.01 data units per pixel, y 0.1: a click 0.05 right of a point is 5 px away
    assert ex.nearest(0.55, 0.5, 0.01, 0.1, radius_px=6) == 0
    assert ex.nearest(0.55, 0.5, 0.01, 0.1, radius_px=4) is None
    assert ex.nearest(0.5, 0.9, 0.01, 0.1, radius_px=6) == 0  # 0.4 in y is 4 px
    assert Explorer.new(2).nearest(0, 0, 0.01, 0.01) is None


def test_erase_keeps_selection_consistent(ex):
    ex = ex.select(2)
    e1 = ex.erase_point(0)
    assert e1.selected == 1 and list(e1.y) == [1, 2]
    e2 = ex.erase_point(2)
    assert e2.selected is None and e2.current == 0


def test_undo_redo(ex):
    e = ex.erase_point(1).add_point(0.9, 0.9, 2)
    assert e.n_points == 3
    u1 = e.undo()
    assert u1.n_points == 2
    u2 = u1.undo()
    np.testing.assert_array_equal(u2.X, ex.X)
    r = u2.redo().redo()
    np.testing.assert_array_equal(r.X, e.X)
    assert r.redo() is r  # nothing more to redo
    assert Explorer.new(2).undo().n_points == 0
    # a new edit clears the redo stack
    assert not u1.add_point(0, 0, 0).redo_stack


def test_clear_is_undoable(ex):
    c = ex.clear()
    assert c.n_points == 0 and c.state.loss is None and c.current is None
    assert c.undo().n_points == 3


def test_classes_grow_and_shrink(ex):
    e = ex.with_classes(5)
    assert e.names == ("A", "B", "C", "D", "E") and e.state.W.shape == (5, 2)
    s = ex.with_classes(2)
    assert s.n_points == 2 and list(s.y) == [0, 1] and s.state.W.shape == (2, 2)
    back = s.undo()
    assert back.n_points == 3 and back.state.W.shape == (3, 2)
    with pytest.raises(ValueError):
        ex.with_classes(9)


def test_rename_is_plain_text(ex):
    e = ex.renamed(0, "  <b>setosa</b>\n ")
    assert e.names[0] == "<b>setosa</b>"  # kept as text; the views escape it
    assert ex.renamed(1, "   ").names[1] == "B"


def test_step_modes(ex):
    opt = Optimizer(mode="sample", lr=0.5)
    e = ex.step(opt)
    assert e.state.step == 1 and e.last.focus == 0 and e.selected is None  # stepping never changes the selection
    e = ex.select(2).step_selected(opt, 3)
    assert e.state.step == 3 and list(e.last.indices) == [2]
    e = ex.select(1).step(Optimizer(mode="batch", lr=0.5), 10)
    assert e.state.step == 10 and e.last.focus == 1 and len(e.last.indices) == 3
    assert e.stepped_back().state.step == 9


def test_step_with_no_points():
    with pytest.raises(ValueError, match="no points"):
        Explorer.new(3).step(Optimizer())


def test_huge_learning_rate_refused_nothing_lost():
    e = Explorer.new(2).add_point(1e6, 1e6, 0).add_point(-1e6, 1e6, 1)
    with pytest.raises(NonFiniteError) as info:
        e.step(Optimizer(lr=1e300))
    kept = e.after_partial(info.value)
    assert kept is e and kept.state.step == 0


def test_one_class_is_refused_and_an_empty_class_trains():
    # Found (issue 9): one class was accepted, giving loss 0 and an empty arrow panel.
    with pytest.raises(ValueError, match="between 2 and 8 classes"):
        Explorer.new(1)
    with pytest.raises(ValueError, match="between 2 and 8 classes"):
        Explorer.new(3).with_classes(1)
    e3 = Explorer.new(3).add_point(1, 0, 0).add_point(-1, 0, 1)  # class 2 empty
    e3 = e3.step(Optimizer(mode="batch", lr=1.0), 20)
    assert e3.state.accuracy == 1.0 and list(e3.class_counts()) == [1, 1, 0]


def test_weights_edit_and_reset(ex):
    e = ex.with_weights([[1, 0], [0, 1], [0, 0]], [0, 0, 1])
    np.testing.assert_array_equal(e.state.b, [0, 0, 1])
    assert e.stepped_back().state.W.sum() == 0  # the edit is undoable
    with pytest.raises(ValueError, match="finite"):
        ex.with_weights([[np.nan, 0], [0, 1], [0, 0]])
    r = e.reset_weights(bias=False, init="random", seed=1)
    assert r.state.b is None and r.state.step == 0 and not r.state.history


def test_json_round_trip(ex):
    e = ex.select(1).step(Optimizer(mode="batch", lr=0.3), 4).renamed(2, "emu")
    text = e.to_json({"lr": 0.3, "mode": "batch"})
    e2, settings = Explorer.from_json(text.encode())
    np.testing.assert_array_equal(e2.X, e.X)
    np.testing.assert_array_equal(e2.y, e.y)
    np.testing.assert_array_equal(e2.state.W, e.state.W)
    np.testing.assert_array_equal(e2.state.b, e.state.b)
    assert e2.names == e.names and e2.selected == 1 and e2.state.step == 4
    assert settings == {"lr": 0.3, "mode": "batch"}
    assert e2.state.loss == pytest.approx(e.state.loss)


@pytest.mark.parametrize(
    "mutate,msg",
    [
        (lambda d: "{not json", "not valid JSON"),
        (lambda d: json.dumps([1, 2]), "not a linclass state"),
        (lambda d: json.dumps({**d, "version": 7}), '"version" must be 1 or 2'),
        (lambda d: json.dumps({**d, "names": []}), '"names"'),
        (lambda d: json.dumps({**d, "W": [[1, 2]]}), '"W" must have 3 entries'),
        (lambda d: json.dumps({**d, "b": [1]}), '"b" must have 3 entries'),
        (
            lambda d: json.dumps({**d, "points": {"x": [1], "y": [2], "label": [5]}}),
            "labels must be whole numbers",
        ),
        (lambda d: json.dumps({**d, "points": {"x": [1, 2], "y": [2], "label": [0]}}), 'as many as "points.x"'),
        (lambda d: json.dumps({**d, "points": {"x": [1e300], "y": [2], "label": [0]}}), "at most 1e\\+06"),
        (
            lambda d: json.dumps({**d, "points": {"x": ["a"], "y": [2], "label": [0]}}),
            '"points.x" must be a list of N numbers',
        ),
        (lambda d: json.dumps({**d, "W": [[1, "x"], [0, 0], [0, 0]]}), '"W" must be a list of K rows'),
    ],
)
def test_bad_state_files(ex, mutate, msg):
    doc = json.loads(ex.to_json())
    with pytest.raises(StateFileError, match=msg):
        Explorer.from_json(mutate(doc))


def test_state_json_never_executes_code(ex):
    # JSON only: a pickle payload is just "not valid JSON"
    import pickle

    with pytest.raises(StateFileError):
        Explorer.from_json(pickle.dumps(ex.X))


def test_bounds_cover_points_and_origin():
    assert Explorer.new(2).bounds() == (-1.2, 1.2, -1.2, 1.2)
    e = Explorer.new(2).add_point(5.0, -1.0, 0)
    x0, x1, y0, y1 = e.bounds()
    assert x0 < -5 < 5 < x1 and y0 < -5 < 5 < y1


def test_with_points_validates(ex):
    with pytest.raises(ValueError, match="needs 5 classes"):
        ex.with_points([[0, 0]], [4])
    e = ex.with_points([[0, 0], [1, 1]], [0, 3], names=["a", "b", "c", "d"])
    assert e.n_classes == 4 and e.state.W.shape == (4, 2)
    assert e.undo().n_classes == 3


def test_weight_table_edits(ex):
    e = ex.with_weight_edits({0: {"w1": 2.0}, 2: {"b": -1.0, "w2": 0.5}})
    np.testing.assert_array_equal(e.state.W, [[2, 0], [0, 0], [0, 0.5]])
    np.testing.assert_array_equal(e.state.b, [0, 0, -1])
    assert e.stepped_back().state.W.sum() == 0
    with pytest.raises(ValueError, match="row 1 \\(B\\), w2: nan is not a finite number"):
        ex.with_weight_edits({1: {"w2": float("nan")}})
    with pytest.raises(ValueError, match="not a finite number"):
        ex.with_weight_edits({1: {"w2": None}})
    with pytest.raises(ValueError, match="no column 'b'"):
        ex.reset_weights(bias=False).with_weight_edits({0: {"b": 1.0}})
