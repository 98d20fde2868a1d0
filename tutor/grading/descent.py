"""Grading the iterates of gradient descent a student computed by hand.

The rows are compared with tutor's run one by one. At the first wrong row, each descent a
student may have run instead is replayed from the student's own previous row, and it is the
diagnosis only if it reproduces every row from there on: the steps going up (ascent),
another learning rate (found from the step itself), a factor missing from the gradient, a
slipped derivative, or one arithmetic slip that the later steps followed correctly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp

from ..tasks.descent import Descent
from .expressions import Graded
from .feedback import slip_sentence, words
from .key import Entry, Key, outcome
from .numbers import NotANumber, factors, number, numbers

Step = Callable[[np.ndarray], np.ndarray]


def history(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    """``{history: [[0, 0], [0.28, 0.12], ...]}``, with ``lr`` to pick one run of a sweep."""
    run = outcome(entry, Descent).run
    rows = answer.get("history") if isinstance(answer, Mapping) else answer
    if not isinstance(rows, list) or len(rows) < 2:
        raise NotANumber("expected history: a list of at least two points, the start first")
    n = len(key.variables)
    given = np.array([[float(v) for v in numbers(row, n)] for row in rows])
    r = 0
    if isinstance(answer, Mapping) and answer.get("lr") is not None:
        wanted = float(number(answer["lr"]))
        found = [k for k, lr in enumerate(run.lrs) if abs(lr - wanted) <= 1e-12 * max(1, lr)]
        if not found:
            raise NotANumber("lr {lr} is not one of this task's learning rates", lr=answer["lr"])
        r = found[0]
    last = run.last(r)
    right = np.array([run.history[k, r] for k in range(min(len(given), last + 1))])
    return graded_history(key, given, right, float(run.lrs[r]), tol)


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    return bool(np.all(np.abs(a - b) <= tol * np.maximum(1.0, np.abs(b))))


def graded_history(key: Key, given: np.ndarray, right: np.ndarray, lr: float, tol: float) -> Graded:
    """Row by row; the share of rows right before the first wrong one is the credit."""
    count = min(len(given), len(right))
    wrong = next((k for k in range(count) if not _close(given[k], right[k], tol)), None)
    if wrong is None and len(given) <= len(right):
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    if wrong is None:
        feedback = words("grade.history.too_long", count=len(right))
        return Graded("incorrect", None, feedback, credit=count / len(given))
    if wrong == 0:
        feedback = words("grade.history.start", point=_point(right[0]))
        return Graded("incorrect", "wrong_point", feedback, credit=0.0)
    credit = wrong / len(given)
    for kind, step, message, parts in _replays(key, given, wrong, lr, tol):
        if _follows(given, wrong, step, tol):
            return Graded("incorrect", kind, words(message, k=wrong, **parts), credit=credit)
    gradient = key.numeric_gradient

    def descend(x: np.ndarray) -> np.ndarray:
        return x - lr * gradient(x)

    if _follows(given, wrong + 1, descend, tol):  # one slip, and the rest follow from it
        expected = _point(descend(given[wrong - 1]))
        feedback = words("grade.history.arithmetic", k=wrong, point=expected)
        return Graded("incorrect", "arithmetic", feedback, credit=credit)
    feedback = words("grade.history.wrong", k=wrong, point=_point(right[wrong]))
    return Graded("incorrect", None, feedback, credit=credit)


def _point(row: np.ndarray) -> tuple[sp.Expr, ...]:
    return tuple(sp.Float(float(v), 6) for v in row)


def _follows(given: np.ndarray, start: int, step: Step, tol: float) -> bool:
    """Every row from ``start`` on is ``step`` of the row before it (the student's own)."""
    return all(_close(given[k], step(given[k - 1]), tol) for k in range(start, len(given)))


def _replays(
    key: Key, given: np.ndarray, k: int, lr: float, tol: float
) -> list[tuple[str, Step, str, dict[str, Any]]]:
    """The descents a student may have run instead, each as one step's function, with the
    message that says so."""
    gradient = key.numeric_gradient

    def ascend(x: np.ndarray) -> np.ndarray:
        return x + lr * gradient(x)

    out: list[tuple[str, Step, str, dict[str, Any]]] = [
        ("ascent", ascend, "grade.history.ascent", {})
    ]
    rate = _rate(gradient(given[k - 1]), given[k - 1] - given[k], tol)
    if rate is not None:
        ratio = sp.nsimplify(rate / lr, rational=True, tolerance=tol)

        def other(x: np.ndarray, a: float = rate) -> np.ndarray:
            return x - a * gradient(x)

        if ratio in factors(key.rows):
            out.append(("missing_factor", other, "grade.history.missing_factor", {"factor": ratio}))
        elif ratio != 1:
            shown = sp.nsimplify(rate, rational=True, tolerance=tol * rate)
            parts = {"lr": shown, "right": sp.nsimplify(lr)}
            out.append(("wrong_learning_rate", other, "grade.history.wrong_learning_rate", parts))
    for slip, f in key.numeric_slips():

        def slipped(x: np.ndarray, f: Step = f) -> np.ndarray:
            return x - lr * f(x)

        out.append((slip.kind, slipped, "grade.history.slip", {"sentence": slip_sentence(slip)}))
    return out


def _rate(g: np.ndarray, moved: np.ndarray, tol: float) -> float | None:
    """The learning rate a step used: moved = rate·∇f, the same rate in every coordinate."""
    usable = np.abs(g) > 1e-12
    if not usable.any():
        return None
    rates = moved[usable] / g[usable]
    rate = float(rates[0])
    if rate <= 0 or not np.allclose(rates, rate, rtol=tol, atol=0):
        return None
    return rate
