"""How the kit calls a student's function and reads what it returns, in either layout.

    layout     bias    call                      returns
    "rows"     True    fn(W, b, X, y, reg)       (loss, dW, db)    W, dW (K, D): linclass
    "rows"     False   fn(W, X, y, reg)          (loss, dW)
    "columns"  True    fn(W, b, X, y, reg)       (loss, dW, db)    W, dW (D, K): CS231n
    "columns"  False   fn(W, X, y, reg)          (loss, dW)        softmax_loss_vectorized
    per sample         fn(W, [b,] x, y)          dW, or (dW, db)   x (D,), y an int

Inside the kit every W and dW is (K, D); a "columns" function gets W.T and its dW is transposed
back. Each call gets fresh copies, so a function that writes into its inputs changes nothing.

Each call has a time limit (``limits.call_with_limit``), and the warnings it raises (NumPy's
overflow warnings included) are recorded and counted in :class:`Warned`, never printed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .limits import Abort, TimedOut, call_with_limit, seconds_text
from .problems import Problem

__all__ = ["LAYOUTS", "KitFailure", "Signature", "Warned"]

LAYOUTS = {
    "rows": "W is (K, D), one row per class (linclass's layout)",
    "columns": "W is (D, K), one column per class (CS231n's layout)",
}


class KitFailure(AssertionError):
    """A failed check; its message is the whole report a student reads.

    The message may be a function that writes it: hypothesis fails a check many times while it
    shrinks the problem, and only the last, smallest failure is ever read.
    """

    def __init__(self, message: str | Callable[[], str], ambiguous: bool = False):
        super().__init__()
        self._message = message
        self.ambiguous = ambiguous  # several mistakes explain it equally: a larger problem may tell them apart

    def __str__(self) -> str:
        if callable(self._message):
            self._message = self._message()
        return self._message


@dataclass
class Warned:
    """The warnings a student's code raised during one check: how many, and the first few kinds."""

    count: int = 0
    kinds: list = field(default_factory=list)  # "RuntimeWarning: overflow encountered in exp", ...

    def add(self, caught) -> None:
        self.count += len(caught)
        for w in caught:
            kind = f"{w.category.__name__}: {w.message}"
            if kind not in self.kinds and len(self.kinds) < 3:
                self.kinds.append(kind)

    def text(self) -> str:
        """A sentence for the report, or "" when there were none."""
        if not self.count:
            return ""
        return (
            f"Your code raised {self.count} warning{'s' * (self.count != 1)} during this check "
            f"(captured, not printed): {'; '.join(self.kinds)}."
        )


