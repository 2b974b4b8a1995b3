"""assert_gradient_numerically_correct: a gradient against central differences of the student's own loss."""

import pytest

import linclass
from linclass.testing import assert_gradient_numerically_correct, problems

from . import failure, students

CS231N = {"layout": "columns", "bias": False, "reg_convention": "full"}


def _failure(fn, **kwargs) -> str:
    return failure(assert_gradient_numerically_correct, fn, **kwargs)


def test_right_gradients_pass_in_both_layouts():
    assert_gradient_numerically_correct(linclass.loss_and_grad)
    assert_gradient_numerically_correct(students.cs231n, max_examples=10, **CS231N)


def test_a_consistent_loss_and_gradient_pass_whatever_their_convention():
    # The check compares a function with itself: the summed loss with the summed gradient is consistent.
    def summed(W, b, X, y, reg):
        return students.softmax_loss(W, b, X, y, reg, "not_mean")

    assert_gradient_numerically_correct(summed, max_examples=10)


def test_a_gradient_not_divided_by_n_is_caught_against_its_own_loss():
    def softmax_loss(W, b, X, y, reg):
        loss, dW, db = students.softmax_loss(W, b, X, y, reg)
        return loss, dW * len(y), db * len(y)  # the loss is a mean, the gradient a sum

    message = _failure(softmax_loss)
    assert message.startswith(
        "softmax_loss's gradient differs from the central differences (eps=1e-05) of its loss"
        " on the smallest failing problem found:"
    )
    assert "N=2 samples" in message and "    numeric  = " in message and "    yours    = " in message
    assert "Hint [not_mean]" in message


def test_a_reg_gradient_that_does_not_match_its_loss_is_caught():
    def softmax_loss_vectorized(W, X, y, reg):
        loss, dW = students.cs231n(W, X, y, reg)  # reg * ||W||^2 in the loss ...
        return loss, dW - reg * W  # ... but reg * W in the gradient

    message = _failure(softmax_loss_vectorized, **CS231N)
    assert "dW differs" in message and "Hint [reg_convention]" in message and "in your dW it is 1/2" in message


def test_a_loss_alone_passes_when_its_gradient_is_linclass_s():
    def loss_only(W, X, y, reg):
        return students.cs231n(W, X, y, reg)[0]

    assert_gradient_numerically_correct(lambda W, b, X, y, reg: linclass.loss_and_grad(W, b, X, y, reg)[0])
    assert_gradient_numerically_correct(loss_only, max_examples=10, **CS231N)


@pytest.mark.parametrize("mistake", ["not_mean", "reg_convention"])
def test_a_wrong_loss_alone_is_caught_with_its_hint(mistake):
    message = _failure(lambda W, X, y, reg: students.cs231n(W, X, y, reg, mistake)[0], **CS231N)
    assert "central differences (eps=1e-05) of <lambda>'s loss differ from linclass's gradient" in message
    assert "    linclass = " in message and f"Hint [{mistake}]" in message


def test_differences_of_the_students_own_loss_are_used():
    # Every loss the check evaluates comes from the student's function: 1 call for (loss, dW)
    # and 2 per entry of W for the differences.
    calls = []

    def counted(W, X, y, reg):
        calls.append(W.shape)
        return students.cs231n(W, X, y, reg)

    assert_gradient_numerically_correct(counted, max_examples=1, problems=problems(n=3, k=3, d=2, bias=False), **CS231N)
    assert calls == [(2, 3)] * (1 + 2 * 6)
