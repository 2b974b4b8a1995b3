"""assert_loss_and_grad_match: right code passes, each common mistake fails with its hint and a readable report."""

import re
import time

import hypothesis
import numpy as np
import pytest

import linclass
from linclass.testing import HINTS, assert_loss_and_grad_match, problems
from tests.oracle import loss_and_grad_loop

from . import failure, students
from .students import MISTAKES

CS231N = {"layout": "columns", "bias": False, "reg_convention": "full"}


def _cs231n(mistake=None):
    def softmax_loss_vectorized(W, X, y, reg):
        return students.cs231n(W, X, y, reg, mistake)

    return softmax_loss_vectorized


def _student(mistake=None):
    def softmax_loss(W, b, X, y, reg):
        return students.softmax_loss(W, b, X, y, reg, mistake)

    return softmax_loss


def _failure(fn, **kwargs) -> str:
    return failure(assert_loss_and_grad_match, fn, **kwargs)


# ---------- right code passes -----------------------------------------------------------------


def test_linclass_itself_passes_with_the_defaults():
    assert_loss_and_grad_match(linclass.loss_and_grad, require_log_sum_exp=True)


def test_the_loop_oracle_passes_in_cs231n_form():
    # An independent implementation (plain loops, tests/oracle.py) agrees with the kit's reference
    # on every problem, extreme ones included; CS231n's reg * ||W||^2 is the oracle's 1/2 * (2 reg).
    def naive(W, X, y, reg):
        loss, dW, _ = loss_and_grad_loop(W.T.tolist(), None, X.tolist(), y.tolist(), 2 * reg)
        return loss, np.array(dW).T

    assert_loss_and_grad_match(naive, require_log_sum_exp=True, max_examples=30, **CS231N)


def test_student_style_code_passes_both_layouts():
    assert_loss_and_grad_match(_student(), max_examples=20)
    assert_loss_and_grad_match(_cs231n(), max_examples=20, **CS231N)


def test_a_function_that_writes_into_its_inputs_is_graded_on_the_right_values():
    def messy(W, b, X, y, reg):
        out = linclass.loss_and_grad(W, b, X, y, reg)
        W *= 0.0
        X *= 0.0
        return out

    assert_loss_and_grad_match(messy, max_examples=20)


# ---------- each mistake is caught, with its hint ---------------------------------------------


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_common_mistake_fails_with_its_hint(mistake):
    message = _failure(_student(mistake))
    assert f"Hint [{mistake}]" in message, message
    assert message.count("Hint [") == 1, message


def test_the_reg_hint_names_the_convention_the_course_uses():
    # linclass's 1/2 convention graded as CS231n's, and the other way round
    to_full = _failure(_student(), bias=True, reg_convention="full")
    assert "adds reg * ||W||^2 (gradient 2 * reg * W) to the loss; in your loss and dW it is 1/2 * reg" in to_full
    to_half = _failure(_student("reg_convention"))
    assert "adds 1/2 * reg * ||W||^2 (gradient reg * W) to the loss; in your loss and dW it is reg * ||W||^2" in to_half


def test_minus_log_p_passes_unless_log_sum_exp_is_required():
    # CS231n's -log(probs[y]) is inf once p_y rounds to 0: lenient by default, caught on request.
    assert_loss_and_grad_match(_student("log_of_p"), max_examples=20)
    message = _failure(_student("log_of_p"), require_log_sum_exp=True)
    assert "Hint [log_underflow]" in message and "loss differs: yours inf" in message, message
    assert "dW differs" not in message


def test_overflow_is_found_only_on_extreme_problems():
    assert_loss_and_grad_match(_student("overflow"), extreme=False, max_examples=20)


# ---------- the report --------------------------------------------------------------------------


def test_the_report_shows_the_smallest_problem_the_quantity_the_difference_and_the_hint():
    message = _failure(_cs231n("not_mean"), **CS231N)
    headline = "softmax_loss_vectorized does not match the reference on the smallest failing problem found:"
    assert message.startswith(headline + "\n\n")
    assert "N=2 samples, D=1 features, K=2 classes, no bias; W is (D, K), one column per class" in message
    assert "loss, dW = softmax_loss_vectorized(W, X, y, reg)" in message
    number = r"[-+\d.e]+"
    diff = rf"loss differs: yours {number}, expected {number}; abs diff {number} \(tolerance {number}\)"
    assert re.search(diff, message), message
    assert HINTS["not_mean"] in message


