"""The extra views' figures: valid Plotly, the arrays drawn as they are, contours across x_i (issue 11)."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from linclass.core.simplex import CORNERS
from linclass.session.landscape_simplex import landscape, simplex
from linclass.session.session import Session
from linclass.ui import figures, landscape_simplex_figures
from linclass.ui.landscape_simplex_figures import landscape_figure, log_levels, simplex_figure


def level_direction(x, y, z) -> np.ndarray:
    """The unit direction across which z changes most, from the grid alone: the leading eigenvector
    of the gradients' second-moment matrix (for z = phi(a . w) every gradient is parallel to a)."""
    gy, gx = np.gradient(np.asarray(z, dtype=float), np.asarray(y, dtype=float), np.asarray(x, dtype=float))
    G = np.array([[np.sum(gx * gx), np.sum(gx * gy)], [np.sum(gx * gy), np.sum(gy * gy)]])
    return np.linalg.eigh(G)[1][:, -1]


def angle(u, v) -> float:
    """Degrees between two lines (directions up to sign)."""
    c = abs(np.dot(u, v)) / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(min(1.0, c))))


def array(a, shape=None) -> np.ndarray:
    """An array as the browser receives it: a list, or Plotly's {dtype, bdata} typed array."""
    if isinstance(a, dict):
        a = np.frombuffer(base64.b64decode(a["bdata"]), dtype=a["dtype"])
    a = np.asarray(a, dtype=float)
    return a if shape is None else a.reshape(shape)


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


@pytest.fixture
def sample_frame():
    return Session.start({"n": "30", "lr": "0.5"}).step(3).frame


def drawn(frame, m):
    L = landscape(frame, m)
    ex = frame.explorer
    return L, landscape_figure(L.w1s, L.w2s, L.Z, L.w, L.step, L.path, L.x, figures.class_color(m), ex.names[m], "t")


def test_both_figures_pass_plotly_validation(sample_frame):
    ex = sample_frame.explorer
    S = simplex(sample_frame)
    figs = [
        drawn(sample_frame, 0)[1],
        simplex_figure(S.dots, S.labels, ex.names, S.classes, S.corners, S.regions, S.probs, S.trajectory, "#3"),
    ]
    for fig in figs:  # fmt: skip
        go.Figure(json.loads(fig.to_json()))  # raises on any unknown or invalid property
        assert fig.to_plotly_json()["layout"]["template"] == "none"


@pytest.mark.parametrize("m", [0, 1, 2])
def test_the_contours_of_a_single_sample_run_across_x_i(sample_frame, m):
    L, fig = drawn(sample_frame, m)
    c = json.loads(fig.to_json())["data"][0]  # what the browser gets
    assert c["type"] == "contour"
    x, y, z = array(c["x"]), array(c["y"]), array(c["z"], (100, 100))
    assert angle(level_direction(x, y, z), L.x) <= 1.0
    assert angle(level_direction(x, y, z), [-L.x[1], L.x[0]]) >= 89.0  # and not along it


def test_a_batch_landscape_is_not_one_direction():
    # The check above can fail: a full-batch loss has round contours, not lines across one x_i.
    frame = Session.start({"n": "30", "mode": "batch", "init": "random"}).step(2).frame
    L, _ = drawn(frame, 0)
    gy, gx = np.gradient(L.Z, L.w2s, L.w1s)
    G = np.array([[np.sum(gx * gx), np.sum(gx * gy)], [np.sum(gx * gy), np.sum(gy * gy)]])
    lo, hi = np.linalg.eigvalsh(G)
    assert lo > 1e-3 * hi


