"""The session model with a loss choice, held-out test points and preset noise (issue 12)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linclass
from linclass.core import datasets, train
from linclass.session import settings as cfg
from linclass.session.explorer import Explorer
from linclass.session.frame import IDLE
from linclass.session.session import Session
from linclass.session.statefile import StateFileError, parse_state


def held_out(**query) -> Session:
    return Session.start({"preset": "blobs", "n": "30", "seed": "4", "test": "0.3", **query})


# ----- the link opens the scenario ------------------------------------------------------------------
def test_the_link_draws_noise_and_the_split_from_the_seed():
    s = held_out(noise="0.2", loss="hinge", delta="2")
    assert not s.messages
    X, y, _ = datasets.make("blobs", 30, 3, 4, noise=0.2)
    np.testing.assert_array_equal(s.explorer.X, X)
    np.testing.assert_array_equal(s.explorer.test, datasets.split(30, 0.3, 4, y))
    assert s.explorer.n_test == 9  # 30 % of each class of 10
    assert (s.explorer.objective, s.explorer.delta) == ("hinge", 2.0)
    again = Session.start(s.link_query())
    assert again.link_query() == s.link_query()
    np.testing.assert_array_equal(again.explorer.X, X)
    np.testing.assert_array_equal(again.explorer.test, s.explorer.test)
    other = held_out(noise="0.2", seed="5")
    assert not np.array_equal(other.explorer.X[:5], X[:5])  # another seed, other jitter


def test_noise_acts_when_the_preset_is_loaded():
    s = held_out()
    X0 = s.explorer.X
    s = s.set("noise", 0.1)
    np.testing.assert_array_equal(s.explorer.X, X0)  # like n and seed: on Load preset
    s = s.load_preset()
    np.testing.assert_array_equal(s.explorer.X, datasets.make("blobs", 30, 3, 4, noise=0.1)[0])
    assert s.explorer.n_test == 9


@pytest.mark.parametrize(("key", "value"), [("test", "0.25"), ("test", "0.9"), ("noise", "-1"), ("loss", "svm"),
                                            ("delta", "0")])  # fmt: skip
def test_a_bad_new_link_value_is_named(key, value):
    s = Session.start({key: value})
    assert f"{key}=" in " ".join(t for _, t in s.messages) and s.settings == cfg.Settings()


def test_the_settings_table_offers_the_cores_losses():
    assert cfg.BY_NAME["loss"].choices == train.LOSSES


# ----- the split -----------------------------------------------------------------------------------
def test_changing_the_fraction_draws_a_new_split_and_keeps_the_points():
    s = held_out().step(3)
    s2 = s.set("test", 0.5)
    np.testing.assert_array_equal(s2.explorer.X, s.explorer.X)
    np.testing.assert_array_equal(s2.explorer.test, datasets.split(30, 0.5, 4, s.explorer.y))
    assert s2.explorer.last is None and s2.frame.kind == "preview"  # the step shown may have used a test point
    assert s2.set("test", 0.0).explorer.n_test == 0


def test_point_edits_keep_the_mask_beside_its_points():
    ex = Explorer.from_preset("blobs", 12, 3, 1, test=0.5)
    mask = ex.test.copy()
    added = ex.add_point(0.1, 0.2, 1)
    np.testing.assert_array_equal(added.test, [*mask, False])  # a clicked point is a training point
    i = int(np.flatnonzero(mask)[0])
    erased = added.erase_point(i)
    np.testing.assert_array_equal(erased.test, np.delete([*mask, False], i))
    np.testing.assert_array_equal(erased.undo().test, added.test)
    np.testing.assert_array_equal(erased.undo().redo().test, erased.test)
    fewer = ex.with_classes(2)
    np.testing.assert_array_equal(fewer.test, mask[ex.y < 2])
    assert ex.clear().n_test == 0 and ex.clear().undo().n_test == ex.n_test
    with pytest.raises(ValueError, match="test mask"):
        Explorer(ex.X, ex.y, ex.names, ex.state, test=np.zeros(3, bool))


def test_the_state_is_measured_on_the_training_points():
    s = held_out(loss="hinge").step(5)
    ex = s.explorer
    W, b = ex.state.W, ex.state.b
    train_ = ~ex.test
    assert ex.state.loss == pytest.approx(linclass.evaluate(W, b, ex.X[train_], ex.y[train_], objective="hinge")[0])
    assert ex.test_measure() == pytest.approx(linclass.evaluate(W, b, ex.X[ex.test], ex.y[ex.test],
                                                                objective="hinge"))  # fmt: skip
    assert held_out(test="0").explorer.test_measure() is None


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 500), fraction=st.sampled_from(cfg.TESTS[1:]),
       mode=st.sampled_from(["sample", "minibatch", "batch"]), order=st.sampled_from(["cyclic", "shuffle"]),
       loss=st.sampled_from(["softmax", "hinge"]), select=st.integers(0, 29))  # fmt: skip
def test_test_points_never_enter_a_step_of_the_session(seed, fraction, mode, order, loss, select):
    s = Session.start({"n": "30", "seed": str(seed), "test": str(fraction), "mode": mode, "order": order,
                       "batch": "4", "loss": loss})  # fmt: skip
    if mode != "sample":
        s = s.select(select)  # in the batch modes the selection may be a test point: it is only looked at
    test = s.explorer.test
    for _ in range(12):
        assert not test[s.frame.indices].any()  # the preview too
        s = s.step()
        assert not test[s.frame.indices].any()


def test_a_selected_test_point_is_shown_but_never_stepped_on():
    s = held_out()
    i = int(np.flatnonzero(s.explorer.test)[0])
    s = s.select(i)  # single-sample mode: the order switches to "chosen by click"
    f = s.frame
    assert f.kind == IDLE and f.focus == i and "test point" in f.refused and "Select a training point" in f.refused
    with pytest.raises(train.HeldOutError, match=f"#{i} is a test point"):
        s.step()
    j = int(np.flatnonzero(~s.explorer.test)[0])
    assert list(s.select(j).step().frame.indices) == [j]


# ----- the loss -----------------------------------------------------------------------------------
def test_switching_the_loss_changes_the_step_and_what_is_measured():
    s = held_out().step(2)
    h = s.set("loss", "hinge")
    assert h.explorer.objective == "hinge" and h.frame.kind == "preview" and h.frame.record.objective == "hinge"
    ex = h.explorer
    train_ = ~ex.test
    assert ex.state.loss == pytest.approx(linclass.evaluate(ex.state.W, ex.state.b, ex.X[train_], ex.y[train_],
                                                            objective="hinge")[0])  # fmt: skip
    assert h.set("delta", 2.0).frame.record.delta == 2.0
    assert h.set("loss", "softmax").explorer.objective == "softmax"


# ----- the saved file ------------------------------------------------------------------------------
def test_the_state_file_keeps_the_split_and_the_loss():
    s = held_out(loss="hinge", delta="0.5", noise="0.1").step(3)
    back = Session.start().load_state(s.state_json().encode())
    np.testing.assert_array_equal(back.explorer.test, s.explorer.test)
    got = (back.settings.test, back.settings.noise, back.settings.loss, back.settings.delta)
    assert got == (0.3, 0.1, "hinge", 0.5)
    assert back.explorer.objective == "hinge" and back.explorer.delta == 0.5
    assert back.explorer.state.loss == pytest.approx(s.explorer.state.loss)


def test_a_file_without_test_points_has_no_test_key():
    doc = json.loads(held_out(test="0").state_json())
    assert "test" not in doc["points"]  # files of sessions without a split are as before


@pytest.mark.parametrize(("value", "words"), [([True], "3 entries"), ([1, 0, 0], "true/false"),
                                               ("yes", "true/false")])  # fmt: skip
def test_a_bad_test_mask_in_a_file_is_named(value, words):
    doc = json.loads(Explorer.from_preset("blobs", 3, 3).to_json())
    doc["points"]["test"] = value
    with pytest.raises(StateFileError, match=f"points.test.*{words}"):
        parse_state(json.dumps(doc))
    doc["points"]["test"] = None
    assert parse_state(json.dumps(doc)).test is None


def test_play_on_a_selected_test_point_stops_with_the_reason():
    s = held_out()
    s = s.select(int(np.flatnonzero(s.explorer.test)[0]))
    after = s.apply_events({"epoch": 1, "events": [{"id": 1, "kind": "play"}]})
    assert not after.playing and after.explorer.state.step == 0
    assert any("is a test point" in text for _, text in after.messages)


def test_an_uploaded_csv_is_split_by_the_fraction_in_force():
    rows = "\n".join(f"{x / 10},{x % 3 / 10},{x % 3}" for x in range(30))
    s = held_out().load_csv(f"x,y,label\n{rows}\n".encode())
    np.testing.assert_array_equal(s.explorer.test, datasets.split(30, 0.3, 4, s.explorer.y))
