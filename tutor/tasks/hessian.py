"""``hessian``: every second partial with its steps, symmetry, the matrix, and at a point its
value and eigenvalues (what they say about the curvature there)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..calculus.hessian import Curvature, classify
from ..calculus.tidy import tidy_with_note
from ..document import Block, Check, Equation, Label, Link, Section, Step
from ..expr import ordered
from ..outcome import Figure, Outcome, Point
from .context import Context, defined, hessian_check, not_differentiable
from .derivation import derivation_blocks, derivation_checks
from .through_model import hessian_step, second, sigma_check, sigma_form

NAME = "hessian"
#: The message key of its section\'s title.
TITLE = "hessian.title"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any = None


@dataclass(frozen=True, eq=False, repr=False)
class Hessian(Outcome):
    """The matrix of second partials; at a point (when asked) its value and eigenvalues,
    ``value`` None where f is not twice differentiable there."""

    matrix: sp.Matrix
    at: tuple[sp.Expr, ...] | None = None
    value: sp.Matrix | None = None
    curvature: Curvature | None = None

    def to_json(self) -> dict[str, Any]:
        n = self.matrix.shape[0]
        out: dict[str, Any] = {"matrix": [[self.matrix[i, j] for j in range(n)] for i in range(n)]}
        if self.at is None:
            return out
        out["at"] = self.at
        if self.value is None or self.curvature is None:
            return out | {"value": None, "eigenvalues": None}
        value = self.value
        return out | {
            "value": [[float(value[i, j]) for j in range(n)] for i in range(n)],
            "eigenvalues": self.curvature.shown,
        }

    def figures(self) -> tuple[Figure, ...]:
        return () if self.at is None else (Point(tuple(float(v) for v in self.at)),)


def run(ctx: Context, params: Params) -> Section:
    n = len(ctx.variables)
    steps: list[Step] = []
    form = sigma_form(ctx)
    h = ctx.hessian
    if form is None:
        for i in range(n):
            for j in range(i, n):
                steps.append(_second_step(ctx, i, j))
        if n > 1:
            steps.append(_symmetry_step(ctx))
        shown = _shown(h)
    else:  # a logistic loss: through the model, in σ, as a textbook writes it
        steps.append(hessian_step(ctx, form))
        v = ctx.variables
        shown = sp.ImmutableMatrix(n, n, lambda i, j: second(form, v[min(i, j)], v[max(i, j)]))
    steps.append(
        Step.of(phrasing.text("hessian.matrix.title"), Equation.chain(Label("H", "H"), shown))
    )
    result = Hessian(h)
    points = ctx.random_points()
    params_out: dict[str, Any] = {}
    if params.at is not None:
        at = ctx.point(params.at, "at")
        params_out["at"] = [str(v) for v in at]
        value = h.applyfunc(lambda e: ctx.at(e, at))
        where = phrasing.point(at)
        title = phrasing.title("at.title", point=where)
        if all(defined(v) for v in value):
            curvature = classify(value)
            steps.append(
                Step.of(
                    title,
                    Equation.chain(Label(f"H{where.text}", f"H{where.latex}"), _shown(value)),
                    phrasing.say(
                        f"hessian.curvature.{curvature.kind}",
                        values=phrasing.listed(curvature.shown),
                        f=ctx.name,
                    ),
                )
            )
            result = Hessian(h, at, value, curvature)
            points = [tuple(float(v) for v in at), *points]
        else:
            steps.append(Step.of(title, *not_differentiable(ctx, h, at, twice=True)))
            result = Hessian(h, at)
    checks = [
        *(
            _step_checks(ctx)
            if form is None
            else [sigma_check(ctx, list(shown), [ordered(e) for e in h])]
        ),
        hessian_check(
            ctx.judge, ctx.variables, h, points, phrasing.text("hessian.check", n=len(points))
        ),
    ]
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


def _second_step(ctx: Context, i: int, j: int) -> Step:
    vi, vj = ctx.variables[i], ctx.variables[j]
    first = ctx.partial_label(vi)
    intro = phrasing.say("hessian.differentiate", first=first, value=ordered(ctx.gradient[i]), x=vj)
    rule = ctx.second_rule(i, j)
    final, note = tidy_with_note(rule.result, ctx.variables)
    label = ctx.second_label(i, j)
    return Step(label, (intro, *derivation_blocks(rule, label, final, note, ctx.detail)))


def _symmetry_step(ctx: Context) -> Step:
    blocks: list[Block] = []
    n = len(ctx.variables)
    for i in range(n):
        for j in range(i + 1, n):
            one = ctx.hessian[i, j]
            other, _ = tidy_with_note(ctx.second_rule(j, i).result, ctx.variables)
            same = sp.simplify(one - other) == 0
            blocks.append(
                Equation(
                    ctx.second_label(i, j),
                    (
                        Link(ordered(one)),
                        Link(
                            ctx.second_label(j, i),
                            note="" if same else phrasing.text("hessian.not_equal"),
                        ),
                    ),
                )
            )
    blocks.append(phrasing.say("hessian.symmetric"))
    return Step(phrasing.text("hessian.symmetry.title"), tuple(blocks))


def _step_checks(ctx: Context) -> list[Check]:
    n = len(ctx.variables)
    return derivation_checks([ctx.second_rule(i, j) for i in range(n) for j in range(n)])


def _shown(m: sp.Matrix) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(m.applyfunc(ordered))
