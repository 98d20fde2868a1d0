import pytest
import sympy as sp

from tutor.calculus.diffsteps import (
    ChainRule,
    LogDiffRule,
    ProductRule,
    SumRule,
    Unsupported,
    diff_steps,
    rule_names,
    verify,
)
from tutor.expr import parse
from tutor.render.mathprint import math_text

x, y = sp.symbols("x y", real=True)
NAMES = {"x": x, "y": y}

CASES = [
    "x**3",
    "3*x**2 + 2*x + 1",
    "x**-2",
    "sqrt(x)",
    "x**(2/3)",
    "(x**2 + 1)**5",
    "sin(x)*cos(x)",
    "x*exp(x)*sin(x)",
    "exp(-x**2/2)",
    "log(x**2 + 1)",
    "log(x, 10)",
    "tan(3*x)",
    "sec(x) + csc(x) + cot(x)",
    "asin(x/2) + acos(x/3) + atan(x**2) + acot(x)",
    "sinh(x) + cosh(2*x) + tanh(x)**2",
    "asinh(x) + atanh(x/2)",
    "x**x",
    "2**(3*x)",
    "1/(1 + exp(-x))",
    "Abs(x - 1)",
    "sin(cos(tan(x)))",
    "x**2*y + y**3",
]


@pytest.mark.parametrize("text", CASES)
def test_steps_agree_with_sympy_diff(text):
    expr = parse(text, NAMES, evaluate=False)
    rule = diff_steps(expr, x)
    assert verify(rule) == []
    assert sp.simplify(rule.result - sp.diff(parse(text, NAMES), x)) == 0
    assert not any(isinstance(r, Unsupported) for r in rule.walk())


def test_chain_rule_names_inner_function():
    rule = diff_steps(parse("sin(x**2)", NAMES), x)
    assert isinstance(rule, ChainRule) and rule.u == x**2 and rule.outer_name == "sine rule"
    assert math_text(rule.applied) == "cos(x²)·2x"


def test_product_and_power_of_variable_exponent():
    assert isinstance(diff_steps(x * sp.sin(x), x), ProductRule)
    assert isinstance(diff_steps(x**x, x), LogDiffRule)


def test_other_variables_are_constants():
    rule = diff_steps(parse("x**2*y + y**3", NAMES, evaluate=False), x)
    assert isinstance(rule, SumRule)
    assert rule.result == 2 * x * y
    assert "constant rule" in rule_names(rule)


def test_unsupported_still_gives_sympys_answer():
    f = sp.Function("f")(x)  # no rule can know an unknown function
    rule = diff_steps(f, x)
    assert isinstance(rule, Unsupported)
    assert rule.result == sp.diff(f, x)


def test_tidy_writes_logs_of_powers_as_textbooks_and_keeps_variables_out_of_logs():
    from tutor.calculus.tidy import tidy_with_note

    x, y = sp.symbols("x y", positive=True)
    derived = y * x ** (y - 1) + sp.log(256) + 3 * sp.log(2) * 2 ** (3 * x)
    tidy, note = tidy_with_note(derived, [x, y])
    assert sp.simplify(tidy - derived) == 0
    assert tidy.has(8 * sp.log(2)) and not tidy.has(sp.log(256))
    assert all(not f.free_symbols for f in tidy.atoms(sp.log)), tidy  # no log(256·2^(3·8^x))


def test_common_denominator_is_named_only_when_there_is_one():
    from tutor.calculus.tidy import tidy_with_note

    x = sp.Symbol("x")
    for expr in (sp.exp(x) * sp.sin(x) + 2 * sp.cos(x), x**2 + sp.log(x)):
        assert tidy_with_note(expr, [x])[1] != "common denominator"
    from tutor.calculus.tidy import _together

    assert _together(x + sp.sin(x) * sp.exp(x)) == x + sp.sin(x) * sp.exp(x)
    assert sp.fraction(_together(1 / x + sp.sin(x) / (x + 1)))[1] == x * (x + 1)
