"""linclass: gradient descent on a linear softmax classifier, step by step.

The core (``linclass.core``) and the session model (``linclass.session``) import NumPy only;
``linclass.ui`` (Plotly figures, Streamlit panels) is loaded only when imported by name.
"""

from .core import datasets
from .core.datasets import PRESETS
from .core.datasets import make as make_dataset
from .core.gradcheck import GradCheck, gradient_check, numeric_grad
from .core.model import NonFiniteError, loss_and_grad, sample_grad, sample_loss, scores, softmax
from .core.pointsio import CSVError, read_csv, write_csv
from .core.regions import max_prob_grid, predict, region_polygons
from .core.train import (
    MODES,
    ORDERS,
    Optimizer,
    StepRecord,
    TrainState,
    evaluate,
    init_state,
    run,
    sample_order,
    step,
    step_back,
    step_batch,
    step_minibatch,
    step_sample,
)
from .session.explorer import Explorer, StateFileError

__version__ = "0.1.0"

__all__ = [
    "CSVError",
    "Explorer",
    "GradCheck",
    "MODES",
    "NonFiniteError",
    "ORDERS",
    "Optimizer",
    "PRESETS",
    "StateFileError",
    "StepRecord",
    "TrainState",
    "datasets",
    "evaluate",
    "gradient_check",
    "init_state",
    "loss_and_grad",
    "make_dataset",
    "max_prob_grid",
    "numeric_grad",
    "predict",
    "read_csv",
    "region_polygons",
    "run",
    "sample_grad",
    "sample_loss",
    "sample_order",
    "scores",
    "softmax",
    "step",
    "step_back",
    "step_batch",
    "step_minibatch",
    "step_sample",
    "write_csv",
]
