"""Gradient descent on the linear classifier, as immutable values.

A ``TrainState`` holds W, b, the step count, a cursor into the sample order and a bounded
history of earlier states (for Step back and the loss/accuracy curves). A step never changes a
state: it returns a new one and a ``StepRecord`` with everything needed to draw that step
(W before and after, so an update arrow is just ``W_before -> W_after``).

Three modes share one update, w' = w - lr * grad:
  * "sample":    the derivation's L_i, one sample (by index, or the next in a cyclic or shuffled order);
  * "minibatch": the mean loss over the next ``batch_size`` samples of the order;
  * "batch":     the mean loss over all samples.

The loss is the optimizer's, one of ``core.losses`` (softmax cross-entropy, the derivation's, or
one of three SVM losses), with the L2 term in the optimizer's convention; every number comes from
the one kernel, ``core.objective``. A step may be told which points are
training points (``train``, indices): the sample order and the batches then run over those
only, and the state's loss and accuracy are measured on them; the others are held out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from . import objective as kernel
from .checks import indices as check_indices
from .checks import l2_strength, margin, penalty_convention, real, whole
from .limits import MAX_WEIGHT
from .losses import LOSSES as LOSS_MODULES
from .losses.softmax import probabilities
from .model import NonFiniteError, check_data, check_model, loss_name, raise_unless_finite

__all__ = [
    "LOSSES",
    "MODES",
    "HeldOutError",
    "ORDERS",
    "Optimizer",
    "Snapshot",
    "StepRecord",
    "TrainState",
    "init_state",
    "evaluate",
    "evaluate_stack",
    "step",
    "step_sample",
    "step_minibatch",
    "step_batch",
    "step_back",
    "run",
    "sample_order",
]

MODES = ("sample", "minibatch", "batch")
ORDERS = ("cyclic", "shuffle")
LOSSES = tuple(LOSS_MODULES)  # "softmax", "hinge", "ova", "structured"
HISTORY = 2000


class HeldOutError(ValueError):
    """A step was asked to use a held-out (test) point: steps use training points only."""


def _frozen(a):
    if a is None:
        return None
    a = np.array(a, dtype=float)  # a private copy
    a.flags.writeable = False
    return a


def _rate(lr, reg) -> tuple[float, float]:
    return real(lr, "lr", what="learning rate"), l2_strength(reg)


@dataclass(frozen=True)
class Snapshot:
    """An earlier state: enough to step back to it and to plot its loss and accuracy."""

    W: np.ndarray
    b: np.ndarray | None
    step: int
    cursor: int
    loss: float | None
    accuracy: float | None


@dataclass(frozen=True, eq=False)
class TrainState:
    """W (K, D), b (K,) or None, the number of steps taken, and the position in the sample order.

    ``loss`` (the mean data loss of the objective in force, without the L2 penalty) and ``accuracy``
    are over the training points when this state was made (None until a step or ``measured`` has
    measured them).
    ``history`` holds at most ``max_history`` earlier states, oldest first.
    """

    W: np.ndarray
    b: np.ndarray | None = None
    step: int = 0
    cursor: int = 0
    loss: float | None = None
    accuracy: float | None = None
    history: tuple[Snapshot, ...] = field(default=(), repr=False)
    max_history: int = HISTORY

    def __post_init__(self):
        W, b = check_model(self.W, self.b)
        for name in ("step", "cursor", "max_history"):
            whole(getattr(self, name), name, 0)
        object.__setattr__(self, "W", _frozen(W))
        object.__setattr__(self, "b", _frozen(b))

    @classmethod
    def after_step(cls, prev: TrainState, W, b, cursor: int, loss: float, accuracy: float) -> TrainState:
        """The state a step makes from ``prev``: its fields are the step's own, already checked, so
        they are not checked again (a step checks its arguments once, at the door)."""
        new = object.__new__(cls)
        fields = {"W": _frozen(W), "b": _frozen(b), "step": prev.step + 1, "cursor": cursor, "loss": loss,
                  "accuracy": accuracy, "history": prev._pushed(), "max_history": prev.max_history}  # fmt: skip
        for name, value in fields.items():
            object.__setattr__(new, name, value)
        return new

    @property
    def n_classes(self) -> int:
        return self.W.shape[0]

    @property
    def has_bias(self) -> bool:
        return self.b is not None

    def snapshot(self) -> Snapshot:
        return Snapshot(self.W, self.b, self.step, self.cursor, self.loss, self.accuracy)

    def curve(self):
        """(steps, losses, accuracies) over the kept history and this state, NaN where unmeasured."""
        snaps = [*self.history, self.snapshot()]
        nan = float("nan")
        return (
            np.array([s.step for s in snaps]),
            np.array([nan if s.loss is None else s.loss for s in snaps]),
            np.array([nan if s.accuracy is None else s.accuracy for s in snaps]),
        )

    def with_weights(self, W, b=None) -> TrainState:
        """A new state with these weights; the current one goes into the history (undoable)."""
        return replace(self, W=W, b=b, loss=None, accuracy=None, history=self._pushed(), step=self.step)

    def measured(self, X, y, objective: str = "softmax", delta: float = 1.0) -> TrainState:
        """This state with its data loss (cross-entropy, or the hinge loss with margin ``delta``) and
        accuracy measured on (X, y); None if there are no points."""
        if len(y) == 0:
            return replace(self, loss=None, accuracy=None)
        loss, acc = evaluate(self.W, self.b, X, y, objective=objective, delta=delta)
        return replace(self, loss=loss, accuracy=acc)

    def _pushed(self) -> tuple[Snapshot, ...]:
        h = (*self.history, self.snapshot())
        return h[-self.max_history :] if self.max_history > 0 else ()


def init_state(
    n_classes: int,
    n_features: int = 2,
    *,
    bias: bool = True,
    init: str = "zeros",
    seed: int = 0,
    scale: float = 0.5,
) -> TrainState:
    """A fresh state: W and b all zeros, or drawn from N(0, scale^2) with a seeded generator.

    ValueError, naming the argument, unless n_classes and n_features are whole numbers >= 1,
    seed a whole number >= 0 and scale a finite number >= 0.
    """
    n_classes, n_features = whole(n_classes, "n_classes", 1), whole(n_features, "n_features", 1)
    seed, scale = whole(seed, "seed", 0), real(scale, "scale")
    if init == "zeros":
        W = np.zeros((n_classes, n_features))
        b = np.zeros(n_classes) if bias else None
    elif init == "random":
        rng = np.random.default_rng(seed)
        W = rng.normal(0.0, scale, (n_classes, n_features))
        b = rng.normal(0.0, scale, n_classes) if bias else None
    else:
        raise ValueError(f"init must be 'zeros' or 'random', got {init!r}")
    return TrainState(W=W, b=b)


def evaluate(W, b, X, y, reg: float = 0.0, *, objective: str = "softmax", delta: float = 1.0,
             penalty: str = "half"):  # fmt: skip
    """(loss, accuracy) of the model on (X, y), the loss that of ``objective`` (a name of
    ``core.losses``, with margin ``delta``) plus the L2 term. A sample counts as correct only when
    its true class's score is strictly the largest: a tie (all-zero weights, say) counts as wrong."""
    W, b, X, y = check_data(W, b, X, y)
    o = kernel.objective(loss_name(objective), W, b, X, y, reg=l2_strength(reg), grad=False, accuracy=True,
                         penalty_convention=penalty_convention(penalty), delta=margin(delta))  # fmt: skip
    raise_unless_finite(o)
    return float(o.loss), float(o.accuracy)


