"""Time limits: an endless student function fails its check, quickly, and the session goes on."""

import signal
import threading
import time

import pytest

import linclass
from linclass.testing import assert_gradient_numerically_correct, assert_loss_and_grad_match
from linclass.testing.limits import TimedOut, call_with_limit

from . import failure


def endless(W, b, X, y, reg):
    while True:
        pass


@pytest.mark.parametrize("check", [assert_loss_and_grad_match, assert_gradient_numerically_correct])
def test_an_endless_function_fails_its_check_once_and_is_not_retried(check):
    calls = []

    def softmax_loss(W, b, X, y, reg):
        calls.append(1)
        endless(W, b, X, y, reg)

    message = failure(check, softmax_loss, timeout=0.3)
    assert message.startswith("softmax_loss timed out after 0.3 s: it did not return on this problem"), message
    assert "W = np.array(" in message  # the problem it hung on, to paste
    assert calls == [1]  # hypothesis neither retried nor shrank it


def test_the_timeout_holds_inside_a_pytest_timeout_style_outer_alarm():
    # an outer SIGALRM timer (pytest-timeout's signal method) is kept and still fires after ours
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 3)
    try:
        failure(assert_loss_and_grad_match, endless, timeout=0.2)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 3 and not fired  # the outer timer is set again, with what was left of it
        for _ in range(1000):  # and it fires: its handler runs, once (a sleep wakes for it; signal.pause()
            if fired:  # could wait forever if the alarm came between this check and the pause)
                break
            time.sleep(0.01)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_off_the_main_thread_the_limit_still_holds():
    out = {}

    def run():
        try:
            call_with_limit(lambda: endless(0, 0, 0, 0, 0), 0.2)
        except TimedOut as exc:
            out["seconds"] = exc.seconds

    t = threading.Thread(target=run)
    t.start()
    t.join(10)
    assert out == {"seconds": 0.2}


def test_a_right_function_passes_with_a_timeout_and_without():
    assert_loss_and_grad_match(linclass.loss_and_grad, timeout=None, max_examples=10)
    passed = assert_loss_and_grad_match(linclass.loss_and_grad, timeout=5, max_examples=10)
    assert passed.warnings == 0


def test_a_bad_timeout_is_refused():
    with pytest.raises(ValueError, match="timeout must be a number of seconds > 0"):
        assert_loss_and_grad_match(linclass.loss_and_grad, timeout=0)
