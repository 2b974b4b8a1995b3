"""Plotly views of the classifier: arrays in, ``go.Figure`` out, one class palette everywhere.

These functions compute nothing about the model; they draw what the core hands them
(region polygons, probabilities, weight rows and their updates, the loss curve).
Class names are passed to Plotly as plain text (``html.escape``d), never as markup.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "PALETTE",
    "class_color",
    "plane_figure",
    "probs_figure",
    "weights_figure",
    "curve_figure",
]

# Okabe & Ito's colour-blind-safe palette, ordered so the first classes differ most.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13)


def class_color(m: int, alpha: float | None = None) -> str:
    c = PALETTE[m % len(PALETTE)]
    if alpha is None:
        return c
    r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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


def plane_figure(X, y, polygons, bounds, names, current=None, shading=None, title=None) -> go.Figure:
    """The data plane: decision regions as filled polygons, points by class, the current sample ringed.

    ``polygons[m]`` is class m's region (n_m, 2); ``shading`` is an optional (xs, ys, pmax)
    grid drawn as a grey veil where the model is unsure (pmax near 1/K).
    """
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    y = np.asarray(y)
    traces = []
    for m, poly in enumerate(polygons):
        if len(poly) == 0:
            continue
        closed = np.vstack([poly, poly[:1]])
        traces.append(
            go.Scatter(
                x=closed[:, 0], y=closed[:, 1], mode="lines", fill="toself",
                fillcolor=class_color(m, 0.22), line=dict(width=1, color=class_color(m, 0.6)),
                hoverinfo="skip", name=f"region {_text(names[m])}",
            )
        )  # fmt: skip
    if shading is not None:
        xs, ys, pmax = shading
        K = max(len(names), 2)
        # 1 where the model is certain, 0 where all classes tie; as uint8 it costs 1 byte a cell.
        conf = np.clip((np.asarray(pmax) - 1 / K) / (1 - 1 / K), 0, 1)
        veil = np.round((1 - conf) * 200).astype(np.uint8)
        traces.append(
            go.Heatmap(
                x=xs, y=ys, z=veil, zmin=0, zmax=255, showscale=False, hoverinfo="skip",
                colorscale=[[0, "rgba(255,255,255,0)"], [1, "rgba(255,255,255,0.85)"]],
            )
        )  # fmt: skip
    for m in range(len(names)):
        pts = X[y == m]
        traces.append(
            go.Scatter(
                x=pts[:, 0], y=pts[:, 1], mode="markers", name=_text(names[m]),
                marker=dict(color=class_color(m), size=9, line=dict(color="white", width=1.2)),
                hovertemplate=f"{_text(names[m])}<br>(%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
            )
        )  # fmt: skip
    if current is not None and 0 <= current < len(X):
        traces.append(
            go.Scatter(
                x=[X[current, 0]], y=[X[current, 1]], mode="markers", name="current sample",
                marker=dict(symbol="circle-open", size=22, color="black", line=dict(width=3)),
                hoverinfo="skip",
            )
        )  # fmt: skip
    x0, x1, y0, y1 = bounds
    layout = _base_layout(
        xaxis=dict(range=[x0, x1], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", constrain="domain"),
        yaxis=dict(range=[y0, y1], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", scaleanchor="x"),
        title=dict(text=title, x=0.01, font=dict(size=14)) if title else None,
        hovermode="closest",
    )
    return go.Figure(traces, layout)


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
            go.Bar(
                x=labels, y=p_before, name="before the step", marker=dict(color="rgba(0,0,0,0)",
                line=dict(color="#888", width=1.5)), width=0.8, hovertemplate="before: %{y:.3f}<extra></extra>",
            )
        )  # fmt: skip
    traces.append(
        go.Bar(
            x=labels, y=p, name="p", marker=dict(color=colors), width=0.55,
            text=[f"{v:.2f}" for v in p], textposition="outside", cliponaxis=False,
            hovertemplate="p = %{y:.4f}<extra></extra>",
        )
    )  # fmt: skip
    if y_true is not None:
        gap = p - e
        traces.append(
            go.Bar(
                x=labels, y=np.abs(gap), base=np.minimum(p, e), name="p − e_y", width=0.55,
                marker=dict(color="rgba(213,94,0,0.12)", line=dict(color="#D55E00", width=1),
                            pattern=dict(shape="/", fgcolor="#D55E00", size=6)),
                customdata=gap, hovertemplate="p − e_y = %{customdata:+.4f}<extra></extra>",
            )
        )  # fmt: skip
        traces.append(
            go.Scatter(
                x=labels, y=e, mode="markers", name="target e_y",
                marker=dict(symbol="line-ew", size=34, line=dict(width=3, color="#222")),
                hovertemplate="e_y = %{y:.0f}<extra></extra>",
            )
        )  # fmt: skip
    ticks = [f"<b>{lab} ★</b>" if m == y_true else lab for m, lab in enumerate(labels)]
    layout = _base_layout(
        barmode="overlay",
        yaxis=dict(range=[0, 1.15], dtick=0.25, gridcolor="#eee", fixedrange=True),
        xaxis=dict(tickvals=labels, ticktext=ticks, fixedrange=True, type="category"),
        title=dict(text=title, x=0.01, font=dict(size=14)),
        margin=dict(l=40, r=10, t=34, b=30),
    )
    return go.Figure(traces, layout)


def weights_figure(W, update, names, x=None, title="weight rows w_m and their update") -> go.Figure:
    """Each row w_m as an arrow from the origin; from its tip, the step's update as a second arrow.

    ``update`` is (K, 2), -lr * grad (None hides the update arrows). ``x`` (the single sample,
    if any) is drawn as a faint line through the origin: single-sample updates are parallel to it.
    The mean of the rows is marked before (o) and after (x) the update.
    """
    W = np.asarray(W, dtype=float)
    K = len(W)
    U = np.zeros_like(W) if update is None else np.asarray(update, dtype=float)
    tips = W + U
    reach = float(np.abs(np.vstack([W, tips, np.zeros((1, 2))])).max())
    r = max(reach * 1.3, 1e-3)  # zoom to the arrows, however small
    ann = []
    for m in range(K):
        c = class_color(m)
        ann.append(dict(x=W[m, 0], y=W[m, 1], ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y",
                        showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=2.5, arrowcolor=c, text=""))  # fmt: skip
        if update is not None and np.hypot(*U[m]) > 1e-12 * r:
            ann.append(dict(x=tips[m, 0], y=tips[m, 1], ax=W[m, 0], ay=W[m, 1], xref="x", yref="y",
                            axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1, arrowwidth=1.8,
                            arrowcolor=class_color(m, 0.8), startstandoff=0, text=""))  # fmt: skip
    traces = [
        go.Scatter(
            x=W[:, 0], y=W[:, 1], mode="markers+text", text=[_text(n) for n in names], textposition="top right",
            marker=dict(color=[class_color(m) for m in range(K)], size=6), name="w_m",
            hovertemplate="w = (%{x:.3f}, %{y:.3f})<extra></extra>",
        )
    ]  # fmt: skip
    if x is not None and np.hypot(*x) > 0:
        d = np.asarray(x, dtype=float) / np.hypot(*x) * r * 1.5
        traces.insert(
            0,
            go.Scatter(
                x=[-d[0], d[0]], y=[-d[1], d[1]], mode="lines", name="direction of x_i",
                line=dict(color="#999", width=1, dash="dot"), hoverinfo="skip",
            ),
        )  # fmt: skip
    mean0, mean1 = W.mean(axis=0), tips.mean(axis=0)
    traces.append(
        go.Scatter(
            x=[mean0[0], mean1[0]], y=[mean0[1], mean1[1]], mode="markers", name="mean of rows",
            marker=dict(symbol=["circle-open", "x-thin"], size=[12, 10], color="#333", line=dict(width=2)),
            hovertemplate="mean row (%{x:.3f}, %{y:.3f})<extra></extra>",
        )
    )  # fmt: skip
    layout = _base_layout(
        xaxis=dict(range=[-r, r], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", constrain="domain"),
        yaxis=dict(range=[-r, r], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee", scaleanchor="x"),
        annotations=ann,
        title=dict(text=title, x=0.01, font=dict(size=14)),
        margin=dict(l=40, r=10, t=34, b=30),
    )
    return go.Figure(traces, layout)


def curve_figure(steps, loss, accuracy) -> go.Figure:
    """Cross-entropy over all points (left axis) and accuracy (right axis) against the step."""
    traces = [
        go.Scatter(x=steps, y=loss, mode="lines", name="loss", line=dict(color="#0072B2", width=2)),
        go.Scatter(x=steps, y=accuracy, mode="lines", name="accuracy", yaxis="y2",
                   line=dict(color="#E69F00", width=2)),
    ]  # fmt: skip
    layout = _base_layout(
        showlegend=True,
        legend=dict(orientation="h", y=1.12, x=0),
        xaxis=dict(title="step", gridcolor="#eee"),
        yaxis=dict(title="cross-entropy", gridcolor="#eee", rangemode="tozero"),
        yaxis2=dict(title="accuracy", overlaying="y", side="right", range=[0, 1.02], showgrid=False),
        margin=dict(l=50, r=50, t=30, b=40),
        height=260,
    )
    return go.Figure(traces, layout)
