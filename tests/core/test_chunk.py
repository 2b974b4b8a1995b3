"""Play's chunks of steps (``chunk.run_chunk``) and the stacked measure (``train.measure``): the
same floats as the steps taken one by one and the states measured one by one."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linclass.core import model, train
from linclass.core import objective as kernel
from linclass.core.chunk import run_chunk
from linclass.core.model import NonFiniteError, loss_and_grad
from linclass.core.train import Optimizer, TrainState, evaluate, init_state, run
from tests.oracle import loss_and_grad_loop


def one_by_one(state, X, y, opt, frames, per_frame, **where):
    """The reference: ``frames`` calls of ``run`` in a row, stopping at the first refused."""
    done = []
    for _ in range(frames):
        try:
            state, rec = run(state, X, y, opt, per_frame, **where)
        except NonFiniteError as err:
            return done, err
        done.append((state, rec))
    return done, None


def same(a, b) -> bool:
    """Bit for bit: arrays equal with the same shape and dtype, floats equal, None alike."""
    if a is None or b is None:
        return a is b
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
    return type(a) is type(b) and a == b


STATE = ("W", "b", "step", "cursor", "loss", "accuracy", "max_history")
RECORD = ("mode", "indices", "focus", "lr", "reg", "W_before", "b_before", "W_after", "b_after", "dW", "db",
          "p_before", "p_after", "loss_before", "loss_after", "objective", "delta")  # fmt: skip
SNAP = ("W", "b", "step", "cursor", "loss", "accuracy")


def assert_same_state(a: TrainState, b: TrainState):
    for f in STATE:
        assert same(getattr(a, f), getattr(b, f)), f
    assert len(a.history) == len(b.history)
    for s, t in zip(a.history, b.history, strict=True):
        assert all(same(getattr(s, f), getattr(t, f)) for f in SNAP)


def assert_same_record(a, b):
    if a is None or b is None:
        assert a is b
        return
    for f in RECORD:
        assert same(getattr(a, f), getattr(b, f)), f


def assert_same_run(got, want):
    (done, err), (done_ref, err_ref) = got, want
    assert len(done) == len(done_ref)
    for (s, r), (s_ref, r_ref) in zip(done, done_ref, strict=True):
        assert_same_state(s, s_ref)
        assert_same_record(r, r_ref)
    assert (err is None) == (err_ref is None)
    if err is not None:
        assert type(err) is type(err_ref) and str(err) == str(err_ref)
        assert err.steps_done == err_ref.steps_done
        assert_same_state(err.last_good, err_ref.last_good)
        assert_same_record(err.last_record, err_ref.last_record)


@st.composite
def setups(draw):
    """A state, points, an optimizer and the arguments of a chunk: every mode, order and loss,
    bias or not, L2, held-out points, a short history, and learning rates that overflow."""
    K, N = draw(st.integers(2, 8)), draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    scale = draw(st.sampled_from([1.0, 1e3, 1e100, 0.0]))  # 0: mixed, a step on a small point may overflow a big one
    X = rng.normal(0, 1, (N, 2)) * (scale or 10.0 ** rng.choice([0, 60, 120], (N, 1)))
    y = rng.integers(0, K, N)
    bias = draw(st.booleans())
    state = init_state(K, bias=bias, init=draw(st.sampled_from(["zeros", "random"])), seed=1)
    history = draw(st.sampled_from([0, 3, 2000]))  # none kept, a short one that overflows, the default
    state = TrainState(W=state.W, b=state.b, cursor=draw(st.integers(0, 50)), max_history=history)
    mode = draw(st.sampled_from(train.MODES))
    opt = Optimizer(mode=mode, lr=draw(st.sampled_from([0.05, 1.0, 1e96, 1e150, 1e200])),
                    reg=draw(st.sampled_from([0.0, 0.01, 0.5])), batch_size=draw(st.integers(1, 8)),
                    order=draw(st.sampled_from(train.ORDERS)), seed=draw(st.integers(0, 3)),
                    loss=draw(st.sampled_from(train.LOSSES)), delta=draw(st.sampled_from([0.0, 0.5, 1.0])))  # fmt: skip
    train_idx = None
    if draw(st.booleans()) and N > 1:  # held-out points: steps and measures use the others only
        train_idx = np.flatnonzero(rng.random(N) < 0.7)
        if len(train_idx) == 0:
            train_idx = np.array([0])
    where = {"train": train_idx}
    if mode == "sample" and draw(st.booleans()):
        pool = np.arange(N) if train_idx is None else train_idx
        where["index"] = int(draw(st.sampled_from(list(pool))))  # the sample the user clicked
    elif mode != "sample" and draw(st.booleans()):
        where["focus"] = draw(st.integers(0, N - 1))  # any point, held out or not
    return state, X, y, opt, draw(st.integers(1, 10)), draw(st.integers(1, 3)), where


@settings(max_examples=300, deadline=None)
@given(setups())
def test_a_chunk_is_its_runs_one_by_one(setup):
    state, X, y, opt, frames, per_frame, where = setup
    want = one_by_one(state, X, y, opt, frames, per_frame, **where)
    assert_same_run(run_chunk(state, X, y, opt, frames, per_frame, **where), want)


def test_a_refused_step_stops_the_chunk_as_it_stops_run():
    X = np.array([[1e200, 1e200], [-1e200, 3e199]])
    y = np.array([0, 1])
    opt = Optimizer(mode="sample", lr=1e150)
    state = init_state(2, init="random", seed=0)
    got = run_chunk(state, X, y, opt, 5, 3)
    want = one_by_one(state, X, y, opt, 5, 3)
    assert want[1] is not None  # the setup does overflow
    assert_same_run(got, want)
    assert "step refused" in str(got[1]) or "not finite" in str(got[1])


def test_a_chunk_checks_its_arguments_once(monkeypatch):
    """The finding: every step checked the data again in each of its loss evaluations. Now a chunk
    checks once, and each public step once, at the door."""
    calls = []
    for mod, name in ((model, "check_data"), (train, "check_data")):
        real = getattr(mod, name)
        monkeypatch.setattr(mod, name, lambda *a, real=real, **k: calls.append(1) or real(*a, **k))
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 2)), rng.integers(0, 5, 300)
    state = init_state(5)
    done, err = run_chunk(state, X, y, Optimizer(mode="sample"), 96)
    assert err is None and len(done) == 96
    assert len(calls) == 1
    calls.clear()
    one_by_one(state, X, y, Optimizer(mode="sample"), 96, 1)  # as Play did it
    assert len(calls) == 96  # one check per public call, none inside


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"frames": 0}, "frames"),
        ({"per_frame": 1.5}, "per_frame"),
        ({"opt": "sgd"}, "opt must be an Optimizer"),
        ({"index": 7}, "outside"),
        ({"focus": -1}, "outside"),
    ],  # fmt: skip
)
def test_bad_arguments_are_named(kwargs, error):
    X, y = np.zeros((3, 2)), np.array([0, 1, 0])
    args = {"opt": Optimizer(mode="sample" if "index" in kwargs else "batch"), "frames": 2, **kwargs}
    with pytest.raises((ValueError, IndexError), match=error):
        run_chunk(init_state(2), X, y, **args)


def test_a_held_out_click_is_refused_before_any_step():
    X, y = np.zeros((3, 2)), np.array([0, 1, 0])
    with pytest.raises(train.HeldOutError):
        run_chunk(init_state(2), X, y, Optimizer(), 4, index=1, train=[0, 2])


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    S=st.integers(1, 12),
    N=st.integers(1, 60),
    K=st.integers(2, 8),
    bias=st.booleans(),
    objective=st.sampled_from(["softmax", "hinge", "ova", "structured"]),
    delta=st.sampled_from([0.0, 0.5, 1.0]),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_measure_is_evaluate_to_the_last_bit(seed, S, N, K, bias, objective, delta, scale):
    rng = np.random.default_rng(seed)
    Ws, X = rng.normal(0, scale, (S, K, 2)), rng.normal(0, 1, (N, 2))
    Ws[0] = np.round(Ws[0])  # ties: wrong, as in evaluate
    bs = rng.normal(0, 1, (S, K)) if bias else None
    y = rng.integers(0, K, N)
    got = train.measure(Ws, bs, X, y, objective, delta)
    for s in range(S):
        want = evaluate(Ws[s], None if bs is None else bs[s], X, y, objective=objective, delta=delta)
        assert got[s, 0] == want[0] and got[s, 1] == want[1]


def test_measure_over_several_blocks(monkeypatch):
    # Several blocks of samples: the order of summation across blocks counts too.
    monkeypatch.setattr(kernel, "BLOCK", 16)
    rng = np.random.default_rng(3)
    Ws, bs, X, y = rng.normal(size=(9, 4, 2)), rng.normal(size=(9, 4)), rng.normal(size=(70, 2)), rng.integers(0, 4, 70)
    for objective in train.LOSSES:
        got = train.measure(Ws, bs, X, y, objective, 1.0)
        for s in range(9):
            assert tuple(got[s]) == evaluate(Ws[s], bs[s], X, y, objective=objective)


def test_measure_agrees_with_the_loop_oracle():
    rng = np.random.default_rng(5)
    Ws, X, y = rng.normal(size=(4, 3, 2)), rng.normal(size=(25, 2)), rng.integers(0, 3, 25)
    got = train.measure(Ws, None, X, y, "softmax", 1.0)
    for s in range(4):
        loss, _, _ = loss_and_grad_loop(Ws[s].tolist(), None, X.tolist(), y.tolist())
        assert got[s, 0] == pytest.approx(loss, rel=1e-12)
        pred = np.argmax(X @ Ws[s].T, axis=1)
        assert got[s, 1] == pytest.approx(np.mean(pred == y))


def test_measure_says_overflow_with_nan_or_inf():
    X, y = np.array([[1e300, 1e300]]), np.array([0])
    Ws = np.array([[[1.0, 0.0], [0.0, 1.0]], [[1e10, 0.0], [0.0, -1e10]]])
    got = train.measure(Ws, None, X, y, "softmax", 1.0)
    assert np.isfinite(got[0]).all() and not np.isfinite(got[1]).all()


def test_measure_refuses_overflowing_scores_where_the_hinge_loss_stays_finite():
    # Found by the chunk test: scores of +inf and -inf give every margin -inf, a hinge loss of 0,
    # while evaluate refuses the state (its scores overflow).
    X, y = np.array([[1e200, 0.0]]), np.array([0])
    W = np.array([[1e200, 0.0], [-1e200, 0.0]])
    with pytest.raises(NonFiniteError):
        evaluate(W, None, X, y, objective="hinge")
    assert np.isnan(train.measure(W[None], None, X, y, "hinge", 1.0)).all()


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    S=st.integers(1, 6),
    N=st.integers(1, 40),
    K=st.integers(2, 8),
    bias=st.booleans(),
    reg=st.sampled_from([0.0, 0.01, 1.0]),
    objective=st.sampled_from(["softmax", "hinge", "ova", "structured"]),
    delta=st.sampled_from([0.0, 0.5, 1.0]),
    scale=st.sampled_from([1e-3, 1.0, 1e3, 1e150]),
)
def test_the_stacked_objective_is_each_states_to_the_bit(seed, S, N, K, bias, reg, objective, delta, scale):
    rng = np.random.default_rng(seed)
    Ws, Xs, ys = rng.normal(0, scale, (S, K, 2)), rng.normal(0, 1, (S, N, 2)), rng.integers(0, K, (S, N))
    bs = rng.normal(0, 1, (S, K)) if bias else None
    loss, finite = train.objective_after(Ws, bs, Xs, ys, Optimizer(reg=reg, loss=objective, delta=delta))
    for s in range(S):
        try:
            want = loss_and_grad(Ws[s], None if bs is None else bs[s], Xs[s], ys[s], reg, loss=objective, delta=delta)[
                0
            ]
        except NonFiniteError:
            assert not finite[s]
            continue
        assert finite[s] and loss[s] == want


@pytest.mark.parametrize("mode", train.MODES)
@pytest.mark.parametrize("objective", train.LOSSES)
def test_a_chunk_over_several_blocks_of_samples(monkeypatch, mode, objective):
    # More samples than a block: the kernels' and the stacks' order of summation across blocks.
    monkeypatch.setattr(kernel, "BLOCK", 4)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 2)), rng.integers(0, 4, 30)
    state = init_state(4, init="random", seed=2)
    opt = Optimizer(mode=mode, lr=0.5, reg=0.01, batch_size=9, loss=objective)
    where = {"train": np.arange(25), "focus": 27} if mode != "sample" else {"train": np.arange(25)}
    assert_same_run(run_chunk(state, X, y, opt, 6, 2, **where), one_by_one(state, X, y, opt, 6, 2, **where))