def test_the_landscape_draws_the_arrays_it_is_given(sample_frame):
    L, fig = drawn(sample_frame, 1)
    z, _, _ = log_levels(L.Z)
    c = fig.data[0]
    np.testing.assert_allclose(np.asarray(c.z, dtype=float), z, rtol=1e-6)
    np.testing.assert_array_equal(c.x, L.w1s)
    np.testing.assert_array_equal(c.y, L.w2s)
    shaft = trace(fig, "step −γ∇")
    np.testing.assert_allclose([shaft.x[0], shaft.y[0]], L.w, rtol=1e-5)
    s = landscape_simplex_figures.landscape_scale(
        L.w1s, L.w2s, L.step
    )  # a small step is drawn larger, said in the title
    np.testing.assert_allclose([shaft.x[1], shaft.y[1]], L.w + s * L.step, rtol=1e-5)
    head = trace(fig, "step −γ∇ (head)")
    d = L.step
    assert head.marker.angle == pytest.approx(np.degrees(np.arctan2(d[0], d[1])), abs=0.01)  # clockwise from up
    path = trace(fig, f"path of {sample_frame.explorer.names[1]}")
    np.testing.assert_array_equal(np.column_stack([path.x, path.y]), L.path)
    line = trace(fig, "direction of xᵢ")
    assert angle([line.x[1] - line.x[0], line.y[1] - line.y[0]], L.x) < 1e-3
    assert fig.layout.yaxis.scaleanchor == "x"  # one scale: right angles look right
    assert trace(fig, "path of B").line.color == figures.class_color(1)


def test_log_levels_keep_the_order_and_floor_zero():
    Z = np.array([[0.0, 1e-3], [1.0, 100.0]])
    z, ticks, labels = log_levels(Z)
    assert np.all(np.isfinite(z)) and z[0, 0] == z.min() and z[1, 1] == 2.0
    assert list(np.argsort(z, axis=None)) == list(np.argsort(Z, axis=None))
    assert labels[ticks.index(0.0)] == "1" and "100" in labels
    z0, _, _ = log_levels(np.zeros((2, 2)))  # an all-zero loss draws flat, not NaN
    assert np.all(z0 == 0)


def test_the_simplex_draws_every_dot_in_its_class_colour_and_names_as_text():
    s = Session.start({"n": "30", "init": "random"}).step(4)
    s = s.rename(1, "<b>B</b>")
    ex = s.explorer
    S = simplex(s.frame)
    fig = simplex_figure(S.dots, S.labels, ex.names, S.classes, S.corners, S.regions, S.probs, S.trajectory, "#1")
    for m in range(3):
        t = trace(fig, figures._text(ex.names[m]))
        np.testing.assert_allclose(np.column_stack([t.x, t.y]), S.dots[S.labels == m], atol=1e-6)
        assert t.marker.color == figures.class_color(m)
    assert any("&lt;b&gt;B&lt;/b&gt;" in a.text for a in fig.layout.annotations)
    assert not any("<b>" in (t.name or "") for t in fig.data)
    edge = trace(fig, "triangle")
    np.testing.assert_allclose(np.column_stack([edge.x, edge.y])[:3], CORNERS)
    np.testing.assert_allclose(np.column_stack([trace(fig, "#1").x, trace(fig, "#1").y]), S.trajectory)


def test_a_small_step_is_drawn_larger_and_says_so():
    # Found (review): at γ = 0.1 the step's arrow was about 5 px long, hidden under the row's dot.
    w1s = w2s = np.linspace(-1, 1, 5)
    Z = np.zeros((5, 5))
    fig = landscape_simplex_figures.landscape_figure(
        w1s, w2s, Z, np.zeros(2), np.array([-0.027, -0.033]), np.zeros((1, 2))
    )
    arrow = next(t for t in fig.data if t.name == "step −γ∇")
    assert "drawn ×" in fig.layout.annotations[0].text  # said in the plot's corner, clear of the legend
    xs = [v for v in arrow.x if v is not None]
    ys = [v for v in arrow.y if v is not None]
    assert max(np.hypot(np.array(xs), np.array(ys))) > 0.2  # a fifth of the half-width at least
    assert any(t.name.endswith("before the step") for t in fig.data)