@dataclass(frozen=True)
class Signature:
    fn: Callable
    layout: str = "rows"
    bias: bool = True
    sample: bool = False  # fn(W, [b,] x, y) -> dW or (dW, db): one sample, no reg
    timeout: float | None = 10.0  # seconds a call may take; None: no limit
    warned: Warned = field(default_factory=Warned, compare=False)

    def __post_init__(self):
        if not callable(self.fn):
            raise ValueError(f"fn must be a function, got {self.fn!r}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be 'rows' (W is (K, D)) or 'columns' (W is (D, K)), got {self.layout!r}")
        if self.timeout is not None and not (isinstance(self.timeout, int | float) and self.timeout > 0):
            raise ValueError(f"timeout must be a number of seconds > 0 or None, got {self.timeout!r}")

    @property
    def name(self) -> str:
        return getattr(self.fn, "__name__", None) or repr(self.fn)

    @property
    def returns(self) -> str:
        if self.sample:
            return "dW, db" if self.bias else "dW"
        return "loss, dW, db" if self.bias else "loss, dW"

    def arguments(self, p: Problem) -> dict:
        """The arguments as the function receives them, by name."""
        args = {"W": (p.W if self.layout == "rows" else p.W.T).copy()}
        if self.bias:
            args["b"] = p.b.copy()
        if self.sample:
            return args | {"x": p.X[0].copy(), "y": int(p.y[0])}
        return args | {"X": p.X.copy(), "y": p.y.copy(), "reg": p.reg}

    def shown(self, quantity: str, value):
        """A (K, D) dW in the function's own layout, for the report."""
        return value.T if quantity == "dW" and self.layout == "columns" else value

    def call(self, p: Problem, where: Callable[[], str]):
        """The function's raw result on ``p``; ``where()`` describes p for the failure message."""
        __tracebackhide__ = True
        args = self.arguments(p).values()
        try:
            # nan and inf are diagnosed from the result; the warnings are counted, never printed
            with np.errstate(all="warn", under="ignore"), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    return call_with_limit(lambda: self.fn(*args), self.timeout)
                finally:
                    self.warned.add(caught)
        except NotImplementedError:
            raise KitFailure(f"{self.name} is not implemented yet: it raises NotImplementedError.") from None
        except TimedOut as exc:
            seconds = seconds_text(exc.seconds)
            raise TimedOut(
                exc.seconds,
                lambda: (
                    f"{self.name} timed out after {seconds}: it did not return on this problem "
                    f"(an endless loop?)\n\n{where()}"
                ),
            ) from None
        except MemoryError:
            # no shrinking: every retry would fill the memory again
            raise Abort(lambda: f"{self.name} ran out of memory (MemoryError) on this problem\n\n{where()}") from None
        except SystemExit as exc:
            code = exc.code
            raise KitFailure(lambda: f"{self.name} called sys.exit({code!r}): remove it.\n\n{where()}") from None
        except Exception as exc:
            raise KitFailure(lambda exc=exc: f"{self.name} raised {type(exc).__name__}: {exc}\n\n{where()}") from exc

    def read(self, result, p: Problem, where: Callable[[], str], loss_only: bool = False) -> dict:
        """{"loss": float, "dW": (K, D), "db": (K,)} from a result; a bare number if ``loss_only``."""
        if result is None:
            raise KitFailure(
                lambda: (
                    f"{self.name} returned None; it must return ({self.returns}). "
                    f"Does it end with `return {self.returns}`?\n\n{where()}"
                )
            )
        if loss_only and _is_number(result):
            return {"loss": float(np.asarray(result, dtype=float))}
        names = self.returns.split(", ")
        if len(names) == 1:
            result = (result,)
        if not isinstance(result, tuple | list) or len(result) != len(names):
            also = " or just the loss" if loss_only else ""
            wrong = f"{self.name} returned {_brief(result)}; it must return ({self.returns}){also}."
            raise KitFailure(lambda: f"{wrong}\n\n{where()}")
        out = dict(zip(names, result, strict=True))
        if "loss" in out:
            out["loss"] = self._loss(out["loss"], where)
        out["dW"] = self._array("dW", out["dW"], self.arguments(p)["W"].shape, where)
        if "db" in out:
            out["db"] = self._array("db", out["db"], (p.K,), where)
        return out | {"dW": self.shown("dW", out["dW"])}  # back to (K, D)

    def _loss(self, loss, where: Callable[[], str]) -> float:
        if not _is_number(loss):
            raise KitFailure(
                lambda: (
                    f"The loss must be one number, but {self.name} returned {_brief(loss)}: "
                    f"average the per-sample losses into one number.\n\n{where()}"
                )
            )
        return float(np.asarray(loss, dtype=float).reshape(-1)[0])  # a 1-element array counts as the number

    def _array(self, name: str, value, shape: tuple, where: Callable[[], str]) -> np.ndarray:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.shape != shape:
            got = _brief(value) if arr is None else f"shape {arr.shape}"
            why = f"{name} must have shape {shape}, the shape of {name[1:]} as your function receives it; it has {got}."
            if arr is not None and arr.shape == shape[::-1] and len(shape) == 2:
                why += f" It is transposed: this check uses layout={self.layout!r} ({LAYOUTS[self.layout]})."
            raise KitFailure(lambda: f"{why}\n\n{where()}")
        return arr


def _is_number(value) -> bool:
    if value is None:  # np.asarray(None, dtype=float) is nan, not an error
        return False
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.shape == () or arr.shape == (1,)


def _brief(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    shape = getattr(value, "shape", None)
    return f"an array of shape {shape}" if shape is not None else f"a {type(value).__name__}"
