"""The session's error boundary: an action either gives a new session or leaves the old one with a
message; no traceback reaches the page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ..core.pointsio import CSVError
from .lesson import LessonError
from .statefile import StateFileError

__all__ = ["as_sentence", "safely"]

log = logging.getLogger("linclass")
S = TypeVar("S")  # the session (a dataclass with a ``messages`` field)


def safely(sess: S, action: Callable[[S], S]) -> S:
    """``action(sess)``, or ``sess`` unchanged with a message saying why not (``as_sentence``).

    Errors about the user's input (ValueError and its kin: CSVError, StateFileError) are shown as
    they are; anything else is a bug: its traceback goes to the server log, the page gets a short
    message, and the session stays exactly as it was.
    """
    try:
        return action(sess)
    except (ValueError, IndexError, CSVError, StateFileError) as err:
        return replace(sess, messages=(("error", as_sentence(err)),))
    except ArithmeticError as err:
        return replace(sess, messages=(("warning", as_sentence(err)),))
    except Exception:
        log.exception("an action failed; the session is kept as it was")
        return replace(sess, messages=(("error", "Something went wrong, and nothing was changed. The details are "
                                                  "in the server's log."),))  # fmt: skip


def as_sentence(err: Exception) -> str:
    """An error as a sentence for the page: capitalised, ending in a full stop, saying what was kept."""
    text = str(err).strip() or type(err).__name__
    if isinstance(err, CSVError):
        text = f"That CSV file was not loaded, your points are unchanged: {text}"
    elif isinstance(err, StateFileError):
        text = f"That state file was not loaded, nothing changed: {text}"
    elif isinstance(err, LessonError):
        text = f"That lesson was not loaded, nothing changed: {text}"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
