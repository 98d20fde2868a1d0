"""Geometry of a function (issue 5): the numbers of ch3 and the gradient notes."""

import json

import pytest
import sympy as sp
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main


def sections(path, name):
    sol = tutor.solve(PROBLEMS / path)
    assert sol.ok, [c for c in sol.checks if not c.ok]
    return [s for s in sol.sections if s.task == name]


def test_ch3_gradient_of_ellipse_at_3_4_is_12_24():
    (grad,) = sections("ch3-ellipse.yaml", "gradient")
    assert grad.result["exact"] == ["12", "24"]


def test_ch3_displacements_change_L_by_0_01320066_and_0_0120006():
    first, second = sections("ch3-ellipse.yaml", "taylor")
    one, two = first.result["displacement"], second.result["displacement"]
    assert sp.Rational(one["exact_change"]) == sp.Rational("0.01320066")
    assert one["first_order"] == pytest.approx(0.0132, abs=1e-15)
    assert one["second_order"] == pytest.approx(0.01320066, abs=1e-15)  # exact: L is quadratic
    assert sp.Rational(two["exact_change"]) == sp.Rational("0.01200059")
    assert round(two["exact_value"], 7) == 0.0120006  # the lesson's rounding
    assert two["first_order"] == pytest.approx(0.012, abs=1e-15)
    assert sp.sympify(first.result["expansion"]) == sp.sympify("2*w0**2 + 3*w1**2")


def test_ch3_hessian_of_ellipse():
    (h,) = sections("ch3-ellipse.yaml", "hessian")
    assert h.result["matrix"] == [["4", "0"], ["0", "6"]]
    assert h.result["eigenvalues"] == ["4", "6"]


def test_directional_derivative_of_paraboloid_is_22_over_5():
    along, angle = sections("paraboloid.yaml", "directional_derivative")
    assert along.result["unit_direction"] == ["3/5", "4/5"]
    assert along.result["exact"] == "22/5"
    assert along.result["max_rate"] == "2*sqrt(5)"
    assert along.result["max_direction"] == ["sqrt(5)/5", "2*sqrt(5)/5"]
    assert angle.result["exact"] == "2*sqrt(2)"


def test_cone_is_not_differentiable_at_its_tip_but_is_convex():
    smooth, tip = sections("ch3-cone.yaml", "gradient")
    assert smooth.result["exact"] == ["3/5", "4/5"]
    assert tip.result["value"] is None and tip.result["differentiable"] is False
    (direction,) = sections("ch3-cone.yaml", "directional_derivative")
    assert direction.result["exact"] == "1" and direction.result["max_rate"] is None
    (convex,) = sections("ch3-cone.yaml", "convexity")
    assert convex.result["convex"] is True
    text = tutor.solve(PROBLEMS / "ch3-cone.yaml").to_text()
    assert "L is not differentiable at (0, 0): w₀/√(w₀² + w₁²) is undefined there (0/0)" in text
    assert "nan" not in text


def test_exp_taylor_series_at_zero():
    (t,) = sections("exp-taylor.yaml", "taylor")
    x = sp.Symbol("x")
    assert sp.sympify(t.result["expansion"]) == 1 + x + x**2 / 2 + x**3 / 6 + x**4 / 24


def test_ch3_x_squared_definition_C_above_D():
    (c,) = sections("convex-x-squared.yaml", "convexity")
    assert c.result["convex"] is True
    d = c.result["definition"]
    assert (sp.Rational(d["chord"]), sp.Rational(d["graph"])) == (
        sp.Rational("20.2"),
        sp.Rational("6.76"),
    )
    assert d["holds"] is True


def test_ch3_x_cubed_definition_C_below_D():
    (c,) = sections("nonconvex-x-cubed.yaml", "convexity")
    assert c.result["convex"] is False and c.result["counterexample"] == ["-1"]
    d = c.result["definition"]
    assert (sp.Rational(d["chord"]), sp.Rational(d["graph"])) == (
        sp.Rational("-66.1"),
        sp.Rational("1.331"),
    )
    assert d["holds"] is False


def test_minus_log_is_convex_for_positive_x():
    (c,) = sections("neg-log.yaml", "convexity")
    assert c.result["convex"] is True and "x > 0" in c.result["reason"]


def test_nonlinear_stationary_points_exact_and_numeric(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [x]\nobjective: x**4 - x**2\ntasks: [stationary_points]\n"
    )
    points = tutor.solve(path).sections[0].result["points"]
    assert [(p["x"], p["kind"]) for p in points] == [
        ("-sqrt(2)/2", "minimum"),
        ("0", "maximum"),
        ("sqrt(2)/2", "minimum"),
    ]
    path.write_text(
        "title: t\nvariables: [x]\nobjective: cos(x) + x**2/10\ntasks: [stationary_points]\n"
    )
    sol = tutor.solve(path)
    points = sol.sections[0].result["points"]
    assert [p["kind"] for p in points] == ["minimum", "maximum", "minimum"]
    assert all(p.get("numeric") for p in points if p["x"] != "0")
    assert float(points[2]["x"]) == pytest.approx(2.5957390798, abs=1e-9)
    assert sol.ok


def test_a_wrong_hessian_makes_the_check_fail(tmp_path, monkeypatch):
    """A deliberately wrong second derivative is caught by autograd: the check can fail."""
    from tutor.tasks.context import Context

    right = Context.hessian.func
    monkeypatch.setattr(Context, "hessian", property(lambda self: right(self) + sp.eye(2)))
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [x, y]\nobjective: x**2*y\ntasks:\n  - hessian: {at: [1, 2]}\n"
    )
    result = CliRunner().invoke(main, ["solve", str(path), "--format", "json"])
    assert result.exit_code == 1
    check = json.loads(result.stdout)["tasks"][0]["check"]
    assert check["ok"] is False and check["max_abs_err"] == pytest.approx(1.0)


