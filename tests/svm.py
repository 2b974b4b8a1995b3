"""The Weston-Watkins hinge loss through linclass's public functions, under the names the SVM tests use."""

from functools import partial

import numpy as np

from linclass.core.checks import margin
from linclass.core.losses import weston_watkins
from linclass.core.model import check_sample, loss_and_grad, sample_grad, sample_loss, scores


def hinge_loss_and_grad(W, b, X, y, reg=0.0, delta=1.0):
    return loss_and_grad(W, b, X, y, reg, loss="hinge", delta=delta)


def hinge_sample_grad(W, b, x, y, delta=1.0):
    return sample_grad(W, b, x, y, loss="hinge", delta=delta)


def hinge_sample_loss(W, b, x, y, delta=1.0):
    return sample_loss(W, b, x, y, loss="hinge", delta=delta)


def margins(W, b, x, y, delta=1.0):
    W, b, x, y = check_sample(W, b, x, y)
    return weston_watkins.margins(scores(W, b, x)[None], np.array([y]), margin(delta))[0]


def objective(name):
    return partial(loss_and_grad, loss=name)
