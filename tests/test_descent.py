"""Gradient descent (issue 6): every number Lesson 6 and the extremum notes print."""

import pytest
import sympy as sp
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main


def runs(path):
    sol = tutor.solve(PROBLEMS / path)
    assert sol.ok, [c for c in sol.checks if not c.ok]
    return [s for s in sol.sections if s.task == "gradient_descent"]


def test_lesson6_first_steps_028_012_then_04944_02128():
    first, _ = runs("lesson6-gradient-descent.yaml")
    history = first.result["history"]  # every step: 1000 steps, stride 5
    assert first.steps[2].title == "The first steps (α = 0.01)"
    table = first.steps[2].blocks[0]
    assert table.rows[0][3] == "(0.28, 0.12)" and table.rows[1][3] == "(0.4944, 0.2128)"
    assert history[0] == [0.0, 0.0]


def test_lesson6_matrix_form_1000_steps_then_10000():
    thousand, ten_thousand = runs("lesson6-gd-matrix.yaml")
    a, b = thousand.result["final"].values()
    assert (round(a, 4), round(b, 4)) == (1.0372, 0.9102)
    a, b = ten_thousand.result["final"].values()
    assert (round(a, 4), round(b, 4)) == (1.0, 1.0)


def test_lesson6_step_size_exact_iterates_and_closed_form():
    (run,) = runs("lesson6-step-size.yaml")
    exact = next(s for s in run.steps if s.title == "Exactly")
    table = exact.blocks[1]
    assert [row[1] for row in table.rows] == [0, 1, sp.Rational(3, 2), sp.Rational(7, 4),
                                              sp.Rational(15, 8), sp.Rational(31, 16),
                                              sp.Rational(63, 32)]  # fmt: skip
    closed = exact.blocks[2].links[-1].expr
    n = sp.Symbol("n", integer=True, nonnegative=True)
    assert (
        sp.simplify(closed.subs(next(iter(closed.free_symbols)), n) - (2 - 1 / 2 ** (n - 1))) == 0
    )


def test_exact_iterates_and_closed_form_are_in_the_json():
    (run,) = runs("lesson6-step-size.yaml")
    exact = run.result["exact"]
    assert exact["iterates"][:4] == [["0"], ["1"], ["3/2"], ["7/4"]] and len(exact["iterates"]) == 7
    n = sp.Symbol("n", integer=True, nonnegative=True)
    closed = sp.sympify(exact["closed_form"], locals={"n": n})
    assert sp.simplify(closed - (2 - 1 / 2 ** (n - 1))) == 0
    assert exact["minimum"] == ["2"] and exact["contraction"] == "1/2"


def test_exact_steps_are_the_steps_asked_and_a_diverging_rate_is_not_said_to_shrink(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [a, b]\nobjective: (2 - a - b)**2 + (4 - 3*a - b)**2\n"
        "tasks:\n  - gradient_descent: {start: [0, 0], lr: 0.1, steps: 3, exact: true}\n"
        "  - gradient_descent: {start: [0, 0], lr: [0.01, 0.02], steps: 50}\n"
    )
    sol = tutor.solve(path)
    exact, sweep = sol.sections
    iterates = exact.result["exact"]["iterates"]
    assert iterates == [["0", "0"], ["14/5", "6/5"], ["-24/25", "-8/25"], ["502/125", "222/125"]]
    # H = [[20, 8], [8, 4]] has λ = 12 + 8√2; |1 − 0.1λ| = 1/5 + 4√2/5 > 1
    assert exact.result["exact"]["contraction"] == "1/5 + 4*sqrt(2)/5"
    text = sol.to_text()
    assert "The first 3 steps in exact arithmetic (α = 0.1)" in text
    assert "so along it the distance to w* grows at every step" in text
    assert "so it shrinks" not in text
    # a sweep says which rate its top-level keys describe
    assert sweep.result["lr"] == 0.01
    assert list(sweep.result["final"].values()) == sweep.result["runs"][0]["final"]


