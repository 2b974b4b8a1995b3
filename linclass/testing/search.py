"""Running a check on hypothesis's problems, with the kit's settings, and raising its report."""

from __future__ import annotations

import hypothesis
from hypothesis import HealthCheck, Phase, given

from .calls import KitFailure

__all__ = ["search"]


def search(check, problems, bias: bool, max_examples: int, derandomize: bool, deadline, settings) -> None:
    """Run ``check`` on problems; re-raise its smallest failure as a plain AssertionError.

    ``settings``, when given, replaces the kit's own (max_examples, derandomize, deadline and the
    choices below), except that one failure is reported, never a group of them.
    """
    __tracebackhide__ = True
    if settings is not None:
        chosen = hypothesis.settings(settings, report_multiple_bugs=False)
    else:
        chosen = _settings(max_examples, derandomize, deadline)

    @chosen
    @given(problems.map(lambda p: _check_bias(p, bias)))
    def run(problem):
        check(problem)

    try:
        run()
    except KitFailure as failure:
        # The report says everything; hypothesis's notes would show the problem in the kit's (K, D) layout.
        raise AssertionError(str(failure)) from failure.__cause__


def _settings(max_examples: int, derandomize: bool, deadline) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=derandomize,
        deadline=deadline,
        report_multiple_bugs=False,  # one failure, the smallest: a student fixes one thing at a time
        print_blob=False,
        # no explain phase: the report says what matters, and explaining costs more than shrinking
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow],
    )


def _check_bias(p, bias: bool):
    if (p.b is not None) != bias:
        raise ValueError(f"problems must {'draw' if bias else 'not draw'} b, because bias={bias}")
    return p
