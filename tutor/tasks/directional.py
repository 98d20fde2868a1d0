"""``directional_derivative``: the rate of change along a direction, three ways.

The notes (gradients-backprop-basics): normalise the direction (its direction cosines
cos α, cos β), evaluate the limit definition lim_{t→0⁺} (f(x₀ + t·u) − f(x₀))/t, and the
formula ∇f·u; then the steepest direction ∇f/|∇f| and its rate |∇f|.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..budget import OverBudget, within
from ..calculus.equality import same_number
from ..document import Block, Check, Equation, Label, Link, Section, Step
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import tolerance
from ..outcome import Figure, GradientField, Outcome, Point
from .context import Context, defined, not_differentiable
from .gradient import vector

NAME = "directional_derivative"
#: The message key of its section\'s title.
TITLE = "directional.title"
_U, _L = sp.Symbol("u"), sp.Symbol("l")
COSINES = ("α", "β", "γ", "δ", "ε")
#: Seconds for SymPy's limit; past it the limit is shown unevaluated and checked numerically.
LIMIT_BUDGET = 5.0
COSINES_LATEX = ("alpha", "beta", "gamma", "delta", "epsilon")


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any
    direction: Any = None
    angle: Any = None


@dataclass(frozen=True, eq=False, repr=False)
class Directional(Outcome):
    """The rate of change at ``at`` along the unit direction ``u``: exact, with the steepest
    direction and its rate when f is differentiable there (else the one-sided limit)."""

    at: tuple[sp.Expr, ...]
    gradient: tuple[sp.Expr, ...]
    unit: tuple[sp.Expr, ...] | None
    exact: sp.Expr | None = None
    max_rate: sp.Expr | None = None
    max_direction: tuple[sp.Expr, ...] | None = None
    differentiable: bool = True

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.unit is None else {"unit_direction": self.unit}
        value = float(self.exact) if self.exact is not None and defined(self.exact) else None
        out |= {
            "exact": self.exact,
            "value": value,
            "max_rate": self.max_rate,
            "max_direction": self.max_direction,
        }
        return out if self.differentiable else out | {"differentiable": False}

    def figures(self) -> tuple[Figure, ...]:
        at = tuple(float(v) for v in self.at)
        return (Point(at), GradientField(at, self.gradient))


def run(ctx: Context, params: Params) -> Section:
    at = ctx.point(params.at, "at")
    d = _direction(ctx, params)
    n = len(ctx.variables)
    length = sp.sqrt(sum(c**2 for c in d))
    u = tuple(sp.radsimp(c / length) for c in d)
    name, where = ctx.name.text, phrasing.point(at)
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
            simpler = sp.simplify(quotient)
            limit = sp.simplify(sp.limit(simpler, t, 0, "+"))
    except (OverBudget, NotImplementedError, ValueError, TypeError):  # SymPy's limit gave up
        simpler = quotient
        limit = sp.Limit(quotient, t, 0, "+")  # shown as a limit, and checked numerically
    moved_label = Label(f"{name}({where.text} + t·u)", rf"{ctx.name.latex}(x_0 + t u)")
    start_label = Label(f"{name}{where.text}", rf"{ctx.name.latex}(x_0)")
    quotient_label = Label(
        f"({name}({where.text} + t·u) − {name}{where.text})/t",
        rf"\frac{{{ctx.name.latex}(x_0 + t u) - {ctx.name.latex}(x_0)}}{{t}}",
    )
    steps.append(
        Step.of(
            phrasing.text("directional.limit.title"),
            phrasing.say("directional.move", point=where, t=t, u=_U),
            Equation.chain(moved_label, ordered(moved)),
            Equation.chain(start_label, ordered(f0)),
            phrasing.say("directional.quotient"),
            Equation(quotient_label, _distinct(_written_quotient(moved, f0, t), simpler)),
            phrasing.say("directional.to_zero", t=t),
            Equation.chain(sp.Limit(ordered(simpler), t, 0, "+"), ordered(limit)),
        )
    )
    grad = [ctx.at(g, at) for g in ctx.gradient]
    checks: list[Check] = []
    gradient = tuple(ctx.gradient)
    dot = sp.S.NaN
    if all(defined(g) for g in grad):
        dot = sp.radsimp(sp.simplify(sum(g * c for g, c in zip(grad, u, strict=True))))
    evaluated = not isinstance(limit, sp.Limit)
    if defined(dot) and not (evaluated and not same_number(limit, dot)):
        steps.append(_formula_step(ctx, at, grad, u, dot, evaluated))
        norm = sp.sqrt(sum(g**2 for g in grad))
        steps.append(_steepest_step(ctx, at, grad, norm))
        steepest = tuple(sp.radsimp(g / norm) if norm != 0 else sp.S.Zero for g in grad)
        result = Directional(at, gradient, u, dot, sp.radsimp(norm), steepest)
        checks.append(_agree(limit, dot))
        checks.append(_jvp_check(ctx, at, u, dot))
    else:
        nabla = phrasing.nabla(ctx.name)
        blocks: list[Block] = (
            not_differentiable(ctx, gradient, at)
            if not defined(dot)
            else [
                phrasing.say(
                    "directional.differs",
                    dot=(_grad_dot_u(ctx), " = ", dot),
                    rule=_grad_dot_u(ctx),
                    f=ctx.name,
                    point=where,
                    u=_U,
                    limit=ordered(limit),
                )
            ]
        )
        if not defined(dot):
            blocks.append(phrasing.say("directional.one_sided", grad=nabla, limit=ordered(limit)))
        steps.append(Step(phrasing.text("directional.not_differentiable.title"), tuple(blocks)))
        result = Directional(at, gradient, u, limit, differentiable=False)
        checks.append(_one_sided_check(ctx, at, u, limit))
    params_out = {"at": [str(v) for v in at], "direction": [str(c) for c in d]}
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


def _undefined_at(
    ctx: Context, at: tuple[sp.Expr, ...], d: tuple[sp.Expr, ...], f0: sp.Expr, steps: list[Step]
) -> Section:
    """f has no value at the point (atanh at 1): no rate of change there, and nothing to check."""
    where = phrasing.point(at)
    steps.append(
        Step.of(
            phrasing.text("directional.undefined.title"),
            phrasing.say(
                "directional.undefined",
                value=phrasing.applied(ctx.name, at),
                f0=ordered(f0),
                f=ctx.name,
            ),
        )
    )
    check = Check.unchecked(
        what=phrasing.text("directional.check.rate"),
        method=phrasing.text("method.none"),
        reason=phrasing.text("directional.check.undefined", f=ctx.name.text, point=where.text),
    )
    result = Directional(at, tuple(ctx.gradient), None)
    params_out = {"at": [str(v) for v in at], "direction": [str(c) for c in d]}
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), (check,))


def _grad_dot_u(ctx: Context) -> Label:
    """∇f·u in the problem's name for f."""
    return Label(f"∇{ctx.name.text}·u", rf"\nabla {ctx.name.latex} \cdot u")


