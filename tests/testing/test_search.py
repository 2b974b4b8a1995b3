"""linclass.testing.search: a check run on hypothesis's problems passes, or raises its smallest failure's report."""

import numpy as np
import pytest

import linclass
from linclass.testing.calls import KitFailure, Signature, Warned
from linclass.testing.limits import Abort
from linclass.testing.problems import problems
from linclass.testing.search import Passed, search

from . import students


def _search(check, strategy, bias=True, max_examples=30, settings=None, warned=None):
    return search(check, strategy, bias, max_examples, True, None, settings, warned or Warned())


def _loss_check(fn, layout="rows", bias=True, warned=None):
    """A small check: fn's loss must be linclass's (1/2 reg ||W||^2) on each problem."""
    sig = Signature(fn, layout, bias, warned=warned or Warned())

    def check(p):
        yours = sig.read(sig.call(p, lambda: repr(p)), p, lambda: repr(p))["loss"]
        expected = linclass.loss_and_grad(p.W, p.b, p.X, p.y, p.reg)[0]
        if not np.isclose(yours, expected):
            raise KitFailure(lambda: f"{sig.name}: loss {yours!r}, expected {expected!r} on N={p.N}")

    return check, sig.warned


def _student(mistake=None):
    def softmax_loss(W, b, X, y, reg):
        return students.softmax_loss(W, b, X, y, reg, mistake)

    return softmax_loss


def test_a_right_function_passes_and_a_wrong_one_fails_the_same_way_on_every_run():
    check, warned = _loss_check(_student())
    passed = _search(check, problems(bias=True, extreme=False), warned=warned)
    assert passed == Passed(0, ())
    wrong = _loss_check(_student("not_mean"))[0]
    reports = []
    for _ in range(2):
        with pytest.raises(AssertionError) as info:
            _search(wrong, problems(bias=True, extreme=False))
        assert not isinstance(info.value, KitFailure)  # a plain AssertionError that holds the report
        reports.append(str(info.value))
    assert reports[0] == reports[1] and reports[0].startswith("softmax_loss: loss ")
    assert reports[0].endswith("on N=2")  # the summed loss of one sample is its mean: the smallest is N = 2


def test_the_report_is_of_the_smallest_failing_problem():
    def check(p):
        if p.K >= 4 and p.D >= 2:
            raise KitFailure(lambda: f"K={p.K} D={p.D} N={p.N}")

    with pytest.raises(AssertionError, match=r"^K=4 D=2 N=1$"):
        _search(check, problems(bias=False, reg=False), bias=False, max_examples=50)


def test_the_students_own_exception_is_the_cause_of_the_failure():
    def crashes(W, b, X, y, reg):
        return {}["loss"], W, b

    check, _ = _loss_check(crashes)
    with pytest.raises(AssertionError, match=r"crashes raised KeyError") as info:
        _search(check, problems(bias=True))
    assert isinstance(info.value.__cause__, KeyError)


def test_an_ambiguous_failure_sends_the_search_on_to_a_problem_that_tells_the_mistakes_apart():
    def check(p):
        if p.K == 2:
            raise KitFailure("ambiguous on K=2", ambiguous=True)
        if p.D >= 2:
            raise KitFailure(f"told apart on K={p.K}, D={p.D}")

    with pytest.raises(AssertionError, match=r"^told apart on K=3, D=2$"):
        _search(check, problems(bias=False, reg=False), bias=False, max_examples=50)

    def never_told(p):
        raise KitFailure("ambiguous everywhere", ambiguous=True)

    with pytest.raises(AssertionError, match=r"^ambiguous everywhere$"):  # the first report stands
        _search(never_told, problems(bias=False), bias=False)


def test_an_abort_ends_the_search_at_once_with_its_message():
    calls = []

    def check(p):
        calls.append(p)
        raise Abort("ran out of memory on this problem")

    with pytest.raises(AssertionError, match=r"^ran out of memory on this problem$") as info:
        _search(check, problems(bias=True), bias=True)
    assert calls and len(calls) == 1  # no retry, no shrinking
    assert isinstance(info.value.__cause__, Abort)


def test_problems_must_draw_b_exactly_when_the_check_has_a_bias():
    check, _ = _loss_check(_student())
    with pytest.raises(ValueError, match="problems must draw b, because bias=True"):
        _search(check, problems(bias=False), bias=True)
    with pytest.raises(ValueError, match="problems must not draw b, because bias=False"):
        _search(check, problems(bias=True), bias=False)


def test_a_check_without_a_bias_passes_on_problems_without_b_and_reports_the_warnings():
    def overflowing(W, X, y, reg):  # right, but exp overflows on the way (NumPy warns)
        np.exp(np.full(1, 1e3))
        return linclass.loss_and_grad(W, None, X, y, reg)[:2]

    check, warned = _loss_check(overflowing, bias=False)
    passed = _search(check, problems(bias=False, extreme=False), bias=False, max_examples=10, warned=warned)
    assert passed.warnings >= 1 and any("overflow" in kind for kind in passed.warning_kinds)
