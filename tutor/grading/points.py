"""Grading points: the stationary points of f, and the least-squares solution.

A given point is right when it matches one of tutor's (to the tolerance), or, where tutor's
list is not proven complete, when the gradient vanishes there on its own. A wrong one is
explained by the slip whose gradient vanishes there exactly (the student solved the
equations of a slipped derivative), or by the one equation it fails (a slip in solving).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from ..tasks.normal_equation import NormalEquation
from ..tasks.stationary import Stationary
from .expressions import Graded
from .feedback import slip_sentence, words
from .key import Entry, Key, outcome
from .numbers import NotANumber, all_close, close, numbers

Point = tuple[sp.Expr, ...]
KINDS = ("minimum", "maximum", "saddle", "degenerate")


def stationary(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    result = outcome(entry, Stationary)
    right = [tuple(p[v] for v in key.variables) for p in result.points]
    return graded_points(key, _points(answer, key), right, list(result.kinds), result.complete, tol)


def normal_equation(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    result = outcome(entry, NormalEquation)
    given = _point(answer, key)
    right = tuple(result.solution)
    grad = key.gradient_at(given)
    solves = grad is not None and all(close(g, 0, tol) for g in grad)
    if all_close(given, right, tol) or (result.singular and solves):
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    if len(given) > 1 and all_close(tuple(reversed(given)), right, tol):
        return Graded("incorrect", "swapped", words("grade.slip.swapped"), credit=0.0)
    kind, sentence = _why_not_stationary(key, given, grad, tol)
    ok = [close(g, r, tol) for g, r in zip(given, right, strict=True)]
    return Graded("incorrect", kind, sentence, credit=sum(ok) / len(ok))


def _point(answer: Any, key: Key) -> Point:
    """``{a: 1, b: 1}`` or ``[1, 1]``."""
    names = [v.name for v in key.variables]
    if isinstance(answer, Mapping):
        unknown = [k for k in answer if k not in names and k != "kind"]
        if unknown:
            raise NotANumber("{name!r} is not a variable", name=str(unknown[0]))
        missing = [n for n in names if n not in answer]
        if missing:
            raise NotANumber("no value for {name!r}", name=missing[0])
        return numbers([answer[n] for n in names])
    return numbers(answer, len(names))


def _points(answer: Any, key: Key) -> list[tuple[Point, str | None]]:
    """A student's list of points: ``[{a: 1, b: 1, kind: minimum}]`` or ``[[1, 1]]``."""
    if isinstance(answer, Mapping):
        answer = [answer]
    if not isinstance(answer, list):
        raise NotANumber("expected a list of points")
    out = []
    for p in answer:
        kind = p.get("kind") if isinstance(p, Mapping) else None
        if kind is not None and kind not in KINDS:
            raise NotANumber("kind is one of minimum, maximum, saddle, degenerate")
        out.append((_point(p, key), kind))
    return out


def graded_points(
    key: Key,
    given: list[tuple[Point, str | None]],
    right: list[Point],
    kinds: list[str],
    complete: bool,
    tol: float,
) -> Graded:
    """A set of points: each given point matched to a right one (or, where tutor's list is
    not proven complete, shown stationary on its own); extra, missing and misclassified
    points named; the share right is the credit."""
    unmatched = list(range(len(right)))
    good = 0
    notes: list[str] = []
    diagnosis: str | None = None
    for values, kind in given:
        match = next((j for j in unmatched if all_close(values, right[j], tol)), None)
        if match is not None:
            unmatched.remove(match)
            if kind is not None and kind != kinds[match]:
                notes.append(
                    words(
                        "grade.points.kind",
                        point=values,
                        kind=words(f"grade.kind.{kind}"),
                        right=words(f"grade.kind.{kinds[match]}"),
                    )
                )
                diagnosis = diagnosis or "wrong_kind"
                continue
            good += 1
            continue
        grad = key.gradient_at(values)
        if not complete and grad is not None and all(close(g, 0, tol) for g in grad):
            good += 1  # stationary, though tutor's search did not list it
            continue
        found, sentence = _why_not_stationary(key, values, grad, tol)
        diagnosis = diagnosis or found
        notes.append(sentence)
    if unmatched and complete:
        missing = ", ".join(str(_shown(right[j])) for j in unmatched)
        notes.append(words("grade.points.missing", count=len(unmatched), points=missing))
    if good == len(given) and (not complete or good == len(right)):
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    total = max(len(right), len(given)) or 1
    return Graded("incorrect", diagnosis, " ".join(notes), credit=good / total)


def _shown(values: Sequence[sp.Expr]) -> str:
    return words("grade.point", point=tuple(values))


def _why_not_stationary(
    key: Key, values: Point, grad: Point | None, tol: float
) -> tuple[str | None, str]:
    """A point that is not stationary: the slip whose gradient vanishes there exactly, else
    the one equation it fails (a slip in solving), else only that it is not stationary."""
    point = dict(zip(key.variables, values, strict=True))
    for slip, slipped in key.slipped_gradients():
        at = [sp.sympify(g.subs(point)) for g in slipped]
        if all(v.is_number and v == 0 for v in at):
            sentence = words("grade.points.slip", point=values, sentence=slip_sentence(slip))
            return slip.kind, sentence
    if grad is not None:
        zero = [close(g, 0, tol) for g in grad]
        if any(zero):
            bad = zero.index(False)
            label = key.partial_target(bad).label
            feedback = words("grade.points.one_equation", point=values, f=label, value=grad[bad])
            return "arithmetic", feedback
    return None, words("grade.points.not_stationary", point=values)
