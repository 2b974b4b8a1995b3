"""The one objective kernel: scores, a loss's values and coefficients, the penalty, accuracy, gradients.

Every number linclass computes about a model on data comes from here: a Step (one state), Play's
chunk of frames and the loss curves (S states stacked), the landscape (one state per grid point),
the gradient check, the Samples table and the words on screen. A loss (``core.losses``) supplies
only its per-sample loss and coefficients; everything shared is written once below.

Conventions
-----------
N samples, D features, K classes, and any leading shape (...) of stacked states (S for Play's
chunk, none for one step):

    W       (..., K, D)  one row w_m per class
    b       (..., K)     per-class bias, or None for the derivation's bias-free f = W x
    X       (N, D) shared by every state, or (..., N, D) each state's own samples
    y       (N,) or (..., N), integer class labels in [0, K)
    scores  f = X W^T + b, held class-major inside the kernel: f[..., m, i] (see ``losses.base``)

    loss    = (1/N) sum_i L_i  +  c * reg * ||W||^2       c from PENALTIES; the bias is never penalised
    dW      = C X / N + 2 c reg W                        C (..., K, N) = dL_i/df_i, the loss's coefficients
    db      = (1/N) sum_i C[:, i]

The arguments are trusted: the public functions (``model``, ``train``, ...) check them at the door.
Nothing here raises for overflow; each state's result says whether it is finite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .losses import LOSSES, loss_named
from .losses.base import OneTarget, Targets

__all__ = [
    "BLOCK",
    "CELLS",
    "PENALTIES",
    "Objective",
    "classified",
    "objective",
    "one_sample",
    "penalty",
    "sample_terms",
    "scores",
    "scores_by_class",
]

BLOCK = 8192  # samples per block: a (K, BLOCK) float64 block stays in cache for small K
CELLS = 2_000_000  # scores held at once for stacked states: bounded memory for any stack
PENALTIES = {"half": 0.5, "full": 1.0}  # the L2 term is c * reg * ||W||^2: 1/2 (linclass) or 1 (CS231n)


@dataclass(frozen=True)
class Objective:
    """What ``objective`` measured for each state (leading shape (...)); None where not asked."""

    data_loss: np.ndarray  # (1/N) sum_i L_i                                                 (...)
    penalty: np.ndarray  # c * reg * ||W||^2                                                 (...)
    dW: np.ndarray | None  # (..., K, D)
    db: np.ndarray | None  # (..., K), or None without a bias or gradient
    accuracy: np.ndarray | None  # share of samples whose true score is strictly the largest  (...)
    losses: np.ndarray | None  # L_i of every sample                                         (..., N)
    scores_finite: np.ndarray  # False where a score overflowed (checked when measuring, not when
    #                            stepping: a step needs only its loss and gradient finite)     (...)

    @property
    def loss(self) -> np.ndarray:
        """The objective: data loss plus the penalty."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.data_loss + self.penalty

    @property
    def finite(self) -> np.ndarray:
        """Where every number asked for is finite (a step or a measurement may use it)."""
        ok = self.scores_finite & np.isfinite(self.data_loss) & np.isfinite(self.penalty)
        lead = ok.ndim
        for g in (self.dW, self.db):
            if g is not None:
                ok = ok & np.isfinite(g).all(axis=tuple(range(lead, g.ndim)))
        return ok


def scores(W, b, X) -> np.ndarray:
    """f = X W^T + b in the conventions' (..., N, K) layout (one sample x (D,) gives (..., K))."""
    with np.errstate(over="ignore", invalid="ignore"):
        f = X @ np.swapaxes(W, -1, -2)
        return f if b is None else f + (b if X.ndim == 1 else b[..., None, :])


def scores_by_class(Ws, bs, X) -> np.ndarray:
    """f = X W^T + b of stacked states Ws (S, K, D), bs (S, K) or None, on shared samples X (N, D),
    class-major (S, K, N), as one matrix product (the regions' grid: many points, few features)."""
    S, K, D = Ws.shape
    with np.errstate(over="ignore", invalid="ignore"):
        f = (Ws.reshape(S * K, D) @ X.T).reshape(S, K, len(X))
        if bs is not None:
            f += bs[:, :, None]
    return f


def penalty(W, reg: float, convention: str = "half") -> np.ndarray:
    """c * reg * ||W||^2 of each state (...), c = PENALTIES[convention]."""
    if not reg:
        return np.zeros(W.shape[:-2])
    with np.errstate(over="ignore", invalid="ignore"):
        return PENALTIES[convention] * reg * (W * W).sum(axis=(-2, -1))


