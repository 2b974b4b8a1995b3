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


def test_imports_run_one_way():
    # the core never imports Streamlit or Plotly; figures never import Streamlit
    core = [p for p in (ROOT / "linclass").glob("*.py") if p.name != "figures.py"]
    for path in core:
        text = path.read_text()
        assert "import streamlit" not in text and "import plotly" not in text, path.name
    assert "streamlit" not in (ROOT / "linclass" / "figures.py").read_text()


def test_usage_statistics_off_and_static_serving_on():
    cfg = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "gatherUsageStats = false" in cfg
    assert "enableStaticServing = true" in cfg


def test_without_chromium_the_browser_tests_say_in_one_line_how_to_get_one(monkeypatch):
    from . import conftest

    monkeypatch.setattr(conftest, "find_chromium", lambda: None)
    why = conftest._browser_unavailable()
    assert why == conftest.CHROMIUM_HINT
    assert "\n" not in why and "apt-get install -y chromium" in why
