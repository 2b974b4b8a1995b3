"""The losses linclass trains with, each a small module on the one kernel (``core.objective``).

A loss module gives only what is particular to it: ``loss_and_coeffs(f, targets, delta)``, its
per-sample loss L_i and its coefficients C = dL_i/df (p - e_y for softmax, violation counts for
the SVMs) for a class-major block of scores, plus three facts the words on screen need:
``NAME`` (its URL and file value), ``COEFFS_SUM_TO_ZERO``, ``USES_MARGIN`` (delta),
``margins(f, y, delta)``, what the bars draw for an SVM loss (None for softmax, whose bars are p),
and ``TRUE_CLASS_MARGIN``, whether the true class has a margin of its own among them. These are
the four formulations of the CS231n linear-classification demo. Adding a loss is a module and
one line below.
"""

from __future__ import annotations

from types import ModuleType

from . import one_vs_all, softmax, structured, weston_watkins

__all__ = ["LOSSES", "loss_named"]

LOSSES: dict[str, ModuleType] = {m.NAME: m for m in (softmax, weston_watkins, one_vs_all, structured)}


def loss_named(name) -> ModuleType:
    """The loss module called ``name``; ValueError naming the choices for anything else."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {list(LOSSES)}") from None
