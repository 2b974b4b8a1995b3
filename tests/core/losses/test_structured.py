"""The structured SVM by hand: only the strongest rival counts, +1 there and -1 at y when violated."""

import numpy as np

from linclass.core.losses import structured
from linclass.core.losses.base import Targets


def test_only_the_strongest_rival_counts():
    f = np.array([[1.0], [0.5], [0.8]])  # true class 0; the rival is class 2 (0.8)
    L = structured.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    assert L[0] == 1.0 + 0.8 - 1.0
    assert f[:, 0].tolist() == [-1.0, 0.0, 1.0]


def test_a_met_margin_gives_no_loss_and_no_pull():
    f = np.array([[3.0], [0.5], [0.8]])
    L = structured.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    assert L[0] == 0.0 and not np.any(f)


def test_a_tie_between_rivals_goes_to_the_lower_index():
    f = np.array([[0.0], [0.7], [0.7]])
    structured.loss_and_coeffs(f, Targets(np.array([0]), (), 3), 1.0)
    assert f[:, 0].tolist() == [-1.0, 1.0, 0.0]


def test_one_class_has_no_rival():
    f = np.array([[0.0]])
    assert structured.loss_and_coeffs(f, Targets(np.array([0]), (), 1), 1.0)[0] == 0.0 and f[0, 0] == 0.0
