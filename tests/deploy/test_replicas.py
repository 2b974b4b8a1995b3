"""Three replicas behind HAProxy (deploy/cluster.py): sessions spread over them, each stays on its replica
through reruns, uploads and downloads, and a stopped replica loses only its own sessions.

All six browser contexts come from 127.0.0.1, like a class behind one NAT: they still spread, because the
replica is chosen per browser (a cookie), not per client IP.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.cluster import HAPROXY_HINT, SOCKET, find_haproxy, running, stop

from ..harness import ROOT, status, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("deploy")]  # one worker builds the cluster once
CLUSTER = [sys.executable, str(ROOT / "deploy" / "cluster.py")]
N_REPLICAS, N_SESSIONS = 3, 6


# ----- the app's UI, in one place (it is being reworked) ------------------------------------------
URL_POINTS = 30  # a fresh session starts with the points the URL asks for


def open_app(page, url: str) -> None:
    page.goto(url + f"?preset=blobs&n={URL_POINTS}&k=3&seed=1")


def press_step(page) -> None:
    page.locator("[data-testid='lc-btn-step1']").click()


def upload_points(page, csv: Path) -> None:
    page.locator("[data-testid='stExpander'] summary").filter(has_text="Points").click()
    uploader = page.locator("[data-testid='stFileUploader']").filter(has_text="Upload points")
    uploader.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(csv))


def download_points(page) -> None:
    page.locator("[data-testid='stDownloadButton']").filter(has_text="Download points").locator("button").click()


def wait_shown(page, step: int, n_points: int, timeout: float = 30_000) -> None:
    """Wait until the status line says ``step {step}`` and ``{n_points} points``."""
    try:
        _wait_shown(page, step, n_points, timeout)
    except Exception as err:
        raise AssertionError(
            f"waited for step {step}, {n_points} points; the page shows {status(page)!r} at {page.url}"
        ) from err


def _wait_shown(page, step: int, n_points: int, timeout: float) -> None:
    page.wait_for_function(
        """([step, n]) => { const s = document.querySelector("[data-testid='lc-view-plane'] .lc-status");
                            const t = s ? s.textContent : "";
                            return t.match(/step (\\d+)/)?.[1] === String(step)
                                   && t.match(/(\\d+) points/)?.[1] === String(n); }""",
        arg=[step, n_points],
        timeout=timeout,
    )


def shown(page) -> tuple[int, int]:
    """(step, number of points) from the status line."""
    text = status(page)
    return int(re.search(r"step (\d+)", text)[1]), int(re.search(r"(\d+) points", text)[1])


# While a page has lost its server Streamlit disables every widget and, when the toolbar is shown, puts a
# "Connecting" notice in it (frontend: StatusWidget, data-testid stConnectionStatus). Both last only until
# the page has reconnected, so a timer in the page records the first sight of each, and of a blank page or
# a traceback at any moment.
WATCH_DISCONNECT = """() => { window.__lcSeen = {};
    const seen = (k, v) => { if (v && !(k in window.__lcSeen)) window.__lcSeen[k] = v; };
    setInterval(() => {
        const n = document.querySelector("[data-testid='stConnectionStatus']");
        seen("notice", n && n.textContent);
        seen("disabled", document.querySelector(".st-key-btn_preset button:disabled") && "Load preset");
        seen("blank", !document.querySelector("[data-testid='lc-view-plane']") && "no plane");
        seen("traceback", (document.querySelector("[data-testid='stException']")
                           || document.body.textContent.includes("Traceback")) && "traceback");
    }, 50); }"""


def disconnect_seen(page) -> dict:
    """What the page showed since WATCH_DISCONNECT: keys notice, disabled, blank, traceback, each if seen."""
    return page.evaluate("() => window.__lcSeen")


def traceback_shown(page) -> bool:
    return page.locator("[data-testid='stException']").count() > 0 or "Traceback" in page.inner_text("body")


def blank(page) -> bool:
    return not page.inner_text("body").strip() or page.locator("[data-testid='lc-view-plane']").count() == 0


# ----- the cluster and the sessions -----------------------------------------------------------------
def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*CLUSTER, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def cluster(chromium_path, tmp_path_factory):
    """``deploy/cluster.py start 3`` on a free port; stopped (and checked stopped) afterwards."""
    if not find_haproxy():
        if os.environ.get("CI"):
            pytest.fail(f"the deploy test must run on CI: {HAPROXY_HINT}", pytrace=False)
        pytest.skip(HAPROXY_HINT)
    run = str(tmp_path_factory.mktemp("cluster"))
    started = cli("start", str(N_REPLICAS), "--port", "0", "--run-dir", run)
    state = json.loads(cli("status", "--json", "--run-dir", run).stdout or "null")
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield state
    finally:
        stopped = cli("stop", "--run-dir", run, timeout=60) if state else None
        left = running(state) if state else []
        if left:
            stop(state)  # never leave a process behind, even when `cluster.py stop` failed
        assert stopped is None or stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not left, f"still running after `cluster.py stop`: {left}"


@dataclass
class Session:
    page: object
    replica: str  # the server named by the balancer's cookie
    n_points: int  # how many points this session uploaded


def replica_of(page, cookie: str) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == cookie), None)


def points_csv(path: Path, n: int) -> Path:
    rows = [f"{(i % 5) / 5 - 0.4:.2f},{(i // 5) / 5 - 0.3:.2f},{i % 2}" for i in range(n)]
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def sessions(cluster, browser, tmp_path_factory):
    """Six sessions (six cookie jars) through the balancer, each with its own points uploaded and one step."""
    pages = []
    try:
        for _ in range(N_SESSIONS):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.set_default_timeout(20_000)
            open_app(page, cluster["url"])
            pages.append(page)
        folder = tmp_path_factory.mktemp("csv")
        out = []
        for i, page in enumerate(pages):
            wait_until_idle(page)
            out.append(Session(page, replica_of(page, cluster["cookie"]), 7 + i))
            upload_points(page, points_csv(folder / f"s{i}.csv", 7 + i))
        for s in out:
            wait_shown(s.page, 0, s.n_points)  # a new data set starts at step 0
            press_step(s.page)
        for s in out:
            wait_shown(s.page, 1, s.n_points)
        yield out
    finally:
        for page in pages:
            page.context.close()


# ----- the tests (in this order: the last one stops a replica) ---------------------------------------
def test_sessions_spread_over_the_replicas(cluster, sessions):
    names = {r["name"] for r in cluster["replicas"]}
    used = [s.replica for s in sessions]
    assert set(used) <= names, used  # every page was served by a replica and carries its cookie
    assert len(set(used)) > 1, f"all {N_SESSIONS} sessions on one replica: {used}"


def test_each_session_keeps_its_points_across_reruns_and_uploads(cluster, sessions):
    for s in sessions:
        press_step(s.page)
    for s in sessions:
        wait_shown(s.page, 2, s.n_points)  # its own upload, still there two reruns later
        assert replica_of(s.page, cluster["cookie"]) == s.replica


def test_each_download_gives_that_sessions_points(cluster, sessions):
    got = {}
    for i, s in enumerate(sessions):
        s.page.on("download", lambda d, i=i: got.setdefault(i, d))
        download_points(s.page)
    deadline = time.time() + 15
    while len(got) < len(sessions) and time.time() < deadline:
        sessions[0].page.wait_for_timeout(200)  # lets Playwright deliver the download events
    rows = {i: len(Path(got[i].path()).read_text().strip().splitlines()) - 1 for i in got}
    assert rows == {i: s.n_points for i, s in enumerate(sessions)}
    for s in sessions:
        assert shown(s.page)[1] == s.n_points  # a download leaves the session as it was


def runtime_api(cluster, *commands: str) -> str:
    """Send commands to HAProxy's runtime API (the admin socket deploy/cluster.py configures)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(Path(cluster["run_dir"]) / SOCKET))
        sock.sendall(("; ".join(commands) + "\n").encode())
        return b"".join(iter(lambda: sock.recv(4096), b"")).decode()


