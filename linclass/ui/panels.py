"""The explorer's panels below the plots (Streamlit): the math, the weights table, the gradient check."""

from __future__ import annotations

import re

import numpy as np
import streamlit as st

import linclass
from linclass import Explorer, Optimizer
from linclass.session.view import View

__all__ = ["plain", "math_panel", "weights_table", "gradient_check_panel"]


def plain(name: str) -> str:
    """A class name for Streamlit markdown (labels, captions): shown as typed, never as markup,
    HTML or LaTeX."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$&])", r"\\\1", str(name))


def math_panel(ex: Explorer, v: View) -> None:
    """The seed's chain with the current sample's numbers, and what one step does to the scores."""
    mth = v.math
    if mth is None:
        st.write("Add points to see the derivation with numbers.")
        return
    name = ex.names[mth.y]
    st.markdown(
        f"Current sample **#{mth.index}**: $x_i = ({mth.x[0]:.3f},\\ {mth.x[1]:.3f})$, "
        f"$\\|x_i\\|^2 = {mth.sq_norm:.4f}$, true class $y_i$ = {plain(name)} (index {mth.y})."
    )
    st.latex(r"f = W x_i" + (" + b" if ex.state.has_bias else "") + r",\qquad p_m = \frac{e^{f_m}}{\sum_j e^{f_j}},"
             rf"\qquad L_i = -\log p_{{y_i}} = {mth.loss:.4f}")  # fmt: skip
    st.latex(r"\nabla_{w_m} L_i = \begin{cases} p_m\, x_i & m \neq y_i \\ (p_{y_i} - 1)\, x_i & m = y_i \end{cases}"
             r"\qquad\text{every row moves along } \pm x_i,\ \textstyle\sum_m (p_m - [m = y_i]) = 0")  # fmt: skip
    rows = {
        "class": list(ex.names),
        "f_m": mth.f,
        "p_m": mth.p,
        "p_m − [m=yᵢ]": mth.coeff,
        "∇w_m L (x)": mth.grad[:, 0],
        "∇w_m L (y)": mth.grad[:, 1],
        "Δf_m predicted": mth.predicted_df,
    }
    if mth.measured_df is not None:
        rows["Δf_m measured"] = mth.measured_df
    st.dataframe(rows, hide_index=True, width="stretch")
    which = "the last step (on this sample)" if mth.measured_df is not None else "a single-sample step on it now"
    st.markdown(
        f"**What one step does to the scores** ({which}). With no bias and no L2 term, a step of size γ on "
        "$L_i$ changes $f_m$ by $-\\gamma\\, p_m \\|x_i\\|^2$ for $m \\neq y_i$ and $f_{y_i}$ by "
        "$+\\gamma (1 - p_{y_i}) \\|x_i\\|^2$: the true class's score rises, every other score falls, for any "
        "$x_i$. The weights themselves move along $-x_i$ (or $+x_i$ for the true class), so a component of "
        "$w_m$ ($m \\neq y_i$) goes down only where the matching component of $x_i$ is positive: "
        "\"$p_m x_i \\ge 0$, so $w_m$ decreases\" holds only for non-negative $x_i$."
        + ("" if mth.seed_case else " Here the bias adds $-\\gamma (p_m - [m = y_i])$ to each score change "
           "and L2 adds $-\\gamma \\lambda\\, w_m \\cdot x_i$; the predicted column includes both.")
    )  # fmt: skip


def weights_table(ex: Explorer, on_edit, playing: bool) -> None:
    """W and b as a table; while paused an editor whose edits go to ``on_edit(key)``."""
    W, b = ex.state.W, ex.state.b
    data = {"class": list(ex.names), "w₁": W[:, 0], "w₂": W[:, 1]}
    if b is not None:
        data["b"] = b
    if playing:
        st.dataframe(data, hide_index=True, width="stretch")
        return
    # A new key whenever the weights change, so the editor shows them rather than stale edits.
    key = f"weights_{hash((W.tobytes(), None if b is None else b.tobytes())) & 0xFFFFFFFF:x}"
    st.data_editor(data, hide_index=True, width="stretch", key=key, disabled=["class"],
                   on_change=on_edit, args=(key,))  # fmt: skip
    st.caption("Edit a cell to set a weight by hand; Step back undoes the edit.")


def gradient_check_panel(ex: Explorer, opt: Optimizer) -> None:
    """Analytic gradient beside central differences, on up to 2,000 points."""
    if ex.n_points == 0:
        st.write("Add points to compare the analytic gradient with finite differences.")
        return
    idx = np.arange(min(ex.n_points, 2000))
    chk = linclass.gradient_check(ex.state.W, ex.state.b, ex.X[idx], ex.y[idx], opt.reg)
    verdict = "agree" if chk.ok() else "DISAGREE"
    st.markdown(
        f"Analytic gradient of the mean loss over {len(idx)} points vs central differences (ε = 10⁻⁶): "
        f"max relative error **{chk.max_rel_error:.2e}**: they {verdict}."
    )
    data = {"class": list(ex.names), "analytic ∂/∂w₁": chk.analytic_dW[:, 0], "numeric ∂/∂w₁": chk.numeric_dW[:, 0],
            "analytic ∂/∂w₂": chk.analytic_dW[:, 1], "numeric ∂/∂w₂": chk.numeric_dW[:, 1]}  # fmt: skip
    st.dataframe(data, hide_index=True, width="stretch")
