"""The CS231n demo's numbers read off the real page, and a shared moment opened in a new page (issue 21, part A)."""

from __future__ import annotations

import pytest

from ..harness import status, wait_until_idle
from .test_browser import open_app, press, wait_status

pytestmark = pytest.mark.browser


def loss_part(line: str) -> str:
    """The status line's loss part: "objective ... = data ... + L2 ..."."""
    return next(p for p in line.split("·") if "objective" in p).strip()


def test_the_demo_s_data_loss_and_total_are_on_the_page(page):
    open_app(page, "?preset=cs231n-demo&loss=hinge")
    wait_status(page, "step 0 ")
    assert loss_part(status(page)) == "objective 6.266667 = data hinge loss 2.766667 + L2 3.500000"
    page.get_by_role("radio", name="The math").click()
    page.get_by_text("In the state on screen (step 0)").wait_for()
    text = page.locator("[data-testid='stMarkdownContainer']").all_text_contents()
    said = next(t for t in text if "In the state on screen" in t)
    assert "data loss 2.766667" in said and "total 6.266667" in said
    assert any("adds 0.5" in t and "linclass steps by the true gradient" in t for t in text)


def test_a_shared_moment_opens_in_a_new_page_with_the_same_numbers(page, browser):
    open_app(page, "?preset=cs231n-demo&loss=softmax")
    wait_status(page, "step 0 ")
    press(page, "step10")
    wait_status(page, "step 10 ")
    wait_until_idle(page)
    shown = status(page)
    page.get_by_role("button", name="Share this exact moment").click()
    code = page.locator("[data-testid='stCode'] code")
    code.wait_for()
    link = code.text_content().strip()
    assert "?state=" in link and link.startswith(page.app_url.rstrip("/"))
    other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    other.set_default_timeout(20_000)
    try:
        other.goto(link)
        wait_until_idle(other)
        other.evaluate("() => { window.__lcSeen = 0; }")
        wait_status(other, "step 10 ")
        assert loss_part(status(other)) == loss_part(shown)
        assert status(other) == shown  # the step, the loss, the total, the accuracy, the points and the sample
        said = other.get_by_test_id("stAlert").first.text_content()
        assert "Opened a shared moment: 9 points, 3 classes, step 10." in said
    finally:
        other.context.close()
