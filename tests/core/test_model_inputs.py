"""model.py on odd and bad input: label dtypes, single samples, non-finite scores, shapes."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import linclass
from tests.oracle import loss_and_grad_loop

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def problem(seed, N, K=3, D=2):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(K, D)), rng.normal(size=K), rng.normal(size=(N, D)), rng.integers(0, K, N)


# ---------- labels of any integer dtype -------------------------------------------------------


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("N", [100, 9000])  # 9000 > BLOCK: int8 positions overflowed past 8192
def test_labels_of_any_integer_dtype_give_the_same_loss_and_gradient(dtype, N):
    W, b, X, y = problem(1, N)
    ref = linclass.loss_and_grad(W, b, X, y.astype(np.int64), 0.1)
    got = linclass.loss_and_grad(W, b, X, y.astype(dtype), 0.1)
    assert got[0] == ref[0]
    np.testing.assert_array_equal(got[1], ref[1])
    np.testing.assert_array_equal(got[2], ref[2])


def test_int8_labels_match_the_loop_oracle():
    W, b, X, y = problem(2, 100)
    loss, dW, db = linclass.loss_and_grad(W, b, X, y.astype(np.int8))
    oloss, odW, odb = loss_and_grad_loop(W.tolist(), b.tolist(), X.tolist(), y.tolist())
    assert loss == pytest.approx(oloss, rel=1e-12)
    np.testing.assert_allclose(dW, odW, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(db, odb, rtol=1e-10, atol=1e-13)


def test_labels_as_a_python_list_and_integral_floats():
    W, b, X, y = problem(3, 6)
    ref = linclass.loss_and_grad(W, b, X, y)[0]
    assert linclass.loss_and_grad(W, b, X, y.tolist())[0] == ref
    assert linclass.loss_and_grad(W, b, X, y.astype(float))[0] == ref


@pytest.mark.parametrize(
    "labels",
    [
        np.array([True, False, True, False]),
        np.array([0.0, 1.5, 2.0, 0.0]),
        np.array([0.0, np.nan, 2.0, 0.0]),
        np.array([0.0, 1e20, 2.0, 0.0]),  # must not wrap to a negative int64 and pass
        np.array(["0", "1", "2", "0"]),
        np.array([0, 1, 3, 0]),
        np.array([0, -1, 2, 0]),
        np.array([0, 1, 2, 2**64 - 1], dtype=np.uint64),
        np.array([0, 1, 2, -128], dtype=np.int8),
    ],
)
def test_bad_labels_are_a_value_error_naming_y(labels):
    W, b, X, _ = problem(4, 4)
    with pytest.raises(ValueError, match=r"\by\b"):
        linclass.loss_and_grad(W, b, X, labels)


@pytest.mark.parametrize(
    "W,b,X,name",
    [
        ([[1, "a"], [0, 0]], None, np.zeros((2, 2)), "W"),
        (np.zeros((2, 2)), None, [[0, 1], [0, None]], "X"),
        (np.zeros((2, 2)), None, np.zeros((2, 2)) + 1j, "X"),
        (np.zeros((2, 2)), [np.inf, 0], np.zeros((2, 2)), "b"),
        (np.zeros((2, 2, 1)), None, np.zeros((2, 2)), "W"),
        (np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((2, 2)), "b"),
    ],
)
def test_bad_arrays_are_a_value_error_naming_the_argument(W, b, X, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        linclass.loss_and_grad(W, b, X, [0, 1])


@pytest.mark.parametrize("reg", [float("nan"), float("inf"), -0.5, "0.1", None])
def test_bad_reg_is_a_value_error_naming_reg(reg):
    W, b, X, y = problem(5, 4)
    with pytest.raises(ValueError, match=r"\breg\b"):
        linclass.loss_and_grad(W, b, X, y, reg)


# ---------- one sample ------------------------------------------------------------------------


@given(st.integers(0, 3), st.sampled_from([int, np.int8, np.uint64, np.int64]), st.booleans())
def test_sample_grad_and_loss_equal_the_batch_of_one(label, kind, bias):
    W, b, X, _ = problem(6, 1, K=4)
    b = b if bias else None
    loss, dW, db = linclass.loss_and_grad(W, b, X, [label])
    sW, sb = linclass.sample_grad(W, b, X[0], kind(label))
    np.testing.assert_allclose(sW, dW, rtol=1e-12, atol=1e-15)
    assert (sb is None) == (b is None)
    if bias:
        np.testing.assert_allclose(sb, db, rtol=1e-12, atol=1e-15)
    assert linclass.sample_loss(W, b, X[0], kind(label)) == pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("y", [True, False, 1.5, 1.0, "1", None, np.array([1]), -1, 3])
@pytest.mark.parametrize("fn", [linclass.sample_grad, linclass.sample_loss])
def test_one_sample_label_must_be_an_integer_in_range(fn, y):
    W, b, X, _ = problem(7, 1)
    with pytest.raises(ValueError, match=r"\by\b"):
        fn(W, b, X[0], y)


@pytest.mark.parametrize("x", [np.zeros((1, 2)), np.zeros(3), np.array([0.0, np.nan]), "ab"])
@pytest.mark.parametrize("fn", [linclass.sample_grad, linclass.sample_loss])
def test_one_sample_x_must_be_a_finite_vector_of_length_D(fn, x):
    W, b, _, _ = problem(8, 1)
    with pytest.raises(ValueError, match=r"\bx\b"):
        fn(W, b, x, 0)


def test_sample_loss_overflow_is_a_nonfinite_error():
    W = np.array([[1e300, 0.0], [-1e300, 0.0]])
    with pytest.raises(linclass.NonFiniteError):
        linclass.sample_loss(W, None, np.array([1e10, 0.0]), 1)


# ---------- softmax and scores ----------------------------------------------------------------


@pytest.mark.parametrize("f", [[1.0, np.inf], [-np.inf, -np.inf], [np.nan, 0.0], [[0.0, 1.0], [np.inf, 0.0]]])
def test_softmax_refuses_non_finite_scores(f):
    with pytest.raises(ValueError, match="scores"):
        linclass.softmax(f)


def test_softmax_of_strings_is_a_value_error():
    with pytest.raises(ValueError, match="scores"):
        linclass.softmax(["a", "b"])


@pytest.mark.parametrize(
    "W,b,X,name",
    [
        (np.zeros((3, 2)), None, np.zeros((4, 3)), "X"),
        (np.zeros((3, 2)), None, np.zeros(3), "X"),
        (np.zeros((3, 2)), np.zeros(2), np.zeros((4, 2)), "b"),
        (np.zeros(3), None, np.zeros((4, 2)), "W"),
        (np.full((3, 2), np.nan), None, np.zeros((4, 2)), "W"),
    ],
)
def test_scores_and_predict_check_shapes_and_finiteness(W, b, X, name):
    for fn in (linclass.scores, linclass.predict):
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            fn(W, b, X)


def test_scores_of_one_sample_and_of_a_batch():
    W, b, X, _ = problem(9, 5)
    np.testing.assert_allclose(linclass.scores(W, b, X[2]), linclass.scores(W, b, X)[2])
    assert linclass.scores(W, None, X).shape == (5, 3)
