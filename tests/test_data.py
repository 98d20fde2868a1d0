import numpy as np
import pytest
import sympy as sp

import tutor
from tutor.errors import InputError


def problem(tmp_path, data, extra=""):
    path = tmp_path / "p.yaml"
    path.write_text(
        f"title: t\nvariables: [a, b]\nmodel: y = a*x + b\ndata: {data}\n{extra}tasks: [partials]\n"
    )
    return path


def test_csv_data_is_exact(tmp_path):
    (tmp_path / "pts.csv").write_text("x,y\n1,2\n3,4\n")
    p = tutor.load(problem(tmp_path, "{csv: pts.csv}"))
    a, b = p.variables
    assert sp.expand(p.objective - ((2 - a - b) ** 2 + (4 - 3 * a - b) ** 2)) == 0


def test_csv_bad_cell_names_line_and_column(tmp_path):
    (tmp_path / "pts.csv").write_text("x,y\n1,2\n3,oops\n")
    with pytest.raises(InputError) as info:
        tutor.load(problem(tmp_path, "{csv: pts.csv}"))
    assert "data.csv: 'pts.csv' line 3, column y: expected a number, got 'oops'" in str(info.value)


def test_generated_data_is_seeded(tmp_path):
    recipe = "{generate: {n: 20, seed: 3, x: 'uniform(0, 1)', y: '3*x + 0.8 + normal(0, 0.1)'}}"
    one = tutor.load(problem(tmp_path, recipe)).model.data.arrays
    two = tutor.load(problem(tmp_path, recipe)).model.data.arrays
    assert np.array_equal(one["x"], two["x"]) and np.array_equal(one["y"], two["y"])
    assert one["x"].min() >= 0 and one["x"].max() <= 1
    residual = one["y"] - (3 * one["x"] + 0.8)
    assert abs(residual.mean()) < 0.1 and 0.03 < residual.std() < 0.2


@pytest.mark.parametrize(
    "loss,factor", [("sse", 1), ("mse", sp.Rational(1, 2)), ("half_mse", sp.Rational(1, 4))]
)
def test_losses_scale_the_sum(tmp_path, loss, factor):
    p = tutor.load(problem(tmp_path, "{x: [1, 3], y: [2, 4]}", f"loss: {loss}\n"))
    a, b = p.variables
    assert sp.expand(p.objective - factor * ((2 - a - b) ** 2 + (4 - 3 * a - b) ** 2)) == 0
    assert p.name.text == {"sse": "SSE", "mse": "MSE", "half_mse": "L"}[loss]


def test_variables_with_assumptions_and_constants(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nvariables: [{name: x, positive: true}]\nconstants: {lam: '1/2'}\n"
        "objective: lam*x**2 - log(x)\ntasks: [stationary_points]\n"
    )
    sol = tutor.solve(path)
    assert sol.sections[0].result == {
        "points": [{"x": "1", "kind": "minimum"}],
        "complete": True,
        "families": [],
    }


@pytest.mark.parametrize("where", ["../secret.csv", "/etc/passwd"])
def test_csv_must_live_beside_the_problem_file(tmp_path, where):
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "secret.csv").write_text("x,y\n1,2\n")
    with pytest.raises(InputError) as info:
        tutor.load(problem(inner, f"{{csv: {where!r}}}"))
    assert "outside the problem file's folder" in str(info.value)


@pytest.mark.parametrize(
    ("data", "csv", "message"),
    [
        ("{x: [1, .inf], y: [1, 2]}", None, "data.x[1]: inf is not a finite number"),
        ("{x: [1, 2], y: [1, .nan]}", None, "data.y[1]: nan is not a finite number"),
        ("{csv: pts.csv}", "x,y\n1,2\n2,nan\n", "'pts.csv' line 3, column y: expected a number"),
        (
            "{generate: {n: 3, seed: 0, x: 'uniform(0, 1)', y: 'log(x - 2)'}}",
            None,
            "data.generate.y: produced values that are not finite (NaN or infinity)",
        ),
    ],
    ids=["inline-inf", "inline-nan", "csv-nan", "generated-nan"],
)
def test_data_that_is_not_finite_is_refused_by_name(tmp_path, data, csv, message):
    if csv is not None:
        (tmp_path / "pts.csv").write_text(csv)
    with pytest.raises(InputError) as info:
        tutor.load(problem(tmp_path, data))
    assert message in str(info.value)


def test_a_large_csv_is_read_by_numpy_as_float64_and_says_so(tmp_path):
    from tutor import phrasing
    from tutor.data import EXACT_ROWS, Origin

    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, EXACT_ROWS + 1).round(6)
    rows = "\n".join(f"{v:.6f},{2 * v + 1:.6f}" for v in x)
    (tmp_path / "pts.csv").write_text(f"x,y\n{rows}\n")
    p = tutor.load(problem(tmp_path, "{csv: pts.csv}"))
    assert p.model.data.exact is None
    assert p.model.data.origin == Origin("csv_float", file="pts.csv")
    said = phrasing.text("data.origin.csv_float", file="pts.csv", rows=EXACT_ROWS)
    assert said == "CSV file pts.csv (read as float64: over 100,000 rows)"
    np.testing.assert_array_equal(p.model.data.arrays["x"], x)
    np.testing.assert_array_equal(p.model.data.arrays["y"], (2 * x + 1).round(6))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("1e-400", "line 3, column y: 1e-400 is too small for float64 (below 1e-300)"),
        ("1e400", "line 3, column y: 1e400 is too large for a float"),
        ("10**400", "line 3, column y: 1.0e+400 is beyond float64's range (about 1.8e308)"),
    ],
)
def test_a_csv_number_beyond_float64_names_its_cell(tmp_path, cells, message):
    (tmp_path / "pts.csv").write_text(f"x,y\n1,2\n2,{cells}\n")
    with pytest.raises(InputError) as info:
        tutor.load(problem(tmp_path, "{csv: pts.csv}"))
    assert message in str(info.value)


def test_decimal_data_prints_as_written_and_computes_exactly(tmp_path):
    path = tmp_path / "dec.yaml"
    path.write_text(
        "title: t\nvariables: [w, b]\nmodel: y = w*x + b\n"
        "data: {x: [1, 2, 3.5], y: [2.3, 4.1, -6.25]}\nloss: sse\ntasks: [partials]\n"
    )
    sol = tutor.solve(path)
    text = sol.to_text()
    assert "SSE = (2.3 − b − w)² + (4.1 − b − 2w)² + (−6.25 − b − 7w/2)²" in text
    assert "23/10" not in text and "41/10" not in text
    assert r"\left(2.3 - b - w\right)^{2}" in sol.to_latex()
    # the derivative is exact: 2(2.3 − b − w)(−1) + 2(4.1 − b − 2w)(−2) + 2(−6.25 − b − 3.5w)(−3.5)
    a, b = sp.symbols("w b")
    assert sp.sympify(sol.sections[0].result["w"]) == sp.expand(
        -2 * (sp.Rational(23, 10) - b - a)
        - 4 * (sp.Rational(41, 10) - b - 2 * a)
        - 7 * (sp.Rational(-25, 4) - b - sp.Rational(7, 2) * a)
    )
    assert '"2.3"' not in sol.to_json()  # JSON keeps exact fractions that read back exactly
