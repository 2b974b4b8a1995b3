"""Every sentence, caption and formula the explorer shows, built in one place from the numbers the
session computed (``SampleMath``, the frame's record, the explorer's state).

The session model holds numbers only; what is said about them is said here, and a sentence is
stated only when it holds for the settings and numbers in force (bias, L2 and its convention, the
batch, x_i = 0, p = 1), so a sentence cannot describe another computation than the table beside it.
"""

from __future__ import annotations

import numpy as np

from linclass.core import objective as kernel
from linclass.core.features import PLANE, in_plane
from linclass.session.frame import Frame
from linclass.session.settings import FEATURE_NAMES, LOSS_NAMES
from linclass.session.view import SampleMath, shown_pair

__all__ = [
    "fmt",
    "math_sentences",
    "update_note",
    "status_line",
    "landscape_caption",
    "landscape_panel_caption",
    "simplex_caption",
    "scene_heading",
    "lesson_loaded",
    "draft_note",
]

SAMPLE_COEFF = "(p_m - [m = y_i])"
BATCH_COEFF = "(p_{i,m} - [m = y_i])"
# What is said of each SVM loss (softmax's words are the derivation's own): its margin, its coefficients
# in words, and (SVM_TEX) its L_i, its margins' column name and its coefficients in TeX.
MARGIN_TEX = {"hinge": r"f_m - f_{y_i} + \Delta", "structured": r"f_m - f_{y_i} + \Delta", "ova": r"\Delta - t_m f_m"}
COEFF_WORDS = {
    "hinge": r"$c_{i,m} = 1$ for each violated margin of sample $i$ and $c_{i,y_i}$ minus their number",
    "structured": r"$c_{i,m} = 1$ at sample $i$'s strongest rival when its margin is violated, $-1$ at $y_i$",
    "ova": r"$c_{i,m} = 1$ where $\Delta + f_m > 0$ ($m \neq y_i$) and $c_{i,y_i} = -1$ where $\Delta - f_{y_i} > 0$",
}
# Each SVM loss's L_i, its margins' name, its coefficients and what it says after its value, in TeX.
SVM_TEX = {
    "hinge": (
        r"\sum_{m \neq y_i} \max(0,\ f_m - f_{y_i} + \Delta)",
        "f_m − f_y + Δ",
        r"c_m = \begin{cases} [f_m - f_{y_i} + \Delta > 0] & m \neq y_i \\ "
        r"-\sum_{k \neq y_i} [f_k - f_{y_i} + \Delta > 0] & m = y_i \end{cases}",
        "",
    ),
    "ova": (
        r"\sum_m \max(0,\ \Delta - t_m f_m)",
        "Δ − t_m f_m",
        r"c_m = \begin{cases} [\Delta + f_m > 0] & m \neq y_i \\ -[\Delta - f_{y_i} > 0] & m = y_i \end{cases}",
        r",\quad t_m = \pm 1\ (+1 \text{ at } y_i)",
    ),
    "structured": (
        r"\max(0,\ \Delta + \max_{m \neq y_i} f_m - f_{y_i})",
        "f_m − f_y + Δ",
        r"c_m = [\text{violated}] \cdot \begin{cases} 1 & m = \text{the strongest rival} \\ -1 & m = y_i "
        r"\\ 0 & \text{otherwise} \end{cases}",
        "",
    ),
}
PENALTY_TEX = {"half": r"\frac{1}{2}\lambda \|W\|^2", "full": r"\lambda \|W\|^2"}
PENALTY_TEXT = {"half": "½λ‖W‖²", "full": "λ‖W‖²"}  # the same, in plain text (legends, captions)


def fmt(v: float) -> str:
    """A number for reading: 4 significant digits, scientific notation when tiny or huge."""
    v = float(v)
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    return f"{v:.4g}".replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e")


def precise(v: float) -> str:
    """A loss for reading beside another tool's: 7 significant digits, trailing zeros kept (1.836640)."""
    v = float(v)
    if not np.isfinite(v):
        return str(v)
    return f"{v:#.7g}".replace("e-0", "e-").replace("e+0", "e+").replace("e+", "e")


