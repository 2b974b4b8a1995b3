"""Feature transforms in a real browser (issue 21): x₁x₂ switched on for XOR, ×100, and the training
accuracy reaches 100 % with the regions drawn from the model's grid (an image, not polygons)."""

from __future__ import annotations

import pytest

from ..harness import status, wait_until_idle
from .test_browser import mark, open_app, press, wait_status

pytestmark = pytest.mark.browser


def plane_regions(page) -> dict:
    """What the plane's regions layer draws: its traces' types, and the SVG elements painted."""
    return page.evaluate(
        """() => { const d = document.querySelector("[data-testid='lc-plane']");
                   return {types: d.data.map(t => t.type), images: d.querySelectorAll('svg image').length,
                           paths: d.querySelectorAll('svg path').length,
                           href: (d.querySelector('svg image') || {getAttribute: () => ''}).getAttribute('href')}; }"""
    )


def test_x1x2_on_xor_reaches_100_percent_and_the_regions_come_from_the_grid(page):
    open_app(page, "?preset=xor&mode=batch&lr=3")
    wait_status(page, "step 0 ")
    assert plane_regions(page)["images"] == 0  # x1, x2 alone: exact polygons
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Model").click()
    page.get_by_text("x₁x₂", exact=True).click()  # the toggle's label
    page.get_by_text("W has 3 columns").first.wait_for()
    wait_until_idle(page)
    mark(page)
    press(page, "step100")
    wait_status(page, "step 100 ")
    assert "accuracy 100.0%" in status(page)
    drawn = plane_regions(page)
    assert drawn["types"][0] == "image" and drawn["images"] == 1
    assert drawn["href"].startswith("data:image/png;base64,")
    assert "features=x1%2Cx2%2Cx1x2" in page.url or "features=x1,x2,x1x2" in page.url
