"""An unfinished solution: softmax_loss_vectorized is still the starting code, returning (0, zeros)."""

import numpy as np
from solution import softmax_loss_naive, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_vectorized(W, X, y, reg):
    loss = 0.0
    dW = np.zeros_like(W)
    # TODO: compute the loss and the gradient without loops
    return loss, dW
