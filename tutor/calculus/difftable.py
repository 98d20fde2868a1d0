"""The table of elementary derivatives: f -> (rule name, f'(u) built unevaluated, kink)."""

from __future__ import annotations

import sympy as sp

from .rules import Builder, neg, plus, power, recip, times


def _fn(f: type, x: sp.Expr) -> sp.Expr:
    result: sp.Expr = f(x, evaluate=False)
    return result


def _one_minus_sq(u: sp.Expr) -> sp.Expr:
    return plus(sp.S.One, neg(power(u, 2)))


def _one_plus_sq(u: sp.Expr) -> sp.Expr:
    return plus(sp.S.One, power(u, 2))


def _sq_minus_one(u: sp.Expr) -> sp.Expr:
    return plus(power(u, 2), sp.S.NegativeOne)


def _root(u: sp.Expr) -> sp.Expr:
    return power(u, sp.S.Half)


def _asec(u: sp.Expr) -> sp.Expr:
    return recip(times(power(u, 2), _root(_one_minus_sq(recip(u)))))


#: f -> (rule name, f'(u), where f is not differentiable) for the functions a lesson
#: differentiates by table: "" everywhere, "kink" (not differentiable where u = 0), "jump"
#: (not continuous where u = 0); :mod:`tutor.phrasing` says each in words.
FUNCTION_TABLE: dict[type, tuple[str, Builder, str]] = {
    sp.exp: ("exponential rule", lambda u: sp.exp(u, evaluate=False), ""),
    sp.log: ("logarithm rule", lambda u: recip(u), ""),
    sp.sin: ("sine rule", lambda u: _fn(sp.cos, u), ""),
    sp.cos: ("cosine rule", lambda u: neg(_fn(sp.sin, u)), ""),
    sp.tan: ("tangent rule", lambda u: power(_fn(sp.sec, u), 2), ""),
    sp.cot: ("cotangent rule", lambda u: neg(power(_fn(sp.csc, u), 2)), ""),
    sp.sec: ("secant rule", lambda u: times(_fn(sp.sec, u), _fn(sp.tan, u)), ""),
    sp.csc: ("cosecant rule", lambda u: neg(times(_fn(sp.csc, u), _fn(sp.cot, u))), ""),
    sp.asin: ("arcsine rule", lambda u: recip(_root(_one_minus_sq(u))), ""),
    sp.acos: ("arccosine rule", lambda u: neg(recip(_root(_one_minus_sq(u)))), ""),
    sp.atan: ("arctangent rule", lambda u: recip(_one_plus_sq(u)), ""),
    sp.acot: ("arccotangent rule", lambda u: neg(recip(_one_plus_sq(u))), ""),
    sp.asec: ("arcsecant rule", _asec, ""),
    sp.acsc: ("arccosecant rule", lambda u: neg(_asec(u)), ""),
    sp.sinh: ("hyperbolic sine rule", lambda u: _fn(sp.cosh, u), ""),
    sp.cosh: ("hyperbolic cosine rule", lambda u: _fn(sp.sinh, u), ""),
    sp.tanh: ("hyperbolic tangent rule", lambda u: _one_minus_sq(_fn(sp.tanh, u)), ""),
    sp.coth: ("hyperbolic cotangent rule", lambda u: _one_minus_sq(_fn(sp.coth, u)), ""),
    sp.sech: (
        "hyperbolic secant rule",
        lambda u: neg(times(_fn(sp.sech, u), _fn(sp.tanh, u))),
        "",
    ),
    sp.csch: (
        "hyperbolic cosecant rule",
        lambda u: neg(times(_fn(sp.csch, u), _fn(sp.coth, u))),
        "",
    ),
    sp.asinh: ("inverse hyperbolic sine rule", lambda u: recip(_root(_one_plus_sq(u))), ""),
    sp.acosh: ("inverse hyperbolic cosine rule", lambda u: recip(_root(_sq_minus_one(u))), ""),
    sp.atanh: ("inverse hyperbolic tangent rule", lambda u: recip(_one_minus_sq(u)), ""),
    sp.acoth: ("inverse hyperbolic cotangent rule", lambda u: recip(_one_minus_sq(u)), ""),
    sp.Abs: ("absolute value rule", lambda u: _fn(sp.sign, u), "kink"),
    sp.sign: ("sign rule", lambda u: sp.S.Zero, "jump"),
}