def column(values) -> list[str]:
    """Numbers that belong together (a table column, a vector) for reading: an entry below 1e-12 of
    the column's size (at least 1) is rounding, the sum of terms that cancel, and is shown as 0."""
    v = np.asarray(values, dtype=float)
    floor = 1e-12 * max(1.0, float(np.abs(v[np.isfinite(v)]).max(initial=0.0)))
    return [fmt(0.0 if abs(x) <= floor else x) for x in v.tolist()]


def short_name(name: str, chars: int) -> str:
    """A class name cut to ``chars`` characters with "…", where a label has little room and the
    full name is shown nearby (a legend, a tooltip)."""
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def score_header(m: int, name: str) -> str:
    """The Samples table's header over class ``m``'s scores: ``f <name>``, the name cut to 10
    characters so that eight long names leave the table's verdict columns on screen."""
    return f"f {short_name(name, 10)}"


def _vector(values) -> str:
    return "(" + ", ".join(column(values)) + ")"


# ----- features ------------------------------------------------------------------------------------
FEATURE_TEX = {"x1": "x_1", "x2": "x_2", "x1sq": "x_1^2", "x2sq": "x_2^2", "x1x2": "x_1 x_2", "sinx1": r"\sin x_1",
               "sinx2": r"\sin x_2"}  # fmt: skip


def features_heading() -> str:
    return "**Features φ(x)**: the classifier is linear in the inputs switched on"


def features_caption(text: str) -> str:
    """What the feature toggles do, for the features ``text`` ("x1,x2,x1x2") in force."""
    names = text.split(",")
    shown = ", ".join(FEATURE_NAMES[f] for f in names)
    where = ("the regions on the plane are exact polygons" if in_plane(names) else
             "the regions on the plane are painted from the model, pixel by pixel")  # fmt: skip
    return (f"φ(x) = ({shown}): W has {len(names)} column{'s' * (len(names) > 1)}, one per feature; {where}. "
            "Switching a feature starts the weights afresh.")  # fmt: skip


def with_phi(text: str, features) -> str:
    """A sentence or formula of the derivation with x_i replaced by phi(x_i) when the model is on
    features other than the plane's own (the derivation is the same, in feature space)."""
    if tuple(features) == PLANE:
        return text
    return text.replace("x_i", r"\phi(x_i)").replace("xᵢ", "φ(xᵢ)")


def sample_heading(mth: SampleMath, moment: str, role: str, name: str, cols: str) -> str:
    """The math panel's first line: the sample, x_i (and phi(x_i) with features), the true class."""
    x = rf"$x_i = ({fmt(mth.x[0])},\ {fmt(mth.x[1])})$"
    if mth.features != PLANE:
        entries = r",\ ".join(f"{FEATURE_TEX[f]} = {fmt(v)}" for f, v in zip(mth.features, mth.phi, strict=True))
        x += rf", $\phi(x_i) = ({entries})$, $\|\phi(x_i)\|^2 = {fmt(mth.sq_norm)}$"
    else:
        x += rf", $\|x_i\|^2 = {fmt(mth.sq_norm)}$"
    return (f"**Showing {moment}.** Sample **#{mth.index}** ({role}): {x}, true class $y_i$ = {name}. "
            f"The columns {cols} are **before** the step.")  # fmt: skip


def pair_caption(features, pair) -> str:
    """What the arrows and the landscape are drawn over: two of W's columns, with features."""
    a, b = pair
    if tuple(features) == PLANE and pair == PLANE:
        return ""
    over = f"({FEATURE_NAMES[a]}, {FEATURE_NAMES[b]})" if b is not None else f"{FEATURE_NAMES[a]} (the only feature)"
    return f"rows over {over}"


def arrows_title(label: str) -> str:
    """The arrows panel's heading: the rows and the step's update (the pair of features they are
    drawn over is the first line of ``update_note``: a heading with it did not fit at 1280 px)."""
    return f"w_m → {label}"


