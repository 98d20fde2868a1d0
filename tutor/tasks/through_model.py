"""A logistic loss differentiated through its model, as a textbook writes it.

Each row's term log(1 + e^ŷ) − y·ŷ has slope σ(ŷ) − y in ŷ, so ∂L/∂wⱼ = (1/m) Σᵢ (σ(ŷᵢ) −
yᵢ)·∂ŷᵢ/∂wⱼ and ∂²L/∂wⱼ∂wₖ = (1/m) Σᵢ [σ(ŷᵢ)(1 − σ(ŷᵢ))·∂ŷᵢ/∂wⱼ·∂ŷᵢ/∂wₖ + (σ(ŷᵢ) − yᵢ)·∂²ŷᵢ/∂wⱼ∂wₖ].
The rules give the same functions as quotients of exponentials no teacher would hand out;
this module writes them in σ, and a check compares each σ form with what the rules derived.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .. import phrasing
from ..calculus.equality import decide
from ..calculus.sigmoid import sigmoid
from ..document import Block, Check, Equation, Label, Link, Step
from ..expr import ordered
from .context import Context

_SLOPE = Label("σ(ŷ) − y", r"\sigma(\hat{y}) - y")
#: Beyond this many rows a σ form is a sum as long as the data: the rules' form is shown.
MAX_ROWS = 40
#: Rows written out term by term before the sum is collected.
WRITTEN_ROWS = 8


@dataclass(frozen=True)
class SigmaForm:
    """∂L/∂wⱼ in σ, collected, and written row by row (None past :data:`WRITTEN_ROWS`)."""

    first: dict[sp.Symbol, sp.Expr]
    written: dict[sp.Symbol, sp.Expr | None]
    slopes: dict[sp.Symbol, sp.Expr]


def sigma_form(ctx: Context) -> SigmaForm | None:
    """The σ form of the gradient, for a logistic loss over at most :data:`MAX_ROWS` rows."""
    model = ctx.problem.model
    if model is None or not model.loss.score or model.data.m > MAX_ROWS:
        return None
    y = model.data.column(model.output)
    columns = {s: model.data.column(s.name) for s in model.inputs}
    first: dict[sp.Symbol, sp.Expr] = {}
    written: dict[sp.Symbol, sp.Expr | None] = {}
    slopes = {v: ordered(sp.simplify(sp.diff(model.rhs, v))) for v in ctx.variables}
    for v in ctx.variables:
        terms, shown = [], []
        for i in range(model.data.m):
            point = {s: col[i] for s, col in columns.items()}
            score = model.rhs.xreplace(point)
            slope = sp.diff(model.rhs, v).xreplace(point)
            terms.append((sigmoid(score) - y[i]) * slope)
            residual = sigmoid(ordered(score))
            if y[i] != 0:
                residual = sp.Add(residual, -y[i], evaluate=False)
            shown.append(residual if slope == 1 else sp.Mul(slope, residual, evaluate=False))
        first[v] = ordered(sp.expand(model.scale * sp.Add(*terms)))
        total = sp.Add(*shown, evaluate=False) if len(shown) > 1 else shown[0]
        written[v] = (
            (total if model.scale == 1 else sp.Mul(model.scale, total, evaluate=False))
            if model.data.m <= WRITTEN_ROWS
            else None
        )
    return SigmaForm(first, written, slopes)


def second(form: SigmaForm, u: sp.Symbol, v: sp.Symbol) -> sp.Expr:
    """∂²L/∂u∂v in σ: the derivative of the σ form, with σ' = σ(1 − σ), each term written
    c·σ(ŷ)(1 − σ(ŷ)) as a textbook orders it."""
    return sp.Add(*map(_textbook, ordered(sp.diff(form.first[u], v)).args), evaluate=False)


def _textbook(term: sp.Expr) -> sp.Expr:
    """c·(1 − σ(u))·σ(u), SymPy's order, as c·σ(u)(1 − σ(u))."""
    factors = sp.Mul.make_args(term)
    sig = [f for f in factors if isinstance(f, sigmoid)]
    rest = [f for f in factors if not isinstance(f, sigmoid) and not f.has(sigmoid)]
    other = [f for f in factors if f not in sig and f not in rest]
    if len(sig) != 1 or len(other) != 1:
        return term
    return sp.Mul(*rest, sig[0], other[0], evaluate=False)


