"""The browser protocol under fast hands: numbered presses, acknowledgements, look-ahead, keys (issue 7),
Play/Pause at once (issue 19, item 5), Clear (item 3) and the download buttons (item 17)."""

from __future__ import annotations

import pytest

from ..harness import plane_root, wait_until_idle
from .test_browser import open_app, press, status, wait_status

pytestmark = pytest.mark.browser


def acked(page) -> int:
    return int(plane_root(page).get_attribute("data-ack") or 0)


def sent(page) -> int:
    return int(plane_root(page).get_attribute("data-sent") or 0)


def presses(page, kind: str, count: int, apart_ms: int) -> None:
    """``count`` presses of a toolbar button ``apart_ms`` apart, made by the page's own timers (a
    fast hand: the interval is the scenario, not a wait), each on the button as it is then."""
    page.evaluate(
        """([kind, count, ms]) => new Promise((done) => {
             let n = 0;
             const one = () => {
               const b = document.querySelector(`[data-testid='lc-view-plane'] [data-testid='lc-btn-${kind}']`)
                 || document.querySelector(`[data-testid='lc-view-plane'] [data-kind='pause']`);
               b.dispatchEvent(new PointerEvent('pointerdown', {button: 0, bubbles: true}));
               if (++n < count) setTimeout(one, ms); else done();
             };
             one(); })""",
        [kind, count, apart_ms],
    )


def test_three_presses_within_150_ms_are_three_steps_and_nothing_freezes(page):
    # Found: three Step presses within 150 ms froze the plane and the status line (3 of 4 tries).
    open_app(page)
    for burst in range(1, 5):
        presses(page, "step1", 3, 50)
        wait_status(page, f"step {3 * burst} ")
    wait_until_idle(page)
    assert "step 12 " in status(page) and acked(page) == sent(page) == 12
    assert not page.errors, page.errors


def test_twelve_presses_a_second_lose_none(page):
    # Found: at about 12 presses a second, 12 of 36 presses were lost.
    open_app(page)
    presses(page, "step1", 36, 83)
    wait_status(page, "step 36 ")
    wait_until_idle(page)
    assert "step 36 " in status(page) and acked(page) == 36  # none lost, none doubled
    assert not page.errors, page.errors


def test_step_paints_the_look_ahead_first_and_python_agrees(page):
    open_app(page)
    wait_status(page, "step 0 ")
    before = page.evaluate("() => document.querySelector(\"[data-testid='lc-view-plane']\").lcPainted.length")
    press(page, "step1")
    wait_status(page, "step 1 ")
    wait_until_idle(page)
    painted = page.evaluate(
        "(n) => document.querySelector(\"[data-testid='lc-view-plane']\").lcPainted.slice(n)", before
    )
    # The look-ahead (rev + 0.5) first, then Python's own frame of the same step: nothing older after.
    assert len(painted) == 2 and painted[0] % 1 == 0.5 and painted[1] > painted[0], painted
    assert "step 1 " in status(page)
    assert acked(page) == 1


def test_keys_step_play_and_ignore_text_fields(page):
    open_app(page)
    page.keyboard.press("Space")
    wait_status(page, "step 1 ")
    page.keyboard.press("ArrowLeft")
    wait_status(page, "step 0 ")
    page.keyboard.press("s")
    page.wait_for_selector("[data-testid='lc-btn-tool'][aria-pressed='true'] >> text=Select")
    wait_until_idle(page)
    before = sent(page)
    box = page.get_by_label("Name of class 1")
    box.click()
    page.keyboard.press("Space")  # typing a space in a field steps nothing: no event is made
    assert sent(page) == before
    assert "step 0 " in status(page)
    assert not page.errors, page.errors


def test_twenty_play_pause_presses_60_ms_apart_end_paused(page):
    """Issue 19, item 5: the button read "Play" until Python answered, so a quick second press was
    sent as another Play (4 of 12 runs of 20 presses 60 ms apart ended in the wrong state). Three
    rounds on one page, each from a paused state as the first."""
    open_app(page, "?preset=blobs&n=60&k=3&seed=1")
    root = plane_root(page)
    for _ in range(3):
        presses(page, "play", 20, 60)
        kinds = page.evaluate(
            "() => Array.from(document.querySelectorAll(\"[data-testid='lc-view-plane'] [data-kind='play'],"
            " [data-testid='lc-view-plane'] [data-kind='pause']\")).map(b => b.dataset.kind)"
        )
        assert kinds == ["play"], kinds  # the page shows the state of the last press at once
        wait_until_idle(page)
        assert page.locator("[data-testid='lc-btn-play']").count() == 1  # and Python agrees: paused
        assert acked(page) == sent(page)
        assert root.get_attribute("data-shown-rev") == root.get_attribute("data-rev")
        assert "step" in status(page)
    assert not page.errors, page.errors


def test_after_clear_the_curve_updates_without_console_errors(page):
    """Issue 19, item 3: Clear sent "y":[NaN]; the page logged "Unexpected token 'N'" and the curve
    kept its old picture."""
    open_app(page, "?preset=blobs&n=30&k=3&seed=1")
    press(page, "step10")
    wait_until_idle(page)
    curve = "[data-testid='lc-view-curve']"
    page.locator(f"{curve}[data-drawn]").wait_for()
    rev = float(page.locator(curve).get_attribute("data-shown-rev"))
    press(page, "clear")
    wait_until_idle(page)
    # The curve's view may be built anew meanwhile (a loaded run read it as null).
    page.wait_for_function(f'(r) => {{ const e = document.querySelector("{curve}");'
                           " return !!e && +e.dataset.shownRev > r; }", arg=rev)  # fmt: skip
    ys = page.evaluate("() => document.querySelector(\"[data-testid='lc-curve']\").data[0].y")
    assert isinstance(ys, list) and ys and all(y is None for y in ys), ys  # no points, no loss: a gap
    assert not page.errors, page.errors


@pytest.mark.parametrize("kinds", [("step1", "back"), ("play", "play")])
def test_fast_presses_request_no_replaced_download(page, kinds):
    """Issue 19, item 17: "Download Button source error - 404" in the console after fast Steps,
    Backs or Play/Pause: the page asked for a file a newer rerun had replaced."""
    open_app(page)
    for _ in range(6):
        for kind in kinds:
            presses(page, kind, 2, 40)
    wait_until_idle(page)
    page.locator("[data-testid='stSidebar']").wait_for(state="attached")
    failed = [u for u in page.requests if "/media/" in u]
    errors = [e for e in page.errors if "404" in e or "Download" in e]
    assert not errors, (errors, failed)
