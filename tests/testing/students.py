"""Student-style implementations for the kit's tests: one right version, and one common mistake at a time.

Written the way a student writes them (vectorised NumPy, rows layout, with a bias), with no code
shared with linclass, so the kit's reference is checked against an independent implementation.
"""

import numpy as np

MISTAKES = ("not_mean", "mean_twice", "reg_convention", "reg_missing", "bias_penalised", "no_minus_one", "sign",
            "overflow")  # fmt: skip


def softmax_loss(W, b, X, y, reg, mistake=None):
    """(loss, dW, db) for W (K, D), b (K,), with 1/2 * reg * ||W||^2, or with ``mistake`` made."""
    N, rows = X.shape[0], np.arange(X.shape[0])
    f = X @ W.T + b  # (N, K)
    if mistake != "overflow":
        f = f - f.max(axis=1, keepdims=True)
    e = np.exp(f)
    probs = e / e.sum(axis=1, keepdims=True)  # (N, K)
    if mistake == "log_of_p":  # CS231n's -log(p_y): inf once p_y rounds to 0
        loss = -np.log(probs[rows, y]).sum()
    else:
        loss = (np.log(e.sum(axis=1)) - f[rows, y]).sum()
    dscores = probs.copy()
    if mistake != "no_minus_one":
        dscores[rows, y] -= 1
    if mistake == "sign":
        dscores = -dscores
    dW, db = dscores.T @ X, dscores.sum(axis=0)
    if mistake != "not_mean":
        loss, dW, db = loss / N, dW / N, db / N
    if mistake == "mean_twice":  # found by the review: a second / N
        loss, dW, db = loss / N, dW / N, db / N
    c = {"reg_convention": 1.0, "reg_missing": 0.0}.get(mistake, 0.5)
    loss, dW = loss + c * reg * np.sum(W * W), dW + 2 * c * reg * W
    if mistake == "bias_penalised":
        loss, db = loss + 0.5 * reg * b @ b, db + reg * b
    return loss, dW, db


def cs231n(W, X, y, reg, mistake=None):
    """CS231n's form: W (D, K), no bias, reg * ||W||^2; returns (loss, dW) with dW (D, K)."""
    zeros = np.zeros(W.shape[1])
    if mistake == "reg_convention":  # 1/2 * reg * ||W||^2, where CS231n uses reg * ||W||^2
        loss, dW, _ = softmax_loss(W.T, zeros, X, y, reg)
    else:
        loss, dW, _ = softmax_loss(W.T, zeros, X, y, 2 * reg, mistake)
    return loss, dW.T


def sample_grad(W, b, x, y, mistake=None):
    """The derivation's per-sample gradient (dW, db): row m is (p_m - [m = y]) x."""
    _, dW, db = softmax_loss(W, b, x[None], np.array([y]), 0.0, mistake)
    return dW, db


def svm(W, X, y, reg, mistake=None):
    """CS231n's svm_loss_vectorized: W (D, K), no bias, reg * ||W||^2, delta = 1; returns (loss, dW)."""
    N, rows = X.shape[0], np.arange(X.shape[0])
    f = X @ W  # (N, K)
    margins = np.maximum(0, f - f[rows, y][:, None] + 1)
    margins[rows, y] = 0
    loss = margins.sum() / N + reg * np.sum(W * W)
    viol = (margins > 0).astype(float)
    viol[rows, y] = -viol.sum(axis=1)
    dW = X.T @ viol
    if mistake != "not_mean":
        dW = dW / N
    return loss, dW + 2 * reg * W


def svm_naive(W, X, y, reg):
    """CS231n's svm_loss_naive: the same with loops."""
    dW, loss = np.zeros(W.shape), 0.0
    for i in range(X.shape[0]):
        scores = X[i].dot(W)
        for j in range(W.shape[1]):
            margin = scores[j] - scores[y[i]] + 1
            if j != y[i] and margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    N = X.shape[0]
    return loss / N + reg * np.sum(W * W), dW / N + 2 * reg * W