def column_name(feature: str) -> str:
    """A weights table's header for W's column of ``feature``: w·x₁, w·x₁x₂, ..."""
    return f"w·{FEATURE_NAMES[feature]}"


def weight_columns(features) -> list[str]:
    """The weights tables' headers of W's columns: w₁, w₂ on the plane's own features, else one
    ``column_name`` per feature."""
    return ["w₁", "w₂"] if tuple(features) == PLANE else [column_name(f) for f in features]


def pair_axes(features, pair: str) -> tuple[str, str]:
    """The landscape's axis titles for the pair of W's columns it is drawn over, as the weights
    tables name them (w₁, w₂ on the plane's own features; else w·x₁x₂ ...)."""
    cols = pair.split(",")
    if tuple(features) == PLANE and tuple(cols) == PLANE:
        return "w₁", "w₂"
    return column_name(cols[0]), column_name(cols[-1])


# ----- the math panel ------------------------------------------------------------------------------
def math_sentences(frame: Frame, mth: SampleMath) -> tuple[str, ...]:
    """What the step does to the focus sample, each sentence true for these settings and numbers."""
    says = _svm_sentences(frame, mth) if mth.objective != "softmax" else _softmax_sentences(frame, mth)
    if mth.held_out:
        says = (f"Sample #{mth.index} is a **test point**: it is in no step (steps use training points only); the "
                "table shows what this step, taken on training points, does to its scores.", *says)  # fmt: skip
    return says


def l2_term_tex(rec) -> str:
    """The L2 term the math panel's gradient formula adds to each row, for the record's step: "" without L2."""
    return f" + {_l2_gradient(rec)}" if rec.reg > 0 else ""


def objective_sentence(state, reg: float, penalty: str) -> str:
    """The objective of the state on screen, data loss and total to 7 digits (for reading beside another tool)."""
    if state.loss is None:
        return ""
    if not reg:
        return (f"In the state on screen (step {state.step}) the data loss is **{precise(state.loss)}**, and so is "
                "the total (λ = 0).")  # fmt: skip
    l2 = float(kernel.penalty(state.W, reg, penalty))
    return (f"In the state on screen (step {state.step}): data loss **{precise(state.loss)}** + "
            f"${PENALTY_TEX[penalty]}$ = {precise(l2)} ($\\lambda = {fmt(reg)}$, on $W$ only) = total "
            f"**{precise(state.loss + l2)}**.")  # fmt: skip


def demo_note(settings) -> str:
    """For the cs231n-demo preset: how the demo's own step differs from linclass's (its page adds 0.5 λ W
    to the gradient of a penalty whose derivative is 2 λ W)."""
    if settings.preset != "cs231n-demo":
        return ""
    # Only what holds whatever the settings: the losses agree with the demo's only at its exact
    # start (bias on, full penalty, its points), so that is not claimed (the review found it shown
    # with the bias off and with lambda = 0).
    then = ("with λ = 0 that term is zero, and the two gradients agree" if not settings.reg
            else "so with λ > 0 a step here and a step of the demo's page lead to different weights")  # fmt: skip
    return (
        r"The CS231n demo's own page adds $0.5\,\lambda W$ to the gradient, which is not the derivative of "
        rf"its penalty $\lambda \sum W^2$ (that is $2\lambda W$); linclass steps by the true gradient: {then}."
    )


def _l2_gradient(rec) -> str:
    """The L2 term of a row's gradient in the record's convention: lambda w_m or 2 lambda w_m."""
    return r"\lambda w_m" if kernel.PENALTIES[rec.penalty] == 0.5 else r"2\lambda w_m"


