"""Every real solution of a polynomial system, provably: a lex Gröbner basis, exact isolation
of the real roots of its eliminated polynomial, back-substitution at 50 digits.

``sympy.solve`` answers polynomial systems incompletely (it gave 1 of Himmelblau's 9
stationary points) and writes real roots with complex radicals. Here nothing is dropped: a
zero-dimensional ideal's lex basis ends in one polynomial in the last variable, whose real
roots are isolated exactly (``Poly.real_roots``, Sturm/Vincent style, no floating point);
each earlier variable is then a common real root of the basis polynomials led by it, with
the later coordinates substituted at 50 digits. Real roots of univariate polynomials are
found by mpmath's ``polyroots`` at that precision and kept when their imaginary part
vanishes to 40 digits and they zero every other polynomial of the step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mpmath
import sympy as sp

#: Beyond this Bézout bound (product of degrees) the basis may cost minutes: not attempted.
MAX_BEZOUT = 200
DIGITS = 50


@dataclass(frozen=True)
class RealSolutions:
    """The real solutions of a polynomial system; ``complete`` is True when proved."""

    points: tuple[dict[sp.Symbol, sp.Expr], ...]
    complete: bool
    method: str


def polynomial_system(
    equations: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
) -> RealSolutions | None:
    """Every real solution of ``equations = 0``, or None when this method does not apply (not
    rational functions with rational coefficients, too large, or infinitely many solutions).

    Rational equations are solved through their numerators; a solution where a denominator
    vanishes, or where a variable's sign assumption fails, is dropped.

    >>> x, y = sp.symbols("x y", real=True)
    >>> f = (x**2 + y - 11)**2 + (x + y**2 - 7)**2  # Himmelblau's function
    >>> found = polynomial_system([sp.diff(f, x), sp.diff(f, y)], [x, y])
    >>> len(found.points), found.complete
    (9, True)
    >>> {(p[x], p[y]) for p in found.points} >= {(3, 2)}
    True
    """
    variables = list(variables)
    numerators, denominators = [], []
    for e in equations:
        numerator, denominator = sp.fraction(sp.together(sp.sympify(e)))
        numerators.append(numerator)
        denominators.append(denominator)
    try:
        polys = [sp.Poly(sp.expand(e), *variables) for e in numerators]
        dens = [sp.Poly(sp.expand(d), *variables) for d in denominators]
    except sp.PolynomialError:
        return None
    if not all(d.domain in (sp.ZZ, sp.QQ) for d in dens):
        return None
    polys = [p for p in polys if not p.is_zero]
    if not polys or not all(p.domain in (sp.ZZ, sp.QQ) for p in polys):
        return None
    bezout = 1
    for p in polys:
        bezout *= max(1, p.total_degree())
    if bezout > MAX_BEZOUT:
        return None
    basis = sp.groebner([p.as_expr() for p in polys], *variables, order="lex")
    if list(basis.exprs) == [1]:
        return RealSolutions((), True, "Gröbner basis {1}: no solution, real or complex")
    if not basis.is_zero_dimensional:
        return None
    partial: list[dict[sp.Symbol, mpmath.mpf]] = [{}]
    with mpmath.workdps(DIGITS):
        for k in range(len(variables) - 1, -1, -1):
            var = variables[k]
            later = variables[k + 1 :]
            led = [g for g in basis.exprs if _leading(g, variables) == var]
            extended: list[dict[sp.Symbol, mpmath.mpf]] = []
            for point in partial:
                for root in _common_real_roots(led, var, point, later):
                    extended.append({**point, var: root})
            partial = extended
    small = mpmath.mpf(10) ** (-(DIGITS - 15))
    partial = [
        p
        for p in partial
        if all(abs(_at(d.as_expr(), p, variables)) > small for d in dens)
        and all(_allowed(v, p[v]) for v in variables)
    ]
    points = tuple(_exact_forms(p, variables, list(basis.exprs)) for p in partial)
    points = tuple(sorted(points, key=lambda p: [float(p[v]) for v in variables]))
    return RealSolutions(points, True, "Gröbner basis (lex) and exact real-root isolation")


def _at(
    expr: sp.Expr, point: dict[sp.Symbol, mpmath.mpf], variables: Sequence[sp.Symbol]
) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        return mpmath.mpf(
            sp.lambdify(list(variables), expr, "mpmath")(*(point[v] for v in variables))
        )


def _allowed(v: sp.Symbol, value: mpmath.mpf) -> bool:
    """The variable's sign assumptions hold at ``value``."""
    if v.is_positive:
        return bool(value > 0)
    if v.is_nonnegative:
        return bool(value >= 0)
    if v.is_negative:
        return bool(value < 0)
    if v.is_nonpositive:
        return bool(value <= 0)
    return True