def _written_quotient(moved: sp.Expr, start: sp.Expr, t: sp.Symbol) -> sp.Expr:
    """(f(x₀ + t·u) − f(x₀))/t with both values written out, nothing cancelled yet."""
    terms = list(ordered(moved).args) if moved.is_Add else [ordered(moved)]
    if start != 0:
        lead = -start if start.is_Number else sp.Mul(-1, ordered(start), evaluate=False)
        terms.append(lead)
    numerator = sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
    return sp.Mul(numerator, sp.Pow(t, -1, evaluate=False), evaluate=False)


def _distinct(*exprs: sp.Expr) -> tuple[Link, ...]:
    """Links for a chain, leaving out a step that shows the same thing again."""
    links: list[Link] = []
    for e in exprs:
        if not links or not phrasing.reads_same(ordered(e), links[-1].expr):
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
            raise exc.with_key("angle") from None
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
        cosines = [Label(f"cos {COSINES[i]}", rf"\cos\{COSINES_LATEX[i]}") for i in range(n)]
        blocks.append(
            phrasing.say("directional.cosines", cosines=phrasing.listed(cosines), u=_U, l=_L)
        )
        for i in range(n):
            blocks.append(
                Equation.chain(Label(f"cos {COSINES[i]}", rf"\cos\{COSINES_LATEX[i]}"), u[i])
            )
    return Step(phrasing.text("directional.unit.title"), tuple(blocks))


