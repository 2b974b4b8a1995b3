"""Plotly figures of the two extra views: arrays in, ``go.Figure`` out, in the explorer's palette.

``landscape_figure`` draws one weight row's loss contours with the row's path and step;
``simplex_figure`` draws probability rows as dots of the triangle of one-hot targets. They compute
nothing about the model: the arrays come from ``linclass.session.landscape_simplex``.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from . import words
from .figures import _base_layout, _figure, _head_angle, _r, _text, class_color, update_scale

__all__ = ["landscape_figure", "simplex_figure", "log_levels"]

LEVELS = 24  # contour lines over the window's range of log10(loss)
FLOOR = 1e-9  # losses below this fraction of the window's largest are drawn at it (log of 0 is -inf)


def log_levels(Z):
    """(log10 of Z floored at FLOOR * max, colour-bar tick positions, their labels in loss units).

    Contours of log10(loss) are the contours of the loss (a monotone map keeps level sets), spaced
    so the valley floor has lines as well as the steep walls: the loss spans decades over a window.
    """
    Z = np.asarray(Z, dtype=float)
    top = float(Z.max())
    if not top > 0:
        return np.zeros_like(Z), [0.0], ["0"]
    z = np.log10(np.maximum(Z, top * FLOOR))
    lo, hi = float(z.min()), float(z.max())
    ticks = [math.log10(c) + e for e in range(math.floor(lo), math.ceil(hi) + 1) for c in (1, 2, 5)]
    ticks = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]
    if len(ticks) > 8:
        ticks = [t for t in ticks if abs(t - round(t)) < 1e-9]
    if len(ticks) < 2:
        ticks = list(np.linspace(lo, hi, 4))
    return z, [_r(t) for t in ticks], [f"{10**t:.3g}" for t in ticks]


def _arrow(start, end, color, name, width=3.0):
    """An arrow from ``start`` to ``end`` as two traces: the shaft, and its head turned along it."""
    d = np.asarray(end, dtype=float) - np.asarray(start, dtype=float)
    angle = _head_angle(float(d[0]), float(d[1]))
    shaft = dict(type="scatter", x=[_r(start[0]), _r(end[0])], y=[_r(start[1]), _r(end[1])], mode="lines",
                 name=name, line=dict(color=color, width=width), hoverinfo="skip")  # fmt: skip
    head = dict(
        type="scatter",
        x=[_r(end[0])],
        y=[_r(end[1])],
        mode="markers",
        name=f"{name} (head)",
        showlegend=False,
        hoverinfo="skip",
        marker=dict(symbol="arrow", angle=angle, size=15 if np.hypot(*d) > 0 else 0, color=color),
    )
    return [shaft, head]  # fmt: skip


def _contours(w1s, w2s, Z) -> dict:
    """The loss Z as grey filled contours, evenly spaced in log10(loss), the colour bar in loss units."""
    z, ticks, labels = log_levels(Z)
    lo, hi = float(z.min()), float(z.max())
    size = (hi - lo) / LEVELS if hi > lo else 1.0
    return dict(type="contour", x=w1s, y=w2s, z=z.astype(np.float32), name="loss", showscale=True,
                contours=dict(start=lo, end=hi, size=size, coloring="fill", showlines=True),
                colorscale=[[0, "#f7f7f7"], [1, "#8c8c8c"]], line=dict(color="rgba(60,60,60,0.55)", width=0.8),
                colorbar=dict(title=dict(text="loss", side="right"), tickvals=ticks, ticktext=labels, thickness=12,
                              len=0.9), hovertemplate="w = (%{x:.3f}, %{y:.3f})<extra></extra>")  # fmt: skip


def landscape_scale(w1s, w2s, step) -> int:
    """How much larger the step's arrow is drawn (1, 2, 5, 10, ...): a step of a few pixels hides
    under the row's dot, so it is drawn at least a tenth of the view long, and the panel says so."""
    half = np.array([[w1s[-1] - w1s[0], w2s[-1] - w2s[0]]], dtype=float) / 2
    return update_scale(half, np.asarray(step, dtype=float)[None, :], share=0.2)


