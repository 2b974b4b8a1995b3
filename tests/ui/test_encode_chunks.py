"""Play's encoding (``encode_frames``) made cheap, not changed: each frame's entries get the same
base text, base key and patch as before (``encode_before``, the old code kept verbatim), so the
browser's ``decode`` and ``applyPatch`` rebuild every figure exactly; no more bytes than before.
(Patches are now sent as objects, not as JSON text with a hash: part numbers and patch keys differ.)"""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui import figures
from linclass.ui.figures import Fig
from linclass.ui.plotly_view import encode_frames, jsonable
from linclass.ui.words import status_line
from tests.ui import encode_before
from tests.ui.test_plotly_view import rebuild


def resolved(encoded):
    """An encoding as what each frame's entries are: (status, rev, {figure: (layout, traces)}), an
    entry being (base text, base key, patch as JSON or None); part numbers and patch keys aside."""
    parts, keys, frames = encoded

    def entry(i):
        if isinstance(i, list):
            patch = parts[i[1]]
            patch = json.loads(patch) if isinstance(patch, str) else json.loads(json.dumps(patch))
            if isinstance(patch, dict) and patch.keys() == {"$set"} and isinstance(patch["$set"], str):
                patch = patch["$set"]  # a string sent as an object: the browser takes a string for JSON text
            return parts[i[0]], keys[i[0]], patch
        return parts[i], keys[i], None

    return [(f["status"], f["rev"], {name: ({k: entry(i) for k, i in lay.items()}, [entry(i) for i in tr])
                                      for name, (lay, tr) in f["figs"].items()}) for f in frames]  # fmt: skip


def sent_bytes(encoded) -> int:
    parts, keys, frames = encoded
    return len(json.dumps({"parts": parts, "keys": keys, "frames": frames}, separators=(",", ":")))


def same_as_before(frames) -> None:
    new, old = encode_frames(frames), encode_before.encode_frames(frames)
    assert resolved(new) == resolved(old)
    assert len(set(new[1])) == len(new[1])  # every part its own key


def recorded_chunk(query: dict, count: int = 24):
    """A Play chunk drawn as app.py's main_view draws it: [(figures, status, rev)]."""
    sess = Session.start({"preset": "blobs", "n": "300", "k": "5", **query}).play()
    sess, frames = sess.more(count)
    s, drawn, figs = sess.settings, [], None
    for rev, frame in frames:
        view = make_view(frame, s.reg, shading=s.shading, math=False, geometry=s.geometry)
        figs = figures.frame_figures(frame, view, reuse=figs, present=s.present)
        drawn.append((figs, status_line(frame, s.reg), rev))
    return drawn


CHUNKS = [
    {}, {"mode": "batch"}, {"mode": "minibatch", "reg": "0.01", "test": "0.2"}, {"loss": "hinge", "bias": "0"},
    {"geometry": "1", "shading": "1"}, {"present": "1"}, {"k": "8", "per_frame": "3", "order": "shuffle"},
    {"preset": "cs231n", "bias": "0", "lr": "1"},
]  # fmt: skip


@pytest.mark.parametrize("query", CHUNKS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "default")
def test_a_recorded_chunk_encodes_as_before_and_rebuilds_exactly(query):
    drawn = recorded_chunk(query)
    parts, keys, enc = encode_frames(drawn)
    same_as_before(drawn)  # the browser rebuilds the same entries as before
    assert sent_bytes((parts, keys, enc)) <= sent_bytes(encode_before.encode_frames(drawn))
    for (figs, status, rev), e in zip(drawn, enc, strict=True):
        assert (e["status"], e["rev"]) == (status, rev)
        for name, ref in e["figs"].items():  # applyPatch on the parts gives each figure exactly
            layout, data = rebuild(parts, ref)
            want = json.loads(json.dumps(jsonable(figs[name].to_plotly_json())))
            assert layout == want["layout"] and data == want["data"], name


