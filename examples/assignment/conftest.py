"""Which module the grading tests check: the student's softmax.py, or another with --solution.

pytest                              grade softmax.py
pytest --solution solution          the lecturer's solution (must pass)
pytest --solution wrong_reg         a typical wrong solution (fails with a hint)
"""

import importlib

import pytest


def pytest_addoption(parser):
    parser.addoption("--solution", default="softmax", help="the module to grade, in this folder (default: softmax)")


@pytest.fixture
def student(request):
    return importlib.import_module(request.config.getoption("--solution"))
