"""The three on-screen findings of "one formula, one place", each a panel drawing another computation
than the step it describes: the hinge landscape, the batch bias sentence, the gradient check."""

import numpy as np
import pytest

from linclass.core.model import loss_and_grad
from linclass.session.landscape_simplex import landscape
from linclass.session.session import Session
from tests.oracle_hinge import hinge_loss_and_grad_loop

LOSSES = ["softmax", "hinge", "ova", "structured"]


def test_the_hinge_landscape_draws_the_hinge_loss():
    # ?preset=cs231n&bias=0&loss=hinge&order=click&select=4, one Step: the panel read about 1.1 at
    # w_m (cross-entropy) where the hinge L_i is 2.
    s = Session.start({"preset": "cs231n", "bias": "0", "loss": "hinge", "order": "click", "select": "4"}).step()
    rec, ex = s.frame.record, s.frame.explorer
    L = landscape(s.frame, int(ex.y[4]))
    i, j = np.argmin(np.abs(L.w1s - L.w[0])), np.argmin(np.abs(L.w2s - L.w[1]))
    W = rec.W_before.copy()
    W[L.m] = (L.w1s[i], L.w2s[j])
    X, y = ex.X[rec.indices], ex.y[rec.indices]
    want = hinge_loss_and_grad_loop(W.tolist(), None, X.tolist(), y.tolist(), rec.reg, rec.delta)[0]
    assert L.Z[j, i] == pytest.approx(want, rel=1e-12)
    assert L.Z[j, i] != pytest.approx(loss_and_grad(W, None, X, y, rec.reg)[0], rel=1e-3)  # not cross-entropy


@pytest.mark.parametrize("loss", LOSSES)
def test_every_landscape_is_the_loss_in_force(loss):
    s = Session.start({"preset": "blobs", "n": "30", "mode": "minibatch", "batch": "8", "loss": loss,
                       "reg": "0.1"}).step()  # fmt: skip
    rec, ex = s.frame.record, s.frame.explorer
    L = landscape(s.frame, 1)
    W = rec.W_before.copy()
    W[1] = (L.w1s[3], L.w2s[5])
    want = loss_and_grad(W, rec.b_before, ex.X[rec.indices], ex.y[rec.indices], rec.reg, loss=loss, delta=rec.delta)
    assert L.Z[5, 3] == pytest.approx(want[0], rel=1e-12)