def _batch_sentence(rec, coeff_tex: str) -> str:
    """What a batch step's update is; for a batch of one, the sample's own update."""
    kind = "mini-batch" if rec.mode == "minibatch" else "full-batch"
    l2 = f" $+ {_l2_gradient(rec)}$" if rec.reg > 0 else ""
    if len(rec.indices) == 1:
        return (f"This is a {kind} step on one sample (#{int(rec.indices[0])}): its update is that sample's, "
                rf"$\nabla_{{w_m}} = {coeff_tex}\, x_i$" + l2 + ".")  # fmt: skip
    return (
        f"This is a {kind} step on {len(rec.indices)} samples: each row's update is the **mean** of the samples' "
        rf"updates, $\nabla_{{w_m}} = \frac{{1}}{{B}}\sum_i {coeff_tex}\, x_i$"
        + l2
        + ". The rows no longer all move along one $x_i$; below is the effect on the scores of the sample shown."
    )


def _bias_sentence(rec, mean_c: np.ndarray, coeff_tex: str) -> str:
    """How the bias moves, with the numbers: -lr times the batch mean of the coefficients (the bias
    is not penalised), which is -lr * db, the table's gradient."""
    moves = _vector(-rec.lr * mean_c)
    if len(rec.indices) == 1:
        return rf"The bias moves by $-\gamma\, {coeff_tex}$ = {moves}, which adds that much to each score change."
    return (rf"The bias moves by $-\gamma \frac{{1}}{{B}}\sum_i {coeff_tex}$ = {moves} (the batch's mean, not this "
            "sample's alone), which adds that much to each score change.")  # fmt: skip


def _l2_sentence(rec) -> str:
    """What the L2 term adds to a score change, in the record's penalty convention."""
    factor = r"\lambda" if kernel.PENALTIES[rec.penalty] == 0.5 else r"2\lambda"
    return rf"L2 adds $-\gamma {factor}\, w_m \cdot x$ to the change of score $f_m$."


def _still(df, lr: float) -> bool:
    """No score of the sample changes (to 12 digits)."""
    return float(np.max(np.abs(df))) < 1e-12 * max(1.0, lr) if len(df) else True


def _softmax_sentences(frame: Frame, mth: SampleMath) -> tuple[str, ...]:
    rec = frame.record
    coeff_tex = BATCH_COEFF if len(rec.indices) > 1 else SAMPLE_COEFF
    batch = [] if rec.mode == "sample" else [_batch_sentence(rec, coeff_tex)]
    return _step_sentences(rec, mth, batch, _softmax_rows(rec, mth), coeff_tex, _softmax_effect(rec, mth))


def _step_sentences(rec, mth: SampleMath, batch: list, rows: list, coeff_tex: str, effect: str) -> tuple[str, ...]:
    """Every loss's sentences in one order: the batch, how the rows move, the bias, L2, the effect."""
    out = [*batch, *rows]
    if rec.b_before is not None:
        out.append(_bias_sentence(rec, mth.mean_coeff, coeff_tex))
    if rec.reg > 0:
        out.append(_l2_sentence(rec))
    return (*out, effect)


def _softmax_rows(rec, mth: SampleMath) -> list[str]:
    """How the rows move on one sample, when that is what the step is."""
    if rec.mode != "sample":
        return []
    if rec.reg > 0:
        return [rf"With L2 ($\lambda = {fmt(rec.reg)}$) each row's gradient is $(p_m - [m = y_i])\, x_i$ plus "
                rf"${_l2_gradient(rec)}$: the rows also shrink toward 0, so the updates are **not** all parallel to "
                "$x_i$."]  # fmt: skip
    if not np.any(mth.phi if mth.phi is not None else mth.x):
        if rec.b_before is not None:
            return []
        return [r"Here $x_i = 0$: every gradient row $(p_m - [m = y_i])\, x_i$ is zero, so this step changes "
                "no weight and no score."]  # fmt: skip
    return [r"Each row moves along $\pm x_i$: $w_m$ by $-\gamma p_m x_i$ for $m \neq y_i$, $w_{y_i}$ by "
            r"$+\gamma (1 - p_{y_i})\, x_i$; the coefficients $p - e_y$ sum to zero. A component of $w_m$ "
            r"($m \ne y_i$) goes down only where the matching component of $x_i$ is positive: "
            r"\"$p_m x_i \ge 0$, so $w_m$ decreases\" holds only for non-negative $x_i$."]  # fmt: skip


