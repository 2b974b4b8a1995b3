"""The lecturer's solution to softmax.py (CS231n's layout: W (D, K), reg * ||W||^2, no bias)."""

import numpy as np


def softmax_loss_naive(W, X, y, reg):
    N = X.shape[0]
    loss = 0.0
    dW = np.zeros_like(W)  # (D, K)
    for i in range(N):
        f = X[i].dot(W)  # (K,)
        f = f - f.max()  # exp cannot overflow; softmax is unchanged
        log_sum = np.log(np.sum(np.exp(f)))
        loss += log_sum - f[y[i]]  # -log p_y
        p = np.exp(f - log_sum)  # (K,)
        for m in range(W.shape[1]):
            dW[:, m] += (p[m] - (m == y[i])) * X[i]
    loss = loss / N + reg * np.sum(W * W)
    dW = dW / N + 2 * reg * W
    return loss, dW


def softmax_loss_vectorized(W, X, y, reg):
    N = X.shape[0]
    f = X.dot(W)  # (N, K)
    f = f - f.max(axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(f), axis=1))  # (N,)
    loss = np.mean(log_sum - f[np.arange(N), y]) + reg * np.sum(W * W)
    dscores = np.exp(f - log_sum[:, None])  # probs (N, K)
    dscores[np.arange(N), y] -= 1  # p - e_y
    dW = X.T.dot(dscores) / N + 2 * reg * W  # (D, K)
    return loss, dW


def softmax_sample_grad(W, x, y):
    f = x.dot(W)  # (K,)
    p = np.exp(f - f.max())
    p /= p.sum()
    p[y] -= 1  # p - e_y
    return np.outer(x, p)  # column m: (p_m - [m = y]) x    (D, K)
