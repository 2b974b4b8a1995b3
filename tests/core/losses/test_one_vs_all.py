"""The one-vs-all hinge by hand: sum_m max(0, delta - t_m f_m), coefficients that need not sum to zero."""

import numpy as np

from linclass.core.losses import one_vs_all
from linclass.core.losses.base import Targets


def test_a_hand_case():
    f = np.array([[0.5], [-2.0], [0.3]])  # true class 0
    L = one_vs_all.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    # class 0: max(0, 1 - 0.5) = 0.5; class 1: max(0, 1 - 2) = 0; class 2: max(0, 1 + 0.3) = 1.3
    assert L[0] == 0.5 + 0.0 + 1.3
    assert f[:, 0].tolist() == [-1.0, 0.0, 1.0]


def test_the_coefficients_need_not_sum_to_zero():
    f = np.array([[2.0], [0.0], [0.0]])  # the true class is past its margin; the others violate theirs
    one_vs_all.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    assert f[:, 0].tolist() == [0.0, 1.0, 1.0] and f.sum() == 2.0


def test_its_margins_are_the_bars():
    f = np.array([[0.5, -2.0, 0.3]])
    assert one_vs_all.margins(f, np.array([0]), 1.0).tolist() == [[0.5, -1.0, 1.3]]
