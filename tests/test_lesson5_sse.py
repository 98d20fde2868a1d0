"""Lesson 5 (seeds/lesson5-least-squares.md): y = ax + b through (1, 2) and (3, 4)."""

import json

import sympy as sp

from tutor.render.mathprint import math_latex, math_text
from tutor.render.text import TextPrinter

a, b = sp.symbols("a b", real=True)


def section(solution, task):
    return next(s for s in solution.sections if s.task == task)


def test_objective_is_lesson5_sse(sse_solution):
    assert sp.expand(sse_solution.objective - ((2 - a - b) ** 2 + (4 - 3 * a - b) ** 2)) == 0
    assert math_text(sse_solution.objective_shown) == "(2 − a − b)² + (4 − 3a − b)²"


def test_prediction_table_matches_lesson5(sse_solution):
    table = sse_solution.setup[0].blocks[1]
    rows = [[math_text(c) if not isinstance(c, str) else c for c in row] for row in table.rows]
    assert rows == [["1", "1", "2", "a + b", "2 − a − b"], ["2", "3", "4", "3a + b", "4 − 3a − b"]]


def test_sse_partials_match_lesson5(sse_solution):
    partials = section(sse_solution, "partials")
    assert partials.result == {"a": "20*a + 8*b - 28", "b": "8*a + 4*b - 12"}
    da = partials.steps[0].blocks[1]
    assert math_text(da.links[0].expr) == "2(2 − a − b)·(−1) + 2(4 − 3a − b)·(−3)"
    assert math_text(da.links[1].expr) == "20a + 8b − 28"
    assert da.links[0].note == "sum rule, chain rule, power rule"
    assert math_latex(da.links[0].expr) == (
        r"2 \left(2 - a - b\right) \cdot \left(-1\right)"
        r" + 2 \left(4 - 3 a - b\right) \cdot \left(-3\right)"
    )
    db = partials.steps[1].blocks[1]
    assert math_text(db.links[0].expr) == "2(2 − a − b)·(−1) + 2(4 − 3a − b)·(−1)"
    assert math_text(db.links[1].expr) == "8a + 4b − 12"


def test_sse_gradient_at_origin_is_lesson_value(sse_solution):
    grad = section(sse_solution, "gradient").result
    assert grad["exact"] == ["-28", "-12"]
    assert grad["value"] == [-28.0, -12.0]
    assert sp.sympify(grad["norm"]) == 4 * sp.sqrt(58)


def test_sse_elimination_follows_lesson5(sse_solution):
    stationary = section(sse_solution, "stationary_points")
    titles = [TextPrinter().title(s.title) for s in stationary.steps]
    assert titles[1] == "(1) − 2×(2)"
    assert math_text(stationary.steps[1].blocks[0].lhs) == "4a − 4"
    assert titles[2] == "Solve (3) for a"
    assert titles[3] == "Substitute a = 1 into (2)"
    assert math_text(stationary.steps[3].blocks[0].lhs) == "4b − 4"
    assert stationary.result == {
        "points": [{"a": "1", "b": "1", "kind": "minimum"}],
        "complete": True,
        "families": [],
    }


def test_every_check_passes_with_small_error(sse_solution):
    assert sse_solution.ok
    for check in sse_solution.checks:
        assert check.max_abs_err <= 1e-12, check


def test_json_follows_spec_section_4(sse_solution):
    data = json.loads(sse_solution.to_json())
    assert data["title"].startswith("Fit y = a*x + b")
    assert data["variables"] == ["a", "b"]
    A, B = sp.symbols("a b")  # what a JSON reader gets from sympify: plain symbols
    assert sp.expand(sp.sympify(data["objective"]) - ((2 - A - B) ** 2 + (4 - 3 * A - B) ** 2)) == 0
    assert data["objective_latex"] == r"\left(2 - a - b\right)^{2} + \left(4 - 3 a - b\right)^{2}"
    assert [t["task"] for t in data["tasks"]] == [
        "partials",
        "gradient",
        "stationary_points",
        "normal_equation",
    ]
    assert data["tasks"][3]["result"]["solution"] == {"a": "1", "b": "1"}
    for task in data["tasks"]:
        assert set(task) >= {"task", "params", "result", "steps", "check"}
        assert set(task["check"]) >= {"ok", "method", "max_abs_err", "points"}
        assert task["check"]["ok"] is True
        assert isinstance(task["steps"], list) and task["steps"]
    gradient = data["tasks"][1]
    assert gradient["params"] == {"at": ["0", "0"]}
    assert gradient["result"]["value"] == [-28.0, -12.0]
    assert [sp.sympify(e) for e in gradient["result"]["expr"]] == [
        20 * A + 8 * B - 28,
        8 * A + 4 * B - 12,
    ]
