"""``directional_derivative``: the rate of change along a direction, three ways.

The notes (gradients-backprop-basics): normalise the direction (its direction cosines
cos α, cos β), evaluate the limit definition lim_{t→0⁺} (f(x₀ + t·u) − f(x₀))/t, and the
formula ∇f·u; then the steepest direction ∇f/|∇f| and its rate |∇f|.
"""

from __future__ import annotations

from typing import Any

import pydantic
import sympy as sp

from ..budget import OverBudget, within
from ..calculus.equality import same_number
from ..document import Block, Check, Equation, Label, Link, Paragraph, Section, Step
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import tolerance
from ..render.mathprint import math_text
from .context import Context, defined, not_differentiable
from .gradient import vector

NAME = "directional_derivative"
COSINES = ("α", "β", "γ", "δ", "ε")
#: Seconds for SymPy's limit; past it the limit is shown unevaluated and checked numerically.
LIMIT_BUDGET = 5.0
COSINES_LATEX = ("alpha", "beta", "gamma", "delta", "epsilon")


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any
    direction: Any = None
    angle: Any = None


def run(ctx: Context, params: Params) -> Section:
    at = ctx.point(params.at, "at")
    d = _direction(ctx, params)
    n = len(ctx.variables)
    length = sp.sqrt(sum(c**2 for c in d))
    u = tuple(sp.radsimp(c / length) for c in d)
    name, where = ctx.name.text, ctx.point_text(at)
    steps = [_unit_step(d, u, length, n)]
    t = sp.Symbol("t", positive=True)
    moved = ctx.problem.objective.subs(
        {v: a + t * c for v, a, c in zip(ctx.variables, at, u, strict=True)}, simultaneous=True
    )
    f0 = ctx.at(ctx.problem.objective, at)
    if not defined(f0):
        return _undefined_at(ctx, at, d, f0, steps)
    quotient = (moved - f0) / t
    try:
        with within(LIMIT_BUDGET):
            limit = sp.simplify(sp.limit(quotient, t, 0, "+"))
    except (OverBudget, NotImplementedError, ValueError, TypeError):  # SymPy's limit gave up
        limit = sp.Limit(quotient, t, 0, "+")  # shown as a limit, and checked numerically
    limit_label = Label(
        f"lim_{{t→0⁺}} ({name}({where} + t·u) − {name}{where})/t",
        rf"\lim_{{t \to 0^+}} \frac{{{ctx.name.latex}(x_0 + t u) - {ctx.name.latex}(x_0)}}{{t}}",
    )
    steps.append(
        Step.of(
            "The limit definition",
            Paragraph.of("Move from ", Label(where, where), " a distance t along u:"),
            Equation.chain(
                Label(f"{name}({where} + t·u)", rf"{ctx.name.latex}(x_0 + t u)"), ordered(moved)
            ),
            Equation(limit_label, _distinct(sp.simplify(quotient), limit)),
        )
    )
    grad = [ctx.at(g, at) for g in ctx.gradient]
    result: dict[str, Any] = {"unit_direction": [str(c) for c in u]}
    checks: list[Check] = []
    if all(defined(g) for g in grad):
        dot = sp.radsimp(sp.simplify(sum(g * c for g, c in zip(grad, u, strict=True))))
        steps.append(_formula_step(ctx, at, grad, u, dot))
        norm = sp.sqrt(sum(g**2 for g in grad))
        steps.append(_steepest_step(ctx, at, grad, norm))
        result.update(
            exact=str(dot),
            value=float(dot),
            max_rate=str(sp.radsimp(norm)),
            max_direction=[str(sp.radsimp(g / norm)) if norm != 0 else "0" for g in grad],
        )
        checks.append(_agree(limit, dot))
        checks.append(_jvp_check(ctx, at, u, dot))
    else:
        blocks: list[Block] = not_differentiable(ctx, tuple(ctx.gradient), at)
        blocks.append(
            Paragraph.of(
                "The formula ∇f·u needs the gradient, so only the one-sided limit above gives "
                "the rate along u: ",
                ordered(limit),
                ".",
            )
        )
        steps.append(Step("Not differentiable here", tuple(blocks)))
        result.update(
            exact=str(limit),
            value=float(limit) if defined(limit) else None,
            max_rate=None,
            max_direction=None,
            differentiable=False,
        )
        checks.append(_one_sided_check(ctx, at, u, limit))
    params_out = {"at": [str(v) for v in at], "direction": [str(c) for c in d]}
    return Section(NAME, "Directional derivative", params_out, result, tuple(steps), tuple(checks))


