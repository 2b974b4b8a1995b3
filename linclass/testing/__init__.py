"""linclass.testing: grade a student's own softmax loss and gradient in pytest.

Install with ``pip install 'linclass[testing]'`` (it needs hypothesis); ``import linclass`` does
not load this module. A grading test is one call::

    from linclass.testing import assert_loss_and_grad_match

    def test_softmax_loss_vectorized():
        # CS231n: softmax_loss_vectorized(W, X, y, reg) -> (loss, dW), W (D, K), reg * ||W||^2
        assert_loss_and_grad_match(softmax_loss_vectorized, layout="columns", bias=False, reg_convention="full")

The checks compare with linclass's reference (``loss_and_grad``, ``sample_grad``) or with central
differences, on problems drawn by hypothesis (``problems()``: one-sample batches, absent classes,
K from 2 to 10, scores 1e3 apart), derandomized so every run grades the same problems. A failure
raises an AssertionError whose message shows the smallest failing problem as pasteable Python,
which quantity differs and by how much, and a hint when the difference is a common mistake
(``HINTS``: not dividing by N, the other reg convention, no max-shift, the -1 at the true class
missing, ...).
"""

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "linclass.testing needs hypothesis: pip install 'linclass[testing]' (or pip install 'hypothesis>=6.100')"
    ) from exc

from .calls import LAYOUTS
from .checks import assert_gradient_numerically_correct, assert_loss_and_grad_match, assert_sample_gradient_matches
from .mistakes import HINTS
from .problems import Problem, problems

__all__ = [
    "HINTS",
    "LAYOUTS",
    "Problem",
    "assert_gradient_numerically_correct",
    "assert_loss_and_grad_match",
    "assert_sample_gradient_matches",
    "problems",
]
