"""The explorer's panels below the plots (Streamlit): messages, curve, the math, weights, gradient check.

Each draws the session's frame and says which moment it shows; the numbers come from the
session model's ``View``, formatted by ``fmt`` (4 significant digits, scientific when tiny or huge).
"""

from __future__ import annotations

import re

import numpy as np
import streamlit as st

import linclass
from linclass.core.features import PLANE
from linclass.core.losses import loss_named
from linclass.session.curves import curves
from linclass.session.session import Session
from linclass.session.settings import LOSSES
from linclass.session.view import View, sample_table
from linclass.ui import figures, words
from linclass.ui.plotly_view import plotly_view
from linclass.ui.words import (
    PENALTY_TEXT,
    SVM_TEX,
    column,
    column_name,
    demo_note,
    fmt,
    l2_term_tex,
    math_sentences,
    objective_sentence,
    sample_heading,
    weight_columns,
    with_phi,
)

__all__ = ["plain", "messages", "curve_panel", "math_panel", "weights_panel", "gradient_check_panel", "samples_panel"]


def plain(name: str) -> str:
    """A class name for Streamlit markdown (labels, captions): shown as typed, never as markup,
    HTML or LaTeX."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~<>$&])", r"\\\1", str(name))


def _col(values) -> list[str]:
    return column(values)


def messages(sess: Session, on_dismiss) -> None:
    """The last action's messages: they stay until dismissed or until the next action."""
    if not sess.messages:
        return
    box = st.container(key="lc_messages")
    for kind, text in sess.messages:
        getattr(box, kind if kind in ("error", "warning", "info", "success") else "info")(plain(text))
    box.button("Dismiss", key="btn_dismiss", on_click=on_dismiss)


def curve_panel(sess: Session) -> None:
    """Loss and accuracy over the kept history: training points solid, test points dashed, and with
    "Curve: both losses" the other loss of the same weights dotted."""
    s = sess.settings
    c = curves(sess.explorer, compare=s.compare, reg=s.reg, penalty=s.penalty)
    fig = figures.curve_figure(c.steps, c.loss, c.accuracy, test_loss=c.test_loss, test_accuracy=c.test_accuracy,
                               other=c.other, name=c.name, other_name=c.other_name, l2=c.l2,
                               l2_name=PENALTY_TEXT[s.penalty])  # fmt: skip
    plotly_view(
        [({"curve": fig}, None, sess.rev)],
        [("curve", "320px")],
        key="curve",
        rev=sess.rev,
        sid=sess.sid,
        present=sess.settings.present,
    )
    notes = []
    if c.test_loss is not None:
        notes.append("Dashed: the test points (drawn hollow on the plane), which no step uses.")
    if c.other is not None:
        notes.append(
            f"Dotted: the {c.other_name} of the same weights, for comparison; training minimises the {c.name}."
        )
    if notes:
        st.caption(" ".join(notes))


def math_panel(sess: Session, v: View) -> None:
    """The derivation's chain with the focus sample's numbers, for the step the frame shows."""
    mth, frame = v.math, sess.frame
    if mth is None:
        st.write(frame.refused or "Add points to see the derivation with numbers.")
        return
    ex = frame.explorer
    name = ex.names[mth.y]
    cols = "f, p, p − e_y and the gradient" if mth.objective == "softmax" else "f, the margins, c and the gradient"
    st.markdown(sample_heading(mth, frame.moment, _role(mth), plain(name), cols))
    for line in (objective_sentence(ex.state, sess.settings.reg, sess.settings.penalty), demo_note(sess.settings)):
        if line:
            st.markdown(line)
    if mth.objective != "softmax":
        _hinge_math(frame, mth)
        return
    bias = frame.record.b_before is not None
    phi = lambda tex: with_phi(tex, mth.features)  # noqa: E731
    st.latex(phi(r"f = W x_i" + (" + b" if bias else "") + r",\quad p_m = \frac{e^{f_m}}{\sum_j e^{f_j}},"
             rf"\quad L_i = -\log p_{{y_i}} = {fmt(mth.loss)}"))  # fmt: skip
    if frame.record.mode == "sample":
        reg = l2_term_tex(frame.record)
        st.latex(phi(r"\nabla_{w_m} L = \begin{cases} p_m\, x_i" + reg + r" & m \neq y_i \\ (p_{y_i} - 1)\, x_i"
                     + reg + r" & m = y_i \end{cases}"))  # fmt: skip
    rows = {"class": list(ex.names), "f_m": _col(mth.f), "p_m": _col(mth.p), "p_m − [m=yᵢ]": _col(mth.coeff)}
    _table(rows, frame, mth, "p_m after", mth.p_after)


