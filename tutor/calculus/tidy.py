"""The form a result is presented in: expanded for polynomials, else the shortest of a few."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

MAX_SIMPLIFY_OPS = 150


def tidy(expr: sp.Expr, variables: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """Expand and collect a polynomial; otherwise keep the shortest of expr, its expansion,
    its factorisation and (for small expressions) ``simplify``.

    >>> a, b = sp.symbols("a b")
    >>> tidy(-2*(2 - a - b) - 6*(4 - 3*a - b), [a, b])
    20*a + 8*b - 28
    >>> x = sp.Symbol("x")
    >>> tidy(sp.exp(x)*sp.sin(x) + sp.exp(x)*sp.cos(x), [x])
    (sin(x) + cos(x))*exp(x)
    """
    if expr.is_polynomial(*variables) if variables else expr.is_polynomial():
        return sp.expand(expr)
    candidates = [expr, sp.expand(expr)]
    if sp.count_ops(expr) <= MAX_SIMPLIFY_OPS:
        candidates += [sp.factor(expr), sp.simplify(expr)]
    return min(candidates, key=lambda e: (sp.count_ops(e), len(str(e))))
