"""A Streamlit component that draws Plotly figures in place and sends presses, clicks and keys as events.

Why a component and not ``st.plotly_chart``: Streamlit forwards only box/lasso selections from
plotly charts, so a click on empty plot area (where a new point goes) never reaches Python, and a
chart redrawn every Play frame is remounted and flickers. This component keeps one DOM node per plot
and calls ``Plotly.react`` on it, which updates in place.

Why plotly.js from ``/app/static``: inlining the 4.7 MB bundle into the component would resend it on
every rerun. Streamlit's static serving (``server.enableStaticServing``) hands the browser the copy
in the project's static/ folder once, and the browser caches it; nothing is fetched from a CDN, and
nothing is written at start (a read-only checkout runs). ``isolate_styles=False`` because Plotly's
click handling breaks in a shadow root."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import secrets
from collections.abc import Callable, Mapping
from json.encoder import c_make_encoder, encode_basestring_ascii
from pathlib import Path

import numpy as np
import streamlit as st

__all__ = [
    "static_files_problem",
    "encode_frames",
    "payload",
    "plotly_view",
    "event_value",
    "NonFiniteError",
    "PROTOCOL",
]


PROTOCOL = 1  # the version of static/protocol.schema.json this side speaks (the page checks it)
PLAY_FRAME_MS = 32  # Play paints a frame every 32 ms: 31 frames a second (the issue asks for at least 30)


def static_dir() -> Path:
    """The static/ folder next to the running app script: Streamlit serves it at /app/static. (Not
    next to this module: an installed linclass runs an app.py that lives elsewhere.)"""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    main = Path(ctx.main_script_path) if ctx is not None else Path(__file__).resolve().parents[2] / "app.py"
    return main.resolve().parent / "static"


MODULES = (
    "linclass-view.js",
    "linclass-queue.js",
    "linclass-codec.js",
    "linclass-keys.js",
    "linclass-draw.js",
    "linclass-fast.js",
    "linclass-drag.js",
    "linclass-regions.js",
    "protocol.schema.json",
)  # the component's files in static/: ?v= covers them all


def _version(static: Path) -> str:
    files = [static / name for name in MODULES]
    if not all(f.is_file() for f in files):
        return "missing"
    return _hash(tuple(files), tuple(f.stat().st_mtime_ns for f in files))


@functools.lru_cache(maxsize=8)
def _hash(files: tuple[Path, ...], mtimes: tuple[int, ...]) -> str:
    """The modules' content hash, read once per version of the files (not on every rerun)."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


