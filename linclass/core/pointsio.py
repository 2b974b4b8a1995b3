"""Points as CSV (header ``x,y,label``): read and write, with errors that name the line.

A label is an integer class index or a class name. Reading is all or nothing: a bad file
raises ``CSVError`` and returns nothing half-loaded. The reader is built for files from anyone:
it bounds the bytes, the line length and the columns before it builds anything large.
"""

from __future__ import annotations

import csv
import math
import os
import re

import numpy as np

from .checks import labels as check_labels
from .checks import real_array
from .limits import MAX_ABS, MAX_FILE_CLASSES, MAX_NAME, MAX_ROWS, clean_name, name_problem

__all__ = [
    "CSVError",
    "MAX_ABS",
    "MAX_BYTES",
    "MAX_FILE_CLASSES",
    "MAX_COLUMNS",
    "MAX_LINE",
    "MAX_NAME",
    "MAX_ROWS",
    "clean_name",
    "name_problem",
    "read_csv",
    "write_csv",
]

MAX_BYTES = 16 * 2**20  # 100,000 rows of "x,y,label" with 17-digit floats take about 5 MB
MAX_LINE = 8192  # characters on one line
MAX_COLUMNS = 256

_BREAK = re.compile(r"\r\n|\r|\n")


class CSVError(ValueError):
    """A malformed points file; ``line`` is the 1-based line number, or None for the whole file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line
        self.reason = message


def _short(s: str) -> str:
    return repr(s) if len(s) <= 40 else repr(s[:37]) + "..."


# ----- reading --------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CSVError(f"the file is larger than {MAX_BYTES:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVError("the file is not UTF-8 text") from None


def _read_path(path) -> str:
    shown = os.fsdecode(path)
    shown = repr(shown if len(shown) <= 120 else "..." + shown[-117:])  # the end names the file
    try:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                raise CSVError(f"the file {shown} is larger than {MAX_BYTES:,} bytes")
            return _decode(fh.read(MAX_BYTES + 1))
    except FileNotFoundError:
        raise CSVError(f"the file {shown} does not exist") from None
    except IsADirectoryError:
        raise CSVError(f"{shown} is a folder, not a file") from None
    except (OSError, ValueError) as err:  # permissions, a NUL in the path, ...
        raise CSVError(f"cannot read the file {shown}: {getattr(err, 'strerror', None) or err}") from None


def _text(source) -> str:
    """The text of ``source``: bytes, a path (a str without a line break) or CSV text, or a file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _decode(bytes(source))
    if isinstance(source, os.PathLike) or (isinstance(source, str) and source and not _BREAK.search(source)):
        return _read_path(source)
    if isinstance(source, str):
        if len(source) > MAX_BYTES:
            raise CSVError(f"the file is larger than {MAX_BYTES:,} characters")
        return source.removeprefix("\ufeff")
    if hasattr(source, "read"):
        data = source.read(MAX_BYTES + 1)
        return _decode(data) if isinstance(data, bytes) else _text(data or "")
    raise TypeError(f"cannot read points from {type(source).__name__}")


def _rows(text: str):
    """(line number, cells) of each non-blank line; line ends may be \\n, \\r\\n or \\r.

    A quoted value must close on its own line: no label or number holds a line break, and
    an unclosed quote would otherwise swallow the rest of the file into one value.
    """
    pos, line = 0, 0
    while pos < len(text):
        line += 1
        brk = _BREAK.search(text, pos)  # scans without copying, however long the line
        end = brk.start() if brk else len(text)
        if end - pos > MAX_LINE:
            raise CSVError(f"the line is longer than {MAX_LINE:,} characters", line)
        raw, pos = text[pos:end], (brk.end() if brk else len(text))
        try:
            cells = next(csv.reader([raw], strict=True))
        except csv.Error as err:
            raise CSVError(f"unbalanced quotes (a quoted value must close on its line): {err}", line) from None
        if len(cells) > MAX_COLUMNS:
            raise CSVError(f"more than {MAX_COLUMNS} columns", line)
        if any(c.strip() for c in cells):
            yield line, cells


