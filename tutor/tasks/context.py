"""What the tasks of one problem share: derivations done once, points, and checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import sympy as sp

from ..calculus.diffsteps import Rule, diff_steps
from ..calculus.tidy import tidy_with_note
from ..document import Label
from ..errors import ExpressionError, InputError
from ..expr import parse_number
from ..numeric.verify import sample_points
from ..problem import Problem

RANDOM_POINTS = 5


class Context:
    """A problem being solved: tasks ask it for partials, gradients and check points."""

    def __init__(self, problem: Problem, *, seed: int = 0, detail: str = "compact"):
        self.problem = problem
        self.seed = seed
        self.detail = detail
        self._rules: dict[sp.Symbol, Rule] = {}

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return self.problem.variables

    @property
    def name(self) -> Label:
        return self.problem.name

    def rule(self, var: sp.Symbol) -> Rule:
        """The rule tree of ∂f/∂var, built once per problem."""
        if var not in self._rules:
            self._rules[var] = diff_steps(self.problem.objective_shown, var)
        return self._rules[var]

    @cached_property
    def tidied(self) -> tuple[tuple[sp.Expr, str], ...]:
        """Each partial derivative in its tidy form, with the name of the tidying step."""
        return tuple(tidy_with_note(self.rule(v).result, self.variables) for v in self.variables)

    @property
    def gradient(self) -> tuple[sp.Expr, ...]:
        """Each partial derivative in its tidy form."""
        return tuple(expr for expr, _ in self.tidied)

    def partial_label(self, var: sp.Symbol) -> Label:
        from ..render.mathprint import math_latex, math_text

        return Label(
            f"∂{self.name.text}/∂{math_text(var)}",
            f"\\frac{{\\partial {self.name.latex}}}{{\\partial {math_latex(var)}}}",
        )

    def random_points(self, n: int = RANDOM_POINTS) -> list[tuple[float, ...]]:
        return sample_points(self.variables, n, self.seed)

    def point(self, raw: Any, key: str) -> tuple[sp.Expr, ...]:
        """A point from a task parameter: a list in variable order or a mapping by name."""
        names = [v.name for v in self.variables]
        if isinstance(raw, Mapping):
            unknown = [k for k in raw if k not in names]
            if unknown:
                raise InputError(f"{unknown[0]!r} is not a variable ({', '.join(names)})", key=key)
            missing = [n for n in names if n not in raw]
            if missing:
                raise InputError(f"no value for {missing[0]!r}", key=key)
            values: Sequence[Any] = [raw[n] for n in names]
        elif isinstance(raw, list | tuple):
            values = raw
        elif len(names) == 1 and not isinstance(raw, bool):
            values = [raw]
        else:
            raise InputError(f"expected a point: a list of {len(names)} numbers", key=key)
        if len(values) != len(names):
            raise InputError(
                f"expected {len(names)} numbers ({', '.join(names)}), got {len(values)}", key=key
            )
        point = []
        for i, v in enumerate(values):
            try:
                point.append(parse_number(v))
            except ExpressionError as exc:
                raise InputError(exc.message, key=f"{key}[{i}]") from None
        for var, value in zip(self.variables, point, strict=True):
            if var.is_positive and not value.is_positive:
                raise InputError(f"{var} is declared positive, got {value}", key=key)
        return tuple(point)
