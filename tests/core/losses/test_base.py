"""Where the true classes sit in a class-major block: the fancy-index Targets and the one-sample
OneTarget read and write the same entries as plain indexing does."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core.losses.base import OneTarget, Targets


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), S=st.integers(1, 4), K=st.integers(1, 6), n=st.integers(1, 9))
def test_targets_take_put_and_add_at_each_samples_true_class(seed, S, K, n):
    rng = np.random.default_rng(seed)
    f, y = rng.normal(size=(S, K, n)), rng.integers(0, K, (S, n))
    t = Targets(y, (S,), K)
    want = np.array([[f[s, y[s, i], i] for i in range(n)] for s in range(S)])
    assert np.array_equal(t.take(f), want)
    g = f.copy()
    t.add(g, 1.5)
    t.put(f, want + 1.5)
    assert np.array_equal(f, g)


def test_shared_labels_broadcast_over_the_states():
    f, y = np.arange(24.0).reshape(2, 3, 4), np.array([0, 2, 1, 0])
    assert Targets(y, (2,), 3).take(f).tolist() == [[0, 9, 6, 3], [12, 21, 18, 15]]


def test_one_target_is_targets_for_a_single_sample_and_takes_a_copy():
    f = np.array([[1.0], [5.0], [3.0]])
    one, many = OneTarget(1), Targets(np.array([1]), (), 3)
    taken = one.take(f)
    assert np.array_equal(taken, many.take(f))
    one.add(f, 2.0)
    assert f[1, 0] == 7.0 and taken[0] == 5.0  # the copy kept the value it was taken with
