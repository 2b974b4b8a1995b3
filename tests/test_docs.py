"""What the checkout says about itself is true: licence, shipped files, the READMEs (issue 19, item 16)."""

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_licence_pyproject_names_is_there():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    text = (ROOT / "LICENSE").read_text()
    assert "MIT" in str(declared) and text.startswith("MIT License")
    assert "the linclass authors" in text


def test_no_wheel_or_archive_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert [f for f in tracked.splitlines() if f.endswith((".whl", ".tar.gz", ".zip"))] == []


def test_static_readme_names_the_bundled_plotly_js():
    header = (ROOT / "static" / "plotly.min.js").read_text()[:200]
    bundled = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1)
    named = re.findall(r"plotly\.js v(\d+\.\d+\.\d+)", (ROOT / "static" / "README.md").read_text())
    assert named == [bundled]
    assert "plotly 6 wheel" not in (ROOT / "static" / "README.md").read_text()


def test_the_readme_speaks_to_a_reader_not_to_the_team():
    text = (ROOT / "README.md").read_text()
    for jargon in ("wave 1", "last stop", "issue start", "issue's start", "the seed's"):
        assert jargon not in text.lower(), jargon
    assert "point 4 " not in text  # a point's number says it counts from 0


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"## Run the tests\n\n    (.+)\n", readme).group(1)
    assert "pytest" in command
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert [line for line in ci if line == command or line.startswith(command + " ||")], command


def test_no_label_on_screen_calls_the_derivation_the_seed():
    # Issue 19, item 16: "seed" meant both the derivation and the random seed; the sidebar's labels said
    # "the seed's Lᵢ" and "the seed's f = W x" beside a "Seed" setting.
    from linclass.session import settings

    labels = [s.label for s in settings.SETTINGS] + [n for s in settings.SETTINGS for n in (s.names or {}).values()]
    assert not [t for t in labels if "seed's" in t]
