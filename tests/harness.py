"""Start the app on loopback and drive it in a real headless Chromium (tests and benchmarks).

Chromium is Debian's (/usr/bin/chromium) or Playwright's own where one was installed; nothing
is downloaded. ``find_chromium()`` returns None when there is none, and ``CHROMIUM_HINT`` says
in one line how to get one.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_HINT = (
    "no Chromium found: install one with `sudo apt-get install -y chromium` (Debian/Ubuntu) "
    "or `python -m playwright install chromium`, or set LINCLASS_CHROMIUM=/path/to/chrome"
)


def check_node_fixture(path: Path, doc) -> None:
    """``doc`` (what Python computes now, as the page receives it) is what the node tests read from
    ``path``; with LINCLASS_WRITE_FIXTURE set it is written there first."""
    from linclass.ui.plotly_view import _dumps

    got = json.loads(_dumps(doc))
    if os.environ.get("LINCLASS_WRITE_FIXTURE"):
        path.write_text(json.dumps(got) + "\n")
    assert json.loads(path.read_text()) == got  # regenerate with LINCLASS_WRITE_FIXTURE=1


def find_chromium() -> str | None:
    """Path of a Chromium to drive: $LINCLASS_CHROMIUM, Debian's, or Playwright's own download."""
    candidates = [os.environ.get("LINCLASS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]  # fmt: skip
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    candidates += sorted(glob.glob(str(cache / "chromium-*" / "chrome-linux*" / "chrome")), reverse=True)
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on 127.0.0.1, headless, until ``stop()``."""

    def __init__(self, app: Path | str = ROOT / "app.py", port: int | None = None, env: dict | None = None):
        self.app = Path(app)
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self.log = ""

    def start(self, timeout: float = 60) -> AppServer:
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.app), "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.app.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=None if self.env is None else {**os.environ, **self.env},
        )
        return self.wait_until_serving(timeout)

    def wait_until_serving(self, timeout: float = 60) -> AppServer:
        """Until Streamlit's health check answers ok (its e2e tests' condition); RuntimeError if the
        process ends first or never answers."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.proc.stdout.read()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not become healthy in time")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc and self.proc.stdout:
            self.log = self.proc.stdout.read()


def launch(playwright, executable: str | None = None):
    return playwright.chromium.launch(executable_path=executable or find_chromium(), args=CHROMIUM_FLAGS)


# How often a browser test's wait checks its condition, in ms (see tests/conftest.py: _new_tab).
POLL_MS = 30


def wait_until_idle(page, timeout: float = 30_000) -> None:
    """Wait for the script run to finish (Streamlit's own e2e tests do this) and the plane to be drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_selector("[data-testid='lc-view-plane'][data-drawn]", timeout=timeout)
    # ... and, unless playing, Python's own frame painted (a Step's look-ahead is painted first, as
    # plain SVG; Plotly then draws the answer).
    # Every press sent is acknowledged (data-sent, data-ack: the page's own markers), and the
    # script run that answered the last one is over.
    page.wait_for_function(
        """() => { const r = document.querySelector("[data-testid='lc-view-plane']");
                   if (!r) return false;  // the view is being built anew (a scene, presenter mode)
                   const playing = !!r.querySelector("[data-testid='lc-btn-pause']");
                   const answered = !r.dataset.sent || r.dataset.ack === r.dataset.sent;
                   const idle = document.querySelector("[data-testid='stApp']").dataset.testScriptState
                                === 'notRunning';
                   return answered && idle && (playing || r.dataset.shownRev === r.dataset.rev); }""",
        polling=POLL_MS,
        timeout=timeout,
    )


def plane_root(page):
    return page.locator("[data-testid='lc-view-plane']")


def status(page) -> str:
    return page.locator("[data-testid='lc-view-plane'] .lc-status").text_content() or ""


def plot_box(page, name: str = "points"):
    """The plot area (inside the axes) of a plot, in page pixels."""
    return page.locator(f"[data-testid='lc-{name}'] .nsewdrag").first.bounding_box()


def data_to_page(page, x: float, y: float, name: str = "points") -> tuple[float, float]:
    """Page pixel coordinates of the data point (x, y) on a plot, from Plotly's own axes."""
    return tuple(
        page.evaluate(
            """([name, x, y]) => {
                const gd = document.querySelector(`[data-testid='lc-${name}']`);
                const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
                const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
                return [box.left + xa.d2p(x), box.top + ya.d2p(y)];
            }""",
            [name, x, y],
        )
    )
