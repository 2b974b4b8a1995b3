"""The plot component's protocol, in a small app of its own (tests/browser/apps/protocol_app.py)."""

from __future__ import annotations

import pytest

from ..harness import ROOT, AppServer

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("protocol_app")]  # one server for the module
APP = ROOT / "tests" / "browser" / "apps" / "protocol_app.py"


@pytest.fixture(scope="module")
def server(chromium_path):
    # The component's files are served from static/ next to the running script: run the small app
    # from a folder that has them, as the explorer does.
    import shutil
    import tempfile

    d = tempfile.mkdtemp()
    shutil.copy(APP, f"{d}/app.py")
    shutil.copytree(ROOT / "static", f"{d}/static")
    shutil.copytree(ROOT / ".streamlit", f"{d}/.streamlit")
    s = AppServer(f"{d}/app.py", env={"PYTHONPATH": str(ROOT)}).start()
    yield s
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def applied(page) -> list[int]:
    text = page.locator("[data-testid='stMarkdown']").filter(has_text="applied:").first.text_content()
    return [int(x) for x in text.split("applied:")[1].strip().split(",") if x.strip()]


def open_page(page, server, query=""):
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(server.url + query)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_selector("[data-testid='lc-view-view'][data-drawn]")
    return page


@pytest.mark.parametrize("query", ["", "?slow=300", "?drop=1"])
def test_every_press_is_applied_once_in_order(page, server, query):
    open_page(page, server, query)
    for _ in range(15):
        page.locator("[data-testid='lc-btn-step1']").click()
    page.wait_for_function("() => document.querySelector(\"[data-testid='lc-view-view']\").dataset.ack === '15'",
                           timeout=30_000)  # fmt: skip
    wait_until_idle_app(page)
    assert applied(page) == list(range(1, 16))  # none lost, none doubled, in order
    page.wait_for_function("() => document.querySelector(\"[data-testid='lc-view-view'] .lc-status\")"
                           ".textContent === 'count 15'")  # fmt: skip


def wait_until_idle_app(page):
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def test_the_look_ahead_is_painted_at_once_and_never_replaced_by_an_older_frame(page, server):
    open_page(page, server, "?slow=400")
    # Each status text painted, with the press Python had acknowledged when it was painted.
    page.evaluate("""() => { window.__seen = []; window.__acks = [];
        const r = document.querySelector("[data-testid='lc-view-view']"), s = r.querySelector('.lc-status');
        new MutationObserver(() => { window.__seen.push(s.textContent); window.__acks.push(r.dataset.ack); })
          .observe(s, {childList: true, subtree: true, characterData: true}); }""")
    start = int(page.locator("[data-testid='lc-view-view'] .lc-status").text_content().split()[-1])
    acked = page.locator("[data-testid='lc-view-view']").get_attribute("data-ack")
    page.locator("[data-testid='lc-btn-step1']").click()
    page.wait_for_function(f"() => window.__seen.includes('count {start + 1}')")
    seen, acks = page.evaluate("() => [window.__seen, window.__acks]")
    assert acks[seen.index(f"count {start + 1}")] == acked  # the look-ahead was painted before Python answered
    page.locator("[data-testid='lc-btn-step1']").click()  # a second press, likely while Python is busy
    page.wait_for_function(f"() => window.__seen.includes('count {start + 2}')")
    wait_until_idle_app(page)
    counts = [int(s.split()[-1]) for s in page.evaluate("() => window.__seen")]
    assert counts == sorted(counts), counts  # never an older frame after a newer one


def test_play_plays_chunks_in_order_and_pause_stops_at_once(page, server):
    open_page(page, server)
    view = "[data-testid='lc-view-view']"
    page.locator("[data-testid='lc-btn-play']").click()
    page.wait_for_function(f'() => document.querySelector("{view}").lcPainted.length > 15', timeout=20_000)
    page.locator("[data-testid='lc-btn-pause']").click()
    shown = float(page.locator(view).get_attribute("data-shown-rev"))
    at_pause = page.evaluate(f'() => document.querySelector("{view}").lcPainted.length')
    page.locator("[data-testid='lc-btn-play']").wait_for()
    page.wait_for_function("(v) => { const r = document.querySelector(v); "
                           "return r.dataset.ack === r.dataset.sent; }", arg=view)  # fmt: skip
    wait_until_idle_app(page)
    painted = page.evaluate(f'() => document.querySelector("{view}").lcPainted')
    assert painted == sorted(painted) and len(set(painted)) == len(painted), painted  # in order, each once
    assert all(r <= shown for r in painted[at_pause:]), (shown, painted[at_pause:])  # nothing after Pause
