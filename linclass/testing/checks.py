"""The three checks a grading test calls; each searches problems with hypothesis and reports the smallest failure.

Defaults follow linclass's own conventions (layout "rows", a bias, reg_convention "half"), so
``linclass.loss_and_grad`` and ``linclass.sample_grad`` pass them as they are. Every check draws
its problems from :func:`~linclass.testing.problems` (or the ``problems`` strategy given), runs
``max_examples`` of them, derandomized by default so every run grades the same problems, and on a
failure lets hypothesis shrink the problem before raising an AssertionError that holds the whole
report: the problem as the function receives it, what differs and by how much, and hints.
Each call of the student's function has ``timeout`` seconds; one that does not return in time
fails the check at once (no retry), and the test session goes on.

With ``loss="hinge"`` the reference is the multiclass SVM of Weston and Watkins (delta = 1), and the
problems keep every margin away from its kink at 0, where two subgradients are both right and
central differences straddle the corner.
"""

from __future__ import annotations

from functools import partial

import hypothesis
import numpy as np

from ..core.gradcheck import central_differences
from ..core.model import sample_grad
from .calls import KitFailure, Signature
from .mistakes import CONVENTIONS, LOSSES, OVERFLOW, Tolerance, hint, nonfinite_hints, reference, reg_context
from .problems import kink_distance, with_defaults
from .report import describe, difference, report
from .search import Passed, search

__all__ = [
    "Passed",
    "assert_gradient_numerically_correct",
    "assert_loss_and_grad_match",
    "assert_sample_gradient_matches",
]

QUANTITIES = ("loss", "dW", "db")
KINK = 1e-9  # hinge problems keep every margin this far from 0, relative to 1 + max |score|


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
    loss: str = "softmax",
    timeout: float | None = 10.0,
    problems=None,
    max_examples: int = 50,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> Passed:
    """Check a student's (loss, dW[, db]) against ``linclass.loss_and_grad`` on generated problems.

    fn: called as the table in ``linclass.testing.calls`` says for ``layout`` and ``bias``;
        for CS231n's ``softmax_loss_vectorized(W, X, y, reg)`` use layout="columns", bias=False,
        reg_convention="full".
    reg_convention: "half" for 1/2 * reg * ||W||^2 (linclass), "full" for reg * ||W||^2 (CS231n),
        "any" for either (the same one in the loss and the gradient); the bias is never penalised.
    rtol, atol: a quantity passes when max|yours - expected| <= atol + rtol * max|expected|.
    extreme: include problems whose scores are 1e3 or more from zero (they need the max-shift).
    require_log_sum_exp: also draw problems where a true class's probability rounds to 0, so the
        loss is exact only by log-sum-exp; off by default, as CS231n's -log(p_y) fails them.
    loss: "softmax" (linclass.loss_and_grad) or "hinge" (the multiclass SVM, delta = 1, as in CS231n's
        svm_loss_naive and svm_loss_vectorized).
    timeout: seconds each call of fn may take (None: no limit); one that does not return in time
        fails the check with a message saying so.
    problems: a strategy of Problem to use instead (b must be drawn exactly when bias is True);
        ``problems(k=3, d=3)`` changes only what it is given, the rest keeps this check's defaults.
    max_examples, derandomize, deadline: hypothesis settings; settings: a whole
        ``hypothesis.settings`` to use instead of those three.

    Returns a ``Passed`` (how many warnings fn raised, captured and not printed); raises AssertionError
    with the report on a failure.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias, timeout=timeout), Tolerance(rtol, atol)
    _check_options(reg_convention, loss)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        yours = sig.read(sig.call(p, where), p, where)
        refs = _references(p, reg_convention, loss, yours, tol)
        _refuse_unfinished(sig, yours, refs[0], tol, where)
        verdict = _verdict(refs, p, yours, tol)
        if verdict is not None:
            ref, expected, bad, hints, ambiguous = verdict
            raise KitFailure(
                lambda: report(
                    f"{sig.name} does not match the reference on the smallest failing problem found:",
                    where(),
                    [difference(sig, q, yours[q], expected[q], tol) for q in bad],
                    hints,
                    sig.warned.text(),
                ),
                ambiguous,
            )

    defaults = {"bias": bias, "extreme": None if extreme else False, "underflow": require_log_sum_exp}
    chosen = _away_from_kinks(with_defaults(problems, **defaults), loss, lambda p: 0.0)
    return search(check, chosen, bias, max_examples, derandomize, deadline, settings, sig.warned)


def assert_gradient_numerically_correct(
    fn,
    layout: str = "rows",
    *,
    bias: bool = True,
    reg_convention: str = "half",
    eps: float = 1e-5,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    loss: str = "softmax",
    timeout: float | None = 10.0,
    problems=None,
    max_examples: int = 25,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> Passed:
    """Check a gradient against central differences of the student's own loss.

    If fn returns (loss, dW[, db]), its dW (and db) must match the central differences of its own
    loss, (L(theta + eps) - L(theta - eps)) / (2 eps) entry by entry: CS231n's gradient check,
    whatever the loss's conventions. If fn returns only the loss (a student who has not written
    the gradient yet), the central differences of that loss must match linclass's gradient, under
    ``reg_convention``. Problems are small and not extreme (differences cost 2 (K D + K) calls
    each). A function that returns a loss of 0 and a zero gradient agrees with itself but looks
    unfinished, and fails. The other arguments are those of :func:`assert_loss_and_grad_match`.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias, timeout=timeout), Tolerance(rtol, atol)
    _check_options(reg_convention, loss)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        loss_of = lambda q: sig.read(sig.call(q, where), q, where, loss_only=True)["loss"]  # noqa: E731
        yours = sig.read(sig.call(p, where), p, where, loss_only=True)
        numeric = _central_differences(loss_of, p, eps)
        ref = _references(p, reg_convention, loss, yours | numeric, tol)[0]
        _refuse_unfinished(sig, yours, ref, tol, where)
        own = "dW" in yours  # compare with the student's own gradient, or (loss only) with linclass's
        expected = {q: yours[q] if own else ref.right(q) for q in numeric}
        bad = [q for q in numeric if not tol.close(numeric[q], expected[q])]
        if bad:
            text, ambiguous = _numeric_report(sig, p, yours, numeric, expected, bad, ref, tol, eps)
            raise KitFailure(text, ambiguous)

    defaults = {"n": (1, 6), "k": (2, 6), "d": (1, 3), "bias": bias, "extreme": False}
    # a step of eps in W moves a margin by up to eps * max|x| (eps in b): keep the margins farther than that
    gap = lambda p: 4 * eps * (1.0 + float(np.abs(p.X).max(initial=0.0)))  # noqa: E731
    chosen = _away_from_kinks(with_defaults(problems, **defaults), loss, gap)
    return search(check, chosen, bias, max_examples, derandomize, deadline, settings, sig.warned)