def test_directional_needs_a_direction_or_an_angle(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [x, y]\nobjective: x*y\ntasks:\n"
        "  - directional_derivative: {at: [1, 2], direction: [0, 0]}\n"
    )
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert (
        "tasks[0].directional_derivative.direction: the direction must not be the zero vector"
        in result.stderr
    )


@pytest.mark.parametrize(
    "variables,objective,task,words",
    [
        (
            "x",
            "Max(x, 0)",
            "hessian: {at: 0}",
            "f is not twice differentiable at (0): DiracDelta(x)",
        ),
        ("x", "log(x)", "taylor: {at: 0}", "f is not twice differentiable at (0): log(x)"),
        ("x", "sqrt(x)", "gradient: {at: -1}", "(not a real number)"),
        ("x", "x**x", "convexity", "convexity undecided"),
    ],
)
def test_odd_points_are_explained_not_crashed(tmp_path, variables, objective, task, words):
    path = tmp_path / "p.yaml"
    path.write_text(
        f"title: t\nvariables: [{variables}]\nobjective: {objective}\ntasks:\n  - {task}\n"
    )
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 0, result.output
    assert words in result.stdout and "nan" not in result.stdout


def _solved_text(tmp_path, objective, *tasks):
    path = tmp_path / "p.yaml"
    lines = "".join(f"  - {t}\n" for t in tasks)
    path.write_text(f"title: t\nvariables: [x, y]\nobjective: {objective}\ntasks:\n{lines}")
    return tutor.solve(path)


def test_the_limit_definition_shows_the_quotient_then_its_limit(tmp_path):
    sol = _solved_text(
        tmp_path, "x**2 + 3*x*y", "directional_derivative: {at: [1, 2], direction: [3, 4]}"
    )
    text = sol.to_text()
    assert "f(1, 2) = 7" in text
    assert "(f((1, 2) + t·u) − f(1, 2))/t = ((3t/5 + 1)² + 3(3t/5 + 1)(4t/5 + 2) − 7)/t" in text
    assert "= 9t/5 + 36/5" in text
    assert "lim_{t→0⁺} (9t/5 + 36/5) = 36/5" in text
    assert r"\lim_{t \to 0^+}\left(\frac{9 t}{5} + \frac{36}{5}\right) &= \frac{36}{5}" in (
        sol.to_latex()
    )
    assert sol.sections[0].result["exact"] == "36/5"


def test_on_a_kink_the_limit_is_the_rate_and_grad_dot_u_is_not(tmp_path):
    # |x − y| at (1, 1) along (1, 2): x − y = −t/√5, so |x − y| adds 1/√5 to the smooth rate
    # (cos²1 − 2 sin²1)/√5; SymPy's ∇f takes sign(0) = 0 and misses it.
    sol = _solved_text(
        tmp_path,
        "sin(x)*cos(y) + abs(x - y)",
        "directional_derivative: {at: [1, 1], direction: [1, 2]}",
        "gradient: {at: [1, 1]}",
    )
    assert sol.ok, [c for c in sol.checks if not c.ok]
    direction, gradient = sol.sections
    exact = sp.sympify(direction.result["exact"])
    want = (sp.cos(1) ** 2 - 2 * sp.sin(1) ** 2 + 1) / sp.sqrt(5)
    assert abs(float(exact - want)) < 1e-15 and direction.result["differentiable"] is False
    assert direction.result["max_rate"] is None
    text = sol.to_text()
    assert "The limit differs from ∇f·u = √5(1 − 3sin(1)²)/5" in text
    assert "The limit definition gives the same number" not in text
    assert "(1, 1) lies on a kink of f (x − y = 0 there)" in text
    assert gradient.result["exact"] == ["cos(1)**2", "-sin(1)**2"]  # the sign(0) = 0 value


def test_taylor_of_order_4_compares_every_order(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [x]\nobjective: exp(x)\n"
        "tasks:\n  - taylor: {at: 0, order: 4, displacement: [0.5]}\n"
    )
    (section,) = tutor.solve(path).sections
    table = section.steps[-1].blocks[-1]
    estimates = [row[1] for row in table.rows]
    # 1/2, 1/2 + 1/8, + 1/48, + 1/384: the partial sums of e^(1/2) − 1
    assert estimates[1:] == [sp.Rational(1, 2), sp.Rational(5, 8), sp.Rational(31, 48),
                             sp.Rational(83, 128)]  # fmt: skip
    errors = [float(row[2]) for row in table.rows[1:]]
    assert errors == pytest.approx([float(sp.exp(sp.S.Half) - 1 - e) for e in estimates[1:]])
    text = str(section)
    assert "order 4: T4(x₀ + δ) − f(x₀)" in text
    assert "[expand]" not in text  # 1 + x + x²/2 + … is not repeated in another order


def test_stationary_checks_one_hessian_line_and_true_minus_signs():
    sol = tutor.solve(PROBLEMS / "six-hump-camel.yaml")
    lines = [c.what for c in sol.checks]
    hessian = [w for w in lines if "Hessian" in w]
    assert hessian == ["H at the 15 stationary points against autograd's Hessian"]
    assert "autograd gradient is zero at (1.70361, −0.796084)" in lines
    assert not any("-" in w for w in lines)
