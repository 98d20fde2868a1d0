"""``gradient_descent``: w ← w − α∇L on the derived gradient, shown as Lesson 6 shows it, and
checked step by step against the same run in torch autograd."""

from __future__ import annotations

from typing import Any

import numpy as np
import pydantic
import sympy as sp

from ..document import Block, Check, Equation, Label, Link, Paragraph, Section, Step, Table
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric import tolerance
from ..numeric.descent import (
    Quadratic,
    Run,
    as_quadratic,
    autograd_twin,
    descend,
    lambdified_functions,
    quadratic_functions,
)
from ..numeric.rowloss import RowLoss
from ..render.mathprint import format_float, math_text
from .context import Context

NAME = "gradient_descent"
MAX_STEPS = 1_000_000
TWIN_STEPS = 5_000  # 0.7 ms a step in autograd: 3.5 s
#: The twin's budget in row-evaluations: a million rows gives its first 20 steps.
TWIN_ROW_STEPS = 20_000_000
EXACT_STEPS = 6
FIRST_SHOWN = 3
ALPHA = sp.Symbol("alpha")
#: The most rows the progress table prints, whatever ``show`` asks for.
MAX_TABLE_ROWS = 1000
#: With more rows than this, a model's gradient is shown for one generic row and evaluated
#: over all rows at once; with fewer, written out as the lesson writes it.
ROWS_SHOWN = 8


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    start: Any
    lr: Any
    steps: int = 1000
    tol: Any = None
    exact: bool = False
    show: int | None = pydantic.Field(default=None, ge=1)


def run(ctx: Context, params: Params) -> Section:
    start = ctx.point(params.start, "start")
    lrs = _learning_rates(params.lr)
    if not 1 <= params.steps <= MAX_STEPS:
        raise InputError(f"steps must be from 1 to {MAX_STEPS:,}", key="steps")
    tol = _positive(params.tol, "tol") if params.tol is not None else None
    objective = ctx.problem.objective
    model = ctx.problem.model
    quad = as_quadratic(objective, ctx.variables)
    over_rows = quad is None and model is not None and model.data.m > ROWS_SHOWN
    if over_rows:
        assert model is not None
        rows = RowLoss(
            rhs=model.rhs,
            variables=ctx.variables,
            inputs=model.inputs,
            columns=[model.data.arrays[s.name] for s in model.inputs],
            target=model.data.arrays[model.output],
            scale=float(model.scale),
            kind="squared" if model.squared else "logistic",
        )
        grad_fn, loss_fn = rows.numpy_functions()
    else:
        grad_fn, loss_fn = (
            quadratic_functions(quad)
            if quad is not None
            else lambdified_functions(objective, ctx.gradient, ctx.variables)
        )
    row_count = model.data.m if (over_rows and model is not None) else 0
    _check_memory(len(lrs), params.steps, len(ctx.variables), row_count)
    floats = [float(v) for v in start]
    result_run = descend(
        grad_fn,
        loss_fn,
        floats,
        [float(a) for a in lrs],
        params.steps,
        float(tol) if tol is not None else None,
        dtype=np.float32 if ctx.dtype == "float32" else np.float64,
    )
    statuses = [classify(result_run, r, grad_fn, quad) for r in range(len(lrs))]
    steps: list[Step] = [_row_rule_step(ctx, lrs) if over_rows else _rule_step(ctx, lrs)]
    if quad is not None:
        steps.append(_bound_step(ctx, quad, lrs))
    steps.append(_first_steps(ctx, result_run, grad_fn))
    if len(lrs) == 1:
        steps.append(_table_step(ctx, result_run, grad_fn, params.show))
    else:
        steps.append(_sweep_step(ctx, result_run, statuses))
    steps.append(_stop_step(ctx, result_run, tol))
    if params.exact:
        steps.append(_exact_step(ctx, start, lrs[0], quad))
    checks = _twin_checks(ctx, result_run, floats)
    result = _result(ctx, result_run, statuses)
    params_out = {
        "start": [str(v) for v in start],
        "lr": [str(a) for a in lrs] if len(lrs) > 1 else str(lrs[0]),
        "steps": params.steps,
        **({"tol": str(tol)} if tol is not None else {}),
    }
    return Section(NAME, "Gradient descent", params_out, result, tuple(steps), tuple(checks))


