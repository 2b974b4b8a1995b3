"""Grading a class: every submission in its own process, with time, CPU and memory limits.

The parent has NumPy, hypothesis and the kit loaded once; each submission gets a process forked from
it (a few milliseconds, no new interpreter), at most ``jobs`` at a time. In the child, stdout and
stderr go to /dev/null (a student's prints never reach the score sheet), RLIMIT_CPU and RLIMIT_AS
are set, the module is imported with a time limit, and each call of a student's function has
``timeout`` seconds (the kit's own searching and shrinking is not counted, so a busy machine slows
grading but never turns a verdict into a timeout); each verdict goes back over a pipe as soon as it
is known. The parent kills a child that overruns its whole budget (code that escapes the per-call
limit, e.g. a loop that swallows every exception) and writes "timed out" for what it did not report,
so an endless, crashing, memory-hungry or sys.exit-calling submission only ever costs its own rows.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from .checks import assert_gradient_numerically_correct, assert_loss_and_grad_match
from .limits import TimedOut, call_with_limit, seconds_text

__all__ = ["CHECKS", "FUNCTIONS", "Options", "Row", "collect", "grade"]

CHECKS = {"loss_and_grad": assert_loss_and_grad_match, "numerical_gradient": assert_gradient_numerically_correct}
FUNCTIONS = {  # what --function defaults to, for each --loss
    "softmax": ("softmax_loss_naive", "softmax_loss_vectorized"),
    "hinge": ("svm_loss_naive", "svm_loss_vectorized"),
}
NOT_SUBMISSIONS = ("conftest.py", "__init__.py", "setup.py")  # in a folder, with test_*.py and *_test.py
START = 30.0  # seconds a check may take beyond its student's calls, on a busy machine


@dataclass(frozen=True)
class Options:
    functions: tuple[str, ...]
    loss: str = "softmax"
    layout: str = "columns"
    penalty: str = "any"
    bias: bool = False
    timeout: float = 10.0  # seconds for one call of a student's function (and for the import)
    memory_mb: int = 2048  # address space a child may add to what it inherits
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def budget(self) -> float:
        """The most a submission may take: a generous allowance per check, plus the import and slack."""
        return (4 * self.timeout + START) * (len(self.functions) * len(CHECKS) + 1)


@dataclass(frozen=True)
class Row:
    """One check of one function of one submission; ``timed_out`` counts it in the summary."""

    submission: str
    function: str
    check: str
    passed: bool
    message: str
    timed_out: bool = False


def collect(paths) -> list[Path]:
    """The submissions: each file given, and each folder's .py files (not tests, conftest.py, __init__.py)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.glob("*.py") if _is_submission(p))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return found


def _is_submission(path: Path) -> bool:
    name = path.name
    return name not in NOT_SUBMISSIONS and not name.startswith("test_") and not name.endswith("_test.py")


def grade(submissions: list[Path], options: Options, progress: Callable[[int, int], None] | None = None) -> list[Row]:
    """Every submission's rows, in the order given; ``progress(done, total)`` after each submission."""
    context = multiprocessing.get_context("fork")  # the kit is loaded once, in this process
    pending, running, done = deque(enumerate(submissions)), {}, {}
    while pending or running:
        while pending and len(running) < max(1, options.jobs):
            index, path = pending.popleft()
            running[index] = _Job.start(context, path, options)
        _wait_for_any(running.values())
        for index, job in list(running.items()):
            if job.finished():
                done[index] = job.rows(options)
                del running[index]
                if progress:
                    progress(len(done), len(submissions))
    return [row for index in sorted(done) for row in done[index]]


def _wait_for_any(jobs) -> None:
    jobs = list(jobs)
    first_deadline = min(job.deadline for job in jobs)
    waitables = [job.conn for job in jobs if not job.closed] + [job.process.sentinel for job in jobs]
    wait(waitables, timeout=max(first_deadline - time.monotonic(), 0.0))