def _formula_step(
    ctx: Context,
    at: tuple[sp.Expr, ...],
    grad: list[sp.Expr],
    u: tuple[sp.Expr, ...],
    dot: sp.Expr,
    evaluated: bool,
) -> Step:
    where = phrasing.point(at)
    terms = sp.Add(
        *(sp.Mul(g, c, evaluate=False) for g, c in zip(grad, u, strict=True)), evaluate=False
    )
    label = Label(
        f"∂{ctx.name.text}/∂l{where.text}",
        rf"\frac{{\partial {ctx.name.latex}}}{{\partial l}}{where.latex}",
    )
    return Step.of(
        phrasing.title("directional.formula.title", grad=phrasing.nabla(ctx.name)),
        Equation.chain(phrasing.applied(ctx.name, at, ("∇", "\\nabla ")), vector(grad)),
        Equation(
            label,
            (
                Link(_grad_dot_u(ctx)),
                Link(terms),
                Link(dot),
                *((Link(sp.Float(float(dot), 10), relation="≈"),) if not dot.is_Rational else ()),
            ),
        ),
        phrasing.say("directional.same" if evaluated else "directional.same.unchecked"),
    )


def _steepest_step(
    ctx: Context, at: tuple[sp.Expr, ...], grad: list[sp.Expr], norm: sp.Expr
) -> Step:
    n = ctx.name.text
    title = phrasing.text("directional.steepest.title")
    if norm == 0:
        return Step.of(title, phrasing.say("directional.stationary", grad=phrasing.nabla(ctx.name)))
    return Step.of(
        title,
        phrasing.say(
            "directional.steepest",
            grad=phrasing.nabla(ctx.name),
            u=_U,
            rule=Label(
                f"∇{ctx.name.text}·u = |∇{ctx.name.text}|·cos θ",
                rf"\nabla {ctx.name.latex} \cdot u = |\nabla {ctx.name.latex}| \cos\theta",
            ),
        ),
        Equation.chain(
            Label("u*", "u^*"),
            Label(
                f"∇{n}/|∇{n}|", rf"\frac{{\nabla {ctx.name.latex}}}{{|\nabla {ctx.name.latex}|}}"
            ),
            vector([sp.radsimp(g / norm) for g in grad]),
        ),
        Equation.chain(
            _rate_label(),
            Label(f"|∇{n}|", rf"|\nabla {ctx.name.latex}|"),
            sp.radsimp(norm),
        ),
    )


def _agree(limit: sp.Expr, dot: sp.Expr) -> Check:
    return Check.symbolic(
        what=phrasing.text("directional.check.agree"),
        method=phrasing.text("method.directional.exact"),
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
        what=phrasing.text("directional.check.jvp"),
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
            what=phrasing.text("directional.check.one_sided"),
            method=phrasing.text("method.finite_difference"),
            reason=phrasing.text("directional.check.infinite", limit=str(limit)),
        )
    f, x, v = _in_torch(ctx, at, u)
    h = 1e-7
    quotient = float((f(*(x + h * v).unbind()) - f(*x.unbind())) / h)
    return Check.numeric(
        what=phrasing.text("directional.check.one_sided.h", h="1e-7"),
        method=phrasing.text("method.finite_difference"),
        error=abs(quotient - float(limit)),
        tolerance=tolerance.finite_difference(),
        points=(tuple(x.tolist()),),
    )


def _rate_label() -> Label:
    """The word "rate" as the left side of an equation, in the solution's language."""
    word = phrasing.text("directional.rate")
    return Label(word, rf"\text{{{word}}}")