# ----- any JSON-like figure, with NumPy in it: the new encoding is the old one --------------------
NAN = float("nan")  # one NaN object shared by frames: equal to itself in a list, not on its own
LEAVES = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, 1, -3, 0.0, -0.0, 1.0, 2.5, 1e300, math.inf, NAN]),
    st.builds(float, st.just("nan")), st.sampled_from(["", "a", "_a", "bdata", "NaN"]),
    st.builds(np.float64, st.sampled_from([0.5, 2.0])), st.builds(np.int64, st.integers(-2, 2)),
    st.builds(np.float32, st.just(0.25)), st.builds(np.bool_, st.booleans()),
    st.builds(lambda n, s: np.linspace(0, s, n), st.integers(0, 10), st.sampled_from([1.0, 2.0])),
    st.builds(lambda n: np.arange(n), st.integers(0, 3)),
    st.builds(lambda n: np.ones(n, np.float32), st.integers(1, 3)),
    st.builds(lambda: np.eye(2)), st.builds(lambda: np.array([np.nan, 1.0])),
)  # fmt: skip
KEYS = st.sampled_from(["x", "y", "marker", "_hidden", "bdata", "$set", "dtype"])


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


@settings(max_examples=400, deadline=None)
@given(figure_frames())
def test_any_frames_encode_as_before(frames):
    same_as_before(frames)


EDGES = {
    "one NaN object, rebuilt trace": [lambda r: {"x": NAN, "y": 1}] * 2,
    "a fresh NaN each frame": [lambda r: {"x": float("nan"), "y": 1}] * 2,
    "a NaN beside a change": [lambda r: {"x": NAN, "y": r}] * 2,
    "a NaN in a list": [lambda r: {"x": [NAN, 1.0], "y": r}] * 2,
    "NaN in an array": [lambda r: {"x": np.array([np.nan, 1.0]), "y": r}] * 2,
    "a hidden key": [lambda r: {"_x": r, "y": 1, "m": {"_z": r}}] * 3,
    "keys reordered": [lambda r: {"x": 1, "y": r} if r % 2 else {"y": r, "x": 1}] * 3,
    "a key that looks like a patch": [lambda r: {"$set": r, "x": 1}, lambda r: {"bdata": "AA", "dtype": "u1", "y": r}],
    "1, 1.0, True": [lambda r: {"x": [1, 1.0, True][r % 3]}] * 3,
    "0.0 and -0.0": [lambda r: {"x": [0.0, -0.0][r % 2]}] * 3,
    "list of dicts growing": [lambda r: {"s": [{"a": i} for i in range(r + 1)]}] * 3,
    "array to list": [lambda r: {"x": np.arange(3.0) if r % 2 else [0.0, 1.0, 2.0]}] * 3,
    "tuple and list": [lambda r: {"x": (1, r) if r % 2 else [1, r]}] * 3,
    "NumPy scalars": [lambda r: {"x": np.float64(r / 2), "n": np.int64(r), "f": np.float32(0.5)}] * 3,
}


@pytest.mark.parametrize("name", EDGES)
def test_edge_cases_encode_as_before(name):
    makers = EDGES[name]
    frames = [({"a": Fig(data=[mk(r)], layout={"t": mk(r)})}, "", r) for r, mk in enumerate(makers * 2)]
    same_as_before(frames)


def test_later_frames_are_not_copied_whole(monkeypatch):
    """The finding: encoding a Play frame cost ~0.78 ms, most of it copying every entry of every
    figure into JSON-ready values (``jsonable``) before comparing it with the first frame's."""
    import linclass.ui.plotly_view as pv

    drawn = recorded_chunk({}, 48)
    counts = {}
    for mod in (pv, encode_before):
        calls, real = [], mod.jsonable
        monkeypatch.setattr(mod, "jsonable", lambda obj, real=real, calls=calls: calls.append(1) or real(obj))
        mod.encode_frames(drawn)
        counts[mod] = len(calls)
    assert counts[pv] * 5 < counts[encode_before], counts
