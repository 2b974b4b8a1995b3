"""A typical wrong solution: the 1/2 * reg * ||W||^2 penalty, where this course uses reg * ||W||^2."""

import numpy as np
from solution import softmax_loss_vectorized, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_naive(W, X, y, reg):
    N = X.shape[0]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(N):
        f = X[i].dot(W)
        f = f - f.max()
        p = np.exp(f) / np.sum(np.exp(f))
        loss -= np.log(p[y[i]])
        for m in range(W.shape[1]):
            dW[:, m] += (p[m] - (m == y[i])) * X[i]
    # the mistake: another course's convention, consistent in itself but not this assignment's
    loss = loss / N + 0.5 * reg * np.sum(W * W)
    dW = dW / N + reg * W
    return loss, dW
