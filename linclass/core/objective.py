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

from dataclasses import dataclass

import numpy as np

from .losses import LOSSES, loss_named
from .losses.base import OneTarget, Targets

__all__ = ["BLOCK", "CELLS", "PENALTIES", "Objective", "classified", "objective", "one_sample", "penalty", "sample_terms",
           "scores"]

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
    scores_finite: np.ndarray  # False where a score overflowed                              (...)

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


def penalty(W, reg: float, convention: str = "half") -> np.ndarray:
    """c * reg * ||W||^2 of each state (...), c = PENALTIES[convention]."""
    with np.errstate(over="ignore", invalid="ignore"):
        return PENALTIES[convention] * reg * (W * W).sum(axis=(-2, -1))


def objective(loss: str, W, b, X, y, *, reg: float = 0.0, penalty_convention: str = "half", delta: float = 1.0,
              grad: bool = True, accuracy: bool = False, per_sample: bool = False) -> Objective:  # fmt: skip
    """The objective of each stacked state on its samples (module docstring), in blocks of samples."""
    lead, (K, D) = W.shape[:-2], W.shape[-2:]
    N = X.shape[-2]
    fn = loss_named(loss).loss_and_coeffs
    states = int(np.prod(lead, dtype=np.intp))
    n_block = max(1, min(BLOCK, CELLS // max(1, states * K)))
    buf = np.empty(states * K * min(N, n_block))
    total, right = np.zeros(lead), np.zeros(lead)
    finite = np.ones(lead, bool)
    dW = np.zeros((*lead, K, D)) if grad else None
    db = np.zeros((*lead, K)) if grad and b is not None else None
    losses = [] if per_sample else None
    bcol = None if b is None else b[..., :, None]
    with np.errstate(all="ignore"):
        for start in range(0, N, n_block):
            xb, yb = X[..., start : start + n_block, :], y[..., start : start + n_block]
            n = xb.shape[-2]
            f = buf[: states * K * n].reshape(*lead, K, n)  # f[..., m, i] = w_m . x_i (+ b_m)
            np.matmul(W, np.swapaxes(xb, -1, -2), out=f)
            if bcol is not None:
                f += bcol
            finite &= np.isfinite(f.sum(axis=-2)).all(axis=-1)
            t = Targets(yb, lead, K)
            if accuracy:
                right += _correct(f, t).sum(axis=-1)
            block_losses = fn(f, t, delta)  # f now holds the coefficients C
            total += block_losses.sum(axis=-1)
            if per_sample:
                losses.append(block_losses)
            if grad:
                dW += f @ xb  # row m gains C[m, i] x_i
                if db is not None:
                    db += f.sum(axis=-1)
        return Objective(
            data_loss=total / N,
            penalty=penalty(W, reg, penalty_convention),
            dW=None if dW is None else _with_penalty_grad(dW / N, W, reg, penalty_convention),
            db=None if db is None else db / N,
            accuracy=right / N if accuracy else None,
            losses=np.concatenate(losses, axis=-1) if per_sample else None,
            scores_finite=finite,
        )


def one_sample(loss: str, W, b, x, y: int, delta: float = 1.0):
    """(L_i, dW (K, D), db (K,) or None, scores finite) of one sample x (D,): ``objective`` for
    N = 1 without the blocks, for the per-sample functions called in loops (``sample_grad``)."""
    with np.errstate(all="ignore"):
        f = W @ x if b is None else W @ x + b  # (K,)
        finite = bool(np.isfinite(f).all())
        f = f.reshape(-1, 1)  # class-major (K, 1)
        L = float(LOSSES[loss].loss_and_coeffs(f, OneTarget(y), delta)[0])
    c = f[:, 0]
    return L, np.multiply.outer(c, x), (None if b is None else c), finite


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
