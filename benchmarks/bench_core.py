"""Speed of linclass.loss_and_grad against scikit-learn's LinearModelLoss, and of sample_grad.

    python benchmarks/bench_core.py            # full grid (about a minute)
    python benchmarks/bench_core.py --quick    # N up to 1e4
    python benchmarks/bench_core.py --landscape  # only row_landscape on a 100x100 grid

Both sides compute the same thing (mean cross-entropy with an intercept, float64, one thread
for scikit-learn) on the same data; calls are interleaved in one process and the median of
several repeats is reported, with the ratio sklearn / linclass (> 1 means linclass is faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import linclass  # noqa: E402


def sklearn_loss_grad(K):
    from sklearn._loss.loss import HalfMultinomialLoss
    from sklearn.linear_model._linear_loss import LinearModelLoss

    lml = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=K), fit_intercept=True)

    def f(coef, X, yf):
        return lml.loss_gradient(coef, X, yf, sample_weight=None, l2_reg_strength=0.0, n_threads=1)

    return f


def timeit(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def bench_loss(Ns, Ks, D=2):
    print(f"loss_and_grad vs scikit-learn LinearModelLoss (D={D}, bias, float64), medians")
    print(f"{'N':>9} {'K':>3} {'linclass':>12} {'sklearn':>12} {'ratio':>7} {'max |diff|':>11}")
    rows = []
    for N in Ns:
        for K in Ks:
            rng = np.random.default_rng(0)
            X = rng.normal(size=(N, D))
            y = rng.integers(0, K, N)
            yf = y.astype(X.dtype)
            W = rng.normal(size=(K, D))
            b = rng.normal(size=K)
            coef = np.column_stack([W, b])  # (K, D+1), intercept last
            sk = sklearn_loss_grad(K)
            loss, dW, db = linclass.loss_and_grad(W, b, X, y)
            sloss, sgrad = sk(coef, X, yf)
            diff = max(abs(loss - sloss), float(np.abs(np.column_stack([dW, db]) - sgrad).max()))
            reps = 5 if N >= 10**6 else 9 if N >= 10**5 else 51 if N >= 10**3 else 301
            tl, ts = [], []
            for _ in range(reps):  # interleaved: any drift in the machine hits both alike
                tl += timeit(lambda: linclass.loss_and_grad(W, b, X, y), 1)  # noqa: B023
                ts += timeit(lambda: sk(coef, X, yf), 1)  # noqa: B023
            ml, ms = statistics.median(tl), statistics.median(ts)
            rows.append((N, K, ml, ms, ms / ml, diff))
            print(f"{N:>9} {K:>3} {ml * 1e3:>9.3f} ms {ms * 1e3:>9.3f} ms {ms / ml:>6.2f}x {diff:>11.1e}")
    return rows


def bench_sample_grad():
    rng = np.random.default_rng(0)
    W, b, x = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=2)
    n = 20000
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(n):
            linclass.sample_grad(W, b, x, 3)
        times.append((time.perf_counter() - t) / n)
    print(f"sample_grad (K=5, D=2): median {statistics.median(times) * 1e6:.2f} us per call")


def bench_landscape(N=300, K=5, n=100, repeats=21):
    """row_landscape on an n x n grid over N points (issue 11's budget: under 30 ms)."""
    from linclass.core.landscape import landscape_window, row_landscape

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(N, 2)), rng.integers(0, K, N)
    W, b = rng.normal(size=(K, 2)), rng.normal(size=K)
    w1s, w2s = landscape_window(W, 1, n=n)
    for loss in ("softmax", "hinge"):
        times = timeit(lambda: row_landscape(W, b, X, y, 1, w1s, w2s, 0.01, loss), repeats)  # noqa: B023
        ms = statistics.median(times) * 1e3
        print(f"row_landscape {loss:>7} ({n}x{n} grid, N={N}, K={K}): median {ms:.2f} ms (budget 30 ms)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--landscape", action="store_true", help="only the row_landscape timing")
    args = ap.parse_args()
    if args.landscape:
        bench_landscape()
        return
    Ns = [1, 100, 10**4] if args.quick else [1, 100, 10**4, 10**5, 10**6]
    bench_loss(Ns, [3, 10])
    bench_sample_grad()
    bench_landscape()


if __name__ == "__main__":
    main()
