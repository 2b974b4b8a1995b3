"""The README's "softmax vs SVM" and "overfitting and L2" scenarios: each link opens cleanly and every number
the text quotes holds."""

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import numpy as np
import pytest

from linclass.core.train import evaluate
from linclass.session.curves import curves
from linclass.session.session import Session
from linclass.session.view import make_view
from linclass.ui.words import status_line

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
SECTION = README[README.index("- **Softmax vs SVM**") : README.index("- **Why every row")]
LINKS = re.findall(r"\]\((http://localhost:8501/\?[^)]+)\)", SECTION)


def opened(k: int) -> Session:
    s = Session.start(dict(parse_qsl(urlparse(LINKS[k]).query)))
    assert not s.messages, s.messages
    return s


def at(c, values, step):
    return float(values[list(c.steps).index(step)])


def test_there_are_five_links_and_each_round_trips():
    assert len(LINKS) == 5
    for k in range(5):
        s = opened(k)
        assert Session.start(s.link_query()).link_query() == s.link_query()


def test_softmax_keeps_pushing_after_every_margin_is_met():
    s = opened(0).step(300)
    ex = s.explorer
    snaps = [*ex.state.history, ex.state.snapshot()]
    hinge = [evaluate(sn.W, sn.b, ex.X, ex.y, objective="hinge")[0] for sn in snaps]
    first = next(k for k, v in enumerate(hinge) if v == 0)
    assert snaps[first].step == 46 and all(v == 0 for v in hinge[first:])
    c = curves(ex, most=400)
    assert round(at(c, c.loss, 50), 2) == 0.25 and round(at(c, c.loss, 300), 2) == 0.05
    norms = [np.linalg.norm(sn.W) for sn in snaps[first:]]
    assert np.all(np.diff(norms) > 0)  # the rows keep growing


def test_the_svm_stops_once_every_margin_is_met():
    s = opened(1)
    v = make_view(s.frame)
    assert v.margins is not None and "hinge loss" in status_line(s.frame, 0.0)  # the bars are margins
    at50 = s.step(50).explorer
    assert at50.state.loss == 0.0
    np.testing.assert_array_equal(s.step(50).step(100).explorer.state.W, at50.state.W)


def test_one_sample_with_the_hinge_loss_at_zero_weights():
    s = opened(2).step()
    m = make_view(s.frame).math
    np.testing.assert_array_equal(np.delete(m.margins, m.y), [1.0, 1.0])  # both violated, each is Δ
    np.testing.assert_allclose(s.frame.record.update[m.y], 2 * 0.1 * m.x)  # +2γ x_i, γ = 0.1 (the default)
    for row in np.delete(s.frame.record.update, m.y, axis=0):
        np.testing.assert_allclose(row, -0.1 * m.x)
    np.testing.assert_allclose(m.predicted_df, m.measured_df, atol=1e-12)


@pytest.mark.parametrize("k", [3, 4])
def test_overfitting_and_what_l2_buys(k):
    s = opened(k)
    ex = s.explorer
    assert ex.n_test == 15
    c = curves(s.step(300).explorer, most=400)
    if k == 3:  # no L2
        assert c.accuracy[-1] == 1.0 and round(float(c.loss[-1]), 2) == 0.09
        best = int(np.argmin(c.test_loss))
        assert c.steps[best] == 10 and round(float(c.test_loss[best]), 2) == 0.72
        assert round(float(c.test_loss[-1]), 2) == 1.86
        assert c.test_accuracy.max() == pytest.approx(10 / 15) and c.test_accuracy[-1] == pytest.approx(8 / 15)
    else:  # λ = 0.03
        assert c.accuracy[-1] == pytest.approx(14 / 15)
        assert round(float(c.test_loss[-1]), 2) == 0.79 and c.test_accuracy[-1] == pytest.approx(11 / 15)


def test_the_readmes_break_it_walk_through():
    # The README's "Break it on purpose" numbers, as the session gives them.
    s = Session.start({"preset": "blobs", "lr": "10", "reg": "1"}).run(100)
    text = s.messages[0][1]
    assert "from 1.1 to 8.91e+189" in text and "1 − γλ = -9" in text
    assert "grows from 1.1 to about 9e189" in README
    s = s.run(100)
    assert s.explorer.state.step == 105 and "after 5 good steps" in s.messages[0][1]
    assert "would pass 1e+100" in s.messages[0][1] and "after 5 good steps" in README
