"""The explorer's whole state as one immutable value, and every change to it as a pure method.

The Streamlit app keeps one ``Explorer`` in its session and replaces it on each click or button;
everything it shows is derived from it. Point edits (add, erase, clear, load) can be undone and
redone; training has its own history inside ``TrainState`` (Step back).

Some points may be held out as test points (``test``, a mask): steps never use them, and the
state's loss and accuracy are measured on the training points. A clicked point is a training
point. The objective in force (a loss of ``core.losses``, with margin ``delta``) is the one the
steps use and the numbers are measured in.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from ..core import datasets
from ..core.checks import real
from ..core.chunk import run_chunk
from ..core.features import PLANE, feature_names, feature_text, phi
from ..core.limits import MAX_ABS, MAX_CLASSES, MAX_ROWS, MAX_WEIGHT, MIN_CLASSES, class_count, shown_name
from ..core.train import (
    LOSSES,
    NonFiniteError,
    Optimizer,
    StepRecord,
    TrainState,
    evaluate,
    init_state,
    measure,
    run,
    step_back,  # fmt: skip
)
from .statefile import StateFileError, parse_state

__all__ = ["Explorer", "StateFileError", "MIN_CLASSES", "MAX_CLASSES", "UNDO_DEPTH", "DEFAULT_NAMES"]

UNDO_DEPTH = 200
DEFAULT_NAMES = ("A", "B", "C", "D", "E", "F", "G", "H")


def _ro(a, dtype):
    a = np.array(a, dtype=dtype)
    a.flags.writeable = False
    return a


def free_name(taken, name: str) -> str:
    """``name``, or ``name 2``, ``name 3``, ... : the first that no class in ``taken`` has."""
    used = {n.casefold() for n in taken}
    out, i = name, 1
    while out.casefold() in used:
        i += 1
        out = f"{name} {i}"
    return out


@dataclass(frozen=True, eq=False)
class _Points:
    X: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    selected: int | None
    test: np.ndarray


@dataclass(frozen=True, eq=False)
class Explorer:
    """Points X (N, 2) with labels y (N,), class names, the selected sample, and the training state;
    ``test`` (N,) marks the held-out points, ``objective`` and ``delta`` name the loss in force.
    ``features`` (``core.features``) are the model's inputs: W is (K, D), one column per feature,
    and every step and number uses ``Phi`` = phi(X); the points stay in the plane."""

    X: np.ndarray
    y: np.ndarray
    names: tuple[str, ...]
    state: TrainState
    selected: int | None = None
    last: StepRecord | None = None
    undo_stack: tuple[_Points, ...] = field(default=(), repr=False)
    redo_stack: tuple[_Points, ...] = field(default=(), repr=False)
    test: np.ndarray | None = None  # (N,) bool, True for a held-out point; None or empty: none held out
    objective: str = "softmax"
    delta: float = 1.0
    features: tuple[str, ...] = PLANE

    def __post_init__(self):
        X = _ro(self.X, float).reshape(-1, 2)
        y = _ro(self.y, np.intp).reshape(-1)
        test = None if self.test is None or np.size(self.test) == 0 else self.test  # none held out
        test = _ro(np.zeros(len(y), bool) if test is None else test, bool).reshape(-1)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "test", test)
        object.__setattr__(self, "names", tuple(self.names))
        if len(X) != len(y):
            raise ValueError("X and y must have the same number of points")
        if len(test) != len(y):
            raise ValueError(f"the test mask must have one entry per point ({len(y)}), got {len(test)}")
        if self.objective not in LOSSES:
            raise ValueError(f"objective must be one of {LOSSES}, got {self.objective!r}")
        object.__setattr__(self, "delta", real(self.delta, "delta", what="hinge margin"))
        object.__setattr__(self, "features", feature_names(self.features))
        K = len(self.names)
        class_count(K)
        if len({n.casefold() for n in self.names}) != K:
            raise ValueError(f"class names must differ, got {list(self.names)}")
        if self.state.W.shape != (K, self.n_features):
            raise ValueError(f"W must have shape ({K}, {self.n_features}), one column per feature "
                             f"({', '.join(self.features)}), got {self.state.W.shape}")  # fmt: skip
        if len(y) and (y.min() < 0 or y.max() >= K):
            raise ValueError(f"labels must lie in [0, {K})")
        if self.selected is not None and not 0 <= self.selected < len(y):
            object.__setattr__(self, "selected", None)

    # ----- construction ---------------------------------------------------------------------
    @classmethod
    def new(cls, n_classes: int = 3, *, bias: bool = True, names=None) -> Explorer:
        names = tuple(names) if names is not None else DEFAULT_NAMES[:n_classes]
        return cls(np.zeros((0, 2)), np.zeros(0, np.intp), names, init_state(len(names), 2, bias=bias))

    def with_features(self, features, *, init: str = "zeros", seed: int = 0) -> Explorer:
        """The model on these features (``core.features``): W gets one column per feature, so the
        weights start afresh (``init``: zeros or random) and the training history with them (Step
        back starts here); the points and their Undo stay. The same features: this explorer."""
        features = feature_names(features)
        if features == self.features:
            return self
        state = init_state(self.n_classes, len(features), bias=self.state.has_bias,
                           init="random" if init == "random" else "zeros", seed=seed)  # fmt: skip
        return replace(self, features=features, state=state, last=None).remeasured()

    @classmethod
    def from_preset(
        cls, name: str, n: int, k: int, seed: int = 0, *, bias: bool = True, noise: float = 0.0, test: float = 0.0
    ) -> Explorer:
        """The preset's points (with extra jitter ``noise``), a fraction ``test`` of each class held
        out; all drawn from ``seed``."""
        X, y, k = datasets.make(name, n, k, seed, noise=noise)
        ex = cls.new(k, bias=bias)
        return replace(ex, X=X, y=y, test=datasets.split(len(y), test, seed, y)).remeasured()

    # ----- derived values -------------------------------------------------------------------
    @cached_property
    def Phi(self) -> np.ndarray:
        """phi(X) (N, D): the points as the model sees them (X itself for the plane's features)."""
        out = phi(self.X, self.features)
        if out is not self.X:
            out.flags.writeable = False
        return out

    @property
    def n_features(self) -> int:
        return len(self.features)

    @property
    def n_points(self) -> int:
        return len(self.y)

    @property
    def n_classes(self) -> int:
        return len(self.names)

    @property
    def current(self) -> int | None:
        """The sample shown in the bars and the math panel: the selected one, else the first."""
        if self.selected is not None:
            return self.selected
        return 0 if self.n_points else None

    @property
    def train_indices(self) -> np.ndarray:
        """The points steps may use: every point not held out."""
        return np.flatnonzero(~self.test)

    @property
    def n_test(self) -> int:
        return int(self.test.sum())

    def test_measure(self) -> tuple[float, float] | None:
        """(data loss, accuracy) of the weights on screen over the test points; None without any."""
        if not self.n_test:
            return None
        s, X, y = self.state, self.Phi[self.test], self.y[self.test]
        # Every Play frame's status line says it: the checked weights and points are not checked
        # again (train.measure is evaluate's kernel call); evaluate says why it cannot.
        m = measure(s.W[None], None if s.b is None else s.b[None], X, y, self.objective, self.delta)[0]
        if not np.all(np.isfinite(m)):
            return evaluate(s.W, s.b, X, y, objective=self.objective, delta=self.delta)
        return float(m[0]), float(m[1])

    def class_counts(self) -> np.ndarray:
        return np.bincount(self.y, minlength=self.n_classes)

    def bounds(self, min_half: float = 1.2, pad: float = 1.1):
        """The square view (x0, x1, y0, y1) centred on the origin, large enough for every point.

        Centred on the origin because that is where the weight rows start and, without a bias,
        where all decision boundaries meet; fixed while training so regions move, not the axes.
        """
        half = min_half
        if self.n_points:
            half = max(half, float(np.abs(self.X).max()) * pad)
        return (-half, half, -half, half)

    def remeasured(self) -> Explorer:
        """The state's loss and accuracy measured again, on the training points."""
        train = ~self.test
        return replace(self, state=self.state.measured(self.Phi[train], self.y[train], self.objective, self.delta))

    def with_test(self, test) -> Explorer:
        """These points held out (a mask (N,)): a new split, not a point edit (Undo keeps it apart).
        The last step's record is dropped: it may have used a point now held out."""
        return replace(self, test=test, last=None).remeasured()

    def with_objective(self, objective: str, delta: float = 1.0) -> Explorer:
        """The loss in force (a name of ``core.losses``, margin delta); the numbers are measured in it."""
        if (objective, float(delta)) == (self.objective, self.delta):
            return self
        return replace(self, objective=objective, delta=float(delta), last=None).remeasured()

    # ----- point edits (undoable) -----------------------------------------------------------
    def _snap(self) -> _Points:
        return _Points(self.X, self.y, self.names, self.selected, self.test)

    def _edited(self, X, y, test, *, names=None, selected=None) -> Explorer:
        names = self.names if names is None else tuple(names)
        undo = (*self.undo_stack, self._snap())[-UNDO_DEPTH:]
        state = self.state
        if len(names) != self.n_classes:
            state = _resized(state, len(names))
        ex = replace(
            self, X=X, y=y, test=test, names=names, selected=selected, state=state, last=None,
            undo_stack=undo, redo_stack=(),
        )  # fmt: skip
        return ex.remeasured()

    def add_point(self, x: float, y: float, label: int) -> Explorer:
        """A point of class ``label`` at (x, y); ValueError for non-finite or huge coordinates."""
        _check_coordinates(x, y)
        if not 0 <= int(label) < self.n_classes:
            raise ValueError(f"class {label} does not exist (there are {self.n_classes})")
        if self.n_points >= MAX_ROWS:
            raise ValueError(f"at most {MAX_ROWS:,} points")
        X = np.vstack([self.X, [[float(x), float(y)]]])
        return self._edited(X, np.append(self.y, int(label)), np.append(self.test, False), selected=self.selected)

    def move_point(self, i: int, x: float, y: float) -> Explorer:
        """Point i moved to (x, y), undoable; its class, its selection and every other point stay.
        IndexError for no point i; ValueError for a held-out point (a test point keeps its place:
        moving it would tune the test to the model) and for non-finite or huge coordinates."""
        if isinstance(i, bool) or not 0 <= i < self.n_points:
            raise IndexError(f"there is no point {i} (there are {self.n_points})")
        if self.test[i]:
            raise ValueError(f"point #{i} is a test point (held out): test points cannot be moved")
        _check_coordinates(x, y)
        X = np.array(self.X)
        X[i] = (float(x), float(y))
        return self._edited(X, self.y, self.test, selected=self.selected)

    def nearest(self, x: float, y: float, px_x: float, px_y: float, radius_px: float = 10.0) -> int | None:
        """Index of the point nearest to (x, y) within ``radius_px`` screen pixels, else None.

        ``px_x`` and ``px_y`` are the data units one pixel spans on each axis.
        """
        if self.n_points == 0 or not (px_x > 0 and px_y > 0):
            return None
        d2 = ((self.X[:, 0] - x) / px_x) ** 2 + ((self.X[:, 1] - y) / px_y) ** 2
        i = int(np.argmin(d2))
        return i if d2[i] <= radius_px**2 else None

    def erase_point(self, i: int) -> Explorer:
        if not 0 <= i < self.n_points:
            raise IndexError(f"no point {i}")
        keep = np.arange(self.n_points) != i
        sel = self.selected
        if sel is not None:
            sel = None if sel == i else sel - (sel > i)
        return self._edited(self.X[keep], self.y[keep], self.test[keep], selected=sel)

    def select(self, i: int | None) -> Explorer:
        """Make point i the selected sample (None: no selection). The last step's record is
        dropped, so nothing on screen mixes the step just taken with another sample."""
        if i is not None and (isinstance(i, bool) or not 0 <= i < self.n_points):
            raise IndexError(f"no point {i}")
        return replace(self, selected=None if i is None else int(i), last=None)

    def clear(self) -> Explorer:
        return self._edited(np.zeros((0, 2)), np.zeros(0, np.intp), np.zeros(0, bool))

    def with_points(self, X, y, names=None, test=None) -> Explorer:
        """Replace all points (an upload or a preset), undoable; class count follows ``names``;
        ``test`` marks held-out points (None: none)."""
        X = np.asarray(X, dtype=float).reshape(-1, 2)
        y = np.asarray(y, dtype=np.intp)
        names = tuple(self.names if names is None else names)
        if not np.all(np.isfinite(X)) or (len(X) and np.abs(X).max() > MAX_ABS):
            raise ValueError(f"coordinates must be finite and at most {MAX_ABS:g} in size")
        if len(y) and y.max() >= len(names):
            raise ValueError(f"label {int(y.max())} needs {int(y.max()) + 1} classes, there are {len(names)}")
        class_count(len(names))
        return self._edited(X, y, np.zeros(len(y), bool) if test is None else test, names=names)

    def undo(self) -> Explorer:
        if not self.undo_stack:
            return self
        s = self.undo_stack[-1]
        return self._restore(s, undo=self.undo_stack[:-1], redo=(*self.redo_stack, self._snap()))

    def redo(self) -> Explorer:
        if not self.redo_stack:
            return self
        s = self.redo_stack[-1]
        return self._restore(s, undo=(*self.undo_stack, self._snap()), redo=self.redo_stack[:-1])

    def _restore(self, s: _Points, undo, redo) -> Explorer:
        state = self.state if len(s.names) == self.n_classes else _resized(self.state, len(s.names))
        ex = replace(self, X=s.X, y=s.y, names=s.names, selected=s.selected, test=s.test, state=state, last=None,
                     undo_stack=undo, redo_stack=redo)  # fmt: skip
        return ex.remeasured()

    # ----- classes --------------------------------------------------------------------------
    def with_classes(self, k: int) -> Explorer:
        """k classes: new ones get default names and zero weights; removing a class removes its points."""
        class_count(k)
        if k == self.n_classes:
            return self
        names = list(self.names[:k])
        for m in range(self.n_classes, k):
            names.append(free_name(names, DEFAULT_NAMES[m]))
        keep = self.y < k
        sel = self.selected
        if sel is not None:
            sel = None if not keep[sel] else int(keep[:sel].sum())
        return self._edited(self.X[keep], self.y[keep], self.test[keep], names=names, selected=sel)

    def renamed(self, m: int, name: str) -> Explorer:
        """Class m named ``name`` (spaces trimmed); ValueError if another class has that name,
        since a CSV round trip would then merge the two classes."""
        names = list(self.names)
        new = shown_name(name, DEFAULT_NAMES[m])
        if any(new.casefold() == other.casefold() for k, other in enumerate(names) if k != m):
            raise ValueError(f"another class is already called {new!r}; class names must differ")
        names[m] = new
        return replace(self, names=tuple(names))

    # ----- training -------------------------------------------------------------------------
    def step(self, opt: Optimizer, n: int = 1) -> Explorer:
        """n steps with ``opt``, on the training points only. In "sample" mode with
        ``opt.order == "cyclic"``/"shuffle" the samples come from that order; use ``step_selected``
        for the clicked sample. The optimizer's loss becomes the loss in force.

        Raises ValueError with no (training) points; NonFiniteError (nothing changed) on divergence.
        """
        if self.n_points == 0:
            raise ValueError("no points: add some points before stepping")
        ex = self.with_objective(opt.loss, opt.delta)
        state, rec = run(ex.state, ex.Phi, ex.y, opt, n, focus=ex.current, train=ex.train_indices)
        return ex._trained(state, rec)  # the selection stays: the user chose it

    def step_selected(self, opt: Optimizer, n: int = 1) -> Explorer:
        """n single-sample steps on the current sample (the one picked in Select mode);
        HeldOutError if it is a test point."""
        if self.n_points == 0:
            raise ValueError("no points: add some points before stepping")
        ex = self.with_objective(opt.loss, opt.delta)
        opt = replace(opt, mode="sample")
        state, rec = run(ex.state, ex.Phi, ex.y, opt, n, index=ex.current, train=ex.train_indices)
        return ex._trained(state, rec)

    def step_frames(self, opt: Optimizer, per_frame: int, frames: int, *, selected: bool = False):
        """Play: ``frames`` calls of ``step(opt, per_frame)`` in a row (``step_selected`` with
        ``selected``), computed together (``chunk.run_chunk``). Returns the explorer after each,
        and the NonFiniteError ``step`` would have raised for the next (None if none would)."""
        if self.n_points == 0:
            raise ValueError("no points: add some points before stepping")
        ex = self.with_objective(opt.loss, opt.delta)
        where = {"focus": ex.current}
        if selected:
            opt, where = replace(opt, mode="sample"), {"index": ex.current}
        done, err = run_chunk(ex.state, ex.Phi, ex.y, opt, frames, per_frame, train=ex.train_indices, **where)
        return [ex._trained(state, rec) for state, rec in done], err

    def _trained(self, state: TrainState, last: StepRecord) -> Explorer:
        """This explorer after steps of its own: their state and last record. Nothing else
        changes, so nothing is checked or copied again (the points stay the very same arrays)."""
        new = copy.copy(self)
        object.__setattr__(new, "state", state)
        object.__setattr__(new, "last", last)
        return new

    def after_partial(self, err: NonFiniteError) -> Explorer:
        """The explorer as far as a refused run got (the steps before the refused one)."""
        if getattr(err, "steps_done", 0) and err.last_record is not None:
            return replace(self, state=err.last_good, last=err.last_record)
        return self

    def stepped_back(self) -> Explorer:
        return replace(self, state=step_back(self.state), last=None)

    def reset_weights(self, *, bias: bool | None = None, init: str = "zeros", seed: int = 0, start=None) -> Explorer:
        """Fresh weights: zeros, random (seeded), or with init "preset" the weights ``start`` = (W (K, 2),
        b (K,)) a preset starts from (b dropped without a bias; zeros when ``start`` is None or the
        features are not the plane's own: its W has a column per coordinate)."""
        bias = self.state.has_bias if bias is None else bias
        if init == "preset" and start is not None and self.features == PLANE:
            W, b = (np.array(v, dtype=float) for v in start)
            state = TrainState(W=W, b=b if bias else None)
        else:
            state = init_state(self.n_classes, self.n_features, bias=bias, init="zeros" if init == "preset" else init,
                               seed=seed)  # fmt: skip
        return replace(self, state=state, last=None).remeasured()

    def with_weights(self, W, b=None) -> Explorer:
        """Set W (K, D) and b (K,) by hand (a table edit); undoable with Step back."""
        W = np.asarray(W, dtype=float)
        if W.shape != (self.n_classes, self.n_features):
            raise ValueError(f"W must have shape ({self.n_classes}, {self.n_features}), got {W.shape}")
        if self.state.has_bias:
            b = np.zeros(self.n_classes) if b is None else np.asarray(b, dtype=float)
        else:
            b = None
        if not np.all(np.isfinite(W)) or (b is not None and not np.all(np.isfinite(b))):
            raise ValueError("weights must be finite numbers")
        if np.abs(W).max() > MAX_WEIGHT or (b is not None and np.abs(b).max(initial=0.0) > MAX_WEIGHT):
            raise ValueError(f"weights must lie within ±{MAX_WEIGHT:g}: larger ones cannot be drawn")
        return replace(self, state=self.state.with_weights(W, b), last=None).remeasured()

    def with_weight_edits(self, edits: dict) -> Explorer:
        """Apply table edits {row: {column: value}} to W and b (undoable with Step back); a column is
        a feature in force ("x1", "x1x2", ...), "w1" / "w2" (W's first and second columns) or "b".

        ValueError, naming the cell, for a value that is not a finite number or a column that
        does not exist (a "b" edit without a bias, a feature that is not on).
        """
        W = np.array(self.state.W)
        b = None if self.state.b is None else np.array(self.state.b)
        for row, change in edits.items():
            m = int(row)
            if not 0 <= m < self.n_classes:
                raise ValueError(f"there is no row {m}")
            for col, value in change.items():
                if not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise ValueError(f"row {m} ({self.names[m]}), {col}: {value!r} is not a finite number")
                j = self._column(col)
                if j is not None:
                    W[m, j] = value
                elif col == "b" and b is not None:
                    b[m] = value
                else:
                    raise ValueError(f"there is no column {col!r}")
        return self.with_weights(W, b)

    def _column(self, col) -> int | None:
        """W's column an edit names: a feature in force, or "w1" / "w2" (the first two); else None."""
        if col in self.features:
            return self.features.index(col)
        legacy = {"w1": 0, "w2": 1}.get(col)
        return legacy if legacy is not None and legacy < self.n_features else None

    # ----- saving and loading ---------------------------------------------------------------
    def to_json(self, settings: dict | None = None, *, compact: bool = False) -> str:
        """The whole state as JSON text: points, names, W, b, step count and the given settings
        (``compact``: no spaces or line breaks, for a link)."""
        doc = {
            "format": "linclass-state",
            "version": 1,
            "names": list(self.names),
            "points": {
                "x": self.X[:, 0].tolist(),
                "y": self.X[:, 1].tolist(),
                "label": self.y.tolist(),
                **({"test": self.test.tolist()} if self.n_test else {}),
            },
            "W": self.state.W.tolist(),
            "b": None if self.state.b is None else self.state.b.tolist(),
            "step": self.state.step,
            "cursor": self.state.cursor,
            "selected": self.selected,
            "settings": self._saved_settings(settings),
        }
        return json.dumps(doc, separators=(",", ":")) if compact else json.dumps(doc, indent=1)

    def _saved_settings(self, settings) -> dict:
        """The saved settings, with the model's own features (the file reads W's width off them)."""
        out = dict(settings or {})
        if "features" in out or self.features != PLANE:
            out["features"] = feature_text(self.features)
        return out

    @classmethod
    def from_json(cls, text) -> tuple[Explorer, dict]:
        """(explorer, settings) from ``to_json`` text; StateFileError names what is wrong.

        The file is checked by ``statefile.parse_state`` (bounded, then one table of fields)."""
        doc = parse_state(text)
        try:
            ex = cls(
                doc.X,
                doc.y,
                doc.names,
                TrainState(W=doc.W, b=doc.b, step=doc.step, cursor=doc.cursor),
                selected=doc.selected,
                test=doc.test,
                features=doc.features,
            )
        except ValueError as err:
            raise StateFileError(str(err)) from None
        return ex.remeasured(), dict(doc.settings)


def _check_coordinates(x, y) -> None:
    """ValueError naming the coordinate that is not a finite number within ±MAX_ABS."""
    for v, nm in ((x, "x"), (y, "y")):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"{nm} = {v!r} is not a finite number")
        if abs(v) > MAX_ABS:
            raise ValueError(f"{nm} = {v:g} is out of range (|{nm}| <= {MAX_ABS:g})")


def _resized(state: TrainState, k: int) -> TrainState:
    """The state with k rows: rows kept where they exist, zeros for new classes; history dropped."""
    K = state.n_classes
    W = np.zeros((k, state.W.shape[1]))
    W[: min(k, K)] = state.W[: min(k, K)]
    b = None
    if state.b is not None:
        b = np.zeros(k)
        b[: min(k, K)] = state.b[: min(k, K)]
    return TrainState(W=W, b=b, step=state.step)
