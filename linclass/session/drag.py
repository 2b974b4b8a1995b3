"""What the page needs to preview a dragged point by itself: the numbers of the next step's formula.

Dragging point j with the Select tool moves x_j and nothing else (φ(x_j) with it, when the model is
linear in features φ(x): linclass/core/features.py). W and b stay until a step, so the
decision regions stay too; what x_j changes is the sample's bars (if j is the sample) and the next
step's update (if j is one of the step's samples). For the loss in force those are

    f = W φ(x) + b                    the bars: p = softmax(f), or the loss's margins
    U = -lr [ (1/B) sum_i C_i φ(x_i)^T + 2 c reg W ]     over the step's B samples

with C_i = dL_i/df_i the loss's coefficients: the kernel's dW (``linclass/core/objective.py``) and
each loss's ``loss_and_coeffs`` and ``margins`` (``linclass/core/losses/``). The page evaluates
them at the pointer's pace, every painted frame, in ``static/linclass-drag.js``, which names these
homes beside each formula; ``tests/js/drag.test.mjs`` checks its numbers against this side's
(fixtures written by ``tests/session/test_drag.py``). A Python round trip per frame would take
80 ms or more (a Streamlit rerun), far from 30 frames a second.
"""

from __future__ import annotations

import numpy as np

from ..core import objective as kernel
from .frame import Frame
from .view import shown_pair

__all__ = ["MAX_DRAG_POINTS", "drag_basis"]

MAX_DRAG_POINTS = 5_000  # the points' coordinates travel with every update in Select mode: a bounded cost


def drag_basis(frame: Frame, pair: str = "x1,x2") -> dict | None:
    """The numbers the preview's formulas need, for ``frame`` (``Session.drag_frame``: the next step
    from the state on screen, or no step at all), as JSON-ready values; None without points or with
    more than MAX_DRAG_POINTS (points are then moved without a preview of the bars and arrows).

    W (K, D) over the model's features (the plane's x₁, x₂, or φ(x)), b (K) or None, X (N, 2) the
    points on the plane, y (N), test (the held-out points' indices: they cannot be moved), features
    (W's columns, as linclass/core/features.py names them: the page computes φ(x) of the point
    where it is), pair (the columns of W the arrows are drawn over, ``pair`` as the view picks it,
    -1 for none), loss and delta (the loss in force), focus (the sample the bars describe),
    selected, members (the step's samples, in order; none without a step), lr and l2 = 2 c reg (the
    penalty's gradient factor, c from the penalty convention)."""
    ex = frame.explorer
    if ex.n_points == 0 or ex.n_points > MAX_DRAG_POINTS:
        return None
    st, rec = ex.state, frame.record
    cols = [-1 if f is None else ex.features.index(f) for f in shown_pair(ex.features, pair)]
    basis = {
        "W": st.W.tolist(), "b": None if st.b is None else st.b.tolist(), "X": ex.X.tolist(), "y": ex.y.tolist(),
        "test": np.flatnonzero(ex.test).tolist(), "features": list(ex.features), "pair": cols, "loss": ex.objective,
        "delta": ex.delta, "focus": frame.focus, "selected": ex.selected, "members": [], "lr": 0.0, "l2": 0.0,
    }  # fmt: skip
    if rec is not None:
        basis |= {"members": np.asarray(rec.indices).tolist(), "lr": rec.lr, "loss": rec.objective,
                  "delta": rec.delta, "l2": 2 * kernel.PENALTIES[rec.penalty] * rec.reg}  # fmt: skip
    return basis
