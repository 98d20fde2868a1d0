"""``gradient``: the gradient vector; its value and length at a point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..document import Equation, Label, Link, Section, Step
from ..expr import ordered, substitute
from ..outcome import Figure, GradientField, Outcome, Point
from .context import Context, defined, gradient_check, not_differentiable
from .through_model import gradient_step, sigma_check, sigma_form

NAME = "gradient"
#: The message key of its section\'s title.
TITLE = "gradient.title"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any = None


@dataclass(frozen=True, eq=False, repr=False)
class Gradient(Outcome):
    """∇f, and at a point (when asked) its exact value and length; ``exact`` is None where
    f is not differentiable there."""

    exprs: tuple[sp.Expr, ...]
    at: tuple[sp.Expr, ...] | None = None
    exact: tuple[sp.Expr, ...] | None = None

    @property
    def norm(self) -> sp.Expr | None:
        return None if self.exact is None else sp.sqrt(sum(v**2 for v in self.exact))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"expr": self.exprs}
        if self.at is None:
            return out
        out["at"] = self.at
        if self.exact is None or self.norm is None:
            return out | dict(
                value=None, exact=None, norm=None, norm_value=None, differentiable=False
            )
        return out | dict(
            value=[float(v) for v in self.exact],
            exact=self.exact,
            norm=self.norm,
            norm_value=float(self.norm),
        )

    def figures(self) -> tuple[Figure, ...]:
        if self.at is None:
            return ()
        at = tuple(float(v) for v in self.at)
        return (Point(at), GradientField(at, self.exprs))


def run(ctx: Context, params: Params) -> Section:
    name = ctx.name
    nabla = Label(f"∇{name.text}", f"\\nabla {name.latex}")
    components = Label(
        "(" + ", ".join(ctx.partial_label(v).text for v in ctx.variables) + ")",
        "\\left(" + ", ".join(ctx.partial_label(v).latex for v in ctx.variables) + "\\right)",
    )
    grad = [ordered(g) for g in ctx.gradient]
    form = sigma_form(ctx)
    steps = [] if form is None else [gradient_step(ctx, form)]
    shown = grad if form is None else [form.first[v] for v in ctx.variables]
    # in σ, each component was just written out: the vector is named, not repeated
    chain = (components, vector(grad)) if form is None else (components,)
    steps.append(Step.of(phrasing.text("gradient.vector.title"), Equation.chain(nabla, *chain)))
    result = Gradient(tuple(ctx.gradient))
    points = ctx.random_points()
    where = "gradient.check"  # at the point, if asked, and random points
    if params.at is not None:
        at = ctx.point(params.at, "at")
        exact = tuple(ctx.at(g, at) for g in ctx.gradient)
        title = phrasing.title("at.title", point=phrasing.point(at))
        if all(defined(v) for v in exact):
            steps.append(_at_step(ctx, at, grad, list(exact), ctx.kink_at(at)))
            result = Gradient(tuple(ctx.gradient), at, exact)
            points = [tuple(float(v) for v in at), *points]
        else:
            where = "gradient.check.random"
            blocks = not_differentiable(ctx, tuple(ctx.gradient), at)
            steps.append(Step(title, tuple(blocks)))
            result = Gradient(tuple(ctx.gradient), at)
    check = gradient_check(
        ctx.judge,
        ctx.variables,
        ctx.gradient,
        points,
        phrasing.text(where, f=name.text, n=len(points)),
    )
    checks = [check] if form is None else [sigma_check(ctx, shown, list(ctx.gradient)), check]
    params_out = {"at": [str(v) for v in result.at]} if result.at is not None else {}
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


MAX_SHOWN_SUBSTITUTION_OPS = 40


def _at_step(
    ctx: Context,
    at: tuple[sp.Expr, ...],
    grad: list[sp.Expr],
    exact: list[sp.Expr],
    kink: sp.Expr | None = None,
) -> Step:
    """∇f at the point, the substitution shown, and its length; on a kink, what it is not."""
    values = dict(zip(ctx.variables, at, strict=True))
    norm = sp.sqrt(sum(v**2 for v in exact))
    label = phrasing.applied(ctx.name, at, ("∇", "\\nabla "))
    norm_label = Label(f"|{label.text}|", f"\\left|{label.latex}\\right|")
    squares = sp.Add(*(sp.Pow(v, 2, evaluate=False) for v in exact), evaluate=False)
    # the squares written out help for a few components; twelve of them are only a long line
    shown = [Link(sp.Pow(squares, sp.S.Half, evaluate=False))] if len(exact) <= 4 else []
    norm_links = [*shown, Link(norm)]
    if not norm.is_Rational:
        norm_links.append(Link(sp.Float(float(norm), 10), relation="≈"))
    # The substitution written out helps while it fits on a line; a sum over data rows does not.
    small = sum(sp.count_ops(g) for g in grad) <= MAX_SHOWN_SUBSTITUTION_OPS
    chain = ([vector([substitute(g, values) for g in grad])] if small else []) + [vector(exact)]
    return Step.of(
        phrasing.title("at.title", point=phrasing.point(at)),
        Equation.chain(label, *chain),
        Equation(norm_label, tuple(norm_links)),
        phrasing.say("gradient.meaning")
        if kink is None
        else phrasing.say("at.kink", f=ctx.name, point=phrasing.point(at), u=ordered(kink)),
    )


def vector(entries: list[sp.Expr]) -> sp.Matrix:
    """A column vector that keeps each entry's shown form."""
    return sp.ImmutableMatrix(len(entries), 1, entries)