@dataclass
class _Job:
    path: Path
    process: multiprocessing.Process
    conn: object
    deadline: float
    received: dict = field(default_factory=dict)  # (function, check) -> Row
    closed: bool = False
    overdue: bool = False

    @classmethod
    def start(cls, context, path: Path, options: Options) -> _Job:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(path, options, send), daemon=True)
        process.start()
        send.close()  # the child holds the only writing end: EOF when it ends
        return cls(path, process, receive, time.monotonic() + options.budget)

    def finished(self) -> bool:
        self._drain()
        if time.monotonic() > self.deadline and self.process.is_alive():
            self.overdue = True
            self.process.kill()
        if self.closed or not self.process.is_alive():
            self.process.join(5)
            if self.process.is_alive():  # closed its pipe but lingers
                self.process.kill()
                self.process.join()
            self._drain()
            self.conn.close()
            return True
        return False

    def _drain(self) -> None:
        while not self.closed and self.conn.poll():
            try:
                row = self.conn.recv()
            except (EOFError, OSError):
                self.closed = True
            else:
                self.received[row.function, row.check] = row

    def rows(self, options: Options) -> list[Row]:
        missing = self._missing_message(options)
        name = str(self.path)
        return [
            self.received.get((f, c)) or Row(name, f, c, False, missing, timed_out=self.overdue)
            for f in options.functions
            for c in CHECKS
        ]

    def _missing_message(self, options: Options) -> str:
        code = self.process.exitcode
        if self.overdue:
            return f"timed out after {seconds_text(options.budget)} (the whole submission's time limit)"
        if code == -signal.SIGXCPU:
            return f"used more than {seconds_text(options.budget)} of CPU time"
        if code is not None and code < 0:
            return f"the grading process was killed by {signal.Signals(-code).name} (out of memory?)"
        return f"the grading process ended (exit code {code}) before this check"


# ---------- the child: one submission -----------------------------------------------------------


def _child(path: Path, options: Options, conn) -> None:
    _isolate(options)
    name = str(path)
    module, problem = _load(path, options.timeout)
    for function in options.functions:
        fn = getattr(module, function, None) if module else None
        why = problem or (None if callable(fn) else f"the submission has no function {function}")
        for check in CHECKS:
            if why is not None:
                conn.send(Row(name, function, check, False, why, timed_out=why.startswith("timed out")))
                continue
            row = _run_check(name, function, check, fn, options)
            conn.send(row)
            if row.timed_out:  # the next check would only time out again
                why = f"timed out after {seconds_text(options.timeout)} (in the {check} check; not run again)"
    conn.close()


def _isolate(options: Options) -> None:
    """No output to the terminal, and limits on CPU time and memory for this process."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    cpu = int(options.budget) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    extra = options.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + extra, resource.RLIM_INFINITY))


def _address_space() -> int:
    """This process's virtual size in bytes (what the fork inherited), or 1 GiB where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 2**30
    return pages * os.sysconf("SC_PAGE_SIZE")


def _load(path: Path, timeout: float):
    """(module, None), or (None, why it could not be imported)."""
    sys.path.insert(0, str(path.resolve().parent))  # so it can import its neighbours, as pytest would
    spec = importlib.util.spec_from_file_location(f"submission_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        call_with_limit(lambda: spec.loader.exec_module(module), timeout)
    except TimedOut:
        return None, f"timed out after {seconds_text(timeout)} while importing it"
    except SyntaxError as exc:
        return None, f"could not import: SyntaxError: {exc.msg} (line {exc.lineno})"
    except SystemExit as exc:
        return None, f"could not import: it calls sys.exit({exc.code!r}) when imported"
    except BaseException as exc:  # noqa: BLE001 - a student's module may raise anything
        return None, f"could not import: {type(exc).__name__}: {exc}"
    return module, None


def _run_check(name: str, function: str, check: str, fn, options: Options) -> Row:
    try:
        passed = CHECKS[check](
            fn, options.layout, bias=options.bias, reg_convention=options.penalty, loss=options.loss,
            timeout=options.timeout,
        )  # fmt: skip
    except AssertionError as failure:
        timed_out = isinstance(failure.__cause__, TimedOut)
        message = f"timed out after {seconds_text(options.timeout)}" if timed_out else str(failure)
        return Row(name, function, check, False, message, timed_out=timed_out)
    except BaseException as exc:  # noqa: BLE001 - anything else the student's code gets up to
        return Row(name, function, check, False, f"{type(exc).__name__}: {exc}")
    message = "" if not passed.warnings else f"{passed.warnings} warnings (captured): {'; '.join(passed.warning_kinds)}"
    return Row(name, function, check, True, message)