#: Bytes a descent may allocate for its iterates, gradients and per-row work.
MEMORY_LIMIT = 4 << 30


def _check_memory(rates: int, steps: int, n: int, rows: int) -> None:
    """Refuse, before allocating, a run whose history or per-row work would not fit.

    Every step of every rate is kept (iterates and gradients: (2·steps + 1)·rates·n floats);
    over data rows, each step also works on rates × rows arrays (about six at once).
    """
    history = (2 * steps + 1) * rates * n * 8
    per_row = 6 * rates * rows * 8
    need = history + per_row
    if need > MEMORY_LIMIT:
        what = (
            f"{steps:,} steps × {rates:,} learning rate{'' if rates == 1 else 's'} × {n} "
            f"variable{'' if n == 1 else 's'}" + (f", over {rows:,} rows" if rows else "")
        )
        raise InputError(
            f"this descent would need about {need / 2**30:,.1f} GiB ({what}); at most "
            f"{MEMORY_LIMIT / 2**30:.0f} GiB: ask for fewer steps or fewer learning rates",
            key="steps",
        )


def _positive(raw: Any, key: str) -> sp.Expr:
    try:
        value = parse_number(raw)
    except ExpressionError as exc:
        raise InputError(exc.message, key=key) from None
    if not value.is_positive:
        raise InputError(f"{key} must be a positive number, got {raw!r}", key=key)
    return value


def _learning_rates(raw: Any) -> list[sp.Expr]:
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        raise InputError("give a learning rate, or a list of them", key="lr")
    return [_positive(v, "lr") for v in values]


def _rule_step(ctx: Context, lrs: list[sp.Expr]) -> Step:
    name = ctx.name.text
    blocks: list[Block] = [
        Paragraph.of(
            f"Each step moves against the gradient: w ← w − α∇{name}, component by component:"
        )
    ]
    for v, g in zip(ctx.variables, ctx.gradient, strict=True):
        update = sp.Add(v, sp.Mul(-1, ALPHA, ordered(g), evaluate=False), evaluate=False)
        blocks.append(
            Equation(
                Label(f"{math_text(v)} ←", f"{sp.latex(v)} \\leftarrow"),
                (Link(update, relation=""),),
            )
        )
    shown = ", ".join(format_float(float(a)) for a in lrs)
    blocks.append(Paragraph.of(f"with learning rate α = {shown}."))
    return Step("The update rule", tuple(blocks))


def _row_rule_step(ctx: Context, lrs: list[sp.Expr]) -> Step:
    """Over many rows, the gradient for one generic row: ℓ'(ŷ)·∂ŷ/∂w, summed, where ℓ'(ŷ) is
    −2(y − ŷ) for a squared loss and σ(ŷ) − y for the logistic one."""
    model = ctx.problem.model
    assert model is not None
    name, m = ctx.name.text, model.data.m
    scale = "" if model.scale == 1 else f"{math_text(model.scale)}·"
    slope = "−2(yᵢ − ŷᵢ)" if model.squared else "(σ(ŷᵢ) − yᵢ)"
    blocks: list[Block] = [
        Paragraph.of(
            f"Each step moves against the gradient: w ← w − α∇{name}. Over the {m:,} rows, "
            f"∂{name}/∂wⱼ = {scale}Σᵢ {slope}·∂ŷ/∂wⱼ (chain rule), evaluated over all "
            "rows at once, where ŷ = ",
            model.rhs_shown,
            " and:",
        )
    ]
    for v in ctx.variables:
        slope = ordered(sp.simplify(sp.diff(model.rhs, v)))
        blocks.append(
            Equation.chain(
                Label(
                    f"∂ŷ/∂{math_text(v)}", rf"\frac{{\partial \hat{{y}}}}{{\partial {sp.latex(v)}}}"
                ),
                slope,
            )
        )
    shown = ", ".join(format_float(float(a)) for a in lrs)
    blocks.append(Paragraph.of(f"with learning rate α = {shown}."))
    return Step("The update rule", tuple(blocks))


