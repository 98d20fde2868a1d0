"""Each task's parts, as an answers file gives them, and how each part is graded.

A task's answer has the shape of its JSON result (SPEC §4): ``partials: {a: "20a + 8b − 28"}``,
``gradient: {value: [-28, -12]}``, ``stationary_points: [{a: 1, b: 1}]``, ``normal_equation:
{a: 1, b: 1}``, ``gradient_descent: {history: [[0, 0], [0.28, 0.12]]}``. Every part has a
default weight: the result a lesson asks for weighs 1, a by-product (the gradient's formula
when its value at a point is asked) 0, graded for feedback but not scored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..document import Label
from ..tasks.gradient import Gradient
from ..tasks.taylor import Taylor
from . import descent, points, values
from .expressions import Graded, Target, grade_formula
from .feedback import words
from .key import Entry, Key, outcome
from .numbers import NotANumber

#: A part's grader: (key, entry, the student's answer to the part, tolerance) → Graded.
Grader = Callable[[Key, Entry, Any, float], Graded]


@dataclass(frozen=True)
class PartSpec:
    """One part of a task: its name in reports, its default weight, its grader, and the key
    of the task's answer that holds it (None: the task's answer itself)."""

    name: str
    weight: float
    grade: Grader
    keys: tuple[str, ...] | None = None
    #: Whether the task's answer itself, not keyed by the part, answers it (a task with one
    #: part: ``normal_equation: {a: 1, b: 1}`` as well as ``{solution: {a: 1, b: 1}}``).
    bare: bool = True
    #: Whether the grader is given the task's whole answer (the gradient's value is judged
    #: with the student's own formulas beside it), not only this part's.
    whole: bool = False


def parts(key: Key, entry: Entry) -> list[PartSpec]:
    """The parts of one task, in the order a report lists them."""
    task = entry.call.name
    if task == "partials":
        return [
            PartSpec(v.name, 1.0, _partial(i), (v.name,), bare=False)
            for i, v in enumerate(key.variables)
        ]
    if task == "gradient":
        result = entry.section.result
        at = isinstance(result, Gradient) and result.at is not None
        expr = PartSpec("expr", 0.0 if at else 1.0, _gradient_formulas, ("expr",), bare=False)
        value = PartSpec("value", 1.0, values.gradient, ("value", "exact"), False, True)
        return [expr, value] if at else [expr]
    simple: dict[str, tuple[str, Grader, tuple[str, ...] | None]] = {
        "hessian": ("matrix", _hessian_matrix, ("matrix",)),
        "stationary_points": ("points", points.stationary, ("points",)),
        "normal_equation": ("solution", points.normal_equation, ("solution",)),
        "gradient_descent": ("history", descent.history, None),
        "directional_derivative": ("value", values.directional, ("value", "exact")),
        "taylor": ("expansion", _taylor, ("expansion",)),
        "convexity": ("convex", values.convex, ("convex",)),
        "backprop": ("grad", values.backprop, ("grad",)),
    }
    if task not in simple:
        return []
    name, grader, keys = simple[task]
    return [PartSpec(name, 1.0, grader, keys)]


def answer_of(answer: Any, spec: PartSpec) -> Any:
    """The student's answer to one part (None: not given): under one of the part's keys
    (``gradient: {value: [...]}``), or the task's whole answer where that may stand for it."""
    if spec.keys is None:
        return answer
    if isinstance(answer, Mapping):
        for name in spec.keys:
            if name in answer:
                return answer[name]
    return answer if spec.bare else None


# -- formulas --------------------------------------------------------------------------


def _partial(i: int) -> Grader:
    def grade(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
        return grade_formula(key.partial_target(i), answer, key.names)

    return grade


def _gradient_formulas(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    n = len(key.variables)
    if not isinstance(answer, list):
        raise NotANumber("expected a list of formulas, one per variable")
    if len(answer) != n:
        raise NotANumber("expected {count} formulas, got {given}", count=n, given=len(answer))
    targets = [key.partial_target(i) for i in range(n)]
    graded = [grade_formula(t, a, key.names) for t, a in zip(targets, answer, strict=True)]
    return combined(graded, [t.label.text for t in targets])


def _hessian_matrix(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    n = len(key.variables)
    square = isinstance(answer, list) and len(answer) == n
    if not (square and all(isinstance(r, list) and len(r) == n for r in answer)):
        raise NotANumber("expected an {n}×{n} matrix: a list of {n} rows of {n} formulas", n=n)
    graded, labels = [], []
    for i in range(n):
        for j in range(n):
            target = key.second_target(i, j)
            graded.append(grade_formula(target, answer[i][j], key.names))
            labels.append(target.label.text)
    return combined(graded, labels)


def combined(graded: Sequence[Graded], labels: Sequence[str]) -> Graded:
    """Several formulas graded as one part: right when all are; otherwise the share right,
    the first wrong one's diagnosis, and each wrong one's sentence after its name."""
    credit = sum(g.earned() for g in graded) / len(graded)
    found = {g.verdict for g in graded}
    verdict = next(
        (v for v in ("incorrect", "undecided", "unreadable", "unsimplified") if v in found), None
    )
    if verdict is None:
        return Graded("correct", feedback=words("grade.correct"), credit=1.0)
    wrong = [(label, g) for label, g in zip(labels, graded, strict=True) if g.verdict != "correct"]
    feedback = " ".join(f"{label}: {g.feedback}" for label, g in wrong)
    diagnosis = next((g.diagnosis for _, g in wrong if g.diagnosis), None)
    readings = tuple(r for g in graded for r in g.readings)
    share = None if verdict == "unsimplified" else credit
    return Graded(verdict, diagnosis, feedback, readings=readings, credit=share)


def _taylor(key: Key, entry: Entry, answer: Any, tol: float) -> Graded:
    result = outcome(entry, Taylor)
    if result.expansion is None:
        return Graded("undecided", feedback=words("grade.no_key"))
    name = key.problem.name.text
    target = Target(result.expansion, Label(f"T({name})", f"T({name})"), key.variables)
    return grade_formula(target, answer, key.names, unsimplified=False)