# The component's inline JS only imports the real module from the app's static folder: inline
# JS is resent with every update, a static module is fetched once and cached by the browser.
_JS = """
export default function (component) {
  const base = window.location.origin + window.location.pathname.replace(/[^/]*$/, "");
  let cleanup = null, gone = false;
  import(new URL("app/static/linclass-view.js?v=VERSION", base).href).then((m) => {
    const c = m.default(component);
    if (gone) c && c(); else cleanup = c;
  });
  return () => { gone = true; if (cleanup) cleanup(); };
}
"""
_CSS = """
.lc-root { font-family: inherit; }
.lc-toolbar:empty { display: none; }
.lc-toolbar { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 0 0 6px 0; }
.lc-group { display: flex; gap: 4px; flex-wrap: wrap; align-items: center; min-width: 0; }
.lc-classes { flex: 1 1 0; min-width: 0; flex-wrap: nowrap; }
.lc-classes.lc-idle { visibility: hidden; }
.lc-classes .lc-btn { flex: 0 1 auto; min-width: 3.2em; max-width: 11em; }
.lc-classes.lc-many { order: 10; flex: 1 1 100%; flex-wrap: nowrap; }
.lc-btn { font: inherit; font-size: 0.92rem; padding: 4px 10px; min-height: 2.1rem; border-radius: 6px;
          border: 1px solid #ccc; background: white; color: #222; cursor: pointer; max-width: 16em;
          overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: inline-flex;
          align-items: center; gap: 5px; }
.lc-btn:hover:not(:disabled) { border-color: #0072B2; }
.lc-btn:disabled { opacity: 0.4; cursor: default; }
.lc-btn[aria-pressed="true"] { background: #e6f1f8; border-color: #0072B2; font-weight: 600; }
.lc-primary { background: #0072B2; color: white; border-color: #0072B2; }
/* Play and Pause take the same room, so pressing one never moves the toolbar. */
.lc-btn[data-kind="play"], .lc-btn[data-kind="pause"] { width: 6.2em; justify-content: center; }
.lc-dot { width: 0.8em; height: 0.8em; border-radius: 50%; flex: none; }
.lc-name { overflow: hidden; text-overflow: ellipsis; }
.lc-help { flex-basis: 100%; font-size: 0.9rem; color: #333; }
.lc-key { font-size: 0.75em; color: #666; }
.lc-status:empty { display: none; }
.lc-status { font-size: 0.95rem; color: var(--st-text-color, #222); min-height: 1.4em; margin: 0 0 4px 2px;
             font-variant-numeric: tabular-nums; white-space: pre-wrap; overflow-wrap: anywhere; }
.lc-grid { display: flex; gap: 8px; width: 100%; }
.lc-grid > .lc-cell { flex: 1.35 1 0; min-width: 0; }
.lc-side { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; gap: 6px; }
.lc-cell { position: relative; width: 100%; background: white; }
.lc-svg-below { z-index: 0; pointer-events: none; }
.lc-svg-above { z-index: 2; pointer-events: none; }
.lc-cell > .lc-plot:first-child { z-index: 1; }
/* Each plot on a layer of its own: redrawing the regions does not repaint the points above. */
.lc-plot { position: absolute; inset: 0; will-change: transform; }
"""

_COMPONENTS: dict[str, object] = {}  # one registration per version of the module


def _component(**kwargs):
    """The component, its stub naming the static module's content hash (a changed file is fetched anew)."""
    version = _version(static_dir())
    if version not in _COMPONENTS:
        js = _JS.replace("VERSION", version)
        _COMPONENTS[version] = st.components.v2.component("linclass_plotly_view", js=js, css=_CSS,
                                                          isolate_styles=False)  # fmt: skip
    return _COMPONENTS[version](**kwargs)


def static_files_problem() -> str | None:
    """None when plotly.js and the component's module are in the app's static folder, else why not."""
    static = static_dir()
    missing = [n for n in ("plotly.min.js", *MODULES) if not (static / n).is_file()]
    if missing:
        return (f"The app's static files are missing from {static}: {', '.join(missing)}. They come with the "
                "project (static/ next to app.py); restore them from the repository.")  # fmt: skip
    return None


def event_value(key: str, event: str):
    """The payload of the component event that triggered the running callback (or None, also
    for events of another protocol version: a page from before an upgrade, to be reloaded)."""
    value = st.session_state.get(key)
    if value is None:
        return None
    try:
        got = value[event]
    except (KeyError, TypeError):
        got = getattr(value, event, None)
    if isinstance(got, Mapping) and got.get("version") != PROTOCOL:
        return None
    return got


def _noop():
    pass


_DTYPES = frozenset(("f8", "f4", "i1", "u1", "i2", "u2", "i4", "u4"))  # Plotly's typed arrays

_LEAVES = frozenset((str, int, float, bool, type(None)))  # what JSON holds as it is


class NonFiniteError(ValueError):
    """A NaN or an infinity on its way to the browser: JSON has no such number (``JSON.parse``
    fails on ``NaN``), so the figure that holds it must say what it means instead (a gap: None)."""


def _finite_leaf(v):
    if type(v) is float and not math.isfinite(v):
        raise NonFiniteError(f"a figure holds {v!r}; the browser's JSON has no such number")
    return v


def jsonable(obj):
    """``obj`` with NumPy arrays as Plotly's typed arrays ({dtype, bdata[, shape]}: base64, a
    fraction of the bytes of a list of numbers) and NumPy scalars as Python numbers. Keys that
    start with "_" are bookkeeping and left out. A non-finite number raises ``NonFiniteError``."""
    if type(obj) in _LEAVES:  # the most frequent cases first: a figure is mostly numbers and names
        return _finite_leaf(obj)
    if isinstance(obj, np.generic):
        return _finite_leaf(obj.item())
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _array_json(obj)
    return obj