def _bound_step(ctx: Context, quad: Quadratic, lrs: list[sp.Expr]) -> Step:
    values = _eigenvalues(quad.h)
    top = max(values, key=lambda v: float(v))
    bottom = min(values, key=lambda v: float(v))
    if float(bottom) < 0:
        words = (
            "H has a negative eigenvalue, λ_min = ",
            bottom,
            ": along its eigenvector the loss curves downward, so every step multiplies that "
            "component of w by 1 − αλ_min > 1. No learning rate α > 0 converges from a generic "
            "start, and the quadratic loss is unbounded below: the iterates run off while the "
            "loss falls without end. Gradient descent needs a minimum, and this loss has none.",
        )
        return Step.of("How large may α be?", Paragraph.of(*words))
    if float(top) <= 0:
        return Step.of(
            "How large may α be?",
            Paragraph.of("H is zero: the loss is linear in w and has no minimum to descend to."),
        )
    bound = sp.Float(2 / top, 10) if top.is_Float else sp.radsimp(2 / top)
    verdicts = []
    for a in lrs:
        gap = sp.nsimplify(a) - bound
        if gap.is_zero or (not gap.is_number or abs(float(gap)) < 1e-15 * float(bound)):
            relation, fate = (
                "=",
                "oscillates forever at a constant size (neither converges nor diverges)",
            )
        elif float(gap) < 0:
            relation, fate = "<", "converges"
        else:
            relation, fate = ">", "diverges (oscillates with growing size)"
        verdicts.append(
            f"α = {format_float(float(a))} {relation} {format_float(float(bound))}: {fate}"
        )
    return Step.of(
        "How large may α be?",
        Paragraph.of(
            "The loss is quadratic, so each step multiplies the error by I − αH. "
            "It shrinks in every direction when α < 2/λ_max(H), with λ_max = ",
            top,
            ":" if top.is_Rational or top.is_Float else f" ≈ {format_float(float(top))}:",
        ),
        Equation.chain(
            Label("2/λ_max", r"2/\lambda_{\max}"),
            bound,
            *([] if bound.is_Float else [Link(sp.Float(float(bound), 10), relation="≈")]),
        ),
        Paragraph.of("; ".join(verdicts) + "."),
        *_flat_directions(quad, bottom),
    )


def _flat_directions(quad: Quadratic, bottom: sp.Expr) -> list[Paragraph]:
    """A semidefinite H: what descent does along the directions where the loss is flat."""
    if not (bottom.is_zero or abs(float(bottom)) < 1e-12):
        return []
    space = quad.h.nullspace() if all(e.is_Rational for e in quad.h) else []
    shown = (
        " and ".join("(" + ", ".join(math_text(e) for e in v) + ")" for v in space)
        or "its eigenvector"
    )
    return [
        Paragraph.of(
            f"But H is only semidefinite: it has eigenvalue 0 along {shown}. Along that "
            "direction the loss does not change, so the gradient has no component there and "
            "no step ever moves w along it: descent converges to the minimiser that keeps the "
            "start's component in that direction, one of infinitely many minima."
        )
    ]


