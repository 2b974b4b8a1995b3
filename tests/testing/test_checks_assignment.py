"""The example assignment: the kit passes the solution and fails each typical wrong one with its hint."""

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("assignment")  # its module-scoped fixture runs once, on one worker

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ROOT / "examples" / "assignment"
MODULES = ("softmax", "solution", "wrong_not_mean", "wrong_reg", "wrong_overflow", "wrong_no_minus_one")
FUNCTIONS = ("softmax_loss_naive", "softmax_loss_vectorized", "softmax_sample_grad")

# module -> its one wrong function, and the grading tests it fails, each with the hint it must get
EXPECTED = {
    "wrong_not_mean": (
        "softmax_loss_vectorized",
        {
            "test_vectorized_loss_and_gradient": "not_mean",
            "test_vectorized_gradient_matches_central_differences_of_its_loss": "not_mean",
        },
    ),
    "wrong_reg": ("softmax_loss_naive", {"test_naive_loss_and_gradient": "reg_convention"}),
    "wrong_overflow": ("softmax_loss_vectorized", {"test_vectorized_loss_and_gradient": "overflow"}),
    "wrong_no_minus_one": ("softmax_sample_grad", {"test_sample_gradient": "no_minus_one"}),
}


@pytest.fixture(scope="module")
def assignment():
    """The assignment's modules by name, imported as pytest would (its folder on sys.path), and its tests."""
    sys.path.insert(0, str(ASSIGNMENT))
    try:
        modules = {name: importlib.import_module(name) for name in MODULES}
        spec = importlib.util.spec_from_file_location("assignment_test_softmax", ASSIGNMENT / "test_softmax.py")
        tests = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tests)
        yield modules, tests
    finally:
        sys.path.remove(str(ASSIGNMENT))
        for name in MODULES:
            sys.modules.pop(name, None)


def _grading_tests(tests) -> list[str]:
    return sorted(name for name in vars(tests) if name.startswith("test_"))


def test_the_solution_passes_every_grading_test(assignment):
    modules, tests = assignment
    assert len(_grading_tests(tests)) == 4
    for name in _grading_tests(tests):
        getattr(tests, name)(student=modules["solution"])


FAILURES = [(module, test, hint) for module, (_, fails) in EXPECTED.items() for test, hint in fails.items()]


@pytest.mark.parametrize("module,test,mistake", FAILURES)
def test_each_wrong_solution_fails_with_its_hint(assignment, module, test, mistake):
    modules, tests = assignment
    with pytest.raises(AssertionError) as info:
        getattr(tests, test)(student=modules[module])
    assert f"Hint [{mistake}]" in str(info.value), str(info.value)
    assert str(info.value).count("Hint [") == 1, str(info.value)


@pytest.mark.parametrize("module", EXPECTED)
def test_a_wrong_solution_gets_everything_else_from_the_solution(assignment, module):
    # so the grading tests it does not fail are the solution's, which pass (tested above)
    modules, _ = assignment
    own = [f for f in FUNCTIONS if getattr(modules[module], f) is not getattr(modules["solution"], f)]
    assert own == [EXPECTED[module][0]]


def test_the_blank_student_file_is_reported_as_not_implemented(assignment):
    modules, tests = assignment
    for name in _grading_tests(tests):
        with pytest.raises(AssertionError, match="is not implemented yet: it raises NotImplementedError"):
            getattr(tests, name)(student=modules["softmax"])


def test_pytest_grades_the_module_named_by_the_solution_option():
    # the lecturer's command line: wrong_reg fails its naive test and passes its sample test (the solution's)
    command = ["-m", "pytest", "examples/assignment", "-q", "-p", "no:cacheprovider", "-k", "naive or sample"]
    r = subprocess.run([sys.executable, *command, "--solution", "wrong_reg"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "1 failed, 1 passed, 2 deselected" in r.stdout and "Hint [reg_convention]" in r.stdout, r.stdout