def test_extremum_parabola_eta_04_from_the_notes_start():
    (run,) = runs("extremum-parabola.yaml")
    xs = [h[0] for h in run.result["history"]]
    # the notes' printed iterates (float32 there, float64 here)
    for got, printed in zip(xs, [0.007588282693177462, 0.8045529723167419, 1.2827317714691162,
                                 1.5696390867233276, 1.7417834997177124, 1.8450701236724854],
                            strict=False):  # fmt: skip
        assert got == pytest.approx(printed, abs=1e-6)


def test_extremum_bowl_reaches_minus2_minus25():
    (run,) = runs("extremum-bowl.yaml")
    history = run.result["history"]
    assert history[1] == pytest.approx([-1.6008, -1.9999], abs=1e-9)
    assert history[2] == pytest.approx([-1.92016, -2.39998], abs=1e-9)
    assert list(run.result["final"].values()) == pytest.approx([-2.0, -2.5], abs=1e-5)


def test_ch3_noisy_line_by_gradient_descent_matches_least_squares():
    sol = tutor.solve(PROBLEMS / "ch3-noisy-line.yaml")
    gd = next(s for s in sol.sections if s.task == "gradient_descent")
    point = next(s for s in sol.sections if s.task == "stationary_points").result["points"][0]
    w, b = gd.result["final"].values()
    assert w == pytest.approx(float(point["w"]), abs=1e-6)
    assert b == pytest.approx(float(point["b"]), abs=1e-6)


def test_learning_rate_sweep_and_the_bound():
    _, sweep = runs("lesson6-gradient-descent.yaml")
    statuses = [r["status"] for r in sweep.result["runs"]]
    assert statuses == ["slow", "slow", "converged", "diverged"]
    text = tutor.solve(PROBLEMS / "lesson6-gradient-descent.yaml").to_text()
    assert "α = 0.1 > 0.08578643763: diverges" in text
    assert "nan" not in text.lower()


def write(tmp_path, task):
    path = tmp_path / "p.yaml"
    path.write_text(f"title: t\nvariables: [a, b]\nobjective: a**2 + b**2\ntasks:\n  - {task}\n")
    return path


@pytest.mark.parametrize(
    "task,message",
    [
        (
            "gradient_descent: {start: [0, 0], lr: 0}",
            "tasks[0].gradient_descent.lr: lr must be a positive number",
        ),
        (
            "gradient_descent: {start: [0, 0], lr: -0.1}",
            "tasks[0].gradient_descent.lr: lr must be a positive number",
        ),
        (
            "gradient_descent: {start: [0, 0, 0], lr: 0.1}",
            "tasks[0].gradient_descent.start: expected 2 numbers",
        ),
        (
            "gradient_descent: {start: [0, 0], lr: 0.1, steps: 0}",
            "tasks[0].gradient_descent.steps: steps must be",
        ),
        ("gradient_descent: {lr: 0.1}", "tasks[0].gradient_descent.start: required key is missing"),
        (
            "gradient_descent: {start: [0, 0], lr: 0.1, show: -5}",
            "tasks[0].gradient_descent.show: must be at least 1",
        ),
    ],
)
def test_bad_descent_parameters_exit_2(tmp_path, task, message):
    result = CliRunner().invoke(main, ["solve", str(write(tmp_path, task))])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_divergent_run_is_reported_plainly(tmp_path):
    path = write(tmp_path, "gradient_descent: {start: [1, 1], lr: 2, steps: 2000}")
    sol = tutor.solve(path)
    (run,) = sol.sections
    assert run.result["diverged"] is True and run.result["stopped"] == "diverged"
    text = sol.to_text()
    assert "DIVERGED" in text and "nan" not in text.lower() and "inf" not in text.split("Checks")[0]