def _table(rows: dict, frame, mth, after: str, after_values) -> None:
    """The table: ``rows``, then the gradient rows and the predicted (and measured) score changes
    and ``after`` for a step taken; then the sentences."""
    if mth.features == PLANE:
        rows["∇w_m (x)"], rows["∇w_m (y)"] = _col(mth.grad[:, 0]), _col(mth.grad[:, 1])
    else:
        for j, f in enumerate(mth.features):
            rows[f"∇{column_name(f)}"] = _col(mth.grad[:, j])
    if mth.grad_b is not None:
        rows["∇b_m"] = _col(mth.grad_b)
    rows["Δf_m predicted"] = _col(mth.predicted_df)
    if mth.measured_df is not None:
        rows["Δf_m measured"] = _col(mth.measured_df)
        rows[after] = _col(after_values)
    st.dataframe(rows, hide_index=True, width="stretch")
    for s in math_sentences(frame, mth):
        st.markdown(with_phi(s, mth.features))


def _role(mth) -> str:
    """Which kind of point the sample is (there is no per-sample table: the math tab says it)."""
    return "a **test point**, never in a step" if mth.held_out else "a training point"


def _hinge_math(frame, mth) -> None:
    """An SVM loss's derivation with the sample's numbers: margins, violations, gradient rows."""
    ex, rec = frame.explorer, frame.record
    loss_tex, margin_name, coeff_tex, after = SVM_TEX[mth.objective]
    bias = "+ b" if rec.b_before is not None else ""
    st.latex(with_phi(rf"f = W x_i {bias},\quad L_i = {loss_tex} = {fmt(mth.loss)},\quad \Delta = {fmt(mth.delta)}"
                      + after, mth.features))  # fmt: skip
    if rec.mode == "sample":
        reg = l2_term_tex(rec)
        st.latex(with_phi(r"\nabla_{w_m} L_i = c_m\, x_i" + reg + r",\quad " + coeff_tex, mth.features))
    own = loss_named(mth.objective).TRUE_CLASS_MARGIN  # one-vs-all: the true class has a margin of its own
    viol = ["" if m == mth.y and not own else ("✗ violated" if mth.margins[m] > 0 else "✓ met")
            for m in range(ex.n_classes)]  # fmt: skip
    rows = {"class": list(ex.names), "f_m": _col(mth.f), margin_name: _col(mth.margins), "margin": viol,
            "c_m = ∂Lᵢ/∂f_m": _col(mth.coeff)}  # fmt: skip
    _table(rows, frame, mth, "margin after", mth.margins_after)


def weights_panel(sess: Session, v: View, on_edit) -> None:
    """W and b before and after the step shown; the "after" columns edit the weights."""
    frame = sess.frame
    ex = frame.explorer
    W, b = ex.state.W, ex.state.b
    st.caption(f"Showing {frame.moment}. The weights now are the editable columns; Step back undoes an edit.")
    data = {"class": list(ex.names)}
    names = weight_columns(ex.features)
    if frame.kind == "taken":
        rec = frame.record
        for j, c in enumerate(names):
            data[f"{c} before"] = _col(rec.W_before[:, j])
        if rec.b_before is not None:
            data["b before"] = _col(rec.b_before)
    for j, c in enumerate(names):
        data[f"{c} after" if frame.kind == "taken" else c] = W[:, j]
    if b is not None:
        data["b after" if frame.kind == "taken" else "b"] = b
    key = f"weights_{hash((W.tobytes(), None if b is None else b.tobytes())) & 0xFFFFFFFF:x}"
    st.data_editor(data, hide_index=True, width="stretch", key=key,
                   disabled=[c for c in data if c == "class" or c.endswith("before")],
                   on_change=on_edit, args=(key,))  # fmt: skip