def assert_sample_gradient_matches(
    fn,
    layout: str = "rows",
    *,
    bias: bool = True,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    extreme: bool = True,
    timeout: float | None = 10.0,
    problems=None,
    max_examples: int = 50,
    derandomize: bool = True,
    deadline=None,
    settings: hypothesis.settings | None = None,
) -> Passed:
    """Check the derivation's per-sample gradient fn(W, [b,] x, y) -> dW or (dW, db) against ``linclass.sample_grad``.

    Row m of dW (column m when layout="columns") must be p_m x for m != y and (p_y - 1) x for the
    true class; db = p - e_y. The other arguments are those of :func:`assert_loss_and_grad_match`.
    """
    __tracebackhide__ = True
    sig, tol = Signature(fn, layout, bias, sample=True, timeout=timeout), Tolerance(rtol, atol)

    def check(p):
        where = partial(describe, sig, p)  # written only for the failure that is shown
        yours = sig.read(sig.call(p, where), p, where)
        dW, db = sample_grad(p.W, p.b, p.X[0], int(p.y[0]))
        expected = {"dW": dW, "db": db} if bias else {"dW": dW}
        bad = [q for q in expected if not tol.close(yours[q], expected[q])]
        if bad:
            hints, ambiguous = _hints(reference(p._replace(reg=0.0), "half"), p, yours, bad, tol)
            raise KitFailure(
                lambda: report(
                    f"{sig.name} does not match the sample gradient on the smallest failing problem found:",
                    where(),
                    [difference(sig, q, yours[q], expected[q], tol) for q in bad],
                    hints or [hint("sample_rows")],
                    sig.warned.text(),
                ),
                ambiguous,
            )

    defaults = {"n": 1, "reg": False, "bias": bias, "extreme": None if extreme else False}
    return search(check, with_defaults(problems, **defaults), bias, max_examples, derandomize, deadline, settings,
                  sig.warned)  # fmt: skip


def _numeric_report(sig, p, yours, numeric, expected, bad, ref, tol, eps) -> tuple[str, bool]:
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
    hints, ambiguous = _hints(ref, p, seen, wrong, tol)
    return lambda: report(headline, describe(sig, p), diffs, hints, sig.warned.text()), ambiguous


