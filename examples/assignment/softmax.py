"""Assignment: the softmax classifier's loss and gradient, written by you.

Conventions (CS231n's): N samples, D features, K classes, no bias.

    W       (D, K)  one column per class
    X       (N, D)  one sample per row
    y       (N,)    integer labels in [0, K)
    scores  (N, K)  X.dot(W)
    probs   (N, K)  softmax of each row of scores

    loss = (1/N) * sum_i -log probs[i, y[i]]  +  reg * sum(W * W)
    dW   = the gradient of the loss with respect to W, shape (D, K)

Fill in the three functions, then run `python -m pytest` in this folder (it needs
`pip install 'linclass[testing]'`): every failing test prints the smallest problem it failed on,
what differs, and a hint.
"""

import numpy as np  # noqa: F401  (you will need it)


def softmax_loss_naive(W, X, y, reg):
    """The loss and its gradient with explicit loops over the samples; returns (loss, dW).

    Subtract the largest score of a sample before exp, so exp cannot overflow.
    """
    raise NotImplementedError("softmax_loss_naive: loop over the samples")


def softmax_loss_vectorized(W, X, y, reg):
    """The same (loss, dW) as softmax_loss_naive, without a Python loop."""
    raise NotImplementedError("softmax_loss_vectorized: no loops")


def softmax_sample_grad(W, x, y):
    """The gradient of -log p_y for one sample x (D,) of class y (an int); returns dW (D, K).

    Column m is p_m * x for each class m other than y, and (p_y - 1) * x for the true class.
    """
    raise NotImplementedError("softmax_sample_grad: one sample")
