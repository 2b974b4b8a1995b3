"""train.py on bad input: index masks, learning rate and L2 strength, init and optimizer settings."""

import numpy as np
import pytest

import linclass
from linclass import Optimizer


@pytest.fixture
def data():
    X, y, k = linclass.make_dataset("blobs", 12, 3, seed=0)
    return linclass.init_state(k), X, y


def test_boolean_mask_is_not_read_as_indices_0_and_1(data):
    s, X, y = data
    mask = np.zeros(len(y), bool)
    mask[5] = True
    with pytest.raises(ValueError, match="indices"):
        linclass.step_minibatch(s, X, y, mask, 0.1)


@pytest.mark.parametrize("indices", [[0.5, 1], [[0, 1]], ["0"], [0, 99], [-1, 2], []])
def test_bad_minibatch_indices(data, indices):
    s, X, y = data
    with pytest.raises((ValueError, IndexError), match="ind"):
        linclass.step_minibatch(s, X, y, indices, 0.1)


def test_integer_indices_of_any_dtype(data):
    s, X, y = data
    ref = linclass.step_minibatch(s, X, y, [1, 4, 7], 0.1)[0].W
    for dt in (np.int8, np.uint16, np.uint64):
        np.testing.assert_array_equal(linclass.step_minibatch(s, X, y, np.array([1, 4, 7], dt), 0.1)[0].W, ref)


STEPS = {
    "sample": lambda s, X, y, lr, reg: linclass.step_sample(s, X, y, 0, lr, reg),
    "minibatch": lambda s, X, y, lr, reg: linclass.step_minibatch(s, X, y, [0, 1], lr, reg),
    "batch": lambda s, X, y, lr, reg: linclass.step_batch(s, X, y, lr, reg),
}


@pytest.mark.parametrize("mode", STEPS)
@pytest.mark.parametrize("reg", [float("nan"), -0.1, float("inf"), "1", True])
def test_bad_reg_is_a_value_error_naming_reg(data, mode, reg):
    s, X, y = data
    with pytest.raises(ValueError, match=r"\breg\b"):
        STEPS[mode](s, X, y, 0.1, reg)


@pytest.mark.parametrize("mode", STEPS)
@pytest.mark.parametrize("lr", [float("nan"), -0.1, float("inf"), "1", None])
def test_bad_lr_is_a_value_error_naming_lr(data, mode, lr):
    s, X, y = data
    with pytest.raises(ValueError, match=r"\blr\b"):
        STEPS[mode](s, X, y, lr, 0.0)


@pytest.mark.parametrize("field,value", [("lr", float("nan")), ("reg", -1.0), ("lr", "0.1"),
                                         ("batch_size", 2.5), ("batch_size", True), ("seed", -1),
                                         ("seed", 1.5), ("order", "random"), ("mode", None)])  # fmt: skip
def test_bad_optimizer_settings_name_the_field(field, value):
    with pytest.raises(ValueError, match=rf"\b{field}\b"):
        Optimizer(**{field: value})


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"n_classes": 2.5}, "n_classes"),
        ({"n_classes": 0}, "n_classes"),
        ({"n_classes": True}, "n_classes"),
        ({"n_classes": "3"}, "n_classes"),
        ({"n_classes": 3, "n_features": 0}, "n_features"),
        ({"n_classes": 3, "init": "random", "seed": -1}, "seed"),
        ({"n_classes": 3, "init": "random", "seed": 1.5}, "seed"),
        ({"n_classes": 3, "init": "random", "scale": float("nan")}, "scale"),
        ({"n_classes": 3, "init": "ones"}, "init"),
    ],
)
def test_bad_init_arguments_name_the_argument(kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        linclass.init_state(**kwargs)


def test_init_accepts_numpy_integers():
    s = linclass.init_state(np.int64(3), np.int8(2), init="random", seed=np.uint32(4))
    assert s.W.shape == (3, 2)


@pytest.mark.parametrize(
    "X,y,name",
    [
        (np.zeros((5, 2)), np.zeros(4, int), "y"),
        (np.zeros((4, 3)), np.zeros(4, int), "X"),
        (np.full((4, 2), np.nan), np.zeros(4, int), "X"),
        (np.zeros((4, 2)), np.array([0, 1, 2, 3]), "y"),
    ],
)
def test_step_checks_the_whole_data_set(X, y, name):
    s = linclass.init_state(3)
    for opt in (Optimizer(mode="batch"), Optimizer(mode="sample"), Optimizer(mode="minibatch", batch_size=2)):
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            linclass.step(s, X, y, opt)


@pytest.mark.parametrize("n", [0, 1.5, True, "2"])
def test_run_needs_a_whole_number_of_steps(data, n):
    s, X, y = data
    with pytest.raises(ValueError, match="n_steps"):
        linclass.run(s, X, y, Optimizer(), n)


@pytest.mark.parametrize("kwargs", [{"order": "bogus"}, {"count": -1}, {"n": 2.5}, {"cursor": 0.5},
                                    {"seed": -3}])  # fmt: skip
def test_sample_order_checks_its_arguments(kwargs):
    args = {"cursor": 0, "count": 3, "n": 5, "order": "shuffle", "seed": 0} | kwargs
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        linclass.sample_order(**args)


@pytest.mark.parametrize(
    "field,value",
    [
        ("W", [[1, "a"]]),
        ("W", np.zeros(3)),
        ("b", np.zeros(2)),
        ("step", -1),
        ("step", 1.5),
        ("cursor", -2),
        ("max_history", 0.5),
    ],
)
def test_train_state_checks_its_fields(field, value):
    kwargs = {"W": np.zeros((3, 2))} | {field: value}
    with pytest.raises(ValueError, match=rf"\b{field}\b"):
        linclass.TrainState(**kwargs)
