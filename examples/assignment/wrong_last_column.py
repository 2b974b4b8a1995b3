"""A typical wrong solution: for the last class (y = K - 1) the -1 lands one column early."""

import numpy as np
from solution import softmax_loss_naive, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_vectorized(W, X, y, reg):
    N, K = X.shape[0], W.shape[1]
    f = X.dot(W)
    f = f - f.max(axis=1, keepdims=True)
    probs = np.exp(f) / np.sum(np.exp(f), axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y])) + reg * np.sum(W * W)
    probs[np.arange(N), np.minimum(y, K - 2)] -= 1  # the mistake: an off-by-one clip, so y = K - 1 hits K - 2
    dW = X.T.dot(probs) / N + 2 * reg * W
    return loss, dW
