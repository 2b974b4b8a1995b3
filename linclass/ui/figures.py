"""Plotly views of the classifier: arrays in, ``go.Figure`` out, one class palette everywhere.

These functions compute nothing about the model; they draw what the core hands them
(region polygons, probabilities, weight rows and their updates, the loss curve).
Class names are passed to Plotly as plain text (``html.escape``d), never as markup.
"""

from __future__ import annotations

import functools
import html
import math

import numpy as np
import plotly.graph_objects as go

from linclass.core.losses import loss_named
from linclass.ui import words

__all__ = [
    "PALETTE",
    "class_color",
    "plane_figure",
    "plane_layers",
    "probs_figure",
    "margins_figure",
    "bars_figure",
    "with_test_points",
    "weights_figure",
    "curve_figure",
    "stack",
]

# Okabe & Ito's colour-blind-safe palette, ordered so the first classes differ most.
# The last two replace Okabe-Ito's yellow (faint on white) and black (the ring's colour).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D00", "#882255")
TIE_COLOR = "#9E9E9E"  # regions where classes tie: no class wins there
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13)


@functools.lru_cache(maxsize=512)
def class_color(m: int, alpha: float | None = None) -> str:
    """Class m's colour (the palette repeats after 8 classes), as rgba when ``alpha`` is given."""
    c = PALETTE[m % len(PALETTE)]
    if alpha is None:
        return c
    r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


class Fig(dict):
    """A Plotly figure as plain data, ``{"data": [traces], "layout": {...}}``: what the browser
    needs, cheap to build for every Play frame (no Plotly objects). ``fig.data``, ``fig.layout``,
    ``to_json()`` give a ``go.Figure`` view of it, built on first use, for tests and notebooks;
    ``go.Figure(fig)`` validates it."""

    @property
    def figure(self) -> go.Figure:
        f = self.get("_figure")
        if f is None:
            f = go.Figure({"data": self["data"], "layout": self["layout"]}, _validate=False)
            dict.__setitem__(self, "_figure", f)
        return f

    @property
    def data(self):
        return self.figure.data

    @property
    def layout(self):
        return self.figure.layout

    def to_json(self) -> str:
        return self.figure.to_json()

    def to_plotly_json(self) -> dict:
        return {"data": self["data"], "layout": self["layout"]}


def _figure(traces: list[dict], layout: dict) -> Fig:
    """A figure from plain dicts, without Plotly's per-property validation (a frame must cost
    little). The tests build every figure once more with validation on, so a misspelt property
    still fails there."""
    return Fig(data=traces, layout=layout)


def _r(v) -> float:
    """A coordinate rounded to 6 significant digits: exact enough on screen, half the bytes."""
    return float(f"{float(v):.6g}")


def _head_angle(dx: float, dy: float) -> float:
    """Plotly's marker.angle for an arrowhead along (dx, dy): degrees clockwise from "up" (the axes
    share one scale, so data and screen directions agree), to 0.01."""
    return round(math.degrees(math.atan2(dx, dy)), 2)


@functools.lru_cache(maxsize=1024)
def _text(name: str) -> str:
    return html.escape(str(name), quote=False)


def _base_layout(**kw) -> dict:
    layout = dict(
        margin=dict(l=40, r=10, t=30, b=30),
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        uirevision="keep",  # Plotly.react keeps the user's zoom between updates
        dragmode=False,
        template="none",  # the default template adds ~7 KB to every update
    )
    layout.update(kw)
    return layout