def _undefined_at(
    ctx: Context, at: tuple[sp.Expr, ...], d: tuple[sp.Expr, ...], f0: sp.Expr, steps: list[Step]
) -> Section:
    """f has no value at the point (atanh at 1): no rate of change there, and nothing to check."""
    name, where = ctx.name.text, ctx.point_text(at)
    steps.append(
        Step.of(
            "Not defined here",
            Paragraph.of(
                f"{name}{where} = ",
                ordered(f0),
                f" is not a finite real number, so {name} has "
                "no rate of change at this point in any direction.",
            ),
        )
    )
    check = Check.unchecked(
        what="the rate of change along u",
        method="none",
        reason=f"{name} is not defined at {where}",
    )
    result = {"exact": None, "value": None, "max_rate": None, "max_direction": None}
    params_out = {"at": [str(v) for v in at], "direction": [str(c) for c in d]}
    return Section(NAME, "Directional derivative", params_out, result, tuple(steps), (check,))


def _distinct(*exprs: sp.Expr) -> tuple[Link, ...]:
    """Links for a chain, leaving out a step that shows the same thing again."""
    links: list[Link] = []
    for e in exprs:
        if not links or math_text(ordered(e)) != math_text(links[-1].expr):
            links.append(Link(ordered(e)))
    return tuple(links)


def _direction(ctx: Context, params: Params) -> tuple[sp.Expr, ...]:
    if (params.direction is None) == (params.angle is None):
        raise InputError("give either direction (a vector) or angle (degrees)", key="direction")
    if params.angle is not None:
        if len(ctx.variables) != 2:
            raise InputError("angle needs exactly 2 variables; give direction instead", key="angle")
        try:
            degrees = parse_number(params.angle)
        except ExpressionError as exc:
            raise InputError(exc.message, key="angle") from None
        radians = degrees * sp.pi / 180
        return (sp.cos(radians), sp.sin(radians))
    d = ctx.point(params.direction, "direction")
    if all(c == 0 for c in d):
        raise InputError("the direction must not be the zero vector", key="direction")
    return d


def _unit_step(d: tuple[sp.Expr, ...], u: tuple[sp.Expr, ...], length: sp.Expr, n: int) -> Step:
    blocks: list[Block] = [
        Equation.chain(Label("l", "l"), vector(list(d))),
        Equation.chain(
            Label("|l|", "|l|"),
            sp.sqrt(sp.Add(*(sp.Pow(c, 2, evaluate=False) for c in d), evaluate=False)),
            sp.radsimp(length),
        ),
        Equation.chain(Label("u", "u"), Label("l/|l|", r"\frac{l}{|l|}"), vector(list(u))),
    ]
    if n <= len(COSINES):
        names = ", ".join(f"cos {COSINES[i]}" for i in range(n))
        blocks.append(
            Paragraph.of(
                f"The components of u are the direction cosines ({names}): the cosines of "
                "the angles between l and each axis."
            )
        )
        for i in range(n):
            blocks.append(
                Equation.chain(Label(f"cos {COSINES[i]}", rf"\cos\{COSINES_LATEX[i]}"), u[i])
            )
    return Step("The unit vector", tuple(blocks))


