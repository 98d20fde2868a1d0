"""What the tasks of one problem share: derivations done once, points, and checks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

import sympy as sp

from .. import phrasing
from ..budget import OverBudget, within
from ..calculus.diffsteps import Rule, diff_steps
from ..calculus.kinks import kinks
from ..calculus.tidy import tidy_with_note
from ..document import Block, Check, Label
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import verify
from ..numeric.twin import Twin, at_point, definition_loss, gram_loss, model_loss
from ..numeric.verify import domain_points
from ..partitions import RowPasses, row_spec
from ..problem import Problem

RANDOM_POINTS = 5
#: Seconds to simplify a value at a point; past it the exact value is kept as substituted.
AT_BUDGET = 5.0


class Context:
    """A problem being solved: tasks ask it for partials, gradients and check points."""

    def __init__(
        self, problem: Problem, *, seed: int = 0, detail: str = "compact", dtype: str = "float64"
    ):
        self.problem = problem
        self.seed = seed
        self.detail = detail
        self.dtype = dtype
        self._rules: dict[sp.Symbol, Rule] = {}
        self._second: dict[tuple[int, int], Rule] = {}

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

    def finished_rule(self, var: sp.Symbol) -> Rule | None:
        """∂f/∂var's rule tree if it was already built (a stopped task shows these)."""
        return self._rules.get(var)

    @cached_property
    def tidied(self) -> tuple[tuple[sp.Expr, str], ...]:
        """Each partial derivative in its tidy form, with the name of the tidying step."""
        return tuple(tidy_with_note(self.rule(v).result, self.variables) for v in self.variables)

    @property
    def gradient(self) -> tuple[sp.Expr, ...]:
        """Each partial derivative in its tidy form."""
        return tuple(expr for expr, _ in self.tidied)

    def second_rule(self, i: int, j: int) -> Rule:
        """The rule tree of ∂²f/∂xⱼ∂xᵢ: the tidy ∂f/∂xᵢ differentiated by xⱼ."""
        key = (i, j)
        if key not in self._second:
            self._second[key] = diff_steps(ordered(self.gradient[i]), self.variables[j])
        return self._second[key]

    @cached_property
    def hessian(self) -> sp.Matrix:
        """Every second partial, tidy."""
        n = len(self.variables)
        return sp.Matrix(
            n, n, lambda i, j: tidy_with_note(self.second_rule(i, j).result, self.variables)[0]
        )

    @cached_property
    def twin(self) -> Twin:
        """The judge's copy of the loss, built from the problem's definition (objective, or
        model + raw data + named loss) by another route than anything a task computes."""
        model = self.problem.model
        if model is None:
            return definition_loss(self.variables, self.problem.objective)
        source = model.data.partitioned
        if source is not None and model.moments is None:  # beyond memory: a pass a call
            return RowPasses(source, row_spec(model, self.variables)).twin()
        if model.judged is not None:  # data beyond memory: the judge's own sums of every row
            return gram_loss(
                variables=self.variables,
                gram=model.judged.gram,
                moment=model.judged.moment,
                yy=model.judged.yy,
                scale=float(model.scale),
            )
        return model_loss(
            variables=self.variables,
            rhs=model.rhs,
            inputs=model.inputs,
            columns=model.data.arrays,
            output=model.output,
            loss=model.loss,
        )

    @property
    def judge(self) -> Callable[..., Any]:
        """:attr:`twin` as a function of one point's coordinates (torch tensors)."""
        return at_point(self.twin)

    def values(self, points: Sequence[Sequence[float]]) -> list[float]:
        """The problem's own function (:attr:`twin`) at float points, in one batch; NaN
        where it is not a real number there.

        >>> from tutor.loading import problem_from_dict
        >>> ctx = Context(problem_from_dict({"title": "t", "variables": ["x"],
        ...                                   "objective": "log(x)", "tasks": ["partials"]}))
        >>> [round(v, 6) for v in ctx.values([[1.0], [2.0]])], ctx.values([[-1.0]])
        ([0.0, 0.693147], [nan])
        """
        import torch

        if not points:
            return []
        w = torch.tensor([list(p) for p in points], dtype=torch.float64)
        try:
            with torch.no_grad():
                out = self.twin(w)
        except (TypeError, RuntimeError, ValueError):
            return [float("nan")] * len(points)
        if out.is_complex():
            return [float("nan")] * len(points)
        return [float(v) for v in out]

    def at(self, expr: sp.Expr, point: tuple[sp.Expr, ...]) -> sp.Expr:
        """``expr`` at ``point``, exactly; nan or zoo where it is undefined there."""
        values = dict(zip(self.variables, point, strict=True))
        try:
            raw: sp.Expr = expr.subs(values, simultaneous=True)
            with within(AT_BUDGET):
                value: sp.Expr = sp.simplify(raw)
        except OverBudget:
            value = raw  # exact, not simplified
        except OverflowError:  # past even mpmath's range (an exp tower): infinite in float64
            value = sp.oo
        except (ValueError, TypeError):  # Max of a complex value: SymPy cannot compare it
            value = sp.nan
        return value

    def kink_at(self, point: tuple[sp.Expr, ...]) -> sp.Expr | None:
        """The first u of a |u|, sign(u), H(u), max or min of the objective that is 0 at
        ``point``, where f may not be differentiable; None where there is none."""
        for u in kinks(self.problem.objective):
            if self.at(u, point) == 0:
                return u
        return None

    def second_label(self, i: int, j: int) -> Label:
        """∂²f/∂xⱼ∂xᵢ in the problem's names."""
        return phrasing.second(self.name, self.variables[i], self.variables[j])

    def partial_label(self, var: sp.Symbol) -> Label:
        """∂f/∂var in the problem's names."""
        return phrasing.partial(self.name, var)

    def random_points(self, n: int = RANDOM_POINTS) -> list[tuple[float, ...]]:
        """``n`` reproducible check points in the domain of the problem's function."""
        rows = self.problem.model.data.m if self.problem.model is not None else 1
        return domain_points(self.twin, self.variables, n, self.seed, rows)

    def point(self, raw: Any, key: str) -> tuple[sp.Expr, ...]:
        """A point from a task parameter: a list in variable order or a mapping by name."""
        names = [v.name for v in self.variables]
        if isinstance(raw, Mapping):
            unknown = [k for k in raw if k not in names]
            if unknown:
                raise InputError(
                    "{value!r} is not a variable ({value2})",
                    key=key,
                    value=unknown[0],
                    value2=", ".join(names),
                )
            missing = [n for n in names if n not in raw]
            if missing:
                raise InputError("no value for {value!r}", key=key, value=missing[0])
            values: Sequence[Any] = [raw[n] for n in names]
        elif isinstance(raw, list | tuple):
            values = raw
        elif len(names) == 1 and not isinstance(raw, bool):
            values = [raw]
        else:
            raise InputError(
                "expected a point: a list of {count} numbers", key=key, count=len(names)
            )
        if len(values) != len(names):
            raise InputError(
                "expected {count} numbers ({value}), got {count2}",
                key=key,
                count=len(names),
                value=", ".join(names),
                count2=len(values),
            )
        point = []
        for i, v in enumerate(values):
            try:
                point.append(parse_number(v))
            except ExpressionError as exc:
                raise exc.with_key(f"{key}[{i}]") from None
        for var, value in zip(self.variables, point, strict=True):
            if var.is_positive and not value.is_positive:
                raise InputError(
                    "{var} is declared positive, got {value}", key=key, var=var, value=value
                )
        return tuple(point)


