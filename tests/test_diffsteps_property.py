"""Property: for random expression trees over every function tutor differentiates, the
steps end in sympy.diff's result, use no Unsupported rule, verify rule by rule, and agree
with torch autograd at random points (float64, |error| <= 1e-9 (1 + |autograd|))."""

import os

import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tutor.calculus.diffsteps import Unsupported, diff_steps, verify
from tutor.calculus.equality import equal
from tutor.expr import parse
from tutor.numeric.compile import compile_expr
from tutor.numeric.verify import gradient_check, sample_points

x, y = sp.symbols("x y", real=True)
UNARY = [
    sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot,
    sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc,
    sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch,
    sp.asinh, sp.acosh, sp.atanh, sp.acoth,
    sp.exp, sp.log, sp.sqrt, sp.Abs, sp.sign,
]  # fmt: skip
LEAVES = st.sampled_from([x, x, y, sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Integer(-1)])


def _apply(fn, *args):
    """``fn(*args)``, or the first argument where SymPy refuses (Max of a complex number)."""
    try:
        return fn(*args)
    except (TypeError, ValueError, ZeroDivisionError):
        return args[0]


def _extend(children: st.SearchStrategy) -> st.SearchStrategy:
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda t: t[0] + t[1]),
        pairs.map(lambda t: t[0] - t[1]),
        pairs.map(lambda t: t[0] * t[1]),
        pairs.map(lambda t: t[0] / t[1]),
        st.tuples(
            children, st.sampled_from([2, 3, -1, -2, sp.Rational(1, 2), sp.Rational(1, 3)])
        ).map(lambda t: t[0] ** t[1]),
        pairs.map(lambda t: t[0] ** t[1]),
        st.tuples(st.sampled_from(UNARY), children).map(lambda t: _apply(*t)),
        st.tuples(st.sampled_from([sp.Max, sp.Min, sp.atan2]), children, children).map(
            lambda t: _apply(*t)
        ),
        st.tuples(st.sampled_from([2, 10]), children).map(lambda t: _apply(sp.log, t[1], t[0])),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=7)


def _real_constants(expr: sp.Expr) -> bool:
    """acsc(cos(1/2)) is a complex number: such an expression is not a real function."""
    for sub in sp.preorder_traversal(expr):
        if sub.is_number and not sub.is_Atom:
            value = complex(sub.evalf(30))
            if abs(value.imag) > 1e-12 or value != value:
                return False
    return True


def _usable(expr: sp.Expr) -> bool:
    return (
        isinstance(expr, sp.Expr)
        and expr.has(x)
        and not expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I)  # real functions only
        and sp.count_ops(expr) < 60
        and not sp.diff(expr, x).has(sp.zoo, sp.nan)  # 0**x: no derivative to speak of
        and _real_constants(expr)
    )


def _check(expr: sp.Expr, shown: sp.Expr) -> None:
    rule = diff_steps(shown, x)
    assert not [r for r in rule.walk() if isinstance(r, Unsupported)]
    assert verify(rule) == []
    expected = sp.diff(expr, x)
    if not expected.has(sp.Derivative):  # else SymPy cannot, and verify judged numerically
        assert equal(rule.result, expected, [x, y], domain=expr)
    partials = [rule.result, diff_steps(shown, y).result]
    f = compile_expr(expr, [x, y])
    check = gradient_check(f, [x, y], partials, sample_points([x, y], 12, seed=5), "property")
    assume(check.points)  # no sample point in the function's domain: nothing to compare
    assert check.ok, (expr, check)


# Derandomized: CI sees the same examples every run. Explore new ones with
# TUTOR_EXPLORE=1 pytest tests/test_diffsteps_property.py --hypothesis-seed=N
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=not os.environ.get("TUTOR_EXPLORE"),
    suppress_health_check=[HealthCheck.filter_too_much],
)


@SETTINGS
@given(EXPRESSIONS)
def test_random_trees_derive_by_rules_verified_and_match_autograd(expr):
    assume(_usable(expr))
    _check(expr, expr)


@settings(SETTINGS, max_examples=60)
@given(EXPRESSIONS)
def test_random_text_parsed_in_written_order_derives_the_same(expr):
    assume(_usable(expr))
    shown = parse(sp.sstr(expr), {"x": x, "y": y}, evaluate=False)
    _check(expr, shown)