def _array_json(a: np.ndarray):
    """A NumPy array as a short list (a few floats) or as Plotly's typed array."""
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        raise NonFiniteError("a figure's array holds NaN or infinity; the browser's JSON has no such number")
    kind = a.dtype.str.lstrip("<|=")
    if a.ndim == 1 and (a.size == 0 or (a.dtype == np.float64 and a.size <= 8)):
        return a.tolist()  # a few numbers: plainer as a list (of Python floats)
    if kind == "i8":
        a, kind = a.astype(np.int32), "i4"
    if kind not in _DTYPES or a.dtype.byteorder == ">":
        return [jsonable(v) for v in a.tolist()]
    spec = {"dtype": kind, "bdata": base64.b64encode(np.ascontiguousarray(a).tobytes()).decode()}
    if a.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in a.shape)
    return spec


_SAME = object()


def _same(a, b) -> bool:
    """Equal as JSON: ``==``, except that 1, 1.0 and True differ (JSON writes them differently)."""
    if type(a) is not type(b) or a != b:
        return False
    if type(a) is dict:
        return all(_same(v, b[k]) for k, v in a.items())
    if type(a) is list:
        return all(map(_same, a, b))
    return True


def _patchable(base, new) -> bool:
    """Whether a dict patch can turn ``base`` into ``new``: the same keys, neither a typed array
    nor a value that looks like a patch."""
    return type(base) is dict and base.keys() == new.keys() and not _special(base) and not _special(new)


def _special(d: dict) -> bool:
    return "bdata" in d or "$set" in d or "$list" in d


def _dict_list(base, new) -> bool:
    """Two lists of as many dicts, patched item by item."""
    return (type(base) is list and type(new) is list and len(new) == len(base) > 0
            and all(isinstance(v, dict) for v in new) and all(type(b) is dict for b in base))  # fmt: skip


def _delta(base, new):
    """What turns ``base`` into ``new`` (both JSON-ready), for the browser's ``applyPatch``: a dict
    of the changed keys, recursing into dicts; {"$list": [...]} for a list of as many dicts (None
    where one is unchanged); {"$set": value} for a dict that cannot be patched; any other value as
    itself. ``_SAME`` if nothing changed."""
    if _same(base, new):
        return _SAME
    if type(new) is dict:
        if _patchable(base, new):
            return {k: d for k in new if (d := _delta(base[k], new[k])) is not _SAME}
        return {"$set": new}
    if _dict_list(base, new):
        return {"$list": [None if (d := _delta(b, n)) is _SAME else d for b, n in zip(base, new, strict=True)]}
    return new


def _diff(base, raw):
    """``_delta(base, jsonable(raw))`` in one pass over ``raw``, the new frame's entry as the
    figures built it: JSON-ready values are made only where ``raw`` differs from ``base``. A Play
    frame changes a few numbers of each entry; copying every entry first cost more than the rest
    of the encoding. Whatever this does not recognise goes to ``_delta`` (the same answer)."""
    kind = type(raw)
    if kind in _LEAVES:
        return _SAME if _same(base, raw) else _finite_leaf(raw)
    if kind is dict or isinstance(raw, dict):
        return _diff_dict(base, raw)
    if isinstance(raw, (list, tuple)):
        return _diff_list(base, raw)
    if isinstance(raw, np.generic):
        return _diff(base, raw.item())
    return _delta(base, jsonable(raw))  # arrays: their JSON form is made in any case


def _same_leaves(base, raw) -> bool:
    """``_same(base, raw)`` for two lists of plain numbers and names, at C speed: a Play frame sends
    many lists unchanged (the regions' palette is 432 numbers). 1, 1.0 and True differ (their types);
    a NaN is never equal, so a list that holds one goes on to the check that refuses it."""
    return (type(raw) is list and type(base) is list and len(raw) == len(base) and set(map(type, raw)) <= _LEAVES
            and raw == base and list(map(type, raw)) == list(map(type, base)))  # fmt: skip