def landscape_figure(w1s, w2s, Z, w, step, path, x=None, color="#0072B2", name="w_m", title="",
                     axes=("w₁", "w₂")) -> go.Figure:  # fmt: skip
    """Contours of the loss Z (len(w2s), len(w1s)) over the plane of one row, with that row now
    (``w``), its ``step`` (-gamma * gradient) as an arrow, its ``path`` (T, 2) so far, and, for a
    single sample, the direction of ``x`` as a dotted line through ``w``."""
    w1s, w2s = np.asarray(w1s, dtype=float), np.asarray(w2s, dtype=float)
    nm = _text(name)
    traces = [_contours(w1s, w2s, Z)]
    w, step = np.asarray(w, dtype=float), np.asarray(step, dtype=float)
    if x is not None and np.hypot(*x) > 0:
        d = np.asarray(x, dtype=float) / np.hypot(*x) * (w1s[-1] - w1s[0]) * 1.5
        traces.append(dict(type="scatter", x=[_r(w[0] - d[0]), _r(w[0] + d[0])], y=[_r(w[1] - d[1]), _r(w[1] + d[1])],
                           mode="lines", name="direction of xᵢ", hoverinfo="skip",
                           line=dict(color="#222", width=1.5, dash="dot")))  # fmt: skip
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    traces.append(dict(type="scatter", x=path[:, 0], y=path[:, 1], mode="lines+markers", name=f"path of {nm}",
                       line=dict(color=color, width=1.5), marker=dict(size=4, color=color), opacity=0.7,
                       hovertemplate="(%{x:.4g}, %{y:.4g})<extra>earlier</extra>"))  # fmt: skip
    s = landscape_scale(w1s, w2s, step)
    traces += _arrow(w, w + s * step, color, "step −γ∇")
    traces.append(dict(type="scatter", x=[_r(w[0])], y=[_r(w[1])], mode="markers", name=f"{nm} before the step",
                       marker=dict(size=12, color=color, line=dict(color="white", width=2)),
                       hovertemplate="(%{x:.4g}, %{y:.4g})<extra>before the step</extra>"))  # fmt: skip
    grid = dict(showgrid=False, zeroline=False, showline=True, linecolor="#999", mirror=True)
    note = [dict(text=f"the step drawn ×{s:,}", x=1, y=0, xref="paper", yref="paper", xanchor="right",
                 yanchor="bottom", showarrow=False, font=dict(size=12, color="#333"),
                 bgcolor="rgba(255,255,255,0.8)")] if s > 1 else []  # fmt: skip
    layout = _base_layout(
        xaxis=dict(range=[w1s[0], w1s[-1]], constrain="domain", title=dict(text=f"{nm}: {axes[0]}"), **grid),
        yaxis=dict(range=[w2s[0], w2s[-1]], scaleanchor="x", title=dict(text=f"{nm}: {axes[1]}"), **grid),
        title=dict(text=_text(title), x=0.01, font=dict(size=14)) if title else None,
        showlegend=True, legend=dict(orientation="h", x=0, y=1.01, yanchor="bottom", font=dict(size=12)),
        margin=dict(l=50, r=10, t=60 if title else 36, b=44), hovermode="closest", annotations=note,
    )  # fmt: skip
    return _figure(traces, layout)


def _corner_label(c: int, cx: float, cy: float, name: str, m: int) -> dict:
    """Corner ``c``'s label, "e_c = name", the name cut short (the legend has it whole) and the
    label kept inside the plot: the bottom corners' labels run inwards from the plot's edges."""
    anchor = "left" if cx < -0.1 else "right" if cx > 0.1 else "center"
    x = {"left": -1.12, "right": 1.12, "center": cx}[anchor]
    text = f"e{'₁₂₃'[c]} = {_text(words.short_name(name, 14))}"
    return dict(x=_r(x), y=_r(1.13 * cy - 0.02), text=text, showarrow=False, xref="x", yref="y", xanchor=anchor,
                font=dict(size=13, color=class_color(m)))  # fmt: skip


