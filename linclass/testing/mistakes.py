"""The common mistakes in a softmax (or hinge) loss and gradient: what each one computes, and its hint.

Each mistake is a variant of the reference on the same problem. The data term (the mean
cross-entropy, or the mean multiclass hinge loss, and its gradient) can be summed instead of
averaged (or divided by N twice), have the wrong sign, or (square problems, K = D) come out
transposed; a softmax gradient can lack the -1 at the true class, or put it one column early when
y = K - 1. The penalty can follow the other convention, be missing, be divided by N with the data
term, or take in the bias. A wrong value that equals a variant (a data term plus a penalty term)
up to the tolerance is explained by that variant's mistakes, and the explanations with the fewest
mistakes are kept: a hint is given only when one explanation is left (the problem singles it out).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from itertools import product

import numpy as np

from ..core.model import loss_and_grad
from ..core.objective import PENALTIES
from .problems import Problem

__all__ = [
    "CONVENTIONS",
    "HINTS",
    "LOSSES",
    "PENALTY",
    "Reference",
    "Tolerance",
    "hint",
    "nonfinite_hints",
    "reference",
    "reg_context",
]

# the data term of each loss, linclass's loss_and_grad(W, b, X, y) -> (loss, dW, db) with no penalty
LOSSES = {"softmax": loss_and_grad, "hinge": partial(loss_and_grad, loss="hinge")}  # the SVM: delta = 1
# loss gains PENALTY[c] * reg * ||W||^2, so dW gains 2 * PENALTY[c] * reg * W: the kernel's table
PENALTY = PENALTIES
CONVENTIONS = (*PENALTY, "any")  # "any": either one, the same in the loss and the gradient
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
    "penalty_over_n": (
        "The penalty is divided by N in your {quantity}: only the data term is a mean over the samples; "
        "add {expected} after dividing the summed data loss (and its gradient) by N."
    ),
    "last_column": (
        "When y = K - 1 (the last class) your -1 lands one column early, in column K - 2: the gradient "
        "with respect to the scores is p - e_y, so subtract 1 at column y itself for every sample "
        "(dscores[range(N), y] -= 1); check the index arithmetic for the last class."
    ),
    "transposed": (
        "dW is transposed: with D = K the shapes agree, so only the values show it. In the (D, K) layout "
        "dW = X.T @ dscores, in the (K, D) layout dW = dscores.T @ X; each entry [d, m] (or [m, d]) sums "
        "x_d times the score gradient of class m."
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

    def explanations(self, quantity: str, value, tol: Tolerance) -> list[tuple[str, ...]]:
        """The mistakes of each simplest variant that gives ``value``: [] if none does, several if they tie."""
        found, fewest = [], 3
        for (data, dv), (pen, pv) in product(self.data[quantity].items(), self.penalty[quantity].items()):
            names = tuple(m for m in (data, pen) if m != "right")
            if names and len(names) <= fewest and tol.close(value, dv + pv):
                if len(names) < fewest:
                    found, fewest = [], len(names)
                found.append(names)
        return found


def reference(p: Problem, convention: str, loss: str = "softmax") -> Reference:
    """The reference values of ``p`` under a penalty convention ("half" or "full"), with the variants."""
    W, b, X, y, reg = p
    N, c, other = p.N, PENALTY[convention], PENALTY[_other(convention)]
    data_loss, dW, db = LOSSES[loss](W, b, X, y)  # the data terms, no penalty yet
    data = {
        "loss": {"right": data_loss, "not_mean": N * data_loss, "mean_twice": data_loss / N},
        "dW": {"right": dW, "not_mean": N * dW, "mean_twice": dW / N, "sign": -dW},
    }
    if p.K == p.D:
        data["dW"]["transposed"] = dW.T
    sq = float(np.sum(W * W))
    penalty = {
        "loss": {"right": c * reg * sq, "reg_convention": other * reg * sq, "reg_missing": 0.0,
                 "penalty_over_n": c * reg * sq / N},
        "dW": {"right": 2 * c * reg * W, "reg_convention": 2 * other * reg * W, "reg_missing": 0.0 * W,
               "penalty_over_n": 2 * c * reg * W / N},
    }  # fmt: skip
    if b is not None:
        data["db"] = {"right": db, "not_mean": N * db, "mean_twice": db / N, "sign": -db}
        penalty["db"] = {"right": 0.0 * b, "bias_penalised": 2 * c * reg * b}
        penalty["loss"]["bias_penalised"] = c * reg * (sq + float(b @ b))
    if loss == "softmax":
        _softmax_variants(p, data)
    return Reference(data, penalty, convention)


def _softmax_variants(p: Problem, data: dict) -> None:
    """The mistakes in p - e_y: no -1 at all, or the -1 one column early for the last class."""
    N, K, y = p.N, p.K, p.y
    target = np.zeros((N, K))  # e_y                                                (N, K)
    target[np.arange(N), y] = 1.0
    early = np.zeros((N, K))  # e_y moved one column left where y = K - 1, minus e_y
    last = y == K - 1
    early[last, K - 1], early[last, K - 2] = -1.0, 1.0
    for name, extra in (("no_minus_one", target), ("last_column", -early)):
        if not extra.any():
            continue
        data["dW"][name] = data["dW"]["right"] + extra.T @ p.X / N  # dscores gains extra
        if "db" in data:
            data["db"][name] = data["db"]["right"] + extra.sum(axis=0) / N


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
