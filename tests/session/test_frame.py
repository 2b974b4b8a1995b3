"""One moment on screen: a preview is the step Step would take, and says so."""

import numpy as np

from linclass.session.frame import PREVIEW, TAKEN
from tests.session.test_session import cs231n


def test_preview_before_any_step_says_so():
    s = cs231n()
    assert s.frame.kind == PREVIEW and "preview" in s.frame.moment
    assert s.ahead.frame.kind == TAKEN and "just taken" in s.ahead.frame.moment
    np.testing.assert_allclose(s.ahead.explorer.state.W, s.frame.record.W_after)  # the look-ahead is the step
