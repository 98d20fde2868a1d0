"""``hessian``: every second partial with its steps, symmetry, the matrix, and at a point its
value and eigenvalues (what they say about the curvature there)."""

from __future__ import annotations

from typing import Any

import pydantic
import sympy as sp

from ..calculus.hessian import classify
from ..calculus.tidy import tidy_with_note
from ..document import Block, Check, Equation, Label, Link, Paragraph, Section, Step
from ..expr import ordered
from ..numeric.verify import hessian_check
from .context import Context, defined, not_differentiable
from .derivation import derivation_blocks, derivation_checks

NAME = "hessian"

CURVATURE = {
    "minimum": "positive definite: f curves upward in every direction here",
    "maximum": "negative definite: f curves downward in every direction here",
    "saddle": "indefinite: f curves up in some directions and down in others",
    "degenerate": "semidefinite: flat (zero curvature) in some direction",
}


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any = None


def run(ctx: Context, params: Params) -> Section:
    n = len(ctx.variables)
    steps: list[Step] = []
    for i in range(n):
        for j in range(i, n):
            steps.append(_second_step(ctx, i, j))
    if n > 1:
        steps.append(_symmetry_step(ctx))
    h = ctx.hessian
    steps.append(Step.of("The Hessian", Equation.chain(Label("H", "H"), _shown(h))))
    result: dict[str, Any] = {"matrix": [[str(h[i, j]) for j in range(n)] for i in range(n)]}
    points = ctx.random_points()
    params_out: dict[str, Any] = {}
    if params.at is not None:
        at = ctx.point(params.at, "at")
        params_out["at"] = [str(v) for v in at]
        value = h.applyfunc(lambda e: ctx.at(e, at))
        where = ctx.point_text(at)
        result["at"] = params_out["at"]
        if all(defined(v) for v in value):
            curvature = classify(value)
            steps.append(
                Step.of(
                    f"At {where}",
                    Equation.chain(Label(f"H{where}", f"H{where}"), _shown(value)),
                    Paragraph(
                        (
                            "Eigenvalues ",
                            *_listed(curvature.shown),
                            f": {CURVATURE[curvature.kind]}.",
                        )
                    ),
                )
            )
            result["value"] = [[float(value[i, j]) for j in range(n)] for i in range(n)]
            result["eigenvalues"] = [str(e) for e in curvature.shown]
            points = [tuple(float(v) for v in at), *points]
        else:
            steps.append(Step.of(f"At {where}", *not_differentiable(ctx, h, at, "twice ")))
            result["value"] = None
            result["eigenvalues"] = None
    what = f"H against autograd at {len(points)} points"
    checks = [
        *_step_checks(ctx),
        hessian_check(ctx.judge, ctx.variables, h, points, what),
    ]
    return Section(NAME, "Hessian", params_out, result, tuple(steps), tuple(checks))


def _second_step(ctx: Context, i: int, j: int) -> Step:
    vi, vj = ctx.variables[i], ctx.variables[j]
    first = ctx.partial_label(vi)
    intro = Paragraph.of(
        "Differentiate ", first, " = ", ordered(ctx.gradient[i]), " with respect to ", vj, "."
    )
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
                        Link(ctx.second_label(j, i), note="" if same else "NOT EQUAL"),
                    ),
                )
            )
    blocks.append(
        Paragraph.of(
            "The mixed partials agree in either order (Schwarz's theorem, "
            "for continuous second partials): H is symmetric."
        )
    )
    return Step("Symmetry", tuple(blocks))


def _step_checks(ctx: Context) -> list[Check]:
    n = len(ctx.variables)
    return derivation_checks([ctx.second_rule(i, j) for i in range(n) for j in range(n)])


def _shown(m: sp.Matrix) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(m.applyfunc(ordered))


def _listed(values: tuple[sp.Expr, ...]) -> list[Any]:
    parts: list[Any] = []
    for k, v in enumerate(values):
        parts += [", " if k else "", v]
    return parts