def _softmax_effect(rec, mth: SampleMath) -> str:
    df, yi = mth.predicted_df, mth.y
    if _still(df, rec.lr):
        return "This step changes no score of this sample (to 12 digits)" + (
            r": $p_{y_i}$ is 1 to machine precision." if mth.p[yi] > 1 - 1e-12 else "."
        )
    if rec.mode == "sample" and rec.b_before is None and rec.reg == 0:
        return (
            rf"So $f_{{y_i}}$ rises by $\gamma (1 - p_{{y_i}}) \|x_i\|^2 = {fmt(df[yi])}$ and every other "
            r"$f_m$ falls by $\gamma p_m \|x_i\|^2$: the true class's score rises, every other score falls."
        )
    if df[yi] > 0 and all(df[m] < 0 for m in range(len(df)) if m != yi):
        return "Here the true class's score rises and every other score falls."
    return "Here not every other score falls: see the Δf column (the bias, L2 or the batch's other samples pull too)."


def _svm_moves(coeff) -> str:
    """How each row moves under one sample's SVM coefficients c (no L2), read off the numbers."""
    parts = [rf"$w_{{{m}}}$ by $-\gamma \cdot {fmt(c)}\, x_i$" for m, c in enumerate(coeff.tolist()) if c > 0]
    parts += [rf"$w_{{{m}}}$ by $+\gamma \cdot {fmt(-c)}\, x_i$" for m, c in enumerate(coeff.tolist()) if c < 0]
    total = ("the coefficients sum to zero" if abs(float(coeff.sum())) < 1e-12
             else f"the coefficients sum to {fmt(coeff.sum())}, not zero: each class is pushed on its own")  # fmt: skip
    return (
        r"Each row moves by $-\gamma c_m x_i$ (rows counted from 0): "
        + ", ".join(parts)
        + "; the others stay; "
        + total
        + "."
    )


def _svm_sentences(frame: Frame, mth: SampleMath) -> tuple[str, ...]:
    rec = frame.record
    coeff_tex = "c_{i,m}" if len(rec.indices) > 1 else "c_m"
    batch = [] if rec.mode == "sample" else [_batch_sentence(rec, coeff_tex) + f" Here {COEFF_WORDS[rec.objective]}."]
    return _step_sentences(rec, mth, batch, _svm_rows(rec, mth), coeff_tex, _svm_effect(rec, mth))


def _svm_rows(rec, mth: SampleMath) -> list[str]:
    single = rec.mode == "sample"
    if not np.any(mth.coeff):
        yi = mth.y
        still = rf" Softmax would still push it: $p_{{y_i}} = {fmt(mth.p[yi])} < 1$." if mth.p[yi] < 1 else ""
        return [
            rf"Every margin is met (${MARGIN_TEX[rec.objective]} \le 0$): $L_i = 0$ and this sample's gradient is "
            "zero" + (", so this step changes no weight." if single and rec.reg == 0 else ".") + still
        ]
    if not single:
        return []
    if rec.reg > 0:
        return [rf"With L2 ($\lambda = {fmt(rec.reg)}$) each row's gradient is $c_m x_i + {_l2_gradient(rec)}$: the "
                r"rows also shrink toward 0, so the updates are **not** all parallel to $x_i$."]  # fmt: skip
    if not np.any(mth.phi if mth.phi is not None else mth.x) and rec.b_before is None:
        return [r"Here $x_i = 0$: every gradient row $c_m x_i$ is zero, so this step changes no weight and no score."]
    n = int(np.sum(mth.margins > 0))
    return [f"{n} margin{'s are' if n != 1 else ' is'} violated (✗ in the table). " + _svm_moves(mth.coeff)]


