"""The launcher's printed addresses (issue 8): students get the network address only when it is served."""

import subprocess
import sys
from pathlib import Path

import pytest

import linclass
from linclass.ui import serve
from linclass.ui.serve import addresses, command

ROOT = Path(__file__).resolve().parents[2]


def test_every_address_gives_the_network_one():
    lines, shown = addresses(None, 8501, "192.168.1.20")
    assert lines == ["linclass: open http://localhost:8501 on this machine",
                     "linclass: students on this network open http://192.168.1.20:8501"]  # fmt: skip
    assert shown == "192.168.1.20"
    assert "--browser.serverAddress" in command(8501, [], shown)


def test_a_loopback_server_does_not_promise_a_network_address():
    # Found (review): with --server.address 127.0.0.1 it still printed an unreachable network address.
    lines, shown = addresses("127.0.0.1", 8599, "192.0.2.2")
    assert lines == ["linclass: open http://127.0.0.1:8599 on this machine"] and shown == "127.0.0.1"


def test_offline_it_says_localhost():
    lines, shown = addresses(None, 8501, None)
    assert len(lines) == 1 and shown == "localhost"


# ---------- options are parsed before anything is printed (issue 19, item 15) ----------------------
# Found: `--version` or a typo printed both addresses, then Streamlit's usage line naming a module
# that does not exist (`python -m linclass.ui.streamlit run`).


@pytest.fixture
def started(monkeypatch):
    """Streamlit's entry point replaced: the argv it would have run, or None if it was never called."""
    from streamlit.web import cli

    seen = {}

    def fake_main(*args, **kwargs):
        seen["argv"] = list(sys.argv)
        return 0

    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(serve, "lan_address", lambda: "192.0.2.7")
    return seen


def test_version_prints_the_version_only(started, capsys):
    with pytest.raises(SystemExit) as stop:
        serve.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"linclass {linclass.__version__}\n"
    assert "argv" not in started


@pytest.mark.parametrize("argv", [["--prot", "9000"], ["--server.prot", "9000"], ["stray"], ["--theme.base"]])
def test_a_typo_gives_the_launchers_usage_and_starts_nothing(started, capsys, argv):
    with pytest.raises(SystemExit) as stop:
        serve.main(argv)
    out, err = capsys.readouterr()
    assert stop.value.code == 2
    assert out == ""  # no address promised for a server that will not start
    assert err.startswith("usage: python -m linclass.ui.serve")
    assert argv[0] in err
    assert "argv" not in started


def test_streamlit_options_pass_through(started, capsys):
    with pytest.raises(SystemExit) as stop:
        serve.main(["--port", "8600", "--theme.base", "dark", "--server.runOnSave=true"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "http://localhost:8600" in out and "http://192.0.2.7:8600" in out
    argv = started["argv"]
    assert argv[:3] == ["streamlit", "run", str(serve.app_script())]
    assert argv[argv.index("--server.port") + 1] == "8600"
    assert argv[-3:] == ["--theme.base", "dark", "--server.runOnSave=true"]


def test_streamlits_own_port_option_is_the_printed_one(started, capsys):
    # Found (review): passed through, --server.port 9000 would be served while 8501 was printed.
    with pytest.raises(SystemExit):
        serve.main(["--server.port", "9000"])
    assert "http://localhost:9000" in capsys.readouterr().out
    argv = started["argv"]
    assert argv.count("--server.port") == 1 and argv[argv.index("--server.port") + 1] == "9000"


def test_a_bad_option_value_names_a_real_command():
    # Streamlit checks the values; its usage line must name a command that exists.
    done = subprocess.run(
        [sys.executable, "-m", "linclass.ui.serve", "--server.headless", "maybe"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Usage: streamlit run" in done.stderr
    assert "linclass.ui.streamlit" not in done.stderr + done.stdout


SOFTMAX = ROOT / "linclass" / "session" / "lessons" / "softmax.toml"


def test_a_lesson_file_is_served_to_every_session_by_its_name(started, capsys, monkeypatch, tmp_path):
    from linclass.session.lesson import LESSONS_ENV

    monkeypatch.setenv(LESSONS_ENV, "")  # restored after the test: the launcher sets it
    mine = tmp_path / "Week 3.toml"
    mine.write_text(SOFTMAX.read_text().replace('title = "Softmax, step by step"', 'title = "Week 3"'))
    with pytest.raises(SystemExit) as stop:
        serve.main(["--lesson", str(mine), "--port", "8600"])
    assert stop.value.code == 0
    assert "the lesson 'Week 3' (10 scenes) is at ?lesson=week-3" in capsys.readouterr().out
    import os

    assert os.environ[LESSONS_ENV] == str(mine.resolve())  # the app's sessions read it (page.lesson_shelf)
    assert "--lesson" not in started["argv"]


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        ("format = 1", "bad.toml", 'key "format", line 1: must be text'),
        (None, "softmax.toml", "is a built-in lesson's"),
        (None, "missing.toml", "cannot be read"),
    ],
)
def test_a_bad_lesson_file_stops_the_launcher_before_anything_starts(started, capsys, tmp_path, content, name, words):
    path = tmp_path / name
    if name == "softmax.toml":
        path.write_text(SOFTMAX.read_text())
    elif content is not None:
        path.write_text(content)
    with pytest.raises(SystemExit) as stop:
        serve.cli(["serve", "--lesson", str(path)])
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == "" and "argv" not in started
    assert err.startswith("usage: linclass serve") and words in err, err
