"""``gradient_descent``: w ← w − α∇L on the derived gradient, shown as Lesson 6 shows it, and
checked step by step against the same run in torch autograd."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pydantic
import sympy as sp

from .. import outcome, phrasing
from ..budget import OverBudget, within
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
from ..numeric.rowloss import ROW_ENGINE_ROWS, RowLoss
from ..outcome import Figure, Outcome
from ..partitions import RowPasses, row_spec
from ..problem import Model
from .context import Context
from .normal_equation import fit_figure

NAME = "gradient_descent"
#: The message key of its section\'s title.
TITLE = "descent.title"
MAX_STEPS = 1_000_000
TWIN_STEPS = 5_000  # 0.7 ms a step in autograd: 3.5 s
#: The twin's budget in row-evaluations: a million rows gives its first 20 steps.
TWIN_ROW_STEPS = 20_000_000
EXACT_STEPS = 6
#: Seconds to simplify one exact iterate (a non-quadratic loss grows them fast).
EXACT_SIMPLIFY_BUDGET = 1.0
FIRST_SHOWN = 3
ALPHA = sp.Symbol("alpha")
#: The most rows the progress table prints, whatever ``show`` asks for.
MAX_TABLE_ROWS = 1000


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
        raise InputError("steps must be from 1 to {MAX_STEPS:,}", key="steps", MAX_STEPS=MAX_STEPS)
    tol = _positive(params.tol, "tol") if params.tol is not None else None
    objective = ctx.problem.objective
    model = ctx.problem.model
    quad = as_quadratic(objective, ctx.variables)
    over_rows = quad is None and model is not None and model.data.m > ROW_ENGINE_ROWS
    passes = over_rows and model is not None and model.data.partitioned is not None
    if passes:
        assert model is not None and model.data.partitioned is not None
        engine = RowPasses(model.data.partitioned, row_spec(model, ctx.variables))
        grad_fn, loss_fn = engine.numpy_functions()
    elif over_rows:
        assert model is not None
        rows = RowLoss(
            rhs=model.rhs,
            variables=ctx.variables,
            inputs=model.inputs,
            columns=[model.data.arrays[s.name] for s in model.inputs],
            target=model.data.arrays[model.output],
            loss=model.loss,
        )
        grad_fn, loss_fn = rows.numpy_functions()
    else:
        grad_fn, loss_fn = (
            quadratic_functions(quad)
            if quad is not None
            else lambdified_functions(objective, ctx.gradient, ctx.variables)
        )
    row_count = model.data.m if (over_rows and not passes and model is not None) else 0
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
    exact = _exact_run(ctx, start, lrs[0], params.steps, quad) if params.exact else None
    if exact is not None:
        steps.append(_exact_step(ctx, lrs[0], exact))
    checks = _twin_checks(ctx, result_run, floats)
    result = Descent(
        ctx.variables,
        result_run,
        tuple(statuses),
        ctx.problem.model,
        checked=_twin_steps(ctx, result_run),
        exact=exact,
    )
    params_out = {
        "start": [str(v) for v in start],
        "lr": [str(a) for a in lrs] if len(lrs) > 1 else str(lrs[0]),
        "steps": params.steps,
        **({"tol": str(tol)} if tol is not None else {}),
    }
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


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
        what = phrasing.text("descent.memory.size", count=rates, steps=steps, rates=rates)
        what += phrasing.text("descent.memory.variables", count=n, n=n)
        what += phrasing.text("descent.memory.rows", rows=rows) if rows else ""
        raise InputError(
            "this descent would need about {value:,.1f} GiB ({what}); at most {value2:.0f} GiB: "
            "ask for fewer steps or fewer learning rates",
            key="steps",
            value=need / 2**30,
            what=what,
            value2=MEMORY_LIMIT / 2**30,
        )


def _positive(raw: Any, key: str) -> sp.Expr:
    try:
        value = parse_number(raw)
    except ExpressionError as exc:
        raise exc.with_key(key) from None
    if not value.is_positive:
        raise InputError(
            "{key_} must be a positive number, got {raw!r}", key=key, key_=key, raw=raw
        )
    return value


def _learning_rates(raw: Any) -> list[sp.Expr]:
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        raise InputError("give a learning rate, or a list of them", key="lr")
    return [_positive(v, "lr") for v in values]


def _rule_step(ctx: Context, lrs: list[sp.Expr]) -> Step:
    blocks: list[Block] = [phrasing.say("descent.rule", rule=_rule_label(ctx))]
    for v, g in zip(ctx.variables, ctx.gradient, strict=True):
        update = sp.Add(v, sp.Mul(-1, ALPHA, ordered(g), evaluate=False), evaluate=False)
        blocks.append(Equation(v, (Link(update, relation="←"),)))
    blocks.append(phrasing.say("descent.rate", rates=_rates(lrs)))
    return Step(phrasing.text("descent.rule.title"), tuple(blocks))


_LMAX = Label("λ_max", r"\lambda_{\max}")
_BOUND = Label("2/λ_max", r"2/\lambda_{\max}")
_CONDITION = Label("α < 2/λ_max(H)", r"\alpha < 2/\lambda_{\max}(H)")


def _rule_label(ctx: Context) -> Label:
    """``w ← w − α∇L``, as one formula."""
    f = ctx.name
    return Label(f"w ← w − α∇{f.text}", rf"w \leftarrow w - \alpha \nabla {f.latex}")


def _rates(lrs: list[sp.Expr]) -> str:
    return ", ".join(phrasing.decimal(float(a)) for a in lrs)


def _row_rule_step(ctx: Context, lrs: list[sp.Expr]) -> Step:
    """Over many rows, the gradient for one generic row: ℓ'(ŷ)·∂ŷ/∂w, summed, where ℓ'(ŷ) is
    −2(y − ŷ) for a squared loss and σ(ŷ) − y for the logistic one."""
    model = ctx.problem.model
    assert model is not None
    name = ctx.name
    text, latex = model.loss.slope_shown
    scale = () if model.scale == 1 else (model.scale, "·")
    row = Label(
        f"∂{name.text}/∂wⱼ",
        rf"\frac{{\partial {name.latex}}}{{\partial w_j}}",
    )
    term = Label(
        f"Σᵢ {text}·∂ŷ/∂wⱼ",
        rf"\sum_i {latex} \frac{{\partial \hat{{y}}}}{{\partial w_j}}",
    )
    blocks: list[Block] = [
        phrasing.say(
            "descent.rows",
            rule=_rule_label(ctx),
            m=model.data.m,
            row=row,
            sum=(*scale, term),
            rhs=model.rhs_shown,
        )
    ]
    yhat = Label("ŷ", r"\hat{y}")
    for v in ctx.variables:
        slope = ordered(sp.simplify(sp.diff(model.rhs, v)))
        blocks.append(Equation.chain(phrasing.partial(yhat, v), slope))
    blocks.append(phrasing.say("descent.rate", rates=_rates(lrs)))
    return Step(phrasing.text("descent.rule.title"), tuple(blocks))


def _bound_step(ctx: Context, quad: Quadratic, lrs: list[sp.Expr]) -> Step:
    values = _eigenvalues(quad.h)
    top = max(values, key=lambda v: float(v))
    bottom = min(values, key=lambda v: float(v))
    title = phrasing.text("descent.bound.title")
    if float(bottom) < 0:
        return Step.of(title, phrasing.say("descent.bound.negative", bottom=bottom))
    if float(top) <= 0:
        return Step.of(title, phrasing.say("descent.bound.zero"))
    bound = sp.Float(2 / top, 10) if top.is_Float else sp.radsimp(2 / top)
    verdicts: list[Any] = []
    for a in lrs:
        gap = sp.nsimplify(a) - bound
        if gap.is_zero or (not gap.is_number or abs(float(gap)) < 1e-15 * float(bound)):
            fate = "descent.fate.edge"
        elif float(gap) < 0:
            fate = "descent.fate.converges"
        else:
            fate = "descent.fate.diverges"
        if verdicts:
            verdicts.append(phrasing.text("list.clauses"))
        verdicts += phrasing.phrase(
            fate, rate=phrasing.decimal(float(a)), bound=phrasing.decimal(float(bound))
        )
    approx = () if top.is_Rational or top.is_Float else (" ≈ ", phrasing.decimal(float(top)))
    return Step.of(
        title,
        phrasing.say("descent.bound", condition=_CONDITION, lmax=_LMAX, top=top, approx=approx),
        Equation.chain(
            Label("2/λ_max", r"2/\lambda_{\max}"),
            bound,
            *([] if bound.is_Float else [Link(sp.Float(float(bound), 10), relation="≈")]),
        ),
        Paragraph((*verdicts, phrasing.text("list.end"))),
        *_flat_directions(quad, bottom),
    )


def _flat_directions(quad: Quadratic, bottom: sp.Expr) -> list[Paragraph]:
    """A semidefinite H: what descent does along the directions where the loss is flat."""
    if not (bottom.is_zero or abs(float(bottom)) < 1e-12):
        return []
    space = quad.h.nullspace() if all(e.is_Rational for e in quad.h) else []
    shown = (
        phrasing.listed([phrasing.point(v) for v in space], phrasing.text("and"))
        if space
        else phrasing.phrase("descent.eigenvector")
    )
    return [phrasing.say("descent.flat", directions=shown)]


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
    f = ctx.name
    headers = (
        "k",
        Label("wₖ", "w_k"),
        Label(f"∇{name}(wₖ)", rf"\nabla {f.latex}(w_k)"),
        Label("wₖ₊₁ = wₖ − α∇", r"w_{k+1} = w_k - \alpha \nabla"),
        Label(f"{name}(wₖ₊₁)", rf"{f.latex}(w_{{k+1}})"),
    )
    table = Table(headers, tuple(rows))
    rate = phrasing.decimal(run.lrs[0])
    return Step.of(phrasing.text("descent.first.title", rate=rate), table)


def _table_step(ctx: Context, run: Run, grad_fn: Any, show: int | None) -> Step:
    done = int(run.iterations[0])
    every = max(show or 1, done // MAX_TABLE_ROWS) if show else max(1, done // 10)
    ks = sorted(set(range(0, done + 1, every)) | {done})
    if run.diverged(0):
        ks = [k for k in ks if k < done]
    f = ctx.name
    # the largest component of the gradient: the ∞-norm, named as such
    norm = Label(f"‖∇{f.text}‖∞", rf"\lVert \nabla {f.latex} \rVert_\infty")
    headers = ("k", *ctx.variables, f, norm)
    rows = []
    for k in ks:
        w = run.history[k, 0]
        g = grad_fn(w[None, :])[0]
        rows.append(
            (str(k), *(_num(v) for v in w), _num(run.loss(k, 0)), _num(float(np.abs(g).max())))
        )
    title = phrasing.text("descent.every", count=every, n=str(every))
    if show and every > show:  # show: 1 on a million steps printed 56 MB
        title += phrasing.text(
            "descent.every.capped", show=str(show), rows=done // show + 1, most=str(MAX_TABLE_ROWS)
        )
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
                phrasing.decimal(lr),
                _vec(run.history[k, r]),
                _num(run.loss(k, r)),
                str(done),
                phrasing.text(f"descent.status.{statuses[r]}"),
            )
        )
    headers = (
        "α",
        phrasing.text("descent.column.final"),
        ctx.name.text,
        phrasing.text("descent.column.steps"),
        phrasing.text("descent.column.status"),
    )
    return Step.of(
        phrasing.text("descent.sweep.title"),
        Table(headers, tuple(rows)),
        phrasing.say("descent.sweep", bound=_BOUND),
    )


def _stop_step(ctx: Context, run: Run, tol_exact: sp.Expr | None) -> Step:
    tol = phrasing.decimal(float(tol_exact)) if tol_exact is not None else ""
    lines = []
    for r, lr in enumerate(run.lrs):
        because = phrasing.phrase(
            f"descent.stop.{run.reasons[r]}", tol=tol, grad=phrasing.nabla(ctx.name)
        )
        line = phrasing.phrase(
            "descent.stop",
            rate=phrasing.decimal(lr),
            n=str(int(run.iterations[r])),
            because=because,
        )
        if not run.diverged(r) and growing(run, r):
            first, last = run.loss(0, r), run.loss(int(run.iterations[r]), r)
            key = "descent.unbounded" if last < first else "descent.diverging"
            line += phrasing.phrase(key, first=_num(first), last=_num(last))
        lines.append(Paragraph(line))
    return Step(phrasing.text("descent.stop.title"), tuple(lines))


@dataclass(frozen=True)
class ExactRun:
    """The first iterates in exact arithmetic and, on a quadratic, wₙ in closed form."""

    iterates: tuple[tuple[sp.Expr, ...], ...]
    closed_form: sp.Expr | None = None
    minimum: tuple[sp.Expr, ...] | None = None
    #: max |1 − αλ| over H's eigenvalues λ: below 1 every step shrinks the distance to w*.
    contraction: sp.Expr | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "iterates": [list(w) for w in self.iterates],
            "closed_form": self.closed_form,
            "minimum": list(self.minimum) if self.minimum is not None else None,
            "contraction": self.contraction,
        }


def _exact_run(
    ctx: Context, start: tuple[sp.Expr, ...], lr: sp.Expr, steps: int, quad: Quadratic | None
) -> ExactRun:
    w = sp.Matrix(start)
    iterates = [tuple(w)]
    for _ in range(min(EXACT_STEPS, steps)):
        values = dict(zip(ctx.variables, w, strict=True))
        grad = sp.Matrix([g.subs(values) for g in ctx.gradient])
        w = (w - lr * grad).applyfunc(_exact_value)
        iterates.append(tuple(w))
    if quad is None or quad.h.det() == 0:
        return ExactRun(tuple(iterates))
    star = -quad.h.inv() * quad.g
    factors = [sp.Abs(1 - lr * v) for v in _eigenvalues(quad.h)]
    contraction = sp.radsimp(max(factors, key=float)) if factors else None
    closed = None
    if len(ctx.variables) == 1:
        n = sp.Symbol("n", integer=True, nonnegative=True)
        ratio = 1 - lr * quad.h[0, 0]
        closed = sp.simplify(star[0] + ratio**n * (start[0] - star[0]))
    return ExactRun(tuple(iterates), closed, tuple(star), contraction)


def _exact_value(value: sp.Expr) -> sp.Expr:
    """An exact iterate, simplified within a budget (it stays exact either way)."""
    try:
        with within(EXACT_SIMPLIFY_BUDGET):
            return sp.simplify(value)
    except OverBudget:
        return value


def _exact_step(ctx: Context, lr: sp.Expr, exact: ExactRun) -> Step:
    rows = [(str(k), *w) for k, w in enumerate(exact.iterates)]
    blocks: list[Block] = [
        phrasing.say("descent.exact", n=len(exact.iterates) - 1, rate=lr),
        Table(("k", *ctx.variables), tuple(rows)),
    ]
    if exact.minimum is None:
        return Step(phrasing.text("descent.exact.title"), tuple(blocks))
    if exact.closed_form is not None:
        general = Label("w* + (1 − αh)ⁿ(w₀ − w*)", r"w^* + (1 - \alpha h)^n (w_0 - w^*)")
        links: tuple[Link, ...] = (Link(general), Link(ordered(exact.closed_form)))
    else:
        general = Label("w* + (I − αH)ⁿ(w₀ − w*)", r"w^* + (I - \alpha H)^n (w_0 - w^*)")
        links = (Link(general),)
    blocks.append(Equation(Label("wₙ", "w_n"), links))
    c = exact.contraction
    assert c is not None  # a quadratic with an invertible H has eigenvalues
    key = (
        "descent.exact.minimum.stays"
        if c.equals(1)
        else "descent.exact.minimum"
        if float(c) < 1
        else "descent.exact.minimum.grows"
    )
    point = exact.minimum
    star = point[0] if len(point) == 1 else phrasing.point(point)
    ratio = Label("|1 − αλ|", r"\left|1 - \alpha \lambda\right|")
    blocks.append(phrasing.say(key, star=star, factor=c, ratio=ratio))
    return Step(phrasing.text("descent.exact.title"), tuple(blocks))


def _twin_steps(ctx: Context, run: Run) -> int:
    """How many steps the autograd twin repeats: every one, within its budget."""
    m = _twin_rows(ctx)
    done = [int(n) for n in run.iterations]
    model = ctx.problem.model
    if model is not None and model.data.partitioned is not None and model.moments is None:
        return min(max(done), TWIN_PASSES)
    return min(max(done), TWIN_STEPS, max(1, TWIN_ROW_STEPS // m))


def _twin_rows(ctx: Context) -> int:
    """The rows the twin evaluates a step: the data's, or 1 where it is the judge's own
    quadratic form (data beyond memory, summed once)."""
    model = ctx.problem.model
    return model.data.m if model is not None and model.judged is None else 1


#: Over partitioned rows the twin makes a pass over the data a step: it replays this many.
TWIN_PASSES = 3


def _twin_checks(ctx: Context, run: Run, start: list[float]) -> list[Check]:
    """Every run against the same descent in torch autograd on the problem's own definition
    (:mod:`tutor.numeric.twin`), all rates in one batch; one check a rate.

    The twin runs at most :data:`TWIN_ROW_STEPS` row-evaluations (a million rows: its first
    20 steps) and :data:`TWIN_STEPS` steps; the check says how many it compared.
    """
    m = _twin_rows(ctx)
    done = [int(n) for n in run.iterations]
    steps = _twin_steps(ctx, run)
    twin = autograd_twin(ctx.twin, start, [float(a) for a in run.lrs], steps)
    method = phrasing.text("descent.check.method", dtype=ctx.dtype)
    checks = []
    for r, lr in enumerate(run.lrs):
        compared = min(steps, done[r])
        mine, theirs = run.history[: compared + 1, r], twin[: compared + 1, r]
        keep = np.abs(theirs).max(axis=1) < 1e6  # compare while the numbers still mean something
        what = phrasing.text("descent.check", n=str(compared), rate=phrasing.decimal(lr))
        if compared < done[r]:
            model = ctx.problem.model
            if model is not None and model.data.partitioned is not None:
                budget = phrasing.text("descent.check.passes", n=TWIN_PASSES)
            elif steps == TWIN_STEPS:
                budget = phrasing.text("descent.check.steps", n=TWIN_STEPS)
            else:
                budget = phrasing.text("descent.check.rows", n=f"{TWIN_ROW_STEPS:.0e}", m=m)
            what += phrasing.text("descent.check.budget", done=done[r], budget=budget)
        if not keep[1:].any() and compared > 0:
            checks.append(
                Check.unchecked(
                    what=what,
                    method=method,
                    reason=phrasing.text("descent.check.far"),
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


@dataclass(frozen=True, eq=False, repr=False)
class Descent(Outcome):
    """Every run of a descent (one per learning rate) and the verdict on each; the first
    run is the one SPEC §4's top-level keys describe."""

    variables: tuple[sp.Symbol, ...]
    run: Run
    statuses: tuple[str, ...]
    model: Model | None
    #: The steps of each run the autograd twin repeated (its budget may stop it early).
    checked: int = 0
    #: With ``exact: true``, the first iterates as fractions and wₙ in closed form.
    exact: ExactRun | None = None

    def diverged(self, r: int) -> bool:
        return self.statuses[r] == "diverged"

    def to_json(self) -> dict[str, Any]:
        run, k = self.run, self.run.last(0)
        out: dict[str, Any] = {
            "final": {
                v.name: float(x) for v, x in zip(self.variables, run.history[k, 0], strict=True)
            },
            "iterations": int(run.iterations[0]),
            "loss": float(run.loss(k, 0)),
            "converged": self.statuses[0] == "converged",
            "status": self.statuses[0],
            "diverged": self.diverged(0),
            "stopped": run.reasons[0],
            "history": _strided(run, 0),
            "stride": _stride(run, 0),
        }
        if self.exact is not None:
            out["exact"] = self.exact.to_json()
        if len(run.lrs) > 1:
            out["lr"] = float(run.lrs[0])  # the rate the keys above describe; all in runs
            out["runs"] = [
                {
                    "lr": float(lr),
                    "status": self.statuses[r],
                    "iterations": int(run.iterations[r]),
                    "final": [float(x) for x in run.history[run.last(r), r]],
                    "history": _strided(run, r),
                    "stride": _stride(run, r),
                    "checked": min(self.checked, int(run.iterations[r])),
                }
                for r, lr in enumerate(run.lrs)
            ]
        return out

    def figures(self) -> tuple[Figure, ...]:
        run = self.run
        runs = []
        for r, lr in enumerate(run.lrs):
            path = np.array(_strided(run, r), dtype=float)
            stride = _stride(run, r)
            label = float(lr) if len(run.lrs) > 1 else None
            steps = np.arange(len(path)) * stride
            runs.append(outcome.Run(label, path, steps, self.diverged(r)))
        if self.model is not None and self.model.data.partitioned is not None:
            return ()  # every point of a contour or loss curve would be a pass over the data
        out: list[Figure] = [outcome.DescentPaths(tuple(runs))]
        if self.model is not None and not self.diverged(0):
            final = tuple(sp.Float(float(x)) for x in run.history[run.last(0), 0])
            out += fit_figure(self.model, self.variables, final)
        return tuple(out)


def _stride(run: Run, r: int) -> int:
    """Every how many steps run r's ``history`` keeps a point (about 200 points at most)."""
    return max(1, int(run.iterations[r]) // 200)


def _strided(run: Run, r: int) -> list[list[float]]:
    """Run r's path, every :func:`_stride`-th point (every step of a short run)."""
    last = run.last(r)
    return [[float(v) for v in run.history[i, r]] for i in range(0, last + 1, _stride(run, r))]


def _num(value: float) -> str:
    return phrasing.decimal(float(value), 8)


def _vec(values: Any) -> str:
    return "(" + ", ".join(_num(v) for v in values) + ")"
