"""Least squares (issue 4): Lessons 5 and 6, singular designs and ridge, scale by algebra."""

import numpy as np
import pytest
import sympy as sp
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main
from tutor.render.mathprint import math_text


def task(solution, name, index=0):
    return [s for s in solution.sections if s.task == name][index]


def test_lesson5_normal_equation_gives_exactly_one_one(sse_solution):
    ne = task(sse_solution, "normal_equation")
    assert ne.result == {
        "solution": {"a": "1", "b": "1"},
        "rank": 2,
        "singular": False,
        "method": "inverse",
    }
    numbers = next(s for s in ne.steps if s.title == "The normal equation in numbers")
    assert numbers.blocks[0].links[0].expr == sp.Matrix([[10, 4], [4, 2]])
    assert numbers.blocks[1].links[0].expr == sp.Matrix([14, 6])
    assert ne.ok and [c.kind for c in ne.checks] == ["symbolic", "numeric", "numeric", "symbolic"]


def test_lesson5_closed_form_for_one_feature(sse_solution):
    ne = task(sse_solution, "normal_equation")
    closed = next(s for s in ne.steps if s.title == "Check with Lesson 5's closed form")
    w_line, b_line = closed.blocks[0], closed.blocks[1]
    assert w_line.links[-1].expr == 1 and b_line.links[-1].expr == 1


def test_lesson6_three_points_sse_is_14w2_minus_56w_plus_56():
    sol = tutor.solve(PROBLEMS / "lesson6-three-points.yaml")
    (w,) = sol.variables
    assert sp.expand(sol.objective) == 14 * w**2 - 56 * w + 56
    assert task(sol, "stationary_points").result["points"] == [{"w": "2", "kind": "minimum"}]
    assert task(sol, "normal_equation").result["solution"] == {"w": "2"}
    assert sol.ok


def test_lesson6_singular_design_minimum_norm_and_ridge():
    sol = tutor.solve(PROBLEMS / "lesson6-ridge.yaml")
    plain, ridge = task(sol, "normal_equation", 0), task(sol, "normal_equation", 1)
    assert plain.result == {
        "solution": {"a": "2/5", "b": "4/5"},
        "rank": 1,
        "singular": True,
        "method": "minimum norm",
    }
    text = sol.to_text()
    assert "For v = (−2, 1), Xv = 0" in text and "add  ridge: λ" in text
    assert ridge.result["solution"] == {"a": "280/701", "b": "560/701"}
    assert ridge.result["method"] == "ridge" and ridge.params == {"ridge": "1/10"}
    assert sol.ok


def write(tmp_path, body):
    path = tmp_path / "p.yaml"
    path.write_text("title: t\n" + body)
    return path


def test_single_data_row_is_explained_not_crashed(tmp_path):
    path = write(
        tmp_path,
        "variables: [a, b]\nmodel: y = a*x + b\ndata: {x: [2], y: [3]}\ntasks: [normal_equation]\n",
    )
    sol = tutor.solve(path)
    ne = task(sol, "normal_equation")
    assert ne.result["singular"] is True and ne.result["rank"] == 1
    assert ne.result["solution"] == {"a": "6/5", "b": "3/5"}
    assert "fewer independent rows or features than unknowns" in sol.to_text()


@pytest.mark.parametrize(
    "body,message",
    [
        (
            "variables: [a, b]\nmodel: y = a*exp(b*x)\ndata: {x: [1, 2], y: [1, 3]}\n"
            "tasks: [normal_equation]\n",
            "tasks[0].normal_equation: the model y = a·e^(bx) is not linear in a, b",
        ),
        (
            "variables: [a]\nobjective: a**2\ntasks: [normal_equation]\n",
            "tasks[0].normal_equation: normal_equation needs a model fitted to data",
        ),
        (
            "variables: [a, b]\nmodel: y = a*x + b\ndata: {x: [1, 2], y: [1, 3]}\n"
            "tasks:\n  - normal_equation: {ridge: -1}\n",
            "tasks[0].normal_equation.ridge: ridge must be a positive number",
        ),
    ],
)
def test_normal_equation_bad_input_exits_2(tmp_path, body, message):
    path = write(tmp_path, body)
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"tutor: error: {path}: {message}")


