"""Points as CSV (header ``x,y,label``): read and write, with errors that name the line.

A label is an integer class index or a class name. Reading is all or nothing: a bad file
raises ``CSVError`` and returns nothing half-loaded.
"""

from __future__ import annotations

import csv
import io
import math
import os

import numpy as np

__all__ = ["CSVError", "MAX_ROWS", "MAX_ABS", "MAX_CLASSES", "read_csv", "write_csv"]

MAX_ROWS = 100_000
MAX_CLASSES = 64
MAX_ABS = 1e6  # larger coordinates overflow exp() in the scores long before they are useful


class CSVError(ValueError):
    """A malformed points file; ``line`` is the 1-based line number, or None for the whole file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line
        self.reason = message


def _text(source) -> str:
    if isinstance(source, bytes):
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CSVError("the file is not UTF-8 text") from None
    if isinstance(source, (str, os.PathLike)) and "\n" not in str(source) and os.path.exists(source):
        with open(source, "rb") as fh:
            return _text(fh.read())
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    if hasattr(source, "read"):
        return _text(source.read())
    raise TypeError(f"cannot read points from {type(source).__name__}")


def _number(cell: str, name: str, line: int) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise CSVError(f"{name} = {cell.strip()!r} is not a number", line) from None
    if not math.isfinite(v):
        raise CSVError(f"{name} = {cell.strip()!r} is not finite (NaN or infinity)", line)
    if abs(v) > MAX_ABS:
        raise CSVError(f"{name} = {cell.strip()} is out of range (|{name}| <= {MAX_ABS:g})", line)
    return v


def read_csv(source, class_names=None, max_rows: int = MAX_ROWS):
    """Read points; returns (X (N, 2) float, y (N,) int, names list[str]).

    ``source`` is CSV text, bytes, a path or a file object. With ``class_names`` a label must be
    one of those names or an index below their count, and ``names`` is that list. Without it,
    integer labels are taken as they are (names "class 0", ...) and names become classes in the
    order they first appear; a file may not mix the two then.
    """
    text = _text(source)
    rows = csv.reader(io.StringIO(text))
    header = None
    for header in rows:
        if any(c.strip() for c in header):
            break
    if header is None or not any(c.strip() for c in header):
        raise CSVError("the file is empty (expected a header x,y,label)")
    cols = [c.strip().lower() for c in header]
    missing = [c for c in ("x", "y", "label") if c not in cols]
    if missing:
        raise CSVError(f"missing column {', '.join(missing)} (header must name x, y and label)", rows.line_num)
    ix, iy, il = cols.index("x"), cols.index("y"), cols.index("label")
    known = list(class_names) if class_names is not None else None
    found: list[str] = []  # names seen, when no class_names are given
    xs, ys, labels = [], [], []
    kinds = set()
    for row in rows:
        line = rows.line_num
        if not any(c.strip() for c in row):
            continue
        if len(labels) >= max_rows:
            raise CSVError(f"more than {max_rows:,} rows", line)
        if len(row) < len(cols):
            raise CSVError(f"expected {len(cols)} values, found {len(row)}", line)
        xs.append(_number(row[ix], "x", line))
        ys.append(_number(row[iy], "y", line))
        lab = row[il].strip()
        if lab == "":
            raise CSVError("the label is empty", line)
        if _is_int(lab):
            idx = int(lab)
            kinds.add("index")
            limit_n = len(known) if known is not None else MAX_CLASSES
            if not 0 <= idx < limit_n:
                limit = f"[0, {limit_n})"
                raise CSVError(f"unknown label {lab!r} (class indices are {limit})", line)
        else:
            kinds.add("name")
            if known is not None:
                if lab not in known:
                    raise CSVError(f"unknown label {lab!r} (classes are {', '.join(known)})", line)
                idx = known.index(lab)
            else:
                if lab not in found:
                    if len(found) == MAX_CLASSES:
                        raise CSVError(f"more than {MAX_CLASSES} class names", line)
                    found.append(lab)
                idx = found.index(lab)
        if known is None and len(kinds) > 1:
            raise CSVError(f"label {lab!r}: the file mixes class indices and class names", line)
        labels.append(idx)
    if not labels:
        raise CSVError("the file has a header but no points")
    y = np.array(labels, dtype=np.intp)
    if known is not None:
        names = known
    elif found:
        names = found
    else:
        names = [f"class {m}" for m in range(int(y.max()) + 1)]
    return np.column_stack([xs, ys]).astype(float), y, names


def write_csv(X, y, names=None) -> str:
    """CSV text with header ``x,y,label``; labels are class names if ``names`` is given, else indices.

    Coordinates are written with ``repr`` so reading the file back gives the same floats.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["x", "y", "label"])
    use_names = names is not None and all(not _is_int(n) for n in names)
    for (a, c), lab in zip(X, y, strict=True):
        w.writerow([repr(float(a)), repr(float(c)), names[int(lab)] if use_names else int(lab)])
    return out.getvalue()


def _is_int(s: str) -> bool:
    try:
        int(s)
    except ValueError:
        return False
    return True
