"""A wrong solution that cannot be imported: a syntax error (a missing closing parenthesis)."""

import numpy as np
from solution import softmax_loss_vectorized, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_naive(W, X, y, reg):
    N = X.shape[0]
    f = X.dot(W
    return np.mean(f), np.zeros_like(W)
