"""python -m linclass.testing grade: one process per submission, and nothing one does reaches the others."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from linclass.testing.__main__ import progress_bar
from linclass.testing.grade import Row
from linclass.testing.scores import COLUMNS, Points, score

pytestmark = pytest.mark.xdist_group("grade")  # its module-scoped fixture runs once, on one worker

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ROOT / "examples" / "assignment"
FUNCTIONS = ("softmax_loss_naive", "softmax_loss_vectorized")

# submission -> function -> (passes, a word its message must hold); the other function is the solution's
VERDICTS = {
    "softmax.py": {f: (False, "not implemented yet") for f in FUNCTIONS},
    "solution.py": {f: (True, "") for f in FUNCTIONS},
    "wrong_endless.py": {"softmax_loss_naive": (False, "timed out after 3 s")},
    "wrong_exit.py": {"softmax_loss_vectorized": (False, "called sys.exit")},
    "wrong_memory.py": {"softmax_loss_naive": (False, "ran out of memory")},
    "wrong_syntax.py": {f: (False, "could not import: SyntaxError") for f in FUNCTIONS},
    "wrong_last_column.py": {"softmax_loss_vectorized": (False, "Hint [last_column]")},
    "wrong_penalty_over_n.py": {"softmax_loss_vectorized": (False, "Hint [penalty_over_n]")},
    "wrong_transposed.py": {"softmax_loss_vectorized": (False, "dW must have shape")},
    "wrong_stub.py": {"softmax_loss_vectorized": (False, "looks unfinished")},
    "wrong_none.py": {"softmax_loss_naive": (False, "returned None")},
    "wrong_not_mean.py": {"softmax_loss_vectorized": (False, "Hint [not_mean]")},
    "wrong_overflow.py": {"softmax_loss_vectorized": (False, "Hint [overflow]")},
    "wrong_reg.py": {},  # its naive loss uses 1/2 reg ||W||^2, consistently: --penalty any accepts it
    "wrong_no_minus_one.py": {},  # only its sample gradient is wrong, which this command does not grade
}


def _grade(*args, cwd=ROOT):
    command = [sys.executable, "-m", "linclass.testing", "grade", *map(str, args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    # --timeout 3: the endless submission keeps a core busy until its timeout; a right function takes milliseconds
    sheet = tmp_path_factory.mktemp("grade") / "scores.csv"
    r = _grade(ASSIGNMENT, "--function", FUNCTIONS[0], "--function", FUNCTIONS[1], "--layout", "columns",
               "--penalty", "any", "--timeout", "3", "--memory", "512", "--csv", sheet)  # fmt: skip
    return r, list(csv.DictReader(sheet.open(newline="")))


def test_every_function_of_the_example_folder_gets_the_right_verdict(graded):
    r, rows = graded
    assert r.returncode == 0, r.stderr
    assert {Path(row["submission"]).name for row in rows} == set(VERDICTS)  # test_softmax.py, conftest.py skipped
    for row in rows:
        name, fn = Path(row["submission"]).name, row["function"]
        passes, word = VERDICTS[name].get(fn, (True, ""))
        if row["check"] == "numerical_gradient" and not passes and "Hint" in word:
            continue  # a consistent loss and gradient may pass their own differences (and earn nothing, below)
        assert (row["passed"] == "true") is passes, row
        assert word in row["message"], row


def test_the_score_sheet_has_the_columns_and_the_points(graded):
    _, rows = graded
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(VERDICTS) * 2 * 2
    for row in rows:
        assert row["max_score"] == "1" and row["score"] in ("0", "1")
        loss_row = next(o for o in rows if o["submission"] == row["submission"] and o["function"] == row["function"])
        earns = row["passed"] == "true" and loss_row["passed"] == "true"
        assert (row["score"] == "1") is earns, row


def test_the_summary_counts_the_endless_one_as_timed_out(graded):
    r, _ = graded
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith(f"{len(VERDICTS)} submissions: 3 passed, 11 failed, 1 timed out ("), r.stderr


def test_gradescope_results_for_one_submission(tmp_path):
    points = tmp_path / "points.toml"
    points.write_text("loss_and_grad = 3\nnumerical_gradient = 1\n[softmax_loss_vectorized]\nloss_and_grad = 4\n")
    out = tmp_path / "results.json"
    r = _grade(ASSIGNMENT / "wrong_overflow.py", "--gradescope", out, "--points", points, "--csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    results = json.loads(out.read_text())
    tests = {t["name"]: t for t in results["tests"]}
    assert [(t["score"], t["max_score"]) for t in tests.values()] == [(3, 3), (1, 1), (0, 4), (0, 1)]
    assert results["score"] == 4
    assert "Hint [overflow]" in tests["softmax_loss_vectorized: loss_and_grad"]["output"]
    assert "no points" in tests["softmax_loss_vectorized: numerical_gradient"]["output"]


def test_a_submission_that_exits_at_import_or_prints_cannot_spoil_the_sheet(tmp_path):
    (tmp_path / "a_exits.py").write_text("import sys\nprint('x,y')\nsys.exit(3)\n")
    (tmp_path / "b_prints.py").write_text(
        "import numpy as np\nprint('noise,noise')\n"
        "def softmax_loss_naive(W, X, y, reg):\n    print('more,noise')\n    return 0.0, np.zeros_like(W)\n"
    )
    r = _grade(tmp_path, "--function", "softmax_loss_naive", "--timeout", "5")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(Path(x["submission"]).name, x["passed"]) for x in rows] == [("a_exits.py", "false")] * 2 + [
        ("b_prints.py", "false")
    ] * 2
    assert rows[0]["message"] == "could not import: it calls sys.exit(3) when imported"
    assert "looks unfinished" in rows[2]["message"]


def test_a_missing_path_is_an_error_not_a_crash(tmp_path):
    r = _grade(tmp_path / "nothing.py")
    assert r.returncode == 2 and "no such file or folder" in r.stderr


def test_points_from_the_command_line_and_the_gate():
    rows = [Row("s", "f", "loss_and_grad", False, "bad"), Row("s", "f", "numerical_gradient", True, "")]
    scored = score(rows, Points.parse("loss_and_grad=2,numerical_gradient=0.5"))
    assert [(s.score, s.max_score) for s in scored] == [(0, 2), (0, 0.5)]
    with pytest.raises(ValueError, match="unknown check"):
        Points.parse("gradient=2")


def test_the_progress_bar_draws_in_place():
    assert progress_bar(5, 10, 3.2, width=10) == "\r[#####.....] 5/10 submissions, 3 s"
