"""Running a check on hypothesis's problems, with the kit's settings, and raising its report."""

from __future__ import annotations

from dataclasses import dataclass

import hypothesis
import hypothesis.errors
from hypothesis import HealthCheck, Phase, given

from .calls import KitFailure, Warned
from .limits import Abort

__all__ = ["Passed", "search"]


@dataclass(frozen=True)
class Passed:
    """What a check that passed returns: the warnings the student's code raised (captured, not printed)."""

    warnings: int = 0
    warning_kinds: tuple = ()


def search(check, problems, bias: bool, max_examples: int, derandomize: bool, deadline, settings, warned: Warned):
    """Run ``check`` on problems; re-raise its smallest failure as a plain AssertionError.

    ``settings``, when given, replaces the kit's own (max_examples, derandomize, deadline and the
    choices below), except that one failure is reported, never a group of them. A failure that
    several mistakes explain equally (e.g. a sign error and a misplaced -1 look alike when K = 2)
    sends the search on to the smallest problem that tells them apart; if there is none, the
    first report stands, with no hint. An ``Abort`` (a timeout, a MemoryError) ends the search at
    once, and its message is the report.
    """
    __tracebackhide__ = True
    chosen = _settings(max_examples, derandomize, deadline) if settings is None else settings
    chosen = hypothesis.settings(chosen, report_multiple_bugs=False)
    problems = problems.map(lambda p: _check_bias(p, bias))
    try:
        failure = _failure(check, problems, chosen)
        if failure is not None and failure.ambiguous:
            failure = _telling_failure(check, problems, chosen) or failure
    except Abort as stop:
        raise AssertionError(str(stop)) from stop  # the cause tells a grader it was a timeout
    if failure is not None:
        # The report says everything; hypothesis's notes would show the problem in the kit's (K, D) layout.
        raise AssertionError(str(failure)) from failure.__cause__
    return Passed(warned.count, tuple(warned.kinds))


def _failure(check, problems, chosen) -> KitFailure | None:
    @chosen
    @given(problems)
    def run(problem):
        check(problem)

    try:
        run()
    except KitFailure as failure:
        return failure
    return None


def _telling_failure(check, problems, chosen) -> KitFailure | None:
    try:
        return _failure(_telling(check), problems, chosen)
    except hypothesis.errors.Unsatisfiable:  # every problem is ambiguous (or filtered out)
        return None


def _telling(check):
    """``check``, passing the problems on which the mistake cannot be told from another."""

    def telling(problem):
        try:
            check(problem)
        except KitFailure as failure:
            if not failure.ambiguous:
                raise

    return telling


def _settings(max_examples: int, derandomize: bool, deadline) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=derandomize,
        deadline=deadline,
        print_blob=False,
        # no explain phase: the report says what matters, and explaining costs more than shrinking
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _check_bias(p, bias: bool):
    if (p.b is not None) != bias:
        raise ValueError(f"problems must {'draw' if bias else 'not draw'} b, because bias={bias}")
    return p
