"""The loss and accuracy curves: the history's states measured on each set, in the loss in force."""

import pytest

from linclass.core.train import evaluate
from linclass.session.curves import curves
from linclass.session.session import Session
from tests.session.test_view_svm import hinge


def test_the_curves_are_the_histories_losses_on_each_set():
    s = hinge(test="0.3", mode="batch").step(6)
    ex = s.explorer
    c = curves(ex, compare=True)
    snaps = [*ex.state.history, ex.state.snapshot()]
    assert list(c.steps) == [sn.step for sn in snaps] and c.name == "hinge loss" and c.other_name == "cross-entropy"
    tr, te = ~ex.test, ex.test
    for k, sn in enumerate(snaps):
        assert (c.loss[k], c.accuracy[k]) == pytest.approx(evaluate(sn.W, sn.b, ex.X[tr], ex.y[tr], objective="hinge"))
        assert (c.test_loss[k], c.test_accuracy[k]) == pytest.approx(
            evaluate(sn.W, sn.b, ex.X[te], ex.y[te], objective="hinge"))  # fmt: skip
        assert c.other[k] == pytest.approx(evaluate(sn.W, sn.b, ex.X[tr], ex.y[tr])[0])
    plain = curves(Session.start({}).step(3).explorer)
    assert plain.test_loss is None and plain.other is None and len(plain.steps) == 4