def gradient_check_panel(sess: Session) -> None:
    """Analytic gradient beside central differences, on up to 2,000 points, for the weights on screen."""
    ex = sess.explorer
    if ex.n_points == 0:
        st.write("Add points to compare the analytic gradient with finite differences.")
        return
    idx = ex.train_indices[:2000]  # the training points: the objective the steps descend
    if len(idx) == 0:
        st.write("Every point is held out as a test point: there is no training objective to check.")
        return
    reg, penalty = sess.settings.reg, sess.settings.penalty
    try:
        chk = linclass.gradient_check(ex.state.W, ex.state.b, ex.Phi[idx], ex.y[idx], reg, loss=ex.objective,
                                      delta=ex.delta, penalty=penalty)  # fmt: skip
    except linclass.NonFiniteError as err:
        st.warning(f"The gradient cannot be checked for these weights: {err}.")
        return
    verdict = "agree" if chk.ok() else "DISAGREE"
    loss = LOSSES[ex.objective]
    st.markdown(f"Gradient of the {loss} objective over the {len(idx)} training points (weights at step "
                f"{ex.state.step}, λ = {fmt(reg)}, penalty {PENALTY_TEXT[penalty]}) vs central differences: max "
                f"relative error "
                f"**{fmt(chk.max_rel_error)}**: they {verdict}.")  # fmt: skip
    if ex.objective != "softmax" and not chk.ok():
        st.caption(
            "An SVM loss has kinks where a margin is exactly 0: a margin within the difference step of its "
            "kink makes the two disagree there, by design (the loss has no derivative at a kink)."
        )
    data = {"class": list(ex.names)}
    for j, c in enumerate(weight_columns(ex.features)):
        data[f"analytic ∂/∂{c}"] = _col(chk.analytic_dW[:, j])
        data[f"numeric ∂/∂{c}"] = _col(chk.numeric_dW[:, j])
    st.dataframe(data, hide_index=True, width="stretch")


def samples_panel(sess: Session, on_select) -> None:
    """Every point with its scores, p_y, L_i and verdict; sortable; ticking a row's box selects that point."""
    cols, totals = sample_table(sess.frame, sess.settings.reg, sess.settings.penalty)
    ex = sess.frame.explorer  # the table's own points and loss
    n_train = ex.n_points - ex.n_test
    # With no training point there is no data loss (a mean over nothing), so no objective either.
    parts = " · ".join(
        f"{k} {fmt(v)}" if np.isfinite(v) else f"{k}: none (no training point)" for k, v in totals.items()
    )
    which = f"{n_train} training points, not the test points" if ex.n_test else f"{n_train} points"
    loss = (
        "L_i = −log p_y"
        if ex.objective == "softmax"
        else f"L_i is the {LOSSES[ex.objective]} loss, Δ = {fmt(ex.delta)}"
    )
    st.markdown(f"**{parts}** (the data loss is the mean of L_i over the {which}; {loss}; a tie counts as wrong). "
                f"Showing {sess.frame.moment}; tick a row's box (left) to select its point, click a header "
                "to sort.")  # fmt: skip
    key = f"samples_{sess.rev}"
    st.dataframe(cols, hide_index=True, width="stretch", height=300, key=key, on_select=lambda: on_select(key),
                 selection_mode="single-row",
                 column_config=_sample_columns(sess.frame.explorer.names))  # fmt: skip


def _sample_columns(names) -> dict:
    """The Samples table's columns: the verdicts as checkboxes, the class column and each score
    column as narrow as a long class name allows (its full name in the header's tooltip), so that
    p_y, L_i and "correct" stay on screen with 8 classes of 40-character names."""
    config = {name: st.column_config.CheckboxColumn(name) for name in ("correct", "in step", "test point")}
    config["class"] = st.column_config.TextColumn("class", width="medium")
    for m, name in enumerate(names):
        config[f"f {name}"] = st.column_config.NumberColumn(words.score_header(m, name), help=f"score f of {name}")
    return config
