"""Convexity by composition: the rules of disciplined convex programming, applied to the
expression tree, with no derivative taken.

A sum of convex functions is convex; so is a non-negative multiple; a convex function of an
affine map is convex. The convex building blocks here: affine functions, even powers and
absolute values of affine maps, exp of an affine map, log-sum-exp (log of a sum of positive
multiples of exponentials of affine maps, which includes the logistic loss's log(1 + e^ŷ)),
a maximum of convex functions, and convex quadratics. This decides in microseconds what the
Hessian test of a loss over data cannot decide in minutes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp


def convex_by_rules(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> list[str] | None:
    """The rules that prove ``expr`` convex in ``variables``, or None when they do not.

    >>> w, b = sp.symbols("w b", real=True)
    >>> loss = (sp.log(1 + sp.exp(w + b)) + sp.log(1 + sp.exp(2*w + b)) - (2*w + b)) / 2
    >>> convex_by_rules(loss, [w, b])
    ['sum of convex functions', 'affine', 'non-negative multiple', 'log-sum-exp of affine maps']
    >>> convex_by_rules(sp.exp(w) - w**2, [w]) is None
    True
    """
    used: list[str] = []
    return used if _convex(sp.sympify(expr), list(variables), used) else None


def _note(used: list[str], rule: str) -> None:
    if rule not in used:
        used.append(rule)


def _affine(e: sp.Expr, variables: list[sp.Symbol]) -> bool:
    if not e.free_symbols & set(variables):
        return True
    try:
        poly = sp.Poly(e, *variables)
    except sp.PolynomialError:
        return False
    return poly.total_degree() <= 1 and all(c.is_real for c in poly.coeffs())


def _convex(e: sp.Expr, variables: list[sp.Symbol], used: list[str]) -> bool:
    if _affine(e, variables):
        _note(used, "affine")
        return True
    if e.is_Add:
        _note(used, "sum of convex functions")
        # The polynomial terms of degree ≤ 2 are one quadratic (w² + wb + b² is convex,
        # though wb alone is not); the others are judged one by one.
        quadratic = [t for t in e.args if _degree(t, variables) in (0, 1, 2)]
        others = [t for t in e.args if t not in quadratic]
        if len(quadratic) > 1 and not _convex_quadratic(sp.Add(*quadratic), variables, used):
            return False
        if len(quadratic) == 1:
            others.append(quadratic[0])
        return all(_convex(t, variables, used) for t in others)
    if e.is_Mul:
        constant = sp.Mul(*(f for f in e.args if not f.free_symbols & set(variables)))
        rest = sp.Mul(*(f for f in e.args if f.free_symbols & set(variables)))
        if constant != 1 and constant.is_nonnegative:
            _note(used, "non-negative multiple")
            return _convex(rest, variables, used)
        return _quadratic(e, variables, used)
    if e.is_Pow and e.exp.is_Integer and e.exp.is_even and e.exp > 0:
        if _affine(e.base, variables):
            _note(used, "even power of an affine map")
            return True
    if isinstance(e, sp.Abs) and _affine(e.args[0], variables):
        _note(used, "absolute value of an affine map")
        return True
    if isinstance(e, sp.exp) and _affine(e.args[0], variables):
        _note(used, "exp of an affine map")
        return True
    if isinstance(e, sp.log) and _log_sum_exp(e.args[0], variables):
        _note(used, "log-sum-exp of affine maps")
        return True
    if isinstance(e, sp.Max):
        _note(used, "maximum of convex functions")
        return all(_convex(a, variables, used) for a in e.args)
    return _quadratic(e, variables, used)


def _log_sum_exp(inner: sp.Expr, variables: list[sp.Symbol]) -> bool:
    """``inner`` is a sum of positive constants and positive multiples of exp(affine)."""
    terms = sp.Add.make_args(inner)
    if len(terms) < 2:
        return False
    for t in terms:
        if not t.free_symbols & set(variables):
            if not t.is_positive:
                return False
            continue
        factors = sp.Mul.make_args(t)
        constant = sp.Mul(*(f for f in factors if not f.free_symbols & set(variables)))
        varying = [f for f in factors if f.free_symbols & set(variables)]
        if not constant.is_positive or not varying:
            return False
        exponent = sp.S.Zero
        for f in varying:
            if isinstance(f, sp.exp):
                exponent += f.args[0]
            elif f.is_Pow and isinstance(f.base, sp.exp) and f.exp.is_number:
                exponent += f.base.args[0] * f.exp
            else:
                return False
        if not _affine(sp.expand(exponent), variables):
            return False
    return True


def _degree(e: sp.Expr, variables: list[sp.Symbol]) -> int | None:
    try:
        return int(sp.Poly(e, *variables).total_degree())
    except sp.PolynomialError:
        return None


def _convex_quadratic(e: sp.Expr, variables: list[sp.Symbol], used: list[str]) -> bool:
    if _degree(e, variables) in (0, 1):
        _note(used, "affine")
        return True
    return _quadratic(e, variables, used)


def _quadratic(e: sp.Expr, variables: list[sp.Symbol], used: list[str]) -> bool:
    """A polynomial of degree 2 with a positive semidefinite (constant) Hessian."""
    try:
        poly = sp.Poly(e, *variables)
    except sp.PolynomialError:
        return False
    if poly.total_degree() != 2 or len(variables) > 6:
        return False
    h = sp.hessian(poly.as_expr(), variables)
    if not all(v.is_number for v in h):
        return False
    minors_ok = all(
        h.extract(list(rows), list(rows)).det() >= 0
        for k in range(1, len(variables) + 1)
        for rows in _subsets(len(variables), k)
    )
    if minors_ok:
        _note(used, "quadratic with a positive semidefinite Hessian")
    return bool(minors_ok)


def _subsets(n: int, k: int) -> list[tuple[int, ...]]:
    from itertools import combinations

    return list(combinations(range(n), k))