def test_the_printed_problem_reproduces_the_failure_when_pasted():
    fn = _cs231n("no_minus_one")
    message = _failure(fn, **CS231N)
    lines = re.findall(r"^    (W|X|y|reg) = (.*)$", message, flags=re.M)
    args = {name: eval(value, {"np": np}) for name, value in lines}
    assert list(args) == ["W", "X", "y", "reg"] and args["W"].shape[0] == args["X"].shape[1]  # (D, K) as passed
    loss, dW = fn(**args)
    _, ref_dW, _ = linclass.loss_and_grad(args["W"].T, None, args["X"], args["y"], 2 * args["reg"])
    assert not np.allclose(dW, ref_dW.T)
    assert "dW differs: max abs diff" in message and "    yours    = [[" in message and "    expected = [[" in message


def test_grading_is_reproducible():
    assert _failure(_student("sign")) == _failure(_student("sign"))


@pytest.mark.parametrize(
    "result,expected",
    [
        (None, r"returned None; it must return \(loss, dW, db\)"),
        ((1.0, np.zeros((2, 2))), r"returned a tuple of 2 items; it must return \(loss, dW, db\)"),
        ((np.zeros(3), np.zeros((2, 2)), np.zeros(2)), "The loss must be one number"),
        ((1.0, "dW", np.zeros(2)), "dW must have shape"),
    ],
)
def test_a_wrong_return_value_is_explained(result, expected):
    message = _failure(lambda W, b, X, y, reg: result, problems=problems(k=2, d=2, bias=True))
    assert re.search(expected, message), message


def test_a_transposed_gradient_is_called_transposed():
    def transposed(W, X, y, reg):
        loss, dW = students.cs231n(W, X, y, reg)
        return loss, dW.T

    message = _failure(transposed, **CS231N)
    assert "It is transposed: this check uses layout='columns'" in message, message


def test_an_unfinished_function_is_reported_as_such():
    def softmax_loss_naive(W, X, y, reg):
        raise NotImplementedError

    message = _failure(softmax_loss_naive, **CS231N)
    assert message == "softmax_loss_naive is not implemented yet: it raises NotImplementedError."


def test_an_exception_in_the_students_code_is_reported_with_the_problem():
    def crashes(W, b, X, y, reg):
        return X[:, W.shape[0]], W, b

    with pytest.raises(AssertionError, match=r"crashes raised IndexError: .*\n\n    N=1 sample") as info:
        assert_loss_and_grad_match(crashes)
    assert isinstance(info.value.__cause__, IndexError)  # the student's own traceback is kept


# ---------- settings and arguments ------------------------------------------------------------


def test_max_examples_and_settings_are_honoured():
    calls = []

    def counted(W, b, X, y, reg):
        calls.append(1)
        return linclass.loss_and_grad(W, b, X, y, reg)

    assert_loss_and_grad_match(counted, max_examples=7)
    assert 1 <= len(calls) <= 7
    calls.clear()
    assert_loss_and_grad_match(counted, settings=hypothesis.settings(max_examples=3, derandomize=True, deadline=None))
    assert 1 <= len(calls) <= 3


def test_a_settings_object_of_ones_own_still_gives_one_report():
    # Two different failures (a crash on one-sample batches, a wrong value on others) would make
    # hypothesis raise an ExceptionGroup under its default report_multiple_bugs=True.
    def two_bugs(W, b, X, y, reg):
        if len(y) == 1:
            raise ZeroDivisionError("one sample")
        loss, dW, db = linclass.loss_and_grad(W, b, X, y, reg)
        return 2 * loss, dW, db

    mine = hypothesis.settings(max_examples=50, derandomize=True, deadline=None)
    with pytest.raises(AssertionError):
        assert_loss_and_grad_match(two_bugs, settings=mine)


def test_no_deadline_by_default():
    # hypothesis's own default (200 ms) would fail a slow but right naive loop
    def slow(W, b, X, y, reg):
        time.sleep(0.25)
        return linclass.loss_and_grad(W, b, X, y, reg)

    assert_loss_and_grad_match(slow, max_examples=2)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"layout": "cols"}, "layout must be 'rows'"),
        ({"reg_convention": "l2"}, "reg_convention must be 'half'"),
        ({"problems": problems(bias=False)}, "problems must draw b, because bias=True"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        assert_loss_and_grad_match(linclass.loss_and_grad, **kwargs)


def test_a_one_element_loss_array_is_graded_not_crashed():
    # Found (review): `return np.array([loss]), dW` crashed the kit with NumPy's TypeError.
    from linclass.testing import assert_loss_and_grad_match

    def one_element(W, b, X, y, reg):
        loss, dW, db = linclass.loss_and_grad(W, b, X, y, reg)
        return np.array([loss]), dW, db

    assert_loss_and_grad_match(one_element, max_examples=20)
