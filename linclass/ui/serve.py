"""Start the explorer for a class: ``linclass serve [--port 8501] [streamlit options]`` (the same as
``python -m linclass.ui.serve ...``), from a checkout or an installed package.

Why not plain ``streamlit run app.py``: a headless Streamlit asks a web service for the machine's
external IP address at start, to print it. In a lecture hall that is a request leaving the machine
(and offline, a warning). This launcher finds the address students on the same network can open
without sending anything (a UDP socket "connected" to a private address sends no packet; the
kernel only picks the outgoing interface), tells Streamlit to use it, and prints both addresses.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent

__all__ = ["app_script", "config_options", "lan_address", "addresses", "command", "parse", "option_error", "main",
           "cli"]  # fmt: skip


def app_script() -> Path:
    """The script to run: an installed package's ``linclass/ui/app.py`` (its static files beside it),
    else the checkout's ``app.py`` (static/ beside it)."""
    return HERE / "app.py" if (HERE / "static").is_dir() else HERE.parents[1] / "app.py"


def config_options() -> list[str]:
    """Streamlit's settings from the project's one config.toml (installed beside this module, or the
    checkout's .streamlit/), as ``--section.name value`` options: the same app from any folder."""
    for path in (HERE / "config" / "config.toml", HERE.parents[1] / ".streamlit" / "config.toml"):
        if path.is_file():
            table = tomllib.loads(path.read_text())
            pairs = [
                (f"--{section}.{name}", value) for section, values in table.items() for name, value in values.items()
            ]
            return [
                item
                for key, value in pairs
                for item in (key, str(value).lower() if value in (True, False) else str(value))
            ]
    return []


def lan_address() -> str | None:
    """This machine's address on its local network, or None; sends no packet."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))  # UDP connect: chooses a route, transmits nothing
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


def command(port: int, extra: list[str], address: str | None) -> list[str]:
    """The ``streamlit run`` command line: the shown address set, so Streamlit looks nothing up."""
    return [sys.executable, "-m", "streamlit", "run", str(app_script()), *config_options(), "--server.port", str(port),
            "--server.headless", "true", "--browser.serverAddress", address or "localhost", *extra]  # fmt: skip


def addresses(bind: str | None, port: int, lan: str | None) -> tuple[list[str], str]:
    """(what to print, the address Streamlit shows) for a server listening on ``bind`` (None: every
    address). The network address is given only when the server listens on it."""
    everywhere = bind in (None, "", "0.0.0.0", "::")
    local = "localhost" if everywhere else bind
    lines = [f"linclass: open http://{local}:{port} on this machine"]
    if everywhere and lan:
        lines.append(f"linclass: students on this network open http://{lan}:{port}")
        return lines, lan
    return lines, local


def option_error(tokens: list[str], known: set[str]) -> str | None:
    """What is wrong with ``tokens`` as ``streamlit run`` options (``--section.name value`` or
    ``--section.name=value``, the names from ``known``), or None."""
    rest = list(tokens)
    while rest:
        token = rest.pop(0)
        name, eq, _ = token.removeprefix("--").partition("=")
        if not token.startswith("--") or name not in known:
            return f"unrecognized argument: {token}"
        if not eq and (not rest or rest.pop(0).startswith("--")):
            return f"{token} needs a value"
    return None


def parse(argv: list[str] | None, prog: str = "python -m linclass.ui.serve") -> tuple[argparse.Namespace, list[str]]:
    """The launcher's own options, then the ``streamlit run`` options passed through; a bad one
    exits with this launcher's usage line (status 2) before anything is printed or started."""
    from linclass import __version__

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Start the linclass explorer and print the addresses to open.",
        allow_abbrev=False,  # a prefix of a Streamlit option must not be read as one of ours
        epilog="Any `streamlit run` option (--section.name value) follows, e.g. --theme.base dark.",
    )
    # Streamlit's own names for the port and address are ours too: the printed addresses must be the served ones.
    parser.add_argument("--port", "--server.port", type=int, default=8501, help="the port to serve on (default 8501)")
    parser.add_argument(
        "--server.address",
        dest="bind",
        default=None,
        metavar="ADDRESS",
        help="the address to listen on (default: every address)",
    )
    parser.add_argument("--lesson", action="append", default=[], metavar="FILE",
                        help="a lesson (TOML) served as ?lesson=<its file name>; may be repeated")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"linclass {__version__}")
    args, extra = parser.parse_known_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f"--port {args.port}: a port is 1 to 65535")
    args.lessons = lessons(parser, args.lesson)
    if extra:
        from streamlit import config  # only to know the option names

        error = option_error(extra, set(config.get_config_options()))
        if error:
            parser.error(error)
    if args.bind:
        extra = ["--server.address", args.bind, *extra]
    return args, extra


def lessons(parser: argparse.ArgumentParser, files: list[str]) -> list:
    """The ``--lesson`` files, read and checked before anything starts (a bad one: the usage line and
    the scene, key and line at fault); two may not take one name."""
    from linclass.session.lesson import LessonError, read_lesson_file

    out = []
    for f in files:
        try:
            lesson = read_lesson_file(Path(f).resolve())
        except LessonError as err:
            parser.error(f"--lesson {err}")
        if any(other.name == lesson.name for _, other in out):
            parser.error(f"--lesson {f}: another file already gives the lesson {lesson.name!r}")
        out.append((str(Path(f).resolve()), lesson))
    return out


def main(argv: list[str] | None = None, prog: str = "python -m linclass.ui.serve") -> None:
    args, extra = parse(argv, prog)
    lines, address = addresses(args.bind, args.port, lan_address())
    for _, lesson in args.lessons:
        lines.append(f"linclass: the lesson {lesson.title!r} ({len(lesson)} scenes) is at ?lesson={lesson.name}")
    if args.lessons:  # the app's every session reads them (linclass.ui.page.lesson_shelf)
        from linclass.session.lesson import LESSONS_ENV

        os.environ[LESSONS_ENV] = os.pathsep.join(path for path, _ in args.lessons)
    for line in lines:
        print(line, flush=True)
    from streamlit.web import cli  # imported here: the launcher's help needs no Streamlit

    sys.argv = command(args.port, extra, address)[2:]  # as if "streamlit run ..." was typed
    sys.exit(cli.main(prog_name="streamlit"))  # a bad option value: Streamlit's usage names a real command


def cli(argv: list[str] | None = None) -> None:
    """The ``linclass`` command: ``linclass serve [options]`` starts the explorer; ``linclass --version``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        return main(argv[1:], prog="linclass serve")
    from linclass import __version__

    parser = argparse.ArgumentParser(prog="linclass", description="The linclass explorer.")
    parser.add_argument("--version", action="version", version=f"linclass {__version__}")
    parser.add_argument("command", choices=["serve"], help="serve: start the explorer (linclass serve --help)")
    parser.parse_args(argv)
    return None


if __name__ == "__main__":
    main()
