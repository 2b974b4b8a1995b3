"""Central-difference check of the analytic gradient ("analytic vs numeric").

How it measures, and why
------------------------
Step. Every entry of W and b is moved by the same step h = eps * max(1, max |theta|), theta being
all of W and b. Rounding makes (L(theta + h) - L(theta - h)) / 2h wrong by about
eps_mach * |L| / h, and |L| grows with the weights (like |theta|^2 through the L2 term), so a
fixed h lets that error grow with the weights; a step in proportion to them keeps it near
eps_mach / eps ~ 1e-10 of the gradient. The step is the same for all entries because the
rounding error of each is set by |L|, not by the size of the entry.

Error. ``max_rel_error = max_i |a_i - n_i| / max(1, max_i |a_i|, max_i |n_i|)`` over all entries
of dW and db: relative to the largest entry of the gradient, absolute when the gradient is below 1.
The old per-entry relative error |a_i - n_i| / (|a_i| + |n_i|) cried wolf for right gradients
with large weights: an entry near zero (a db of 1e-8 beside a dW of 100) carries the rounding
error of the whole loss.

``GradCheck.ok()`` (tol 1e-6) then holds for right gradients with weights from 1e-3 to 1e3 and
L2 strength up to 10 on points of order 1 (tested), and fails by far for a wrong gradient (a
missing -1 at the true class, a second division by N). With coordinates much larger than 1 the
loss bends on a scale of 1/|x| in W, and the check can no longer resolve it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import objective as kernel
from .checks import l2_strength, margin, penalty_convention, real
from .losses import loss_named
from .model import check_data, raise_unless_finite

__all__ = ["GradCheck", "central_differences", "gradient_check", "numeric_grad"]

EPS_RANGE = (1e-12, 1e-2)  # smaller steps drown in rounding; larger ones are not derivatives


def _step(W, b, eps) -> float:
    eps = real(eps, "eps")
    if not EPS_RANGE[0] <= eps <= EPS_RANGE[1]:
        raise ValueError(f"eps must be a small positive number in [{EPS_RANGE[0]:g}, {EPS_RANGE[1]:g}], got {eps}")
    size = max(float(np.abs(W).max()), 0.0 if b is None else float(np.abs(b).max()))
    return eps * max(1.0, size)


def _settings(loss, reg, delta, penalty) -> dict:
    """The objective's settings, checked at the door: the kernel's keyword arguments."""
    loss_named(loss)
    return {"reg": l2_strength(reg), "delta": margin(delta),
            "penalty_convention": penalty_convention(penalty)}  # fmt: skip


def numeric_grad(W, b, X, y, reg: float = 0.0, eps: float = 1e-6, *, loss: str = "softmax", delta: float = 1.0,
                 penalty: str = "half"):  # fmt: skip
    """(dW, db) by central differences (L(theta + h) - L(theta - h)) / 2h, one entry at a time, of
    the objective ``loss`` (a name of ``core.losses``, margin ``delta``, L2 convention ``penalty``).

    h = eps * max(1, max |theta|) over all of W and b (see the module docstring).
    """
    W, b, X, y = check_data(W, b, X, y)
    return _numeric(W, b, X, y, _step(W, b, eps), loss, _settings(loss, reg, delta, penalty))


def _numeric(W, b, X, y, h: float, name: str, settings: dict):
    def loss(W, b):
        o = kernel.objective(name, W, b, X, y, grad=False, **settings)
        raise_unless_finite(o)
        return float(o.loss)

    grads = central_differences(loss, {"W": W, "b": b}, h)
    return grads["W"], grads["b"]


def central_differences(loss_at, params: dict, h: float) -> dict:
    """{name: (L(theta + h e_j) - L(theta - h e_j)) / 2h for every entry j of that parameter} (None
    stays None), where ``loss_at(**params)`` is the loss; each difference is divided by the step as
    stored after rounding. The one home of central differences: the gradient check and the kit's."""
    out = {}
    for name, theta in params.items():
        if theta is None:
            out[name] = None
            continue
        g = np.zeros_like(theta, dtype=float)
        for j in np.ndindex(theta.shape):
            up, down = np.array(theta, dtype=float), np.array(theta, dtype=float)
            up[j] += h
            down[j] -= h
            g[j] = (loss_at(**{**params, name: up}) - loss_at(**{**params, name: down})) / (up[j] - down[j])
        out[name] = g
    return out


@dataclass(frozen=True)
class GradCheck:
    analytic_dW: np.ndarray
    numeric_dW: np.ndarray
    analytic_db: np.ndarray | None
    numeric_db: np.ndarray | None
    max_abs_error: float
    max_rel_error: float  # max |a - n| / max(1, max |a|, max |n|) over all entries (module docstring)
    step: float = math.nan  # the finite-difference step h used for every entry

    def ok(self, tol: float = 1e-6) -> bool:
        return self.max_rel_error < tol


def analytic_grad(W, b, X, y, loss: str, settings: dict):
    """(dW, db): the kernel's gradient, the side the check puts to the test."""
    o = kernel.objective(loss, W, b, X, y, **settings)
    raise_unless_finite(o, W, b, X)
    return o.dW, o.db


def gradient_check(W, b, X, y, reg: float = 0.0, eps: float = 1e-6, *, loss: str = "softmax", delta: float = 1.0,
                   penalty: str = "half") -> GradCheck:  # fmt: skip
    """Compare the kernel's gradient of the objective ``loss`` with central differences (see the
    module docstring). For the SVM losses, a margin within about h of its kink makes the two differ
    by design: the loss has no derivative there."""
    W, b, X, y = check_data(W, b, X, y)
    settings = _settings(loss, reg, delta, penalty)
    dW, db = analytic_grad(W, b, X, y, loss, settings)
    nW, nb = _numeric(W, b, X, y, _step(W, b, eps), loss, settings)
    a = dW.ravel() if db is None else np.concatenate([dW.ravel(), db])
    n = nW.ravel() if nb is None else np.concatenate([nW.ravel(), nb])
    err = np.abs(a - n)
    scale = max(1.0, float(np.abs(a).max()), float(np.abs(n).max()))
    return GradCheck(dW, nW, db, nb, float(err.max()), float(err.max()) / scale, _step(W, b, eps))
