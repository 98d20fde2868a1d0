"""Grading a class: 1,000 answers files of Lesson 5's SSE problem (the issue asks for under a
minute), against the plain way of doing the same check by hand: SymPy's own equality per
answer (``simplify(answer - right) == 0``), which diagnoses nothing.

    python benchmarks/grading.py [--students 1000]

The answers are a mix of right, rewritten and slipped ones (each file different), written
to a temporary folder and graded through ``tutor grade``'s own path (read the YAML, grade
every part), the problem solved once.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import sympy as sp
import yaml

from tutor.grading import answer_key, grade_answers, read_answers
from tutor.loading import load
from tutor.solve import solve

PROBLEM = Path(__file__).resolve().parent.parent / "problems" / "sse.yaml"
A = [
    "20a + 8b - 28",
    "4(5a + 2b - 7)",
    "2(2 - a - b) + 2(4 - 3a - b)",
    "(2 - a - b)(-1) + (4 - 3a - b)(-3)",
    "20a + 6b - 28",
    "2(2 - a - b)(-1) + 2(4 - 3a - b)(-3)",
]
B = ["8a + 4b - 12", "4(2a + b - 3)", "2(2 - a - b) + 2(4 - 3a - b)", "8a + 4b - 10"]
VALUES = [[-28, -12], [28, 12], [-14, -6], [-28, -10]]
POINTS = [[{"a": 1, "b": 1}], [{"a": 1, "b": 2}], [[1, 1]]]


def answers(rng: random.Random, k: int) -> dict:
    return {
        "student": f"student {k}",
        "partials": {"a": rng.choice(A), "b": rng.choice(B)},
        "gradient": {"value": rng.choice(VALUES)},
        "stationary_points": rng.choice(POINTS),
        "normal_equation": {"a": rng.choice([1, 1.0, 2]), "b": 1},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    n = parser.parse_args().students
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k in range(n):
            path = Path(tmp) / f"s{k:04d}.yaml"
            path.write_text(yaml.safe_dump(answers(rng, k)), encoding="utf-8")
            files.append(path)
        started = time.perf_counter()
        problem = load(PROBLEM)
        key = answer_key(problem, solve(problem))
        keyed = time.perf_counter() - started
        reports = [grade_answers(key, read_answers(f), file=str(f)) for f in files]
        total = time.perf_counter() - started
        plain = _plain(files[:100], problem.variables) * n / min(n, 100)
    wrong = sum(1 for r in reports for p in r.parts if p.verdict == "incorrect")
    named = sum(1 for r in reports for p in r.parts if p.diagnosis)
    print(f"tutor grade, {n} answers files of {PROBLEM.name}: {total:.1f} s in all")
    print(f"  the key (solve once, slips of each derivative): {keyed:.1f} s")
    print(f"  per student: {(total - keyed) / n * 1000:.1f} ms")
    print(f"  {wrong} wrong parts, {named} of them with a diagnosis")
    print(f"SymPy simplify(answer - right) == 0, the two partials only: {plain:.1f} s (est.)")
    print(f"ratio tutor / plain SymPy: {total / plain:.2f}")


def _plain(files: list[Path], variables: tuple[sp.Symbol, ...]) -> float:
    """The by-hand way: parse each partial with SymPy's own parser (implicit products on) and
    ask simplify whether it equals the right one. No diagnosis, no numbers."""
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    a, b = variables
    right = {"a": 20 * a + 8 * b - 28, "b": 8 * a + 4 * b - 12}
    transformations = (*standard_transformations, implicit_multiplication_application, convert_xor)
    started = time.perf_counter()
    for f in files:
        raw = yaml.safe_load(f.read_text(encoding="utf-8"))
        for var, text in raw["partials"].items():
            given = parse_expr(text, {"a": a, "b": b}, transformations=transformations)
            sp.simplify(given - right[var]) == 0  # noqa: B015 - the work being timed
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