def evaluate_stack(Ws, bs, X, y, *, objective: str = "softmax", delta: float = 1.0) -> np.ndarray:
    """``evaluate`` (reg 0) for many weights at once: Ws (S, K, D), bs (S, K) or None; returns
    (S, 2), each row (data loss, accuracy) on (X, y). For the loss curves of a whole history."""
    Ws = np.asarray(Ws, dtype=float)
    bs = None if bs is None else np.asarray(bs, dtype=float)
    _, _, X, y = check_data(Ws[0], None if bs is None else bs[0], X, y)
    out = measure(Ws, bs, X, y, loss_name(objective), margin(delta))
    if not np.all(np.isfinite(out)):
        raise NonFiniteError("a loss of the history is not finite: the scores overflow")
    return out


def measure(Ws, bs, X, y, objective: str, delta: float) -> np.ndarray:
    """(S, 2): each state's (data loss, accuracy) on (X, y), NaN where a score or the loss
    overflows; the arguments are trusted (checked at the door)."""
    o = kernel.objective(objective, Ws, bs, X, y, delta=delta, grad=False, accuracy=True)
    out = np.column_stack([o.data_loss, o.accuracy])
    out[~o.finite] = np.nan
    return out


@dataclass(frozen=True, eq=False)
class StepRecord:
    """What one step did: which samples, the weights before and after, the gradient, and
    for the focus sample (the single sample, or the one the user picked) p before and after.
    ``loss_before``/``loss_after`` are the step's own objective (its samples, with the penalty);
    ``objective``, ``delta`` and ``penalty`` say which loss that is (a name of ``core.losses``, its
    margin, the L2 convention)."""

    mode: str
    indices: np.ndarray
    focus: int | None
    lr: float
    reg: float
    W_before: np.ndarray
    b_before: np.ndarray | None
    W_after: np.ndarray
    b_after: np.ndarray | None
    dW: np.ndarray
    db: np.ndarray | None
    p_before: np.ndarray | None
    p_after: np.ndarray | None
    loss_before: float
    loss_after: float
    objective: str = "softmax"
    delta: float = 1.0
    penalty: str = "half"

    @property
    def update(self) -> np.ndarray:
        """-lr * dW: the arrow each row w_m moves along, shape (K, D)."""
        return self.W_after - self.W_before