def test_noisy_line_recovers_ch3_weights():
    sol = tutor.solve(PROBLEMS / "ch3-noisy-line.yaml")
    point = task(sol, "stationary_points").result["points"][0]
    assert abs(float(point["w"]) - 1.5) < 0.05 and abs(float(point["b"]) - 2.73) < 0.1
    assert "collapsed" in sol.setup[0].title
    assert sol.ok


def test_many_rows_collapse_to_moments_and_recover_the_weights(tmp_path):
    recipe = (
        "{generate: {n: 200000, seed: 1, x1: 'uniform(-1, 1)', x2: 'normal(0, 2)', "
        "x3: 'uniform(0, 5)', y: '3*x1 - 2*x2 + 0.5*x3 + 1.25 + normal(0, 0.3)'}}"
    )
    path = write(
        tmp_path,
        f"variables: [w1, w2, w3, b]\nmodel: y = w1*x1 + w2*x2 + w3*x3 + b\ndata: {recipe}\n"
        "loss: half_mse\ntasks: [normal_equation]\n",
    )
    sol = tutor.solve(path)
    got = np.array([float(v) for v in task(sol, "normal_equation").result["solution"].values()])
    assert np.abs(got - np.array([3, -2, 0.5, 1.25])).max() < 0.01
    assert sol.ok
    text = sol.to_text()
    assert "200,000 rows is a quadratic form" in text and "XᵀX = [[" in text
    assert "w₁²" in math_text(sol.objective_shown)


def float_fit(model, variables, generate):
    problem = {
        "title": "float data",
        "variables": variables,
        "model": model,
        "data": {"generate": generate},
        "tasks": ["normal_equation"],
    }
    return tutor.solve(problem).sections[0]


def test_ill_conditioned_float_data_says_how_many_digits_survive():
    terms = " + ".join(f"b{k}*x**{k}" for k in range(2, 8))
    section = float_fit(
        f"y = b0 + b1*x + {terms}",
        [f"b{k}" for k in range(8)],
        {"n": 500, "seed": 1, "x": "uniform(0, 20)", "y": "1 + x + normal(0, 1)"},
    )
    text = str(section)
    assert "Warning: cond(X) = σ₁/σₙ = 6.26e9" in text
    assert "leaves about 3 correct significant digits in ŵ" in text
    assert "ŵ = (0.37, 1.14, 0.107, −0.0512, 0.00871, −0.000713, 2.82e−5, −4.33e−7)" in text
    assert "ŵ is shown to the 3 guaranteed significant digits." in text
    assert "ŵ itself is computed from X" in text
    assert "unique" not in text and "Full rank" not in text
    assert section.result["method"] == "svd" and section.result["rank"] == 8
    kinds = [(c.kind, c.ok) for c in section.checks]
    assert kinds == [("unchecked", None), ("numeric", True)]
    assert "no reliable digit to compare" in section.checks[0].reason


def test_numerically_rank_deficient_float_data_is_not_called_unique():
    section = float_fit(
        "y = a*x + b*z + c",
        ["a", "b", "c"],
        {"n": 200, "seed": 2, "x": "uniform(0, 1)", "z": "2*x", "y": "3*x + 1 + normal(0, 0.1)"},
    )
    assert section.result["rank"] == 2 and section.result["singular"] is True
    assert "X is numerically rank-deficient" in str(section)
    assert section.ok


def test_well_conditioned_float_data_is_judged_by_cholesky():
    section = float_fit(
        "y = w*x + b",
        ["w", "b"],
        {"n": 1000, "seed": 3, "x": "uniform(-1, 1)", "y": "2*x - 1 + normal(0, 0.1)"},
    )
    assert "well conditioned; about 1" in str(section)
    cholesky = section.checks[0]
    assert cholesky.kind == "numeric" and cholesky.ok and cholesky.max_abs_err < 1e-13
    w, b = (float(v) for v in section.result["solution"].values())
    assert w == pytest.approx(2, abs=0.02) and b == pytest.approx(-1, abs=0.02)