def test_float32_run_is_checked_at_float32_precision():
    sol = tutor.solve(PROBLEMS / "lesson6-gd-matrix.yaml", dtype="float32")
    assert sol.ok
    a, b = sol.sections[0].result["final"].values()
    assert (round(a, 4), round(b, 4)) == (1.0372, 0.9102)
    assert "float32 run" in sol.sections[0].checks[0].method


def test_nonlinear_model_over_1000_rows_descends_on_the_row_gradient():
    """ŷ = a·e^(bx): the gradient of one generic row, evaluated over all rows at once."""
    import time

    start = time.perf_counter()
    sol = tutor.solve(PROBLEMS / "exp-fit.yaml")
    assert time.perf_counter() - start < 30
    assert sol.ok
    a, b = sol.sections[0].result["final"].values()
    assert abs(a - 2) < 0.01 and abs(b - 0.5) < 0.01
    text = sol.to_text()
    assert "Objective: MSE = (1/1000)·Σᵢ (y_i − a·e^(b·x_i))², m = 1,000" in text
    assert "∂ŷ/∂b = ax·e^(bx)" in text
    assert len(text) < 10_000  # no thousand-term sums


def test_a_saddle_says_no_learning_rate_converges():
    problem = {
        "title": "saddle",
        "variables": ["x", "y"],
        "objective": "x**2 - y**2 + x*y",
        "tasks": [{"gradient_descent": {"start": [1, 1], "lr": 0.1, "steps": 100}}],
    }
    text = tutor.solve(problem).to_text()
    assert "H has a negative eigenvalue, λ_min = −√5" in text
    assert "No learning rate α > 0 converges from a generic start" in text
    assert "keeps falling: it is unbounded below" in text
    assert "converges." not in text and "lower the learning rate" not in text


def test_a_three_variable_quadratic_gets_real_eigenvalues():
    problem = {
        "title": "q3",
        "variables": ["x", "y", "z"],
        "objective": "2*x**2 + y**2 + 3*z**2 + x*y - y*z",
        "tasks": [{"gradient_descent": {"start": [1, 1, 1], "lr": 0.1, "steps": 200}}],
    }
    solution = tutor.solve(problem)
    text = solution.to_text()
    # λ_max of [[4, 1, 0], [1, 2, -1], [0, -1, 6]] is 6.2618022...: 2/λ_max = 0.3193968...
    assert "with λ_max = 6.261802245:" in text and "2/λ_max = 0.319396864" in text
    assert "^(1/3)" not in text and "I·" not in text  # no complex cube roots of real numbers
    assert solution.ok and solution.sections[0].result["status"] == "converged"


def test_a_flat_valley_says_descent_keeps_the_start_along_it():
    problem = {
        "title": "valley",
        "variables": ["x", "y"],
        "objective": "(x + y - 2)**2",
        "tasks": [{"gradient_descent": {"start": [3, 0], "lr": 0.1, "steps": 200}}],
    }
    section = tutor.solve(problem).sections[0]
    assert "H is only semidefinite: it has eigenvalue 0 along (−1, 1)" in str(section)
    # x − y is never changed by a step (3 at the start), and x + y = 2 at the minimum.
    final = section.result["final"]
    assert final["x"] == pytest.approx(2.5) and final["y"] == pytest.approx(-0.5)


def test_the_json_says_how_the_history_is_thinned_and_how_much_was_checked():
    """Issue 19 / SPEC §5: history keeps every stride-th point; each run says how many of its
    steps the autograd twin repeated."""
    import tutor

    run = tutor.descend(
        "(2 - a - b)**2 + (4 - 3*a - b)**2", wrt="a b", start=[0, 0], lr=[0.01, 0.001], steps=1000
    )
    result = run.to_dict()["tasks"][0]["result"]
    assert result["stride"] == 5 and len(result["history"]) == 201
    assert [r["stride"] for r in result["runs"]] == [5, 5]
    assert [r["checked"] for r in result["runs"]] == [1000, 1000]