def _number(cell: str, name: str, line: int) -> float:
    try:
        if "_" in cell:  # Python's float() reads 1_000 as 1000; a CSV number has no separators
            raise ValueError
        v = float(cell)
    except ValueError:
        raise CSVError(f"{name} = {_short(cell.strip())} is not a number", line) from None
    if not math.isfinite(v):
        raise CSVError(f"{name} = {_short(cell.strip())} is not finite (NaN or infinity)", line)
    if abs(v) > MAX_ABS:
        raise CSVError(f"{name} = {cell.strip()[:40]} is out of range (|{name}| <= {MAX_ABS:g})", line)
    return v


class _Labels:
    """Turns label cells into class indices: by ``known`` names, or collecting names as they come."""

    def __init__(self, known: list[str] | None):
        self.known = known
        self.found: list[str] = []
        self.kinds: set[str] = set()

    def index(self, cell: str, line: int) -> int:
        lab = clean_name(cell)
        problem = name_problem(lab)
        if problem:
            raise CSVError(f"the label {problem}" if lab else "the label is empty", line)
        idx = self._as_index(lab, line) if _is_int(lab) else self._as_name(lab, line)
        if self.known is None and len(self.kinds) > 1:
            raise CSVError(f"label {lab!r}: the file mixes class indices and class names", line)
        return idx

    def _as_index(self, lab: str, line: int) -> int:
        self.kinds.add("index")
        idx = int(lab.split(".")[0])
        limit = len(self.known) if self.known is not None else MAX_FILE_CLASSES
        if not 0 <= idx < limit:
            raise CSVError(f"unknown label {lab!r} (class indices are [0, {limit}))", line)
        return idx

    def _as_name(self, lab: str, line: int) -> int:
        self.kinds.add("name")
        if self.known is not None:
            if lab not in self.known:
                raise CSVError(f"unknown label {lab!r} (classes are {', '.join(self.known)})", line)
            return self.known.index(lab)
        if lab not in self.found:
            if len(self.found) == MAX_FILE_CLASSES:
                raise CSVError(f"more than {MAX_FILE_CLASSES} class names", line)
            self.found.append(lab)
        return self.found.index(lab)

    def names(self, y: np.ndarray) -> list[str]:
        if self.known is not None:
            return self.known
        return self.found or [f"class {m}" for m in range(int(y.max()) + 1)]


def _given_names(class_names) -> list[str] | None:
    if class_names is None:
        return None
    if isinstance(class_names, str) or not all(isinstance(n, str) for n in class_names):
        raise ValueError("class_names must be a list of strings")
    names = [clean_name(n) for n in class_names]
    for n in names:
        if name_problem(n):
            raise ValueError(f"class_names: {_short(n)} {name_problem(n)}")
    if len(set(names)) < len(names):
        raise ValueError(f"class_names are not unique once whitespace is trimmed: {names}")
    return names


def _header(rows) -> tuple[int, int, int, int]:
    """(number of columns, and where x, y and label are) from the first non-blank line."""
    line, header = next(rows, (None, None))
    if header is None:
        raise CSVError("the file is empty (expected a header x,y,label)")
    cols = [c.strip().lower() for c in header]
    twice = [c for c in ("x", "y", "label") if cols.count(c) > 1]
    if twice:
        raise CSVError(f"the header names column {', '.join(twice)} twice (which one holds the data?)", line)
    missing = [c for c in ("x", "y", "label") if c not in cols]
    if missing:
        raise CSVError(f"missing column {', '.join(missing)} (header must name x, y and label)", line)
    return len(cols), cols.index("x"), cols.index("y"), cols.index("label")


