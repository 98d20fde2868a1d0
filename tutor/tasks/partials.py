"""``partials``: each partial derivative, step by step, with the rules named, then simplified."""

from __future__ import annotations

import pydantic
import sympy as sp

from ..calculus.diffsteps import ChainRule, Rule, Unsupported, rule_names, verify
from ..document import Check, Equation, Link, Paragraph, Section, Step
from ..expr import ordered
from ..numeric.verify import gradient_check
from .context import Context

NAME = "partials"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


def run(ctx: Context, params: Params) -> Section:
    steps = [derivation_step(ctx, var, i) for i, var in enumerate(ctx.variables)]
    name = ctx.name.text
    checks = [step_check(ctx)]
    points = ctx.random_points()
    checks.append(
        gradient_check(
            ctx.problem.objective,
            ctx.variables,
            ctx.gradient,
            points,
            f"every ∂{name}/∂· against autograd at {len(points)} random points",
        )
    )
    result = {v.name: str(g) for v, g in zip(ctx.variables, ctx.gradient, strict=True)}
    return Section(NAME, "Partial derivatives", {}, result, tuple(steps), tuple(checks))


def derivation_step(ctx: Context, var: sp.Symbol, index: int) -> Step:
    """∂f/∂var as the lesson writes it: the rules applied in one line, then simplified."""
    rule = ctx.rule(var)
    final = ctx.gradient[index]
    others = [v for v in ctx.variables if v != var]
    held = f", holding {_join_names(others)} constant" if others else ""
    blocks: list[Paragraph | Equation] = [
        Paragraph.of(f"Differentiate {ctx.name.text} with respect to ", var, f"{held}.")
    ]
    links = [Link(rule.applied, note=", ".join(rule_names(rule, inner=False)))]
    if sp.srepr(ordered(final)) != sp.srepr(rule.applied):
        links.append(Link(ordered(final), note="expand and collect"))
    blocks.append(Equation(ctx.partial_label(var), tuple(links)))
    blocks.extend(_chain_notes(rule))
    if any(isinstance(r, Unsupported) for r in rule.walk()):
        blocks.append(
            Paragraph.of(
                "Part of this derivative has no step-by-step rule yet; SymPy's diff supplied it."
            )
        )
    return Step(ctx.partial_label(var), tuple(blocks))


def _chain_notes(rule: Rule) -> list[Paragraph]:
    """One line per outermost chain rule: the inner function u and its derivative."""
    notes = []
    stack = [rule]
    while stack:
        node = stack.pop(0)
        if isinstance(node, ChainRule) and node.inner is not None:
            notes.append(
                Paragraph.of(
                    f"Chain rule ({node.outer_name}) with u = ",
                    node.u,
                    ", where ∂u/∂",
                    node.var,
                    " = ",
                    ordered(node.inner.result),
                    f" ({', '.join(rule_names(node.inner))})",
                )
            )
            continue
        stack.extend(node.substeps)
    return notes


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
