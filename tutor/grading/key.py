"""The answer key of one problem, worked out once for a whole class: the solution (every
task's result), each partial derivative's rule tree and its slips, and the gradient as a
NumPy function for replaying a student's descent. Grading a student reuses all of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import sympy as sp

from ..calculus.slips import Slip, slips
from ..document import Section, Solution
from ..outcome import Outcome
from ..problem import Problem, TaskCall
from ..tasks.context import Context
from .expressions import Target

Result = TypeVar("Result", bound=Outcome)


@dataclass(frozen=True)
class Entry:
    """One task of the problem as the answers file names it (``gradient_descent``, or
    ``gradient_descent.2`` for a task's second appearance), with its call and its result."""

    name: str
    call: TaskCall
    section: Section


class Key:
    """Everything answers to ``problem`` are graded against, computed once."""

    def __init__(self, problem: Problem, solution: Solution):
        self.problem = problem
        self.solution = solution
        self.ctx = Context(problem)
        self.variables = problem.variables
        names: dict[str, sp.Expr] = {v.name: v for v in problem.variables}
        names.update(problem.constants or {})
        self.names = names
        self.entries = _entries(problem.tasks, solution.sections)
        #: Each task's parts and their points, in report order (set by ``answer_key``,
        #: which knows the parts): worked out once, not per student.
        self.layout: tuple[tuple[Entry, Any, float], ...] = ()
        # What grading derives on demand, kept for the next student.
        self._partials: dict[int, Target] = {}
        self._seconds: dict[tuple[int, int], Target] = {}
        self._slip_values: dict[tuple[int, tuple[sp.Expr, ...]], list[tuple[Slip, sp.Expr]]] = {}

    @property
    def rows(self) -> int | None:
        """How many data rows the objective sums over (for a missing 1/m), if a model's."""
        model = self.problem.model
        return model.data.m if model is not None else None

    @cached_property
    def gradient(self) -> tuple[sp.Expr, ...]:
        return self.ctx.gradient

    def partial_target(self, i: int) -> Target:
        """∂f/∂xᵢ as a formula to grade against, with the slips of its derivation (built the
        first time a part needs them, within :data:`~tutor.calculus.slips.SLIP_BUDGET`)."""
        if i not in self._partials:
            var = self.variables[i]
            self._partials[i] = Target(
                right=self.gradient[i],
                label=self.ctx.partial_label(var),
                symbols=self.variables,
                slips=slips(self.ctx.rule(var), self.variables),
                domain=self.problem.objective,
                var=var,
            )
        return self._partials[i]

    def second_target(self, i: int, j: int) -> Target:
        """∂²f/∂xⱼ∂xᵢ to grade against, with the slips of differentiating ∂f/∂xᵢ by xⱼ."""
        key = (i, j)
        if key not in self._seconds:
            rule = self.ctx.second_rule(i, j)
            self._seconds[key] = Target(
                right=self.ctx.hessian[i, j],
                label=self.ctx.second_label(i, j),
                symbols=self.variables,
                slips=slips(rule, self.variables),
                domain=self.problem.objective,
                var=self.variables[j],
            )
        return self._seconds[key]

    def gradient_at(self, point: Sequence[sp.Expr]) -> tuple[sp.Expr, ...] | None:
        """∇f at ``point``, exactly; None where it is not defined."""
        values = dict(zip(self.variables, point, strict=True))
        out = []
        for g in self.gradient:
            v = sp.sympify(g.subs(values))
            if not (v.is_number and v.is_finite and v.is_real is not False):
                return None
            out.append(sp.nsimplify(v) if v.is_Float else v)
        return tuple(out)

    def slip_values(self, i: int, at: tuple[sp.Expr, ...]) -> list[tuple[Slip, sp.Expr]]:
        """Each slip of ∂f/∂xᵢ with its value at ``at``, exactly (computed once per point)."""
        cache = self._slip_values
        if (i, at) not in cache:
            point = dict(zip(self.variables, at, strict=True))
            found = []
            for slip in self.partial_target(i).slips:
                value = sp.sympify(slip.result.subs(point))
                if value.is_number and value.is_finite:
                    found.append((slip, value))
            cache[(i, at)] = found
        return cache[(i, at)]

    def slipped_gradients(self) -> list[tuple[Slip, tuple[sp.Expr, ...]]]:
        """The gradient with one slip made: one component slipped, or every component with
        the same systematic slip (the inner derivative dropped everywhere...)."""
        return self._slipped_gradients

    @cached_property
    def _slipped_gradients(self) -> list[tuple[Slip, tuple[sp.Expr, ...]]]:
        out: list[tuple[Slip, tuple[sp.Expr, ...]]] = []
        targets = [self.partial_target(i) for i in range(len(self.variables))]
        for i, target in enumerate(targets):
            for slip in target.slips:
                grad = list(self.gradient)
                grad[i] = slip.result
                out.append((slip, tuple(grad)))
        systematic: dict[tuple[str, str], list[sp.Expr]] = {}
        for i, target in enumerate(targets):
            for slip in target.slips:
                if slip.everywhere:
                    systematic.setdefault((slip.kind, slip.detail), list(self.gradient))[i] = (
                        slip.result
                    )
        for (kind, detail), grad in systematic.items():
            slip = Slip(kind, self.problem.objective_shown, None, sp.S.Zero, True, detail)
            out.append((slip, tuple(grad)))
        return out

    @cached_property
    def numeric_gradient(self) -> Callable[[np.ndarray], np.ndarray]:
        """∇f as a NumPy function of a point (for replaying descent)."""
        return _numpy(self.gradient, self.variables)

    def numeric_slips(self) -> list[tuple[Slip, Callable[[np.ndarray], np.ndarray]]]:
        """:meth:`slipped_gradients` as NumPy functions, made once for the whole class."""
        return self._numeric_slips

    @cached_property
    def _numeric_slips(self) -> list[tuple[Slip, Callable[[np.ndarray], np.ndarray]]]:
        return [(slip, _numpy(grad, self.variables)) for slip, grad in self.slipped_gradients()]


def outcome(entry: Entry, kind: type[Result]) -> Result:
    """The task's typed outcome (the grader knows which task it grades)."""
    result = entry.section.result
    if not isinstance(result, kind):  # a stopped or refused task: graded as "no key" above
        raise TypeError(f"{entry.name}: expected a {kind.__name__} outcome")
    return result


def _numpy(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> Callable[..., Any]:
    f = sp.lambdify(list(variables), list(exprs), modules="numpy")

    def call(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.array(f(*x), dtype=float)

    return call


def _entries(calls: Sequence[TaskCall], sections: Sequence[Section]) -> list[Entry]:
    seen: Counter[str] = Counter()
    out = []
    for call, section in zip(calls, sections, strict=True):
        seen[call.name] += 1
        name = call.name if seen[call.name] == 1 else f"{call.name}.{seen[call.name]}"
        out.append(Entry(name, call, section))
    return out
