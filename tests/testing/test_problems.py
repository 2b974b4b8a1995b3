"""The problem strategy: shapes under control, the hard cases reachable, values exact and pasteable."""

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

import linclass
from linclass.testing import Problem, problems
from linclass.testing.problems import EXTREME, NEAR_TOP

QUICK = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# The first problem found is enough: no shrinking
FIND = settings(QUICK, max_examples=2000, phases=[Phase.generate])


@QUICK
@given(problems(n=(2, 5), k=3, d=(1, 2), bias=False, extreme=False))
def test_shapes_labels_and_values_follow_the_arguments(p):
    W, b, X, y, reg = p  # a Problem unpacks like the tuple it is
    assert W.shape == (3, p.D) and 1 <= p.D <= 2 and X.shape == (p.N, p.D) and 2 <= p.N <= 5
    assert b is None and y.shape == (p.N,) and y.dtype.kind == "i" and 0 <= y.min() and y.max() < 3
    assert 0 <= reg <= 1 and round(reg, 2) == reg
    for a in (W, X):  # multiples of 0.01 in [-3, 3]
        assert np.all(np.abs(a) <= 3) and np.allclose(a * 100, np.round(a * 100), atol=1e-9)


@QUICK
@given(problems(bias=True, reg=0.25))
def test_bias_and_fixed_reg(p):
    assert p.b.shape == (p.K,) and p.reg == 0.25 and 2 <= p.K <= 10 and 1 <= p.N <= 8


@QUICK
@given(problems(extreme=True))
def test_extreme_problems_have_scores_1e3_from_zero(p):
    top = np.abs(p.scores()).max()
    assert top >= EXTREME or top == 0  # all-zero scores (X = 0, no bias) cannot be lifted
    assert np.all(np.isfinite(linclass.softmax(p.scores())))


@QUICK
@given(problems(extreme=True, underflow=False))
def test_without_underflow_every_true_class_keeps_a_probability(p):
    f = p.scores()
    assert np.all(f.max(axis=1) - f[np.arange(p.N), p.y] <= NEAR_TOP)
    probs = linclass.softmax(f)
    assert np.all(probs[np.arange(p.N), p.y] > 0)  # so -log(p_y) is finite


@pytest.mark.parametrize(
    "name,condition",
    [
        ("a one-sample batch", lambda p: p.N == 1),
        ("ten classes", lambda p: p.K == 10),
        ("two classes", lambda p: p.K == 2),
        ("a class absent from y while N >= K", lambda p: p.N >= p.K and len(set(p.y.tolist())) < p.K),
        ("two scores of one sample 1e3 apart", lambda p: np.ptp(p.scores(), axis=1).max() >= EXTREME),
        ("a true class whose probability rounds to 0", lambda p: np.any(_true_probs(p) == 0)),
        ("no bias", lambda p: p.b is None),
    ],
)
def test_the_hard_cases_come_up(name, condition):
    assert condition(find(problems(), condition, settings=FIND)), name


def _true_probs(p):
    return linclass.softmax(p.scores())[np.arange(p.N), p.y]


@QUICK
@given(problems())
def test_repr_is_exact_pasteable_python(p):
    back = eval(repr(p), {"np": np, "Problem": Problem})
    assert repr(back) == repr(p)
    for a, c in zip(p, back, strict=True):
        assert a is c is None or np.array_equal(a, c)


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"n": 0}, "n must be"),
        ({"k": 1}, "k must be"),
        ({"d": (3, 2)}, "d must be"),
        ({"bias": "yes"}, "bias must be"),
        ({"extreme": 1}, "extreme must be"),
        ({"reg": -0.5}, "reg must be"),
        ({"reg": float("nan")}, "reg must be"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, name):
    with pytest.raises(ValueError, match=name):
        problems(**kwargs)
