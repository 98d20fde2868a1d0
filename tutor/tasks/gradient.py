"""``gradient``: the gradient vector; its value and length at a point."""

from __future__ import annotations

from typing import Any

import pydantic
import sympy as sp

from ..document import Equation, Label, Link, Paragraph, Section, Step
from ..expr import ordered, substitute
from ..numeric.verify import gradient_check
from ..render.mathprint import math_latex, math_text
from .context import Context, defined, not_differentiable

NAME = "gradient"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any = None


def run(ctx: Context, params: Params) -> Section:
    name = ctx.name
    nabla = Label(f"∇{name.text}", f"\\nabla {name.latex}")
    components = Label(
        "(" + ", ".join(ctx.partial_label(v).text for v in ctx.variables) + ")",
        "\\left(" + ", ".join(ctx.partial_label(v).latex for v in ctx.variables) + "\\right)",
    )
    grad = [ordered(g) for g in ctx.gradient]
    steps = [Step.of("The gradient", Equation.chain(nabla, components, vector(grad)))]
    result: dict[str, Any] = {"expr": [str(g) for g in ctx.gradient]}
    points = ctx.random_points()
    where = "points"
    if params.at is not None:
        at = ctx.point(params.at, "at")
        exact = [ctx.at(g, at) for g in ctx.gradient]
        result["at"] = [str(v) for v in at]
        if all(defined(v) for v in exact):
            steps.append(_at_step(ctx, at, grad, exact))
            norm = sp.sqrt(sum(v**2 for v in exact))
            result.update(
                value=[float(v) for v in exact],
                exact=[str(v) for v in exact],
                norm=str(norm),
                norm_value=float(norm),
            )
            points = [tuple(float(v) for v in at), *points]
        else:
            shown_at = ", ".join(math_text(v) for v in at)
            blocks = not_differentiable(ctx, tuple(ctx.gradient), at)
            steps.append(Step(f"At ({shown_at})", tuple(blocks)))
            result.update(value=None, exact=None, norm=None, norm_value=None, differentiable=False)
            where = "random points"
    check = gradient_check(
        ctx.judge,
        ctx.variables,
        ctx.gradient,
        points,
        f"∇{name.text} against autograd at {len(points)} {where}",
    )
    params_out = {"at": result["at"]} if params.at is not None else {}
    return Section(NAME, "Gradient", params_out, result, tuple(steps), (check,))


MAX_SHOWN_SUBSTITUTION_OPS = 40


def _at_step(
    ctx: Context, at: tuple[sp.Expr, ...], grad: list[sp.Expr], exact: list[sp.Expr]
) -> Step:
    """∇f at the point, the substitution shown, and its length."""
    name = ctx.name
    values = dict(zip(ctx.variables, at, strict=True))
    shown_at = ", ".join(math_text(v) for v in at)
    latex_at = ", ".join(math_latex(v) for v in at)
    norm = sp.sqrt(sum(v**2 for v in exact))
    label = Label(f"∇{name.text}({shown_at})", f"\\nabla {name.latex}({latex_at})")
    norm_label = Label(
        f"|∇{name.text}({shown_at})|", f"\\left|\\nabla {name.latex}({latex_at})\\right|"
    )
    squares = sp.Add(*(sp.Pow(v, 2, evaluate=False) for v in exact), evaluate=False)
    norm_links = [Link(sp.Pow(squares, sp.S.Half, evaluate=False)), Link(norm)]
    if not norm.is_Rational:
        norm_links.append(Link(sp.Float(float(norm), 10), relation="≈"))
    # The substitution written out helps while it fits on a line; a sum over data rows does not.
    small = sum(sp.count_ops(g) for g in grad) <= MAX_SHOWN_SUBSTITUTION_OPS
    chain = ([vector([substitute(g, values) for g in grad])] if small else []) + [vector(exact)]
    return Step.of(
        f"At ({shown_at})",
        Equation.chain(label, *chain),
        Equation(norm_label, tuple(norm_links)),
        Paragraph.of(
            "The gradient points in the direction of steepest ascent; "
            "its length is the rate of increase in that direction."
        ),
    )


def vector(entries: list[sp.Expr]) -> sp.Matrix:
    """A column vector that keeps each entry's shown form."""
    return sp.ImmutableMatrix(len(entries), 1, entries)