def read_csv(source, class_names=None, max_rows: int = MAX_ROWS):
    """Read points; returns (X (N, 2) float, y (N,) int, names list[str]).

    ``source`` is bytes, a file object, a path (a ``PathLike``, or a str without a line break),
    or CSV text (a str with at least one line break). Lines may end in \\n, \\r\\n or \\r.

    Class names are taken as the explorer shows them (``clean_name``: Unicode NFC, whitespace
    runs as one space, none at the ends), so labels that would show alike are one class:
    " a", "a " and "a" are merged into "a". With ``class_names`` (cleaned the same way; they
    must then be unique, else ValueError) a label must be one of those names or an index below
    their count, and ``names`` is that list. Without it, integer labels are taken as they are
    (names "class 0", ...) and names become classes in the order they first appear; a file may
    not mix the two then.

    Limits, each a CSVError naming the line before anything large is built: the file at most
    MAX_BYTES (16 MiB), a line at most MAX_LINE (8,192) characters and MAX_COLUMNS (256) values,
    at most ``max_rows`` points (MAX_ROWS, 100,000), MAX_FILE_CLASSES (64) class names of at most
    MAX_NAME (40) characters without control characters, |x| and |y| at most MAX_ABS (1e6).
    A quoted value must close on its own line. A row with more values than the header has columns is
    refused (empty ones past the end are padding). A missing file is a CSVError that says so.
    """
    known = _given_names(class_names)
    rows = _rows(_text(source))
    ncols, ix, iy, il = _header(rows)
    labels = _Labels(known)
    xs, ys, ls = [], [], []
    for line, row in rows:
        if len(ls) >= max_rows:
            raise CSVError(f"more than {max_rows:,} rows", line)
        if len(row) < ncols or any(v.strip() for v in row[ncols:]):  # empty values past the end: padding
            raise CSVError(f"expected {ncols} values, found {len(row)}", line)
        xs.append(_number(row[ix], "x", line))
        ys.append(_number(row[iy], "y", line))
        ls.append(labels.index(row[il], line))
    if not ls:
        raise CSVError("the file has a header but no points")
    y = np.array(ls, dtype=np.intp)
    return np.column_stack([xs, ys]).astype(float), y, labels.names(y)


# ----- writing --------------------------------------------------------------------------------


def write_csv(X, y, names=None) -> str:
    """CSV text with header ``x,y,label``; labels are class names if ``names`` is given, else indices.

    Coordinates are written with ``repr`` so reading the file back gives the same floats, and
    names are written as ``clean_name`` makes them, so ``read_csv`` gives back the same points,
    labels and names. ValueError for anything that would not read back: coordinates that are not
    finite or over MAX_ABS, labels outside ``names``, names that are empty, too long or alike.
    """
    X = real_array(X, "X", 2)
    if X.shape[1:] != (2,) or (X.size and np.abs(X).max() > MAX_ABS):
        raise ValueError(f"X must have shape (N, 2) with |values| <= {MAX_ABS:g}, got shape {X.shape}")
    names = None if names is None else _given_names_for_writing(names)
    y = check_labels(y, "y", len(X), MAX_FILE_CLASSES if names is None else len(names))
    use_names = names is not None and not any(_is_int(n) for n in names)
    lines = ["x,y,label"]
    for (a, c), lab in zip(X.tolist(), y.tolist(), strict=True):
        lines.append(f"{a!r},{c!r},{_quoted(names[lab]) if use_names else lab}")
    return "\n".join(lines) + "\n"


def _given_names_for_writing(names) -> list[str]:
    try:
        return _given_names(list(names))
    except ValueError as err:
        raise ValueError(str(err).replace("class_names", "names", 1)) from None


def _quoted(name: str) -> str:
    if any(c in name for c in ',"'):
        return '"' + name.replace('"', '""') + '"'
    return name


_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")  # 2, -1, 2.0: a class index (numpy's savetxt writes labels as 2.0)


def _is_int(s: str) -> bool:
    """A label that is a whole number, written as one ("2") or as a float ("2.0"); not "1_0" or "2.5"."""
    return _WHOLE.fullmatch(s) is not None
