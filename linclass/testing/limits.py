"""Time limits on a student's code: a call that does not return in time raises :class:`TimedOut`.

TimedOut is a BaseException, not an Exception, on purpose: hypothesis treats an Exception (and
pytest's ``Failed``, which pytest-timeout's signal method raises) as a failing example and runs the
function again to shrink it, so an endless loop would be retried for ever. A BaseException goes
straight through hypothesis, and the kit's ``search`` turns it into the check's failure report.

In the main thread the limit is a SIGALRM timer (setitimer), which interrupts pure-Python loops
and costs microseconds a call; an earlier timer already set (pytest-timeout's) is kept and wins.
Elsewhere (no SIGALRM, or another thread) the call runs in a daemon thread that is abandoned when
its time is up: the check fails and the session goes on, though the stray thread keeps a core busy.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable

__all__ = ["Abort", "TimedOut", "call_with_limit", "seconds_text"]


class Abort(BaseException):
    """Ends a check at once, with no retry or shrinking (a timeout, a MemoryError); str() is the report."""

    def __init__(self, message: str | Callable[[], str]):
        super().__init__()
        self._message = message

    def __str__(self) -> str:
        if callable(self._message):
            self._message = self._message()
        return self._message


class TimedOut(Abort):
    """A student's call, or a whole check, did not finish within ``seconds``."""

    def __init__(self, seconds: float, message: str | Callable[[], str] | None = None):
        super().__init__(message or f"timed out after {seconds_text(seconds)}")
        self.seconds = seconds


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} s"


def call_with_limit(fn: Callable, seconds: float | None):
    """fn() if it returns within ``seconds`` (None: no limit); raises TimedOut otherwise."""
    if seconds is None:
        return fn()
    if not seconds > 0:
        raise ValueError(f"timeout must be a number of seconds > 0 or None, got {seconds!r}")
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_alarm(fn, seconds)
    return _in_thread(fn, seconds)


def _raise_timeout(signum, frame):
    raise TimedOut(_raise_timeout.seconds)


def _with_alarm(fn: Callable, seconds: float):
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_delay and outer_delay <= seconds:
        return fn()  # an outer timer (pytest-timeout's) ends this first: leave it in charge
    _raise_timeout.seconds = seconds
    outer_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_delay:  # give the outer timer back what is left of it
            left = max(outer_delay - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def _in_thread(fn: Callable, seconds: float):
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="linclass-student-call")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]
