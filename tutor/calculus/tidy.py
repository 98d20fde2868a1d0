"""The form a result is presented in, and the name of the step that produced it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import sympy as sp

from ..budget import OverBudget, within

#: Seconds one result may spend being tidied; past it the best form so far is kept.
TIDY_BUDGET = 2.0
MAX_SIMPLIFY_OPS = 150
#: simplify's cost grows steeply with distinct function atoms: 15 s for a logistic loss's
#: partial over 8 rows (8 exponentials), and it found nothing shorter.
MAX_SIMPLIFY_FUNCTIONS = 4
#: Beyond this size (a sum over a thousand data rows) expand and factor cost minutes and make
#: nothing more readable: the derivative is left as derived.
MAX_TIDY_OPS = 600
#: The name of every step that produces a tidy form (the notes :func:`tidy_with_note` gives).
NOTES = ("expand and collect", "factor", "simplify", "expand", "common denominator")
#: An expansion with more terms than this is not tried: (a + b + c + d)**1000 would have 1.7e8
#: terms and grow memory at 125 MB/s until its time budget ran out, four times per gradient.
MAX_EXPANDED_TERMS = 20_000


def expansion_terms(expr: sp.Expr) -> int:
    """An upper bound on the number of terms ``sp.expand(expr)`` gives, counted without
    expanding (inside a function's arguments too).

    >>> a, b, c, d, x = sp.symbols("a b c d x")
    >>> expansion_terms((a + b + c + d)**1000)
    167668501
    >>> expansion_terms((x + 1)**3 * (a - b) + sp.exp((x + 1)**2))  # 4·2, and 3 inside exp
    11
    """
    if expr.is_Add:
        return sum(expansion_terms(arg) for arg in expr.args)
    if expr.is_Mul:
        return math.prod(expansion_terms(arg) for arg in expr.args)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        k = expansion_terms(expr.base)
        return math.comb(int(expr.exp) + k - 1, k - 1) if k > 1 else 1
    return max((expansion_terms(arg) for arg in expr.args), default=1)


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
    expr = log_powers(expr)
    terms = expansion_terms(expr)
    if terms > MAX_EXPANDED_TERMS:
        # The count can be past a float (((x + 1)**1000 + 1)**1000): say its order.
        order = int((terms.bit_length() - 1) * math.log10(2))
        return expr, f"as derived (expanded, it would have over 10^{order} terms)"
    deadline = time.monotonic() + TIDY_BUDGET
    expanded = _bounded(sp.expand, expr, deadline)
    if expanded is None:
        return expr, "as derived (tidying ran out of its budget)"
    polynomial = expr.is_polynomial(*variables) if variables else expr.is_polynomial()
    if polynomial:
        # Factoring float coefficients runs primality tests on huge integers: never.
        factored = None if expanded.has(sp.Float) else _bounded(sp.factor, expanded, deadline)
        if factored is not None and _size(factored)[0] < _size(expanded)[0] and not factored.is_Add:
            return factored, "factor"
        return expanded, "expand and collect"
    candidates = [(expr, "simplify"), (expanded, "expand")]
    late = False
    if sp.count_ops(expr) <= MAX_SIMPLIFY_OPS:
        tries = [(sp.factor, "factor"), (_together, "common denominator")]
        if len(expr.atoms(sp.Function)) <= MAX_SIMPLIFY_FUNCTIONS:
            tries.append((sp.simplify, "simplify"))
        for fn, note in tries:
            value = _bounded(fn, expr, deadline)
            if value is None:
                late = True
                break
            candidates.append((value, note))
    # A tidy form may not bring in functions the derivative did not have (cosh for exp), nor
    # move a variable into a function (log(2)·3·2^(3x) is not log(2^(3·8^x))).
    inside = _inside(expr)
    allowed = [c for c in candidates if _within(_inside(c[0]), inside)]
    best, note = min(allowed, key=lambda c: _size(c[0]))
    return best, f"{note}; tidying stopped at its budget" if late else note


def log_powers(expr: sp.Expr) -> sp.Expr:
    """log of a perfect power as a textbook writes it: log(256) is 8·log(2).

    >>> log_powers(sp.log(256) + sp.log(12))
    log(12) + 8*log(2)
    """
    return expr.replace(
        lambda e: isinstance(e, sp.log) and e.args[0].is_Integer and e.args[0] > 3,
        lambda e: _log_power(e),
    )


def _log_power(e: sp.log) -> sp.Expr:
    power = sp.perfect_power(int(e.args[0]))
    if not power:
        return e
    base, k = power
    return k * sp.log(base)


def _together(expr: sp.Expr) -> sp.Expr:
    """One fraction over a common denominator, or ``expr`` itself when there is none."""
    value = sp.together(expr)
    return value if sp.fraction(value)[1] != 1 else expr


def _inside(expr: sp.Expr) -> dict[type, frozenset[sp.Symbol]]:
    """Each kind of function in ``expr`` and the variables found inside its arguments."""
    out: dict[type, frozenset[sp.Symbol]] = {}
    for f in expr.atoms(sp.Function):
        out[type(f)] = out.get(type(f), frozenset()) | f.free_symbols
    return out


def _within(
    found: dict[type, frozenset[sp.Symbol]], allowed: dict[type, frozenset[sp.Symbol]]
) -> bool:
    return all(kind in allowed and names <= allowed[kind] for kind, names in found.items())


def _bounded(fn: Callable[[sp.Expr], sp.Expr], expr: sp.Expr, deadline: float) -> sp.Expr | None:
    """``fn(expr)``, or None when the time to ``deadline`` runs out first."""
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    try:
        with within(left):
            return fn(expr)
    except (OverBudget, RecursionError):
        return None


def tidy(expr: sp.Expr, variables: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """:func:`tidy_with_note` without the note."""
    return tidy_with_note(expr, variables)[0]
