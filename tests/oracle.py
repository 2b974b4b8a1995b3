"""Plain-loop reference implementations (the CS231n "naive" versions): the tests' oracle.

Written for clarity, one scalar at a time, with no shared code from linclass.
"""

import math


def softmax_loop(f):
    m = max(f)
    e = [math.exp(v - m) for v in f]
    s = sum(e)
    return [v / s for v in e]


def loss_and_grad_loop(W, b, X, y, reg=0.0):
    K, D, N = len(W), len(W[0]), len(X)
    loss = 0.0
    dW = [[0.0] * D for _ in range(K)]
    db = [0.0] * K
    for i in range(N):
        f = [sum(W[m][d] * X[i][d] for d in range(D)) + (b[m] if b is not None else 0.0) for m in range(K)]
        fmax = max(f)
        lse = fmax + math.log(sum(math.exp(v - fmax) for v in f))
        loss += lse - f[y[i]]
        p = softmax_loop(f)
        for m in range(K):
            coeff = p[m] - (1.0 if m == y[i] else 0.0)
            for d in range(D):
                dW[m][d] += coeff * X[i][d] / N
            db[m] += coeff / N
    loss /= N
    loss += 0.5 * reg * sum(W[m][d] ** 2 for m in range(K) for d in range(D))
    for m in range(K):
        for d in range(D):
            dW[m][d] += reg * W[m][d]
    return loss, dW, (db if b is not None else None)


def argmax_loop(W, b, x):
    best, best_f = 0, None
    for m in range(len(W)):
        f = sum(W[m][d] * x[d] for d in range(len(x))) + (b[m] if b is not None else 0.0)
        if best_f is None or f > best_f:
            best, best_f = m, f
    return best


def svm_loss_and_grad_loop(name, W, b, X, y, reg=0.0, delta=1.0, penalty=0.5):
    """The three SVM losses of the CS231n demo, one scalar at a time: "hinge" (Weston-Watkins),
    "ova" (one-vs-all) and "structured" (the strongest rival only), with the penalty
    ``penalty * reg * ||W||^2``."""
    K, D, N = len(W), len(W[0]), len(X)
    loss, dW, db = 0.0, [[0.0] * D for _ in range(K)], [0.0] * K
    for i in range(N):
        f = [sum(W[m][d] * X[i][d] for d in range(D)) + (b[m] if b is not None else 0.0) for m in range(K)]
        c = [0.0] * K
        t = y[i]
        if name == "hinge":
            for m in range(K):
                if m != t and f[m] - f[t] + delta > 0:
                    loss += f[m] - f[t] + delta
                    c[m] += 1.0
                    c[t] -= 1.0
        elif name == "ova":
            for m in range(K):
                margin = delta - f[m] if m == t else delta + f[m]
                if margin > 0:
                    loss += margin
                    c[m] += -1.0 if m == t else 1.0
        else:
            rival = max((m for m in range(K) if m != t), key=lambda m: (f[m], -m), default=None)
            if rival is not None and delta + f[rival] - f[t] > 0:
                loss += delta + f[rival] - f[t]
                c[rival] += 1.0
                c[t] -= 1.0
        for m in range(K):
            for d in range(D):
                dW[m][d] += c[m] * X[i][d] / N
            db[m] += c[m] / N
    loss = loss / N + penalty * reg * sum(W[m][d] ** 2 for m in range(K) for d in range(D))
    for m in range(K):
        for d in range(D):
            dW[m][d] += 2 * penalty * reg * W[m][d]
    return loss, dW, (db if b is not None else None)


def phi_loop(point, names):
    """phi(x) of one point (x1, x2) for a list of feature names, one scalar at a time (the features
    of TensorFlow Playground: x1, x2, x1^2, x2^2, x1 x2, sin x1, sin x2)."""
    x1, x2 = float(point[0]), float(point[1])
    table = {"x1": x1, "x2": x2, "x1sq": x1 * x1, "x2sq": x2 * x2, "x1x2": x1 * x2, "sinx1": math.sin(x1),
             "sinx2": math.sin(x2)}  # fmt: skip
    return [table[n] for n in names]
