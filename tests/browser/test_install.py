"""The app runs from a read-only checkout and from an installed package, and asks nothing of the
internet at start (issue 8)."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from ..harness import ROOT, AppServer, free_port, wait_until_idle

pytestmark = pytest.mark.browser


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if (ROOT / f).is_file()]


def read_only_copy(dest: Path, files: list[str]) -> Path:
    for f in files:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, dest / f)
    for path in sorted(dest.rglob("*"), reverse=True):
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    dest.chmod(dest.stat().st_mode & ~stat.S_IWUSR)
    return dest


def draws(page, server: AppServer) -> None:
    page.goto(server.url + "?preset=cs231n")
    wait_until_idle(page)
    assert "9 points" in page.locator("[data-testid='lc-view-plane'] .lc-status").text_content()
    assert not page.errors, page.errors


def test_a_read_only_checkout_runs(page, tmp_path):
    # Found: the app wrote plotly.min.js next to app.py at start, so a read-only checkout could not run.
    app = read_only_copy(tmp_path / "ro", tracked_files()) / "app.py"
    server = AppServer(app).start()
    try:
        draws(page, server)
    finally:
        server.stop()
        subprocess.run(["chmod", "-R", "u+w", str(tmp_path)], check=False)
    assert not any(p.name.endswith(".tmp") for p in (tmp_path / "ro" / "static").iterdir())


def test_the_installed_package_runs_the_app(page, tmp_path):
    # Issue 19, item 14: after `pip install '.[app]'`, `python -m linclass.ui.serve` failed from any folder
    # ("File does not exist: .../site-packages/app.py"). The package carries its page, static files and
    # config; `linclass serve` runs them from a folder that has nothing of the checkout.
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target",
                    str(site), str(ROOT)], check=True, capture_output=True)  # fmt: skip
    assert (site / "linclass" / "ui" / "static" / "plotly.min.js").is_file()
    assert (site / "linclass" / "session" / "lessons" / "softmax.toml").is_file()  # ?lesson=softmax
    assert (site / "bin" / "linclass").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(site)}
    version = subprocess.run([sys.executable, str(site / "bin" / "linclass"), "--version"], env=env, cwd=elsewhere,
                             capture_output=True, text=True, check=True)  # fmt: skip
    assert version.stdout.strip().startswith("linclass ")
    proc = subprocess.Popen([sys.executable, str(site / "bin" / "linclass"), "serve", "--port", str(port),
                             "--server.address", "127.0.0.1"], cwd=elsewhere, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    server = AppServer(port=port)
    server.proc = proc
    try:
        server.wait_until_serving()
        draws(page, server)
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


GUARD = """
import os, socket
_log = os.environ["LINCLASS_NET_LOG"]
_connect = socket.socket.connect
def connect(self, address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if self.type == socket.SOCK_STREAM and not (host.startswith("127.") or host in ("localhost", "::1")):
        with open(_log, "a") as f:
            f.write(f"{host}\\n")
    return _connect(self, address)
socket.socket.connect = connect
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *a, **k):
    if host not in (None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0") and not str(host).startswith("127."):
        with open(_log, "a") as f:
            f.write(f"lookup {host}\\n")
    return _getaddrinfo(host, *a, **k)
socket.getaddrinfo = getaddrinfo
"""


def test_the_launcher_asks_nothing_of_the_internet_and_prints_the_network_address(chromium_path, tmp_path):
    # Found: started as the README said, Streamlit looked up its external IP address on the internet.
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(GUARD))
    log = tmp_path / "net.log"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "LINCLASS_NET_LOG": str(log)}
    proc = subprocess.Popen([sys.executable, "-m", "linclass.ui.serve", "--port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    lines: list[str] = []
    guard = threading.Timer(60, proc.kill)  # a server that never prints its address fails, not hangs
    guard.start()
    try:
        # Streamlit prints its addresses (and used to look one up first) once it serves: read its
        # output until that line, the condition, rather than sleeping.
        for line in proc.stdout:
            lines.append(line)
            if "URL:" in line:
                break
    finally:
        guard.cancel()
        proc.terminate()
        out = "".join(lines) + proc.communicate(timeout=20)[0]
    assert "open http://localhost:" in out, out
    assert "External URL" not in out and "Did not auto detect" not in out, out
    assert not log.exists() or log.read_text() == "", log.read_text()
    assert socket.gethostname()  # (the guard itself worked: see the next test of it)


def test_the_guard_would_see_a_lookup(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent(GUARD))
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "LINCLASS_NET_LOG": str(log)}
    code = "import socket\ntry:\n    socket.getaddrinfo('checkip.amazonaws.com', 80)\nexcept OSError:\n    pass"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert "checkip.amazonaws.com" in log.read_text()