def _diff_dict(base, raw: dict):
    # Equal keys: ``base`` (JSON-ready) has no "_" key, so neither has ``raw``.
    if type(base) is not dict or base.keys() != raw.keys() or _special(base) or _special(raw):
        return _delta(base, jsonable(raw))
    out = {}
    for k, v in raw.items():
        b = base[k]
        if type(v) in _LEAVES:  # the leaf case of _diff, without a call: most values are leaves
            if v != b or type(v) is not type(b):  # (a NaN is != itself: refused here)
                out[k] = _finite_leaf(v)
        elif (d := _diff(b, v)) is not _SAME:
            out[k] = d
    return out or _SAME


def _diff_list(base, raw):
    if _same_leaves(base, raw):
        return _SAME
    if not raw or not isinstance(raw[0], dict):  # numbers or names (no dict: _delta's answer is this)
        new = jsonable(raw)
        if any(type(v) is dict for v in new):
            return _delta(base, new)
        return _SAME if _same(base, new) else new
    if not _dict_list(base, raw if type(raw) is list else list(raw)):
        return _delta(base, jsonable(raw))
    ds = [_diff(b, v) for b, v in zip(base, raw, strict=True)]
    if all(d is _SAME for d in ds):
        return _SAME
    return {"$list": [None if d is _SAME else d for d in ds]}


def _compact_json():
    """``json.dumps(obj, separators=(",", ":"), allow_nan=False)`` for JSON-ready values, with
    json's C encoder made once: json.dumps makes a new encoder for every call, a good part of a
    small patch's cost. NaN and infinities raise ValueError: the browser's JSON has none."""
    if c_make_encoder is None:  # a Python without json's C speedups
        return json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
    encode = c_make_encoder(None, json.JSONEncoder().default, encode_basestring_ascii, None, ":", ",", False, False,
                            False)  # fmt: skip
    return lambda obj: "".join(encode(obj, 0))


_dumps = _compact_json()


def encode_frames(frames) -> tuple[list, list[str], list[dict]]:
    """Frames [(figs: name -> go.Figure, status, rev)] as (parts, keys, frames) for the browser.

    Each trace and each top-level layout entry is a part with a key in ``keys``; a frame names its
    figures by part: [{layout key: part}, [trace parts]]. A part is an index, or [base, patch]
    after the first frame: the same entry in the first frame, and what changed since (``_delta``).
    A base is JSON text keyed by a short hash of it, so the browser knows an entry it already
    holds; a patch is sent as it is (no text to write and hash per frame), keyed by this update's
    nonce, and a slot's patch repeated in the next frame is sent once. Play's frames change a few
    numbers of each trace, so a frame costs a few hundred bytes. Every update is complete in
    itself: nothing refers to an earlier update, which the browser may have missed.
    """
    parts: list = []
    keys: list[str] = []
    index: dict[str, int] = {}
    bases: dict[tuple, tuple] = {}  # (figure, slot) -> (its first value, its part)
    last: dict[tuple, tuple] = {}  # (figure, slot) -> (its last patch, that patch's part)
    nonce = secrets.token_hex(5)

    def add(text: str) -> int:
        i = index.get(text)
        if i is None:
            i = index[text] = len(parts)
            parts.append(text)  # sent as text: the browser parses it, Python never builds it twice
            keys.append(hashlib.blake2b(text.encode(), digest_size=8).hexdigest())
        return i

    def add_patch(slot: tuple, d) -> int:
        if isinstance(d, str):
            d = {"$set": d}  # the browser reads a string part as JSON text (a base)
        before = last.get(slot)
        if before is not None and _same(before[0], d):
            return before[1]
        i = len(parts)
        parts.append(d)
        keys.append(f"{nonce}.{i}")
        last[slot] = (d, i)
        return i

    def ref(slot: tuple, obj):
        base = bases.get(slot)
        if base is None:
            obj = jsonable(obj)
            i = add(_dumps(obj))
            bases[slot] = (obj, i)
            return i
        d = _diff(base[0], obj)
        if d is _SAME:
            return base[1]
        return [base[1], add_patch(slot, d)]

    out = []
    done: dict[int, list] = {}  # id(figure) -> its refs: a figure shared by frames is encoded once
    for figs, status, rev in frames:
        refs = {}
        for name, fig in figs.items():
            if name.startswith("_"):
                continue  # bookkeeping, not a figure
            if id(fig) not in done:
                d = fig.to_plotly_json()
                # The layout by top-level key: from frame to frame most keys (axes, fonts) stay put.
                done[id(fig)] = [{k: ref((name, "layout", k), v) for k, v in d["layout"].items()},
                                 [ref((name, i), tr) for i, tr in enumerate(d["data"])]]  # fmt: skip
            refs[name] = done[id(fig)]
        out.append({"status": status, "figs": refs, "rev": rev})
    return parts, keys, out


