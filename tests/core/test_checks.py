"""The door's argument checks: each turns bad input into a ValueError naming the argument."""

import numpy as np
import pytest

from linclass.core import checks


def test_a_finite_float_array_passes_through_unchanged_and_anything_else_is_converted_or_named():
    a = np.arange(6.0).reshape(2, 3)
    assert checks.real_array(a, "W", 2) is a  # the common case: no copy
    assert checks.real_array([[1, 2]], "W", 2).dtype == np.float64
    for bad, words in [(np.array([[1.0, np.nan]]), "NaN or infinity"), ([["a"]], "real numbers"),
                       (np.zeros(3), "2 dimension"), ([[1], [1, 2]], "real numbers")]:  # fmt: skip
        with pytest.raises(ValueError, match=words):
            checks.real_array(bad, "W", 2)


@pytest.mark.parametrize("bad", [True, 2.0, "3", None])
def test_whole_refuses_bools_floats_and_text(bad):
    with pytest.raises(ValueError, match="n must be a whole number"):
        checks.whole(bad, "n")


def test_real_and_its_bounds():
    assert checks.real(3, "lr") == 3.0
    for bad in [-1, float("nan"), float("inf"), True, "1"]:
        with pytest.raises(ValueError, match="lr"):
            checks.real(bad, "lr")


def test_labels_any_integer_dtype_or_whole_floats_in_range():
    assert checks.labels(np.array([0, 2], np.uint8), "y", 2, 3).dtype == np.intp
    assert checks.labels(np.array([1.0, 0.0]), "y", 2, 2).tolist() == [1, 0]
    for bad, words in [
        (np.array([True, False]), "booleans"),
        (np.array([0.5, 1]), "integer"),
        (np.array([0, 3]), r"\[0, 3\)"),
    ]:
        with pytest.raises(ValueError, match=words):
            checks.labels(bad, "y", 2, 3)


def test_the_margin_and_the_penalty_convention():
    assert checks.margin(0) == 0.0
    with pytest.raises(ValueError, match="delta"):
        checks.margin(-0.5)
    assert [checks.penalty_convention(c) for c in ("half", "full")] == ["half", "full"]
    with pytest.raises(ValueError, match="penalty must be 'half'"):
        checks.penalty_convention("double")