def _svm_effect(rec, mth: SampleMath) -> str:
    """What the step does to the sample's scores, checked on the numbers."""
    df, yi, coeff = mth.predicted_df, mth.y, mth.coeff
    viol = [m for m in range(len(coeff)) if coeff[m] > 0]
    if _still(df, rec.lr):
        return "This step changes no score of this sample (to 12 digits)."
    if rec.mode == "sample" and rec.b_before is None and rec.reg == 0 and viol:
        return _svm_exact_effect(rec, mth, len(viol))
    if not viol:
        pull = "L2" if rec.mode == "sample" else "the batch's other samples" + (" and L2" if rec.reg > 0 else "")
        return f"Its scores change only through {pull}: see the Δf column."
    if df[yi] > 0 and all(df[m] < 0 for m in viol):
        return "Here the true class's score rises and every violating class's score falls."
    return ("Here not every violating score falls while the true one rises: see the Δf column (the bias, L2 or the "
            "batch's other samples pull too).")  # fmt: skip


def _svm_exact_effect(rec, mth: SampleMath, n: int) -> str:
    """One sample, no bias, no L2: each score changes by exactly -lr c_m ||x_i||^2."""
    df = mth.predicted_df
    if rec.objective == "hinge":
        return (
            rf"So $f_{{y_i}}$ rises by $\gamma \cdot {n}\, \|x_i\|^2 = {fmt(df[mth.y])}$, each violating $f_m$ "
            rf"falls by $\gamma \|x_i\|^2 = {fmt(rec.lr * mth.sq_norm)}$ and the others stay: each violated margin "
            rf"shrinks by $\gamma ({n} + 1) \|x_i\|^2$, each met one by $\gamma \cdot {n}\, \|x_i\|^2$."
        )
    return (
        r"So each score changes by $-\gamma c_m \|x_i\|^2$: "
        + ", ".join(rf"$\Delta f_{{{m}}} = {fmt(d)}$" for m, d in enumerate(df.tolist()))
        + "."
    )


# ----- the arrows panel ---------------------------------------------------------------------------
def update_note(update, x, rec, features=PLANE, pair=PLANE) -> str:
    """The facts the arrows show, checked on the numbers rather than assumed (``x`` is the sample's
    phi(x_i) over the pair of features drawn, named first when it is not x1, x2). (In Python floats:
    the same products, differences and row-by-row sums as NumPy's, on a handful of numbers.)"""
    over = pair_caption(features, pair)
    return "\n".join(([over] if over else []) + _update_facts(update, x, rec, tuple(features) == PLANE))


def _update_facts(update, x, rec, plane: bool) -> list[str]:
    if update is None:
        return []
    rows = update.tolist()  # (K, 2)
    scale = max(abs(v) for row in rows for v in row)
    if scale == 0:
        return ["this step moves no row (to 12 digits)"]
    notes = [f"all updates ∥ {'xᵢ' if plane else 'φ(xᵢ)'}"] if _parallel(rows, x, scale) else []
    if _sums_to_zero(rows, scale):
        notes.append("Σ updates = 0: mean row (o) fixed")
    elif rec is not None and rec.reg > 0:
        notes.append("mean row moves (o → ×): L2 shrinks every row")
    if rec is not None and rec.mode != "sample":
        notes.append(f"bold: mean of {len(rec.indices)} samples' updates")
    return notes


def _sums_to_zero(rows, scale: float) -> bool:
    s0, s1 = rows[0]
    for u0, u1 in rows[1:]:  # the rows' sum, in np.sum(axis=0)'s order
        s0, s1 = s0 + u0, s1 + u1
    limit = 1e-9 * scale * len(rows)
    return abs(s0) <= limit and abs(s1) <= limit


def _parallel(rows, x, scale: float) -> bool:
    """Every update's cross product with x is zero (to rounding), x itself not zero."""
    norm = None if x is None else float(np.hypot(x[0], x[1]))
    if not norm:
        return False
    x0, x1 = float(x[0]), float(x[1])
    return all(abs(u0 * x1 - u1 * x0) <= 1e-9 * scale * norm for u0, u1 in rows)