def objective(loss: str, W, b, X, y, *, reg: float = 0.0, penalty_convention: str = "half", delta: float = 1.0,
              grad: bool = True, accuracy: bool = False, per_sample: bool = False) -> Objective:  # fmt: skip
    """The objective of each stacked state on its samples (module docstring), in blocks of samples."""
    sums = _Sums(W, b, X, grad, accuracy, per_sample, check_scores=accuracy or not grad)
    fn = loss_named(loss).loss_and_coeffs
    with np.errstate(all="ignore"):
        for start in range(0, sums.N, sums.n_block):
            xb, yb = X[..., start : start + sums.n_block, :], y[..., start : start + sums.n_block]
            f = sums.scores(W, xb)  # f[..., m, i] = w_m . x_i (+ b_m)
            t = Targets(yb, sums.lead, sums.K)
            if accuracy:
                sums.right += _correct(f, t).sum(axis=-1)
            sums.add(fn(f, t, delta), f, xb)  # f now holds the coefficients C
        return sums.result(W, reg, penalty_convention)


class _Sums:
    """The running sums of ``objective`` over the blocks of samples, and its scores buffer."""

    def __init__(self, W, b, X, grad: bool, accuracy: bool, per_sample: bool, check_scores: bool):
        self.lead, (self.K, D) = W.shape[:-2], W.shape[-2:]
        self.N = X.shape[-2]
        self.states = math.prod(self.lead)
        self.n_block = max(1, min(BLOCK, CELLS // max(1, self.states * self.K)))
        self.buf = np.empty(self.states * self.K * min(self.N, self.n_block))
        self.bcol = None if b is None else b[..., :, None]
        self.total, self.right, self.finite = np.zeros(self.lead), np.zeros(self.lead), np.ones(self.lead, bool)
        self.dW = np.zeros((*self.lead, self.K, D)) if grad else None
        self.db = np.zeros((*self.lead, self.K)) if grad and b is not None else None
        self.losses = [] if per_sample else None
        self.accuracy, self.check_scores = accuracy, check_scores

    def scores(self, W, xb) -> np.ndarray:
        """The block's class-major scores, in the buffer; notes where a score overflowed."""
        n = xb.shape[-2]
        f = self.buf[: self.states * self.K * n].reshape(*self.lead, self.K, n)
        np.matmul(W, np.swapaxes(xb, -1, -2), out=f)
        if self.bcol is not None:
            f += self.bcol
        if self.check_scores:
            self.finite &= np.isfinite(f.sum(axis=-2)).all(axis=-1)
        return f

    def add(self, block_losses, C, xb) -> None:
        self.total += block_losses.sum(axis=-1)
        if self.losses is not None:
            self.losses.append(block_losses)
        if self.dW is not None:
            self.dW += C @ xb  # row m gains C[m, i] x_i
        if self.db is not None:
            self.db += C.sum(axis=-1)

    def result(self, W, reg: float, convention: str) -> Objective:
        N = self.N
        return Objective(
            data_loss=self.total / N,
            penalty=penalty(W, reg, convention),
            dW=None if self.dW is None else _with_penalty_grad(self.dW / N, W, reg, convention),
            db=None if self.db is None else self.db / N,
            accuracy=self.right / N if self.accuracy else None,
            losses=np.concatenate(self.losses, axis=-1) if self.losses is not None else None,
            scores_finite=self.finite,
        )


def one_sample(loss: str, W, b, x, y: int, delta: float = 1.0):
    """(L_i, dW (K, D), db (K,) or None, scores finite) of one sample x (D,): ``objective`` for
    N = 1 without the blocks, for the per-sample functions called in loops (``sample_grad``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        f = W @ x if b is None else W @ x + b  # (K,)
    if not np.isfinite(f).all():
        return math.nan, None, None, False
    f = f.reshape(-1, 1)  # class-major (K, 1); finite scores: no loss warns
    L = float(LOSSES[loss].loss_and_coeffs(f, OneTarget(y), delta)[0])
    c = f[:, 0]
    return L, np.multiply.outer(c, x), (None if b is None else c), True


def sample_terms(loss: str, W, b, X, y, delta: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(L_i (..., N), coefficients C = dL_i/df_i (..., N, K)) of every sample, for the tables and the
    math panel (a step's samples: a handful to a few thousand)."""
    f = np.ascontiguousarray(np.swapaxes(scores(W, b, X), -1, -2))  # class-major (..., K, N)
    with np.errstate(all="ignore"):
        losses = loss_named(loss).loss_and_coeffs(f, Targets(y, f.shape[:-2], f.shape[-2]), delta)
    return losses, np.swapaxes(f, -1, -2)


def classified(W, b, X, y) -> np.ndarray:
    """Whether each sample is classified correctly (..., N): its true class's score strictly the largest."""
    f = np.ascontiguousarray(np.swapaxes(scores(W, b, X), -1, -2))
    return _correct(f, Targets(y, f.shape[:-2], f.shape[-2]))


def _with_penalty_grad(dW, W, reg: float, convention: str):
    if reg:
        dW += (2 * PENALTIES[convention] * reg) * W
    return dW


def _correct(f, t: Targets) -> np.ndarray:
    """Which samples the scores classify correctly: the true class's score strictly the largest,
    that is the largest and no other class's equal to it (a tie counts as wrong)     (..., n)."""
    top = f.max(axis=-2)
    alone = (f == top[..., None, :]).sum(axis=-2) == 1
    return (t.take(f) == top) & alone
