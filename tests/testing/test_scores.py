"""linclass.testing.scores: points per check, the gate, the CSV sheet, Gradescope's results and the summary."""

import csv
import io
import json

import pytest

from linclass.testing.grade import Row
from linclass.testing.scores import Points, gradescope, score, summary, write_csv

NAIVE, VECTORIZED = "softmax_loss_naive", "softmax_loss_vectorized"


def _rows(submission, naive=(True, True), vectorized=(True, True), timed_out=False):
    """The four rows of one submission: (loss_and_grad, numerical_gradient) passed for each function."""
    out = []
    for function, verdicts in ((NAIVE, naive), (VECTORIZED, vectorized)):
        for check, passed in zip(("loss_and_grad", "numerical_gradient"), verdicts, strict=True):
            message = "" if passed else ("timed out after 10 s" if timed_out else f"{function} is wrong, badly")
            out.append(Row(submission, function, check, passed, message, timed_out=timed_out and not passed))
    return out


def test_one_point_a_check_unless_the_command_line_says_otherwise():
    default = Points.parse(None)
    assert default.of(NAIVE, "loss_and_grad") == default.of(VECTORIZED, "numerical_gradient") == 1
    points = Points.parse(" loss_and_grad=3, numerical_gradient=0.5 ")
    assert points.of(NAIVE, "loss_and_grad") == points.of(VECTORIZED, "loss_and_grad") == 3
    assert points.of(NAIVE, "numerical_gradient") == 0.5
    assert Points.parse("loss_and_grad=2").of(NAIVE, "numerical_gradient") == 1  # the others keep 1


@pytest.mark.parametrize("name", ["points.toml", "points.txt"])
def test_a_toml_file_sets_points_for_every_function_and_per_function_tables_override(tmp_path, name):
    path = tmp_path / name
    path.write_text(f"loss_and_grad = 3\nnumerical_gradient = 1\n\n[{VECTORIZED}]\nloss_and_grad = 4\n")
    points = Points.parse(str(path))
    assert points.of(NAIVE, "loss_and_grad") == 3
    assert points.of(VECTORIZED, "loss_and_grad") == 4
    assert points.of(VECTORIZED, "numerical_gradient") == 1


@pytest.mark.parametrize(
    "spec,match",
    [("gradient=2", "unknown check 'gradient'"), ("loss_and_grad=-1", "a number >= 0"),
     ("loss_and_grad=lots", "a number >= 0"), ("loss_and_grad", "expected check=points")],
)  # fmt: skip
def test_bad_points_are_refused(spec, match):
    with pytest.raises(ValueError, match=match):
        Points.parse(spec)


def test_the_numerical_gradient_earns_points_only_with_the_same_functions_loss_and_grad():
    rows = (
        _rows("a.py", naive=(False, True))  # a stub: consistent with itself, wrong
        + _rows("b.py")  # everything right
    )
    scored = {(s.row.submission, s.row.function, s.row.check): s for s in score(rows, Points.parse("loss_and_grad=3"))}
    gated = scored["a.py", NAIVE, "numerical_gradient"]
    assert (gated.score, gated.max_score) == (0, 1) and "no points" in gated.message
    # the gate is per function and per submission: a.py's other function and b.py keep their points
    assert scored["a.py", VECTORIZED, "numerical_gradient"].score == 1
    assert scored["b.py", NAIVE, "numerical_gradient"].score == 1
    assert scored["b.py", NAIVE, "loss_and_grad"].score == 3
    assert scored["a.py", NAIVE, "loss_and_grad"].score == 0


def test_the_csv_sheet_has_the_columns_and_true_or_false():
    stream = io.StringIO()
    write_csv(score(_rows("a.py", naive=(False, True)), Points.parse(None)), stream)
    stream.seek(0)
    reader = csv.DictReader(stream)
    sheet = list(reader)
    assert reader.fieldnames == ["submission", "function", "check", "passed", "score", "max_score", "message"]
    assert len(sheet) == 4
    assert {row["passed"] for row in sheet} == {"true", "false"}
    first = sheet[0]
    assert (first["function"], first["check"], first["passed"]) == (NAIVE, "loss_and_grad", "false")
    assert first["message"] == f"{NAIVE} is wrong, badly"  # a comma in the message survives
    assert float(first["score"]) == 0 and float(first["max_score"]) == 1


def test_gradescope_results_list_each_check_and_the_total():
    points = Points.parse("loss_and_grad=3,numerical_gradient=1")
    results = json.loads(json.dumps(gradescope(score(_rows("a.py", vectorized=(False, True)), points))))
    tests = {t["name"]: t for t in results["tests"]}
    assert list(tests) == [f"{f}: {c}" for f in (NAIVE, VECTORIZED) for c in ("loss_and_grad", "numerical_gradient")]
    assert [(t["score"], t["max_score"]) for t in tests.values()] == [(3, 3), (1, 1), (0, 3), (0, 1)]
    assert results["score"] == 4
    assert tests[f"{NAIVE}: loss_and_grad"]["output"] == "passed"
    assert "wrong" in tests[f"{VECTORIZED}: loss_and_grad"]["output"]
    assert "no points" in tests[f"{VECTORIZED}: numerical_gradient"]["output"]


def test_the_summary_counts_submissions_that_passed_failed_or_timed_out():
    rows = _rows("a.py") + _rows("b.py", naive=(False, False)) + _rows("c.py", vectorized=(True, False), timed_out=True)
    line = summary(rows, 12.34)
    assert line == "3 submissions: 1 passed, 1 failed, 1 timed out (12.3 s)"
