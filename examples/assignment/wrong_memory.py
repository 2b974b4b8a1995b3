"""A wrong solution that allocates without bound. Grade it only with `python -m linclass.testing grade`,
whose memory limit stops it; in a plain pytest run it takes all the machine's memory."""

import numpy as np
from solution import softmax_loss_vectorized, softmax_sample_grad  # noqa: F401  (these are right)


def softmax_loss_naive(W, X, y, reg):
    history = []  # the mistake: keeps a large copy of every step, and the loop never ends
    while True:
        history.append(np.ones(10_000_000))
