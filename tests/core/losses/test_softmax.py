"""Softmax cross-entropy by hand: L_i = -log p_y, coefficients p - e_y, exact where p_y underflows."""

import numpy as np
import pytest

from linclass.core.losses import softmax
from linclass.core.losses.base import Targets


def test_a_hand_case():
    f = np.array([[1.0], [2.0], [0.0]])  # class-major: one sample, three classes
    p = np.exp([1.0, 2.0, 0.0]) / np.exp([1.0, 2.0, 0.0]).sum()
    L = softmax.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    assert L[0] == pytest.approx(-np.log(p[0]), rel=1e-14)
    np.testing.assert_allclose(f[:, 0], p - [1, 0, 0], rtol=1e-14)
    assert abs(f.sum()) < 1e-15  # the coefficients sum to zero


def test_the_loss_stays_exact_where_p_y_underflows():
    f = np.array([[0.0], [1000.0]])
    L = softmax.loss_and_coeffs(f, Targets(np.array([0]), (), 2), 1.0)
    assert L[0] == pytest.approx(1000.0, rel=1e-15)  # -log p_y = 1000, though p_y rounds to 0


def test_probabilities_sum_to_one_along_the_axis_asked_for():
    f = np.array([[1e3, -1e3, 0.0], [0.0, 0.0, 0.0]])
    p = softmax.probabilities(f)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(softmax.probabilities(f.T, axis=0), p.T)
