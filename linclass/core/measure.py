"""Loss and accuracy of many weights on one data set at once, each to the last bit ``evaluate``'s.

Play measures every step's state on the training points, and the loss curves measure a whole
history: one stack of scores for many states instead of a Python call per state. The numbers
are not merely close to ``train.evaluate``'s, they are the same floats: each state's loss runs
the very operations of ``model.loss_and_grad`` (scores as (K, n), the max-shift, the pairwise sums,
block by block) or of ``hinge.hinge_loss_and_grad`` (scores as (n, K)), only stacked over states,
and the accuracy compares the scores ``model.scores`` gives, X W^T + b. So a state measured here
and the same state measured alone cannot disagree, however the loss curve or Play got to it.

Shapes: Ws (S, K, D), bs (S, K) or None, X (N, D), y (N,); the result is (S, 2).
"""

from __future__ import annotations

import numpy as np

from .model import BLOCK

__all__ = ["measure_many", "CELLS"]

CELLS = 2_000_000  # scores held at once: bounded memory for any number of states and points


def measure_many(Ws, bs, X, y, objective: str = "softmax", delta: float = 1.0) -> np.ndarray:
    """(S, 2): each state's (data loss without the L2 term, accuracy) on (X, y); NaN or infinity
    where ``evaluate`` would refuse, because a score or the loss overflows (even where the hinge
    loss stays finite); nothing is raised: the caller decides. A sample is correct only
    when its true class's score is strictly the largest. The arguments are trusted: X finite
    (N, D) with N >= 1, y intp in [0, K), Ws and bs finite, delta a float >= 0."""
    S, K, _ = Ws.shape
    N = len(y)
    total = np.zeros(S)  # summed loss of each state
    right = np.zeros(S)  # correct samples of each state
    overflow = np.zeros(S, bool)  # a score is not finite: evaluate refuses, whatever the loss
    per = max(1, CELLS // (K * min(N, BLOCK)))  # states per slice
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for lo in range(0, S, per):
            Wp = Ws[lo : lo + per]
            bp = None if bs is None else bs[lo : lo + per]
            for start in range(0, N, BLOCK):  # the blocks of loss_and_grad: its order of summation
                xb, yb = X[start : start + BLOCK], y[start : start + BLOCK]
                f = xb @ Wp.transpose(0, 2, 1)  # X W^T, as model.scores          (s, n, K)
                if bp is not None:
                    f += bp[:, None, :]
                overflow[lo : lo + per] |= ~np.isfinite(f).all(axis=(1, 2))
                if objective == "hinge":
                    total[lo : lo + per] += _hinge_sum(f, yb, delta)
                else:  # loss_and_grad's two updates of its total, in its order
                    minus, plus = _softmax_sums(Wp, bp, xb, yb)
                    total[lo : lo + per] -= minus
                    total[lo : lo + per] += plus
                right[lo : lo + per] += _correct(f, yb)
    out = np.empty((S, 2))
    out[:, 0] = total / N
    out[:, 1] = right / N
    out[overflow] = np.nan
    return out


def _softmax_sums(Ws, bs, xb, yb) -> tuple[np.ndarray, np.ndarray]:
    """Each state's sums of (f_y - max f) and of log sum_j e^(f_j - max f) over the block, as
    ``loss_and_grad`` takes them: its loss is the second minus the first         (s,), (s,)."""
    n = len(yb)
    f = Ws @ xb.T  # f[s, m, i] = w_m . x_i: loss_and_grad's (K, n) layout           (s, K, n)
    if bs is not None:
        f += bs[:, :, None]
    f -= f.max(axis=1, keepdims=True)  # shift: softmax and the loss are unchanged
    # Gathered row by row into contiguous memory, so each row's sum is the same pairwise sum.
    at_y = f.reshape(len(f), -1).take(yb * n + np.arange(n), axis=1).sum(axis=1)  # f_y - max f
    np.exp(f, out=f)
    return at_y, np.log(f.sum(axis=1)).sum(axis=1)  # log sum_j e^(f_j - max f)


def _hinge_sum(f, yb, delta: float) -> np.ndarray:
    """Each state's summed hinge loss over the block, as ``hinge._block`` sums it       (s,)."""
    s, n, K = f.shape
    rows = np.arange(n)
    margin = f - f[:, rows, yb][:, :, None] + delta  # f_m - f_y + delta                (s, n, K)
    margin[:, rows, yb] = 0.0
    return np.maximum(margin, 0.0).reshape(s, n * K).sum(axis=1)


def _correct(f, yb) -> np.ndarray:
    """How many samples each state gets right: the true score strictly the largest, that is the
    largest and no other class's equal to it (finite scores: the same verdicts)         (s,)."""
    s, n, K = f.shape
    fk = np.ascontiguousarray(f.transpose(0, 2, 1))  # (s, K, n): the reductions over K run along n
    top = fk.max(axis=1)  # (s, n)
    f_true = fk.reshape(s, K * n).take(yb * n + np.arange(n), axis=1)  # (s, n)
    alone = (fk == top[:, None, :]).sum(axis=1) == 1
    return ((f_true == top) & alone).sum(axis=1)
