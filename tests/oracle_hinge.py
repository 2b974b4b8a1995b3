"""Plain-loop multiclass hinge loss (the CS231n ``svm_loss_naive``): the tests' oracle for hinge.py.

Written one scalar at a time, with no shared code from linclass.
"""


def hinge_loss_and_grad_loop(W, b, X, y, reg=0.0, delta=1.0):
    K, D, N = len(W), len(W[0]), len(X)
    loss = 0.0
    dW = [[0.0] * D for _ in range(K)]
    db = [0.0] * K
    for i in range(N):
        f = [sum(W[m][d] * X[i][d] for d in range(D)) + (b[m] if b is not None else 0.0) for m in range(K)]
        for m in range(K):
            if m == y[i]:
                continue
            margin = f[m] - f[y[i]] + delta
            if margin > 0:
                loss += margin
                for d in range(D):
                    dW[m][d] += X[i][d] / N
                    dW[y[i]][d] -= X[i][d] / N
                db[m] += 1.0 / N
                db[y[i]] -= 1.0 / N
    loss /= N
    loss += 0.5 * reg * sum(W[m][d] ** 2 for m in range(K) for d in range(D))
    for m in range(K):
        for d in range(D):
            dW[m][d] += reg * W[m][d]
    return loss, dW, (db if b is not None else None)
