"""The form a result is presented in, and the name of the step that produced it."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

MAX_SIMPLIFY_OPS = 150
#: simplify's cost grows steeply with distinct function atoms: 15 s for a logistic loss's
#: partial over 8 rows (8 exponentials), and it found nothing shorter.
MAX_SIMPLIFY_FUNCTIONS = 4
#: Beyond this size (a sum over a thousand data rows) expand and factor cost minutes and make
#: nothing more readable: the derivative is left as derived.
MAX_TIDY_OPS = 600


def _size(expr: sp.Expr) -> tuple[int, int, int]:
    """Operations first; at a tie, one fraction reads better than a sum of fractions."""
    return (sp.count_ops(expr), len(sp.Add.make_args(expr)), len(str(expr)))


def tidy_with_note(expr: sp.Expr, variables: Sequence[sp.Symbol] = ()) -> tuple[sp.Expr, str]:
    """The simplest readable form of ``expr`` and how it was reached.

    A polynomial is expanded and collected, unless its factored form is shorter; anything
    else takes the shortest of itself, its expansion, its factorisation and (when small)
    ``simplify``.

    >>> a, b, x = sp.symbols("a b x")
    >>> tidy_with_note(-2*(2 - a - b) - 6*(4 - 3*a - b), [a, b])
    (20*a + 8*b - 28, 'expand and collect')
    >>> tidy_with_note(4*(x + 1)**3, [x])
    (4*(x + 1)**3, 'factor')
    >>> tidy_with_note(sp.exp(x)*sp.sin(x) + sp.exp(x)*sp.cos(x), [x])
    ((sin(x) + cos(x))*exp(x), 'factor')
    """
    if sp.count_ops(expr) > MAX_TIDY_OPS:
        return expr, "as derived (too large to tidy)"
    polynomial = expr.is_polynomial(*variables) if variables else expr.is_polynomial()
    expanded = sp.expand(expr)
    if polynomial:
        factored = sp.factor(expanded)
        if _size(factored)[0] < _size(expanded)[0] and not factored.is_Add:
            return factored, "factor"
        return expanded, "expand and collect"
    candidates = [(expr, "simplify"), (expanded, "expand")]
    if sp.count_ops(expr) <= MAX_SIMPLIFY_OPS:
        candidates += [(sp.factor(expr), "factor"), (sp.together(expr), "common denominator")]
        if len(expr.atoms(sp.Function)) <= MAX_SIMPLIFY_FUNCTIONS:
            candidates.append((sp.simplify(expr), "simplify"))
    # A tidy form may not bring in functions the derivative did not have (cosh for exp).
    functions = {type(f) for f in expr.atoms(sp.Function)}
    allowed = [c for c in candidates if {type(f) for f in c[0].atoms(sp.Function)} <= functions]
    return min(allowed, key=lambda c: _size(c[0]))


def tidy(expr: sp.Expr, variables: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """:func:`tidy_with_note` without the note."""
    return tidy_with_note(expr, variables)[0]