def gradient_step(ctx: Context, form: SigmaForm) -> Step:
    """The chain rule through ŷ, and each ∂L/∂wⱼ in σ."""
    model = ctx.problem.model
    assert model is not None
    name = ctx.name
    text, latex = model.loss.slope_shown
    scale_text, scale_latex = model.loss.scale_shown
    general = Label(
        f"{scale_text}Σᵢ {text}·∂ŷᵢ/∂wⱼ",
        rf"{scale_latex} \sum_i {latex} \frac{{\partial \hat{{y}}_i}}{{\partial w_j}}",
    )
    row = Label(f"∂{name.text}/∂wⱼ", rf"\frac{{\partial {name.latex}}}{{\partial w_j}}")
    blocks: list[Block] = [
        phrasing.say(
            "model.chain",
            rhs=model.rhs_shown,
            row=Label("log(1 + e^ŷ) − y·ŷ", r"\log\left(1 + e^{\hat{y}}\right) - y \hat{y}"),
            slope=_SLOPE,
            sigma=Label("σ(u) = 1/(1 + e^(−u))", r"\sigma(u) = \frac{1}{1 + e^{-u}}"),
        ),
        Equation.chain(row, general),
    ]
    yhat = Label("ŷ", r"\hat{y}")
    for v in ctx.variables:
        blocks.append(Equation.chain(phrasing.partial(yhat, v), form.slopes[v]))
    blocks.append(phrasing.say("model.rows", count=model.data.m, m=model.data.m))
    for v in ctx.variables:
        shown = form.written[v]
        links = ([Link(shown)] if shown is not None else []) + [Link(form.first[v])]
        blocks.append(Equation(ctx.partial_label(v), tuple(links)))
    return Step(phrasing.text("model.title"), tuple(blocks))


def hessian_step(ctx: Context, form: SigmaForm) -> Step:
    """The second derivative through ŷ, and each entry of H in σ."""
    model = ctx.problem.model
    assert model is not None
    scale_text, scale_latex = model.loss.scale_shown
    general = Label(
        f"{scale_text}Σᵢ [σ(ŷᵢ)(1 − σ(ŷᵢ))·∂ŷᵢ/∂wⱼ·∂ŷᵢ/∂wₖ + (σ(ŷᵢ) − yᵢ)·∂²ŷᵢ/∂wⱼ∂wₖ]",
        rf"{scale_latex} \sum_i \Bigl[\sigma(\hat{{y}}_i)\bigl(1 - \sigma(\hat{{y}}_i)\bigr)"
        r" \frac{\partial \hat{y}_i}{\partial w_j} \frac{\partial \hat{y}_i}{\partial w_k}"
        r" + \bigl(\sigma(\hat{y}_i) - y_i\bigr)"
        r" \frac{\partial^2 \hat{y}_i}{\partial w_j \partial w_k}\Bigr]",
    )
    name = ctx.name
    entry = Label(
        f"∂²{name.text}/∂wⱼ∂wₖ", rf"\frac{{\partial^2 {name.latex}}}{{\partial w_j \partial w_k}}"
    )
    blocks: list[Block] = [
        phrasing.say(
            "model.second",
            rhs=model.rhs_shown,
            prime=Label("σ′ = σ(1 − σ)", r"\sigma' = \sigma (1 - \sigma)"),
            slope=_SLOPE,
            rate=Label("σ(ŷ)(1 − σ(ŷ))", r"\sigma(\hat{y})\bigl(1 - \sigma(\hat{y})\bigr)"),
        ),
        Equation.chain(entry, general),
        phrasing.say("model.rows", count=model.data.m, m=model.data.m),
    ]
    n = len(ctx.variables)
    for i in range(n):
        for j in range(i, n):
            u, v = ctx.variables[i], ctx.variables[j]
            blocks.append(Equation.chain(ctx.second_label(i, j), second(form, u, v)))
    return Step(phrasing.text("model.title"), tuple(blocks))


def sigma_check(ctx: Context, shown: list[sp.Expr], derived: list[sp.Expr]) -> Check:
    """Each σ form against the rules' derivative: the page shows the one that was checked."""
    failed = 0
    for a, b in zip(shown, derived, strict=True):
        if decide(a.rewrite(sp.exp), b, ctx.variables) is not True:
            failed += 1
    return Check.symbolic(
        what=phrasing.text("model.check", f=ctx.name.text),
        method=phrasing.text("method.sigma"),
        count=len(shown),
        failed=failed,
    )
