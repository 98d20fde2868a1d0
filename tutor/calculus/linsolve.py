"""Linear systems by elimination, in exact arithmetic, each row operation recorded.

Pivots are chosen the way a person would: an equation and an unknown whose coefficient
divides the others' (so the multipliers are whole numbers), smallest first. For Lesson 5's
``20a + 8b − 28 = 0`` and ``8a + 4b − 12 = 0`` that is ``(1) − 2×(2): 4a − 4 = 0``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Operation:
    """One step: ``kind`` is "eliminate", "solve", "dependent" or "inconsistent".

    ``equation`` is the left side of the resulting ``equation = 0``; ``label`` its number.
    An elimination is ``p×(rows[0]) − q×(rows[1])``; a solve may first substitute ``known``.
    The words for each are :mod:`tutor.phrasing`'s.
    """

    kind: str
    label: int | None
    equation: sp.Expr
    solved: tuple[sp.Symbol, sp.Expr] | None = None
    rows: tuple[int, int] | None = None
    factors: tuple[sp.Expr, sp.Expr] = (sp.S.One, sp.S.One)
    known: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()


@dataclass(frozen=True)
class Elimination:
    """The record of solving ``equations[i] = 0`` for ``unknowns``."""

    equations: tuple[sp.Expr, ...]
    unknowns: tuple[sp.Symbol, ...]
    operations: tuple[Operation, ...]
    solution: dict[sp.Symbol, sp.Expr] | None
    free: tuple[sp.Symbol, ...]
    rank: int


def is_linear(equations: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol]) -> bool:
    """True when every equation is a polynomial of degree at most one in the unknowns."""
    for eq in equations:
        if not eq.is_polynomial(*unknowns):
            return False
        if sp.Poly(eq, *unknowns).total_degree() > 1:
            return False
    return True


def eliminate(equations: Sequence[sp.Expr], unknowns: Sequence[sp.Symbol]) -> Elimination:
    """Solve the linear system ``equations = 0`` by elimination and back substitution.

    >>> a, b = sp.symbols("a b")
    >>> run = eliminate([20*a + 8*b - 28, 8*a + 4*b - 12], [a, b])
    >>> [(op.kind, op.label, op.rows, op.known) for op in run.operations]
    [('eliminate', 3, (1, 2), ()), ('solve', 3, None, ()), ('solve', 2, None, ((a, 1),))]
    >>> run.solution
    {a: 1, b: 1}
    """
    unknowns = tuple(unknowns)
    rows: dict[int, sp.Expr] = {i + 1: sp.expand(eq) for i, eq in enumerate(equations)}
    active = list(rows)
    pivots: list[tuple[int, sp.Symbol]] = []
    ops: list[Operation] = []
    next_label = len(rows) + 1
    while active:
        choice = _choose_pivot(rows, active, unknowns, {v for _, v in pivots})
        if choice is None:
            break
        label, var = choice
        c = rows[label].coeff(var)
        for k in list(active):
            ck = rows[k].coeff(var) if k != label else 0
            if k == label or ck == 0:
                continue
            ratio = sp.simplify(ck / c)
            q, p = sp.fraction(ratio) if ratio.is_Rational else (ratio, sp.S.One)
            new = _chop(sp.expand(p * rows[k] - q * rows[label]), unknowns)
            rows[next_label] = new
            ops.append(Operation("eliminate", next_label, new, rows=(k, label), factors=(p, q)))
            active.remove(k)
            active.append(next_label)
            next_label += 1
        active.remove(label)
        pivots.append((label, var))
        for k in list(active):
            if rows[k].free_symbols & set(unknowns):
                continue
            active.remove(k)
            if rows[k] == 0:
                ops.append(Operation("dependent", k, rows[k]))
            else:
                ops.append(Operation("inconsistent", k, rows[k]))
                return Elimination(tuple(equations), unknowns, tuple(ops), None, (), len(pivots))
    values: dict[sp.Symbol, sp.Expr] = {}
    for i, (label, var) in enumerate(reversed(pivots)):
        known = {v: values[v] for v in values}
        equation = sp.expand(rows[label].subs(known))
        value = sp.solve(equation, var)[0]
        substituted = () if i == 0 or not known else tuple(known.items())
        ops.append(Operation("solve", label, equation, (var, value), known=substituted))
        values[var] = value
    free = tuple(v for v in unknowns if v not in values)
    solution = {v: sp.simplify(values[v]) if v in values else v for v in unknowns}
    return Elimination(tuple(equations), unknowns, tuple(ops), solution, free, len(pivots))


def _choose_pivot(
    rows: dict[int, sp.Expr],
    active: list[int],
    unknowns: tuple[sp.Symbol, ...],
    used: set[sp.Symbol],
) -> tuple[int, sp.Symbol] | None:
    best: tuple[tuple[object, ...], int, sp.Symbol] | None = None
    for label in active:
        for j, var in enumerate(unknowns):
            if var in used:
                continue
            c = rows[label].coeff(var)
            if c == 0:
                continue
            others = [rows[k].coeff(var) for k in active if k != label]
            whole = all((o / c).is_integer for o in others if o != 0)
            size = abs(c) if c.is_number else sp.oo
            score = (not whole, size, label, j)
            if best is None or score < best[0]:
                best = (score, label, var)
    return None if best is None else (best[1], best[2])


def _chop(row: sp.Expr, unknowns: tuple[sp.Symbol, ...]) -> sp.Expr:
    """Drop float round-off: a coefficient below 1e-12 of the row's largest is a zero that
    float64 elimination failed to hit exactly. Exact rows pass unchanged.

    >>> a, b = sp.symbols("a b")
    >>> _chop(sp.Float(2.0) * a + sp.Float(3e-17) * b - sp.Float(1.0), (a, b))
    2.0*a - 1.0
    """
    if not row.has(sp.Float):
        return row
    coeffs = {v: row.coeff(v) for v in unknowns}
    constant = row.subs({v: 0 for v in unknowns})
    scale = max([abs(float(c)) for c in (*coeffs.values(), constant) if c.is_number] or [0.0])
    kept = [c * v for v, c in coeffs.items() if c.is_number and abs(float(c)) > 1e-12 * scale]
    if abs(float(constant)) > 1e-12 * scale:
        kept.append(constant)
    return sp.Add(*kept)
