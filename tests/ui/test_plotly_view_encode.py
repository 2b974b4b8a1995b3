"""Play's encoding (``encode_frames``) held against a plain oracle: whatever the frames, the
browser's decoding of what Python sends (``reference_decode`` below, the codec of
static/linclass-codec.js written again in plain Python) gives back each figure exactly as plain
JSON writes it; and nothing non-finite is ever sent."""

import base64
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui import figures
from linclass.ui.figures import Fig
from linclass.ui.plotly_view import NonFiniteError, _dumps, encode_frames
from linclass.ui.words import status_line
from tests.ui.test_plotly_view import apply_patch

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "encoded.json"
DTYPES = {"f8": np.float64, "f4": np.float32, "i1": np.int8, "u1": np.uint8, "i2": np.int16, "u2": np.uint16,
          "i4": np.int32, "u4": np.uint32}  # fmt: skip


# ----- the reference decoder: static/linclass-codec.js in plain Python (its patch: test_plotly_view's) ----


def typed(o):
    """Plotly's typed arrays as lists of numbers (as the page's decode turns them into typed arrays)."""
    if isinstance(o, list):
        return [typed(v) for v in o]
    if not isinstance(o, dict):
        return o
    if isinstance(o.get("bdata"), str) and isinstance(o.get("dtype"), str) and o["dtype"] in DTYPES:
        a = np.frombuffer(base64.b64decode(o["bdata"]), dtype=DTYPES[o["dtype"]])
        if "shape" in o:
            a = a.reshape([int(n) for n in o["shape"].split(",")])
        return a.tolist()
    return {k: typed(v) for k, v in o.items()}


def reference_decode(parts, frames):
    """[{figure: {"layout", "data"}}] per frame, from what the page receives (one JSON text)."""
    sent = json.loads(_dumps({"parts": parts, "frames": frames}))  # allow_nan=False: only real JSON
    parts = [json.loads(p) if isinstance(p, str) else p for p in sent["parts"]]

    def part(ref):
        return apply_patch(parts[ref[0]], parts[ref[1]]) if isinstance(ref, list) else parts[ref]

    return [{name: {"layout": {k: typed(part(r)) for k, r in lay.items()}, "data": [typed(part(r)) for r in tr]}
             for name, (lay, tr) in f["figs"].items()} for f in sent["frames"]]  # fmt: skip


# ----- the oracle: a figure as plain JSON, written without the encoder ------------------------------
def plain(o):
    if isinstance(o, np.ndarray):
        return plain(o.tolist())
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items() if not k.startswith("_")}
    if isinstance(o, (list, tuple)):
        return [plain(v) for v in o]
    if isinstance(o, float):
        return o + 0.0  # -0.0 draws as 0.0
    return o


def as_text(o) -> str:
    """JSON text with sorted keys: 1, 1.0 and true differ; a figure's key order does not matter."""
    return json.dumps(plain(o), sort_keys=True)


def expected(frames):
    """Each frame's figures as plain JSON (a dict that is a typed array for Plotly is one here too)."""
    return [{name: {"layout": typed(plain(dict(f)["layout"])), "data": typed(plain(dict(f)["data"]))}
             for name, f in figs.items() if not name.startswith("_")} for figs, _, _ in frames]  # fmt: skip


def round_trip(frames):
    parts, keys, enc = encode_frames(frames)
    assert len(keys) == len(parts) == len(set(keys))  # every part its own key
    assert [(e["status"], e["rev"]) for e in enc] == [(s, r) for _, s, r in frames]
    return reference_decode(parts, enc)


def recorded_chunk(query: dict, count: int = 24):
    """A Play chunk drawn as app.py's main_view draws it: [(figures, status, rev)]."""
    sess = Session.start({"preset": "blobs", "n": "300", "k": "5", **query}).play()
    sess, frames = sess.more(count)
    s, drawn, figs = sess.settings, [], None
    for rev, frame in frames:
        view = make_view(frame, shading=s.shading, math=False, geometry=s.geometry)
        figs = figures.frame_figures(frame, view, reuse=figs, present=s.present)
        drawn.append((figs, status_line(frame, s.reg), rev))
    return drawn


CHUNKS = [
    {}, {"mode": "batch"}, {"mode": "minibatch", "reg": "0.01", "test": "0.2"}, {"loss": "hinge", "bias": "0"},
    {"geometry": "1", "shading": "1"}, {"present": "1"}, {"k": "8", "per_frame": "3", "order": "shuffle"},
    {"preset": "cs231n", "bias": "0", "lr": "1"},
]  # fmt: skip


