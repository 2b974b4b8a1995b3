"""The common mistakes in a softmax loss and gradient: what each one computes, and its hint.

Each mistake is a variant of the reference on the same problem. The data term (the mean
cross-entropy and its gradient) can be summed instead of averaged (or divided by N twice), lack the
-1 at the true class,
or have the wrong sign; the penalty can follow the other convention, be missing, or take in the
bias. A wrong value that equals a variant (a data term plus a penalty term) up to the tolerance is
explained by that variant's mistakes; the explanation with the fewest mistakes wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..core.model import loss_and_grad
from .problems import Problem

__all__ = ["HINTS", "PENALTY", "Reference", "Tolerance", "hint", "nonfinite_hints", "reference", "reg_context"]

# loss gains PENALTY[c] * reg * ||W||^2, so dW gains 2 * PENALTY[c] * reg * W
PENALTY = {"half": 0.5, "full": 1.0}
PENALTY_TEXT = {
    "half": "1/2 * reg * ||W||^2 (gradient reg * W)",
    "full": "reg * ||W||^2 (gradient 2 * reg * W)",
}
OVERFLOW = 700.0  # exp(700) is near the largest float64; scores this large need the max-shift

HINTS = {
    "not_mean": (
        "Divide by N: the loss is the mean of the N per-sample losses, so the summed loss and the "
        "summed gradient both need / N (the penalty is added after dividing)."
    ),
    "mean_twice": (
        "You divide by N twice: the loss is the mean of the N per-sample losses, so divide the summed "
        "loss and the summed gradient by N once (np.mean over samples, or a sum and then / N)."
    ),
    "reg_convention": (
        "Regularisation convention: this assignment adds {expected} to the loss; in your {quantity} it is {found}."
    ),
    "reg_missing": (
        "The regularisation term is missing from your {quantity}: this assignment adds {expected} to the loss."
    ),
    "bias_penalised": "The bias is not regularised: leave b out of the penalty and db without a reg term.",
    "no_minus_one": (
        "The -1 at the true class is missing: the gradient with respect to the scores is p - e_y, so "
        "subtract 1 from each sample's probability of its true class (dscores[range(N), y] -= 1) "
        "before multiplying by X."
    ),
    "sign": (
        "The gradient has the wrong sign: with respect to the scores it is p - e_y (probabilities "
        "minus the one-hot target), not e_y - p."
    ),
    "overflow": (
        "Your result is nan or inf on scores as large as {top:.3g}: exp overflows (or every exp "
        "underflows to 0). Subtract each sample's largest score before exp: softmax is unchanged by "
        "that shift, and then exp never overflows."
    ),
    "log_underflow": (
        "Your loss is not finite, but the true loss is {expected:.6g}: the probability of a true class "
        "rounded to 0 before the log. Compute -log p_y as log(sum_j exp(f_j - max f)) - (f_y - max f) "
        "from the shifted scores instead of taking the log of p."
    ),
    "sample_rows": (
        "For one sample, row m of dW (column m in the (D, K) layout) is p_m * x for every class m "
        "other than y, and (p_y - 1) * x for the true class y: each is a multiple of x."
    ),
}


def hint(key: str, **context) -> str:
    """The hint for a mistake, filled in for this problem."""
    return f"Hint [{key}]: " + HINTS[key].format(**context)


@dataclass(frozen=True)
class Tolerance:
    """A value is close to the expected one when max|value - expected| <= atol + rtol * max|expected|."""

    rtol: float
    atol: float

    def bound(self, expected) -> float:
        return self.atol + self.rtol * float(np.max(np.abs(expected), initial=0.0))

    def close(self, value, expected) -> bool:
        diff = np.abs(np.asarray(value, dtype=float) - expected)
        return bool(np.all(np.isfinite(diff)) and np.max(diff, initial=0.0) <= self.bound(expected))


@dataclass(frozen=True)
class Reference:
    """The right loss, dW (K, D) and db of a problem, and what each mistake would give instead."""

    data: dict  # quantity -> mistake -> data term ("right" is the reference)
    penalty: dict  # quantity -> mistake -> penalty term
    convention: str

    def right(self, quantity: str):
        return self.data[quantity]["right"] + self.penalty[quantity]["right"]

    def explain(self, quantity: str, value, tol: Tolerance) -> list[str]:
        """The mistakes of the simplest variant that gives ``value``; [] if none does."""
        found, fewest = [], 3
        for (data, dv), (pen, pv) in product(self.data[quantity].items(), self.penalty[quantity].items()):
            names = [m for m in (data, pen) if m != "right"]
            if names and len(names) <= fewest and tol.close(value, dv + pv):
                if len(names) < fewest:
                    found, fewest = [], len(names)
                found += [m for m in names if m not in found]
        return found


def reference(p: Problem, convention: str) -> Reference:
    """The reference values of ``p`` under a penalty convention ("half" or "full"), with the variants."""
    W, b, X, y, reg = p
    N, c, other = p.N, PENALTY[convention], PENALTY[_other(convention)]
    loss, dW, db = loss_and_grad(W, b, X, y)  # the data terms, no penalty yet
    onehot_X = np.zeros_like(W)  # E^T X: row m sums the samples of class m          (K, D)
    np.add.at(onehot_X, y, X)
    data = {
        "loss": {"right": loss, "not_mean": N * loss, "mean_twice": loss / N},
        "dW": {"right": dW, "not_mean": N * dW, "mean_twice": dW / N, "no_minus_one": dW + onehot_X / N,
               "sign": -dW},
    }
    sq = float(np.sum(W * W))
    penalty = {
        "loss": {"right": c * reg * sq, "reg_convention": other * reg * sq, "reg_missing": 0.0},
        "dW": {"right": 2 * c * reg * W, "reg_convention": 2 * other * reg * W, "reg_missing": 0.0 * W},
    }
    if b is not None:
        counts = np.bincount(y, minlength=p.K)  # E^T 1: the samples of each class    (K,)
        data["db"] = {"right": db, "not_mean": N * db, "mean_twice": db / N, "no_minus_one": db + counts / N,
                      "sign": -db}
        penalty["db"] = {"right": 0.0 * b, "bias_penalised": 2 * c * reg * b}
        penalty["loss"]["bias_penalised"] = c * reg * (sq + float(b @ b))
    return Reference(data, penalty, convention)


def _other(convention: str) -> str:
    return "full" if convention == "half" else "half"


def reg_context(convention: str, quantity: str) -> dict:
    """The words the two regularisation hints need."""
    return {"expected": PENALTY_TEXT[convention], "found": PENALTY_TEXT[_other(convention)], "quantity": quantity}


def nonfinite_hints(p: Problem, quantity: str, loss_expected: float, grads_finite: bool) -> list[str]:
    """Hints for a nan or inf result: the max-shift, or log-sum-exp when only the loss broke."""
    f = p.scores()  # (N, K)
    gap = float(np.max(f.max(axis=1) - f[np.arange(p.N), p.y]))  # how far a true class is below the top
    if quantity == "loss" and grads_finite and gap > OVERFLOW:
        return [hint("log_underflow", expected=loss_expected)]
    top = float(np.abs(f).max())
    return [hint("overflow", top=top)] if top > OVERFLOW else []