def _eigenvalues(h: sp.Matrix) -> list[sp.Expr]:
    """H's eigenvalues: exact where they are rational or the matrix is 2×2, else real floats
    (H is symmetric, so it has no complex ones, whatever radicals SymPy would write)."""
    if (
        h.shape[0] <= 2
        or h.shape[0] <= 4
        and all(v.is_Rational for v in h.eigenvals(multiple=True))
    ):
        return list(h.eigenvals(multiple=True))
    return [sp.Float(v, 15) for v in np.linalg.eigvalsh(np.array(h.tolist(), dtype=float))]


def _first_steps(ctx: Context, run: Run, grad_fn: Any) -> Step:
    rows = []
    for k in range(min(FIRST_SHOWN, int(run.iterations[0]))):
        w = run.history[k, 0]
        g = grad_fn(w[None, :])[0]
        new = run.history[k + 1, 0]
        rows.append((str(k), _vec(w), _vec(g), _vec(new), _num(run.loss(k + 1, 0))))
    name = ctx.name.text
    table = Table(("k", "wₖ", f"∇{name}(wₖ)", "wₖ₊₁ = wₖ − α∇", f"{name}(wₖ₊₁)"), tuple(rows))
    return Step.of(f"The first steps (α = {format_float(run.lrs[0])})", table)


