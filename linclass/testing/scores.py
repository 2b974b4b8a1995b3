"""Points per check, the score sheet (CSV), Gradescope's results.json and the summary line.

Points are per check, optionally per function: ``--points loss_and_grad=3,numerical_gradient=1``,
or a TOML file with the same keys at the top and, for one function, in a table of its name::

    loss_and_grad = 3
    numerical_gradient = 1

    [softmax_loss_vectorized]
    loss_and_grad = 4

The numerical-gradient check earns its points only when the same function's loss_and_grad check
passes: on its own it passes an unfinished stub that returns (0, zeros), which agrees with itself.
"""

from __future__ import annotations

import csv
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .grade import CHECKS, Row

__all__ = ["COLUMNS", "Points", "Scored", "gradescope", "score", "summary", "write_csv"]

COLUMNS = ("submission", "function", "check", "passed", "score", "max_score", "message")
DEFAULT_POINTS = {"loss_and_grad": 1.0, "numerical_gradient": 1.0}
GATED = {"numerical_gradient": "loss_and_grad"}  # a check -> the check it needs to earn points


@dataclass(frozen=True)
class Points:
    default: dict  # check -> points
    per_function: dict  # function -> {check -> points}

    @classmethod
    def parse(cls, spec: str | None) -> Points:
        """From None (1 point a check), 'check=N,check=N', or the path of a TOML file."""
        if not spec:
            return cls(dict(DEFAULT_POINTS), {})
        if spec.endswith(".toml") or Path(spec).is_file():
            return cls._from_table(tomllib.loads(Path(spec).read_text()))
        table = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"--points: expected check=points, got {part!r}")
            table[key.strip()] = value.strip()
        return cls._from_table(table)

    @classmethod
    def _from_table(cls, table: dict) -> Points:
        default, per_function = dict(DEFAULT_POINTS), {}
        for key, value in table.items():
            if isinstance(value, dict):
                per_function[key] = {c: _points(c, v) for c, v in value.items()}
            else:
                default[key] = _points(key, value)
        return cls(default, per_function)

    def of(self, function: str, check: str) -> float:
        return self.per_function.get(function, {}).get(check, self.default[check])


def _points(check: str, value) -> float:
    if check not in CHECKS:
        raise ValueError(f"--points: unknown check {check!r}; the checks are {', '.join(CHECKS)}")
    try:
        points = float(value)
    except (TypeError, ValueError):
        points = -1.0
    if not points >= 0:
        raise ValueError(f"--points: {check} needs a number >= 0, got {value!r}")
    return points


@dataclass(frozen=True)
class Scored:
    row: Row
    score: float
    max_score: float
    message: str


def score(rows: list[Row], points: Points) -> list[Scored]:
    """Each row with its points; a gated check scores only with the check it needs."""
    verdict = {(r.submission, r.function, r.check): r.passed for r in rows}
    out = []
    for r in rows:
        most = points.of(r.function, r.check)
        needs = GATED.get(r.check)
        earned = r.passed and (needs is None or verdict.get((r.submission, r.function, needs), False))
        message = r.message
        if r.passed and not earned:
            message = f"passed, but no points: they come with the {needs} check, which failed"
        out.append(Scored(r, most if earned else 0.0, most, message))
    return out


def write_csv(scored: list[Scored], stream) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for s in scored:
        r = s.row
        passed = "true" if r.passed else "false"
        writer.writerow((r.submission, r.function, r.check, passed, f"{s.score:g}", f"{s.max_score:g}", s.message))


def gradescope(scored: list[Scored]) -> dict:
    """Gradescope's autograder results: a ``tests`` list (name, score, max_score, status, output) and the total."""
    tests = [
        {
            "name": f"{s.row.function}: {s.row.check}",
            "score": s.score,
            "max_score": s.max_score,
            "status": "passed" if s.row.passed else "failed",
            "output": s.message or "passed",
        }
        for s in scored
    ]
    return {"score": sum(t["score"] for t in tests), "tests": tests}


def write_gradescope(scored: list[Scored], path: Path) -> None:
    Path(path).write_text(json.dumps(gradescope(scored), indent=2) + "\n")


def summary(rows: list[Row], seconds: float) -> str:
    """One line: submissions, how many passed every check, failed one, or timed out, and the time."""
    by_submission = {}
    for r in rows:
        by_submission.setdefault(r.submission, []).append(r)
    timed_out = sum(any(r.timed_out for r in rs) for rs in by_submission.values())
    passed = sum(all(r.passed for r in rs) for rs in by_submission.values())
    failed = len(by_submission) - passed - timed_out
    return (
        f"{len(by_submission)} submissions: {passed} passed, {failed} failed, {timed_out} timed out ({seconds:.1f} s)"
    )