@dataclass(frozen=True)
class Optimizer:
    """Settings of a step: mode, learning rate, L2 strength, batch size, sample order, and the loss
    (a name of ``core.losses``, with margin ``delta``) and the L2 convention ("half": 1/2 reg ||W||^2,
    "full": reg ||W||^2)."""

    mode: str = "sample"
    lr: float = 0.1
    reg: float = 0.0
    batch_size: int = 16
    order: str = "cyclic"
    seed: int = 0
    loss: str = "softmax"
    delta: float = 1.0
    penalty: str = "half"

    def __post_init__(self):
        if not (isinstance(self.mode, str) and self.mode in MODES):
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if not (isinstance(self.order, str) and self.order in ORDERS):
            raise ValueError(f"order must be one of {ORDERS}, got {self.order!r}")
        lr, reg = _rate(self.lr, self.reg)
        object.__setattr__(self, "lr", lr)  # checked once, here: a step trusts its optimizer
        object.__setattr__(self, "reg", reg)
        whole(self.batch_size, "batch_size", 1)
        whole(self.seed, "seed", 0)
        loss_name(self.loss)
        object.__setattr__(self, "delta", margin(self.delta))
        penalty_convention(self.penalty)

    def next_indices(self, cursor: int, n: int) -> np.ndarray:
        """The samples the step at position ``cursor`` of the order takes from n points."""
        if n < 1:
            raise ValueError("no points to take samples from")
        if self.mode == "sample":
            return _order(cursor, 1, n, self.order, self.seed)
        if self.mode == "minibatch":
            return _order(cursor, min(self.batch_size, n), n, self.order, self.seed)
        return np.arange(n)


def sample_order(cursor: int, count: int, n: int, order: str = "cyclic", seed: int = 0):
    """Indices ``cursor, cursor+1, ..., cursor+count-1`` of the endless sample order over n points.

    "cyclic" is 0, 1, ..., n-1, 0, 1, ...; "shuffle" visits a fresh seeded permutation each epoch.
    """
    if whole(n, "n", 0) < 1:
        raise ValueError("no points to take samples from")
    cursor, count, seed = whole(cursor, "cursor", 0), whole(count, "count", 0), whole(seed, "seed", 0)
    if not (isinstance(order, str) and order in ORDERS):
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    return _order(cursor, count, n, order, seed)


def _order(cursor: int, count: int, n: int, order: str, seed: int) -> np.ndarray:
    """``sample_order`` on arguments already checked (an Optimizer's, a state's cursor)."""
    pos = np.arange(cursor, cursor + count)
    if order == "cyclic":
        return pos % n
    epochs = pos // n
    out = np.empty(count, dtype=np.intp)
    for e in np.unique(epochs):
        perm = np.random.default_rng([seed, int(e)]).permutation(n)
        sel = epochs == e
        out[sel] = perm[pos[sel] % n]
    return out


def _data(state: TrainState, X, y):
    """X (N, D) and y (N,) checked against the state's W; ValueError if there are no points."""
    _, _, X, y = check_data(state.W, state.b, X, y, empty="no points: add some points before stepping")
    return X, y


def _pool(train, n: int) -> np.ndarray:
    """The training points' indices, sorted (all n when ``train`` is None); ValueError if none."""
    if train is None:
        return np.arange(n)
    if np.size(train) == 0:
        raise HeldOutError("no training points: every point is held out as a test point")
    return np.unique(check_indices(train, "train", n))


