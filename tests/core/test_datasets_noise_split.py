"""Preset jitter (noise), the seeded train/test split, and make_dataset's argument checks (issue 8)."""

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass.core.datasets import make, split

# sha256 (first 16 hex digits) of X ('<f8') then y ('<i8') from make_dataset(name, n, k, seed) as it was
# before noise existed (commit 4bf9c98); noise=0 must reproduce them bit for bit.
BEFORE_NOISE = {
    ("blobs", 7, 2, 1): "2cf492c3cb8f1f5b",
    ("blobs", 150, 3, 0): "1f2bfeb495d05d05",
    ("blobs", 301, 5, 4): "9a966e7454275abe",
    ("circles", 7, 2, 1): "96b4d1b072aa2ee6",
    ("circles", 150, 3, 0): "afbc004252cefc4c",
    ("circles", 301, 5, 4): "f736460de7ce437a",
    ("cs231n", 7, 2, 1): "adc5fa5af798ccc3",
    ("cs231n", 150, 3, 0): "c9eb23a787901f04",
    ("cs231n", 301, 5, 4): "04a9e5e4d83d431e",
    ("moons", 7, 2, 1): "76a9ec545d01959c",
    ("moons", 150, 3, 0): "ff4b861b74b59cef",
    ("moons", 301, 5, 4): "0b8f4310b263cd69",
    ("spiral", 7, 2, 1): "78e14130cfa420ae",
    ("spiral", 150, 3, 0): "c40e094a2d871fd5",
    ("spiral", 301, 5, 4): "fe28ac9074e54f84",
    ("xor", 7, 2, 1): "48c1947360366b52",
    ("xor", 150, 3, 0): "a3d1a25d95e25639",
    ("xor", 301, 5, 4): "3965fc61b2642a63",
}


def digest(X, y):
    return hashlib.sha256(X.astype("<f8").tobytes() + y.astype("<i8").tobytes()).hexdigest()[:16]


def test_every_preset_is_covered():
    # cs231n-demo came later (issue 21): the cs231n points unshuffled, checked in test_datasets.
    assert {name for name, *_ in BEFORE_NOISE} == set(linclass.PRESETS) - {"cs231n-demo"}


@pytest.mark.parametrize("key", sorted(BEFORE_NOISE))
def test_noise_zero_is_the_output_from_before_bit_for_bit(key):
    name, n, k, seed = key
    X, y, _ = linclass.make_dataset(name, n, k, seed, noise=0.0)
    assert digest(X, y) == BEFORE_NOISE[key]
    X0, y0, _ = linclass.make_dataset(name, n, k, seed)  # the default is 0
    np.testing.assert_array_equal(X0, X)
    np.testing.assert_array_equal(y0, y)


@pytest.mark.parametrize("name", sorted(linclass.PRESETS))
def test_noise_jitters_the_points_reproducibly(name):
    X0, y0, k0 = make(name, 2000, 3, seed=3)
    X, y, k = make(name, 2000, 3, seed=3, noise=0.2)
    np.testing.assert_array_equal(y, y0)  # labels and order are untouched
    assert k == k0
    jitter = X - X0
    assert jitter.mean() == pytest.approx(0.0, abs=0.02)
    assert jitter.std() == pytest.approx(0.2, rel=0.05)
    np.testing.assert_array_equal(make(name, 2000, 3, seed=3, noise=0.2)[0], X)
    assert not np.array_equal(make(name, 2000, 3, seed=4, noise=0.2)[0] - make(name, 2000, 3, seed=4)[0], jitter)
    # The jitter scales with noise: the same stream, twice the standard deviation.
    np.testing.assert_allclose(make(name, 2000, 3, seed=3, noise=0.4)[0] - X0, 2 * jitter, rtol=1e-12, atol=1e-14)


