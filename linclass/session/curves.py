"""The loss and accuracy curves, measured from the kept history of weights (NumPy only).

Each point of a curve is one state of the training history (at most ``MOST`` of them, fewer for many
points so a redraw stays quick, evenly spread, the newest always in): its data loss (no L2 term) and
accuracy on the training points, on the test points when some are held out, and, when asked, the
other loss on the training points, all for the same W and b. They are measured in the loss and split
now in force, so switching the loss or the split redraws the whole curve in the new terms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import objective as kernel
from ..core.train import evaluate_stack
from .explorer import Explorer
from .settings import LOSS_NAMES

__all__ = ["Curves", "curves", "LOSS_NAMES", "MOST"]

MOST = 300  # states measured per curve: enough for a smooth line
BUDGET = 2_000_000  # states x points x classes per curve: bounded work per redraw (~50 ms)


@dataclass(frozen=True, eq=False)
class Curves:
    steps: np.ndarray  # (S,)
    loss: np.ndarray  # (S,) training points, the loss in force
    accuracy: np.ndarray  # (S,)
    test_loss: np.ndarray | None  # (S,) test points; None when none is held out
    test_accuracy: np.ndarray | None
    other: np.ndarray | None  # (S,) the other loss on the training points, when compared
    name: str  # the loss in force, in words
    other_name: str | None
    l2: np.ndarray | None = None  # (S,) the L2 term of each state (kernel.penalty), when reg > 0


def _measure(snaps, X, y, objective: str, delta: float) -> np.ndarray:
    """(S, 2): loss and accuracy of every snapshot on (X, y); NaN where there are no points."""
    if len(y) == 0:
        return np.full((len(snaps), 2), np.nan)
    Ws = np.stack([s.W for s in snaps])
    bs = None if snaps[0].b is None else np.stack([s.b for s in snaps])
    return evaluate_stack(Ws, bs, X, y, objective=objective, delta=delta)


def curves(ex: Explorer, compare: bool = False, most: int = MOST, reg: float = 0.0, penalty: str = "half") -> Curves:
    """The curves of ``ex``'s training history, in its loss in force (``compare``: the other too;
    ``reg`` > 0: the L2 term of each state in the convention ``penalty``, so the curve can split the
    objective into its parts)."""
    snaps = [*ex.state.history, ex.state.snapshot()]
    most = min(most, max(50, BUDGET // max(1, ex.n_points * ex.n_classes)))
    keep = np.unique(np.linspace(0, len(snaps) - 1, min(most, len(snaps))).round().astype(int))
    snaps = [snaps[i] for i in keep]
    train, test = ~ex.test, ex.test
    mine = _measure(snaps, ex.Phi[train], ex.y[train], ex.objective, ex.delta)
    held = _measure(snaps, ex.Phi[test], ex.y[test], ex.objective, ex.delta) if ex.n_test else None
    other = "hinge" if ex.objective == "softmax" else "softmax"  # softmax against an SVM, as the lecture compares
    theirs = _measure(snaps, ex.Phi[train], ex.y[train], other, ex.delta)[:, 0] if compare else None
    return Curves(
        steps=np.array([s.step for s in snaps]), loss=mine[:, 0], accuracy=mine[:, 1],
        test_loss=None if held is None else held[:, 0], test_accuracy=None if held is None else held[:, 1],
        other=theirs, name=LOSS_NAMES[ex.objective], other_name=LOSS_NAMES[other] if compare else None,
        l2=kernel.penalty(np.stack([s.W for s in snaps]), reg, penalty) if reg > 0 else None,
    )  # fmt: skip
