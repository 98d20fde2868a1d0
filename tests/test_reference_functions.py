"""Stationary points of published optimisation test functions (issue 15): every one found,
classified, and the list said complete; non-polynomial systems name the box searched."""

import math

import pytest
import sympy as sp
from conftest import PROBLEMS

import tutor
from tutor.render.text import TextPrinter


def points(name):
    section = tutor.solve(PROBLEMS / f"{name}.yaml").sections[0]
    result = section.result
    return (
        result,
        [
            (
                tuple(float(sp.sympify(v)) for k, v in p.items() if k not in ("kind", "numeric")),
                p["kind"],
            )
            for p in result["points"]
        ],
        section,
    )


def f_himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def test_himmelblau_has_nine_stationary_points_and_says_so():
    result, found, section = points("himmelblau")
    assert result["complete"] is True and "searched" not in result
    kinds = [k for _, k in found]
    assert (
        kinds.count("minimum") == 4 and kinds.count("maximum") == 1 and kinds.count("saddle") == 4
    )
    minima = sorted(p for p, k in found if k == "minimum")
    published = [(-3.779310, -3.283186), (-2.805118, 3.131312), (3.0, 2.0), (3.584428, -1.848126)]
    for (x, y), (px, py) in zip(minima, published, strict=True):
        assert (x, y) == pytest.approx((px, py), abs=1e-6)
        assert f_himmelblau(x, y) == pytest.approx(0, abs=1e-20)
    ((top, _),) = [(p, k) for p, k in found if k == "maximum"]
    assert top == pytest.approx((-0.270845, -0.923039), abs=1e-6)
    assert f_himmelblau(*top) == pytest.approx(181.617, abs=1e-3)
    assert {"x": "3", "y": "2", "kind": "minimum"} in result["points"]
    assert section.ok and all(c.ok for c in section.checks)


def test_six_hump_camel_has_fifteen_with_its_two_global_minima():
    result, found, _ = points("six-hump-camel")
    assert result["complete"] is True and len(found) == 15
    kinds = [k for _, k in found]
    assert (kinds.count("minimum"), kinds.count("maximum"), kinds.count("saddle")) == (6, 2, 7)

    def f(x, y):
        return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2

    best = sorted((f(*p), p) for p, k in found if k == "minimum")[:2]
    assert [v for v, _ in best] == pytest.approx([-1.0316284535, -1.0316284535], abs=1e-9)
    assert sorted(p for _, p in best) == [
        pytest.approx((-0.0898420131, 0.7126564030), abs=1e-9),
        pytest.approx((0.0898420131, -0.7126564030), abs=1e-9),
    ]


def test_styblinski_tang_1d_finds_all_three():
    result, found, _ = points("styblinski-tang")
    assert result["complete"] is True
    assert [k for _, k in found] == ["minimum", "maximum", "minimum"]
    (x_min,), _ = found[0]
    assert x_min == pytest.approx(-2.903534, abs=1e-6)
    assert (x_min**4 - 16 * x_min**2 + 5 * x_min) / 2 == pytest.approx(-39.16617, abs=1e-5)


def test_quartic_roots_stay_exact():
    result, _, _ = points_of("x**4 - x**2", ["x"])
    assert [(p["x"], p["kind"]) for p in result["points"]] == [
        ("-sqrt(2)/2", "minimum"),
        ("0", "maximum"),
        ("sqrt(2)/2", "minimum"),
    ]


def points_of(objective, variables):
    problem = {
        "title": "t",
        "variables": variables,
        "objective": objective,
        "tasks": ["stationary_points"],
    }
    section = tutor.solve(problem).sections[0]
    return section.result, None, section


def test_a_non_polynomial_system_names_the_box_it_searched():
    result, _, section = points_of("cos(x) + x**2/10", ["x"])
    assert result["complete"] is False and result["searched"] == {"x": [-5.0, 5.0]}
    assert "more may lie outside the box" in TextPrinter().print(section.steps[1].blocks[0])
    found = sorted(float(p["x"]) for p in result["points"])
    assert found[-1] == pytest.approx(2.5957390798, abs=1e-9) and 0.0 in found


def test_a_line_of_minima_is_a_family_in_json():
    result, _, _ = points_of("(a + b - 1)**2", ["a", "b"])
    assert result["points"] == [] and result["complete"] is True
    (family,) = result["families"]
    assert family["kind"] == "minimum" and len(family["directions"]) == 1
    point = {k: float(sp.sympify(v)) for k, v in family["point"].items()}
    assert math.isclose(point["a"] + point["b"], 1.0)
    direction = [float(sp.sympify(v)) for v in family["directions"][0]]
    assert direction[0] + direction[1] == 0


def test_easom_finds_its_global_minimum_exactly_and_names_the_box():
    result, found, section = points("easom")
    assert result["complete"] is False and result["searched"] == {
        "x": [-5.0, 5.0],
        "y": [-5.0, 5.0],
    }
    assert {"x": "pi", "y": "pi", "kind": "minimum"} in result["points"]
    assert "more may lie outside the box" in TextPrinter().print(section.steps[1].blocks[0])


def test_levi_n13_minimum_in_seconds_not_a_hang():
    objective = "sin(3*pi*x)**2 + (x - 1)**2*(1 + sin(3*pi*y)**2) + (y - 1)**2*(1 + sin(2*pi*y)**2)"
    result, _, section = points_of(objective, ["x", "y"])
    assert {"x": "1", "y": "1", "kind": "minimum"} in result["points"]
    assert result["complete"] is False and section.ok


def test_sin_cos_is_a_complete_periodic_family():
    result, _, section = points_of("sin(x)*cos(y)", ["x", "y"])
    assert result["complete"] is True and "searched" not in result
    shown = [(p["x"], p["y"], p["kind"]) for p in result["points"]]
    assert shown == [
        ("-pi/2", "0", "minimum"),
        ("-pi/2", "pi", "maximum"),
        ("0", "-pi/2", "saddle"),
        ("0", "pi/2", "saddle"),
        ("pi/2", "0", "maximum"),
        ("pi/2", "pi", "minimum"),
        ("pi", "-pi/2", "saddle"),
        ("pi", "pi/2", "saddle"),
    ]
    assert all(f["period"] == {"x": "2*pi", "y": "2*pi"} for f in result["families"])
    assert len(result["families"]) == 8
    assert (
        "every stationary point is one of these plus whole multiples of 2π"
        in TextPrinter().print(section.steps[1].blocks[0])
    )


def test_a_three_by_three_hessian_is_decided_by_its_minors():
    result, _, section = points_of("2*x**2 + y**2 + 3*z**2 + x*y - y*z", ["x", "y", "z"])
    assert result["points"] == [{"x": "0", "y": "0", "z": "0", "kind": "minimum"}]
    text = str(section)
    assert "leading principal minors 4, 7, 38 > 0 (Sylvester's criterion)" in text
    assert "(the roots of det(H − λI) = −λ³ + 12λ² − 42λ + 38)" in text
    assert "6.261802245" in text and "I·" not in text and "^(1/3)" not in text