def _table_step(ctx: Context, run: Run, grad_fn: Any, show: int | None) -> Step:
    done = int(run.iterations[0])
    every = max(show or 1, done // MAX_TABLE_ROWS) if show else max(1, done // 10)
    ks = sorted(set(range(0, done + 1, every)) | {done})
    if run.diverged(0):
        ks = [k for k in ks if k < done]
    headers = ("k", *ctx.variables, ctx.name.text, f"|∇{ctx.name.text}|")
    rows = []
    for k in ks:
        w = run.history[k, 0]
        g = grad_fn(w[None, :])[0]
        rows.append(
            (str(k), *(_num(v) for v in w), _num(run.loss(k, 0)), _num(float(np.abs(g).max())))
        )
    title = "Every step" if every == 1 else f"Every {every} steps"
    if show and every > show:  # show: 1 on a million steps printed 56 MB
        title += f" (show: {show} would print {done // show + 1:,} rows; at most {MAX_TABLE_ROWS})"
    return Step.of(title, Table(headers, tuple(rows)))


def growing(run: Run, r: int) -> bool:
    """The loss ended far above where it started: diverging, even if not yet past 1e100."""
    done = int(run.iterations[r])
    first, last = abs(float(run.loss(0, r))), abs(float(run.loss(done, r)))
    return bool(last > 10 * (first + 1))


def classify(run: Run, r: int, grad_fn: Any, quad: Quadratic | None) -> str:
    """converged / slow / oscillating / diverged: the one verdict on run r that the bound,
    the sweep table, the stopping reasons and the JSON all use.

    On a quadratic the step is exact algebra: along an eigenvector of H with eigenvalue λ
    each step multiplies the error by 1 − αλ, so α = 2/λ_max (a factor of exactly −1) swings
    between two points forever: oscillating, neither converging nor diverging.
    """
    done = int(run.iterations[r])
    if run.diverged(r) or growing(run, r):
        return "diverged"
    g0 = float(np.abs(grad_fn(run.history[0, r][None, :])[0]).max())
    g = float(np.abs(grad_fn(run.history[done, r][None, :])[0]).max())
    if run.converged(r) or g <= 1e-6 * (1 + g0):
        return "converged"
    if quad is not None and _on_the_edge(quad, sp.nsimplify(run.lrs[r])):
        return "oscillating"
    moves = np.diff(run.history[max(0, done - 10) : done + 1, r], axis=0)
    if len(moves) >= 3:
        turning = np.sign(moves[1:]) * np.sign(moves[:-1])
        moving = turning != 0
        if moving.any() and np.mean(turning[moving] < 0) > 0.5:
            return "oscillating"
    return "slow"


def _on_the_edge(quad: Quadratic, alpha: sp.Expr) -> bool:
    """Some eigenvalue λ of H has αλ = 2 exactly: that direction neither shrinks nor grows."""
    try:
        values = quad.h.eigenvals(multiple=True) if quad.h.shape[0] <= 4 else []
    except (NotImplementedError, sp.MatrixError):
        return False
    return any(sp.simplify(alpha * v - 2) == 0 for v in values)


def _sweep_step(ctx: Context, run: Run, statuses: list[str]) -> Step:
    rows = []
    for r, lr in enumerate(run.lrs):
        done, k = int(run.iterations[r]), run.last(r)
        rows.append(
            (
                format_float(lr),
                _vec(run.history[k, r]),
                _num(run.loss(k, r)),
                str(done),
                statuses[r],
            )
        )
    table = Table(("α", "final w", ctx.name.text, "steps", "status"), tuple(rows))
    return Step.of(
        "All learning rates, run as one batch",
        table,
        Paragraph.of(
            "Too small a step converges slowly; too large a step oscillates "
            "and, beyond 2/λ_max, diverges."
        ),
    )


def _stop_step(ctx: Context, run: Run, tol_exact: sp.Expr | None) -> Step:
    tol = format_float(float(tol_exact)) if tol_exact is not None else None
    words = {
        "steps": "it took all the steps asked for",
        "step": f"a step moved w by less than tol = {tol}",
        "gradient": f"|∇{ctx.name.text}| fell below tol = {tol}",
        "diverged": "w left every sensible scale (|w| > 1e100): the run DIVERGED; "
        "lower the learning rate",
    }
    lines = []
    for r, lr in enumerate(run.lrs):
        line = (
            f"α = {format_float(lr)}: stopped after {int(run.iterations[r])} steps because "
            f"{words[run.reasons[r]]}."
        )
        if not run.diverged(r) and growing(run, r):
            first, last = run.loss(0, r), run.loss(int(run.iterations[r]), r)
            if last < first:
                line += (
                    f" The loss fell from {_num(first)} to {_num(last)} and keeps falling: it "
                    "is unbounded below, so the iterates run off whatever the learning rate."
                )
            else:
                line += (
                    f" But the loss grew from {_num(first)} to {_num(last)}: the run is "
                    "DIVERGING; lower the learning rate."
                )
        lines.append(line)
    return Step("Why it stopped", tuple(Paragraph.of(line) for line in lines))


def _exact_step(
    ctx: Context, start: tuple[sp.Expr, ...], lr: sp.Expr, quad: Quadratic | None
) -> Step:
    w = sp.Matrix(start)
    rows = [("0", *w)]
    for k in range(1, EXACT_STEPS + 1):
        grad = sp.Matrix([g.subs(dict(zip(ctx.variables, w, strict=True))) for g in ctx.gradient])
        w = (w - lr * grad).applyfunc(sp.nsimplify)
        rows.append((str(k), *w))
    blocks: list[Block] = [
        Paragraph.of(f"The first {EXACT_STEPS} steps in exact arithmetic (α = {math_text(lr)}):"),
        Table(("k", *ctx.variables), tuple(rows)),
    ]
    if quad is not None and quad.h.det() != 0:
        star = -quad.h.inv() * quad.g
        n = sp.Symbol("n", integer=True, nonnegative=True)
        if len(ctx.variables) == 1:
            ratio = sp.nsimplify(1 - lr * quad.h[0, 0])
            closed = sp.simplify(star[0] + ratio**n * (start[0] - star[0]))
            blocks.append(
                Equation(
                    Label("wₙ", "w_n"),
                    (
                        Link(
                            Label("w* + (1 − αh)ⁿ(w₀ − w*)", r"w^* + (1 - \alpha h)^n (w_0 - w^*)")
                        ),
                        Link(ordered(closed)),
                    ),
                )
            )
        else:
            blocks.append(
                Equation(
                    Label("wₙ", "w_n"),
                    (
                        Link(
                            Label("w* + (I − αH)ⁿ(w₀ − w*)", r"w^* + (I - \alpha H)^n (w_0 - w^*)")
                        ),
                    ),
                )
            )
        blocks.append(
            Paragraph.of(
                "where w* = ",
                sp.ImmutableMatrix(star.T),
                " is the minimum: each step shrinks the distance to it.",
            )
        )
    return Step("Exactly", tuple(blocks))


def _twin_checks(ctx: Context, run: Run, start: list[float]) -> list[Check]:
    """Every run against the same descent in torch autograd on the problem's own definition
    (:mod:`tutor.numeric.twin`), all rates in one batch; one check a rate.

    The twin runs at most :data:`TWIN_ROW_STEPS` row-evaluations (a million rows: its first
    20 steps) and :data:`TWIN_STEPS` steps; the check says how many it compared.
    """
    m = ctx.problem.model.data.m if ctx.problem.model is not None else 1
    done = [int(n) for n in run.iterations]
    steps = min(max(done), TWIN_STEPS, max(1, TWIN_ROW_STEPS // m))
    twin = autograd_twin(ctx.twin, start, [float(a) for a in run.lrs], steps)
    method = f"torch.autograd on the problem's definition (float64) against this {ctx.dtype} run"
    checks = []
    for r, lr in enumerate(run.lrs):
        compared = min(steps, done[r])
        mine, theirs = run.history[: compared + 1, r], twin[: compared + 1, r]
        keep = np.abs(theirs).max(axis=1) < 1e6  # compare while the numbers still mean something
        what = (
            f"the first {compared} steps in torch autograd (loss.backward()), α = "
            f"{format_float(lr)}: largest difference on the path"
        )
        if compared < done[r]:
            budget = (
                f"{TWIN_STEPS:,} steps"
                if steps == TWIN_STEPS
                else f"{TWIN_ROW_STEPS:.0e} row-steps ({m:,} rows a step)"
            )
            what += f" (of {done[r]:,}: the twin's budget is {budget})"
        if not keep[1:].any() and compared > 0:
            checks.append(
                Check.unchecked(
                    what=what,
                    method=method,
                    reason="the path left the range where float64 paths can be compared",
                )
            )
            continue
        err = float(np.abs(mine[keep] - theirs[keep]).max())
        scale = float(np.abs(theirs[keep]).max())
        checks.append(
            Check.numeric(
                what=what,
                method=method,
                error=err,
                tolerance=tolerance.path(ctx.dtype, scale),
                points=(tuple(start),),
            )
        )
    return checks


def _result(ctx: Context, run: Run, statuses: list[str]) -> dict[str, Any]:
    k = run.last(0)
    out: dict[str, Any] = {
        "final": {v.name: float(x) for v, x in zip(ctx.variables, run.history[k, 0], strict=True)},
        "iterations": int(run.iterations[0]),
        "loss": float(run.loss(k, 0)),
        "converged": statuses[0] == "converged",
        "status": statuses[0],
        "diverged": run.diverged(0) or growing(run, 0),
        "stopped": run.reasons[0],
        "history": _strided(run, 0),
    }
    if len(run.lrs) > 1:
        out["runs"] = [
            {
                "lr": float(lr),
                "status": statuses[r],
                "iterations": int(run.iterations[r]),
                "final": [float(x) for x in run.history[run.last(r), r]],
                "history": _strided(run, r),
            }
            for r, lr in enumerate(run.lrs)
        ]
    return out


def _strided(run: Run, r: int) -> list[list[float]]:
    """Run r's path, at most about 200 points of it (every step of a short run)."""
    last = run.last(r)
    stride = max(1, int(run.iterations[r]) // 200)
    return [[float(v) for v in run.history[i, r]] for i in range(0, last + 1, stride)]


def _num(value: float) -> str:
    return format_float(float(value), 8).replace("-", "−")


def _vec(values: Any) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"
