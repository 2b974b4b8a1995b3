"""The built-in lesson ``softmax``: every scene is entered as PageDown enters it, and every number the
README and the scene's caption quote for it holds there. The README's links are the scenes' own."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import numpy as np
import pytest

from linclass.core.train import evaluate
from linclass.session.curves import curves
from linclass.session.landscape_simplex import default_row, landscape, simplex
from linclass.session.lesson import builtin
from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui.words import status_line

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
GUIDE = README[README.index("## Use it in a lecture") : README.index("## What the explorer says")]
LESSON = builtin()["softmax"]


def scene(k: int) -> Session:
    """Scene k as PageDown reaches it: from scene k - 1 (the first from the link)."""
    s = Session.start({"lesson": "softmax"})
    for _ in range(k - 1):
        s = s.to_scene("next")
    assert s.scene == k and not s.messages, s.messages
    return s


def quoted(k: int, *texts: str) -> None:
    """Each text is quoted by the README's guide and by the scene's caption."""
    for t in texts:
        assert t in " ".join(GUIDE.split()), t  # the README's lines break anywhere
        assert t in LESSON.scenes[k - 1].caption, (k, t)


def readme_link(fragment: str) -> dict:
    """The query of the README link whose text holds ``fragment``."""
    m = re.search(r"\[[^\]]*" + re.escape(fragment) + r"[^\]]*\]\((http://localhost:8501/\?[^)]+)\)", GUIDE)
    return dict(parse_qsl(urlparse(m.group(1)).query))


def test_the_lesson_is_the_readmes_scenarios_in_order():
    assert [s.title for s in LESSON.scenes] == [
        "The derivation on one sample",
        "Why every row moves along x_i: one row's loss landscape",
        "The same derivation with the SVM loss",
        "Softmax keeps pushing after every margin is met",
        "The SVM stops once every margin is met",
        "Overfitting: half the points held out",
        "What L2 buys",
        "Full batch: a bowl, and steps too long for it",
        "The simplex: training drives p to the corners",
        "With L2 the simplex stops short",
    ]
    assert "?lesson=softmax" in GUIDE


@pytest.mark.parametrize(
    ("k", "fragment"),
    [(3, "open one sample with the hinge"), (4, "nine points with full-batch softmax"),
     (5, "with the SVM loss"), (6, "half of them held out"), (7, "same with L2")],
)  # fmt: skip
def test_the_readmes_links_are_the_scenes_links(k, fragment):
    assert readme_link(fragment) == dict(LESSON.scenes[k - 1].link)


def test_the_first_scene_is_the_readmes_first_link():
    first = re.search(r"from it: `\?([^`]+)`", GUIDE).group(1)
    assert dict(parse_qsl(first)) == dict(LESSON.scenes[0].link)


def test_every_scene_opens_the_same_from_its_link_as_by_pagedown():
    for k in range(1, len(LESSON) + 1):
        walked, linked = scene(k), Session.start({"lesson": "softmax", "scene": str(k)})
        assert status_line(walked.frame, walked.settings.reg) == status_line(linked.frame, linked.settings.reg)
        np.testing.assert_array_equal(walked.explorer.state.W, linked.explorer.state.W)
        assert walked.settings == linked.settings and walked.scene_panel == linked.scene_panel
        assert linked.link_query() == {"lesson": "softmax", "scene": str(k)}


def test_scene_1_the_derivation():
    s = scene(1)
    assert s.settings.bias is False and s.explorer.selected == 4 and s.explorer.state.step == 1
    m = make_view(s.frame).math
    assert m.index == 4 and s.scene_panel == "The math"
    for row in s.frame.record.update:  # every row's change is a multiple of x_i
        assert abs(row[0] * m.x[1] - row[1] * m.x[0]) < 1e-12


def test_scene_2_one_samples_landscape_has_straight_contours_across_x_i():
    s = scene(2)
    L = landscape(s.frame, default_row(s.frame))
    assert L.x is not None and s.explorer.state.step == 13 and s.scene_panel == "Loss landscape"
    assert abs(L.step[0] * L.x[1] - L.step[1] * L.x[0]) < 1e-12  # the arrow runs along x_i
    # The loss is the same along the perpendicular of x_i: a function of w · x_i only.
    w1, w2 = np.meshgrid(L.w1s, L.w2s)
    t = np.round((w1 * L.x[0] + w2 * L.x[1]) * 1e6)
    for v in np.unique(t)[::97]:
        assert np.ptp(L.Z[t == v]) < 1e-6


def test_scene_3_the_svm_derivation():
    quoted(3, "both margins are violated (each is Δ = 1)", "+2γ x_i")
    s = scene(3)
    m = make_view(s.frame).math
    np.testing.assert_array_equal(np.delete(m.margins, m.y), [1.0, 1.0])
    np.testing.assert_allclose(s.frame.record.update[m.y], 2 * 0.1 * m.x)
    for row in np.delete(s.frame.record.update, m.y, axis=0):
        np.testing.assert_allclose(row, -0.1 * m.x)
    np.testing.assert_allclose(m.predicted_df, m.measured_df, atol=1e-12)


def test_scene_4_softmax_keeps_pushing():
    quoted(4, "reaches 0 at step 46", "0.25 at step 50, 0.05 at step 300")
    assert "Press ×100 three times" in GUIDE
    s = scene(4)
    ex = s.explorer
    assert ex.state.step == 300 and s.settings.compare
    snaps = [*ex.state.history, ex.state.snapshot()]
    hinge = [evaluate(sn.W, sn.b, ex.X, ex.y, objective="hinge")[0] for sn in snaps]
    first = next(k for k, v in enumerate(hinge) if v == 0)
    assert snaps[first].step == 46 and all(v == 0 for v in hinge[first:])
    c = curves(ex, compare=True)
    at = dict(zip(c.steps.tolist(), c.loss.tolist(), strict=True))
    assert round(at[50], 2) == 0.25 and round(at[300], 2) == 0.05
    assert np.all(np.diff([np.linalg.norm(sn.W) for sn in snaps[first:]]) > 0)  # the rows keep growing


def test_scene_5_the_svm_stops():
    quoted(5, "by step 50")
    s = scene(5)
    ex = s.explorer
    assert ex.state.step == 100 and "hinge loss" in status_line(s.frame, 0.0)
    at50 = next(sn for sn in ex.state.history if sn.step == 50)
    np.testing.assert_array_equal(at50.W, ex.state.W)  # no step moved anything after step 50
    assert ex.state.loss == 0.0


def test_scene_6_overfitting():
    quoted(6, "(0.09 at step 300)", "lowest at step 10 (0.72)", "1.86", "67 %", "53 %")
    s = scene(6)
    assert s.explorer.n_test == 15 and s.explorer.state.step == 300
    c = curves(s.explorer)
    assert c.accuracy[-1] == 1.0 and round(float(c.loss[-1]), 2) == 0.09
    best = int(np.argmin(c.test_loss))
    assert c.steps[best] == 10 and round(float(c.test_loss[best]), 2) == 0.72
    assert round(float(c.test_loss[-1]), 2) == 1.86
    assert round(100 * c.test_accuracy.max()) == 67 and round(100 * c.test_accuracy[-1]) == 53
    assert "training accuracy 100.0%" in status_line(s.frame, 0.0)


def test_scene_7_what_l2_buys():
    quoted(7, "stays at 93 %", "settles at 0.79", "rises to 73 %")
    s = scene(7)
    c = curves(s.explorer, reg=s.settings.reg)
    assert round(100 * c.accuracy[-1]) == 93
    assert round(float(c.test_loss[-1]), 2) == 0.79 and round(100 * c.test_accuracy[-1]) == 73


def test_scene_8_full_batch_steps_overshoot_the_bowl():
    quoted(8, "γ = 10 and λ = 0.1")
    s = scene(8)
    L = landscape(s.frame, default_row(s.frame))
    assert L.x is None and s.explorer.state.step == 8  # the whole objective, a bowl
    moves = [*np.diff(L.path, axis=0), L.step]
    assert all(np.dot(a, b) < 0 for a, b in zip(moves[:-1], moves[1:], strict=True))  # each jumps back across


@pytest.mark.parametrize(("k", "median"), [(9, "0.98"), (10, "0.58")])
def test_scenes_9_and_10_the_simplex(k, median):
    quoted(k, "200 full-batch steps with γ = 1", median)
    s = scene(k)
    S = simplex(s.frame)
    p_y = S.probs[np.arange(len(S.labels)), S.labels]
    assert s.explorer.state.step == 200 and f"{np.median(p_y):.2f}" == median