def _training(i: int, pool: np.ndarray) -> int:
    """``i``, unless it is held out (HeldOutError)."""
    if not np.any(pool == i):
        raise HeldOutError(f"sample #{i} is a test point: steps use training points only")
    return i


def descend(W, b, Xs, ys, opt: Optimizer):
    """One gradient step on the samples (Xs, ys), arguments trusted: (objective before, dW, db,
    W after, b after); NonFiniteError naming what overflowed if the step cannot be taken."""
    o = kernel.objective(opt.loss, W, b, Xs, ys, reg=opt.reg, penalty_convention=opt.penalty, delta=opt.delta)
    raise_unless_finite(o, W, b, Xs)
    with np.errstate(over="ignore", invalid="ignore"):
        W_after = W - opt.lr * o.dW
        b_after = None if b is None else b - opt.lr * o.db
    if not (np.all(np.isfinite(W_after)) and (b_after is None or np.all(np.isfinite(b_after)))):
        raise NonFiniteError("the new weights overflow")
    if np.abs(W_after).max() > MAX_WEIGHT or (b_after is not None and np.abs(b_after).max() > MAX_WEIGHT):
        raise NonFiniteError(f"the new weights would pass {MAX_WEIGHT:g}, beyond what the explorer can draw")
    return float(o.loss), o.dW, o.db, W_after, b_after


def objective_after(Ws, bs, Xs, ys, opt: Optimizer) -> tuple[np.ndarray, np.ndarray]:
    """(objective, finite) of each state (leading shape) on its own samples, arguments trusted."""
    o = kernel.objective(opt.loss, Ws, bs, Xs, ys, reg=opt.reg, penalty_convention=opt.penalty, delta=opt.delta,
                         grad=False)  # fmt: skip
    return o.loss, o.finite


def focus_probabilities(Ws, bs, x) -> tuple[np.ndarray, np.ndarray]:
    """softmax of the scores of one sample x (D,) under each state (leading shape), and where the
    scores are finite."""
    with np.errstate(over="ignore", invalid="ignore"):
        f = kernel.scores(Ws, bs, x)  # (..., K)
    finite = np.isfinite(f).all(axis=-1)
    return probabilities(np.where(finite[..., None], f, 0.0)), finite


def _refusal(err: NonFiniteError, opt: Optimizer) -> NonFiniteError:
    cure = "lower the learning rate" + (" or the L2 strength" if opt.reg > 0 else "")
    return NonFiniteError(f"step refused: {err} (learning rate {opt.lr:g}, L2 strength {opt.reg:g}); {cure}. "
                          "The weights are unchanged.")  # fmt: skip


def _apply(state: TrainState, X, y, idx, opt: Optimizer, focus, cursor, pool) -> tuple[TrainState, StepRecord]:
    """The step ``opt`` says on samples ``idx`` of the checked data (X, y); measured on ``pool``."""
    W, b = state.W, state.b
    Xs, ys = X[idx], y[idx]
    try:
        loss_before, dW, db, W_after, b_after = descend(W, b, Xs, ys, opt)
        loss_after, ok = objective_after(W_after, b_after, Xs, ys, opt)
        (loss, acc), = measure(W_after[None], None if b is None else b_after[None], X[pool], y[pool], opt.loss,
                               opt.delta).tolist()  # fmt: skip
        p = focus_probabilities(np.stack([W, W_after]), None if b is None else np.stack([b, b_after]),
                                X[focus if focus is not None else 0])  # fmt: skip
        if not (ok and np.isfinite(loss) and p[1].all()):
            raise NonFiniteError("the loss after the step overflows")
    except NonFiniteError as err:
        raise _refusal(err, opt) from None
    new = TrainState.after_step(state, W_after, b_after, cursor, loss, acc)
    rec = StepRecord(mode=opt.mode, indices=np.asarray(idx), focus=focus, lr=opt.lr, reg=opt.reg, W_before=W,
                     b_before=b, W_after=new.W, b_after=new.b, dW=dW, db=db,
                     p_before=None if focus is None else p[0][0], p_after=None if focus is None else p[0][1],
                     loss_before=loss_before, loss_after=float(loss_after), objective=opt.loss,
                     delta=float(opt.delta), penalty=opt.penalty)  # fmt: skip
    return new, rec


