"""The regions of a model on non-linear features, as the page paints them (issue 21): the trace that
carries the model (figures.regions_trace), and the node tests' fixture.

The page evaluates phi(x), the scores, the winner and max p at every pixel itself
(static/linclass-regions.js); tests/js/regions.test.mjs checks its numbers against the ones written
here, which are Python's own: ``core.regions.region_grid`` (the oracle) at the points of a grid,
max p in float64 from the core's softmax, and the confidence level the server's PNG used to have.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from linclass.core import objective as kernel
from linclass.core.features import FEATURES, phi
from linclass.core.losses.softmax import max_probability
from linclass.core.regions import TIE, region_grid
from linclass.session.session import Session
from linclass.session.view import RegionsModel, make_view
from linclass.ui import figures
from linclass.ui.plotly_view import _dumps, jsonable
from tests.harness import check_node_fixture

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "regions.json"
N = 13  # grid points per side in the fixture: 169 points a case
EVERY = 5  # ... and phi and the scores at every 5th of them


def quantised(pmax: np.ndarray, K: int) -> np.ndarray:
    """The confidence level of max p, as the server's PNG of the regions quantised it (figures.py's
    regions_image before the page painted the regions): NaN (a score not finite) is the full veil."""
    K = max(K, 2)
    conf = np.clip((np.nan_to_num(pmax, nan=1 / K) - 1 / K) / (1 - 1 / K), 0, 1)
    return np.round(conf * (figures.LEVELS - 1)).astype(int)


def _cases() -> list[tuple[str, np.ndarray, np.ndarray | None, tuple, tuple]]:
    """(what, W, b, features, bounds): every feature, bias on and off, K = 2..8, ties and overflow.
    The features in canonical order, as the model has them (``core.features.feature_names``)."""
    rng = np.random.default_rng(21)
    out = []
    for K in range(2, 9):  # every feature alone and all together, each K, bias on and off
        feats = FEATURES if K % 2 else (FEATURES[K % len(FEATURES)],)
        W = rng.normal(size=(K, len(feats)))
        b = None if K % 3 == 0 else rng.normal(size=K)
        out.append((f"K={K}", W, b, feats, (-2.5, 2.0, -1.5, 3.0)))
    for f in FEATURES:  # each feature beside another
        other = "sinx2" if f == "x1x2" else "x1x2"
        feats = tuple(sorted({f, other}, key=FEATURES.index))
        out.append((f"{f} with {other}", rng.normal(size=(3, 2)), rng.normal(size=3), feats, (-3.0, 3.0, -3.0, 3.0)))
    W = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0], [0.0, 0.0, 0.0]])  # XOR's rows: ties on both axes
    out.append(("ties on the axes", W, None, ("x1", "x2", "x1x2"), (-1.0, 1.0, -1.0, 1.0)))
    twins = np.array([[1.0, 2.0, 0.5], [1.0, 2.0, 0.5], [-1.0, 0.0, 0.2]])  # two identical rows: a tie area
    out.append(("identical rows", twins, np.array([0.1, 0.1, 0.0]), ("x1", "x2sq", "sinx1"), (-2.0, 2.0, -2.0, 2.0)))
    huge = np.array([[0.0, 1e308], [1e308, 0.0], [1.0, -1e308]])  # 1e308 x1^2: the scores overflow
    out.append(("overflow", huge, None, ("x2", "x1sq"), (-3.0, 3.0, -3.0, 3.0)))
    out.append(("near-sure", 40 * rng.normal(size=(4, 3)), 5 * rng.normal(size=4), ("x1", "x2", "x1x2"),
                (-1.0, 1.0, -1.0, 1.0)))  # fmt: skip
    return out


CASES = _cases()


def case(what, W, b, feats, bounds) -> dict:
    xs, ys, winner, _ = region_grid(W, b, bounds, feats, N, confidence=True)
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        f = kernel.scores(W, b, phi(np.column_stack([gx.ravel(), gy.ravel()]), feats))
        top = f.max(axis=1)
        pmax = np.where(np.isfinite(f).all(axis=1), max_probability(f, top), np.nan)
    model = RegionsModel(W, b, feats, True)
    trace = jsonable(figures.regions_trace(model, bounds, len(W)))
    finite = np.isfinite(f)
    some = slice(None, None, EVERY)
    return {"what": what, "trace": trace, "x": gx.ravel().tolist(), "y": gy.ravel().tolist(),
            "phi": phi(np.column_stack([gx.ravel(), gy.ravel()]), feats)[some].tolist(),
            "scores": [[v if ok else None for v, ok in zip(r, k, strict=True)]
                       for r, k in zip(f[some].tolist(), finite[some], strict=True)],
            "finite": finite.all(axis=1).tolist(),
            "winner": winner.ravel().tolist(), "pmax": [None if np.isnan(p) else float(p) for p in pmax],
            "level": quantised(pmax, len(W)).tolist()}  # fmt: skip


def fixture() -> dict:
    return {"tie": TIE, "cases": [case(*c) for c in CASES]}


def test_the_node_fixture_is_what_python_computes():
    check_node_fixture(FIXTURE, fixture())


def test_the_fixture_has_ties_overflow_every_feature_and_every_k():
    cases = fixture()["cases"]
    assert {c["trace"]["meta"]["K"] for c in cases} >= set(range(2, 9))
    assert {f for c in cases for f in c["trace"]["meta"]["features"]} == set(FEATURES)
    assert any(TIE in c["winner"] and all(c["finite"]) for c in cases)  # true ties
    assert any(not all(c["finite"]) for c in cases)  # overflow
    assert {c["trace"]["meta"]["b"] is None for c in cases} == {True, False}
    assert {min(c["level"]) for c in cases} & {0} and {max(c["level"]) for c in cases} & {figures.LEVELS - 1}


@pytest.mark.parametrize("shading", [False, True])
def test_a_frame_on_features_sends_the_model_not_a_picture(shading):
    s = Session.start({"preset": "xor", "features": "x1,x2,x1x2", "mode": "batch", "lr": "3"}).step(4)
    v = make_view(s.frame, shading=shading)
    plane = figures.frame_figures(s.frame, v)["plane"]
    go.Figure(json.loads(plane.to_json()))  # a valid Plotly figure: an image trace with the model in its meta
    (t,) = [t for t in plane["data"] if t["name"] == "regions"]
    meta = t["meta"]
    np.testing.assert_array_equal(meta["W"], s.explorer.state.W)  # exactly: not rounded
    np.testing.assert_array_equal(meta["b"], s.explorer.state.b)
    assert meta["features"] == ["x1", "x2", "x1x2"] and meta["K"] == 2 and meta["shading"] is shading
    assert meta["bounds"] == list(v.bounds) and meta["levels"] == figures.LEVELS
    assert len(meta["palette"]) == 3 * figures.LEVELS * (len(figures.PALETTE) + 1)
    assert len(_dumps(jsonable(t))) < 3000  # a few hundred numbers, where the PNG was ~14 KiB a frame


def test_the_palette_is_the_polygons_colours_over_white():
    pal = np.array(figures._palette()).reshape(len(figures.PALETTE) + 1, figures.LEVELS, 3)
    for m, c in enumerate(figures.PALETTE):
        rgb = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
        np.testing.assert_allclose(pal[m, -1], 255 - figures.REGION_ALPHA * (255 - rgb), atol=0.5)  # sure: no veil
        assert (pal[m, 0] >= pal[m, -1]).all()  # the veil is white: lighter where unsure
