"""Is ``a == b`` as functions? Exactly where SymPy can tell cheaply, numerically otherwise."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

import mpmath
import sympy as sp

from ..budget import TIME_UP, OverBudget, within

#: Seconds the last-resort simplify may take before equality is called undecided.
SIMPLIFY_BUDGET = 2.0
#: Operations the numeric test may evaluate in all (attempts × expression size): a kinked
#: expression of 200 operations gets 100 attempts instead of 400.
EVALUATION_BUDGET = 20_000
#: Seconds the exact test (expand the difference) may take before the numeric one decides.
EXPAND_BUDGET = 1.0

#: Functions with jumps or kinks: agreement at a few points proves little, so sample many.
_PIECEWISE = (sp.Heaviside, sp.sign, sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.floor, sp.ceiling)


def equal(
    a: sp.Expr,
    b: sp.Expr,
    symbols: Iterable[sp.Symbol] = (),
    *,
    domain: sp.Expr | None = None,
    seed: int = 7,
) -> bool:
    """True when ``a`` and ``b`` agree: exactly after ``expand``, or else to 1e-12 at random
    real points where both are defined (points outside the domain are skipped): 6 points for
    smooth functions, 40 when a jump or kink (Heaviside, Abs, Max...) is involved.

    >>> x = sp.Symbol("x", real=True)
    >>> equal(sp.sec(x)**2, sp.tan(x)**2 + 1, [x]), equal(sp.sin(x), sp.cos(x), [x])
    (True, False)
    >>> equal(sp.Heaviside(x), sp.Heaviside(x - 1), [x])
    False

    With ``domain``, only points where that expression is real count: derivatives agree
    where their function is defined (``acosh`` below 1 is not).

    >>> equal(1/sp.sqrt(x**2 - 1), 1/(sp.sqrt(x - 1)*sp.sqrt(x + 1)), [x], domain=sp.acosh(x))
    True
    >>> equal(sp.S(1), sp.S(2), [x], domain=sp.acosh(x - x**2))  # real nowhere
    True
    """
    return decide(a, b, symbols, domain=domain, seed=seed) is True


def decide(
    a: sp.Expr,
    b: sp.Expr,
    symbols: Iterable[sp.Symbol] = (),
    *,
    domain: sp.Expr | None = None,
    seed: int = 7,
) -> bool | None:
    """:func:`equal`, three-valued: True, False (a point where they differ), or None when
    neither a proof nor a point decides it (no point where both sides are finite, and
    ``simplify`` does not reach zero). None is an honest "unchecked", never a failure.

    >>> x = sp.Symbol("x", real=True)
    >>> print(decide(1 / (1 - sp.sign(x)**2), sp.S(0), [x]))
    None
    """
    difference = sp.sympify(a - b)
    if difference == 0:
        return True
    try:
        with within(EXPAND_BUDGET):  # past it, the numeric decision is the cheaper one
            if sp.expand(difference) == 0:
                return True
    except (TypeError, ValueError, RecursionError, OverBudget):
        pass
    free = sorted(set(symbols) | difference.free_symbols, key=lambda s: s.name)
    needed = 40 if difference.has(*_PIECEWISE) else 6
    where = sp.S.Zero if domain is None else sp.sympify(domain)
    return _numerically_zero(sp.sympify(a), sp.sympify(b), where, free, seed, needed)


def _numerically_zero(
    a: sp.Expr, b: sp.Expr, where: sp.Expr, free: list[sp.Symbol], seed: int, needed: int
) -> bool | None:
    rng = random.Random(seed)
    try:
        f, g, h = (sp.lambdify(free, e, modules=[_MPMATH_EXTRAS, "mpmath"]) for e in (a, b, where))
    except Exception:  # noqa: BLE001 - zoo, I, AccumBounds, a SymPy printer gap
        return _simplifies_to_zero(a - b)  # mpmath cannot evaluate it: no numeric decision
    good = inside_domain = 0
    # Deterministic cost bound: attempts × size of what is evaluated, whatever the machine.
    size = max(1, sp.count_ops(a) + sp.count_ops(b) + sp.count_ops(where))
    attempts = max(3 * needed, min(10 * needed, EVALUATION_BUDGET // size))
    with mpmath.workdps(30):
        for attempt in range(attempts):
            point = [_draw(s, rng, attempt) for s in free]
            try:
                fa, gb = mpmath.mpc(f(*point)), mpmath.mpc(g(*point))
                inside = _real_finite(mpmath.mpc(h(*point)))
            except TIME_UP:
                raise
            except Exception:  # noqa: BLE001 - mpmath refusing a point means: not in the domain
                continue
            inside_domain += inside
            if not (inside and _real_finite(fa) and _real_finite(gb)):
                continue
            if not _close(fa, gb) and not _close_at_60_digits(f, g, point):
                return False
            good += 1
            if good >= needed:
                return True
    if good >= 2:  # a narrow domain: every point found agreed
        return True
    if where != 0 and inside_domain == 0:  # acosh(x - x**2) is real nowhere: vacuously equal
        return True
    return _simplifies_to_zero(a - b)


def _close(u: mpmath.mpc, v: mpmath.mpc) -> bool:
    return bool(abs(u - v) <= 1e-12 * max(1, abs(u), abs(v)))


def _close_at_60_digits(f: Any, g: Any, point: list[mpmath.mpf]) -> bool:
    """Re-judge a disagreement at twice the precision: round-off shrinks, a real gap stays.

    ``1 − coth(30)²`` loses 26 of 30 digits to cancellation; at 60 digits it does not.
    """
    with mpmath.workdps(60):
        try:
            return _close(mpmath.mpc(f(*point)), mpmath.mpc(g(*point)))
        except Exception:  # noqa: BLE001
            return False


def _simplifies_to_zero(difference: sp.Expr) -> bool | None:
    """The last resort, when too few points lie in the domain to decide numerically: True
    when ``simplify`` reaches zero, else None (undecided; not a disagreement)."""
    if sp.count_ops(difference) > 200:
        return None
    try:
        with within(SIMPLIFY_BUDGET):
            return True if sp.simplify(difference) == 0 else None
    except (TypeError, ValueError, RecursionError, NotImplementedError, AttributeError):
        return None
    except OverBudget:
        return None


def _real_finite(z: mpmath.mpc) -> bool:
    """Real, and of a size 30 digits can compare (x**(y**y) at y = 27 is not)."""
    return bool(
        mpmath.isfinite(z) and abs(z.real) < 1e100 and abs(z.imag) <= 1e-20 * max(1, abs(z.real))
    )


def _dirac(x: mpmath.mpf) -> mpmath.mpf:
    return mpmath.inf if x == 0 else mpmath.mpf(0)


def _heaviside(x: mpmath.mpf, at_zero: float = 0.5) -> mpmath.mpf:
    return mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else mpmath.mpf(at_zero)


_MPMATH_EXTRAS = {"DiracDelta": _dirac, "Heaviside": _heaviside}


def _draw(symbol: sp.Symbol, rng: random.Random, attempt: int) -> mpmath.mpf:
    # Three rounds: around zero, then positive (roots, logs), then wide (acosh's x >= 1...).
    stage = attempt % 3
    value = (
        rng.uniform(-3, 3)
        if stage == 0
        else rng.uniform(0, 10)
        if stage == 1
        else (rng.uniform(-30, 30))
    )
    if symbol.is_positive or symbol.is_nonnegative:
        value = abs(value)
    elif symbol.is_negative or symbol.is_nonpositive:
        value = -abs(value)
    return mpmath.mpf(value)


def equals_numeric_derivative(
    result: sp.Expr, function: sp.Expr, var: sp.Symbol, symbols: Iterable[sp.Symbol], seed: int = 7
) -> bool | None:
    """Where SymPy leaves ``Derivative(f, x)`` unevaluated, compare ``result`` with mpmath's
    numerical derivative (30 digits) at random points of the domain.

    >>> x, y = sp.symbols("x y", real=True)
    >>> equals_numeric_derivative(sp.S.Zero, sp.sign(x / y), x, [x, y])
    True
    """
    free = sorted(set(symbols) | function.free_symbols | result.free_symbols, key=str)
    index = free.index(var)
    rng = random.Random(seed)
    try:
        f, g = (
            sp.lambdify(free, e, modules=[_MPMATH_EXTRAS, "mpmath"]) for e in (function, result)
        )
    except Exception:  # noqa: BLE001 - nothing mpmath can evaluate
        return None
    good = 0
    with mpmath.workdps(30):
        for attempt in range(120):
            point = [_draw(s, rng, attempt) for s in free]

            def along(t: mpmath.mpf, point: list[mpmath.mpf] = point) -> mpmath.mpf:
                return f(*point[:index], t, *point[index + 1 :])

            try:
                numeric = mpmath.mpc(mpmath.diff(along, point[index]))
                mine = mpmath.mpc(g(*point))
            except TIME_UP:
                raise
            except Exception:  # noqa: BLE001 - outside the domain
                continue
            if not (_real_finite(numeric) and _real_finite(mine)):
                continue
            if abs(numeric - mine) > 1e-10 * max(1, abs(numeric)):
                return False
            good += 1
            if good >= 8:
                return True
    return True if good >= 2 else None


def same_number(a: sp.Expr, b: sp.Expr) -> bool:
    """Two exact constants are the same number: exactly, or to 50 of 60 significant digits.

    Two forms of one number may differ by round-off of 1e-165 when SymPy evaluates them; a
    real difference does not vanish at 60 digits.

    >>> same_number(sp.sqrt(8), 2 * sp.sqrt(2)), same_number(sp.pi, sp.Rational(355, 113))
    (True, False)
    """
    difference = sp.sympify(a - b)
    if difference == 0:
        return True
    try:
        gap = sp.N(difference, 60)
        size = max(abs(sp.N(a, 60)), abs(sp.N(b, 60)), 1)
        return bool(abs(gap) <= sp.Float("1e-50", 60) * size)
    except (TypeError, ValueError):
        return False


#: Relative gap below which two values agree at 60 digits (round-off, not a difference).
REPRODUCE_TOLERANCE = mpmath.mpf("1e-45")


def reproduces(
    a: sp.Expr, b: sp.Expr, symbols: Iterable[sp.Symbol] = (), *, seed: int = 11, points: int = 6
) -> bool:
    """``a`` and ``b`` are the same function, as a diagnosis must show: exactly (their
    difference expands to 0), or else equal to 45 of 60 digits at ``points`` random points
    where both are real (a slip that only nearly reproduces an answer is not the slip).

    >>> x = sp.Symbol("x", real=True)
    >>> reproduces(2*x*sp.cos(x**2), sp.cos(x**2)*x*2, [x]), reproduces(sp.sin(x), x, [x])
    (True, False)
    """
    difference = sp.sympify(a - b)
    if difference == 0:
        return True
    try:
        with within(EXPAND_BUDGET):
            if sp.expand(difference) == 0:
                return True
    except (TypeError, ValueError, RecursionError, OverBudget):
        pass
    free = sorted(set(symbols) | difference.free_symbols, key=lambda s: s.name)
    try:
        f, g = (sp.lambdify(free, e, modules=[_MPMATH_EXTRAS, "mpmath"]) for e in (a, b))
    except Exception:  # noqa: BLE001 - nothing mpmath can evaluate: not shown to reproduce
        return False
    rng = random.Random(seed)
    good = 0
    with mpmath.workdps(60):
        for attempt in range(20 * points):
            point = [_draw(s, rng, attempt) for s in free]
            try:
                fa, gb = mpmath.mpc(f(*point)), mpmath.mpc(g(*point))
            except TIME_UP:
                raise
            except Exception:  # noqa: BLE001 - outside the domain
                continue
            if not (_real_finite(fa) and _real_finite(gb)):
                continue
            if abs(fa - gb) > REPRODUCE_TOLERANCE * max(1, abs(fa), abs(gb)):
                return False
            good += 1
            if good >= points:
                return True
    return good >= 2