# ----- the status line --------------------------------------------------------------------------
def status_line(frame: Frame, reg: float, penalty: str = "half") -> str:
    """Step, loss (of the loss in force; with L2 the objective, the data loss and the L2 term in the
    convention ``penalty``, to 7 digits) and accuracy on the training points, on the test points if
    some are held out, the points and the sample shown."""
    ex = frame.explorer
    s = ex.state
    train = "training " if ex.n_test else ""
    what = "loss" if ex.objective == "softmax" else LOSS_NAMES[ex.objective]
    acc = "–" if s.accuracy is None else f"{100 * s.accuracy:.1f}%"
    parts = [f"step {s.step}", _loss_part(s, reg, penalty, train, what), f"{train}accuracy {acc} (ties count as wrong)"]
    tested = ex.test_measure()
    if tested is not None:
        parts.append(f"test {what} {fmt(tested[0])}, test accuracy {100 * tested[1]:.1f}%")
    parts.append(f"{ex.n_points} points" + (f" ({ex.n_test} test)" if ex.n_test else ""))
    if frame.focus is not None:
        held = ", test point" if ex.test[frame.focus] else ""
        parts.append(f"sample #{frame.focus} ({ex.names[ex.y[frame.focus]]}{held})")
    return "   ·   ".join(parts)


def _loss_part(s, reg: float, penalty: str, train: str, what: str) -> str:
    if s.loss is None:
        return f"{train}{what} –"
    if reg > 0:
        l2 = float(kernel.penalty(s.W, reg, penalty))
        return f"objective {precise(s.loss + l2)} = {train}data {what} {precise(s.loss)} + L2 {precise(l2)}"
    return f"{train}{what} {precise(s.loss)}"


# ----- sharing ----------------------------------------------------------------------------------
def share_caption(ex, length: int) -> str:
    """What the shared link holds, said under it."""
    return (f"This link ({length:,} characters) holds the whole state on screen: {ex.n_points} points, the class "
            f"names, W, b, step {ex.state.step} and every setting. Opening it shows the same numbers (the steps "
            "before this one are not in it: Step back starts here). Copy it with the button at its right.")  # fmt: skip


# ----- the landscape ------------------------------------------------------------------------------
def landscape_caption(frame: Frame, name_sample: bool = True) -> str:
    """The loss a landscape of ``frame`` draws, in words (markdown). ``name_sample=False``: "the
    current sample" instead of its number (Play's caption: the frames on screen each have their own)."""
    rec, ex = frame.record, frame.explorer
    loss = "" if rec.objective == "softmax" else f" ({LOSS_NAMES[rec.objective]}, Δ = {fmt(rec.delta)})"
    if rec.mode == "sample":
        text = f"$L_i$ of sample #{int(rec.indices[0])}" if name_sample else "$L_i$ of the current sample"
    elif rec.mode == "minibatch":
        text = f"the mean loss over the step's {len(rec.indices)} samples"
    else:
        text = f"the mean loss over all {ex.n_points - ex.n_test} training points"
    text += loss
    if rec.reg > 0:
        text += rf" $+\ {PENALTY_TEX[rec.penalty]}$" + f" ($\\lambda = {rec.reg:g}$)"
    return text


def landscape_missing(features, no_step: bool) -> str:
    """Why there is no landscape: no step to show, or a model on one feature (no plane of two entries)."""
    if no_step:
        return "Add points to see the loss over a weight row's plane."
    return (f"The landscape is drawn over two entries of a row, and the model has one feature only "
            f"({FEATURE_NAMES[features[0]]}): switch on a second feature in Model.")  # fmt: skip


