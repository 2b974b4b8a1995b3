"""The failure report a student reads: the problem as pasteable Python, what differs, by how much, hints."""

from __future__ import annotations

import numpy as np

from .calls import LAYOUTS, Signature
from .mistakes import Tolerance
from .problems import Problem

__all__ = ["describe", "difference", "report"]

NO_HINT = (
    "No common mistake explains this difference: run your function on the problem above and compare its "
    "scores, probabilities and dscores with the derivation, one line at a time."
)


def describe(sig: Signature, p: Problem) -> str:
    """The problem as the function receives it: sizes, then one pasteable line per argument, then the call."""
    sizes = f"D={p.D} features, K={p.K} classes"
    if not sig.sample:
        sizes = f"N={p.N} sample{'s' * (p.N != 1)}, {sizes}"
    lines = [f"{sizes}, {'with a bias b' if sig.bias else 'no bias'}; {LAYOUTS[sig.layout]}"]
    args = sig.arguments(p)
    lines += [f"{name} = {_literal(value)}" for name, value in args.items()]
    lines.append(f"{sig.returns} = {sig.name}({', '.join(args)})")
    return "\n".join("    " + line for line in lines)


def difference(sig: Signature, quantity: str, value, expected, tol: Tolerance, names=("yours", "expected")) -> str:
    """One quantity that differs: both values (arrays when small), the max abs diff and where."""
    mine, theirs = names
    value, expected = sig.shown(quantity, value), sig.shown(quantity, expected)
    bound = tol.bound(expected)
    diff = np.abs(np.asarray(value, dtype=float) - expected)
    if np.ndim(expected) == 0:
        return (
            f"{quantity} differs: {mine} {float(value)!r}, {theirs} {float(expected)!r}; "
            f"abs diff {_num(float(diff))} (tolerance {bound:.2g})"
        )
    worst = np.unravel_index(np.argmax(np.where(np.isnan(diff), np.inf, diff)), diff.shape)
    at = list(map(int, worst))
    head = f"{quantity} differs: max abs diff {_num(float(diff[worst]))} at {at} (tolerance {bound:.2g})"
    if np.size(expected) > 40:
        return head
    return f"{head}\n    {mine:<8} = {_array(value)}\n    {theirs:<8} = {_array(expected)}"


def report(headline: str, where: str, differences: list[str], hints: list[str], warned: str = "") -> str:
    body = "\n\n".join(differences)
    tail = f"\n\n{warned}" if warned else ""
    return f"{headline}\n\n{where}\n\n{body}\n\n" + "\n".join(hints or [NO_HINT]) + tail


def _literal(value) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()})"
    return repr(value)


def _array(a) -> str:
    text = np.array2string(np.asarray(a, dtype=float), precision=6, suppress_small=True, separator=", ")
    return " ".join(text.split())  # one line: "[[0.1, 0.2], [0.3, 0.4]]"


def _num(x: float) -> str:
    return "nan" if np.isnan(x) else f"{x:.3g}"
