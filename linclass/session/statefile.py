"""The saved-state file (what ``Explorer.to_json`` writes): bounded, then checked against one table.

``parse_state(data)`` turns the bytes or text of a file into a ``StateDoc`` or raises
``StateFileError`` with a message that names the key; nothing else comes out of it.

Two stages:

1. Bounds, before ``json.loads`` builds anything: at most MAX_BYTES; brackets nested at most
   MAX_DEPTH deep (counted by a scan of the text outside strings, not by recursion); at most
   MAX_VALUES values (counted by the commas); no number with more than MAX_DIGITS digits in a
   row (Python's int() refuses 4,300, and slowly); no NaN or Infinity, which are not JSON.
2. The table ``FIELDS``: one row a key, with its kind, shape, bounds, whether it is required,
   its default and the first version that has it. Shapes name the sizes "K" (classes: the
   length of "names") and "N" (points: the length of "points.x"); the first row that uses a
   size fixes it, and every later row must agree.

Decisions, each a StateFileError:
  * class names are cleaned as the explorer shows them (``limits.shown_name``: whitespace runs as one
    space, none at the ends; cut to MAX_NAME characters; an empty one becomes its letter) and
    must then be unique: " a" and "a" are refused, as two classes would show the same name;
  * "selected" is a point index or null: true is not an index (Python would read it as 1);
  * "W" and "b" are finite numbers within ±MAX_WEIGHT (1e100), the bound every panel draws to and
    no step passes, and the scores W x + b on the file's points must not overflow: the explorer
    could neither measure nor train such weights. (A bound such as |W| <= 1e6 would refuse files
    the explorer itself saved after steps on far-out points.)
  * version 1 and 2 are read; version 2 adds the optional keys "order" (text) and "by_click"
    (true/false). Unknown keys are ignored.
  * "cursor" (optional, any version; 0 without it) is where the next step's samples start in the
    sample order (``train.sample_order``), so a saved moment goes on with the very same samples;
  * "points.test" (optional, any version) marks the held-out test points, true or false per
    point; without it every point is a training point.
  * "settings.features" (optional text, "x1,x2,x1x2") names the model's features (``core.features``);
    "W" has one column per feature ("D"), two (x1, x2) without it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..core.features import FEATURES, PLANE, feature_names, phi
from ..core.limits import MAX_ABS, MAX_CLASSES, MAX_ROWS, MAX_WEIGHT, name_problem, shown_name
from ..core.model import NonFiniteError, loss_and_grad

__all__ = ["FIELDS", "MAX_BYTES", "MAX_CLASSES", "StateDoc", "StateFileError", "parse_state"]

MAX_BYTES = 25 * 2**20
MAX_DEPTH = 32
MAX_DIGITS = 100
MAX_VALUES = 4 * MAX_ROWS + 10_000  # x, y and label of every point, and room for the rest
FORMAT = "linclass-state"


class StateFileError(ValueError):
    """A saved-state JSON file that cannot be loaded; says which field is wrong."""


@dataclass(frozen=True, eq=False)
class StateDoc:
    """A checked state file: the points, the class names, the weights and the raw settings."""

    names: tuple[str, ...]
    X: np.ndarray  # (N, 2) float, read-only
    y: np.ndarray  # (N,) intp in [0, K), read-only
    W: np.ndarray  # (K, D) float, read-only: one column per feature
    b: np.ndarray | None  # (K,) or None (no bias)
    step: int
    selected: int | None
    settings: dict  # values are JSON scalars; not checked against the settings table
    version: int
    order: str | None = None  # version 2
    by_click: bool | None = None  # version 2
    test: np.ndarray | None = None  # (N,) bool, read-only; None: no point held out
    features: tuple[str, ...] = PLANE  # the model's inputs (settings.features): W has a column each
    cursor: int = 0  # the next step's position in the sample order (train.sample_order)


# ----- the table ----------------------------------------------------------------------------

SIZES = {"K": (1, MAX_CLASSES), "N": (0, MAX_ROWS), "D": (1, len(FEATURES))}  # the sizes shapes may name


@dataclass(frozen=True)
class Field:
    """One key of the file: ``kind`` says how to read it (see ``KINDS``), ``shape`` its list sizes,
    ``lo``/``hi`` the range of whole numbers (hi excluded; a size name such as "N" allowed),
    ``limit`` the largest |value| of numbers."""

    key: str  # dotted for keys inside objects: "points.x"
    kind: str
    shape: tuple = ()
    lo: int | None = None
    hi: int | str | None = None
    limit: float | None = None
    choices: tuple | None = None
    required: bool = True
    nullable: bool = False
    default: object = None
    since: int = 1


FIELDS = (
    Field("format", "text", choices=(FORMAT,)),
    Field("version", "whole", choices=(1, 2)),
    Field("names", "names", shape=("K",)),
    Field("points.x", "numbers", shape=("N",), limit=MAX_ABS),
    Field("points.y", "numbers", shape=("N",), limit=MAX_ABS),
    Field("points.label", "labels", shape=("N",), lo=0, hi="K"),
    Field("points.test", "flags", shape=("N",), required=False, nullable=True),
    Field("W", "numbers", shape=("K", "D"), limit=MAX_WEIGHT),  # D: one column per feature (settings.features)
    Field("b", "numbers", shape=("K",), required=False, nullable=True, limit=MAX_WEIGHT),
    Field("step", "whole", lo=0, required=False, default=0),
    Field("cursor", "whole", lo=0, required=False, default=0),  # where the sample order goes on
    Field("selected", "whole", lo=0, hi="N", required=False, nullable=True),
    Field("settings", "scalars", required=False, default=MappingProxyType({})),
    Field("order", "text", required=False, since=2),
    Field("by_click", "bool", required=False, since=2),
)


# ----- stage 1: bounds before parsing -------------------------------------------------------

# A string, or an unclosed one to the end of the text: every quote starts a match that succeeds,
# so the scan is linear (a pattern that can fail restarts at each later quote: quadratic).
_STRING = re.compile(r'"[^"\\]*(?:\\(?:.|\Z)[^"\\]*)*(?:"|\Z)', re.DOTALL)
_OTHER_BYTES = bytes(c for c in range(256) if c not in b"[]{}")  # UTF-8 puts no bracket in a multi-byte char
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as int8: +1 opens, -1 closes
_LONG_NUMBER = re.compile(rf"(?<!\d)\d{{{MAX_DIGITS + 1}}}")  # tried only where a run of digits starts


def _text(data) -> str:
    if not isinstance(data, (bytes, bytearray, str)):
        raise StateFileError(f"a state file is JSON text or bytes, not {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise StateFileError(f"the file is larger than {MAX_BYTES:,} bytes")
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StateFileError("the file is not UTF-8 text") from None


def _check_bounds(text: str) -> None:
    """Depth, value count and number length, from the text with its strings blanked out."""
    bare = _STRING.sub('""', text)  # brackets, commas and digits inside strings do not count
    steps = bare.encode("utf-8", "surrogatepass").translate(_STEPS, _OTHER_BYTES)
    if _depth(np.frombuffer(steps, np.int8)) > MAX_DEPTH:
        raise StateFileError(f"the JSON is nested more than {MAX_DEPTH} levels deep")
    if bare.count(",") >= MAX_VALUES:
        raise StateFileError(f"more than {MAX_VALUES:,} values")
    if _LONG_NUMBER.search(bare):
        raise StateFileError(f"a number with more than {MAX_DIGITS} digits")


def _depth(steps: np.ndarray, chunk: int = 1 << 20) -> int:
    """The deepest nesting, from +1/-1 steps; a million at a time, stopping once past MAX_DEPTH."""
    depth = deepest = 0
    for start in range(0, len(steps), chunk):
        run = np.cumsum(steps[start : start + chunk], dtype=np.int64) + depth  # depth after each bracket
        deepest, depth = max(deepest, int(run.max())), int(run[-1])
        if deepest > MAX_DEPTH:
            break
    return deepest


def _finite_float(s: str) -> float:
    v = float(s)
    if not math.isfinite(v):
        raise StateFileError(f"the number {s[:40]} is too large for a float")
    return v


def _no_constant(name: str):
    raise StateFileError(f"{name} is not a JSON number (NaN and Infinity are not allowed)")


def _unique_keys(pairs) -> dict:
    """A JSON object whose keys are all different: a key given twice is refused, not overwritten."""
    doc = dict(pairs)
    if len(doc) < len(pairs):
        seen, twice = set(), None
        for k, _ in pairs:
            if k in seen:
                twice = k
                break
            seen.add(k)
        raise StateFileError(f"the key {_short(twice)} is given twice (which value is meant?)")
    return doc


def _load(text: str) -> dict:
    _check_bounds(text)
    try:
        doc = json.loads(text, parse_float=_finite_float, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        raise StateFileError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    if not isinstance(doc, dict):
        raise StateFileError(f'not a linclass state file (expected an object with "format": "{FORMAT}")')
    return doc


# ----- stage 2: the table -------------------------------------------------------------------

_MISSING = object()


class _Reading:
    """The document, the values read so far and the sizes fixed so far."""

    def __init__(self, doc: dict):
        self.doc, self.values, self.sizes, self.fixed_by = doc, {}, {}, {}

    def lookup(self, key: str):
        """(value, "") for a dotted key, or (_MISSING, the part of the key that is missing)."""
        node, path = self.doc, []
        for part in key.split("."):
            if not isinstance(node, dict):
                raise StateFileError(f'"{".".join(path)}" must be an object')
            path.append(part)
            node = node.get(part, _MISSING)
            if node is _MISSING:
                return node, ".".join(path)
        return node, ""

    def size(self, name, n: int, key: str) -> None:
        """Check a list length against a shape entry (a number or a size name), fixing the name once."""
        if isinstance(name, int):
            if n != name:
                raise StateFileError(f'"{key}" must have {name} entries here, got {n}')
        elif name in self.sizes:
            if n != self.sizes[name]:
                raise StateFileError(
                    f'"{key}" must have {self.sizes[name]} entries (as many as "{self.fixed_by[name]}"), got {n}'
                )
        else:
            lo, hi = SIZES[name]
            if not lo <= n <= hi:
                raise StateFileError(f'"{key}" must have {lo} to {hi:,} entries, got {n:,}')
            self.sizes[name], self.fixed_by[name] = n, key

    def bound(self, hi):
        return self.sizes[hi] if isinstance(hi, str) else hi


def _read(f: Field, r: _Reading):
    if f.since > r.values.get("version", 1):
        return f.default
    raw, missing = r.lookup(f.key)
    if raw is _MISSING:
        if f.required:
            raise StateFileError(f'"{missing}" is missing')
        return f.default
    if raw is None and f.nullable:
        return None
    value = KINDS[f.kind](raw, f, r)
    if f.choices is not None and value not in f.choices:
        raise StateFileError(f'"{f.key}" must be {" or ".join(map(json.dumps, f.choices))}, got {_short(raw)}')
    return value


def _short(value) -> str:
    s = json.dumps(value) if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
    return s if len(s) <= 40 else s[:37] + "..."


def _is_whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _leaves(value, f: Field, r: _Reading) -> list:
    """The entries of nested lists of shape ``f.shape``, in order, level by level (no recursion)."""
    level = [value]
    for dim in f.shape:
        if not all(isinstance(v, list) for v in level):
            raise StateFileError(f'"{f.key}" must be {_shape_words(f)}')
        for v in level:
            r.size(dim, len(v), f.key)
        level = [e for v in level for e in v]
    return level


def _shape_words(f: Field) -> str:
    what = {"labels": "whole numbers", "numbers": "numbers", "flags": "true/false values"}.get(f.kind, "names")
    if len(f.shape) == 2:
        return f"a list of {f.shape[0]} rows of {f.shape[1]} {what}"
    return f"a list of {f.shape[0]} {what}"


def _text_kind(v, f, r):
    if not isinstance(v, str):
        raise StateFileError(f'"{f.key}" must be text, got {_short(v)}')
    return v


def _bool_kind(v, f, r):
    if not isinstance(v, bool):
        raise StateFileError(f'"{f.key}" must be true or false, got {_short(v)}')
    return v


def _whole_kind(v, f, r):
    hi = r.bound(f.hi)
    if not _is_whole(v) or (f.lo is not None and v < f.lo) or (hi is not None and v >= hi):
        span = f" in [{f.lo}, {hi})" if hi is not None else f" >= {f.lo}" if f.lo is not None else ""
        null = " or null" if f.nullable else ""
        raise StateFileError(f'"{f.key}" must be a whole number{span}{null}, got {_short(v)}')
    return v


def _numbers_kind(v, f, r):
    leaves = _leaves(v, f, r)
    bad = next((e for e in leaves if not _is_number(e)), _MISSING)
    if bad is not _MISSING:
        raise StateFileError(f'"{f.key}" must be {_shape_words(f)}: found {_short(bad)}')
    arr = np.array(leaves, dtype=float).reshape([r.bound(d) for d in f.shape])
    if f.limit is not None and arr.size and np.abs(arr).max() > f.limit:
        what = "coordinates" if f.key.startswith("points") else "weights (larger ones cannot be drawn)"
        raise StateFileError(f'"{f.key}": {what} must be at most {f.limit:g} in size')
    arr.flags.writeable = False
    return arr


def _flags_kind(v, f, r):
    leaves = _leaves(v, f, r)
    bad = next((e for e in leaves if not isinstance(e, bool)), _MISSING)
    if bad is not _MISSING:
        raise StateFileError(f'"{f.key}" must be {_shape_words(f)}: found {_short(bad)}')
    arr = np.array(leaves, dtype=bool)
    arr.flags.writeable = False
    return arr


def _labels_kind(v, f, r):
    leaves, hi = _leaves(v, f, r), r.bound(f.hi)
    bad = next((e for e in leaves if not (_is_whole(e) and f.lo <= e < hi)), _MISSING)
    if bad is not _MISSING:
        raise StateFileError(f'"{f.key}": labels must be whole numbers in [{f.lo}, {hi}), found {_short(bad)}')
    arr = np.array(leaves, dtype=np.intp)
    arr.flags.writeable = False
    return arr


def _names_kind(v, f, r):
    leaves = _leaves(v, f, r)
    names = []
    for m, raw in enumerate(leaves):
        if not isinstance(raw, str):
            raise StateFileError(f'"{f.key}" must be {_shape_words(f)}: found {_short(raw)}')
        name = shown_name(raw, chr(ord("A") + m))
        if name_problem(name):
            raise StateFileError(f'"{f.key}": the name {_short(name)} {name_problem(name)}')
        if name in names:
            raise StateFileError(f'"{f.key}": two classes would show the name {_short(name)} twice')
        names.append(name)
    return tuple(names)


def _scalars_kind(v, f, r):
    if not isinstance(v, dict):
        raise StateFileError(f'"{f.key}" must be an object')
    for k, val in v.items():
        if not isinstance(val, (str, int, float, bool, type(None))):
            raise StateFileError(f'"{f.key}.{k}" must be a number, text, true/false or null')
    return dict(v)


KINDS = {
    "text": _text_kind,
    "bool": _bool_kind,
    "whole": _whole_kind,
    "numbers": _numbers_kind,
    "labels": _labels_kind,
    "flags": _flags_kind,
    "names": _names_kind,
    "scalars": _scalars_kind,
}


# ----- the whole file -----------------------------------------------------------------------


def _features(r: _Reading) -> tuple[str, ...]:
    """The model's features, from "settings.features" (absent: the plane's x1, x2); they fix W's
    width D. StateFileError naming the key for a value that names no features."""
    settings = r.doc.get("settings")
    raw = settings.get("features", _MISSING) if isinstance(settings, dict) else _MISSING
    if raw is _MISSING:
        features = PLANE
    elif not isinstance(raw, str):
        raise StateFileError(f'"settings.features" must be text such as "x1,x2,x1x2", got {_short(raw)}')
    else:
        try:
            features = feature_names(raw)
        except ValueError as err:
            raise StateFileError(f'"settings.features": {err}') from None
    r.sizes["D"], r.fixed_by["D"] = len(features), "settings.features"
    return features


def _check_scores(X, y, W, b) -> None:
    if len(y) == 0:
        return
    try:
        loss_and_grad(W, b, X, y)
    except NonFiniteError:
        raise StateFileError(
            '"W" and "b": the scores on the file\'s points overflow (weights too large to measure or train)'
        ) from None


def parse_state(data: bytes | str) -> StateDoc:
    """The checked contents of a saved-state file; StateFileError (naming the key) if it is not one."""
    r = _Reading(_load(_text(data)))
    features = _features(r)
    for f in FIELDS:
        r.values[f.key] = _read(f, r)
    v = r.values
    X = np.column_stack([v["points.x"], v["points.y"]]).reshape(-1, 2)
    X.flags.writeable = False
    _check_scores(phi(X, features), v["points.label"], v["W"], v["b"])
    return StateDoc(
        names=v["names"], X=X, y=v["points.label"], W=v["W"], b=v["b"], step=v["step"],
        selected=v["selected"], settings=dict(v["settings"]), version=v["version"],
        order=v["order"], by_click=v["by_click"], test=v["points.test"], features=features, cursor=v["cursor"],
    )  # fmt: skip