def defined(value: sp.Expr) -> bool:
    """A finite real number (not nan, zoo, complex, or DiracDelta(0), which SymPy calls finite
    but which has no value): the derivative exists there."""
    if not (value.is_number and value.is_finite is True and value.is_extended_real is True):
        return False
    try:
        number = complex(value.evalf(20))
    except (TypeError, ValueError):
        return False
    return number.imag == 0 and abs(number.real) < float("inf")


def not_differentiable(
    ctx: Context, exprs: Any, at: tuple[sp.Expr, ...], twice: bool = False
) -> list[Block]:
    """Say plainly that f is not (twice) differentiable at ``at``, naming an undefined part."""
    where = phrasing.point(at)
    key = "at.not_differentiable" + (".twice" if twice else "")
    for e in exprs:
        value = ctx.at(e, at)
        if not defined(value):
            kind = "nan" if value is sp.nan else "zoo" if value.has(sp.zoo) else "complex"
            return [
                phrasing.say(
                    key + ".because",
                    f=ctx.name,
                    point=where,
                    part=ordered(e),
                    why=phrasing.phrase(f"undefined.{kind}"),
                )
            ]
    return [phrasing.say(key, f=ctx.name, point=where)]


def gradient_check(
    f: Callable[..., Any],
    variables: Sequence[sp.Symbol],
    claimed: Sequence[sp.Expr],
    points: Sequence[Sequence[float]],
    what: str,
) -> Check:
    """:func:`tutor.numeric.verify.gradient_check`, saying in the solution's language why a
    check found no point to compare at."""
    no_point = phrasing.text("check.no_point")
    return verify.gradient_check(f, variables, claimed, points, what, no_point=no_point)


def hessian_check(
    f: Callable[..., Any],
    variables: Sequence[sp.Symbol],
    claimed: sp.Matrix,
    points: Sequence[Sequence[float]],
    what: str,
) -> Check:
    """:func:`tutor.numeric.verify.hessian_check`, in the solution's language."""
    no_point = phrasing.text("check.no_point")
    return verify.hessian_check(f, variables, claimed, points, what, no_point=no_point)