def plane_layers(X, y, polygons, bounds, names, current=None, shading=None, title=None, ties=(), points=True,
                 model=None):  # fmt: skip
    """The data plane as two figures with identical axes, meant to be stacked: (regions, points).

    ``regions`` holds what training changes every step, and no axes: the decision regions (``polygons[m]`` is
    class m's region, (n_m, 2)), the optional ``shading`` (xs, ys, pmax) drawn as a white veil
    where max p is low, and the ring around the current sample. ``points`` holds the points by
    class, with the axes and grid, on a transparent background. Stacked, Play redraws only the
    cheap lower layer. ``points=False``: (regions, None), for a caller that has the points layer.
    ``model`` (``linclass.session.view.RegionsModel``: a model on non-linear features) draws the
    regions from the model instead of polygons: the page paints them at screen resolution
    (``regions_trace``), the confidence shading in them when the model's ``shading`` is on.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    y = np.asarray(y)
    base = [] if model is None else [regions_trace(model, bounds, len(names))]
    shaded = shading is not None or (model is not None and model.shading)
    for m, poly in enumerate(polygons):
        closed = np.vstack([poly, poly[:1]]) if len(poly) else np.zeros((0, 2))
        base.append(
            dict(
                type="scatter",
                x=closed[:, 0], y=closed[:, 1], mode="lines", fill="toself", visible=bool(len(poly)),
                fillcolor=class_color(m, 0.22), line=dict(width=1, color=class_color(m, 0.6)),
                hoverinfo="skip", name=f"region {_text(names[m])}",
            )
        )  # fmt: skip
    for poly in ties:
        closed = np.vstack([poly, poly[:1]])
        base.append(dict(type="scatter", x=closed[:, 0], y=closed[:, 1], mode="lines", fill="toself",
                         fillcolor="rgba(158,158,158,0.35)", line=dict(width=1, color=TIE_COLOR),
                         hoverinfo="skip", name="tie"))  # fmt: skip
    if shading is not None:
        xs, ys, pmax = shading
        K = max(len(names), 2)
        # 1 where the model is certain, 0 where all classes tie; as uint8 it costs 1 byte a cell.
        conf = np.clip((np.asarray(pmax) - 1 / K) / (1 - 1 / K), 0, 1)
        veil = np.round((1 - conf) * 200).astype(np.uint8)
        base.append(
            dict(
                type="heatmap",
                x=xs, y=ys, z=veil, zmin=0, zmax=255, showscale=False, hoverinfo="skip",
                colorscale=[[0, "rgba(255,255,255,0)"], [1, "rgba(255,255,255,0.85)"]],
            )
        )  # fmt: skip
    if current is not None and 0 <= current < len(X):
        base.append(
            dict(
                type="scatter",
                x=[X[current, 0]], y=[X[current, 1]], mode="markers", name="current sample",
                marker=dict(symbol="circle-open", size=22, color="black", line=dict(width=3)),
                hoverinfo="skip",
            )
        )  # fmt: skip
    layout = _base_layout(
        xaxis=dict(range=[bounds[0], bounds[1]], constrain="domain", visible=False),
        yaxis=dict(range=[bounds[2], bounds[3]], scaleanchor="x", visible=False),
        hovermode=False,
    )
    if shaded:
        layout["margin"] = {**layout["margin"], "b": 48}  # as the points layer's, which has the veil's legend
    if not points:
        return _figure(base, layout), None
    return _figure(base, layout), _points_layer(X, y, bounds, names, title, shaded)


LEVELS = 16  # the confidence shading's steps in the regions the page paints from a model
REGION_ALPHA = 0.22  # a region's colour over the white plane, as the polygons' fill
VEIL = 200 / 255 * 0.85  # the shading's white veil where all classes tie (as ``plane_layers``'s heatmap)


@functools.lru_cache(maxsize=4)
def _palette() -> tuple[int, ...]:
    """The painted regions' colours, RGB flat: entry m * LEVELS + l is class m's region colour (m = 8:
    a tie, grey) on white under the veil of confidence level l (LEVELS - 1: sure, no veil)."""
    out = []
    for m in range(len(PALETTE) + 1):
        c = TIE_COLOR if m == len(PALETTE) else PALETTE[m]
        rgb = [int(c[i : i + 2], 16) for i in (1, 3, 5)]
        alpha = 0.35 if m == len(PALETTE) else REGION_ALPHA
        for level in range(LEVELS):
            veil = VEIL * (1 - level / (LEVELS - 1))
            out += [round(255 - (1 - veil) * alpha * (255 - v)) for v in rgb]
    return tuple(out)


def regions_trace(model, bounds, K: int) -> dict:
    """The decision regions of a model on non-linear features (``linclass.session.view.RegionsModel``)
    as the trace the page paints them from: the model itself (W, b, the features, the view's bounds,
    K, the shading on or off) and the colours (``_palette``, LEVELS), in an image trace's ``meta``
    (static/linclass-regions.js; protocol.schema.json's "regions"). The page evaluates the model at
    each pixel of the plane: the winning class's colour, veiled by the confidence level with the
    shading; a tie (or a score that overflows) grey. W and b are sent exactly (not rounded)."""
    meta = {"W": np.asarray(model.W, dtype=float).tolist(),
            "b": None if model.b is None else np.asarray(model.b, dtype=float).tolist(),
            "features": list(model.features), "bounds": [float(v) for v in bounds], "K": int(K),
            "shading": bool(model.shading), "levels": LEVELS, "palette": list(_palette())}  # fmt: skip
    return dict(type="image", name="regions", hoverinfo="skip", meta=meta)


def _points_layer(X, y, bounds, names, title, legend: bool):
    """The points by class, with the axes and grid (``plane_layers``'s upper layer)."""
    points = []
    for m in range(len(names)):
        pts = X[y == m].astype(np.float32)  # display precision; halves the bytes sent
        points.append(
            dict(
                type="scatter",
                x=pts[:, 0], y=pts[:, 1], mode="markers", name=_text(names[m]),
                marker=dict(color=class_color(m), size=9, line=dict(color="white", width=1.2)),
                hovertemplate=f"{_text(names[m])}<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
            )
        )  # fmt: skip
    x0, x1, y0, y1 = bounds
    # The lower layer has no axes at all (redrawing ticks and grid is most of Plotly's cost per
    # frame); this one draws them once, over the regions, under the points.
    grid = dict(zeroline=True, zerolinecolor="#bbb", gridcolor="rgba(0,0,0,0.07)", showline=False)
    top = _base_layout(
        xaxis=dict(range=[x0, x1], constrain="domain", **grid),
        yaxis=dict(range=[y0, y1], scaleanchor="x", **grid),
        title=dict(text=title, x=0.01, font=dict(size=14)) if title else None,
        hovermode="closest",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    if legend:  # the shading veil's legend, under the plane
        top["annotations"] = [dict(
            text="shading: clear where the model is sure (max p → 1), white where max p = 1/K",
            x=0, y=0, xref="paper", yref="paper", yshift=-30, xanchor="left", yanchor="top", showarrow=False,
            font=dict(size=12, color="#333"))]  # fmt: skip
        top["margin"] = {**top["margin"], "b": 48}
    return _figure(points, top)


def plane_figure(X, y, polygons, bounds, names, current=None, shading=None, title=None) -> go.Figure:
    """The data plane in one figure: decision regions, points by class, the current sample ringed.

    Arguments as for ``plane_layers``; this is its two layers drawn in one figure.
    """
    regions, points = plane_layers(X, y, polygons, bounds, names, current, shading, title)
    ring = [t for t in regions.data if t.name == "current sample"]
    rest = [t for t in regions.data if t.name != "current sample"]
    fig = go.Figure([*rest, *points.data, *ring], points.layout, _validate=False)
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return fig


def probs_figure(p, y_true, names, p_before=None, title="p for the current sample") -> go.Figure:
    """One bar per class for p, the one-hot target e_y drawn over them, the gap p - e_y hatched,
    and the bars from before the last step as ghosts."""
    p = np.asarray(p, dtype=float)
    K = len(p)
    labels = [_text(n) for n in names]
    e = np.zeros(K)
    if y_true is not None:
        e[y_true] = 1.0
    colors = [class_color(m) for m in range(K)]
    traces = []
    if p_before is not None:
        traces.append(
            dict(
                type="bar",
                x=labels, y=p_before, name="before the step", marker=dict(color="rgba(0,0,0,0)",
                line=dict(color="#888", width=1.5)), width=0.8, hovertemplate="before: %{y:.3f}<extra></extra>",
            )
        )  # fmt: skip
    traces.append(
        dict(
                type="bar",
            x=labels, y=p, name="p", marker=dict(color=colors), width=0.55,
            text=["" if m == y_true else f"{v:.2f}" for m, v in enumerate(p)], textposition="outside",
            cliponaxis=False, textfont=dict(size=12), constraintext="none",  # Plotly shrank them to fit a bar
            hovertemplate="p = %{y:.4f}<extra></extra>",
        )
    )  # fmt: skip
    if y_true is not None:
        gap = p - e
        traces.append(
            dict(
                type="bar",
                x=labels, y=np.abs(gap), base=np.minimum(p, e), name="p − e_y", width=0.55,
                marker=dict(color="rgba(213,94,0,0.12)", line=dict(color="#D55E00", width=1),
                            pattern=dict(shape="/", fgcolor="#D55E00", size=6)),
                customdata=gap, hovertemplate="p − e_y = %{customdata:+.4f}<extra></extra>",
            )
        )  # fmt: skip
        traces.append(
            dict(
                type="scatter",
                x=labels, y=e, mode="markers", name="target e_y",
                marker=dict(symbol="line-ew", size=34, line=dict(width=3, color="#222")),
                hovertemplate="e_y = %{y:.0f}<extra></extra>",
            )
        )  # fmt: skip
        # The true class's value above its target line: on its bar it would sit in the hatching.
        traces.append(dict(type="scatter", x=[labels[y_true]], y=[1.0], mode="text", name="p_y",
                           text=[f"<b>{p[y_true]:.2f}</b>"], textposition="top center", textfont=dict(size=12),
                           hoverinfo="skip", cliponaxis=False))  # fmt: skip
    ticks = bar_ticks(names, y_true)
    layout = _base_layout(
        barmode="overlay",
        yaxis=dict(range=[0, 1.15], dtick=0.25, gridcolor="#eee", fixedrange=True),
        xaxis=dict(tickvals=labels, ticktext=ticks, fixedrange=True, type="category", range=[-0.5, K - 0.5]),
        title=dict(text=title, x=0.01, font=dict(size=14)),
        margin=dict(l=40, r=10, t=34, b=30),
    )
    return _figure(traces, layout)


NICE = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000, 1_000_000)


def update_scale(W, U, share: float = 0.16) -> int:
    """The factor that draws the updates at least ``share`` of the rows' length (about 20 px on
    the panel), from 1, 2, 5, 10, ...: late in training an update is a thousandth of its row."""
    u = float(np.abs(U).max()) if U is not None and np.size(U) else 0.0
    w = float(np.abs(W).max())
    if u == 0 or u >= share * w:
        return 1
    return next((s for s in NICE if s * u >= share * w), NICE[-1])


def _label_spots(W, tips, r: float, chars: int = 3) -> np.ndarray:
    """Where each row's name goes: on a ring near the panel's edge, in the direction of its arrow's
    tip (for a row near 0: its class's place on the ring), the names spread along the ring until
    no two are closer than a name's width. Sure to leave no overlap, unlike labels at the tips.
    Plain floats: on K <= 8 rows NumPy's calls cost more than the arithmetic (a Play frame draws it)."""
    K = len(W)
    tau = 2 * math.pi
    angle = [math.atan2(ty, tx) if math.hypot(tx, ty) > 0.08 * r else tau * m / K + 0.4
             for m, (tx, ty) in enumerate(np.asarray(tips, dtype=float).tolist())]  # fmt: skip
    radius = 0.8 * r
    need = min((0.12 + 0.06 * chars) * r / radius, tau / K)  # the angle a name's width takes
    order = sorted(range(K), key=angle.__getitem__)
    a = [angle[i] for i in order]
    gaps = [a[i + 1] - a[i] for i in range(K - 1)] + [a[0] + tau - a[-1]]
    start = gaps.index(max(gaps)) + 1  # sweep from after the widest gap
    order, a = order[start:] + order[:start], a[start:] + a[:start]
    a = [v + tau if v < a[0] else v for v in a]
    for i in range(1, K):  # each name at least a name's width past the one before it
        a[i] = max(a[i], a[i - 1] + need)
    if a[-1] > a[0] + tau - need:  # no room left over: evenly round the ring
        a = [a[0] + tau * i / K for i in range(K)]
    out = [0.0] * K
    for i, v in zip(order, a, strict=True):
        out[i] = v
    return np.array([[radius * math.cos(v), radius * math.sin(v)] for v in out])


def margins_figure(margins, y_true, names, before=None, title="margins of the current sample",
                   own_margin: bool = False) -> go.Figure:  # fmt: skip
    """The hinge loss's bars: one bar per class m != y for its margin f_m - f_y + delta against
    zero (above zero: violated, it adds that much to L_i and pulls on w_m; below: met), solid
    when violated and faint when met, and the bars from before the last step as ghosts."""
    margins = np.asarray(margins, dtype=float)
    K = len(margins)
    labels = [_text(n) for n in names]
    others = [m for m in range(K) if m != y_true or own_margin]  # one-vs-all: the true class has a margin too
    x = [labels[m] for m in others]
    traces = []
    if before is not None:
        traces.append(dict(type="bar", x=x, y=np.asarray(before, dtype=float)[others], name="before the step",
                           width=0.8, marker=dict(color="rgba(0,0,0,0)", line=dict(color="#888", width=1.5)),
                           hovertemplate="before: %{y:.3f}<extra></extra>"))  # fmt: skip
    vals = margins[others]
    traces.append(dict(
        type="bar", x=x, y=vals, name="f_m − f_y + Δ", width=0.55, cliponaxis=False, textposition="outside",
        constraintext="none", textfont=dict(size=12),  # Plotly shrank them to fit a bar, to 7 px
        marker=dict(color=[class_color(m, 1.0 if margins[m] > 0 else 0.3) for m in others],
                    line=dict(color=[class_color(m) for m in others], width=1.5)),
        text=[_margin_label(v, K) for v in vals],
        hovertemplate="f_m − f_y + Δ = %{y:.4f}<extra></extra>",
    ))  # fmt: skip
    if y_true is not None and not own_margin:  # no margin of its own: an invisible mark keeps its place (★)
        traces.append(dict(type="scatter", x=[labels[y_true]], y=[0], mode="markers", name="true class",
                           marker=dict(size=1, color="rgba(0,0,0,0)"), hoverinfo="skip"))  # fmt: skip
    shown = np.concatenate([vals, [] if before is None else np.asarray(before, dtype=float)[others], [0.0]])
    return _figure(traces, _margins_layout(shown, labels, y_true, title))


def _margins_layout(shown, labels, y_true, title: str) -> dict:
    """The margins' axes: zero drawn bold, room for the labels above and below, the true class starred."""
    lo, hi = float(min(shown.min(), -1.0)), float(max(shown.max(), 1.0))
    pad = 0.18 * (hi - lo)
    ticks = [f"<b>{lab} ★</b>" if m == y_true else lab for m, lab in enumerate(labels)]
    return _base_layout(
        barmode="overlay",
        yaxis=dict(range=[lo - pad, hi + pad], gridcolor="#eee", fixedrange=True, zeroline=True,
                   zerolinecolor="#222", zerolinewidth=2),
        xaxis=dict(tickvals=labels, ticktext=ticks, categoryarray=labels, categoryorder="array", fixedrange=True,
                   type="category", range=[-0.5, len(labels) - 0.5]),
        title=dict(text=title, x=0.01, font=dict(size=14)),
        margin=dict(l=40, r=10, t=34, b=30),
    )  # fmt: skip


def _margin_label(v: float, K: int) -> str:
    """A margin's label: ✗ violated (it adds to the loss), ✓ met; shorter with more classes, so
    that the labels of neighbouring bars never meet."""
    mark = "✗" if v > 0 else "✓"
    return f"{v:.2f} {mark}" if K <= 5 else f"{v:.1f}{mark}"


def bars_figure(frame, v) -> go.Figure:
    """The bars of a frame: p against e_y with the softmax loss, the margins with the hinge loss."""
    ex = frame.explorer
    y_true = None if v.focus is None else int(ex.y[v.focus])
    which = "after the step" if frame.kind == "taken" else "now"
    if v.margins is not None:
        title = f"margins of #{v.focus} {which}, L_i = {v.loss_i:.3g}"
        return margins_figure(v.margins, y_true, ex.names, v.margins_before, title=title,
                              own_margin=loss_named(v.objective).TRUE_CLASS_MARGIN)  # fmt: skip
    p = v.p if v.p is not None else np.full(ex.n_classes, 1 / ex.n_classes)
    title = f"p of sample #{v.focus} {which}" if v.focus is not None else "p (no points)"
    return probs_figure(p, y_true, ex.names, v.p_before, title=title)


def with_test_points(points: go.Figure, X, y, test) -> go.Figure:
    """The points layer with the held-out test points drawn hollow (white inside, ringed in their
    class's colour), over their filled markers."""
    test = np.asarray(test, dtype=bool)
    if not test.any():
        return points
    pts = np.asarray(X, dtype=float)[test].astype(np.float32)
    colors = [class_color(int(m)) for m in np.asarray(y)[test]]
    hollow = dict(type="scatter", x=pts[:, 0], y=pts[:, 1], mode="markers", name="test points",
                  marker=dict(color="white", size=8, line=dict(color=colors, width=2.2)),
                  hovertemplate="test point (held out)<br>(%{x:.3f}, %{y:.3f})<extra></extra>")  # fmt: skip
    plain = _plain_figure(points)
    return _figure([*plain["data"], hollow], plain["layout"])


def weights_figure(
    W, update, names, x=None, title="weight rows w_m and their update", note="", after=None, member_updates=None
) -> go.Figure:
    """Each row w_m as an arrow from the origin; from its tip, the step's update as a second arrow,
    drawn ×s (``update_scale``) when it would be too short to see, and the title says so.

    ``update`` is (K, 2), -lr * grad (None hides the update arrows). ``x`` (the single sample,
    if any) is drawn as a faint line through the origin: single-sample updates are parallel to it.
    The mean of the rows is marked before (o) and after (x) the update; ``note`` is text (one
    line a fact) under the plot. Names sit past the arrow tips, never on top of each other.
    """
    W = np.asarray(W, dtype=float)
    U = np.zeros_like(W) if update is None else np.asarray(update, dtype=float)
    s = update_scale(W, U)
    tips = W + s * U
    Wl, Tl = W.tolist(), tips.tolist()  # plain floats: NumPy costs more than it saves on K rows
    reach = max(0.0, *(abs(v) for row in (*Wl, *Tl) for v in row))
    r = _r(max(reach * 1.45, 1e-3))  # zoom to the arrows, however small, with room for the names
    shapes, heads = _arrow_shapes(Wl, U.tolist(), Tl, update is not None, r)
    if x is not None and np.hypot(*x) > 0:
        d = np.asarray(x, dtype=float) / np.hypot(*x) * r * 1.5
        shapes.insert(0, dict(type="line", x0=_r(-d[0]), y0=_r(-d[1]), x1=_r(d[0]), y1=_r(d[1]), layer="below",
                              name="x_i", line=dict(color="#999", width=1, dash="dot")))  # fmt: skip
    members = []
    if member_updates is not None and update is not None:
        members = _member_traces(W, np.asarray(member_updates), s)
    shown_after = W + U if after is None else np.asarray(after, dtype=float)
    traces = [*members, *_weights_traces(W, Wl, Tl, tips, shown_after, heads, names, r)]
    return _figure(traces, _weights_layout(f"{title}, drawn ×{s:,}" if s > 1 else title, r, shapes, note))


def _arrow_shapes(Wl, Ul, Tl, with_update: bool, r: float):
    """The rows' and the updates' shafts (layout shapes) and their heads (one marker trace turned
    along each shaft): far cheaper for Plotly to redraw every frame than annotations or a trace per
    arrow. Returns (shapes, heads: (points, colours, angles, sizes)). Every row has its update's
    shape and head ("update m"), hidden where the update is too short to draw: a dragged point's
    preview (static/linclass-drag.js) moves them without making any."""
    shapes, pts, colors, angles, sizes = [], [], [], [], []
    for m in range(len(Wl)):
        moves = [((0.0, 0.0), Wl[m], class_color(m), 3, 13, True)]
        if with_update:
            moves.append((Wl[m], Tl[m], class_color(m, 0.75), 2.5, 12, math.hypot(*Ul[m]) > 1e-12 * r))
        for j, (start, end, color, width, size, shown) in enumerate(moves):
            shapes.append(dict(type="line", x0=_r(start[0]), y0=_r(start[1]), x1=_r(end[0]), y1=_r(end[1]),
                               line=dict(color=color, width=width)))  # fmt: skip
            if j == 0:  # the row itself: its tip can be dragged to set w_m (the component reports it)
                shapes[-1].update(name=f"row {m}", editable=True)
            else:
                shapes[-1].update(name=f"update {m}", **({} if shown else {"visible": False}))
            dx, dy = end[0] - start[0], end[1] - start[1]
            pts.append(end)
            colors.append(color if shown else "rgba(0,0,0,0)")
            angles.append(_head_angle(dx, dy))
            sizes.append(size if j or math.hypot(dx, dy) > 0 else 0)
    return shapes, (np.array(pts).reshape(-1, 2), colors, angles, sizes)


def _member_traces(W, member_updates, s: float) -> list[dict]:
    """Each batch member's part of the update, faint, at the mean's scale (the bold arrow is their
    mean): a line trace a row ("members m") from the row's tip to each member's end and back, [tip,
    end 0, tip, end 1, ..., tip], the same segments as one shape each drew (float32 where it holds
    them: display precision, sent as a typed array). 40 members of 5 classes were 200 shapes, most of what a Play
    frame of a full batch cost the server (encoding and diffing them) and of its bytes."""
    out = []
    n = len(member_updates)
    for m in range(len(W)):
        path = np.empty((2 * n + 1, 2))
        path[0::2] = W[m]
        path[1::2] = W[m] + s * n * member_updates[:, m, :]
        path = _display_precision(path)
        out.append(dict(type="scatter", x=path[:, 0], y=path[:, 1], mode="lines", name=f"members {m}",
                        hoverinfo="skip", line=dict(color=class_color(m, 0.25), width=1)))  # fmt: skip
    return out


def _display_precision(a: np.ndarray) -> np.ndarray:
    """``a`` as float32 (half the bytes; the screen shows no more) where float32 holds it: weights can
    reach 1e100 before a step is refused, and float32 ends at 3.4e38 (the review: a diverging full
    batch turned the members' paths into infinities, which the page cannot be sent)."""
    return a.astype(np.float32) if np.abs(a).max(initial=0.0) < 1e38 else a


def _weights_traces(W, Wl, Tl, tips, shown_after, heads, names, r: float) -> list[dict]:
    """The arrow heads, the rows' names (on a ring, never on top of each other) and the rows' mean."""
    K = len(W)
    pts, colors, angles, sizes = heads
    labels = short_names(names, max(2, 24 // K))  # short: eight names must fit around the arrows
    spots = _label_spots(W, tips, r, max(len(n) for n in labels))
    mean0, mean1 = ([sum(col) / K for col in zip(*rows, strict=True)] for rows in (Wl, Tl))
    return [
        dict(type="scatter", x=pts[:, 0], y=pts[:, 1], mode="markers", hoverinfo="skip", name="arrow heads",
             marker=dict(symbol="arrow", angle=angles, size=sizes, color=colors)),
        dict(type="scatter", x=spots[:, 0], y=spots[:, 1], mode="text", text=labels, textposition="middle center",
             textfont=dict(color=[class_color(m) for m in range(K)], size=13), name="w_m",
             customdata=np.column_stack([W, shown_after]),
             hovertemplate="w before = (%{customdata[0]:.4g}, %{customdata[1]:.4g})<br>w after = "
                           "(%{customdata[2]:.4g}, %{customdata[3]:.4g})<extra></extra>"),
        dict(type="scatter", x=[mean0[0], mean1[0]], y=[mean0[1], mean1[1]], mode="markers", name="mean of rows",
             marker=dict(symbol=["circle-open", "x-thin"], size=[12, 10], color="#333", line=dict(width=2)),
             hovertemplate="mean row (%{x:.3f}, %{y:.3f})<extra></extra>"),
    ]  # fmt: skip


def _weights_layout(title: str, r: float, shapes: list, note: str) -> dict:
    ticks = _ticks(r)
    return _base_layout(
        xaxis=dict(range=[-r, r], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", constrain="domain",
                   tickvals=ticks, tickangle=0),
        # No label at the bottom of the y axis: it would sit on the x axis's first label.
        yaxis=dict(range=[-r, r], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", scaleanchor="x",
                   tickvals=[t for t in ticks if t > -0.8 * r]),
        title=dict(text=title, x=0.01, font=dict(size=14)),
        margin=dict(l=40, r=10, t=34, b=30),
        shapes=shapes,
        annotations=[
            # Under the plot, in the bottom margin: over the plot it hid the names of the rows.
            dict(text="<br>".join(html.escape(line) for line in note.splitlines()), x=0.5, y=0, yshift=-22,
                 xref="paper", yref="y domain", xanchor="center", yanchor="top", align="center",
                 showarrow=False, font=dict(size=12, color="#333"))
        ] if note else [],
    )  # fmt: skip


def _ticks(r: float, n: int = 5) -> list[float]:
    """Ticks over [-r, r] as Plotly picks them for ``nticks=n``: a step of 1, 2 or 5 times a power
    of ten near 2r / n, at its multiples."""
    rough = 2 * r / n
    power = 10.0 ** math.floor(math.log10(rough))
    step = power * next(f for f in (1, 2, 5, 10) if f * power >= rough * (1 - 1e-9))
    k = math.ceil(-r / step - 1e-9)
    return [_r(i * step) for i in range(k, -k + 1) if abs(i * step) <= r * (1 + 1e-9)]


def short_names(names, n: int) -> list[str]:
    """Class names cut to n characters, told apart: where cut names would look alike, the class's
    number (its key, 1-8, which the toolbar shows too) goes first."""
    short = [_short(name, n) for name in names]
    if len(set(short)) < len(short):
        short = [f"{m + 1} {_short(name, max(1, n - 2))}" if n > 3 else str(m + 1) for m, name in enumerate(names)]
    return short


def bar_ticks(names, y_true) -> list[str]:
    """The bars' class names, cut to a bar's width (the hover has them whole); the true class bold,
    with a star while there is room for one."""
    K = len(names)
    short = short_names(names, max(2, 30 // K))
    star = " ★" if K <= 4 else ""
    return [f"<b>{lab}{star}</b>" if m == y_true else lab for m, lab in enumerate(short)]


def _short(name: str, n: int = 14) -> str:
    """A class name for a tight label: at most n characters, an ellipsis if cut (the hover has it whole)."""
    name = str(name)
    return _text(name if len(name) <= n else name[: n - 1] + "…")


def _gaps(values):
    """Values for a line, each NaN or infinity as None: Plotly draws a gap there."""
    if values is None:
        return None
    a = np.asarray(values, dtype=float)
    if np.isfinite(a).all():
        return a
    return [float(v) if np.isfinite(v) else None for v in a]


def curve_figure(
    steps,
    loss,
    accuracy,
    *,
    test_loss=None,
    test_accuracy=None,
    other=None,
    name="cross-entropy",
    other_name=None,
    l2=None,
    l2_name="½λ‖W‖²",
) -> go.Figure:
    """The data loss ``name`` (left axis) and accuracy in % (right axis) against the step: solid on
    the training points, dashed on the test points (if given), ``other`` (another loss of the
    same weights, if given) dotted, and with ``l2`` (the L2 term of each step) the objective, data
    loss + L2, split into its parts (``l2_name``: the penalty's formula). A lone step (step 0) is drawn
    as dots, not an empty chart."""
    steps = np.asarray(steps)
    held = test_loss is not None
    train = "training " if held else ""
    mode = "lines+markers" if len(steps) <= 1 else "lines"
    pct = lambda a: None if a is None else 100 * np.asarray(a, dtype=float)  # noqa: E731
    traces = [
        dict(type="scatter", x=steps, y=loss, mode=mode, name=f"{train}{name}", line=dict(color="#0072B2", width=2)),
        dict(type="scatter", x=steps, y=pct(accuracy), mode=mode, name=f"{train}accuracy", yaxis="y2",
             line=dict(color="#E69F00", width=2)),
    ]  # fmt: skip
    if l2 is not None:
        l2 = np.asarray(l2, dtype=float)
        traces += [
            dict(type="scatter", x=steps, y=l2, mode=mode, name=f"L2 term {l2_name}",
                 line=dict(color="#CC79A7", width=2)),
            dict(type="scatter", x=steps, y=np.asarray(loss, dtype=float) + l2, mode=mode,
                 name="objective (data + L2)", line=dict(color="#222", width=2)),
        ]  # fmt: skip
    if held:
        traces += [
            dict(type="scatter", x=steps, y=test_loss, mode=mode, name=f"test {name}",
                 line=dict(color="#0072B2", width=2, dash="dash")),
            dict(type="scatter", x=steps, y=pct(test_accuracy), mode=mode, name="test accuracy", yaxis="y2",
                 line=dict(color="#E69F00", width=2, dash="dash")),
        ]  # fmt: skip
    if other is not None:
        traces.append(dict(type="scatter", x=steps, y=other, mode=mode, name=f"{train}{other_name} (same W)",
                           line=dict(color="#009E73", width=2, dash="dot")))  # fmt: skip
    for t in traces:  # no points, no loss: a gap (JSON has no NaN to send)
        t["y"] = _gaps(t["y"])
    last = float(steps[-1]) if len(steps) else 0.0
    layout = _base_layout(
        showlegend=True,
        # Under the axis, not over the plot: above it, the legend hid the top of the curves (100 % accuracy).
        legend=dict(orientation="h", y=-0.32, yanchor="top", x=0),
        xaxis=dict(
            title=dict(text="step", standoff=4),
            gridcolor="#eee",
            range=[float(steps[0]) if len(steps) else 0, max(last, 1.0)],
            tickformat="d",
            dtick=1 if last <= 10 else None,  # whole steps: at step 1, Plotly's own ticks read "0 0 0 1 1 1"
        ),  # fmt: skip
        yaxis=dict(title=dict(text="loss"), gridcolor="#eee", rangemode="tozero", automargin=True),
        yaxis2=dict(
            title=dict(text="accuracy"),
            overlaying="y",
            side="right",
            range=[0, 102],
            tickvals=[0, 25, 50, 75, 100],
            ticksuffix=" %",
            showgrid=False,
        ),  # fmt: skip
        margin=dict(l=55, r=75, t=16, b=92),
        height=320,
    )
    return _figure(traces, layout)


def _to_second_axes(obj: dict) -> dict:
    """An annotation of a single-plot figure, re-pointed at the second plot's axes."""
    ref = {"x": "x2", "y": "y2", "x domain": "x2 domain", "y domain": "y2 domain"}
    return {**obj, "xref": ref.get(obj.get("xref", "x"), obj.get("xref")),
            "yref": ref.get(obj.get("yref", "y"), obj.get("yref"))}  # fmt: skip


def _plain_figure(fig) -> dict:
    return fig.to_plotly_json() if isinstance(fig, (Fig, go.Figure)) else fig


HALF_TICK_LABEL_PX = 8  # how far a y tick label at the top of a plot reaches above it


def stack(top: go.Figure, bottom: go.Figure, top_share: float = 0.46, gap: float = 0.14) -> go.Figure:
    """Two single-plot figures as one figure, ``top`` above ``bottom``, each keeping its axes,
    shapes and title (as a heading). One figure is one redraw instead of two."""
    t, b = _plain_figure(top), _plain_figure(bottom)
    tl, bl = t["layout"], b["layout"]
    y_split = 1 - top_share
    traces = [*t["data"], *({**tr, "xaxis": "x2", "yaxis": "y2"} for tr in b["data"])]
    xaxis2 = {**bl.get("xaxis", {}), "anchor": "y2"}
    yaxis2 = {**bl.get("yaxis", {}), "anchor": "x2", "domain": [0, y_split - gap]}
    if yaxis2.get("scaleanchor") == "x":
        yaxis2["scaleanchor"] = "x2"
    # Each heading just above its plot; the lower one clear of its plot's top tick label by pixels
    # (a fraction of the height was too little on a short plot, too much on a tall one).
    headings = [
        dict(text=lay["title"]["text"], x=0, xref="paper", xanchor="left", y=y, yref="paper", yanchor="bottom",
             yshift=shift, showarrow=False, font=dict(size=14))
        for lay, y, shift in ((tl, 1.0, 0), (bl, y_split - gap, HALF_TICK_LABEL_PX))
        if lay.get("title") and lay["title"].get("text")
    ]  # fmt: skip
    layout = {
        **tl,
        "title": None,
        "xaxis": {**tl.get("xaxis", {}), "anchor": "y"},
        "yaxis": {**tl.get("yaxis", {}), "anchor": "x", "domain": [y_split, 0.94]},
        "xaxis2": xaxis2,
        "yaxis2": yaxis2,
        "shapes": [*tl.get("shapes", []), *({**s, "xref": "x2", "yref": "y2"} for s in bl.get("shapes", []))],
        "annotations": [
            *tl.get("annotations", []),
            *headings,
            *(_to_second_axes(a) for a in bl.get("annotations", [])),
        ],
        "margin": dict(
            l=40, r=10, t=24, b=32 + 16 * _lines(bl.get("annotations", [])) if bl.get("annotations") else 24
        ),
    }
    return _figure(traces, layout)


def _lines(annotations: list) -> int:
    """How many lines the longest of these notes has (the bottom margin grows by one line's height each)."""
    return max((str(a.get("text", "")).count("<br>") + 1 for a in annotations), default=0)


def geometry_traces(shown, other, K: int, width: float = 2.5) -> list[dict]:
    """Each class's zero-score line w_m . x + b_m = 0 with its normal w_m as an arrow: ``shown``
    (the weights on screen) solid, ``other`` (the other side of the step) dashed and faint. Each is
    a list from ``linclass.session.view.zero_lines``."""
    traces = []
    for lines, dash, alpha, w in ((other, "dash", 0.55, width * 0.6), (shown, None, 1.0, width)):
        for m, item in enumerate(lines or []):
            if item is None or m >= K:
                continue
            seg, arrow = item
            xs = [seg[0, 0], seg[1, 0], None, arrow[0, 0], arrow[1, 0]]
            ys = [seg[0, 1], seg[1, 1], None, arrow[0, 1], arrow[1, 1]]
            d = arrow[1] - arrow[0]
            traces.append(dict(type="scatter", x=[_r(v) if v is not None else None for v in xs],
                               y=[_r(v) if v is not None else None for v in ys], mode="lines",
                               name=f"zero line {m}", hoverinfo="skip",
                               line=dict(color=class_color(m, alpha), width=w, dash=dash)))  # fmt: skip
            traces.append(
                dict(
                    type="scatter",
                    x=[_r(arrow[1, 0])],
                    y=[_r(arrow[1, 1])],
                    mode="markers",
                    name=f"w {m}",
                    hoverinfo="skip",
                    marker=dict(
                        symbol="arrow",
                        size=4 * w + 4,
                        color=class_color(m, alpha),
                        angle=_head_angle(float(d[0]), float(d[1])),
                    ),
                )
            )
    return traces


def marks_figure(X, bounds, focus=None, selected=None, members=(), geometry=()) -> go.Figure:
    """The top layer of the plane: the step's sample ringed (white halo, black ring: no class
    colour), the selected point squared, a batch's members dotted, and ``geometry`` (traces from
    ``geometry_traces``) under them. Transparent, no axes."""
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    traces = list(geometry)
    members = np.asarray(members, dtype=np.intp)
    if len(members):
        pts = X[members[:2000]].astype(np.float32)
        traces.append(dict(type="scatter", x=pts[:, 0], y=pts[:, 1], mode="markers", name="batch",
                           marker=dict(symbol="circle-open", size=14, color="#222", line=dict(width=1.2)),
                           hoverinfo="skip"))  # fmt: skip

    def mark(i, name, symbol, size, color, width):  # one open marker around point i
        return dict(type="scatter", x=[X[i, 0]], y=[X[i, 1]], mode="markers", name=name, hoverinfo="skip",
                    marker=dict(symbol=symbol, size=size, color=color, line=dict(width=width)))  # fmt: skip

    if selected is not None and 0 <= selected < len(X) and selected != focus:
        traces.append(mark(selected, "selected", "square-open", 18, "#222", 2.5))
    if focus is not None and 0 <= focus < len(X):
        traces += [mark(focus, "current sample", "circle-open", 24, color, width)
                   for color, width in (("white", 7), ("#111", 3))]  # fmt: skip
    x0, x1, y0, y1 = bounds
    hidden = dict(visible=False)
    layout = _base_layout(
        xaxis=dict(range=[x0, x1], constrain="domain", **hidden),
        yaxis=dict(range=[y0, y1], scaleanchor="x", **hidden),
        hovermode=False, paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )  # fmt: skip
    return _figure(traces, layout)


def presenter(fig: dict, scale: float = 1.35) -> Fig:
    """The figure for a projector: every font ``scale`` times larger (the base 13 px becomes 17.5),
    lines and markers thicker, margins wider for the larger ticks, and a numeric x axis with given
    ticks keeps every other one (five ran together on the arrows' small square plot). A new figure;
    ``fig`` is kept."""

    def walk(obj, parent: str = ""):
        if isinstance(obj, dict):
            out = {}
            for k, v in obj.items():
                if k == "size" and parent in ("font", "textfont", "tickfont") and isinstance(v, (int, float)):
                    out[k] = round(v * scale, 1)
                elif k == "width" and parent == "line" and isinstance(v, (int, float)):
                    out[k] = round(v * 1.6, 1)
                elif k == "size" and parent == "marker" and isinstance(v, (int, float)):
                    out[k] = round(v * 1.25, 1)
                elif parent == "margin" and isinstance(v, (int, float)):
                    out[k] = round(v * scale)
                else:
                    out[k] = walk(v, k)
            return out
        if isinstance(obj, list):
            return [walk(v, parent) for v in obj]
        return obj

    plain = _plain_figure(fig)
    layout = walk(plain["layout"])
    for key, axis in layout.items():  # larger numbers: every other tick of a numeric x axis, 0 kept
        vals = axis.get("tickvals") if key.startswith("xaxis") and isinstance(axis, dict) else None
        if vals is not None and len(vals) > 3 and all(isinstance(v, (int, float)) for v in vals):
            start = list(vals).index(0) % 2 if 0 in vals else 0
            layout[key] = {**axis, "tickvals": list(vals)[start::2]}
    layout.setdefault("font", {})
    layout["font"] = {**layout["font"], "size": max(layout["font"].get("size", 13), 16)}
    return Fig(data=walk(plain["data"]), layout=layout)


def frame_figures(frame, v, reuse: dict | None = None, present: bool = False) -> dict:
    """The figures of one frame (a ``linclass.session.frame.Frame`` and its ``View``): the plane
    in three stacked layers (regions, points, marks) and the side panel (bars over arrows).

    ``reuse``: the figures of the previous frame; its points layer is taken as it is when the
    points, names and view are the same objects (Play's frames), so it is built and sent once."""
    ex = frame.explorer
    K = ex.n_classes
    shaded = v.shading is not None or (v.model is not None and v.model.shading)
    key = (id(ex.X), id(ex.y), id(ex.test), ex.names, v.bounds, shaded)
    same = reuse is not None and reuse.get("_key") == key  # Play: the points did not move, nor the axes
    plane, points = plane_layers(ex.X, ex.y, v.polygons, v.bounds, ex.names, None, v.shading, ties=v.ties,
                                 points=not same, model=v.model)  # fmt: skip
    points = reuse["points"] if same else with_test_points(points, ex.X, ex.y, ex.test)
    geometry = ()
    if v.geometry is not None:
        g = v.geometry
        shown, other = (g["after"], g["before"]) if frame.kind == "taken" else (g["before"], g["after"])
        geometry = geometry_traces(shown, other, K)
    marks = marks_figure(ex.X, v.bounds, v.focus, v.selected, v.members, geometry)
    bars = bars_figure(frame, v)
    # Short: the heading must fit the panel, with "drawn ×s" after it, on a projector too.
    label = "last step's update" if frame.kind == "taken" else "next step's update"
    arrows = weights_figure(
        v.rows,
        v.update,
        ex.names,
        x=v.update_x,
        note=words.update_note(v.update, v.update_x, frame.record, ex.features, v.pair),
        title=words.arrows_title(label),
        after=v.rows_after,
        member_updates=v.member_updates,
    )
    # A projector's larger ticks and headings need a wider gap between bars and arrows (400 px tall at least)
    # In presenter mode the bars give up some height: the heading between the plots needs 63 px at
    # the shortest (340 px), and the arrows keep what they had.
    side = stack(bars, arrows, top_share=0.40, gap=0.25) if present else stack(bars, arrows)
    figs = {"plane": plane, "points": points, "marks": marks, "side": side}
    if present:
        figs = {k: f if (k == "points" and f is (reuse or {}).get("points")) else presenter(f) for k, f in figs.items()}
    return {**figs, "_key": key}