@pytest.mark.parametrize("query", CHUNKS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "default")
def test_a_recorded_chunk_decodes_to_its_figures(query):
    drawn = recorded_chunk(query, 12)
    assert as_text(round_trip(drawn)) == as_text(expected(drawn))


# ----- any JSON-like figure, with NumPy in it -----------------------------------------------------
LEAVES = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, 1, -3, 0.0, -0.0, 1.0, 2.5, 1e300]),
    st.sampled_from(["", "a", "_a", "bdata", "NaN"]),
    st.builds(np.float64, st.sampled_from([0.5, 2.0])), st.builds(np.int64, st.integers(-2, 2)),
    st.builds(np.float32, st.just(0.25)), st.builds(np.bool_, st.booleans()),
    st.builds(lambda n, s: np.linspace(0, s, n), st.integers(0, 12), st.sampled_from([1.0, 2.0])),
    st.builds(lambda n: np.arange(n), st.integers(0, 3)),
    st.builds(lambda n: np.ones(n, np.float32), st.integers(1, 3)),
    st.builds(lambda: np.eye(2)), st.builds(lambda: np.array([True, False])),
)  # fmt: skip
KEYS = st.sampled_from(["x", "y", "marker", "_hidden", "bdata", "$set", "$list", "dtype"])


def trees(depth: int = 3):
    if depth == 0:
        return LEAVES
    sub = trees(depth - 1)
    return st.one_of(
        LEAVES, st.dictionaries(KEYS, sub, max_size=4), st.lists(sub, max_size=3), st.tuples(sub, sub),
        st.lists(st.dictionaries(KEYS, sub, max_size=3), min_size=1, max_size=3),
    )  # fmt: skip