def landscape_panel_caption(frame: Frame, L, row_name: str, playing: bool, playing_note: str,
                            pair: str = "x1,x2") -> str:  # fmt: skip
    """The landscape panel's caption: what is drawn, and the geometry that holds for these settings."""
    rec, features = frame.record, frame.explorer.features
    moment = playing_note if playing else f"Showing {frame.moment}."  # playing: the screen is behind the model
    shown = shown_pair(features, pair)
    over = ""
    if tuple(features) != PLANE:
        over = (f" (its entries on the features {FEATURE_NAMES[shown[0]]} and {FEATURE_NAMES[shown[1]]}, picked "
                "in Model; the row's other entries as they were)")  # fmt: skip
    text = (
        f"{moment} Contours: {landscape_caption(frame, name_sample=not playing)} over the plane of row "
        f"**{row_name}**{over}, the other rows as before the step (lines evenly spaced in log loss). The arrow is "
        "the step's change of the row, −γ∇, at right angles to the contours; the line is the row's path so far."
    )
    return with_phi(_landscape_geometry(text, L, rec), features)


def _landscape_geometry(text: str, L, rec) -> str:
    """The landscape caption's last sentences: the geometry that holds for the step's sample."""
    if L.x is None:
        return text
    if not np.any(L.x):
        return (
            text
            + r" Here $x_i = 0$: $L_i$ does not depend on $w_m$ at all, so the plane is flat"
            + (" but for the L2 term." if rec.reg > 0 else ".")
        )
    if rec.reg > 0:
        return text + (
            r" The dotted line is the direction of $x_i$. $L_i$ alone depends on $w_m$ only through "
            r"$w_m \cdot x_i$, so its contours would be straight lines across it; the L2 term "
            rf"($\lambda = {fmt(rec.reg)}$) bends them into curves around the origin."
        )
    return text + (
        r" The dotted line is the direction of $x_i$: the contours of $L_i$ are straight lines across it, "
        r"because $L_i$ depends on $w_m$ only through $w_m \cdot x_i$."
    )


def simplex_caption(frame: Frame, S, names, playing: bool, playing_note: str) -> str:
    """The simplex panel's caption: what its dots and line are, and what they are not under an SVM loss."""
    ex = frame.explorer
    sample = "the current sample" if playing else ("a sample" if S.sample is None else f"sample #{S.sample}")
    named = "the legend names the sample; " if playing else ""
    moment = playing_note if playing else f"Showing {frame.moment}:"  # while playing, the screen is behind the model
    text = (
        f"{moment} each point's p in the state on screen, a dot in its class colour; the corners are the one-hot "
        "targets e₁, e₂, e₃ (a point's cross-entropy is 0 only at its own class's corner). The line is "
        f"{sample}'s p over the steps so far ({named}select a point to follow it); the shaded parts are where "
        "each class has the largest p."
    )
    if S.renormalised:
        text += (
            f" With {ex.n_classes} classes this is p over {', '.join(names)} alone, renormalised to sum to 1, "
            "for the points of these classes."
        )
    if ex.objective != "softmax":
        text += (
            f" These p are the softmax of the scores, shown for comparison: the loss in force, the "
            f"{LOSS_NAMES[ex.objective]}, does not use them, and is 0 once every margin is met, wherever p lies."
        )
    return text


# ----- lessons ------------------------------------------------------------------------------------
def scene_heading(k: int, n: int, title: str) -> str:
    """What the page says of the scene on screen: "Scene k / n: title"."""
    return f"Scene {k} / {n}: {title}"


def lesson_loaded(title: str, n: int, name: str) -> str:
    return (f"Loaded the lesson {title!r}: {n} scene{'s' * (n != 1)}. PageDown and PageUp move through them; "
            f"students open it at this address with ?lesson={name}")  # fmt: skip


def draft_note(n: int) -> str:
    if not n:
        return "The lesson being built has no scene yet: set up a moment, give it a title and add it."
    return f"The lesson being built has {n} scene{'s' * (n != 1)}."


def undrawable(problem: str) -> str:
    """Instead of the plots, when a figure of this moment holds a number no browser can be sent."""
    return (f"This moment cannot be drawn: {problem}. The weights are kept; step back, or start the "
            "weights afresh (and lower the learning rate γ or the L2 strength λ if the steps diverged).")  # fmt: skip
