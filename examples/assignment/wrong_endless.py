"""A wrong solution that never returns: the loop's counter is never advanced (grade it with a timeout)."""

import numpy as np
from solution import softmax_loss_vectorized, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_naive(W, X, y, reg):
    N = X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    i = 0
    while i < N:  # the mistake: i += 1 is missing, so this loops for ever
        f = X[i].dot(W)
        f = f - f.max()
        p = np.exp(f) / np.sum(np.exp(f))
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W
