"""Figures: valid Plotly, one palette, names as text, and geometry that matches the arrays."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linclass
from linclass.session.view import make_view
from linclass.ui import figures
from linclass.ui.words import update_note


def session_of(ex, **settings):
    from linclass.session.session import Session
    from linclass.session.settings import Settings

    return Session(ex, Settings(**settings))


@pytest.fixture
def ex():
    return linclass.Explorer.from_preset("blobs", 40, 4, seed=2).step(linclass.Optimizer(lr=0.5), 3)


def all_figures(ex, shading=False):
    frame = session_of(ex, lr=0.5).frame
    v = make_view(frame, shading=shading)
    plane, points = figures.plane_layers(ex.X, ex.y, v.polygons, v.bounds, ex.names, None, v.shading, ties=v.ties)
    bars = figures.probs_figure(v.p, int(ex.y[v.focus]), ex.names, v.p_before)
    arrows = figures.weights_figure(
        v.rows, v.update, ex.names, x=v.update_x, note=update_note(v.update, v.update_x, frame.record)
    )
    return dict(
        plane=plane, points=points, bars=bars, arrows=arrows, side=figures.stack(bars, arrows),
        marks=figures.marks_figure(ex.X, v.bounds, v.focus, v.selected, v.members),
        whole=figures.plane_figure(ex.X, ex.y, v.polygons, v.bounds, ex.names, v.focus, v.shading),
        curve=figures.curve_figure(*ex.state.curve()), focus=v.focus, view=v,
    )  # fmt: skip


@pytest.mark.parametrize("shading", [False, True])
def test_every_figure_passes_plotly_validation(ex, shading):
    # The figures skip validation for speed; building them again with validation on must pass.
    for name, fig in all_figures(ex, shading).items():
        if not isinstance(fig, go.Figure):
            continue
        go.Figure(json.loads(fig.to_json()))  # raises on any unknown or invalid property
        template = fig.to_plotly_json()["layout"]["template"]
        assert template == "none" or "layout" not in template, name  # not Plotly's default template


def test_bad_property_would_be_caught():
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "scatter", "markr": {}}]})


def test_one_palette_everywhere(ex):
    f = all_figures(ex)
    point_colors = [t.marker.color for t in f["points"].data]
    assert point_colors == list(figures.PALETTE[:4])
    assert list(f["bars"].data[1].marker.color) == list(figures.PALETTE[:4])  # the p bars
    region_lines = [t.line.color for t in f["plane"].data if t.name.startswith("region")]
    assert region_lines == [figures.class_color(m, 0.6) for m in range(4)]
    assert figures.class_color(0, 0.5) == "rgba(0,114,178,0.5)"


def test_points_are_where_the_data_is(ex):
    pts = all_figures(ex)["points"]
    for m, trace in enumerate(pts.data):
        np.testing.assert_allclose(np.c_[trace.x, trace.y], ex.X[ex.y == m], rtol=1e-6)


def test_regions_are_the_core_polygons(ex):
    f = all_figures(ex)
    v, plane = f["view"], f["plane"]
    regions = [t for t in plane.data if t.name.startswith("region")]
    for poly, t in zip(v.polygons, regions, strict=True):
        assert t.visible == bool(len(poly))
        if len(poly):
            np.testing.assert_allclose(np.c_[t.x, t.y][:-1], poly)


def test_layers_share_axes(ex):
    f = all_figures(ex)
    for ax in ("xaxis", "yaxis"):
        assert f["plane"].layout[ax].range == f["points"].layout[ax].range
        assert f["plane"].layout[ax].constrain == f["points"].layout[ax].constrain
    assert f["plane"].layout.margin == f["points"].layout.margin
    assert f["points"].layout.plot_bgcolor == "rgba(0,0,0,0)"


def test_current_sample_is_ringed_above_the_points_in_no_class_colour(ex):
    f = all_figures(ex)
    rings = [t for t in f["marks"].data if t.name == "current sample"]
    assert len(rings) == 2  # a white halo under a dark ring: visible on any region and any point
    for ring in rings:
        np.testing.assert_allclose([ring.x[0], ring.y[0]], ex.X[f["focus"]])
        assert ring.marker.color not in figures.PALETTE


def test_names_are_text_not_html():
    ex = linclass.Explorer.new(2, names=["<b>bold</b>", "<script>x</script>"]).add_point(0.1, 0.1, 0)
    f = all_figures(ex)
    text = json.dumps([f[k].to_plotly_json() for k in ("points", "bars", "arrows")], default=str)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<b>bold</b>" not in text


def test_probs_figure_bars_target_and_gap():
    p = np.array([0.2, 0.7, 0.1])
    fig = figures.probs_figure(p, 0, ["a", "b", "c"], p_before=np.array([0.3, 0.4, 0.3]))
    ghost, bars, gap, target, value = fig.data
    np.testing.assert_allclose(ghost.y, [0.3, 0.4, 0.3])
    # Found (issue 9): the true class's value sat inside the hatching; it now sits above the target line.
    assert bars.text[0] == "" and value.y[0] == 1.0 and "0.20" in value.text[0]
    np.testing.assert_allclose(bars.y, p)
    np.testing.assert_allclose(gap.customdata, p - [1, 0, 0])  # p - e_y, the gradient on the scores
    np.testing.assert_allclose(gap.base, [0.2, 0, 0])
    np.testing.assert_allclose(gap.y, [0.8, 0.7, 0.1])
    np.testing.assert_allclose(target.y, [1, 0, 0])


def test_weights_figure_arrows_point_along_the_update():
    W = np.array([[1.0, 0.0], [0.0, 2.0]])
    U = np.array([[0.0, 0.5], [-0.5, 0.0]])
    fig = figures.weights_figure(W, U, ["a", "b"], x=np.array([1.0, 1.0]))
    lines = [s for s in fig.layout.shapes if s.line.dash != "dot"]
    ends = [(s.x0, s.y0, s.x1, s.y1) for s in lines]
    assert ends == [(0, 0, 1, 0), (1, 0, 1, 0.5), (0, 0, 0, 2), (0, 2, -0.5, 2)]
    heads = fig.data[0]
    np.testing.assert_allclose(np.c_[heads.x, heads.y], [[1, 0], [1, 0.5], [0, 2], [-0.5, 2]])
    # marker.angle is clockwise from up: right = 90, up = 0, left = -90
    np.testing.assert_allclose(heads.marker.angle, [90, 0, 0, -90])
    mean = fig.data[-1]
    np.testing.assert_allclose([mean.x[0], mean.y[0]], W.mean(axis=0))
    np.testing.assert_allclose([mean.x[1], mean.y[1]], (W + U).mean(axis=0))


def test_stack_keeps_both_plots(ex):
    f = all_figures(ex)
    side = f["side"]
    assert len(side.data) == len(f["bars"].data) + len(f["arrows"].data)
    assert all(t.xaxis == "x2" for t in side.data[len(f["bars"].data) :])
    assert side.layout.yaxis2.scaleanchor == "x2"
    assert len(side.layout.shapes) == len(f["arrows"].layout.shapes)
    texts = [a.text for a in side.layout.annotations]
    assert texts[:2] == [f["bars"].layout.title.text, f["arrows"].layout.title.text]
    note = side.layout.annotations[2]
    assert note.text == f["arrows"].layout.annotations[0].text and note.yref == "y2 domain"
    assert note.text == "all updates ∥ xᵢ<br>Σ updates = 0: mean row (o) fixed"


def test_shading_is_one_byte_a_cell(ex):
    heat = [t for t in all_figures(ex, shading=True)["plane"].data if t.type == "heatmap"][0]
    assert np.asarray(heat.z).dtype == np.uint8


def test_small_updates_are_drawn_larger_and_the_title_says_by_how_much():
    # Found (issue 9): after ~100 steps at γ = 0.1 the update arrows were 1–4 px long.
    W = np.array([[2.0, 0.5], [-1.0, 1.5], [-1.0, -2.0]])
    U = np.array([[1e-3, 0.0], [-1e-3, 5e-4], [0.0, -5e-4]])
    assert figures.update_scale(W, U) == 500
    fig = figures.weights_figure(W, U, ["a", "b", "c"])
    assert "×500" in fig.layout.title.text
    ups = [s for s in fig.layout.shapes if s.line.width == 2.5]
    lengths = [np.hypot(s.x1 - s.x0, s.y1 - s.y0) for s in ups]
    r = fig.layout.xaxis.range[1]
    assert min(lengths) > 0.05 * r  # tens of pixels on a panel 2r wide, not one or two
    assert figures.update_scale(W, W) == 1  # a big update is drawn as it is


@pytest.mark.parametrize("K", [2, 3, 8])
def test_row_labels_never_pile_up_even_at_zero(K):
    # Found: at step 0 every row label sat at the origin.
    for W in (np.zeros((K, 2)), np.full((K, 2), 0.3), np.random.default_rng(K).normal(size=(K, 2))):
        fig = figures.weights_figure(W, np.zeros_like(W), [f"class {m}" for m in range(K)])
        labels = next(t for t in fig.data if t.name == "w_m")
        spots = np.c_[labels.x, labels.y]
        d = np.hypot(*(spots[:, None, :] - spots[None, :, :]).transpose(2, 0, 1)) + np.eye(K) * 9
        assert d.min() > 0.1 * fig.layout.xaxis.range[1], (W, spots)


def test_the_curve_has_titles_percent_ticks_the_l2_split_and_a_picture_at_step_0():
    # Found (issue 9): no axis titles, accuracy ticks at 0.441 and 0.881, an empty chart at step 0.
    fig = figures.curve_figure([0], [1.0986], [0.0])
    assert fig.layout.xaxis.title.text == "step" and fig.layout.yaxis.title.text == "loss"
    assert fig.layout.yaxis2.title.text == "accuracy" and list(fig.layout.yaxis2.tickvals) == [0, 25, 50, 75, 100]
    assert all("markers" in t.mode for t in fig.data) and fig.layout.xaxis.range[1] >= 1
    steps, loss, acc, l2 = np.arange(5), np.linspace(1, 0.5, 5), np.linspace(0.3, 0.9, 5), np.full(5, 0.1)
    fig = figures.curve_figure(steps, loss, acc, l2=l2)
    by = {t.name: t for t in fig.data}
    np.testing.assert_allclose(by["objective (data + L2)"].y, loss + l2)
    np.testing.assert_allclose(by["accuracy"].y, 100 * acc)


def test_cut_names_stay_apart_and_carry_the_class_number():
    # Found (review): eight 40-character names beginning alike all read "Cl…" on the bars.
    names = [f"Class number {m} with a long forty-character name"[:40] for m in range(8)]
    ticks = figures.bar_ticks(names, 0)
    assert len(set(ticks)) == 8 and ticks[3].startswith("4")
    assert figures.short_names(["setosa", "versicolor", "virginica"], 4) == ["set…", "ver…", "vir…"]


def test_confidence_shading_has_a_legend_and_lies_above_the_regions(ex):
    # Issue 9: shading that shows, with a legend; the veil is drawn after (above) the regions.
    f = all_figures(ex, shading=True)
    assert "max p" in f["points"].layout.annotations[0].text
    kinds = [t.type for t in f["plane"].data]
    assert kinds.index("heatmap") > max(i for i, k in enumerate(kinds) if k == "scatter" and
                                        f["plane"].data[i].name.startswith("region"))  # fmt: skip
    assert f["plane"].layout.margin.b == f["points"].layout.margin.b  # the layers keep one geometry


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda k: st.tuples(
            st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), min_size=k, max_size=k),
            st.sampled_from([1e-3, 0.05, 1.0, 7.5]),
            st.integers(1, 12),
        )
    )
)
def test_label_spots_lie_on_the_ring_apart_and_toward_their_tips(case):
    """The rows' names: on a ring of radius 0.8 r, no two closer than a name's width along it (or
    evenly round it when there is no room), and a lone row's name in the direction of its tip."""
    tips, r, chars = case
    tips = np.array(tips, dtype=float) * r
    tips[::3] = tips[0]  # rows at the same tip: ties in the sort
    spots = np.asarray(figures._label_spots(tips, tips, r, chars))
    K = len(tips)
    np.testing.assert_allclose(np.hypot(spots[:, 0], spots[:, 1]), 0.8 * r, rtol=1e-9)
    need = min((0.12 + 0.06 * chars) / 0.8, 2 * np.pi / K)  # the angle a name's width takes
    angles = np.sort(np.arctan2(spots[:, 1], spots[:, 0]))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    assert gaps.min() >= need - 1e-9 or np.allclose(gaps, 2 * np.pi / K)
    if K == 1 and np.hypot(*tips[0]) > 0.08 * r:
        assert np.arctan2(spots[0, 1], spots[0, 0]) == pytest.approx(np.arctan2(tips[0, 1], tips[0, 0]))


@pytest.mark.parametrize("last", [1, 5, 240])
def test_the_curve_keeps_its_legend_off_the_plot_and_its_steps_whole(last):
    # Issue 19, item 9: the legend hid the 100 % accuracy line (steps 52 to ~240 of the overfitting
    # link) and at step 1 the x ticks read "0 0 0 1 1 1".
    steps = np.arange(last + 1)
    fig = figures.curve_figure(steps, np.linspace(1, 0.1, last + 1), np.ones(last + 1), l2=np.zeros(last + 1))
    layout = fig.to_plotly_json()["layout"] if hasattr(fig, "to_plotly_json") else fig["layout"]
    assert layout["legend"]["y"] < 0 and layout["legend"]["yanchor"] == "top"  # below the plot area
    dtick = layout["xaxis"].get("dtick")
    assert (dtick == 1) if last <= 10 else (dtick is None)
