"""``taylor``: f near x₀ as f(x₀) + ∇f·δ + ½ δᵀHδ (any order for one variable), and for a
displacement δ the exact change beside the first- and second-order estimates (ch3, 3.4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..calculus.rules import times
from ..document import Check, Equation, Label, Link, Section, Step, Table
from ..errors import InputError
from ..expr import ordered
from ..numeric import tolerance
from ..outcome import Figure, Outcome, Point, Tangent
from .context import Context, defined, gradient_check, hessian_check, not_differentiable
from .gradient import vector

NAME = "taylor"
#: The message key of its section\'s title.
TITLE = "taylor.title"
MAX_ORDER_1D = 10


def _formula(order: int, f: Label) -> Label:
    """The expansion's general form in the problem's own name for f."""
    t, x = f.text, f.latex
    if order == 1:
        return Label(f"{t}(x₀) + ∇{t}(x₀)·δ", rf"{x}(x_0) + \nabla {x}(x_0) \cdot \delta")
    if order == 2:
        return Label(
            f"{t}(x₀) + ∇{t}(x₀)·δ + ½ δᵀH(x₀)δ",
            rf"{x}(x_0) + \nabla {x}(x_0) \cdot \delta + \tfrac{{1}}{{2}} \delta^T H(x_0) \delta",
        )
    return Label(f"Σₖ {t}⁽ᵏ⁾(x₀)/k!·δᵏ", rf"\sum_k \frac{{{x}^{{(k)}}(x_0)}}{{k!}} \delta^k")


@dataclass(frozen=True, eq=False, repr=False)
class Taylor(Outcome):
    """The expansion around ``at`` (None where f is not differentiable enough there), and for
    a displacement the exact change beside the estimates."""

    at: tuple[sp.Expr, ...]
    expansion: sp.Expr | None
    slope: sp.Expr | None = None
    change: sp.Expr | None = None
    first: sp.Expr | None = None
    second: sp.Expr | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"expansion": self.expansion}
        if self.change is not None and self.first is not None:
            out["displacement"] = {
                "exact_change": self.change,
                "exact_value": float(self.change),
                "first_order": float(self.first),
                **({"second_order": float(self.second)} if self.second is not None else {}),
            }
        return out

    def figures(self) -> tuple[Figure, ...]:
        at = tuple(float(v) for v in self.at)
        if len(at) == 1 and self.slope is not None:
            return (Point(at), Tangent(at[0], float(self.slope)))
        return (Point(at),)


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
        if n == 1:
            raise InputError("order must be from 1 to {top}", key="order", top=top)
        raise InputError(
            "order must be from 1 to {top} for several variables", key="order", top=top
        )
    where = phrasing.point(at)
    f0 = ctx.at(ctx.problem.objective, at)
    grad = [ctx.at(g, at) for g in ctx.gradient]
    hess = ctx.hessian.applyfunc(lambda e: ctx.at(e, at)) if params.order >= 2 else None
    needed = [f0, *grad, *(hess if hess is not None else [])]
    params_out = {"at": [str(v) for v in at], "order": params.order}
    if not all(defined(v) for v in needed):
        exprs = (ctx.problem.objective, *ctx.gradient, *(ctx.hessian if hess is not None else []))
        blocks = not_differentiable(ctx, exprs, at, twice=hess is not None)
        blocks.append(phrasing.say("taylor.needs"))
        return Section(
            NAME,
            phrasing.text(TITLE),
            params_out,
            Taylor(at, None),
            (Step(phrasing.text("directional.not_differentiable.title"), tuple(blocks)),),
        )
    deltas = [v - a for v, a in zip(ctx.variables, at, strict=True)]
    shown_deltas = [_shift(v, a) for v, a in zip(ctx.variables, at, strict=True)]
    steps = [_values_step(ctx, at, f0, grad, hess)]
    coeffs: list[sp.Expr] = []
    if n == 1 and params.order > 2:
        expansion, shown, coeffs = _series(ctx, at[0], params.order)
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
    formula = _formula(params.order, ctx.name)
    label = Label(f"T{params.order}(x)", f"T_{{{params.order}}}(x)")
    steps.append(
        Step.of(
            phrasing.title("taylor.expansion.title", order=params.order, point=where),
            phrasing.say("taylor.delta"),
            Equation(label, _links(formula, shown, ordered(expansion))),
        )
    )
    slope = grad[0] if n == 1 else None
    result = Taylor(at, expansion, slope)
    point = tuple(float(v) for v in at)
    checks = [
        gradient_check(
            ctx.judge,
            ctx.variables,
            [sp.diff(expansion, v) for v in ctx.variables],
            [point],
            phrasing.text("taylor.check.gradient", f=ctx.name.text),
        ),
    ]
    if params.order >= 2:
        what = phrasing.text("taylor.check.hessian", f=ctx.name.text)
        t_hessian = sp.hessian(expansion, ctx.variables)
        checks.append(hessian_check(ctx.judge, ctx.variables, t_hessian, [point], what))
    if params.displacement is not None:
        delta = ctx.point(params.displacement, "displacement")
        params_out["displacement"] = [str(d) for d in delta]
        step, (change, first, second) = _displacement_step(ctx, at, delta, f0, grad, hess, coeffs)
        steps.append(step)
        result = Taylor(at, expansion, slope, change, first, second)
        checks.append(_change_check(ctx, at, delta, change))
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


def _links(formula: Label, shown: sp.Expr, expanded: sp.Expr) -> tuple[Link, ...]:
    """The general form, the terms, and the expansion, a line that reads the same as the one
    before it left out (T₁(x) = x = x says nothing twice)."""
    links = [Link(formula), Link(shown)]
    terms = {sp.expand(t) for t in sp.Add.make_args(shown)}
    reordered = terms == set(sp.Add.make_args(expanded))  # the same terms, sorted: no news
    if not reordered and not phrasing.reads_same(shown, expanded):
        links.append(Link(expanded, note=phrasing.text("note.expand")))
    return tuple(links)


def _shift(v: sp.Symbol, a: sp.Expr) -> sp.Expr:
    """``(x − a)`` kept as written; just ``x`` when a = 0."""
    return v if a == 0 else sp.Add(v, -a, evaluate=False)


def _series(ctx: Context, a: sp.Expr, order: int) -> tuple[sp.Expr, sp.Expr, list[sp.Expr]]:
    """T of ``order`` around ``a`` (one variable), as written, and its coefficients
    f⁽ᵏ⁾(a)/k! for k = 0..order."""
    x = ctx.variables[0]
    f = ctx.problem.objective
    terms, shown, coeffs = [], [], []
    derivative = f
    for k in range(order + 1):
        value = sp.simplify(derivative.subs(x, a))
        if not defined(value):
            raise InputError("the derivative of order {k} is undefined at {a}", key="at", k=k, a=a)
        coeff = value / sp.factorial(k)
        coeffs.append(coeff)
        terms.append(coeff * (x - a) ** k)
        if coeff != 0:
            shift = _shift(x, a)
            power = sp.S.One if k == 0 else shift if k == 1 else sp.Pow(shift, k, evaluate=False)
            shown.append(times(coeff, power))
        derivative = sp.diff(derivative, x)
    if not shown:  # f is 0: so is every derivative
        return sp.S.Zero, sp.S.Zero, coeffs
    written = sp.Add(*shown, evaluate=False) if len(shown) > 1 else shown[0]
    return sp.Add(*terms), written, coeffs


def _error(err: sp.Expr) -> sp.Expr:
    """|error| exactly when it is a fraction, else to 10 digits (|e^(1/2) − 13/8| is
    0.02387212707 to a reader)."""
    size = sp.Abs(err)
    return size if size.is_Rational else sp.Float(float(size), 10)


def _values_step(
    ctx: Context, at: tuple[sp.Expr, ...], f0: sp.Expr, grad: list[sp.Expr], hess: sp.Matrix | None
) -> Step:
    h = Label("H", "H")
    blocks = [
        Equation.chain(phrasing.applied(ctx.name, at), f0),
        Equation.chain(phrasing.applied(ctx.name, at, ("∇", "\\nabla ")), vector(grad)),
    ]
    if hess is not None:
        blocks.append(Equation.chain(phrasing.applied(h, at), sp.ImmutableMatrix(hess)))
    return Step(phrasing.title("at.title", point=phrasing.point(at)), tuple(blocks))


def _displacement_step(
    ctx: Context,
    at: tuple[sp.Expr, ...],
    delta: tuple[sp.Expr, ...],
    f0: sp.Expr,
    grad: list[sp.Expr],
    hess: sp.Matrix | None,
    coeffs: list[sp.Expr] | None = None,
) -> tuple[Step, tuple[sp.Expr, sp.Expr, sp.Expr | None]]:
    """The exact change against the estimate of each order (every order of a series)."""
    moved = tuple(a + d for a, d in zip(at, delta, strict=True))
    exact = sp.nsimplify(ctx.at(ctx.problem.objective, moved) - f0)
    first = sum(g * d for g, d in zip(grad, delta, strict=True))
    f = ctx.name.text
    rows = [
        (phrasing.text("taylor.row.exact", f=f), exact, sp.S.Zero),
        (phrasing.text("taylor.row.first", f=f), first, exact - first),
    ]
    second = None
    if hess is not None:
        d = sp.Matrix(delta)
        second = first + (d.T * hess * d)[0] / 2
        rows.append((phrasing.text("taylor.row.second", f=f), second, exact - second))
    estimate = second
    for k, c in enumerate((coeffs or [])[3:], start=3):
        estimate = sp.radsimp(estimate + c * delta[0] ** k)
        rows.append((phrasing.text("taylor.row.order", f=f, k=k), estimate, exact - estimate))
    headers = tuple(phrasing.text(f"taylor.column.{k}") for k in ("estimate", "change", "error"))
    table = Table(headers, tuple((label, value, _error(err)) for label, value, err in rows))
    step = Step.of(
        phrasing.title("taylor.change.title", delta=phrasing.point(delta)),
        phrasing.say(
            "taylor.change",
            moved=phrasing.applied(ctx.name, moved),
            start=phrasing.applied(ctx.name, at),
            exact=exact,
            approx=phrasing.decimal(float(exact)),
        ),
        table,
    )
    return step, (exact, first, second)


def _change_check(
    ctx: Context, at: tuple[sp.Expr, ...], delta: tuple[sp.Expr, ...], exact: sp.Expr
) -> Check:
    import torch

    f = ctx.judge
    x = torch.tensor([float(v) for v in at], dtype=torch.float64)
    d = torch.tensor([float(v) for v in delta], dtype=torch.float64)
    change = float(f(*(x + d).unbind()) - f(*x.unbind()))
    scale = abs(float(f(*x.unbind()))) + 1
    return Check.numeric(
        what=phrasing.text("taylor.check.change"),
        method="torch (float64)",
        error=abs(change - float(exact)),
        tolerance=tolerance.zero(scale),
        points=(tuple(x.tolist()),),
    )