def _formula_step(
    ctx: Context,
    at: tuple[sp.Expr, ...],
    grad: list[sp.Expr],
    u: tuple[sp.Expr, ...],
    dot: sp.Expr,
) -> Step:
    where = ctx.point_text(at)
    terms = sp.Add(
        *(sp.Mul(g, c, evaluate=False) for g, c in zip(grad, u, strict=True)), evaluate=False
    )
    label = Label(
        f"∂{ctx.name.text}/∂l{where}", rf"\frac{{\partial {ctx.name.latex}}}{{\partial l}}"
    )
    return Step.of(
        f"The formula ∇{ctx.name.text}·u",
        Equation.chain(
            Label(f"∇{ctx.name.text}{where}", rf"\nabla {ctx.name.latex}{where}"), vector(grad)
        ),
        Equation(
            label,
            (
                Link(Label(f"∇{ctx.name.text}·u", rf"\nabla {ctx.name.latex} \cdot u")),
                Link(terms),
                Link(dot),
                *((Link(sp.Float(float(dot), 10), relation="≈"),) if not dot.is_Rational else ()),
            ),
        ),
        Paragraph.of("The limit definition gives the same number."),
    )


def _steepest_step(
    ctx: Context, at: tuple[sp.Expr, ...], grad: list[sp.Expr], norm: sp.Expr
) -> Step:
    n = ctx.name.text
    if norm == 0:
        return Step.of(
            "The steepest direction",
            Paragraph.of(
                f"∇{ctx.name.text} = 0 here: every direction has rate 0 (a stationary point)."
            ),
        )
    return Step.of(
        "The steepest direction",
        Paragraph.of(f"∇{n}·u = |∇{n}|·cos θ is largest when u points along ∇{n}:"),
        Equation.chain(
            Label("u*", "u^*"),
            Label(
                f"∇{n}/|∇{n}|", rf"\frac{{\nabla {ctx.name.latex}}}{{|\nabla {ctx.name.latex}|}}"
            ),
            vector([sp.radsimp(g / norm) for g in grad]),
        ),
        Equation.chain(
            Label("rate", r"\text{rate}"),
            Label(f"|∇{n}|", rf"|\nabla {ctx.name.latex}|"),
            sp.radsimp(norm),
        ),
    )


def _agree(limit: sp.Expr, dot: sp.Expr) -> Check:
    return Check.symbolic(
        what="the limit definition equals ∇f·u",
        method="exact values: equal exactly, else to 50 of 60 digits",
        count=1,
        failed=0 if same_number(limit, dot) else 1,
    )


def _in_torch(ctx: Context, at: tuple[sp.Expr, ...], u: tuple[sp.Expr, ...]) -> tuple[Any, ...]:
    """f compiled to torch, the point and the unit direction as float64 tensors."""
    import torch

    f = ctx.judge
    x = torch.tensor([float(v) for v in at], dtype=torch.float64)
    v = torch.tensor([float(c) for c in u], dtype=torch.float64)
    return f, x, v


def _jvp_check(
    ctx: Context, at: tuple[sp.Expr, ...], u: tuple[sp.Expr, ...], dot: sp.Expr
) -> Check:
    import torch

    f, x, v = _in_torch(ctx, at, u)
    _, jvp = torch.autograd.functional.jvp(lambda t: f(*t.unbind()), x, v)
    err = abs(float(jvp) - float(dot))
    return Check.numeric(
        what="∇f·u against a torch Jacobian-vector product",
        method="torch.autograd.functional.jvp (float64)",
        error=err,
        tolerance=tolerance.float64(float(dot)),
        points=(tuple(x.tolist()),),
    )


def _one_sided_check(
    ctx: Context, at: tuple[sp.Expr, ...], u: tuple[sp.Expr, ...], limit: sp.Expr
) -> Check:
    """Where autograd has no gradient, a one-sided difference quotient in float64."""
    if not defined(limit):
        return Check.unchecked(
            what="the one-sided limit against a forward difference",
            method="finite difference (float64)",
            reason=f"the limit is not a finite real number ({limit})",
        )
    f, x, v = _in_torch(ctx, at, u)
    h = 1e-7
    quotient = float((f(*(x + h * v).unbind()) - f(*x.unbind())) / h)
    return Check.numeric(
        what="the one-sided limit against a forward difference (h = 1e-7)",
        method="finite difference (float64)",
        error=abs(quotient - float(limit)),
        tolerance=tolerance.finite_difference(),
        points=(tuple(x.tolist()),),
    )
