"""``taylor``: f near x₀ as f(x₀) + ∇f·δ + ½ δᵀHδ (any order for one variable), and for a
displacement δ the exact change beside the first- and second-order estimates (ch3, 3.4)."""

from __future__ import annotations

from typing import Any

import pydantic
import sympy as sp

from ..calculus.rules import times
from ..document import Check, Equation, Label, Link, Paragraph, Section, Step, Table
from ..errors import InputError
from ..expr import ordered
from ..numeric import tolerance
from ..numeric.verify import gradient_check, hessian_check
from .context import Context, defined, not_differentiable
from .gradient import vector

NAME = "taylor"
MAX_ORDER_1D = 10
FORMULAS = {
    1: Label("f(x₀) + ∇f(x₀)·δ", r"f(x_0) + \nabla f(x_0) \cdot \delta"),
    2: Label(
        "f(x₀) + ∇f(x₀)·δ + ½ δᵀH(x₀)δ",
        r"f(x_0) + \nabla f(x_0) \cdot \delta + \tfrac{1}{2} \delta^T H(x_0) \delta",
    ),
    0: Label("Σₖ f⁽ᵏ⁾(x₀)/k!·δᵏ", r"\sum_k \frac{f^{(k)}(x_0)}{k!} \delta^k"),
}


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any
    order: int = 2
    displacement: Any = None


def run(ctx: Context, params: Params) -> Section:
    at = ctx.point(params.at, "at")
    n = len(ctx.variables)
    top = MAX_ORDER_1D if n == 1 else 2
    if not 1 <= params.order <= top:
        raise InputError(
            f"order must be from 1 to {top}" + ("" if n == 1 else " for several variables"),
            key="order",
        )
    where = ctx.point_text(at)
    f0 = ctx.at(ctx.problem.objective, at)
    grad = [ctx.at(g, at) for g in ctx.gradient]
    hess = ctx.hessian.applyfunc(lambda e: ctx.at(e, at)) if params.order >= 2 else None
    needed = [f0, *grad, *(hess if hess is not None else [])]
    params_out = {"at": [str(v) for v in at], "order": params.order}
    if not all(defined(v) for v in needed):
        exprs = (ctx.problem.objective, *ctx.gradient, *(ctx.hessian if hess is not None else []))
        blocks = not_differentiable(ctx, exprs, at, "twice " if hess is not None else "")
        blocks.append(Paragraph.of("A Taylor expansion needs those derivatives at the point."))
        return Section(
            NAME,
            "Taylor expansion",
            params_out,
            {"expansion": None},
            (Step("Not differentiable here", tuple(blocks)),),
        )
    deltas = [v - a for v, a in zip(ctx.variables, at, strict=True)]
    shown_deltas = [_shift(v, a) for v, a in zip(ctx.variables, at, strict=True)]
    steps = [_values_step(ctx, where, f0, grad, hess)]
    if n == 1 and params.order > 2:
        expansion, shown = _series(ctx, at[0], params.order)
    else:
        expansion = f0 + sum(g * d for g, d in zip(grad, deltas, strict=True))
        shown_terms = [f0, *(times(g, s) for g, s in zip(grad, shown_deltas, strict=True))]
        if hess is not None:
            quad = sum(hess[i, j] * deltas[i] * deltas[j] for i in range(n) for j in range(n))
            expansion += quad / 2
            for i in range(n):
                shown_terms.append(
                    times(hess[i, i] / 2, sp.Pow(shown_deltas[i], 2, evaluate=False))
                )
                for j in range(i + 1, n):  # H is symmetric: ½(Hᵢⱼ + Hⱼᵢ) = Hᵢⱼ
                    shown_terms.append(times(hess[i, j], shown_deltas[i], shown_deltas[j]))
        shown = sp.Add(*(t for t in shown_terms if t != 0), evaluate=False)
    expansion = sp.expand(expansion)
    formula = FORMULAS.get(params.order, FORMULAS[0])
    label = Label(f"T{params.order}(x)", f"T_{{{params.order}}}(x)")
    steps.append(
        Step.of(
            f"The expansion of order {params.order} around {where}",
            Paragraph.of("With δ = x − x₀:"),
            Equation(label, (Link(formula), Link(shown), Link(ordered(expansion), note="expand"))),
        )
    )
    result: dict[str, Any] = {"expansion": str(expansion)}
    point = tuple(float(v) for v in at)
    checks = [
        gradient_check(
            ctx.judge,
            ctx.variables,
            [sp.diff(expansion, v) for v in ctx.variables],
            [point],
            "∇T equals ∇f at x₀ (autograd on f)",
        ),
    ]
    if params.order >= 2:
        what = "the Hessian of T equals autograd's Hessian of f at x₀"
        t_hessian = sp.hessian(expansion, ctx.variables)
        checks.append(hessian_check(ctx.judge, ctx.variables, t_hessian, [point], what))
    if params.displacement is not None:
        delta = ctx.point(params.displacement, "displacement")
        params_out["displacement"] = [str(d) for d in delta]
        step, change = _displacement_step(ctx, at, delta, f0, grad, hess)
        steps.append(step)
        result["displacement"] = change
        checks.append(_change_check(ctx, at, delta, change["exact_change"]))
    return Section(NAME, "Taylor expansion", params_out, result, tuple(steps), tuple(checks))


