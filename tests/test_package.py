"""The house rules that code review would otherwise have to remember."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linclass_loads_numpy_and_nothing_heavier():
    code = (
        "import sys, linclass; heavy = [m for m in ('streamlit', 'plotly', 'pandas', 'scipy', 'sklearn')"
        " if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _loaded_after_importing(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys, json\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    import json

    return set(json.loads(r.stdout))


def _modules_under(folder: str) -> list[str]:
    base = ROOT / "linclass" / folder
    return [f"linclass.{folder}.{p.stem}" if p.stem != "__init__" else f"linclass.{folder}" for p in base.glob("*.py")]


def test_imports_run_one_way():
    # The core and the session model load NumPy only: checked by importing every module, not by reading them.
    loaded = _loaded_after_importing(_modules_under("core") + _modules_under("session"))
    assert not loaded & {"streamlit", "plotly", "pandas", "scipy", "sklearn"}, loaded
    # Figures are Plotly only: importing them does not load Streamlit.
    assert "streamlit" not in _loaded_after_importing(["linclass.ui.figures"])


def test_usage_statistics_off_and_static_serving_on():
    cfg = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "gatherUsageStats = false" in cfg
    assert "enableStaticServing = true" in cfg
    assert 'showErrorDetails = "none"' in cfg  # no server path or traceback reaches the page


def test_without_chromium_the_browser_tests_say_in_one_line_how_to_get_one(monkeypatch):
    from . import conftest

    monkeypatch.setattr(conftest, "find_chromium", lambda: None)
    why = conftest._browser_unavailable()
    assert why == conftest.CHROMIUM_HINT
    assert "\n" not in why and "apt-get install -y chromium" in why