@st.composite
def variants(draw, tree, depth: int = 4):
    """``tree`` with some parts kept (the same objects), some redrawn, some rebuilt equal."""
    how = draw(st.sampled_from(["keep", "keep", "redraw", "walk"]))
    if how == "keep":
        return tree
    if how == "redraw" or depth == 0:
        return draw(trees(2))
    if isinstance(tree, dict):
        return {k: draw(variants(v, depth - 1)) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(draw(variants(v, depth - 1)) for v in tree)
    return tree


@st.composite
def figure_frames(draw):
    traces = draw(st.lists(trees(), max_size=3))
    layout = draw(st.dictionaries(st.sampled_from(["title", "xaxis", "shapes", "_meta", "font"]), trees(), max_size=4))
    frames = []
    for rev in range(draw(st.integers(1, 4))):
        if rev:
            traces = [draw(variants(t)) for t in traces]
            layout = {k: draw(variants(v)) for k, v in layout.items()}
        frames.append(({"a": Fig(data=traces, layout=layout)}, f"step {rev}", rev))
    return frames


@settings(max_examples=300, deadline=None)
@given(figure_frames())
def test_any_frames_decode_to_their_figures(frames):
    assert as_text(round_trip(frames)) == as_text(expected(frames))


EDGES = {
    "a hidden key": [lambda r: {"_x": r, "y": 1, "m": {"_z": r}}] * 3,
    "keys reordered": [lambda r: {"x": 1, "y": r} if r % 2 else {"y": r, "x": 1}] * 3,
    "a key that looks like a patch": [
        lambda r: {"$set": r, "x": 1},
        lambda r: {"bdata": "AAAA", "dtype": "u1", "y": r},
    ],
    "1, 1.0, True": [lambda r: {"x": [1, 1.0, True][r % 3]}] * 3,
    "list of dicts growing": [lambda r: {"s": [{"a": i} for i in range(r + 1)]}] * 3,
    "array to list": [lambda r: {"x": np.arange(3.0) if r % 2 else [0.0, 1.0, 2.0]}] * 3,
    "tuple and list": [lambda r: {"x": (1, r) if r % 2 else [1, r]}] * 3,
    "NumPy scalars": [lambda r: {"x": np.float64(r / 2), "n": np.int64(r), "f": np.float32(0.5)}] * 3,
}


@pytest.mark.parametrize("name", EDGES)
def test_edge_cases_decode_to_their_figures(name):
    makers = EDGES[name]
    frames = [({"a": Fig(data=[mk(r)], layout={"t": mk(r)})}, "", r) for r, mk in enumerate(makers * 2)]
    assert as_text(round_trip(frames)) == as_text(expected(frames))


# ----- nothing non-finite is sent (issue 19, item 3) ------------------------------------------------
NON_FINITE = [math.nan, math.inf, -math.inf]
WHERE = {
    "a number": lambda v: {"y": v},
    "a list": lambda v: {"y": [1.0, v]},
    "a short array": lambda v: {"y": np.array([v])},
    "a long array": lambda v: {"y": np.r_[np.arange(20.0), v]},
    "a float32 array": lambda v: {"y": np.array([v, 1, 2, 3, 4, 5, 6, 7, 8, 9], np.float32)},
    "a NumPy scalar": lambda v: {"y": np.float64(v)},
    "a nested dict": lambda v: {"marker": {"size": v}},
}


@pytest.mark.parametrize("value", NON_FINITE, ids=str)
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("frame", [0, 1], ids=["first frame", "later frame"])
def test_a_non_finite_number_is_refused_not_sent(value, where, frame):
    good = {"y": [1.0, 2.0], "marker": {"size": 3.0}}
    traces = [good, WHERE[where](value)] if frame else [WHERE[where](value)]
    frames = [({"a": Fig(data=[t], layout={})}, "", r) for r, t in enumerate(traces)]
    with pytest.raises(NonFiniteError):
        encode_frames(frames)


def test_the_dumps_the_page_gets_refuses_nan():
    with pytest.raises(ValueError):
        _dumps({"y": [float("nan")]})
    assert _dumps({"y": [1.5, None]}) == '{"y":[1.5,null]}'


# ----- the node tests' fixture: what this encoder writes, and the figures it stands for ----------------
def fixture_frames():
    def fig(r):
        x = np.linspace(0, 1, 12)
        return Fig(
            data=[dict(type="scatter", x=x, y=x * r, mode="lines", name=f"line {r}"),
                  dict(type="bar", x=["a", "b"], y=np.array([r, 2 * r], np.int64), marker=dict(color=["red", "blue"])),
                  dict(type="heatmap", z=np.arange(4.0).reshape(2, 2) + r)],
            layout=dict(shapes=[dict(type="line", x0=0, x1=r, y0=0, y1=1, name="row 0", editable=True),
                                dict(type="line", x0=0, x1=1, y0=0, y1=1)],
                        xaxis=dict(range=[0, 1 + r]), title=dict(text="fixed"),
                        annotations=[{"text": "a"}] if r % 2 else [{"text": "a"}, {"text": "b"}]))  # fmt: skip

    return [({"side": fig(r)}, f"step {r}", r) for r in range(3)]


def fixture() -> dict:
    frames = fixture_frames()
    parts, keys, enc = encode_frames(frames)
    return {"parts": parts, "frames": enc, "expected": json.loads(as_text(expected(frames)))}


def test_the_node_fixture_is_what_the_encoder_writes():
    got = fixture()
    if os.environ.get("LINCLASS_WRITE_FIXTURE"):
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(json.dumps(got, indent=1) + "\n")
    stored = json.loads(FIXTURE.read_text())
    assert stored == json.loads(_dumps(got))  # regenerate with LINCLASS_WRITE_FIXTURE=1
    assert as_text(reference_decode(stored["parts"], stored["frames"])) == as_text(stored["expected"])


LEAF = st.one_of(st.integers(-3, 3), st.floats(-3, 3), st.booleans(), st.none(), st.sampled_from(["a", "b"]))


@given(st.lists(LEAF, max_size=6), st.lists(LEAF, max_size=6), st.booleans())
@settings(max_examples=300)
def test_the_fast_check_of_an_unchanged_list_is_the_plain_one(a, b, copy):
    """``_same_leaves`` (C speed, for Play's unchanged lists) says "same" only where ``_same`` does:
    1, 1.0 and True differ; lists of lists are left to the plain check."""
    from linclass.ui.plotly_view import _same, _same_leaves

    b = list(a) if copy else b
    if _same_leaves(a, b):
        assert _same(a, b)
    if all(type(v) in (int, float, str, bool, type(None)) for v in a + b):
        assert _same_leaves(a, b) == _same(a, b)
    assert not _same_leaves([[1]], [[1.0]]) and not _same_leaves([1], [True])
