"""The kit is opt-in: `import linclass` stays NumPy only, and the kit says how to get hypothesis."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)


def test_import_linclass_loads_neither_hypothesis_nor_the_kit():
    r = _run(
        "import sys, linclass; loaded = [m for m in ('hypothesis', 'linclass.testing') if m in sys.modules];"
        " print(loaded); sys.exit(1 if loaded else 0)"
    )
    assert r.returncode == 0, r.stdout + r.stderr
    # and the check can fail: importing the kit does load both
    r = _run("import sys, linclass.testing; sys.exit(0 if 'hypothesis' in sys.modules else 1)")
    assert r.returncode == 0, r.stderr


def test_without_hypothesis_the_kit_says_how_to_install_it():
    r = _run("import sys; sys.modules['hypothesis'] = None; import linclass; import linclass.testing")
    assert r.returncode != 0
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: linclass.testing needs hypothesis")
    assert "pip install 'linclass[testing]'" in last


def test_the_testing_extra_and_the_package_are_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["optional-dependencies"]["testing"] == ["hypothesis>=6.100"]
    assert "linclass.testing" in meta["tool"]["setuptools"]["packages"]
