"""assert_sample_gradient_matches: the derivation's per-sample rows, p_m x and (p_y - 1) x."""

import numpy as np
import pytest

import linclass
from linclass.testing import assert_sample_gradient_matches

from . import failure, students


def _failure(fn, **kwargs) -> str:
    return failure(assert_sample_gradient_matches, fn, **kwargs)


def test_right_sample_gradients_pass_in_every_form():
    assert_sample_gradient_matches(linclass.sample_grad)
    quick = {"bias": False, "max_examples": 20}
    assert_sample_gradient_matches(lambda W, x, y: linclass.sample_grad(W, None, x, y)[0], **quick)
    assert_sample_gradient_matches(lambda W, x, y: linclass.sample_grad(W.T, None, x, y)[0].T, "columns", **quick)
    assert_sample_gradient_matches(lambda W, b, x, y: students.sample_grad(W, b, x, y), max_examples=20)


@pytest.mark.parametrize("mistake", ["no_minus_one", "sign", "overflow"])
def test_each_mistake_is_caught_with_its_hint(mistake):
    message = _failure(lambda W, b, x, y: students.sample_grad(W, b, x, y, mistake))
    assert f"Hint [{mistake}]" in message, message
    assert "D=1 features, K=2 classes, with a bias b" in message and "dW, db = <lambda>(W, b, x, y)" in message


def test_rows_that_are_not_multiples_of_x_get_the_seed_s_rule_as_hint():
    def rows_along_w(W, x, y):
        dW = linclass.sample_grad(W, None, x, y)[0]
        return dW + 0.5 * W  # a term that is not along x

    message = _failure(rows_along_w, bias=False)
    assert "Hint [sample_rows]: For one sample, row m of dW" in message, message


def test_y_is_passed_as_a_plain_int_and_x_as_a_vector():
    seen = []

    def spy(W, x, y):
        seen.append((type(y), np.shape(x), W.shape[1]))
        return linclass.sample_grad(W, None, x, y)[0]

    assert_sample_gradient_matches(spy, bias=False, max_examples=5)
    assert all(t is int and shape == (d,) for t, shape, d in seen)
