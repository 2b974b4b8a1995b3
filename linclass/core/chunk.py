"""Play's steps: many ``train.run`` calls in a row, checked once and finished together.

``run_chunk(state, X, y, opt, frames, per_frame)`` gives, number for number, what ``frames``
calls of ``run(state, X, y, opt, per_frame)`` in a row give, each from the state the last one
left. Only the step itself (one loss-and-gradient kernel call, the update) runs step by step,
on arguments checked once for the chunk and a sample order drawn in one call. The rest of what a
step records needs nothing from the next step, so it is computed for all of the chunk's steps in
one stack, each number the very float the step alone gives: each state's loss and accuracy on the
training points (``train.measure``), the objective after each step (``train.objective_after``),
the focus sample's p before and after it (``_focus_probs``).

A step that would go non-finite is taken once more by ``train.step`` from the last good state,
so the error, its message and its ``steps_done``/``last_good``/``last_record`` are run's own.
"""

from __future__ import annotations

import numpy as np

from .checks import whole
from .model import NonFiniteError
from .train import (
    Optimizer,
    StepRecord,
    TrainState,
    _data,
    _index,
    _pool,
    _training,
    descend,
    focus_probabilities,
    measure,
    objective_after,
    sample_order,
    step,
)

__all__ = ["run_chunk"]


def run_chunk(state: TrainState, X, y, opt: Optimizer, frames: int, per_frame: int = 1, *, focus=None, index=None,
              train=None):  # fmt: skip
    """``frames`` runs of ``per_frame`` steps (the arguments as ``run``'s); returns (frames done, error):
    [(state, record)] after each run, and None, or the NonFiniteError of the run that stopped,
    with the runs before it. Bad arguments raise as ``run`` raises them."""
    frames, per_frame = whole(frames, "frames", 1), whole(per_frame, "per_frame", 1)
    if not isinstance(opt, Optimizer):
        raise ValueError(f"opt must be an Optimizer, got {type(opt).__name__}")
    X, y = _data(state, X, y)
    pool = _pool(train, len(y))
    plan = _plan(state.cursor, opt, frames * per_frame, pool, len(y), focus=focus, index=index)
    raw = _arithmetic(state.W, state.b, X, y, opt, plan)
    Ws = np.array([r[0] for r in raw]).reshape(len(raw), *state.W.shape)  # (S, K, D)
    bs = None if state.b is None else np.array([r[1] for r in raw]).reshape(len(raw), len(state.b))  # (S, K)
    loss_after, finite = _objective_after(Ws, bs, X, y, opt, plan[: len(raw)])
    measured = measure(Ws, bs, X[pool], y[pool], opt.loss, opt.delta)  # (S, 2)
    p_before, p_after, probs_finite = _focus_probs(state, Ws, bs, X, plan[: len(raw)])
    finite &= probs_finite & np.all(np.isfinite(measured), axis=1)
    good = len(raw) if finite.all() else int(np.argmin(finite))  # the steps before the first refused
    raw = [(*r, loss_after[t], p_before[t], p_after[t]) for t, r in enumerate(raw[:good])]
    states, records = _made(state, opt, raw, plan[:good], measured[:good].tolist())
    done = [(states[t], records[t]) for t in range(per_frame - 1, good, per_frame)]
    if good == len(plan):
        return done, None
    return done, _refused(state, X, y, opt, states, records, per_frame, focus=focus, index=index, train=train)


def _plan(cursor: int, opt: Optimizer, S: int, pool, n: int, *, focus, index) -> list[tuple]:
    """(samples, focus, cursor after) of each of the S steps, as ``train.step`` picks them."""
    if opt.mode == "sample" and index is not None:
        i = _training(_index(index, n, "i"), pool)
        return [(np.array([i]), i, cursor) for _ in range(S)]
    if opt.mode == "sample":
        order = pool[sample_order(cursor, S, len(pool), opt.order, opt.seed)]
        return [(order[t : t + 1], int(order[t]), cursor + t + 1) for t in range(S)]
    focus = _index(focus, n, "focus")
    if opt.mode == "minibatch":
        B = min(opt.batch_size, len(pool))
        order = pool[sample_order(cursor, S * B, len(pool), opt.order, opt.seed)]
        return [(order[t * B : (t + 1) * B], focus, cursor + (t + 1) * B) for t in range(S)]
    return [(pool, focus, cursor)] * S


