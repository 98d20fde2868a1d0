"""Grading values at a point: the gradient's, a directional derivative, backprop's gradient,
and convexity's yes or no."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from ..calculus.equality import decide
from ..errors import ExpressionError
from ..expr import parse_number
from ..reading import read
from ..tasks.backprop import Backprop
from ..tasks.convexity import Convexity
from ..tasks.directional import Directional
from ..tasks.gradient import Gradient
from .expressions import Graded, rank
from .feedback import slip_sentence, words
from .key import Entry, Key, outcome
from .numbers import NotANumber, close, explain_vector, number, numbers


def gradient(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    """``{value: [...]}``, judged beside the student's own ``expr`` where they gave it: a
    right formula evaluated wrong is an arithmetic slip at the point."""
    result = outcome(entry, Gradient)
    if result.exact is None or result.at is None:
        return Graded("undecided", feedback=words("grade.no_key"))
    given = numbers(answer.get("value", answer.get("exact")), len(key.variables))
    graded = graded_vector(key, given, result.exact, tol, at=result.at)
    if graded.verdict != "incorrect":
        return graded
    # The student's own right formula, put in wrong, says more than a slip that also fits.
    slip = _evaluated_wrong(key, answer.get("expr"), given, result.at, tol)
    return graded if slip is None else Graded("incorrect", "arithmetic", slip, credit=graded.credit)


def _evaluated_wrong(
    key: Key, formulas: Any, given: Sequence[sp.Expr], at: Sequence[sp.Expr], tol: float
) -> str | None:
    """The sentence for a value that the student's own formula does not give at the point,
    where that formula is right (an arithmetic slip in putting the numbers in)."""
    if not (isinstance(formulas, list) and len(formulas) == len(given)):
        return None
    point = dict(zip(key.variables, at, strict=True))
    for i, text in enumerate(formulas):
        try:
            mine = read(text, key.names).expr
        except ExpressionError:
            return None
        target = key.partial_target(i)
        own = sp.sympify(mine.subs(point))
        if not own.is_number or close(given[i], own, tol):
            continue
        if decide(mine, target.right, key.variables, domain=target.domain) is True:
            return words(
                "grade.value.arithmetic", f=target.label, point=tuple(at), right=own, value=given[i]
            )
    return None


def backprop(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    result = outcome(entry, Backprop)
    names = [v.name for v in key.variables]
    if not isinstance(answer, Mapping):
        raise NotANumber("expected grad: {{name: number}} for each variable")
    missing = [n for n in names if n not in answer]
    if missing:
        raise NotANumber("no value for {name!r}", name=missing[0])
    given = numbers([answer[n] for n in names])
    right = [result.grad[n] for n in names]
    return graded_vector(key, given, right, tol, at=result.at)


def graded_vector(
    key: Key,
    given: Sequence[sp.Expr],
    right: Sequence[sp.Expr],
    tol: float,
    *,
    at: Sequence[sp.Expr],
) -> Graded:
    """A gradient's value at ``at``: right to the tolerance; else the share of entries right
    and the slip that reproduces the wrong ones (the whole vector's sign, another point, a
    factor, or one derivative's slip evaluated at the point)."""
    ok = [close(g, r, tol) for g, r in zip(given, right, strict=True)]
    if all(ok):
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    credit = sum(ok) / len(ok)
    why = explain_vector(given, right, tol, at=at, elsewhere=key.gradient_at, rows=key.rows)
    if why is not None:
        feedback = words(why.message, **why.parts)
        return Graded("incorrect", why.kind, feedback, credit=credit)
    for i, good in enumerate(ok):
        if good:
            continue
        target = key.partial_target(i)
        for slip, value in sorted(key.slip_values(i, tuple(at)), key=lambda sv: rank(sv[0])):
            if close(given[i], value, tol):
                sentence = f"{target.label.text}: {slip_sentence(slip, target.var)}"
                return Graded("incorrect", slip.kind, sentence, credit=credit)
    wrong = ok.index(False)
    label = key.partial_target(wrong).label
    feedback = words("grade.value.wrong", f=label, value=given[wrong], right=right[wrong])
    return Graded("incorrect", None, feedback, credit=credit)


def directional(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    """The rate of change along a direction: a direction not divided by its length first is
    the classic slip (the dot product with the raw direction)."""
    result = outcome(entry, Directional)
    if result.exact is None:
        return Graded("undecided", feedback=words("grade.no_key"))
    given, right = number(answer), result.exact
    if close(given, right, tol):
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    raw = _direction(entry)
    grad = key.gradient_at(result.at)
    if raw and grad is not None and len(raw) == len(grad):
        dot = sp.Add(*(g * c for g, c in zip(grad, raw, strict=True)))
        if sp.Add(*(c**2 for c in raw)) != 1 and close(given, dot, tol):
            feedback = words("grade.slip.not_normalized", value=dot, right=right)
            return Graded("incorrect", "not_normalized", feedback, credit=0.0)
    if right != 0 and close(given, -right, tol):
        return Graded("incorrect", "sign_lost", words("grade.slip.sign_lost.value"), credit=0.0)
    return Graded(
        "incorrect", None, words("grade.number.wrong", value=given, right=right), credit=0.0
    )


def _direction(entry: Entry) -> list[sp.Expr]:
    """The direction as the problem gives it (before it is made a unit vector)."""
    params = entry.section.params
    raw = params.get("direction") if isinstance(params, Mapping) else None
    if not isinstance(raw, list | tuple):
        return []
    try:
        return [parse_number(v) for v in raw]
    except ExpressionError:
        return []


def convex(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    result = outcome(entry, Convexity)
    if not isinstance(answer, bool):
        raise NotANumber("expected true or false")
    if result.convex is None:
        return Graded("undecided", feedback=words("grade.no_key"))
    if answer == result.convex:
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    verdict = words("grade.convex.yes" if result.convex else "grade.convex.no")
    return Graded("incorrect", None, verdict, credit=0.0)
