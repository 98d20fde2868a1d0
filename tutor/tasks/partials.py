"""``partials``: each partial derivative, step by step, with the rules named, then simplified."""

from __future__ import annotations

import pydantic
import sympy as sp

from ..calculus.diffsteps import verify
from ..document import Check, Paragraph, Section, Step
from ..numeric.verify import gradient_check
from .context import Context
from .derivation import derivation_blocks

NAME = "partials"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


def run(ctx: Context, params: Params) -> Section:
    steps = [derivation_step(ctx, i) for i in range(len(ctx.variables))]
    name = ctx.name.text
    points = ctx.random_points()
    checks = [
        step_check(ctx),
        gradient_check(
            ctx.problem.objective,
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


def step_check(ctx: Context) -> Check:
    """Every rule application of every partial compared with ``sympy.diff``."""
    count, failed = 0, 0
    for var in ctx.variables:
        rule = ctx.rule(var)
        count += sum(1 for _ in rule.walk())
        failed += len(verify(rule))
    return Check(
        f"all {count} rule applications against sympy.diff",
        "symbolic (sympy.diff)",
        float(failed),
        0.0,
        (),
    )


def _join_names(symbols: list[sp.Symbol]) -> str:
    names = [s.name for s in symbols]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