def _arithmetic(W, b, X, y, opt: Optimizer, plan) -> list[tuple]:
    """``train.descend`` for each planned step in turn, until one would be refused:
    (W_after, b_after, dW, db, loss_before) each. (The objective after each step needs nothing
    from the next: ``_objective_after`` computes it for all of them.)"""
    out, data = [], (None, None, None)
    for idx, _, _ in plan:
        if data[0] is not idx:  # a batch step takes the same samples every time
            data = (idx, X[idx], y[idx])
        try:
            loss_before, dW, db, W_after, b_after = descend(W, b, data[1], data[2], opt)
        except NonFiniteError:
            break
        out.append((W_after, b_after, dW, db, loss_before))
        W, b = W_after, b_after
    return out


def _objective_after(Ws, bs, X, y, opt: Optimizer, plan) -> tuple[list, np.ndarray]:
    """Each step's objective after it (its samples, W after, the L2 term), for all the steps at
    once, as floats; and which steps the kernel would accept."""
    S = len(plan)
    if S == 0:
        return [], np.ones(0, bool)
    idx = [i for i, _, _ in plan]
    if all(i is idx[0] for i in idx):  # a batch: the same samples for every state, not copied S times
        Xs, ys = X[idx[0]], y[idx[0]]
    else:
        Xs, ys = X[np.stack(idx)], y[np.stack(idx)]  # (S, B, D), (S, B)
    loss, finite = objective_after(Ws, bs, Xs, ys, opt)
    return loss.tolist(), finite


def _focus_probs(state: TrainState, Ws, bs, X, plan) -> tuple[list, list, np.ndarray]:
    """p of each step's focus sample before and after the step, for all the steps at once (None
    without a focus); and which steps' scores are finite."""
    S = len(plan)
    if S == 0 or plan[0][1] is None:  # the steps of a chunk all have a focus, or none has
        return [None] * S, [None] * S, np.ones(S, bool)
    x = X[[foc for _, foc, _ in plan]][:, None, :]  # each step's focus sample        (S, 1, D)
    W0, b0 = np.concatenate([state.W[None], Ws[:-1]]), None if bs is None else np.concatenate([state.b[None], bs[:-1]])
    before, ok_before = focus_probabilities(W0, b0, x)
    after, ok_after = focus_probabilities(Ws, bs, x)
    return list(before[:, 0]), list(after[:, 0]), ok_before[:, 0] & ok_after[:, 0]


def _made(state: TrainState, opt: Optimizer, raw, plan, measured) -> tuple[list, list]:
    """The states and records of the good steps, as ``train._apply`` makes them, in turn."""
    lr, reg = opt.lr, opt.reg
    states, records, prev = [], [], state
    for (W, b, dW, db, loss_before, loss_after, p_before, p_after), (idx, foc, cursor), (loss, acc) in zip(
            raw, plan, measured, strict=True):  # fmt: skip
        new = TrainState.after_step(prev, W, b, cursor, loss, acc)
        records.append(StepRecord(mode=opt.mode, indices=idx, focus=foc, lr=lr, reg=reg, W_before=prev.W,
                                  b_before=prev.b, W_after=new.W, b_after=new.b, dW=dW, db=db, p_before=p_before,
                                  p_after=p_after, loss_before=loss_before, loss_after=loss_after, objective=opt.loss,
                                  delta=opt.delta, penalty=opt.penalty))  # fmt: skip
        states.append(prev := new)
    return states, records


def _refused(state, X, y, opt, states, records, per_frame: int, **where) -> NonFiniteError:
    """The error ``run`` raises for the first step ``_arithmetic`` or the measure refused: that
    step taken again by ``train.step``, with ``run``'s account of how far its run got."""
    t = len(states)
    prev = states[-1] if states else state
    f = where["focus"] if opt.mode != "sample" else None
    try:
        step(prev, X, y, opt, index=where["index"], focus=f, train=where["train"])
    except NonFiniteError as err:
        done = t % per_frame
        err.steps_done, err.last_good, err.last_record = done, prev, records[-1] if done else None
        return err
    raise AssertionError(f"step {prev.step + 1} was refused in a chunk but not on its own")  # a bug, not input
