"""Feature transforms in the session (issue 21): the README's XOR and circles scenarios, features=x1,x2
giving exactly today's numbers, what a change of features does, and the round trip of features and
pair through the link, the saved file and a shared link."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import linclass
from linclass.core.features import feature_names, phi
from linclass.session.session import Session
from linclass.session.view import make_view


def accuracy_after(query: dict, presses: int) -> list[float]:
    """Training accuracy after each of ``presses`` presses of ×100."""
    s, out = Session.start(query), []
    for _ in range(presses):
        s = s.run(100)
        assert not s.messages
        out.append(s.explorer.state.accuracy)
    return out


# The README's scenario ("A linear classifier on the right features"): the exact links, steps and accuracy.
def test_xor_reaches_100_percent_with_x1x2_and_cannot_without_it():
    assert accuracy_after({"preset": "xor", "features": "x1,x2,x1x2", "mode": "batch", "lr": "3"}, 1) == [1.0]
    without = accuracy_after({"preset": "xor", "mode": "batch", "lr": "3"}, 5)
    assert without == [0.8] * 5  # 48 of 60 points at step 100, and still at step 500


def test_circles_reach_100_percent_with_the_squares_and_cannot_without_them():
    query = {"preset": "circles", "features": "x1,x2,x1sq,x2sq", "mode": "batch", "lr": "3"}
    assert accuracy_after(query, 1) == [1.0]
    without = accuracy_after({"preset": "circles", "mode": "batch", "lr": "3"}, 5)
    assert max(without) == pytest.approx(28 / 60)


@given(st.sampled_from(["blobs", "spiral", "cs231n", "moons"]), st.sampled_from(["sample", "minibatch", "batch"]),
       st.sampled_from(["softmax", "hinge"]), st.integers(1, 7))  # fmt: skip
def test_features_x1_x2_give_exactly_today_s_numbers(preset, mode, loss, steps):
    q = {"preset": preset, "mode": mode, "loss": loss, "n": "30", "init": "random"}
    a, b = Session.start(q).step(steps), Session.start({**q, "features": "x1,x2"}).step(steps)
    assert b.explorer.Phi is b.explorer.X
    np.testing.assert_array_equal(a.explorer.state.W, b.explorer.state.W)
    assert a.explorer.state.loss == b.explorer.state.loss
    va, vb = make_view(a.frame, shading=True), make_view(b.frame, shading=True)
    assert vb.model is None and all(np.array_equal(p, q) for p, q in zip(va.polygons, vb.polygons, strict=True))


def test_the_model_trains_on_phi_and_every_number_uses_it():
    s = Session.start({"preset": "xor", "features": "x1,x2,x1x2,sinx1", "mode": "batch", "lr": "1"}).step(5)
    ex = s.explorer
    P = phi(ex.X, ex.features)
    assert ex.state.W.shape == (2, 4)
    assert ex.state.loss == pytest.approx(linclass.evaluate(ex.state.W, ex.state.b, P, ex.y)[0], rel=1e-12)
    v = make_view(s.frame)
    assert v.polygons == [] and v.model is not None and v.model.W is ex.state.W and v.model.features == ex.features
    np.testing.assert_array_equal(v.math.phi, P[v.math.index])
    assert v.rows.shape == (2, 2) and v.pair == ("x1", "x2")


def test_changing_the_features_starts_the_weights_afresh_and_keeps_the_points():
    s = Session.start({"preset": "xor"}).click(0.5, 0.5, 0.01, 0.01).step(3)
    assert s.explorer.undo_stack and s.explorer.state.history
    t = s.set("features", "x1x2,x2")
    assert t.explorer.state.W.shape == (2, 2) and not np.any(t.explorer.state.W) and t.explorer.state.step == 0
    assert not t.explorer.state.history  # Step back starts here
    np.testing.assert_array_equal(t.explorer.X, s.explorer.X)
    assert t.undo().explorer.n_points == s.explorer.n_points - 1  # Undo still undoes the point
    assert t.undo().explorer.features == ("x2", "x1x2")
    assert t.settings.pair == "x2,x1x2"  # x1 is off: the arrows follow the model's first two features
    said = " ".join(text for _, text in t.messages)
    assert "W has 2 columns" in said and "start afresh" in said and "(x₂, x₁x₂)" in said


def test_turning_off_every_feature_is_refused_and_nothing_changes():
    s = Session.start({"preset": "xor", "features": "x1"})
    with pytest.raises(ValueError, match="at least one feature must be on"):
        s.set("features", "")


@pytest.mark.parametrize(
    "features,pair", [("x1,x2,x1x2", "x1x2,x2"), ("x1sq,x2sq,sinx1", "x2sq,sinx1"), ("x2", "x1,x2")]
)
def test_features_and_pair_round_trip_through_the_link_the_file_and_a_shared_link(features, pair):
    s = Session.start({"preset": "circles", "features": features, "pair": pair, "init": "random"}).step(4)
    assert s.explorer.features == feature_names(features)
    again = Session.start(s.link_query())
    assert (again.settings.features, again.settings.pair) == (features, pair)
    loaded = Session.start({}).load_state(s.state_json().encode())
    assert (loaded.settings.features, loaded.settings.pair) == (features, pair)
    assert loaded.explorer.features == s.explorer.features
    np.testing.assert_array_equal(loaded.explorer.state.W, s.explorer.state.W)
    shared = Session.start({"state": s.share_value()})
    assert shared.explorer.features == s.explorer.features and shared.settings.features == features
    assert shared.explorer.state.loss == s.explorer.state.loss


def test_a_saved_file_whose_w_does_not_fit_its_features_is_refused_naming_the_key():
    s = Session.start({"preset": "xor", "features": "x1,x2,x1x2"})
    text = s.state_json().replace('"features": "x1,x2,x1x2"', '"features": "x1,x2"')
    with pytest.raises(linclass.StateFileError, match='"W" must have 2 entries'):
        s.load_state(text.encode())
    with pytest.raises(linclass.StateFileError, match="settings.features"):
        s.load_state(s.state_json().replace('"x1,x2,x1x2"', '"x1,x9"').encode())


def test_every_frame_on_features_carries_its_own_model_and_play_s_frames_too():
    # The page paints the regions from the model (static/linclass-regions.js, checked against
    # region_grid in tests/js/regions.test.mjs): a still frame and each of Play's frames carry the
    # weights of their own moment, and the shading setting; the server computes no grid.
    s = Session.start({"preset": "xor", "n": "40", "features": "x1,x2,x1x2", "mode": "batch", "lr": "3"}).run(5)
    still = make_view(s.frame, shading=True).model
    assert still.shading and still.W is s.explorer.state.W and still.b is s.explorer.state.b
    s, frames = s.play().more(4)
    models = [make_view(f, math=False).model for _, f in frames]
    for (_, f), m in zip(frames, models, strict=True):
        np.testing.assert_array_equal(m.W, f.explorer.state.W)
        assert m.features == ("x1", "x2", "x1x2") and not m.shading
    assert len({m.W.tobytes() for m in models}) == len(frames)  # each frame its own weights: they move
