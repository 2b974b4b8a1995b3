"""Every limit on what linclass takes in, and the one rule for cleaning a class name (NumPy only).

The file readers (points CSV, saved state), the link reader and the explorer all check against
these, so a limit cannot differ between two doors.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "MIN_CLASSES",
    "MAX_CLASSES",
    "MAX_FILE_CLASSES",
    "MAX_NAME",
    "MAX_ROWS",
    "MAX_ABS",
    "MAX_WEIGHT",
    "class_count",
    "clean_name",
    "name_problem",
]

MIN_CLASSES = 2  # a classifier needs two classes to tell apart
MAX_CLASSES = 8  # classes the explorer draws (its palette, keys 1-8)
MAX_FILE_CLASSES = 64  # class names a points file may hold for the library (read_csv); the explorer takes MAX_CLASSES
MAX_NAME = 40  # characters in a class name, as the explorer shows them
MAX_ROWS = 100_000  # points in a file
MAX_ABS = 1e6  # |coordinate|: larger ones overflow the scores long before they are useful
MAX_WEIGHT = 1e100  # |w|, |b|: every panel draws weights up to this (their squares, the scores, the axes)


def class_count(k: int) -> int:
    """``k`` if the explorer can show that many classes; ValueError saying the range otherwise."""
    if not MIN_CLASSES <= k <= MAX_CLASSES:
        raise ValueError(f"the explorer shows between {MIN_CLASSES} and {MAX_CLASSES} classes, got {k}")
    return k


def clean_name(name) -> str:
    """A class name cleaned: Unicode NFC, runs of whitespace as one space, none at the ends (a
    reader then refuses it if ``name_problem`` finds one)."""
    return " ".join(unicodedata.normalize("NFC", str(name)).split())


def shown_name(name, fallback: str) -> str:
    """A class name as the explorer shows it: cleaned, cut to MAX_NAME characters, ``fallback``
    when nothing is left."""
    return clean_name(name)[:MAX_NAME].rstrip() or fallback


def name_problem(name: str) -> str | None:
    """Why a cleaned class name cannot be shown, or None."""
    if not name:
        return "is empty"
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        return "contains a control character"
    return None
