"""The three checks a grading test calls; each searches problems with hypothesis and reports the smallest failure.

Defaults follow linclass's own conventions (layout "rows", a bias, reg_convention "half"), so
``linclass.loss_and_grad`` and ``linclass.sample_grad`` pass them as they are. Every check draws
its problems from :func:`~linclass.testing.problems` (or the ``problems`` strategy given), runs
``max_examples`` of them, derandomized by default so every run grades the same problems, and on a
failure lets hypothesis shrink the problem before raising an AssertionError that holds the whole
report: the problem as the function receives it, what differs and by how much, and hints.
"""

from __future__ import annotations

from functools import partial

import hypothesis
import numpy as np

from ..core.model import sample_grad
from . import problems as _problems
from .calls import KitFailure, Signature
from .mistakes import OVERFLOW, PENALTY, Tolerance, hint, nonfinite_hints, reference, reg_context
from .report import describe, difference, report
from .search import search

__all__ = ["assert_gradient_numerically_correct", "assert_loss_and_grad_match", "assert_sample_gradient_matches"]

QUANTITIES = ("loss", "dW", "db")


def assert_loss_and_grad_match(
    fn,
    layout: str = "rows",
    *,
    bias: bool = True,
    reg_convention: str = "half",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    extreme: bool = True,
    require_log_sum_exp: bool = False,
    problems=None,
    max_examples: int = 50,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check a student's (loss, dW[, db]) against ``linclass.loss_and_grad`` on generated problems.

    fn: called as the table in ``linclass.testing.calls`` says for ``layout`` and ``bias``;
        for CS231n's ``softmax_loss_vectorized(W, X, y, reg)`` use layout="columns", bias=False,
        reg_convention="full".
    reg_convention: "half" for 1/2 * reg * ||W||^2 (linclass), "full" for reg * ||W||^2 (CS231n);
        the bias is never penalised.
    rtol, atol: a quantity passes when max|yours - expected| <= atol + rtol * max|expected|.
    extreme: include problems whose scores are 1e3 or more from zero (they need the max-shift).
    require_log_sum_exp: also draw problems where a true class's probability rounds to 0, so the
        loss is exact only by log-sum-exp; off by default, as CS231n's -log(p_y) fails them.
    problems: a strategy of Problem to use instead (b must be drawn exactly when bias is True).
    max_examples, derandomize, deadline: hypothesis settings; settings: a whole
        ``hypothesis.settings`` to use instead of those three.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias), Tolerance(rtol, atol)
    _check_convention(reg_convention)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        yours = sig.read(sig.call(p, where), p, where)
        ref = reference(p, reg_convention)
        expected = {q: ref.right(q) for q in QUANTITIES if q in yours}
        bad = [q for q in expected if not tol.close(yours[q], expected[q])]
        if bad:
            raise KitFailure(
                lambda: report(
                    f"{sig.name} does not match the reference on the smallest failing problem found:",
                    where(),
                    [difference(sig, q, yours[q], expected[q], tol) for q in bad],
                    _hints(ref, p, yours, bad, tol),
                )
            )

    if problems is None:
        problems = _problems.problems(bias=bias, extreme=None if extreme else False, underflow=require_log_sum_exp)
    search(check, problems, bias, max_examples, derandomize, deadline, settings)


def assert_gradient_numerically_correct(
    fn,
    layout: str = "rows",
    *,
    bias: bool = True,
    reg_convention: str = "half",
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    problems=None,
    max_examples: int = 25,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check a gradient against central differences of the student's own loss.

    If fn returns (loss, dW[, db]), its dW (and db) must match the central differences of its own
    loss, (L(theta + eps) - L(theta - eps)) / (2 eps) entry by entry: CS231n's gradient check,
    whatever the loss's conventions. If fn returns only the loss (a student who has not written
    the gradient yet), the central differences of that loss must match linclass's gradient, under
    ``reg_convention``. Problems are small and not extreme (differences cost 2 (K D + K) calls
    each). The other arguments are those of :func:`assert_loss_and_grad_match`.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias), Tolerance(rtol, atol)
    _check_convention(reg_convention)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        loss_of = lambda q: sig.read(sig.call(q, where), q, where, loss_only=True)["loss"]  # noqa: E731
        yours = sig.read(sig.call(p, where), p, where, loss_only=True)
        numeric = _central_differences(loss_of, p, eps)
        ref = reference(p, reg_convention)
        own = "dW" in yours  # compare with the student's own gradient, or (loss only) with linclass's
        expected = {q: yours[q] if own else ref.right(q) for q in numeric}
        bad = [q for q in numeric if not tol.close(numeric[q], expected[q])]
        if bad:
            raise KitFailure(lambda: _numeric_report(sig, p, yours, numeric, expected, bad, ref, tol, eps))

    if problems is None:
        problems = _problems.problems(n=(1, 6), k=(2, 6), d=(1, 3), bias=bias, extreme=False)
    search(check, problems, bias, max_examples, derandomize, deadline, settings)


