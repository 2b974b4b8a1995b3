"""One home for every limit and for the class-name rule."""

import pytest

from linclass.core import limits
from linclass.session import explorer, settings, statefile


def test_every_door_uses_the_same_limits():
    assert explorer.MAX_CLASSES is limits.MAX_CLASSES and statefile.MAX_CLASSES is limits.MAX_CLASSES
    assert settings.BY_NAME["k"].bounds == (limits.MIN_CLASSES, limits.MAX_CLASSES)


@pytest.mark.parametrize("k", [1, 9])
def test_a_class_count_outside_the_range_names_the_range(k):
    with pytest.raises(ValueError, match=f"between {limits.MIN_CLASSES} and {limits.MAX_CLASSES} classes, got {k}"):
        limits.class_count(k)


def test_names_are_cleaned_then_cut_then_given_their_fallback():
    assert limits.clean_name("e\u0301") == "\u00e9"  # NFC: one character, as a file and a link spell it
    assert limits.clean_name("  café   au  lait ") == "café au lait"
    assert limits.shown_name("x" * 50, "A") == "x" * limits.MAX_NAME
    assert limits.shown_name("   ", "B") == "B"
    assert limits.name_problem("a\x07") == "contains a control character"
    assert limits.name_problem("x" * 41) == f"is longer than {limits.MAX_NAME} characters"
    assert limits.name_problem("ok") is None
