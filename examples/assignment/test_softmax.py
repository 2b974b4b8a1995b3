"""The grading tests: each compares one of the student's functions with linclass's reference.

The assignment uses CS231n's conventions: W is (D, K), one column per class ("columns"), there
is no bias, and the penalty is reg * ||W||^2 ("full").
"""

from linclass.testing import (
    assert_gradient_numerically_correct,
    assert_loss_and_grad_match,
    assert_sample_gradient_matches,
)

CS231N = {"layout": "columns", "bias": False}


def test_naive_loss_and_gradient(student):
    assert_loss_and_grad_match(student.softmax_loss_naive, reg_convention="full", **CS231N)


def test_vectorized_loss_and_gradient(student):
    assert_loss_and_grad_match(student.softmax_loss_vectorized, reg_convention="full", **CS231N)


def test_vectorized_gradient_matches_central_differences_of_its_loss(student):
    assert_gradient_numerically_correct(student.softmax_loss_vectorized, reg_convention="full", **CS231N)


def test_sample_gradient(student):
    assert_sample_gradient_matches(student.softmax_sample_grad, **CS231N)
