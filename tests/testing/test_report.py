"""linclass.testing.report: the problem as Python to paste, the differing numbers, and the hint lines."""

import re
import textwrap

import numpy as np
import pytest

import linclass
from linclass.testing.calls import LAYOUTS, Signature
from linclass.testing.mistakes import Tolerance
from linclass.testing.problems import Problem
from linclass.testing.report import NO_HINT, describe, difference, report

TOL = Tolerance(rtol=1e-6, atol=1e-9)
P = Problem(
    W=np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]),  # K = 3, D = 2
    b=np.array([0.01, -0.02, 0.03]),
    X=np.array([[1.0, 2.0], [-1.5, 0.5], [0.25, -3.0]]),
    y=np.array([2, 0, 1]),
    reg=0.07,
)


def softmax_loss(W, b, X, y, reg):
    return linclass.loss_and_grad(W, b, X, y, reg)


def softmax_loss_vectorized(W, X, y, reg):  # CS231n: W (D, K), reg * ||W||^2
    loss, dW, _ = linclass.loss_and_grad(W.T, None, X, y, 2 * reg)
    return loss, dW.T


@pytest.mark.parametrize("fn,layout,bias", [(softmax_loss, "rows", True), (softmax_loss_vectorized, "columns", False)])
def test_the_described_problem_is_python_that_reproduces_the_call_when_pasted(fn, layout, bias):
    sig = Signature(fn, layout, bias)
    text = describe(sig, P)
    first, *code = textwrap.dedent(text).splitlines()
    with_bias = "with a bias b" if bias else "no bias"
    assert first == f"N=3 samples, D=2 features, K=3 classes, {with_bias}; {LAYOUTS[layout]}"
    pasted = {"np": np, fn.__name__: fn}
    exec("\n".join(code), pasted)  # the student's paste, line for line
    np.testing.assert_array_equal(pasted["W"], P.W if layout == "rows" else P.W.T)
    np.testing.assert_array_equal(pasted["X"], P.X)
    expected = fn(**sig.arguments(P))
    assert pasted["loss"] == expected[0]
    np.testing.assert_array_equal(pasted["dW"], expected[1])
    assert ("db" in pasted) is bias


def test_a_one_sample_problem_and_a_per_sample_function_are_described_as_such():
    one = P._replace(X=P.X[:1], y=P.y[:1])
    assert "N=1 sample, D=2" in describe(Signature(softmax_loss), one)
    per_sample = describe(Signature(linclass.sample_grad, sample=True), one)
    assert "N=" not in per_sample and "D=2 features, K=3 classes, with a bias b" in per_sample
    assert per_sample.rstrip().endswith("dW, db = sample_grad(W, b, x, y)")


def test_a_differing_number_shows_both_values_and_the_gap():
    text = difference(Signature(softmax_loss), "loss", 1.25, 1.0, TOL)
    assert text.startswith("loss differs: yours 1.25, expected 1.0;")
    gap = float(re.search(r"abs diff (\S+)", text).group(1))
    assert gap == pytest.approx(0.25)
    bound = float(re.search(r"tolerance (\S+)\)", text).group(1))
    assert bound == pytest.approx(TOL.bound(1.0), rel=0.1)


@pytest.mark.parametrize("layout", ["rows", "columns"])
def test_an_array_difference_points_at_the_worst_entry_in_the_functions_layout(layout):
    sig = Signature(softmax_loss, layout)
    expected = np.arange(6.0).reshape(3, 2) / 10  # (K, D), as the kit holds it
    yours = expected.copy()
    yours[2, 1] += 0.5
    yours[0, 0] -= 0.1
    text = difference(sig, "dW", yours, expected, TOL)
    at = [int(i) for i in re.search(r"at \[(\d+), (\d+)\]", text).groups()]
    assert at == ([2, 1] if layout == "rows" else [1, 2])
    assert float(re.search(r"max abs diff (\S+) at", text).group(1)) == pytest.approx(0.5)
    shown = dict(re.findall(r"^    (yours|expected) += (.*)$", text, flags=re.M))
    np.testing.assert_allclose(eval(shown["yours"]), sig.shown("dW", yours))
    np.testing.assert_allclose(eval(shown["expected"]), sig.shown("dW", expected))


def test_a_nan_is_the_worst_entry_and_large_arrays_are_not_printed():
    yours = np.zeros((2, 3))
    yours[1, 2] = np.nan
    text = difference(Signature(softmax_loss), "dW", yours, np.ones((2, 3)), TOL)
    assert "max abs diff nan at [1, 2]" in text
    big = difference(Signature(softmax_loss), "dW", np.ones((7, 7)), np.zeros((7, 7)), TOL)
    assert "max abs diff 1 at" in big and "yours" not in big and "\n" not in big


def test_the_report_puts_headline_problem_differences_hints_and_warnings_in_order():
    text = report("HEAD", "    W = ...", ["loss differs: A", "dW differs: B"], ["Hint [x]: one", "Hint [y]: two"],
                  "Your code raised 1 warning")  # fmt: skip
    positions = [text.index(part) for part in ("HEAD", "W = ...", "loss differs", "dW differs", "Hint [x]",
                                               "Hint [y]", "Your code raised")]  # fmt: skip
    assert positions == sorted(positions)
    assert "Hint [x]: one\nHint [y]: two" in text  # one hint a line
    assert NO_HINT not in text


def test_a_report_with_no_hint_says_what_to_do_instead():
    text = report("HEAD", "where", ["loss differs"], [])
    assert text.endswith(NO_HINT)