def _leading(g: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Symbol | None:
    """The first variable (in lex order) that ``g`` contains."""
    return next((v for v in variables if g.has(v)), None)


def _common_real_roots(
    polys: list[sp.Expr],
    var: sp.Symbol,
    point: dict[sp.Symbol, mpmath.mpf],
    later: Sequence[sp.Symbol],
) -> list[mpmath.mpf]:
    """The real values of ``var`` that zero every polynomial of ``polys`` at ``point``."""
    univariate = []
    for g in polys:
        coeffs = sp.Poly(g, var).all_coeffs()
        values = [_evaluate(c, point, later) for c in coeffs]
        while values and abs(values[0]) < mpmath.mpf(10) ** (-(DIGITS - 10)):
            values = values[1:]
        if len(values) >= 2:
            univariate.append(values)
    if not univariate:
        return []
    univariate.sort(key=len)
    candidates = _real_roots(univariate[0])
    tolerance = mpmath.mpf(10) ** (-(DIGITS - 15))
    return [
        r
        for r in candidates
        if all(abs(mpmath.polyval(c, r)) <= tolerance * _size(c, r) for c in univariate[1:])
    ]


def _real_roots(coeffs: list[mpmath.mpf]) -> list[mpmath.mpf]:
    roots = mpmath.polyroots(coeffs, maxsteps=400, extraprec=4 * DIGITS)
    small = mpmath.mpf(10) ** (-(DIGITS - 10))
    real = sorted(mpmath.re(r) for r in roots if abs(mpmath.im(r)) <= small * (1 + abs(r)))
    unique: list[mpmath.mpf] = []
    for r in real:
        if not unique or abs(r - unique[-1]) > small * (1 + abs(r)):
            unique.append(r)
    return unique


def _evaluate(
    c: sp.Expr, point: dict[sp.Symbol, mpmath.mpf], later: Sequence[sp.Symbol]
) -> mpmath.mpf:
    if not later:
        return mpmath.mpf(sp.Rational(c).p) / sp.Rational(c).q if c.is_Rational else mpmath.mpf(c)
    fn = sp.lambdify(list(later), c, "mpmath")
    return mpmath.mpf(fn(*(point[v] for v in later)))


def _size(coeffs: list[mpmath.mpf], r: mpmath.mpf) -> mpmath.mpf:
    return 1 + sum(abs(c) * abs(r) ** i for i, c in enumerate(reversed(coeffs)))


#: An exact coordinate is shown when it is this small; else 15 digits.
MAX_EXACT_OPS = 24


def _exact_forms(
    point: dict[sp.Symbol, mpmath.mpf], variables: Sequence[sp.Symbol], basis: list[sp.Expr]
) -> dict[sp.Symbol, sp.Expr]:
    """The point with exact coordinates where they are readable: the last variable from the
    eliminated polynomial's exact real roots (radicals, when SymPy gives them), each earlier
    one from a basis polynomial linear in it; checked against the 50-digit values."""
    exact: dict[sp.Symbol, sp.Expr] = {}
    last = variables[-1]
    eliminated = [g for g in basis if g.free_symbols == {last}]
    if eliminated:
        for root in _last_roots(eliminated[-1], last):
            if _close(root, point[last]):
                exact[last] = root
                break
    for k in range(len(variables) - 2 if last in exact else -1, -1, -1):
        var, later = variables[k], variables[k + 1 :]
        if any(v not in exact for v in later):
            break
        value = _exact_coordinate(var, later, exact, basis)
        if value is None or not _close(value, point[var]):
            break
        exact[var] = value
    floats = _exact_where_rational(point, variables)
    return {v: exact.get(v, floats[v]) for v in variables}


def _exact_coordinate(
    var: sp.Symbol,
    later: Sequence[sp.Symbol],
    known: dict[sp.Symbol, sp.Expr],
    basis: list[sp.Expr],
) -> sp.Expr | None:
    """``var`` from a basis polynomial in ``var`` and later variables that is linear in it."""
    for g in basis:
        if not g.has(var) or any(s not in (var, *later) for s in g.free_symbols):
            continue
        poly = sp.Poly(g.subs(known), var)
        if poly.degree() == 1:
            value = sp.radsimp(-poly.nth(0) / poly.nth(1))
            return value if sp.count_ops(value) <= MAX_EXACT_OPS else None
    return None


def _last_roots(g: sp.Expr, var: sp.Symbol) -> list[sp.Expr]:
    """Exact real roots of the eliminated polynomial, where SymPy writes them readably."""
    out = []
    for factor, _ in sp.factor_list(g, var)[1]:
        if sp.Poly(factor, var).degree() > 2:
            continue
        for root in sp.Poly(factor, var).real_roots():
            if not isinstance(root, sp.CRootOf) and sp.count_ops(root) <= MAX_EXACT_OPS:
                out.append(sp.radsimp(root))
    return out


def _close(value: sp.Expr, target: mpmath.mpf) -> bool:
    try:
        return bool(abs(sp.N(value, DIGITS) - sp.Float(target, DIGITS)) < sp.Float("1e-30"))
    except (TypeError, ValueError):
        return False


def _exact_where_rational(
    point: dict[sp.Symbol, mpmath.mpf], variables: Sequence[sp.Symbol]
) -> dict[sp.Symbol, sp.Expr]:
    """A coordinate that is a small rational to 40 digits is written exactly; else 15 digits."""
    out: dict[sp.Symbol, sp.Expr] = {}
    for v in variables:
        value = point[v]
        guess = sp.nsimplify(sp.Float(value, DIGITS), rational=True, tolerance=1e-40)
        if guess.is_Rational and guess.q <= 1000 and abs(guess.p) < 10**9:
            out[v] = guess
        else:
            out[v] = sp.Float(value, 15)
    return out