def _shift(v: sp.Symbol, a: sp.Expr) -> sp.Expr:
    """``(x − a)`` kept as written; just ``x`` when a = 0."""
    return v if a == 0 else sp.Add(v, -a, evaluate=False)


def _series(ctx: Context, a: sp.Expr, order: int) -> tuple[sp.Expr, sp.Expr]:
    x = ctx.variables[0]
    f = ctx.problem.objective
    terms, shown = [], []
    derivative = f
    for k in range(order + 1):
        value = sp.simplify(derivative.subs(x, a))
        if not defined(value):
            raise InputError(f"the derivative of order {k} is undefined at {a}", key="at")
        coeff = value / sp.factorial(k)
        terms.append(coeff * (x - a) ** k)
        if coeff != 0:
            shift = _shift(x, a)
            power = sp.S.One if k == 0 else shift if k == 1 else sp.Pow(shift, k, evaluate=False)
            shown.append(times(coeff, power))
        derivative = sp.diff(derivative, x)
    if not shown:  # f is 0: so is every derivative
        return sp.S.Zero, sp.S.Zero
    return sp.Add(*terms), sp.Add(*shown, evaluate=False) if len(shown) > 1 else shown[0]


def _values_step(
    ctx: Context, where: str, f0: sp.Expr, grad: list[sp.Expr], hess: sp.Matrix | None
) -> Step:
    name = ctx.name
    blocks = [
        Equation.chain(Label(f"{name.text}{where}", f"{name.latex}{where}"), f0),
        Equation.chain(Label(f"∇{name.text}{where}", rf"\nabla {name.latex}{where}"), vector(grad)),
    ]
    if hess is not None:
        blocks.append(Equation.chain(Label(f"H{where}", f"H{where}"), sp.ImmutableMatrix(hess)))
    return Step(f"At {where}", tuple(blocks))


def _displacement_step(
    ctx: Context,
    at: tuple[sp.Expr, ...],
    delta: tuple[sp.Expr, ...],
    f0: sp.Expr,
    grad: list[sp.Expr],
    hess: sp.Matrix | None,
) -> tuple[Step, dict[str, Any]]:
    moved = tuple(a + d for a, d in zip(at, delta, strict=True))
    exact = sp.nsimplify(ctx.at(ctx.problem.objective, moved) - f0)
    first = sum(g * d for g, d in zip(grad, delta, strict=True))
    rows = [
        ("exact: f(x₀ + δ) − f(x₀)", exact, sp.S.Zero),
        ("first order: ∇f·δ", first, exact - first),
    ]
    change: dict[str, Any] = {
        "exact_change": str(exact),
        "exact_value": float(exact),
        "first_order": float(first),
    }
    if hess is not None:
        d = sp.Matrix(delta)
        second = first + (d.T * hess * d)[0] / 2
        rows.append(("second order: ∇f·δ + ½δᵀHδ", second, exact - second))
        change["second_order"] = float(second)
    where = ctx.point_text(moved)
    table = Table(
        ("estimate", "δf", "error"),
        tuple((label, value, abs(err)) for label, value, err in rows),
    )
    step = Step.of(
        f"The change for δ = {ctx.point_text(delta)}",
        Paragraph.of(
            f"{ctx.name.text}{where} − {ctx.name.text}{ctx.point_text(at)} = ",
            exact,
            f" (≈ {float(exact):.10g}). The estimates from the derivatives at x₀:",
        ),
        table,
    )
    return step, change


def _change_check(
    ctx: Context, at: tuple[sp.Expr, ...], delta: tuple[sp.Expr, ...], exact: str
) -> Check:
    import torch

    f = ctx.judge
    x = torch.tensor([float(v) for v in at], dtype=torch.float64)
    d = torch.tensor([float(v) for v in delta], dtype=torch.float64)
    change = float(f(*(x + d).unbind()) - f(*x.unbind()))
    scale = abs(float(f(*x.unbind()))) + 1
    return Check.numeric(
        what="the exact change against torch in float64",
        method="torch (float64)",
        error=abs(change - float(sp.sympify(exact))),
        tolerance=tolerance.zero(scale),
        points=(tuple(x.tolist()),),
    )