def assert_sample_gradient_matches(
    fn,
    layout: str = "rows",
    *,
    bias: bool = True,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    extreme: bool = True,
    problems=None,
    max_examples: int = 50,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check the seed's per-sample gradient fn(W, [b,] x, y) -> dW or (dW, db) against ``linclass.sample_grad``.

    Row m of dW (column m when layout="columns") must be p_m x for m != y and (p_y - 1) x for the
    true class; db = p - e_y. The other arguments are those of :func:`assert_loss_and_grad_match`.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias, sample=True), Tolerance(rtol, atol)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        yours = sig.read(sig.call(p, where), p, where)
        dW, db = sample_grad(p.W, p.b, p.X[0], int(p.y[0]))
        expected = {"dW": dW, "db": db} if bias else {"dW": dW}
        bad = [q for q in expected if not tol.close(yours[q], expected[q])]
        if bad:
            raise KitFailure(
                lambda: report(
                    f"{sig.name} does not match the sample gradient on the smallest failing problem found:",
                    where(),
                    [difference(sig, q, yours[q], expected[q], tol) for q in bad],
                    _hints(reference(p._replace(reg=0.0), "half"), p, yours, bad, tol) or [hint("sample_rows")],
                )
            )

    if problems is None:
        problems = _problems.problems(n=1, reg=False, bias=bias, extreme=None if extreme else False)
    search(check, problems, bias, max_examples, derandomize, deadline, settings)


def _numeric_report(sig, p, yours, numeric, expected, bad, ref, tol, eps) -> str:
    own = "dW" in yours
    headline = (
        f"{sig.name}'s gradient differs from the central differences (eps={eps:g}) of its loss"
        if own
        else f"The central differences (eps={eps:g}) of {sig.name}'s loss differ from linclass's gradient"
    )
    headline += " on the smallest failing problem found:"
    names = ("numeric", "yours" if own else "linclass")
    diffs = [difference(sig, q, numeric[q], expected[q], tol, names) for q in bad]
    seen = yours if own else yours | numeric  # what to explain: the student's values
    wrong = [q for q in QUANTITIES if q in seen and not tol.close(seen[q], ref.right(q))]
    return report(headline, describe(sig, p), diffs, _hints(ref, p, seen, wrong, tol))


def _hints(ref, p, yours: dict, bad: list[str], tol: Tolerance) -> list[str]:
    """One hint per mistake found in the wrong quantities; for nan, inf or huge scores, the overflow hints."""
    grads_finite = all(np.all(np.isfinite(yours[q])) for q in ("dW", "db") if q in yours)
    found, numeric = {}, []  # mistake -> the quantities it explains; hints about floating point
    for q in bad:
        finite = bool(np.all(np.isfinite(yours[q])))
        names = ref.explain(q, yours[q], tol) if finite else []
        for m in names:
            found.setdefault(m, []).append(q)
        if not names and (not finite or np.abs(p.scores()).max() > OVERFLOW):
            numeric += nonfinite_hints(p, q, float(ref.right("loss")), grads_finite)
    texts = [hint(m, **reg_context(ref.convention, " and ".join(qs))) for m, qs in found.items()]
    return texts + list(dict.fromkeys(numeric))


def _central_differences(loss_of, p, eps: float) -> dict:
    """{"dW": (K, D), "db": (K,)}: (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps) for each entry j."""
    out = {}
    for name in ("W", "b"):
        theta = getattr(p, name)
        if theta is None:
            continue
        grad = np.zeros_like(theta)
        for j in np.ndindex(theta.shape):
            step = np.zeros_like(theta)
            step[j] = eps
            up, down = (loss_of(p._replace(**{name: theta + s})) for s in (step, -step))
            grad[j] = (up - down) / (2 * eps)
        out["d" + name] = grad
    return out


def _check_convention(reg_convention: str) -> None:
    if reg_convention not in PENALTY:
        raise ValueError(
            f"reg_convention must be 'half' (1/2 * reg * ||W||^2) or 'full' (reg * ||W||^2), got {reg_convention!r}"
        )
