"""``encode_frames`` as it was before Play's encoding was made cheap (commit a1770b8), kept verbatim
as the oracle: the new encoding must give the very same parts, keys and frames."""

import base64
import hashlib
import json

import numpy as np

_DTYPES = {"f8": "f8", "f4": "f4", "i1": "i1", "u1": "u1", "i2": "i2", "u2": "u2", "i4": "i4", "u4": "u4"}


def jsonable(obj):
    """``obj`` with NumPy arrays as Plotly's typed arrays ({dtype, bdata[, shape]}: base64, a
    fraction of the bytes of a list of numbers) and NumPy scalars as Python numbers."""
    if isinstance(obj, dict):
        return {k: jsonable(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        kind = obj.dtype.str.lstrip("<|=")
        if obj.ndim == 1 and (obj.size == 0 or (obj.dtype == np.float64 and obj.size <= 8)):
            return [float(v) for v in obj]  # a few numbers: plainer as a list
        if kind == "i8":
            obj, kind = obj.astype(np.int32), "i4"
        if kind not in _DTYPES or obj.dtype.byteorder == ">":
            return obj.tolist()
        spec = {"dtype": kind, "bdata": base64.b64encode(np.ascontiguousarray(obj).tobytes()).decode()}
        if obj.ndim > 1:
            spec["shape"] = ", ".join(str(n) for n in obj.shape)
        return spec
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


_SAME = object()


def _delta(base, new):
    """What turns ``base`` into ``new`` (both JSON-ready), for the browser's ``applyPatch``: a dict
    of the changed keys, recursing into dicts; {"$list": [...]} for a list of as many dicts (None
    where one is unchanged); {"$set": value} for a dict that cannot be patched; any other value as
    itself. ``_SAME`` if nothing changed."""
    if base == new:
        return _SAME
    if isinstance(new, dict):
        if isinstance(base, dict) and base.keys() == new.keys() and "bdata" not in new and "$set" not in new:
            return {k: d for k in new if (d := _delta(base[k], new[k])) is not _SAME}
        return {"$set": new}
    if (isinstance(new, list) and isinstance(base, list) and len(new) == len(base) and new
            and all(isinstance(v, dict) for v in (*new, *base))):  # fmt: skip
        return {"$list": [None if (d := _delta(b, n)) is _SAME else d for b, n in zip(base, new, strict=True)]}
    return new


def encode_frames(frames) -> tuple[list, list[str], list[dict]]:
    """Frames [(figs: name -> go.Figure, status, rev)] as (parts, keys, frames) for the browser.

    Each trace and each top-level layout entry is a part (JSON text) with a short content hash in
    ``keys``; a frame names its figures by part: [{layout key: part}, [trace parts]]. A part is an
    index, or [base, patch] after the first frame: the same entry in the first frame, and what
    changed since (``_delta``). Play's frames change a few numbers of each trace, so a frame costs
    a few hundred bytes. Every update is complete in itself: nothing refers to an earlier update,
    which the browser may have missed.
    """
    parts: list = []
    keys: list[str] = []
    index: dict[str, int] = {}
    bases: dict[tuple, tuple] = {}  # (figure, slot) -> (its first value, its part)

    def add(text: str) -> int:
        i = index.get(text)
        if i is None:
            i = index[text] = len(parts)
            parts.append(text)  # sent as text: the browser parses it, Python never builds it twice
            keys.append(hashlib.blake2b(text.encode(), digest_size=8).hexdigest())
        return i

    def ref(slot: tuple, obj):
        obj = jsonable(obj)
        base = bases.get(slot)
        if base is None:
            i = add(json.dumps(obj, separators=(",", ":")))
            bases[slot] = (obj, i)
            return i
        d = _delta(base[0], obj)
        if d is _SAME:
            return base[1]
        return [base[1], add(json.dumps(d, separators=(",", ":")))]

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
