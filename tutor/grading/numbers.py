"""Grading numbers a student wrote: a value, a vector, a point, the iterates of descent.

A number is right when it is the exact value, or within the problem's tolerance of it
(relative, and absolute below 1): ``|given − right| ≤ tol · max(1, |right|)``. A wrong one is
explained, where one of the classic slips reproduces it to that tolerance, by replaying the
slip: the gradient at another point, its sign flipped (ascent), another learning rate, a
factor missing, or a slipped derivative evaluated where the student evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..calculus.equality import same_number
from ..errors import ExpressionError
from ..reading import read

Vector = tuple[float, ...]


class NotANumber(ExpressionError):
    """A student's entry where a number belongs that is not one."""


def number(value: Any) -> sp.Expr:
    """A student's number: an int, a decimal (exactly), or a formula of numbers (``1/3``,
    ``sqrt(29)/29``, ``2^-1``) read as any answer is, running nothing.

    >>> number(0.28), number("sqrt(8)"), number("2^-1")
    (7/25, 2*sqrt(2), 1/2)
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise NotANumber("expected a number, got {kind}", kind=type(value).__name__)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber("{value} is not a finite number", value=value)
        value = repr(value)
    expr = read(value, {}).expr
    if not expr.is_number or expr.is_real is False:
        raise NotANumber("{value!r} is not a real number", value=value)
    return expr


def numbers(values: Any, size: int | None = None) -> tuple[sp.Expr, ...]:
    """A list of numbers (a vector, a point), of ``size`` entries where one is expected."""
    if not isinstance(values, list | tuple):
        raise NotANumber("expected a list of numbers")
    if size is not None and len(values) != size:
        raise NotANumber("expected {count} numbers, got {given}", count=size, given=len(values))
    return tuple(number(v) for v in values)


def close(given: sp.Expr | float, right: sp.Expr | float, tol: float) -> bool:
    """Equal exactly, or within ``tol`` relative (absolute below 1)."""
    if isinstance(given, sp.Basic) and isinstance(right, sp.Basic) and same_number(given, right):
        return True
    try:
        g, r = float(given), float(right)
    except TypeError:  # not a number (a formula left over): not equal to one
        return False
    if not (math.isfinite(g) and math.isfinite(r)):
        return False
    return abs(g - r) <= tol * max(1.0, abs(r))


def all_close(given: Sequence[Any], right: Sequence[Any], tol: float) -> bool:
    return len(given) == len(right) and all(
        close(g, r, tol) for g, r in zip(given, right, strict=True)
    )


@dataclass(frozen=True)
class Explained:
    """A wrong vector explained: the diagnosis's machine name, its sentence's message key and
    the parts that fill it."""

    kind: str
    message: str
    parts: dict[str, Any]


def factors(rows: int | None) -> list[sp.Expr]:
    """The factors a student drops or adds: 2 (of a square's derivative), 1/m and 1/(2m) of a
    mean (``rows`` = m data rows), and their inverses."""
    out = [sp.Integer(2), sp.Rational(1, 2)]
    if rows and rows > 1:
        m = sp.Integer(rows)
        out += [m, 1 / m, 2 * m, 1 / (2 * m)]
    return out


def explain_vector(
    given: Sequence[sp.Expr],
    right: Sequence[sp.Expr],
    tol: float,
    *,
    at: Sequence[sp.Expr] | None = None,
    elsewhere: Callable[[Sequence[sp.Expr]], Sequence[sp.Expr] | None] | None = None,
    rows: int | None = None,
) -> Explained | None:
    """Why a vector (a gradient's value, a solution) is wrong, when a slip reproduces it:
    every entry's sign flipped, the gradient at another point (the coordinates swapped or
    negated, the origin), or a factor missing or extra."""
    if all_close(given, [-r for r in right], tol) and any(r != 0 for r in right):
        return Explained("sign_lost", "grade.slip.sign_lost.vector", {})
    if at is not None and elsewhere is not None:
        for point in other_points(at):
            value = elsewhere(point)
            if value is not None and all_close(given, value, tol):
                return Explained("wrong_point", "grade.slip.wrong_point", {"point": tuple(point)})
    for k in factors(rows):
        if all_close(given, [k * r for r in right], tol) and any(r != 0 for r in right):
            return Explained("missing_factor", "grade.slip.missing_factor", {"factor": k})
    return None


def other_points(at: Sequence[sp.Expr]) -> list[tuple[sp.Expr, ...]]:
    """The points a student evaluates at by mistake: the coordinates swapped, one or all
    negated, the origin."""
    at = tuple(at)
    out: list[tuple[sp.Expr, ...]] = []
    if len(at) > 1:
        out.append(tuple(reversed(at)))
    out.append(tuple(-v for v in at))
    for i in range(len(at)):
        out.append(tuple(-v if j == i else v for j, v in enumerate(at)))
    out.append(tuple(sp.S.Zero for _ in at))
    seen, unique = {at}, []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique
