"""Every real solution of a system polynomial in sin v and cos v, in one period, provably.

The half-angle (Weierstrass) substitution t = tan(v/2) writes sin v = 2t/(1 + t²) and
cos v = (1 − t²)/(1 + t²), so a trigonometric-polynomial system becomes a rational one, whose
real solutions :mod:`.polysystem` finds completely. t covers v ∈ (−π, π); v = π, where t is
infinite, is solved as its own case (sin v = 0, cos v = −1). The solution set repeats with
period 2π in each such variable.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from .polysystem import polynomial_system

MAX_TRIG_VARIABLES = 3


@dataclass(frozen=True)
class PeriodicSolutions:
    """Every solution with each periodic variable in (−π, π]; it repeats with ``period``."""

    points: tuple[dict[sp.Symbol, sp.Expr], ...]
    periodic: tuple[sp.Symbol, ...]
    period: sp.Expr = 2 * sp.pi


def trig_system(
    equations: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
) -> PeriodicSolutions | None:
    """The solutions of ``equations = 0`` over one period, or None when the system is not
    polynomial in sin v, cos v (and the other variables), or has infinitely many solutions
    in a period.

    >>> x, y = sp.symbols("x y", real=True)
    >>> f = sp.sin(x) * sp.cos(y)
    >>> found = trig_system([sp.diff(f, x), sp.diff(f, y)], [x, y])
    >>> sorted((p[x], p[y]) for p in found.points)[:3]
    [(-pi/2, 0), (-pi/2, pi), (0, -pi/2)]
    >>> len(found.points), found.periodic
    (8, (x, y))
    """
    variables = list(variables)
    eqs = [sp.expand_trig(_tan_as_ratio(sp.sympify(e))) for e in equations]
    periodic = [v for v in variables if any(_trig_in(e, v) for e in eqs)]
    if not periodic or len(periodic) > MAX_TRIG_VARIABLES:
        return None
    if not all(_only_through_trig(e, v) for e in eqs for v in periodic):
        return None
    halves = {v: sp.Dummy(f"t_{v.name}", real=True) for v in periodic}
    points: list[dict[sp.Symbol, sp.Expr]] = []
    for at_pi in itertools.product((False, True), repeat=len(periodic)):
        fixed = {v for v, flag in zip(periodic, at_pi, strict=True) if flag}
        substituted = []
        for e in eqs:
            for v in periodic:
                if v in fixed:
                    e = e.subs({sp.sin(v): 0, sp.cos(v): -1})
                else:
                    t = halves[v]
                    e = e.subs({sp.sin(v): 2 * t / (1 + t**2), sp.cos(v): (1 - t**2) / (1 + t**2)})
            substituted.append(sp.together(e))
        unknowns = [halves[v] if v in periodic else v for v in variables if v not in fixed]
        if not unknowns:
            if all(sp.simplify(e) == 0 for e in substituted):
                points.append({v: sp.pi for v in variables})
            continue
        if any(e.free_symbols - set(unknowns) for e in substituted):
            return None
        nonzero = [e for e in substituted if e != 0]
        if not nonzero:
            return None  # a whole line or plane of solutions in this case
        found = polynomial_system(nonzero, unknowns)
        if found is None:
            return None
        for solution in found.points:
            point: dict[sp.Symbol, sp.Expr] = {}
            for v in variables:
                if v in fixed:
                    point[v] = sp.pi
                elif v in periodic:
                    point[v] = _angle(solution[halves[v]])
                else:
                    point[v] = solution[v]
            points.append(point)
    return PeriodicSolutions(tuple(points), tuple(periodic))


def _tan_as_ratio(e: sp.Expr) -> sp.Expr:
    return e.replace(sp.tan, lambda u: sp.sin(u) / sp.cos(u))


def _trig_in(e: sp.Expr, v: sp.Symbol) -> bool:
    return any(a.args[0] == v for a in e.atoms(sp.sin, sp.cos))


def _only_through_trig(e: sp.Expr, v: sp.Symbol) -> bool:
    """``v`` occurs in ``e`` only as sin(v) or cos(v)."""
    marker = sp.Dummy()
    hidden = e.subs({sp.sin(v): marker, sp.cos(v): marker})
    return not hidden.has(v)


def _angle(t: sp.Expr) -> sp.Expr:
    """v = 2·atan(t), exact where SymPy knows the angle (t = 1 gives π/2)."""
    if t.is_Float:
        return sp.Float(2 * sp.atan(t), 15)
    value = sp.simplify(2 * sp.atan(t))
    return value if not value.has(sp.atan) or sp.count_ops(value) <= 8 else sp.N(value, 15)
