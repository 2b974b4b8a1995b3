"""Play's steps: many ``train.run`` calls in a row, checked once and finished together.

``run_chunk(state, X, y, opt, frames, per_frame)`` gives, number for number, what ``frames``
calls of ``run(state, X, y, opt, per_frame)`` in a row give, each from the state the last one
left. Only the step itself (one loss-and-gradient kernel call, the update) runs step by step,
on arguments checked once for the chunk and a sample order drawn in one call. The rest of what a
step records needs nothing from the next step, so it is computed for all of the chunk's steps in
one stack, each number the very float the step alone gives: each state's loss and accuracy on the
training points (``measure.measure_many``), the objective after each step (``objective_many``),
the focus sample's p before and after it (``_focus_probs``).

A step that would go non-finite is taken once more by ``train.step`` from the last good state,
so the error, its message and its ``steps_done``/``last_good``/``last_record`` are run's own.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .checks import real, whole
from .hinge import hinge_loss_and_grad_unchecked
from .measure import CELLS, measure_many
from .model import BLOCK, NonFiniteError, loss_and_grad_unchecked
from .objective_many import objective_many
from .train import Optimizer, StepRecord, TrainState, _data, _index, _pool, _rate, _training, sample_order, step

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
    measured = measure_many(Ws, bs, X[pool], y[pool], opt.loss, real(opt.delta, "delta"))  # (S, 2)
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
    """``train._apply``'s step for each planned step in turn, until one would be refused:
    (W_after, b_after, dW, db, loss_before) each. (The objective after each step needs nothing
    from the next: ``_objective_after`` computes it for all of them.)"""
    lr, reg = _rate(opt.lr, opt.reg)
    kernel = loss_and_grad_unchecked
    if opt.loss == "hinge":
        kernel = partial(hinge_loss_and_grad_unchecked, delta=real(opt.delta, "delta"))
    out, data = [], (None, None, None)
    with np.errstate(all="ignore"):
        for idx, _, _ in plan:
            if data[0] is not idx:  # a batch step takes the same samples every time
                data = (idx, X[idx], y[idx])
            try:
                loss_before, dW, db = kernel(W, b, data[1], data[2], reg)
            except NonFiniteError:
                break
            W_after = W - lr * dW
            b_after = None if b is None else b - lr * db
            if not (np.all(np.isfinite(W_after)) and (b_after is None or np.all(np.isfinite(b_after)))):
                break
            out.append((W_after, b_after, dW, db, loss_before))
            W, b = W_after, b_after
    return out


def _objective_after(Ws, bs, X, y, opt: Optimizer, plan) -> tuple[list, np.ndarray]:
    """Each step's objective after it (its samples, W after, the L2 term), for all the steps at
    once, as floats; and which steps the kernel would accept (``objective_many``)."""
    S = len(plan)
    if S == 0:
        return [], np.ones(0, bool)
    idx = [i for i, _, _ in plan]
    if all(i is idx[0] for i in idx):  # a batch: the same samples every step, not copied S times
        Xs, ys = np.broadcast_to(X[idx[0]], (S, len(idx[0]), X.shape[1])), np.broadcast_to(y[idx[0]], (S, len(idx[0])))
    else:
        Xs, ys = X[np.stack(idx)], y[np.stack(idx)]  # (S, B, D), (S, B)
    _, reg = _rate(opt.lr, opt.reg)
    per = max(1, CELLS // (Ws.shape[1] * min(Xs.shape[1], BLOCK)))  # states at once: bounded memory
    parts = [objective_many(Ws[lo : lo + per], None if bs is None else bs[lo : lo + per], Xs[lo : lo + per],
                            ys[lo : lo + per], reg, opt.loss, real(opt.delta, "delta")) for lo in range(0, S, per)]
    return np.concatenate([p[0] for p in parts]).tolist(), np.concatenate([p[1] for p in parts])


def _focus_probs(state: TrainState, Ws, bs, X, plan) -> tuple[list, list, np.ndarray]:
    """p of each step's focus sample before and after the step, for all the steps at once: row t
    the floats softmax(scores(W, b, x)) gives for step t alone (None without a focus); and which
    steps' scores are finite."""
    S = len(plan)
    if S == 0 or plan[0][1] is None:  # the steps of a chunk all have a focus, or none has
        return [None] * S, [None] * S, np.ones(S, bool)
    x = X[[foc for _, foc, _ in plan]][:, None, :]  # each step's focus sample        (S, 1, D)
    W0, b0 = np.concatenate([state.W[None], Ws[:-1]]), None if bs is None else np.concatenate([state.b[None], bs[:-1]])
    before, ok_before = _probs(W0, b0, x)
    after, ok_after = _probs(Ws, bs, x)
    return list(before), list(after), ok_before & ok_after


def _probs(Ws, bs, x) -> tuple[np.ndarray, np.ndarray]:
    """``model.softmax_scores`` of x[t] under Ws[t], bs[t] for every t, and which are finite."""
    with np.errstate(all="ignore"):
        f = (x @ Ws.transpose(0, 2, 1))[:, 0, :]  # x @ W.T of each                       (S, K)
        if bs is not None:
            f = f + bs
        e = np.exp(f - f.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True), np.isfinite(f).all(axis=1)


def _made(state: TrainState, opt: Optimizer, raw, plan, measured) -> tuple[list, list]:
    """The states and records of the good steps, as ``train._apply`` makes them, in turn."""
    lr, reg = _rate(opt.lr, opt.reg)
    states, records, prev = [], [], state
    for (W, b, dW, db, loss_before, loss_after, p_before, p_after), (idx, foc, cursor), (loss, acc) in zip(
            raw, plan, measured, strict=True):  # fmt: skip
        new = TrainState(W=W, b=b, step=prev.step + 1, cursor=cursor, loss=loss, accuracy=acc,
                         history=prev._pushed(), max_history=prev.max_history)  # fmt: skip
        records.append(StepRecord(mode=opt.mode, indices=idx, focus=foc, lr=lr, reg=reg, W_before=prev.W,
                                  b_before=prev.b, W_after=new.W, b_after=new.b, dW=dW, db=db, p_before=p_before,
                                  p_after=p_after, loss_before=loss_before, loss_after=loss_after, objective=opt.loss,
                                  delta=float(opt.delta)))  # fmt: skip
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
