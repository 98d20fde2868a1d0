"""``partials``: each partial derivative, step by step, with the rules named, then simplified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..document import Check, Section, Step
from ..outcome import Outcome
from .context import Context, gradient_check
from .derivation import derivation_blocks, derivation_checks

NAME = "partials"
#: The message key of its section\'s title.
TITLE = "partials.title"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


@dataclass(frozen=True, eq=False, repr=False)
class Partials(Outcome):
    """Each partial derivative, tidy, by variable."""

    variables: tuple[sp.Symbol, ...]
    derivatives: tuple[sp.Expr, ...]

    def to_json(self) -> dict[str, Any]:
        return {v.name: g for v, g in zip(self.variables, self.derivatives, strict=True)}


def run(ctx: Context, params: Params) -> Section:
    steps = [derivation_step(ctx, i) for i in range(len(ctx.variables))]
    points = ctx.random_points()
    checks = [
        *step_checks(ctx),
        gradient_check(
            ctx.judge,
            ctx.variables,
            ctx.gradient,
            points,
            phrasing.text("partials.check", f=ctx.name.text, n=len(points)),
        ),
    ]
    result = Partials(ctx.variables, ctx.gradient)
    title = phrasing.text(TITLE)
    return Section(NAME, title, {}, result, tuple(steps), tuple(checks))


def derivation_step(ctx: Context, index: int) -> Step:
    """∂f/∂var as the lesson writes it: the rules applied in one line, then simplified."""
    var = ctx.variables[index]
    others = [v for v in ctx.variables if v != var]
    if others:
        intro = phrasing.say(
            "partials.differentiate.holding", f=ctx.name, x=var, others=_join_names(others)
        )
    else:
        intro = phrasing.say("partials.differentiate", f=ctx.name, x=var)
    final, note = ctx.tidied[index]
    label = ctx.partial_label(var)
    blocks = derivation_blocks(ctx.rule(var), label, final, note, ctx.detail)
    return Step(label, (intro, *blocks))


def step_checks(ctx: Context) -> list[Check]:
    """Every line of every partial's derivation compared with ``sympy.diff``."""
    return derivation_checks([ctx.rule(var) for var in ctx.variables])


def _join_names(symbols: list[sp.Symbol]) -> tuple[Any, ...]:
    if len(symbols) == 1:
        return (symbols[0],)
    return (*phrasing.listed(symbols[:-1]), phrasing.text("and"), symbols[-1])