# ---------- bad arguments: ValueError naming the argument, not NumPy's error ------------------


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"n": 2.5}, "n must be a whole number >= 0"),
        ({"n": -1}, "n must be a whole number >= 0"),
        ({"n": float("nan")}, "n must be a whole number"),
        ({"n": "10"}, "n must be a whole number"),
        ({"n": True}, "n must be a whole number"),
        ({"seed": -1}, r"seed must be a whole number in \[0, 4294967296\)"),
        ({"seed": 2**32}, "seed must be a whole number"),
        ({"seed": 1.5}, "seed must be a whole number"),
        ({"seed": None}, "seed must be a whole number"),
        ({"noise": -0.1}, "noise must be a number"),
        ({"noise": float("inf")}, "noise must be a number"),
        ({"noise": "a lot"}, "noise must be a number"),
    ],
)
@pytest.mark.parametrize("name", ["blobs", "cs231n"])
def test_bad_arguments_raise_value_errors_naming_them(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        linclass.make_dataset(name, **kwargs)


@pytest.mark.parametrize("k", [2.5, 0, -2, "3"])
def test_bad_k_for_presets_that_take_it(k):
    with pytest.raises(ValueError, match="k must be a whole number >= 1"):
        linclass.make_dataset("spiral", 30, k)
    assert make("xor", 30, k)[2] == 2  # the presets with a fixed number of classes ignore k


def test_whole_floats_and_numpy_integers_are_accepted():
    ref = make("spiral", 30, 3, 2)
    for X, y, k in (make("spiral", 30.0, np.int64(3), np.uint32(2)), make("spiral", np.int32(30), 3.0, 2.0)):
        np.testing.assert_array_equal(X, ref[0])
        np.testing.assert_array_equal(y, ref[1])
        assert k == 3 and type(k) is int
    assert make("blobs", 5, 3, 2**32 - 1)[0].shape == (5, 2)


# ---------- split ---------------------------------------------------------------------------


def test_plain_split_takes_the_rounded_fraction_reproducibly():
    mask = split(100, 0.25, seed=1)
    assert mask.dtype == bool and mask.shape == (100,)
    assert mask.sum() == 25
    np.testing.assert_array_equal(split(100, 0.25, seed=1), mask)
    assert not np.array_equal(split(100, 0.25, seed=2), mask)
    assert split(10, 0.0, 5).sum() == 0
    assert split(10, 0.5, 5).sum() == 5
    assert split(7, 0.5, 0).sum() == 4  # 3.5 rounds up
    assert split(0, 0.3, 0).shape == (0,)
    assert split(1, 0.5, 0).sum() == 0  # the one point stays in training


def test_stratified_split_takes_the_fraction_of_each_class():
    y = np.repeat([0, 1, 2, 5], [40, 20, 1, 3])
    mask = split(len(y), 0.25, seed=7, y=y)
    assert [int(mask[y == c].sum()) for c in (0, 1, 2, 5)] == [10, 5, 0, 1]
    np.testing.assert_array_equal(split(len(y), 0.25, seed=7, y=y), mask)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 60).flatmap(lambda n: hnp.arrays(np.intp, (n,), elements=st.integers(0, 6))),
    st.floats(0, 0.5),
    st.integers(0, 2**32 - 1),
)
def test_every_present_class_keeps_a_training_point(y, fraction, seed):
    n = len(y)
    mask = split(n, fraction, seed, y=y)
    assert mask.shape == (n,) and mask.dtype == bool
    for c in np.unique(y):
        size = int((y == c).sum())
        assert (~mask[y == c]).sum() >= 1
        assert mask[y == c].sum() == min(int(np.floor(fraction * size + 0.5)), size - 1)
    plain = split(n, fraction, seed)
    assert plain.sum() == min(int(np.floor(fraction * n + 0.5)), max(n - 1, 0))
    np.testing.assert_array_equal(split(n, fraction, seed, y=y), mask)


@pytest.mark.parametrize(
    "args,kwargs,match",
    [
        ((10, 0.6, 0), {}, r"test_fraction must be a number in \[0.0, 0.5\]"),
        ((10, -0.1, 0), {}, "test_fraction"),
        ((10, float("nan"), 0), {}, "test_fraction"),
        ((10.5, 0.2, 0), {}, "n must be a whole number"),
        ((10, 0.2, -3), {}, "seed must be a whole number"),
        ((10, 0.2, 0), {"y": np.zeros(9, int)}, r"y must have shape \(10,\)"),
        ((3, 0.2, 0), {"y": [0.5, 1.0, 0.0]}, "integer class labels"),
    ],
)
def test_split_bad_arguments(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        split(*args, **kwargs)
