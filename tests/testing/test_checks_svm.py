"""The SVM reference (Weston-Watkins hinge, delta = 1): right SVMs pass at any number of examples, no kink alarm."""

import pytest

import linclass
from linclass.testing import assert_gradient_numerically_correct, assert_loss_and_grad_match, problems
from linclass.testing.problems import kink_distance

from . import failure, students

CS231N = {"layout": "columns", "bias": False, "reg_convention": "full", "loss": "hinge"}


@pytest.mark.parametrize("fn", [students.svm, students.svm_naive])
def test_right_svms_pass_both_checks_on_many_problems(fn):
    # found: at many examples a margin sat on its kink and the numerical check failed a right SVM
    assert_loss_and_grad_match(fn, max_examples=150, **CS231N)
    assert_gradient_numerically_correct(fn, max_examples=150, **CS231N)


def test_linclass_s_own_hinge_passes_in_rows_with_a_bias():
    from tests.svm import hinge_loss_and_grad

    assert_loss_and_grad_match(hinge_loss_and_grad, loss="hinge", max_examples=50)


def test_a_kink_problem_is_one_a_right_svm_could_fail():
    # the filter is needed: with W = 0 and a bias of -1 on a class, that margin is exactly 0
    import numpy as np

    p = linclass.testing.Problem(np.zeros((2, 1)), np.array([-1.0, 0.0]), np.ones((1, 1)), np.array([1]), 0.0)
    assert kink_distance(p) == 0.0


def test_a_wrong_svm_is_caught_with_its_hint():
    message = failure(assert_loss_and_grad_match, lambda W, X, y, reg: students.svm(W, X, y, reg, "not_mean"),
                      **CS231N)  # fmt: skip
    assert "Hint [not_mean]" in message, message


def test_the_softmax_reference_fails_an_svm():
    message = failure(assert_loss_and_grad_match, students.svm, **(CS231N | {"loss": "softmax"}))
    assert "does not match the reference" in message


def test_an_unknown_loss_is_refused():
    with pytest.raises(ValueError, match="loss must be 'softmax' or 'hinge'"):
        assert_loss_and_grad_match(students.svm, **(CS231N | {"loss": "svm"}))


def test_problems_without_kinks_come_up_for_custom_shapes():
    assert_gradient_numerically_correct(students.svm, problems=problems(n=(20, 40), k=5), max_examples=30, **CS231N)