def test_an_upload_reaches_its_replica_even_while_the_checks_call_it_down(cluster, browser, tmp_path):
    # A lost CSV upload behind the balancer (one CI run): a replica busy enough to answer its health
    # check late is called down, and the upload's request then went to another replica, which dropped it.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        open_app(page, cluster["url"])
        wait_until_idle(page)
        replica = replica_of(page, cluster["cookie"])
        server = f"replicas/{replica}"
        runtime_api(cluster, f"disable health {server}", f"set server {server} health down")
        try:
            stat = runtime_api(cluster, "show stat").splitlines()
            assert any(row.split(",")[1] == replica and ",DOWN," in row for row in stat), stat
            upload_points(page, points_csv(tmp_path / "while-down.csv", 12))
            wait_shown(page, 0, 12)
            assert replica_of(page, cluster["cookie"]) == replica
        finally:
            runtime_api(cluster, f"enable health {server}", f"set server {server} health up")
    finally:
        context.close()


@dataclass
class Crash:
    victim: str  # the replica that was killed
    lost: list[Session]  # the sessions it held
    kept: list[Session]  # the others
    seen: dict[int, dict]  # id(session) -> what its page showed while disconnected


@pytest.fixture(scope="module")
def crash(cluster, sessions):
    """Kill the replica that holds the most sessions (SIGKILL: a crash, not a clean shutdown)."""
    replicas = [s.replica for s in sessions]
    victim = max(set(replicas), key=replicas.count)
    for s in sessions:
        s.page.evaluate(WATCH_DISCONNECT)
    os.kill(next(r["pid"] for r in cluster["replicas"] if r["name"] == victim), signal.SIGKILL)
    lost = [s for s in sessions if s.replica == victim]
    for s in lost:  # back through the balancer on a live replica, as a new session with the URL's points
        wait_shown(s.page, 0, URL_POINTS)
    kept = [s for s in sessions if s.replica != victim]
    return Crash(victim, lost, kept, {id(s): disconnect_seen(s.page) for s in sessions})


def test_a_stopped_replica_loses_only_its_own_sessions(cluster, crash):
    for s in crash.lost:
        seen = crash.seen[id(s)]
        assert seen.get("disabled"), seen  # the page said it had lost its server ...
        assert not seen.get("blank") and not seen.get("traceback"), seen  # ... and kept showing the last frame
        assert replica_of(s.page, cluster["cookie"]) not in (None, crash.victim)
        assert not traceback_shown(s.page) and not blank(s.page)
        press_step(s.page)  # a new session, with the points its URL asks for: its own points are gone
        wait_shown(s.page, 1, URL_POINTS)
    for s in crash.kept:
        assert crash.seen[id(s)] == {}  # never lost its server
        step, n_points = shown(s.page)
        assert n_points == s.n_points
        press_step(s.page)
        wait_shown(s.page, step + 1, s.n_points)
        assert replica_of(s.page, cluster["cookie"]) == s.replica
        assert not traceback_shown(s.page)


def test_a_lost_page_shows_streamlits_connecting_notice(crash):
    assert all("Connecting" in (crash.seen[id(s)].get("notice") or "") for s in crash.lost), crash.seen
