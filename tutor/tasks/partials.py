"""``partials``: each partial derivative, step by step, with the rules named, then simplified."""

from __future__ import annotations

import pydantic
import sympy as sp

from ..document import Check, Paragraph, Section, Step
from ..numeric.verify import gradient_check
from .context import Context
from .derivation import derivation_blocks, derivation_checks

NAME = "partials"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


def run(ctx: Context, params: Params) -> Section:
    steps = [derivation_step(ctx, i) for i in range(len(ctx.variables))]
    name = ctx.name.text
    points = ctx.random_points()
    checks = [
        *step_checks(ctx),
        gradient_check(
            ctx.judge,
            ctx.variables,
            ctx.gradient,
            points,
            f"every ∂{name}/∂· against autograd at {len(points)} random points",
        ),
    ]
    result = {v.name: str(g) for v, g in zip(ctx.variables, ctx.gradient, strict=True)}
    return Section(NAME, "Partial derivatives", {}, result, tuple(steps), tuple(checks))


def derivation_step(ctx: Context, index: int) -> Step:
    """∂f/∂var as the lesson writes it: the rules applied in one line, then simplified."""
    var = ctx.variables[index]
    others = [v for v in ctx.variables if v != var]
    held = f", holding {_join_names(others)} constant" if others else ""
    intro = Paragraph.of(f"Differentiate {ctx.name.text} with respect to ", var, f"{held}.")
    final, note = ctx.tidied[index]
    label = ctx.partial_label(var)
    blocks = derivation_blocks(ctx.rule(var), label, final, note, ctx.detail)
    return Step(label, (intro, *blocks))


def step_checks(ctx: Context) -> list[Check]:
    """Every line of every partial's derivation compared with ``sympy.diff``."""
    return derivation_checks([ctx.rule(var) for var in ctx.variables])


def _join_names(symbols: list[sp.Symbol]) -> str:
    names = [s.name for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
