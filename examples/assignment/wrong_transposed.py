"""A typical wrong solution: dW is computed as dscores.T @ X, (K, D), where the layout needs X.T @ dscores, (D, K).

When D = K the shapes agree, and only the values show the mistake."""

import numpy as np
from solution import softmax_loss_naive, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_vectorized(W, X, y, reg):
    N = X.shape[0]
    f = X.dot(W)
    f = f - f.max(axis=1, keepdims=True)
    probs = np.exp(f) / np.sum(np.exp(f), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y])) + reg * np.sum(W * W)
    probs[np.arange(N), y] -= 1
    dW = probs.T.dot(X) / N + 2 * reg * W  # the mistake: transposed
    return loss, dW
