"""The numbers a dragged point's preview is computed from (session/drag.py), and the node tests' fixture.

The page evaluates the next step's formula itself as the pointer moves (static/linclass-drag.js);
tests/js/drag.test.mjs checks its numbers and figures against the ones written here, which are
Python's own: the frame after the move, as the session draws it.
"""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from linclass.core import objective as kernel
from linclass.core.features import phi
from linclass.session.drag import MAX_DRAG_POINTS, drag_basis
from linclass.session.frame import IDLE, PREVIEW
from linclass.session.session import Session
from linclass.session.view import make_view, shown_pair
from linclass.ui import figures
from linclass.ui.plotly_view import _dumps, jsonable
from tests.harness import check_node_fixture

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "drag.json"

# (link, point to select or None, steps before the drag, the dragged point, where it goes)
# fmt: off
CASES = [
    ({"preset": "cs231n", "bias": "0", "order": "click"}, 4, 0, 4, (0.9, -0.35)),  # the sample itself, softmax
    ({"preset": "cs231n", "order": "click", "reg": "0.1"}, 2, 0, 5, (-0.2, 0.8)),  # another point: bars stay
    ({"preset": "blobs", "n": "30", "k": "3", "seed": "1", "mode": "batch", "reg": "0.1", "penalty": "full"},
     None, 2, 7, (0.45, 0.05)),
    ({"preset": "blobs", "n": "40", "k": "4", "seed": "2", "mode": "minibatch", "batch": "8", "loss": "hinge"},
     3, 1, 3, (-0.6, -0.1)),
    ({"preset": "blobs", "n": "30", "k": "3", "seed": "3", "loss": "ova", "order": "cyclic"}, None, 3, 0, (0.3, 0.3)),
    ({"preset": "blobs", "n": "30", "k": "6", "seed": "4", "loss": "structured", "reg": "0.05", "order": "click",
      "lr": "2"}, 9, 4, 9, (0.1, -0.7)),
    ({"preset": "cs231n-demo", "loss": "hinge"}, 0, 0, 0, (-0.5, 0.5)),  # the demo's W and b, its full batch
    # features (issue 21): phi of the dragged point; the arrows over the pair the user picked
    ({"preset": "xor", "n": "24", "features": "x1,x2,x1x2", "mode": "batch", "lr": "0.5", "reg": "0.01"},
     None, 2, 3, (0.3, -0.4)),
    ({"preset": "circles", "n": "30", "features": "x1,x2,x1sq,x2sq,sinx1", "pair": "x1sq,x2sq", "order": "click",
      "loss": "hinge"}, 5, 1, 5, (0.2, 0.6)),
    ({"preset": "xor", "n": "20", "features": "x1x2,sinx2", "pair": "x1x2,x2", "order": "click"}, 2, 0, 2, (0.5, 0.5)),
    ({"preset": "xor", "n": "20", "features": "x1x2", "order": "click", "loss": "ova"}, 4, 1, 4, (-0.5, 0.7)),
]
# fmt: on


def session(link, select, steps) -> Session:
    s = Session.start(link).set_tool("select")
    if select is not None:
        s = s.select(select)
    return s.step(steps) if steps else s


def side_and_marks(frame, s) -> dict:
    v = make_view(frame, math=False, geometry=s.geometry, pair=s.pair)
    figs = figures.frame_figures(frame, v)
    return {k: json.loads(_dumps(jsonable(figs[k].to_plotly_json()))) for k in ("side", "marks")}, v


def case(link, select, steps, j, to) -> dict:
    s = session(link, select, steps)
    base = s.drag_frame
    basis = drag_basis(base, s.settings.pair)
    before, _ = side_and_marks(base, s.settings)
    moved = s.move(j, *to)
    after, v = side_and_marks(moved.frame, moved.settings)
    return {
        "link": link, "j": j, "to": list(to), "basis": basis, "before": before, "after": after,
        "bars": (v.p if v.margins is None else v.margins).tolist(),
        "update": None if v.update is None else v.update.tolist(),
    }  # fmt: skip


G3 = [0.0, 1.0, 1.5, 1.587111, 1.62377, 0.0923174, 0.000123456, 0.0000123456, 12.345, 999.4, 999.6, 1234.5,
      2.5e17, -3.14159, -0.00001, 100.0]  # fmt: skip


def fixture() -> dict:
    return {"cases": [case(*c) for c in CASES], "g3": [[v, f"{v:.3g}"] for v in G3]}


@pytest.mark.parametrize("c", CASES, ids=lambda c: f"{c[0].get('loss', 'softmax')}-{c[0].get('features', 'x1,x2')}")
def test_the_basis_gives_the_next_steps_update(c):
    """U = -lr (C^T phi(X_members) / B + l2 W), the coefficients from the kernel: the step Python takes."""
    link, select, steps, _, _ = c
    s = session(link, select, steps)
    frame = s.drag_frame
    assert frame.kind == PREVIEW
    b = drag_basis(frame, s.settings.pair)
    W, X, y, m = np.array(b["W"]), phi(np.array(b["X"]), tuple(b["features"])), np.array(b["y"]), b["members"]
    bias = None if b["b"] is None else np.array(b["b"])
    _, C = kernel.sample_terms(b["loss"], W, bias, X[m], y[m], b["delta"])
    U = -b["lr"] * (C.T @ X[m] / len(m) + b["l2"] * W)
    shown = shown_pair(tuple(b["features"]), s.settings.pair)
    assert [b["features"][d] if d >= 0 else None for d in b["pair"]] == list(shown)
    np.testing.assert_allclose(U, frame.record.W_after - frame.record.W_before, rtol=1e-12, atol=1e-15)
    assert b["focus"] == frame.focus and b["selected"] == s.explorer.selected
    assert json.loads(json.dumps(b)) == b  # plain JSON: the page gets it as it is


def test_without_a_step_there_are_no_members_and_without_points_no_basis():
    s = Session.start({"preset": "blobs", "n": "30", "test": "0.3"}).set_tool("select")
    held = int(np.flatnonzero(s.explorer.test)[0])
    idle = s.select(held)  # a test point as the sample: no step to take
    assert idle.drag_frame.kind == IDLE
    b = drag_basis(idle.drag_frame)
    assert b["members"] == [] and b["focus"] == held and held in b["test"]
    assert drag_basis(s.clear().drag_frame) is None
    n = MAX_DRAG_POINTS + 1
    big = replace(s, explorer=s.explorer.with_points(np.linspace(-1, 1, 2 * n).reshape(n, 2), np.arange(n) % 3))
    assert drag_basis(big.frame) is None  # the points are moved without the bars' and arrows' preview


def test_the_node_fixture_is_what_python_draws():
    check_node_fixture(FIXTURE, fixture())


def test_a_feature_beyond_the_plane_keeps_the_preview_and_the_move_lands():
    # The review (issue 21): with x₁x₂ on, a press on a point went to Plotly's zoom, because the page
    # got no preview numbers (it knew x only, not φ(x)). Now it gets the features, and a move lands.
    s = Session.start({"preset": "xor", "n": "20", "features": "x1,x2,x1x2"}).set_tool("select")
    b = drag_basis(s.drag_frame, s.settings.pair)
    assert b is not None and b["features"] == ["x1", "x2", "x1x2"] and b["pair"] == [0, 1]
    assert np.shape(b["W"]) == (2, 3)
    x0 = s.explorer.X[3].copy()
    moved = s.move(3, 0.25, -0.5, tuple(x0))
    np.testing.assert_array_equal(moved.explorer.X[3], [0.25, -0.5])