def plotly_view(
    frames, slots: list[tuple[str, ...]], *, key: str, on_events: Callable[[], None] | None = None, **options
):
    """Draw figures in ``slots`` ([(name, css height)]: the first large on the left, the rest
    stacked on the right; (name, height, base, "below" | "above") layers a transparent SVG plot
    exactly on ``base``). ``frames`` and the ``options`` are ``payload``'s; presses, keys and
    clicks reach ``on_events`` as the state "events" (see static/protocol.schema.json)."""
    data = payload(frames, slots, key=key, **options)
    # One JSON text, written here in one go: handed a dict, Streamlit walks it for dataframes and
    # writes it twice (once sorted, for the element's identity), a tenth of a Play chunk's cost.
    return _component(key=key, data=_dumps(data).encode(), on_events_change=on_events or _noop)


def payload(
    frames,
    slots: list[tuple[str, ...]],
    *,
    key: str,
    rev: float = 0,
    clickable: str | None = None,
    playing: bool = False,
    frame_ms: int = 33,
    ahead=None,
    ack: tuple = (None, 0),
    sid: str = "",
    chunk: int = 6,
    present: bool = False,
    follow: bool = False,
    toolbar: dict | None = None,
    preview: dict | None = None,
    server_ms: float | None = None,
    fast: tuple[str, ...] = (),
    drag: tuple | None = None,
) -> dict:
    """The update the component receives ("update" in static/protocol.schema.json).

    ``frames`` is a list of (figs: name -> go.Figure, status line, rev); one, or while ``playing``
    a chunk that the browser plays ``frame_ms`` apart. ``ahead`` is one more such frame: what a
    Step press shows, painted at once. ``toolbar`` ({tool, active, classes, canBack, ...}) draws
    the explorer's buttons; events are acknowledged by ``ack`` (epoch, last id applied). The
    plots named in ``fast`` are drawn by static/linclass-fast.js at all times, not by Plotly:
    Plotly would take longer than a Play frame to redraw them. ``drag`` is (frame, basis): what a point
    dragged with the Select tool previews, the frame to patch and the numbers of its formulas
    (``linclass.session.drag.drag_basis``), painted by the page as the pointer moves.
    """
    extra = [f for f in (ahead, None if drag is None else drag[0]) if f is not None]
    everything = [*frames, *extra]
    if present:  # the projector's sizes (figures already drawn for it are passed without this)
        from .figures import presenter

        everything = [({k: presenter(f) for k, f in figs.items()}, status, r) for figs, status, r in everything]
    parts, keys, encoded = encode_frames(everything)
    return {
        "version": PROTOCOL,
        "name": key,
        "slots": [list(s) for s in slots],
        "clickable": clickable,
        "parts": parts,
        "keys": keys,
        "frames": encoded[: len(frames)],
        "ahead": encoded[len(frames)] if ahead is not None else None,
        "drag": None if drag is None else {"frame": encoded[-1], "basis": drag[1]},
        "rev": rev,
        "sid": sid,
        "chunk": int(chunk),
        "follow": bool(follow),  # plays the frames it is sent, asks for none (a view beside the plane)
        "playing": bool(playing),
        "frameMs": int(frame_ms),
        "ack": {"epoch": ack[0], "id": int(ack[1])},
        "toolbar": toolbar,
        "preview": preview or {},
        "serverMs": None if server_ms is None else round(server_ms, 1),
        "fast": list(fast),
    }
