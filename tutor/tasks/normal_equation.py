"""``normal_equation``: least squares in matrix form, X^T X ŵ = X^T y, solved exactly.

Lessons 5 and 6: the matrix form, E(ŵ) = (y − Xŵ)^T(y − Xŵ) expanded and differentiated,
the concrete X^T X and X^T y, the solution; a singular X^T X explained and answered with
ridge, (X^T X + λI)^{-1} X^T y, or the minimum-norm solution.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pydantic
import sympy as sp

from .. import phrasing
from ..calculus.linear import NormalSolution, null_direction, solve_normal
from ..calculus.linsolve import eliminate, is_linear
from ..design import EXACT_SUMS_BUDGET, exact_matrices, float_columns
from ..document import Block, Check, Equation, Label, Link, Section, Step
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import tolerance
from ..numeric.stats import (
    FloatFit,
    Moments,
    gram_least_squares,
    lstsq_error_bound,
    moments,
    normal_bound,
    svd_least_squares,
)
from ..numeric.twin import at_point, with_ridge
from ..outcome import Figure, Fit, Minimum, Outcome
from ..problem import Model
from .context import Context
from .gradient import vector

NAME = "normal_equation"
#: The message key of its section\'s title.
TITLE = "normal.title"
SHOWN_ROWS = 8


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    ridge: Any = None


@dataclass(frozen=True, eq=False, repr=False)
class NormalEquation(Outcome):
    """The least-squares weights ŵ, the rank of XᵀX, how ŵ was found, and the model it fits
    (for the figure of the data and the fitted curve)."""

    variables: tuple[sp.Symbol, ...]
    solution: tuple[sp.Expr, ...]
    rank: int
    singular: bool
    method: str
    model: Model
    ridge: sp.Expr | None = None
    #: Float data: the significant digits of ŵ its error bound guarantees (exact: None).
    digits: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "solution": {v.name: w for v, w in zip(self.variables, self.solution, strict=True)},
            "rank": self.rank,
            "singular": self.singular,
            "method": self.method,
        }
        if self.digits is not None:
            out["digits"] = self.digits
        return out if self.ridge is None else out | {"ridge": self.ridge}

    def figures(self) -> tuple[Figure, ...]:
        weights = tuple(float(w) for w in self.solution)
        return (Minimum(weights), *fit_figure(self.model, self.variables, self.solution))


def fit_figure(
    model: Model, variables: tuple[sp.Symbol, ...], weights: tuple[sp.Expr, ...]
) -> tuple[Figure, ...]:
    """The data and the fitted curve, for a model of one input (data in memory)."""
    if len(model.inputs) != 1 or model.data.partitioned is not None:
        return ()
    fitted = model.rhs.xreplace(dict(zip(variables, weights, strict=True)))
    return (
        Fit(
            fitted=fitted,
            curve=model.loss.probability(fitted),
            input=model.inputs[0],
            output=model.output,
            x=model.data.arrays[model.inputs[0].name],
            y=model.data.arrays[model.output],
            score=model.loss.score,
        ),
    )


W = Label("ŵ", r"\hat{w}")
XTX = Label("XᵀX", "X^T X")
XTY = Label("Xᵀy", "X^T y")


def run(ctx: Context, params: Params) -> Section:
    model = ctx.problem.model
    if model is None:
        raise InputError("normal_equation needs a model fitted to data (model, data, loss)")
    if not model.loss.least_squares:
        raise InputError(
            "normal_equation solves least squares; the {key_} loss has no closed form: use "
            "gradient_descent",
            key_=model.loss.key,
        )
    if model.design is None:
        names = ", ".join(v.name for v in ctx.variables)
        raise InputError(
            "the model {output} = {value} is not linear in {names}: the normal equation needs ŷ = "
            "w₁·(feature₁) + w₂·(feature₂) + ...; use stationary_points or gradient_descent "
            "instead",
            output=model.output,
            value=phrasing.plain(model.rhs),
            names=names,
        )
    ridge = _ridge(params.ridge)
    gram, moment, x_rows, y_rows = _matrices(model)
    fit: FloatFit | None = None
    if all(e.is_Rational for e in (*gram, *moment)):
        sol = solve_normal(gram, moment, ridge)
    elif model.data.partitioned is not None:  # X never in memory: from XᵀX, κ² and all
        assert model.moments is not None
        fit = gram_least_squares(model.moments, float(ridge) if ridge is not None else None)
        n = len(ctx.variables)
        answer = sp.Matrix([sp.Float(float(v), 15) for v in fit.solution])
        sol = NormalSolution(gram, moment, fit.rank, fit.rank < n, answer, "gram")
    else:  # float data: the SVD of X itself, never the inverse of a float XᵀX
        columns, target = float_columns(model.design, model.data, model.output)
        fit = svd_least_squares(columns, target, float(ridge) if ridge is not None else None)
        n = len(ctx.variables)
        answer = sp.Matrix([sp.Float(float(v), 15) for v in fit.solution])
        sol = NormalSolution(gram, moment, fit.rank, fit.rank < n, answer, "svd")
    steps = [_matrix_form(ctx, model, x_rows, y_rows), _derivation(model), _numbers(gram, moment)]
    if fit is None:
        steps.append(_rank_step(ctx, sol))
        steps.append(_solve_step(ctx, sol, ridge))
    else:
        steps.append(_float_rank_step(ctx, model, fit, ridge))
    closed = _closed_form(ctx, model, gram, moment) if ridge is None and not sol.singular else None
    if closed is not None:
        steps.append(closed)
    result = NormalEquation(
        variables=ctx.variables,
        solution=tuple(_tidy(value) for value in sol.solution),
        rank=sol.rank,
        singular=sol.singular,
        method=sol.method,
        model=model,
        ridge=ridge,
        digits=fit.digits if fit is not None else None,
    )
    params_out: dict[str, Any] = {} if ridge is None else {"ridge": str(ridge)}
    if fit is None:
        checks = [
            *_orthogonality_check(model, sol, ridge),
            _lstsq_check(model, sol, ridge),
            _gradient_check(ctx, model, sol, ridge),
        ]
        agreement = _stationary_check(ctx, model, sol, ridge)
        if agreement is not None:
            checks.append(agreement)
    elif fit.from_gram:
        checks = [_judge_check(model, fit, ridge), _gradient_check(ctx, model, sol, ridge)]
    else:
        checks = [_gram_check(model, fit, ridge), _gradient_check(ctx, model, sol, ridge)]
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


def _ridge(raw: Any) -> sp.Expr | None:
    if raw is None:
        return None
    try:
        value = parse_number(raw)
    except ExpressionError as exc:
        raise exc.with_key("ridge") from None
    if not value.is_positive:
        raise InputError("ridge must be a positive number λ, got {raw!r}", key="ridge", raw=raw)
    return value


def _matrices(model: Model) -> tuple[sp.Matrix, sp.Matrix, sp.Matrix | None, sp.Matrix | None]:
    """X^T X and X^T y: exact from exact data of few rows, else float64 sums over the data."""
    assert model.design is not None
    if model.moments is None and model.data.exact is not None:
        x, y = exact_matrices(model.design, model.data, model.output)
        return x.T * x, x.T * y, x, y
    stats = model.moments
    if stats is None:
        columns, target = float_columns(model.design, model.data, model.output)
        stats = moments(columns, target)
    gram, moment = stats.symbolic()
    if model.data.m <= SHOWN_ROWS:
        columns, target = float_columns(model.design, model.data, model.output)
        x = sp.Matrix(np.stack(columns, axis=1).tolist())
        return gram, moment, x, sp.Matrix(target.tolist())
    return gram, moment, None, None


def _matrix_form(ctx: Context, model: Model, x: sp.Matrix | None, y: sp.Matrix | None) -> Step:
    assert model.design is not None
    features = phrasing.listed(
        phrasing.phrase("normal.feature", feature=f, weight=v)
        for v, f in zip(ctx.variables, model.design.features, strict=True)
    )
    blocks: list[Block] = [
        phrasing.say("normal.matrix_form", weights=phrasing.point(ctx.variables), features=features)
    ]
    if model.design.offset != 0:
        blocks.append(phrasing.say("normal.offset", offset=model.design.offset))
    if x is not None and y is not None:
        blocks.append(Equation.chain(Label("X", "X"), sp.ImmutableMatrix(x)))
        blocks.append(Equation.chain(Label("y", "y"), sp.ImmutableMatrix(y)))
    else:
        exact = model.moments is not None and model.moments.exact is not None
        source = model.data.partitioned
        if source is not None:
            how = phrasing.phrase(
                "normal.summed.partitions", parts=model.data.origin.n, source=source.given
            )
        else:
            how = phrasing.phrase("normal.summed.exact" if exact else "normal.summed.float")
        blocks.append(phrasing.say("normal.size", m=model.data.m, n=len(ctx.variables), how=how))
    blocks.append(Equation.chain(W, vector(list(ctx.variables))))
    return Step(phrasing.text("normal.matrix_form.title"), tuple(blocks))


def _derivation(model: Model) -> Step:
    e = Label("E(ŵ)", r"E(\hat{w})")
    chain = Equation(
        e,
        (
            Link(Label("‖y − Xŵ‖²", r"\lVert y - X\hat{w} \rVert^2")),
            Link(Label("(y − Xŵ)ᵀ(y − Xŵ)", r"(y - X\hat{w})^T (y - X\hat{w})")),
            Link(
                Label(
                    "yᵀy − ŵᵀXᵀy − yᵀXŵ + ŵᵀXᵀXŵ",
                    r"y^T y - \hat{w}^T X^T y - y^T X \hat{w} + \hat{w}^T X^T X \hat{w}",
                ),
                note=phrasing.text("normal.note.transpose"),
            ),
            Link(
                Label(
                    "yᵀy − 2ŵᵀXᵀy + ŵᵀXᵀXŵ", r"y^T y - 2 \hat{w}^T X^T y + \hat{w}^T X^T X \hat{w}"
                ),
                note=phrasing.text("normal.note.number"),
            ),
        ),
    )
    grad = Equation(
        Label("∂E/∂ŵ", r"\frac{\partial E}{\partial \hat{w}}"),
        (
            Link(
                Label("−2Xᵀy + 2XᵀXŵ", r"-2 X^T y + 2 X^T X \hat{w}"),
                note=phrasing.text("normal.note.derivative"),
            ),
            Link(sp.S.Zero),
            Link(Label("XᵀXŵ = Xᵀy", r"X^T X \hat{w} = X^T y"), relation="⇒"),
        ),
    )
    blocks: list[Block] = [chain, grad]
    if model.scale != 1:
        blocks.append(phrasing.say("normal.scaled", scale=model.scale))
    return Step(phrasing.text("normal.differentiate.title"), tuple(blocks))


def _numbers(gram: sp.Matrix, moment: sp.Matrix) -> Step:
    return Step.of(
        phrasing.text("normal.numbers.title"),
        Equation.chain(XTX, sp.ImmutableMatrix(gram)),
        Equation.chain(XTY, sp.ImmutableMatrix(moment)),
    )


def _rank_step(ctx: Context, sol: NormalSolution) -> Step:
    n = len(ctx.variables)
    det = sp.simplify(sol.gram.det())
    title = phrasing.text("normal.rank.title")
    blocks: list[Block] = [phrasing.say("normal.rank", rank=sol.rank, n=n, det=_tidy(det))]
    if not sol.singular:
        blocks.append(phrasing.say("normal.full_rank"))
        return Step(title, tuple(blocks))
    blocks.append(phrasing.say("normal.singular"))
    v = null_direction(sol.gram)
    if v is not None:
        blocks.append(phrasing.say("normal.null", v=vector([_tidy(e) for e in v])))
    return Step(title, tuple(blocks))


def _float_rank_step(ctx: Context, model: Model, fit: FloatFit, ridge: sp.Expr | None) -> Step:
    """Float data: rank and conditioning from the singular values of X, and the solve."""
    n = len(ctx.variables)
    sigmas = ", ".join(phrasing.decimal(float(s), 4) for s in fit.singular_values)
    blocks: list[Block] = [
        phrasing.say(
            "normal.gram_svd" if fit.from_gram else "normal.svd",
            sigmas=sigmas,
            rank=fit.rank,
            n=n,
            tolerance=phrasing.decimal(fit.rank_tolerance, 3),
        )
    ]
    if fit.rank < n:
        key = "normal.deficient" if ridge is None else "normal.deficient.ridge"
        key = "normal.deficient.gram" if fit.from_gram and ridge is None else key
        blocks.append(phrasing.say(key))
    kappa = phrasing.decimal(fit.condition, 3)
    if fit.from_gram:
        if fit.digits >= 8:
            blocks.append(phrasing.say("normal.gram_conditioned", kappa=kappa, digits=fit.digits))
        else:
            blocks.append(
                phrasing.say(
                    "normal.gram_ill_conditioned", count=fit.digits, kappa=kappa, digits=fit.digits
                )
            )
    elif fit.digits >= 12:
        blocks.append(phrasing.say("normal.conditioned", kappa=kappa, digits=fit.digits))
    else:
        blocks.append(
            phrasing.say("normal.ill_conditioned", count=fit.digits, kappa=kappa, digits=fit.digits)
        )
    # Shown to the digits the bound guarantees: no more are claimed (JSON keeps float64).
    shown = max(1, min(10, fit.digits))
    answer = vector([sp.Float(float(f"{float(v):.{shown}g}"), 15) for v in fit.solution])
    blocks.append(Equation.chain(W, answer))
    if shown < 10:
        blocks.append(phrasing.say("normal.shown_digits", digits=shown))
    return Step(phrasing.text("normal.svd.title"), tuple(blocks))


def _gram_check(model: Model, fit: FloatFit, ridge: sp.Expr | None) -> Check:
    """The SVD solution against the normal equations solved another way: the float64 XᵀX
    summed from the data, solved by Cholesky. Their error grows like κ(X)²: unchecked when
    that leaves no digit."""
    design = model.design
    assert design is not None
    bound = normal_bound(fit.condition, model.data.m)
    method = phrasing.text("method.cholesky")

    def stats() -> Moments:
        return model.moments or moments(*float_columns(design, model.data, model.output))

    return _against_cholesky(
        fit,
        ridge,
        stats,
        bound,
        phrasing.text("normal.check.cholesky"),
        (method, phrasing.text("method.cholesky.tolerance", method=method)),
        bound + fit.relative_error,
    )


def _judge_check(model: Model, fit: FloatFit, ridge: sp.Expr | None) -> Check:
    """ŵ solved from the engine's XᵀX against the judge's own sums over every row (torch
    autograd's ∂ŷ/∂w, summed in the same pass, :mod:`tutor.partitions`) solved by Cholesky.
    Both err like κ(X)²: unchecked when that leaves no digit."""
    judged = model.judged
    assert judged is not None
    method = phrasing.text("method.cholesky.judge")
    what = phrasing.text("normal.check.judge")
    bound = fit.relative_error
    return _against_cholesky(fit, ridge, lambda: judged, bound, what, (method, method), 2 * bound)


def _against_cholesky(
    fit: FloatFit,
    ridge: sp.Expr | None,
    stats: Callable[[], Moments],
    bound: float,
    what: str,
    methods: tuple[str, str],
    tolerance: float,
) -> Check:
    """``fit``'s ŵ against (XᵀX + λI)⁻¹Xᵀy from ``stats()`` by Cholesky, within
    ``tolerance``·‖ŵ‖; unchecked when the κ² ``bound`` leaves float64 no digit."""
    if (fit.rank < len(fit.solution) and ridge is None) or not bound < 1e-2:
        return Check.unchecked(
            what=what,
            method=methods[0],
            reason=phrasing.text(
                "normal.check.squared",
                kappa=f"{fit.condition:.2g}",
                squared=f"{fit.condition**2:.2g}",
            ),
        )
    sums = stats()
    gram = sums.gram + (float(ridge) * np.eye(len(fit.solution)) if ridge is not None else 0)
    factor = np.linalg.cholesky(gram)
    theirs = np.linalg.solve(factor.T, np.linalg.solve(factor, sums.moment))
    size = float(np.abs(fit.solution).max())
    return Check.numeric(
        what=what,
        method=methods[1],
        error=float(np.abs(theirs - fit.solution).max()),
        tolerance=tolerance * max(size, 1.0),
        points=(tuple(float(v) for v in fit.solution),),
    )


def _solve_step(ctx: Context, sol: NormalSolution, ridge: sp.Expr | None) -> Step:
    assert sol.inverse is not None
    answer = vector([_tidy(e) for e in sol.solution])
    if sol.method == "inverse":
        return Step.of(
            phrasing.text("normal.solve.title"),
            Equation.chain(Label("(XᵀX)⁻¹", r"(X^T X)^{-1}"), _matrix(sol.inverse)),
            Equation.chain(W, Label("(XᵀX)⁻¹Xᵀy", r"(X^T X)^{-1} X^T y"), answer),
        )
    if sol.method == "ridge":
        assert ridge is not None
        lam = sp.Eq(sp.Symbol("lambda"), ridge, evaluate=False)
        return Step.of(
            phrasing.text("normal.ridge.title"),
            phrasing.say("normal.ridge", lam=lam),
            Equation.chain(
                Label("XᵀX + λI", r"X^T X + \lambda I"),
                _matrix(sol.gram + ridge * sp.eye(sol.gram.shape[0])),
            ),
            Equation.chain(W, Label("(XᵀX + λI)⁻¹Xᵀy", r"(X^T X + \lambda I)^{-1} X^T y"), answer),
        )
    return Step.of(
        phrasing.text("normal.pinv.title"),
        phrasing.say("normal.pinv"),
        Equation.chain(W, Label("(XᵀX)⁺Xᵀy", r"(X^T X)^{+} X^T y"), answer),
        phrasing.say("normal.pinv.ridge"),
    )


def _closed_form(ctx: Context, model: Model, gram: sp.Matrix, moment: sp.Matrix) -> Step | None:
    """Lesson 5's formulas for y = w·x + b: w and b from sums over the data."""
    assert model.design is not None
    features = list(model.design.features)
    if len(features) != 2 or model.design.offset != 0 or 1 not in features:
        return None
    j1 = features.index(1)
    jx = 1 - j1
    if not features[jx].is_Symbol:
        return None
    w, b = ctx.variables[jx], ctx.variables[j1]
    m, sx, sxx = gram[j1, j1], gram[jx, j1], gram[jx, jx]
    sy, sxy = moment[j1], moment[jx]
    mean = sx / m
    w_value = (sxy - mean * sy) / (sxx - sx**2 / m)
    b_value = (sy - w_value * sx) / m
    x = features[jx].name
    return Step.of(
        phrasing.text("normal.closed.title"),
        Equation.chain(
            w,
            Label(
                f"Σyᵢ({x}ᵢ − {x}\u0304)/(Σ{x}ᵢ² − (Σ{x}ᵢ)²/m)",
                r"\frac{\sum_i y_i (x_i - \bar{x})}{\sum_i x_i^2 - (\sum_i x_i)^2 / m}",
            ),
            sp.Mul(sxy - mean * sy, sp.Pow(sxx - sx**2 / m, -1, evaluate=False), evaluate=False),
            _tidy(w_value),
        ),
        Equation.chain(
            b,
            Label(f"(1/m)Σ(yᵢ − {w.name}·{x}ᵢ)", r"\frac{1}{m} \sum_i (y_i - w x_i)"),
            _tidy(b_value),
        ),
        phrasing.say(
            "normal.closed.sums",
            m=m,
            sx=(Label(f"Σ{x}ᵢ", rf"\sum_i {x}_i"), " = ", _tidy(sx)),
            sxx=(Label(f"Σ{x}ᵢ²", rf"\sum_i {x}_i^2"), " = ", _tidy(sxx)),
            sy=(Label("Σyᵢ", r"\sum_i y_i"), " = ", _tidy(sy)),
            sxy=(Label(f"Σ{x}ᵢyᵢ", rf"\sum_i {x}_i y_i"), " = ", _tidy(sxy)),
        ),
    )


def _tidy(value: sp.Expr) -> sp.Expr:
    return ordered(sp.simplify(value))


def _matrix(m: sp.Matrix) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(m.applyfunc(_tidy))


def _float_solution(sol: NormalSolution) -> np.ndarray:
    return np.array([float(v) for v in sol.solution], dtype=np.float64)


def _lstsq_check(model: Model, sol: NormalSolution, ridge: sp.Expr | None) -> Check:
    import torch

    assert model.design is not None
    columns, target = float_columns(model.design, model.data, model.output)
    x = torch.from_numpy(np.stack([np.ascontiguousarray(c) for c in columns], axis=1))
    y = torch.from_numpy(np.ascontiguousarray(target)).unsqueeze(1)
    n = x.shape[1]
    if ridge is not None:  # ridge is least squares on X stacked over √λ·I
        root = float(sp.sqrt(ridge))
        x = torch.cat([x, root * torch.eye(n, dtype=torch.float64)])
        y = torch.cat([y, torch.zeros((n, 1), dtype=torch.float64)])
    found = torch.linalg.lstsq(x, y, driver="gelsd").solution.squeeze(1)
    mine = _float_solution(sol)
    err = float(np.abs(found.numpy() - mine).max())
    bound = lstsq_error_bound(x, y.squeeze(1), found)
    exact = all(v.is_Rational for v in sol.solution)
    if not math.isfinite(bound.tolerance):
        return Check.unchecked(
            what=phrasing.text("normal.check.lstsq"),
            method="torch.linalg.lstsq (gelsd, float64)",
            reason=phrasing.text("normal.check.deficient"),
        )
    return Check.numeric(
        what=phrasing.text("normal.check.lstsq.exact" if exact else "normal.check.lstsq"),
        method=phrasing.text("method.lstsq.bound", kappa=f"{bound.condition:.2g}"),
        error=err,
        tolerance=bound.tolerance,
        points=(tuple(mine.tolist()),),
    )


def _orthogonality_check(model: Model, sol: NormalSolution, ridge: sp.Expr | None) -> list[Check]:
    """An exact ŵ judged exactly from the raw rows: Xᵀ(y − Xŵ) = λŵ, each row's residual times
    its features summed in rationals (no XᵀX, no inverse). Float data: nothing to add."""
    assert model.design is not None
    if model.data.exact is None or not all(v.is_Rational for v in sol.solution):
        return []
    n, m = len(model.design.features), model.data.m
    if (n + 1) * m > 10 * EXACT_SUMS_BUDGET:
        return []
    x, y = exact_matrices(model.design, model.data, model.output)
    w = list(sol.solution)
    total = [sp.S.Zero] * n
    for i in range(m):
        row = list(x.row(i))
        residual = y[i] - sum((a * b for a, b in zip(row, w, strict=True)), sp.S.Zero)
        total = [t + residual * f for t, f in zip(total, row, strict=True)]
    penalty = [ridge * v for v in w] if ridge is not None else [sp.S.Zero] * n
    return [
        Check.symbolic(
            what=phrasing.text(
                "normal.check.orthogonal", right="λŵ" if ridge is not None else "0", m=m
            ),
            method=phrasing.text("method.rational"),
            count=n,
            failed=sum(1 for t, p in zip(total, penalty, strict=True) if t != p),
        )
    ]


def _regularised(ctx: Context, model: Model, ridge: sp.Expr | None) -> sp.Expr:
    objective = ctx.problem.objective
    if ridge is None:
        return objective
    return objective + model.scale * ridge * sum(v**2 for v in ctx.variables)


def _gradient_check(ctx: Context, model: Model, sol: NormalSolution, ridge: Any) -> Check:
    import torch

    from ..numeric.verify import autograd_gradient

    twin = ctx.twin if ridge is None else with_ridge(ctx.twin, model.scale * ridge)
    f = at_point(twin)
    point = _float_solution(sol)
    x = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    g = autograd_gradient(f(*x.unbind()), x)
    # Round-off in a gradient is relative to the sizes of the terms that cancel in it.
    scale = float(model.scale) * (
        float(np.abs(np.array(sol.gram.tolist(), dtype=float)).max()) * (1 + np.abs(point).max())
        + float(np.abs(np.array(sol.moment.tolist(), dtype=float)).max())
    )
    what = "SSE + λ‖ŵ‖²" if ridge is not None else ctx.name.text
    return Check.numeric(
        what=phrasing.text("normal.check.gradient", f=what),
        method="torch.autograd.grad (float64)",
        error=float(g.abs().max()),
        tolerance=tolerance.zero(scale),
        points=(tuple(point.tolist()),),
    )


def _stationary_check(
    ctx: Context, model: Model, sol: NormalSolution, ridge: sp.Expr | None
) -> Check | None:
    """stationary_points' elimination on the same loss must find the same ŵ."""
    if sol.singular and ridge is None:
        return None
    target = _regularised(ctx, model, ridge)
    grad = [sp.expand(sp.diff(target, v)) for v in ctx.variables]
    if not is_linear(grad, ctx.variables):
        return None
    run = eliminate(grad, ctx.variables)
    if run.solution is None or run.free:
        return None
    what = phrasing.text("normal.check.stationary")
    pairs = list(zip((run.solution[v] for v in ctx.variables), sol.solution, strict=True))
    if all(a.is_Rational and b.is_Rational for a, b in pairs):
        return Check.symbolic(
            what=what,
            method=phrasing.text("method.elimination.exact"),
            count=len(pairs),
            failed=sum(1 for a, b in pairs if a != b),
        )
    mine = _float_solution(sol)
    theirs = np.array([float(a) for a, _ in pairs])
    return Check.numeric(
        what=what,
        method=phrasing.text("method.elimination.float"),
        error=float(np.abs(mine - theirs).max()),
        tolerance=tolerance.solve(float(np.abs(mine).max())),
        points=(tuple(mine.tolist()),),
    )
