"""``normal_equation``: least squares in matrix form, X^T X ŵ = X^T y, solved exactly.

Lessons 5 and 6: the matrix form, E(ŵ) = (y − Xŵ)^T(y − Xŵ) expanded and differentiated,
the concrete X^T X and X^T y, the solution; a singular X^T X explained and answered with
ridge, (X^T X + λI)^{-1} X^T y, or the minimum-norm solution.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pydantic
import sympy as sp

from ..calculus.linear import NormalSolution, null_direction, solve_normal
from ..calculus.linsolve import eliminate, is_linear
from ..design import EXACT_SUMS_BUDGET, exact_matrices, float_columns
from ..document import Block, Check, Equation, Label, Link, Paragraph, Section, Step
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import tolerance
from ..numeric.stats import FloatFit, lstsq_error_bound, moments, svd_least_squares
from ..numeric.twin import at_point, with_ridge
from ..problem import Model
from ..render.mathprint import format_float, math_text
from .context import Context
from .gradient import vector

NAME = "normal_equation"
SHOWN_ROWS = 8


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    ridge: Any = None


W = Label("ŵ", r"\hat{w}")
XTX = Label("XᵀX", "X^T X")
XTY = Label("Xᵀy", "X^T y")


def run(ctx: Context, params: Params) -> Section:
    model = ctx.problem.model
    if model is None:
        raise InputError("normal_equation needs a model fitted to data (model, data, loss)")
    if not model.squared:
        raise InputError(
            "normal_equation solves least squares; the logistic loss has no closed form: "
            "use gradient_descent"
        )
    if model.design is None:
        names = ", ".join(v.name for v in ctx.variables)
        raise InputError(
            f"the model {model.output} = {math_text(model.rhs)} is not linear in {names}: "
            "the normal equation needs ŷ = w₁·(feature₁) + w₂·(feature₂) + ...; "
            "use stationary_points or gradient_descent instead"
        )
    ridge = _ridge(params.ridge)
    gram, moment, x_rows, y_rows = _matrices(model)
    fit: FloatFit | None = None
    if all(e.is_Rational for e in (*gram, *moment)):
        sol = solve_normal(gram, moment, ridge)
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
    solution = {
        v.name: str(_tidy(value)) for v, value in zip(ctx.variables, sol.solution, strict=True)
    }
    result: dict[str, Any] = {
        "solution": solution,
        "rank": sol.rank,
        "singular": sol.singular,
        "method": sol.method,
    }
    params_out: dict[str, Any] = {}
    if ridge is not None:
        result["ridge"] = str(ridge)
        params_out["ridge"] = str(ridge)
    if fit is None:
        checks = [
            *_orthogonality_check(model, sol, ridge),
            _lstsq_check(model, sol, ridge),
            _gradient_check(ctx, model, sol, ridge),
        ]
        agreement = _stationary_check(ctx, model, sol, ridge)
        if agreement is not None:
            checks.append(agreement)
    else:
        checks = [_gram_check(model, fit, ridge), _gradient_check(ctx, model, sol, ridge)]
    return Section(NAME, "Normal equation", params_out, result, tuple(steps), tuple(checks))


def _ridge(raw: Any) -> sp.Expr | None:
    if raw is None:
        return None
    try:
        value = parse_number(raw)
    except ExpressionError as exc:
        raise InputError(exc.message, key="ridge") from None
    if not value.is_positive:
        raise InputError(f"ridge must be a positive number λ, got {raw!r}", key="ridge")
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
    names = ", ".join(v.name for v in ctx.variables)
    features = ", ".join(
        f"{math_text(f)} for {v.name}"
        for v, f in zip(ctx.variables, model.design.features, strict=True)
    )
    blocks: list[Block] = [
        Paragraph.of(
            f"Write the fit as y ≈ Xŵ with ŵ = ({names}). Row i of X holds the features that "
            f"multiply the weights in row i ({features}; a feature 1 is the column of ones)."
        )
    ]
    if model.design.offset != 0:
        blocks.append(
            Paragraph.of(
                "The part of the model without weights, ",
                model.design.offset,
                ", is moved to the left: y here is y minus it.",
            )
        )
    if x is not None and y is not None:
        blocks.append(Equation.chain(Label("X", "X"), sp.ImmutableMatrix(x)))
        blocks.append(Equation.chain(Label("y", "y"), sp.ImmutableMatrix(y)))
    else:
        exact = model.moments is not None and model.moments.exact is not None
        how = (
            "XᵀX and Xᵀy were summed from the data exactly, in rationals"
            if exact
            else "XᵀX and Xᵀy were summed from the data in float64 for the derivation below; "
            "ŵ itself is computed from X (see the rank and conditioning step)"
        )
        blocks.append(
            Paragraph.of(f"X has {model.data.m:,} rows and {len(ctx.variables)} columns; {how}.")
        )
    blocks.append(Equation.chain(W, vector(list(ctx.variables))))
    return Step("The matrix form", tuple(blocks))


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
                note="(A − B)ᵀ = Aᵀ − Bᵀ, (AB)ᵀ = BᵀAᵀ",
            ),
            Link(
                Label(
                    "yᵀy − 2ŵᵀXᵀy + ŵᵀXᵀXŵ", r"y^T y - 2 \hat{w}^T X^T y + \hat{w}^T X^T X \hat{w}"
                ),
                note="yᵀXŵ is a number, equal to its transpose ŵᵀXᵀy",
            ),
        ),
    )
    grad = Equation(
        Label("∂E/∂ŵ", r"\frac{\partial E}{\partial \hat{w}}"),
        (
            Link(
                Label("−2Xᵀy + 2XᵀXŵ", r"-2 X^T y + 2 X^T X \hat{w}"),
                note="∂(ŵᵀa)/∂ŵ = a, ∂(ŵᵀAŵ)/∂ŵ = 2Aŵ for symmetric A",
            ),
            Link(sp.S.Zero),
            Link(Label("XᵀXŵ = Xᵀy", r"X^T X \hat{w} = X^T y"), relation="⇒"),
        ),
    )
    blocks: list[Block] = [chain, grad]
    if model.loss != "sse":
        blocks.append(
            Paragraph.of(
                f"The loss is {model.scale}·SSE; a positive factor does not move the "
                "minimum, so the same equation holds."
            )
        )
    return Step("Differentiate the loss in matrix form", tuple(blocks))


def _numbers(gram: sp.Matrix, moment: sp.Matrix) -> Step:
    return Step.of(
        "The normal equation in numbers",
        Equation.chain(XTX, sp.ImmutableMatrix(gram)),
        Equation.chain(XTY, sp.ImmutableMatrix(moment)),
    )


def _rank_step(ctx: Context, sol: NormalSolution) -> Step:
    n = len(ctx.variables)
    det = sp.simplify(sol.gram.det())
    blocks: list[Block] = [
        Paragraph.of(f"rank(XᵀX) = {sol.rank} of {n}; det(XᵀX) = ", _tidy(det), ".")
    ]
    if not sol.singular:
        blocks.append(Paragraph.of("Full rank: XᵀX is invertible and the minimum is unique."))
        return Step("Is XᵀX invertible?", tuple(blocks))
    blocks.append(
        Paragraph.of(
            "XᵀX is singular: the columns of X are linearly dependent (with fewer independent "
            "rows or features than unknowns, this always happens), so no unique ŵ minimises "
            "the loss."
        )
    )
    v = null_direction(sol.gram)
    if v is not None:
        blocks.append(
            Paragraph.of(
                "For v = ",
                vector([_tidy(e) for e in v]),
                ", Xv = 0: moving ŵ along v changes "
                "no prediction, so every point of that line has the same loss.",
            )
        )
    return Step("Is XᵀX invertible?", tuple(blocks))


def _float_rank_step(ctx: Context, model: Model, fit: FloatFit, ridge: sp.Expr | None) -> Step:
    """Float data: rank and conditioning from the singular values of X, and the solve."""
    n = len(ctx.variables)
    sigmas = ", ".join(format_float(float(s), 4) for s in fit.singular_values)
    blocks: list[Block] = [
        Paragraph.of(
            f"The data are floats, so ŵ is computed from the singular value decomposition of X "
            f"itself (LAPACK gelsd, backward stable; XᵀX, whose condition number is κ(X)², "
            f"is never inverted). Singular values of X: {sigmas}. Numerical rank: {fit.rank} of "
            f"{n} (singular values above σ₁·max(m, n)·ε = {format_float(fit.rank_tolerance, 3)})."
        )
    ]
    if fit.rank < n:
        blocks.append(
            Paragraph.of(
                "X is numerically rank-deficient: in float64 some combination of its columns "
                "is zero, so no unique ŵ minimises the loss. The minimum-norm solution is "
                "given; add ridge (λ > 0) for a unique, stable one."
                if ridge is None
                else "X is numerically rank-deficient, but the ridge term makes the solution "
                "unique."
            )
        )
    kappa = format_float(fit.condition, 3)
    if fit.digits >= 12:
        blocks.append(
            Paragraph.of(
                f"cond(X) = σ₁/σₙ = {kappa}: well conditioned; about {fit.digits} digits of ŵ "
                "are guaranteed."
            )
        )
    else:
        blocks.append(
            Paragraph.of(
                f"Warning: cond(X) = σ₁/σₙ = {kappa}. Float64 carries about 16 digits; the "
                f"error bound ε·(κ + κ²‖r‖/(‖X‖‖ŵ‖)) leaves about {fit.digits} correct "
                f"significant digit{'' if fit.digits == 1 else 's'} in ŵ, and the rest are at "
                "risk. Rescale or centre the features, or give the data exactly (few rows of "
                "exact numbers are solved in exact arithmetic)."
            )
        )
    # Shown to the digits the bound guarantees: no more are claimed (JSON keeps float64).
    shown = max(1, min(10, fit.digits))
    answer = vector([sp.Float(float(f"{float(v):.{shown}g}"), 15) for v in fit.solution])
    blocks.append(Equation.chain(W, answer))
    if shown < 10:
        blocks.append(Paragraph.of(f"ŵ is shown to the {shown} guaranteed significant digits."))
    return Step("Rank, conditioning and the solution", tuple(blocks))


def _gram_check(model: Model, fit: FloatFit, ridge: sp.Expr | None) -> Check:
    """The SVD solution against the normal equations solved another way: the float64 XᵀX
    summed from the data, solved by Cholesky. Their error grows like κ(X)²: unchecked when
    that leaves no digit."""
    assert model.design is not None
    what = "ŵ against the normal equations XᵀXŵ = Xᵀy solved by Cholesky in float64"
    method = "numpy.linalg.cholesky of the float64 XᵀX summed from the data"
    # Forming XᵀX rounds like a sum of m terms (√m·ε typically); solving it multiplies that,
    # and Cholesky's own error, by κ(X)².
    m = model.data.m
    normal_bound = (10 + math.sqrt(m)) * fit.condition**2 * float(np.finfo(np.float64).eps)
    if (fit.rank < len(fit.solution) and ridge is None) or normal_bound >= 1e-2:
        return Check.unchecked(
            what=what,
            method=method,
            reason=(
                f"XᵀX squares κ(X) = {fit.condition:.2g} to {fit.condition**2:.2g}, which leaves "
                "float64 no reliable digit to compare"
            ),
        )
    stats = model.moments
    if stats is None:
        stats = moments(*float_columns(model.design, model.data, model.output))
    gram = stats.gram + (float(ridge) * np.eye(len(fit.solution)) if ridge is not None else 0)
    factor = np.linalg.cholesky(gram)
    theirs = np.linalg.solve(factor.T, np.linalg.solve(factor, stats.moment))
    size = float(np.abs(fit.solution).max())
    return Check.numeric(
        what=what,
        method=f"{method}; tolerance (10 + √m)·κ²·ε·‖ŵ‖ + the SVD's bound",
        error=float(np.abs(theirs - fit.solution).max()),
        tolerance=(normal_bound + fit.relative_error) * max(size, 1.0),
        points=(tuple(float(v) for v in fit.solution),),
    )


def _solve_step(ctx: Context, sol: NormalSolution, ridge: sp.Expr | None) -> Step:
    assert sol.inverse is not None
    answer = vector([_tidy(e) for e in sol.solution])
    if sol.method == "inverse":
        return Step.of(
            "Solve",
            Equation.chain(Label("(XᵀX)⁻¹", r"(X^T X)^{-1}"), _matrix(sol.inverse)),
            Equation.chain(W, Label("(XᵀX)⁻¹Xᵀy", r"(X^T X)^{-1} X^T y"), answer),
        )
    if sol.method == "ridge":
        lam = Label(f"λ = {math_text(ridge)}", rf"\lambda = {sp.latex(ridge)}")
        return Step.of(
            "Ridge: solve (XᵀX + λI)ŵ = Xᵀy",
            Paragraph.of(
                "Adding λI (",
                lam,
                ") makes the matrix invertible; the solution "
                "minimises SSE + λ‖ŵ‖², close to the least-squares minimum.",
            ),
            Equation.chain(
                Label("XᵀX + λI", r"X^T X + \lambda I"),
                _matrix(sol.gram + ridge * sp.eye(sol.gram.shape[0])),
            ),
            Equation.chain(W, Label("(XᵀX + λI)⁻¹Xᵀy", r"(X^T X + \lambda I)^{-1} X^T y"), answer),
        )
    return Step.of(
        "The minimum-norm solution",
        Paragraph.of("Of all minimisers, the one with the smallest ‖ŵ‖ uses the pseudo-inverse:"),
        Equation.chain(W, Label("(XᵀX)⁺Xᵀy", r"(X^T X)^{+} X^T y"), answer),
        Paragraph.of(
            "To pick a unique, stable solution instead, add  ridge: λ  to the task "
            "(for example  normal_equation: {ridge: 0.1})."
        ),
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
    x = math_text(features[jx])
    return Step.of(
        "Check with Lesson 5's closed form",
        Equation.chain(
            Label(w.name, w.name),
            Label(
                f"Σyᵢ({x}ᵢ − {x}\u0304)/(Σ{x}ᵢ² − (Σ{x}ᵢ)²/m)",
                r"\frac{\sum_i y_i (x_i - \bar{x})}{\sum_i x_i^2 - (\sum_i x_i)^2 / m}",
            ),
            sp.Mul(sxy - mean * sy, sp.Pow(sxx - sx**2 / m, -1, evaluate=False), evaluate=False),
            _tidy(w_value),
        ),
        Equation.chain(
            Label(b.name, b.name),
            Label(f"(1/m)Σ(yᵢ − {w.name}·{x}ᵢ)", r"\frac{1}{m} \sum_i (y_i - w x_i)"),
            _tidy(b_value),
        ),
        Paragraph.of(
            f"with m = {math_text(m)}, Σ{x}ᵢ = ",
            _tidy(sx),
            f", Σ{x}ᵢ² = ",
            _tidy(sxx),
            ", Σyᵢ = ",
            _tidy(sy),
            f", Σ{x}ᵢyᵢ = ",
            _tidy(sxy),
            ".",
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
            what="ŵ against torch.linalg.lstsq on the same data",
            method="torch.linalg.lstsq (gelsd, float64)",
            reason=(
                "X is numerically rank-deficient in float64 (its smallest singular value is "
                "below ε·σ_max), so a float solver has no correct digit to compare"
            ),
        )
    return Check.numeric(
        what=(
            "torch.linalg.lstsq on the same data agrees with the exact ŵ within its error bound"
            if exact
            else "ŵ against torch.linalg.lstsq on the same data"
        ),
        method=(
            f"torch.linalg.lstsq (gelsd, float64), κ(X) = {bound.condition:.2g}; "
            "bound 10·ε·(κ + κ²‖r‖/(‖X‖‖ŵ‖))·‖ŵ‖"
        ),
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
            what=f"Xᵀ(y − Xŵ) = {'λŵ' if ridge is not None else '0'} summed over the {m} rows",
            method="exact rational arithmetic on the raw data",
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
        what=f"autograd gradient of {what} is zero at ŵ",
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
    what = "stationary_points (elimination on ∇ = 0) finds the same ŵ"
    pairs = list(zip((run.solution[v] for v in ctx.variables), sol.solution, strict=True))
    if all(a.is_Rational and b.is_Rational for a, b in pairs):
        return Check.symbolic(
            what=what,
            method="exact elimination against the exact inverse",
            count=len(pairs),
            failed=sum(1 for a, b in pairs if a != b),
        )
    mine = _float_solution(sol)
    theirs = np.array([float(a) for a, _ in pairs])
    return Check.numeric(
        what=what,
        method="elimination in float64",
        error=float(np.abs(mine - theirs).max()),
        tolerance=tolerance.solve(float(np.abs(mine).max())),
        points=(tuple(mine.tolist()),),
    )