def _hints(ref, p, yours: dict, bad: list[str], tol: Tolerance) -> tuple[list[str], bool]:
    """One hint per mistake found in the wrong quantities; for nan, inf or huge scores, the overflow hints.

    A quantity that several mistakes explain equally gets no hint; the second value says so, and
    ``search`` then looks for a problem that tells them apart.
    """
    grads_finite = all(np.all(np.isfinite(yours[q])) for q in ("dW", "db") if q in yours)
    found, numeric, ambiguous = {}, [], False  # mistake -> the quantities it explains; floating-point hints
    for q in bad:
        finite = bool(np.all(np.isfinite(yours[q])))
        explanations = ref.explanations(q, yours[q], tol) if finite else []
        ambiguous |= len(explanations) > 1
        for m in explanations[0] if len(explanations) == 1 else ():
            found.setdefault(m, []).append(q)
        if not explanations and (not finite or np.abs(p.scores()).max() > OVERFLOW):
            numeric += nonfinite_hints(p, q, float(ref.right("loss")), grads_finite)
    texts = [hint(m, **reg_context(ref.convention, " and ".join(qs))) for m, qs in found.items()]
    return texts + list(dict.fromkeys(numeric)), ambiguous


def _references(p, convention: str, loss: str, yours: dict, tol: Tolerance) -> list:
    """The reference under ``convention``; for "any", both conventions, the likelier first.

    The likelier is the one under which every quantity matches, else the one the loss matches, else
    "full" (CS231n's); a loss and a gradient with different penalties are still caught.
    """
    if convention != "any":
        return [reference(p, convention, loss)]
    refs = [reference(p, c, loss) for c in ("full", "half")]
    fits = [
        (not all(tol.close(yours[q], r.right(q)) for q in QUANTITIES if q in yours),
         not ("loss" in yours and tol.close(yours["loss"], r.right("loss"))))
        for r in refs
    ]  # fmt: skip
    return refs if fits[0] <= fits[1] else refs[::-1]


def _verdict(refs: list, p, yours: dict, tol: Tolerance):
    """None if yours matches the first reference; else (ref, expected, bad, hints, ambiguous) of the
    first reference whose difference a single mistake explains (of the first, if none does)."""
    first, undecided = None, False
    for ref in refs:
        expected = {q: ref.right(q) for q in QUANTITIES if q in yours}
        bad = [q for q in expected if not tol.close(yours[q], expected[q])]
        if not bad:
            return None
        hints, ambiguous = _hints(ref, p, yours, bad, tol)
        if hints and not ambiguous:
            return ref, expected, bad, hints, False
        first, undecided = first or (ref, expected, bad, hints), undecided or ambiguous
    return (*first, undecided)


def _refuse_unfinished(sig, yours: dict, ref, tol: Tolerance, where) -> None:
    """A loss of exactly 0 with a zero gradient, where the loss is not 0: a stub (CS231n's starting code)."""
    zeros = yours["loss"] == 0.0 and all(not np.any(yours[q]) for q in ("dW", "db") if q in yours)
    if zeros and not tol.close(0.0, ref.right("loss")):
        raise KitFailure(
            lambda: (
                f"{sig.name} looks unfinished: it returns a loss of 0 and a zero gradient, where the loss "
                f"is {float(ref.right('loss')):.6g}.\n\n{where()}"
            )
        )


def _away_from_kinks(problems, loss: str, gap):
    """For the hinge loss, only problems whose margins all keep away from 0 (by gap(p), and KINK relatively)."""
    if loss != "hinge":
        return problems
    return problems.filter(
        lambda p: kink_distance(p) > gap(p) + KINK * (1.0 + float(np.abs(p.scores()).max(initial=0.0)))
    )


def _central_differences(loss_of, p, eps: float) -> dict:
    """{"dW": (K, D), "db": (K,)}: (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps) for each entry j."""
    grads = central_differences(lambda W, b: loss_of(p._replace(W=W, b=b)), {"W": p.W, "b": p.b}, eps)
    return {"d" + name: g for name, g in grads.items() if g is not None}


def _check_options(reg_convention: str, loss: str) -> None:
    if reg_convention not in CONVENTIONS:
        raise ValueError(
            f"reg_convention must be 'half' (1/2 * reg * ||W||^2), 'full' (reg * ||W||^2) or 'any' (either), "
            f"got {reg_convention!r}"
        )
    if loss not in LOSSES:
        raise ValueError(f"loss must be 'softmax' or 'hinge' (the multiclass SVM), got {loss!r}")