def simplex_figure(dots, labels, names, classes, corners, regions, probs=None, trajectory=None, sample_name="",
                   title="") -> go.Figure:  # fmt: skip
    """The triangle of one-hot targets: corner c is e_(c+1), class ``classes[c]``; the sub-triangles
    ``regions[c]`` where that class has the largest p; ``dots`` (n, 2) coloured by ``labels`` (n,),
    each hovering its ``probs`` (n, 3); and ``trajectory`` (T, 2), one sample's p over the steps."""
    dots = np.asarray(dots, dtype=float).reshape(-1, 2)
    labels = np.asarray(labels)
    corners = np.asarray(corners, dtype=float)
    traces = []
    for m, poly in zip(classes, regions, strict=True):
        closed = np.vstack([poly, poly[:1]])
        traces.append(dict(type="scatter", x=closed[:, 0], y=closed[:, 1], mode="lines", fill="toself",
                           fillcolor=class_color(m, 0.13), line=dict(width=1, color=class_color(m, 0.5)),
                           hoverinfo="skip", showlegend=False, name=f"region {_text(names[m])}"))  # fmt: skip
    edge = np.vstack([corners, corners[:1]])
    traces.append(dict(type="scatter", x=edge[:, 0], y=edge[:, 1], mode="lines", name="triangle", hoverinfo="skip",
                       showlegend=False, line=dict(color="#444", width=1.5)))  # fmt: skip
    short = [_text(names[k]) for k in classes]
    for m in classes:
        sel = labels == m
        pts = dots[sel].astype(np.float32)
        extra = {}
        if probs is not None:
            extra = dict(customdata=np.asarray(probs, dtype=np.float32)[sel],
                         hovertemplate="p = (" + ", ".join(f"{short[c]}: %{{customdata[{c}]:.3f}}" for c in range(3))
                         + f")<extra>{_text(names[m])}</extra>")  # fmt: skip
        traces.append(
            dict(
                type="scatter",
                x=pts[:, 0],
                y=pts[:, 1],
                mode="markers",
                name=_text(names[m]),
                marker=dict(color=class_color(m), size=7, line=dict(color="white", width=0.8)),
                **extra,
            )
        )
    if trajectory is not None and len(trajectory):
        t = np.asarray(trajectory, dtype=float)
        traces.append(dict(type="scatter", x=t[:, 0], y=t[:, 1], mode="lines+markers", name=_text(sample_name),
                           line=dict(color="#111", width=1.5), marker=dict(size=3, color="#111"),
                           hoverinfo="skip"))  # fmt: skip
        traces.append(
            dict(
                type="scatter",
                x=t[-1:, 0],
                y=t[-1:, 1],
                mode="markers",
                showlegend=False,
                name=f"{_text(sample_name)} now",
                hoverinfo="skip",
                marker=dict(symbol="circle-open", size=18, color="#111", line=dict(width=2.5)),
            )
        )
    notes = [_corner_label(c, cx, cy, names[classes[c]], classes[c]) for c, (cx, cy) in enumerate(corners)]
    hidden = dict(visible=False)
    layout = _base_layout(
        xaxis=dict(range=[-1.15, 1.15], constrain="domain", **hidden),
        yaxis=dict(range=[-0.72, 1.2], scaleanchor="x", **hidden),
        title=dict(text=_text(title), x=0.01, font=dict(size=14)) if title else None,
        annotations=notes, showlegend=True, legend=dict(orientation="h", x=0, y=1.01, yanchor="bottom"),
        margin=dict(l=10, r=10, t=60 if title else 36, b=10), hovermode="closest",
    )  # fmt: skip
    return _figure(traces, layout)