def _index(i, n, name: str) -> int | None:
    """A sample index in [0, n) (IndexError outside it), or None for None."""
    if i is None:
        return None
    i = whole(i, name)
    if not 0 <= i < n:
        raise IndexError(f"{name}: sample index {i} outside [0, {n})")
    return i


def step_sample(state, X, y, i: int, lr: float, reg: float = 0.0):
    """One step on the derivation's L_i for sample i; returns (new_state, record)."""
    X, y = _data(state, X, y)
    i = _index(i, len(y), "i")
    return _apply(state, X, y, np.array([i]), _opt("sample", lr, reg), i, state.cursor, np.arange(len(y)))


def step_minibatch(state, X, y, indices, lr: float, reg: float = 0.0, focus: int | None = None):
    """One step on the mean loss over ``indices`` (whole numbers; a boolean mask is refused);
    returns (new_state, record)."""
    X, y = _data(state, X, y)
    idx = check_indices(indices, "indices", len(y))
    focus = _index(focus, len(y), "focus")
    return _apply(state, X, y, idx, _opt("minibatch", lr, reg), focus, state.cursor, np.arange(len(y)))


def step_batch(state, X, y, lr: float, reg: float = 0.0, focus: int | None = None):
    """One full-batch step on the mean loss over all samples; returns (new_state, record)."""
    X, y = _data(state, X, y)
    every = np.arange(len(y))
    return _apply(state, X, y, every, _opt("batch", lr, reg), _index(focus, len(y), "focus"), state.cursor, every)


def _opt(mode: str, lr, reg) -> Optimizer:
    _rate(lr, reg)  # named errors for lr and reg, before the Optimizer's own
    return Optimizer(mode=mode, lr=lr, reg=reg)


def step(state: TrainState, X, y, opt: Optimizer, *, index=None, focus=None, train=None):
    """One step as ``opt`` says; returns (new_state, record).

    ``train`` (indices; None: every point) are the points steps may use: the sample order and the
    batches run over them only, and the new state is measured on them. In "sample" mode ``index``
    picks the sample (a held-out one raises HeldOutError); without it the next training sample of
    ``opt.order`` is taken and the cursor advances. In the batch modes ``focus`` (any point) names
    the sample whose probabilities the record reports. Raises NonFiniteError (state unchanged) if
    the step would produce NaN or infinity, ValueError if there are no (training) points.
    """
    if not isinstance(opt, Optimizer):
        raise ValueError(f"opt must be an Optimizer, got {type(opt).__name__}")
    X, y = _data(state, X, y)
    n = len(y)
    pool = _pool(train, n)
    if opt.mode == "sample":
        if index is not None:
            i = _training(_index(index, n, "i"), pool)
            return _apply(state, X, y, np.array([i]), opt, i, state.cursor, pool)
        idx = pool[opt.next_indices(state.cursor, len(pool))]
        return _apply(state, X, y, idx, opt, int(idx[0]), state.cursor + 1, pool)
    focus = _index(focus, n, "focus")
    if opt.mode == "minibatch":
        idx = pool[opt.next_indices(state.cursor, len(pool))]
        return _apply(state, X, y, idx, opt, focus, state.cursor + len(idx), pool)
    return _apply(state, X, y, pool, opt, focus, state.cursor, pool)


def run(state: TrainState, X, y, opt: Optimizer, n_steps: int, *, focus=None, index=None, train=None):
    """``n_steps`` steps in a row (in "sample" mode all on sample ``index`` if given; on the points
    ``train`` only, if given); returns (final_state, last_record).

    Stops at the first refused step by raising NonFiniteError, whose ``last_good``,
    ``last_record`` and ``steps_done`` attributes say how far the run got.
    """
    whole(n_steps, "n_steps", 1)
    rec = None
    f = focus if opt.mode != "sample" else None
    for done in range(n_steps):
        try:
            state, rec = step(state, X, y, opt, index=index, focus=f, train=train)
        except NonFiniteError as err:
            err.steps_done, err.last_good, err.last_record = done, state, rec
            raise
    return state, rec


def step_back(state: TrainState) -> TrainState:
    """The state before the last step or weight edit; ValueError if there is none."""
    if not state.history:
        raise ValueError("nothing to step back to")
    s = state.history[-1]
    return replace(
        state,
        W=s.W,
        b=s.b,
        step=s.step,
        cursor=s.cursor,
        loss=s.loss,
        accuracy=s.accuracy,
        history=state.history[:-1],
    )
