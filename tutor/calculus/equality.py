"""Is ``a == b`` as functions? Exactly where SymPy can tell cheaply, numerically otherwise."""

from __future__ import annotations

import random
from collections.abc import Iterable

import mpmath
import sympy as sp

#: Functions with jumps or kinks: agreement at a few points proves little, so sample many.
_PIECEWISE = (sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling)


def equal(a: sp.Expr, b: sp.Expr, symbols: Iterable[sp.Symbol] = (), *, seed: int = 7) -> bool:
    """True when ``a`` and ``b`` agree: exactly after ``expand``, or else to 1e-12 at random
    real points where both are defined (points outside the domain are skipped): 6 points for
    smooth functions, 40 when a jump or kink (Heaviside, Abs, Max...) is involved.

    >>> x = sp.Symbol("x", real=True)
    >>> equal(sp.sec(x)**2, sp.tan(x)**2 + 1, [x]), equal(sp.sin(x), sp.cos(x), [x])
    (True, False)
    >>> equal(sp.Heaviside(x), sp.Heaviside(x - 1), [x])
    False
    """
    difference = sp.sympify(a - b)
    if difference == 0:
        return True
    try:
        if sp.expand(difference) == 0:
            return True
    except (TypeError, ValueError, RecursionError):
        pass
    free = sorted(set(symbols) | difference.free_symbols, key=lambda s: s.name)
    needed = 40 if difference.has(*_PIECEWISE) else 6
    return _numerically_zero(sp.sympify(a), sp.sympify(b), free, seed, needed)


def _numerically_zero(
    a: sp.Expr, b: sp.Expr, free: list[sp.Symbol], seed: int, needed: int
) -> bool:
    rng = random.Random(seed)
    f = sp.lambdify(free, a, modules="mpmath")
    g = sp.lambdify(free, b, modules="mpmath")
    good = 0
    with mpmath.workdps(30):
        for attempt in range(10 * needed):
            point = [_draw(s, rng, attempt) for s in free]
            try:
                fa, gb = mpmath.mpc(f(*point)), mpmath.mpc(g(*point))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            if not (_real_finite(fa) and _real_finite(gb)):
                continue
            if abs(fa - gb) > 1e-12 * max(1, abs(fa), abs(gb)):
                return False
            good += 1
            if good >= needed:
                return True
    return False


def _real_finite(z: mpmath.mpc) -> bool:
    return bool(mpmath.isfinite(z) and abs(z.imag) <= 1e-20 * max(1, abs(z.real)))


def _draw(symbol: sp.Symbol, rng: random.Random, attempt: int) -> mpmath.mpf:
    # Mostly within [-3, 3]; later attempts reach further, for domains like acosh's x >= 1.
    value = rng.uniform(-3, 3) * (1 + attempt // (4 * 10))
    if symbol.is_positive or symbol.is_nonnegative:
        value = abs(value)
    elif symbol.is_negative or symbol.is_nonpositive:
        value = -abs(value)
    return mpmath.mpf(value)
