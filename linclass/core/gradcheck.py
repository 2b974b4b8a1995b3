"""Central-difference check of the analytic gradient ("analytic vs numeric")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import loss_and_grad

__all__ = ["GradCheck", "gradient_check", "numeric_grad"]


def numeric_grad(W, b, X, y, reg: float = 0.0, eps: float = 1e-6):
    """(dW, db) by central differences (L(theta + eps) - L(theta - eps)) / 2 eps, one entry at a time."""
    W = np.array(W, dtype=float)
    b = None if b is None else np.array(b, dtype=float)

    def loss():
        return loss_and_grad(W, b, X, y, reg)[0]

    grads = []
    for theta in (W, b):
        if theta is None:
            grads.append(None)
            continue
        g = np.zeros_like(theta)
        for idx in np.ndindex(theta.shape):
            old = theta[idx]
            theta[idx] = old + eps
            up = loss()
            theta[idx] = old - eps
            down = loss()
            theta[idx] = old
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads[0], grads[1]


@dataclass(frozen=True)
class GradCheck:
    analytic_dW: np.ndarray
    numeric_dW: np.ndarray
    analytic_db: np.ndarray | None
    numeric_db: np.ndarray | None
    max_abs_error: float
    max_rel_error: float  # |a - n| / max(|a| + |n|, 1e-8), the largest over all entries

    def ok(self, tol: float = 1e-6) -> bool:
        return self.max_rel_error < tol


def gradient_check(W, b, X, y, reg: float = 0.0, eps: float = 1e-6) -> GradCheck:
    """Compare ``loss_and_grad``'s gradient with central differences."""
    _, dW, db = loss_and_grad(W, b, X, y, reg)
    nW, nb = numeric_grad(W, b, X, y, reg, eps)
    a = dW.ravel() if db is None else np.concatenate([dW.ravel(), db])
    n = nW.ravel() if nb is None else np.concatenate([nW.ravel(), nb])
    err = np.abs(a - n)
    rel = err / np.maximum(np.abs(a) + np.abs(n), 1e-8)
    return GradCheck(dW, nW, db, nb, float(err.max()), float(rel.max()))
