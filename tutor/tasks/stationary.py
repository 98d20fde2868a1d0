"""``stationary_points``: solve ∇f = 0 (linear systems by elimination) and classify each point."""

from __future__ import annotations

from typing import Any

import pydantic
import sympy as sp

from ..calculus.hessian import Curvature, classify
from ..calculus.linsolve import Elimination, eliminate, is_linear
from ..document import Check, Equation, Label, Link, Paragraph, Section, Step
from ..expr import ordered
from ..numeric import tolerance
from ..numeric.verify import autograd_gradient, hessian_check
from ..render.mathprint import math_text
from .context import Context
from .gradient import vector

NAME = "stationary_points"
NEWTON_STARTS = 24


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


def run(ctx: Context, params: Params) -> Section:
    grad = list(ctx.gradient)
    variables = list(ctx.variables)
    steps = [
        Step.of(
            f"Set ∇{ctx.name.text} = 0",
            Paragraph.of("A stationary point is where every partial derivative is zero:"),
            *(Equation.chain(ordered(g), 0, tag=str(i + 1)) for i, g in enumerate(grad)),
        )
    ]
    points: list[dict[sp.Symbol, sp.Expr]] = []
    if is_linear(grad, variables):
        run_ = eliminate(grad, variables)
        steps.extend(_elimination_steps(run_))
        if run_.solution is not None and not run_.free:
            points = [run_.solution]
        elif run_.solution is not None:
            free = ", ".join(v.name for v in run_.free)
            steps.append(
                Step.of(
                    "Infinitely many",
                    Paragraph.of(
                        f"The equations are dependent (rank {run_.rank} < {len(variables)}): every "
                        f"point of this family, for any {free}, is stationary:",
                    ),
                    Equation.chain(
                        vector(variables), vector([run_.solution[v] for v in variables])
                    ),
                )
            )
        else:
            steps.append(
                Step.of(
                    "No solution",
                    Paragraph.of(
                        "The equations contradict each other: there is no stationary point."
                    ),
                )
            )
    else:
        points, words = _nonlinear(ctx, grad)
        steps.append(Step("Solve the system", (Paragraph.of(words),)))
    h = ctx.hessian
    kinds = []
    for point in points:
        at = h.subs(point)
        curvature = classify(at)
        kinds.append(curvature.kind)
        coords = ", ".join(f"{v.name} = {math_text(point[v])}" for v in variables)
        where = ", ".join(math_text(point[v]) for v in variables)
        steps.append(
            Step.of(
                f"Classify ({where})",
                Equation.chain(
                    Label(f"H({where})", "H"),
                    sp.ImmutableMatrix(at),
                ),
                Paragraph(_eigen_parts(coords, curvature)),
            )
        )
    result = {
        "points": [
            {
                **{v.name: str(p[v]) for v in variables},
                "kind": kind,
                **({"numeric": True} if any(p[v].is_Float for v in variables) else {}),
            }
            for p, kind in zip(points, kinds, strict=True)
        ]
    }
    checks = [_zero_gradient_check(ctx, p) for p in points]
    checks += [
        hessian_check(
            ctx.judge,
            ctx.variables,
            h,
            [tuple(float(p[v]) for v in variables)],
            "Hessian against torch.autograd.functional.hessian",
        )
        for p in points
    ]
    return Section(NAME, "Stationary points", {}, result, tuple(steps), tuple(checks))


def _nonlinear(ctx: Context, grad: list[sp.Expr]) -> tuple[list[dict[sp.Symbol, sp.Expr]], str]:
    """Real solutions of ∇f = 0 by SymPy's solve; where it cannot, numeric roots from a grid of
    starting points (Newton's method in mpmath), marked as numeric."""
    variables = list(ctx.variables)
    try:
        found = sp.solve(grad, variables, dict=True)
    except (NotImplementedError, ValueError, TypeError):
        found = None
    if found is not None and all(set(p) >= set(variables) for p in found):
        real = [p for p in found if all(p[v].is_real for v in variables)]
        dropped = len(found) - len(real)
        extra = (
            f"; {dropped} complex solution(s) are not stationary points of a real f"
            if (dropped)
            else ""
        )
        return (
            real,
            f"The system is not linear; SymPy's solve gives {len(real)} real solution(s){extra}.",
        )
    roots = _numeric_roots(ctx, grad)
    return roots, (
        "SymPy cannot solve this system exactly, so its roots were found numerically (Newton's "
        f"method from {NEWTON_STARTS} starting points, to 15 digits): {len(roots)} found. "
        "Numeric roots can miss some; these are marked as numeric."
    )


def _numeric_roots(ctx: Context, grad: list[sp.Expr]) -> list[dict[sp.Symbol, sp.Expr]]:
    from ..numeric.verify import sample_points

    variables = list(ctx.variables)
    roots: list[dict[sp.Symbol, sp.Expr]] = []
    for start in sample_points(variables, NEWTON_STARTS, seed=ctx.seed):
        try:
            value = sp.nsolve(grad, variables, list(start), prec=20)
        except (ValueError, ZeroDivisionError, TypeError):
            continue
        point = [sp.S.Zero if abs(float(v)) < 1e-12 else sp.Float(v, 15) for v in value]
        if not all(p.is_real for p in point):
            continue
        if any(
            max(abs(float(p - q[v])) for p, v in zip(point, variables, strict=True)) < 1e-8
            for q in roots
        ):
            continue
        roots.append(dict(zip(variables, point, strict=True)))
    return sorted(roots, key=lambda p: [float(p[v]) for v in variables])


def _eigen_parts(coords: str, curvature: Curvature) -> tuple[Any, ...]:
    parts: list[Any] = [f"At {coords} the eigenvalues of H are "]
    for i, value in enumerate(curvature.shown):
        parts += [", " if i else "", value]
    signs = {
        "minimum": ", all > 0",
        "maximum": ", all < 0",
        "saddle": ", of both signs",
        "degenerate": ", one of them 0",
    }
    return (*parts, f"{signs[curvature.kind]}: {curvature.verdict}.")


def _elimination_steps(run: Elimination) -> list[Step]:
    steps = []
    for op in run.operations:
        if op.kind == "eliminate":
            steps.append(
                Step.of(op.description, Equation.chain(ordered(op.equation), 0, tag=str(op.label)))
            )
        elif op.kind == "solve" and op.solved is not None:
            var, value = op.solved
            title = op.description[0].upper() + op.description[1:]
            if title.startswith("("):
                title = f"Solve {title} for {var.name}"
            steps.append(
                Step.of(
                    title,
                    Equation.chain(
                        ordered(op.equation),
                        0,
                        Link(sp.Eq(var, ordered(value), evaluate=False), relation="⇒"),
                    ),
                )
            )
        else:
            steps.append(
                Step.of(
                    op.description,
                    Paragraph.of(
                        "Dependent: this equation says nothing new."
                        if op.kind == "dependent"
                        else "Contradiction: no point satisfies every equation."
                    ),
                )
            )
    return steps


def _zero_gradient_check(ctx: Context, point: dict[sp.Symbol, sp.Expr]) -> Check:
    import torch

    f = ctx.judge
    coords = [float(point[v]) for v in ctx.variables]
    x = torch.tensor(coords, dtype=torch.float64, requires_grad=True)
    g = autograd_gradient(f(*x.unbind()), x)
    return Check.numeric(
        what=f"autograd gradient is zero at ({', '.join(f'{c:.6g}' for c in coords)})",
        method="torch.autograd.grad (float64)",
        error=float(g.abs().max()),
        tolerance=100 * tolerance.float64(max(abs(c) for c in coords)),
        points=(tuple(coords),),
    )
