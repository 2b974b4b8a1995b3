"""A step's objective for many weights at once, each to the last bit the loss kernel's.

A step reports its objective after it: the loss of ``W_after`` on the step's own samples, with
the L2 term (``loss_after``). That number needs nothing from the next step, so Play computes it
for all of a chunk's steps in one stack instead of a kernel call per step: the very operations
of ``model.loss_and_grad_unchecked`` or ``hinge.hinge_loss_and_grad_unchecked`` (block by block,
in their order), only stacked over states. The gradient is computed too, because the kernels
refuse a step whose gradient overflows even where its loss does not.

Shapes: Ws (S, K, D), bs (S, K) or None, Xs (S, N, D) and ys (S, N) each state's samples.
"""

from __future__ import annotations

import numpy as np

from .model import BLOCK

__all__ = ["objective_many"]


def objective_many(Ws, bs, Xs, ys, reg: float, objective: str = "softmax", delta: float = 1.0):
    """(loss (S,), finite (S,)): each state's mean loss on its samples plus 1/2 reg ||W||^2, and
    whether the kernel would accept it (loss, dW and db finite). Arguments are trusted."""
    S, K, D = Ws.shape
    N = Xs.shape[1]
    total, dW, db = np.zeros(S), np.zeros((S, K, D)), np.zeros((S, K))
    with np.errstate(all="ignore"):
        for start in range(0, N, BLOCK):
            xb, yb = Xs[:, start : start + BLOCK], ys[:, start : start + BLOCK]
            block = _hinge_block if objective == "hinge" else _softmax_block
            block(Ws, bs, xb, yb, total, dW, db, delta)
        loss = total / N  # model.mean_with_penalty, state by state
        dW /= N
        db /= N
        if reg:
            loss += 0.5 * reg * (Ws * Ws).reshape(S, K * D).sum(axis=1)
            dW += reg * Ws
    finite = np.isfinite(loss) & np.isfinite(dW).all(axis=(1, 2)) & np.isfinite(db).all(axis=1)
    return loss, finite


def _softmax_block(Ws, bs, xb, yb, total, dW, db, delta):
    """One block of ``loss_and_grad_unchecked``'s loop, for every state; adds into the sums."""
    S, K, _ = Ws.shape
    n = xb.shape[1]
    f = Ws @ xb.transpose(0, 2, 1)  # f[s, m, i] = w_m . x_i                            (S, K, n)
    if bs is not None:
        f += bs[:, :, None]
    f -= f.max(axis=1, keepdims=True)
    at_y = (yb * n + np.arange(n) + (K * n) * np.arange(S)[:, None]).ravel()  # flat f[s, y_i, i]
    total -= f.take(at_y).reshape(S, n).sum(axis=1)  # - (f_y - max f)
    np.exp(f, out=f)
    s = f.sum(axis=1)  # (S, n)
    total += np.log(s).sum(axis=1)
    f *= (1.0 / s)[:, None, :]  # p
    f.ravel()[at_y] -= 1.0  # dscores = p - e_y
    dW += f @ xb
    db += f.sum(axis=2)


def _hinge_block(Ws, bs, xb, yb, total, dW, db, delta):
    """One block of ``hinge._block``, for every state; adds into the sums."""
    S, n = yb.shape
    f = xb @ Ws.transpose(0, 2, 1)  # scores X W^T                                      (S, n, K)
    if bs is not None:
        f = f + bs[:, None, :]
    K = f.shape[2]
    at_y = (np.arange(n) * K + yb + (n * K) * np.arange(S)[:, None]).ravel()  # flat f[s, i, y_i]
    margin = f - f.take(at_y).reshape(S, n)[:, :, None] + delta  # f_m - f_y + delta
    margin.ravel()[at_y] = 0.0
    dscores = (margin > 0).astype(float)
    dscores.ravel()[at_y] = -dscores.sum(axis=2).ravel()
    total += np.maximum(margin, 0.0).reshape(S, n * K).sum(axis=1)
    dW += dscores.transpose(0, 2, 1) @ xb
    db += dscores.sum(axis=1)
