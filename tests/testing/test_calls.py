"""linclass.testing.calls: how a student's function is called in each layout, and what the kit reads back."""

import warnings

import numpy as np
import pytest

import linclass
from linclass.testing.calls import KitFailure, Signature, Warned
from linclass.testing.problems import Problem

# K = 3 classes, D = 2 features, N = 2 samples: W is not square, so a transpose always shows
P = Problem(
    W=np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]),
    b=np.array([0.01, -0.02, 0.03]),
    X=np.array([[1.0, 2.0], [-1.5, 0.5]]),
    y=np.array([2, 0]),
    reg=0.1,
)


def _where() -> str:
    return "(the problem)"


def test_a_kit_failure_is_an_assertion_error_whose_message_is_written_once_when_read():
    written = []

    def message():
        written.append(1)
        return "the report"

    failure = KitFailure(message)
    assert isinstance(failure, AssertionError) and not failure.ambiguous
    assert written == []  # shrinking raises many failures; only the one read is written
    assert str(failure) == "the report" and str(failure) == "the report"
    assert written == [1]
    assert KitFailure("plain", ambiguous=True).ambiguous


def test_warned_counts_every_warning_and_names_at_most_three_kinds():
    warned = Warned()
    assert warned.text() == ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in (0, 0, 1, 2, 3, 4):  # kind 0 twice: counted twice, named once
            warnings.warn(f"kind {i}", RuntimeWarning, stacklevel=1)
    warned.add(caught)
    assert warned.count == 6
    assert warned.kinds == ["RuntimeWarning: kind 0", "RuntimeWarning: kind 1", "RuntimeWarning: kind 2"]
    assert "6 warnings" in warned.text() and "RuntimeWarning: kind 2" in warned.text()
    assert "kind 3" not in warned.text()


@pytest.mark.parametrize("layout", ["rows", "columns"])
@pytest.mark.parametrize("bias", [True, False])
def test_arguments_follow_the_layout_and_the_bias(layout, bias):
    args = Signature(linclass.loss_and_grad, layout, bias).arguments(P)
    assert list(args) == (["W", "b", "X", "y", "reg"] if bias else ["W", "X", "y", "reg"])
    np.testing.assert_array_equal(args["W"], P.W if layout == "rows" else P.W.T)
    np.testing.assert_array_equal(args["X"], P.X)
    assert args["reg"] == P.reg
    if bias:
        np.testing.assert_array_equal(args["b"], P.b)


def test_a_per_sample_function_gets_the_first_sample_and_an_int_label():
    args = Signature(linclass.sample_grad, "rows", bias=True, sample=True).arguments(P)
    assert list(args) == ["W", "b", "x", "y"]
    np.testing.assert_array_equal(args["x"], P.X[0])
    assert args["y"] == 2 and type(args["y"]) is int


def test_returns_names_what_the_function_must_return():
    names = {
        (sample, bias): Signature(linclass.loss_and_grad, bias=bias, sample=sample).returns.split(", ")
        for sample in (False, True)
        for bias in (False, True)
    }
    for (sample, bias), returned in names.items():
        assert ("loss" in returned) is not sample
        assert ("db" in returned) is bias
        assert "dW" in returned


def test_shown_puts_dw_in_the_functions_own_layout_and_leaves_the_rest():
    dW, db = np.arange(6.0).reshape(3, 2), np.arange(3.0)
    rows, columns = Signature(linclass.loss_and_grad, "rows"), Signature(linclass.loss_and_grad, "columns")
    np.testing.assert_array_equal(rows.shown("dW", dW), dW)
    assert columns.shown("dW", dW).shape == (2, 3)
    np.testing.assert_array_equal(columns.shown("dW", columns.shown("dW", dW)), dW)
    np.testing.assert_array_equal(columns.shown("db", db), db)
    assert columns.shown("loss", 1.5) == 1.5


def test_a_columns_function_is_read_back_in_rows_and_cannot_change_the_problem():
    def cs231n(W, X, y, reg):  # W (D, K), reg * ||W||^2; scribbles on its inputs
        loss, dW, _ = linclass.loss_and_grad(W.T, None, X, y, 2 * reg)
        W[:] = 0.0
        X[:] = 0.0
        return loss, dW.T

    before = P.W.copy(), P.X.copy()
    sig = Signature(cs231n, "columns", bias=False)
    got = sig.read(sig.call(P, _where), P, _where)
    loss, dW, _ = linclass.loss_and_grad(P.W, None, P.X, P.y, 2 * P.reg)
    assert set(got) == {"loss", "dW"} and got["loss"] == pytest.approx(loss)
    np.testing.assert_allclose(got["dW"], dW)  # (K, D) again
    np.testing.assert_array_equal(P.W, before[0])
    np.testing.assert_array_equal(P.X, before[1])


def test_call_turns_the_students_troubles_into_kit_failures_and_counts_warnings():
    def unfinished(W, b, X, y, reg):
        raise NotImplementedError

    with pytest.raises(KitFailure, match="unfinished is not implemented yet"):
        Signature(unfinished).call(P, _where)

    def overflows(W, b, X, y, reg):
        return float(np.exp(1e4 * X).sum()), W, b  # NumPy warns, the kit counts it

    sig = Signature(overflows)
    sig.call(P, _where)
    assert sig.warned.count >= 1 and "overflow" in sig.warned.kinds[0]

    with pytest.raises(KitFailure, match=r"transposed: this check uses layout='rows'") as info:
        sig.read((1.0, P.W.T, P.b), P, _where)
    assert str(info.value).endswith("(the problem)")


@pytest.mark.parametrize(
    "kwargs,match",
    [({"fn": 3}, "fn must be a function"), ({"layout": "cols"}, "layout must be"), ({"timeout": 0}, "timeout must")],
)
def test_a_bad_signature_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Signature(**({"fn": linclass.loss_and_grad} | kwargs))
