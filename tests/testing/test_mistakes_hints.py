"""Hints given only when the evidence singles the mistake out, each tested on a wrong solution written for it."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

from linclass.testing import Problem, assert_gradient_numerically_correct, assert_loss_and_grad_match, problems

from . import failure, students

CS231N = {"layout": "columns", "bias": False, "reg_convention": "full"}


def _vectorized(edit):
    def softmax_loss_vectorized(W, X, y, reg):
        N, K = X.shape[0], W.shape[1]
        f = X @ W
        f = f - f.max(axis=1, keepdims=True)
        probs = np.exp(f) / np.exp(f).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).sum()
        return edit(N, K, X, y, probs, loss, W, reg)

    return softmax_loss_vectorized


def _last_column(N, K, X, y, probs, loss, W, reg):
    probs[np.arange(N), np.minimum(y, K - 2)] -= 1  # y = K - 1 lands in column K - 2
    return loss / N + reg * np.sum(W * W), X.T @ probs / N + 2 * reg * W


def _penalty_over_n(N, K, X, y, probs, loss, W, reg):
    probs[np.arange(N), y] -= 1
    return (loss + reg * np.sum(W * W)) / N, (X.T @ probs + 2 * reg * W) / N


def _transposed(N, K, X, y, probs, loss, W, reg):
    probs[np.arange(N), y] -= 1
    return loss / N + reg * np.sum(W * W), probs.T @ X / N + 2 * reg * W


def _stub(N, K, X, y, probs, loss, W, reg):
    return 0.0, np.zeros_like(W)


def _hints(message: str) -> list[str]:
    return [line.split("]")[0] + "]" for line in message.splitlines() if line.startswith("Hint [")]


@pytest.mark.parametrize(
    "edit,mistake,kwargs",
    [
        (_last_column, "last_column", {}),
        (_penalty_over_n, "penalty_over_n", {}),
        (_transposed, "transposed", {"problems": problems(k=3, d=3)}),
    ],
)
@pytest.mark.parametrize("check", [assert_loss_and_grad_match, assert_gradient_numerically_correct])
def test_each_mistake_gets_its_own_hint_and_no_other(edit, mistake, kwargs, check):
    if check is assert_gradient_numerically_correct and mistake == "penalty_over_n":
        check(_vectorized(edit), **CS231N, **kwargs)  # its loss and gradient agree: the numerical check passes it
        return
    message = failure(check, _vectorized(edit), **CS231N, **kwargs)
    assert _hints(message) == [f"Hint [{mistake}]"], message


def test_the_last_column_shift_is_shown_on_a_problem_that_tells_it_from_a_sign_error():
    # found: the shrunk problem had K = 2, one sample, W = 0, where the shift and a sign error give the same dW
    fn = _vectorized(_last_column)
    message = failure(assert_loss_and_grad_match, fn, **CS231N)
    args = {name: eval(value, {"np": np}) for name, value in re.findall(r"^    (W|X|y|reg) = (.*)$", message, re.M)}
    _, sign_dW = students.cs231n(**args, mistake="sign")
    assert not np.allclose(fn(**args)[1], sign_dW), message


def test_with_only_ambiguous_problems_no_hint_is_given():
    # K = 2, one sample of class 1 and W = 0: the shift and a sign error give the same dW, so neither is named
    only = st.sampled_from([Problem(np.zeros((2, 1)), None, np.array([[x]]), np.array([1]), 0.0) for x in (0.5, 2.0)])
    message = failure(assert_loss_and_grad_match, _vectorized(_last_column), problems=only, **CS231N)
    assert _hints(message) == [] and "No common mistake explains this difference" in message, message


@pytest.mark.parametrize("check", [assert_loss_and_grad_match, assert_gradient_numerically_correct])
def test_a_stub_returning_zeros_looks_unfinished(check):
    message = failure(check, _vectorized(_stub), **CS231N)
    assert message.startswith("softmax_loss_vectorized looks unfinished: it returns a loss of 0 and a zero gradient")


@pytest.mark.parametrize("check", [assert_loss_and_grad_match, assert_gradient_numerically_correct])
def test_a_function_returning_none_is_reported_as_such_not_as_a_nan_gradient(check):
    def softmax_loss_naive(W, X, y, reg):
        students.cs231n(W, X, y, reg)  # computed, never returned

    message = failure(check, softmax_loss_naive, **CS231N)
    assert message.startswith("softmax_loss_naive returned None; it must return (loss, dW)"), message
    assert "nan" not in message


def test_warnings_from_student_code_are_counted_not_printed(recwarn):
    def noisy(W, X, y, reg):
        warnings.warn("debug output", UserWarning, stacklevel=1)
        return students.cs231n(W, X, y, reg)

    passed = assert_loss_and_grad_match(noisy, max_examples=20, **CS231N)
    assert passed.warnings == 20 and passed.warning_kinds == ("UserWarning: debug output",)
    assert len(recwarn) == 0  # none reached pytest
    message = failure(assert_loss_and_grad_match, lambda W, X, y, reg: (noisy(W, X, y, reg)[0] * 2, 0 * W), **CS231N)
    assert "Your code raised" in message and "warnings during this check (captured, not printed)" in message


def test_custom_shapes_keep_the_checks_defaults():
    # problems(k=..., d=...) used to turn on the log-sum-exp requirement and demand bias=False
    def minus_log_p(W, X, y, reg):
        return students.cs231n(W, X, y, reg, "log_of_p")

    assert_loss_and_grad_match(minus_log_p, problems=problems(k=(3, 5), d=2), max_examples=30, **CS231N)
    assert_gradient_numerically_correct(minus_log_p, problems=problems(n=3), max_examples=5, **CS231N)


def test_any_penalty_accepts_either_convention_but_not_a_mix():
    assert_loss_and_grad_match(students.cs231n, **(CS231N | {"reg_convention": "any"}), max_examples=20)
    half = lambda W, X, y, reg: students.cs231n(W, X, y, reg, "reg_convention")  # noqa: E731
    assert_loss_and_grad_match(half, **(CS231N | {"reg_convention": "any"}), max_examples=20)

    def mixed(W, X, y, reg):
        loss, dW = students.cs231n(W, X, y, reg)
        return loss, dW - reg * W  # full in the loss, half in the gradient

    message = failure(assert_loss_and_grad_match, mixed, **(CS231N | {"reg_convention": "any"}))
    assert "Hint [reg_convention]" in message, message
