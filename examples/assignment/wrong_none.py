"""A typical wrong solution: everything is computed, but the function has no return statement."""

import numpy as np
from solution import softmax_loss_vectorized, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_naive(W, X, y, reg):
    N = X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(N):
        f = X[i].dot(W)
        f = f - f.max()
        p = np.exp(f) / np.sum(np.exp(f))
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    loss = loss / N + reg * np.sum(W * W)
    dW = dW / N + 2 * reg * W
    # the mistake: no `return loss, dW`
