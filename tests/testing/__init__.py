"""Tests of linclass.testing, the grading kit, and of the example assignment it grades."""

import pytest


def failure(check, fn, **kwargs) -> str:
    """The report a kit check gives ``fn``; fails the test if the check passes."""
    with pytest.raises(AssertionError) as info:
        check(fn, **kwargs)
    return str(info.value)
