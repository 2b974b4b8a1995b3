"""The session's error boundary: a failing action leaves the session as it was, with a message."""

from linclass.session.session import Session


def test_a_failing_action_keeps_the_session():
    s = Session.start({"n": "30"})
    after = s.apply_events({"epoch": 1, "events": [{"id": 1, "kind": "click", "x": "nan?", "y": 0, "px": 1,
                                                     "py": 1}]})  # fmt: skip
    assert after.explorer is s.explorer and after.messages and after.messages[0][0] == "error"
