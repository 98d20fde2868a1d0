"""``stationary_points``: solve ∇f = 0 (linear systems by elimination) and classify each point."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pydantic
import sympy as sp

from .. import phrasing
from ..budget import OverBudget, within
from ..calculus.hessian import Curvature, classify
from ..calculus.linsolve import Elimination, eliminate, is_linear
from ..calculus.polysystem import polynomial_system
from ..calculus.trigsystem import trig_system
from ..document import Check, Equation, Label, Link, Paragraph, Section, Step
from ..expr import ordered
from ..numeric import tolerance
from ..numeric.compile import numpy_function
from ..numeric.roots import STARTS, newton_roots
from ..numeric.verify import autograd_gradient
from ..outcome import Figure, Minimum, Outcome
from .context import Context, hessian_check
from .gradient import vector

NAME = "stationary_points"
#: The message key of its section\'s title.
TITLE = "stationary.title"
#: Seconds SymPy's solve may take before the numeric search goes on without it.
SOLVE_BUDGET = 5.0
#: Roots refined and listed at most (Easom's function has hundreds in the box).
MAX_ROOTS = 60


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")


@dataclass(frozen=True, eq=False, repr=False)
class Stationary(Outcome):
    """Every stationary point found with its kind; ``complete`` says whether the list is
    proved complete, and ``searched`` the box a numeric search covered when it is not."""

    variables: tuple[sp.Symbol, ...]
    points: tuple[Mapping[sp.Symbol, sp.Expr], ...]
    kinds: tuple[str, ...]
    complete: bool
    families: tuple[Mapping[str, Any], ...] = ()
    searched: Mapping[str, list[float]] | None = None

    def to_json(self) -> dict[str, Any]:
        points = [
            {
                **{v.name: p[v] for v in self.variables},
                "kind": kind,
                **({"numeric": True} if any(p[v].is_Float for v in self.variables) else {}),
            }
            for p, kind in zip(self.points, self.kinds, strict=True)
        ]
        out: dict[str, Any] = {
            "points": points,
            "complete": self.complete,
            "families": self.families,
        }
        return out if self.searched is None else out | {"searched": self.searched}

    def figures(self) -> tuple[Figure, ...]:
        for p, kind in zip(self.points, self.kinds, strict=True):
            if kind == "minimum":
                return (Minimum(tuple(float(p[v]) for v in self.variables)),)
        return ()


def run(ctx: Context, params: Params) -> Section:
    grad = list(ctx.gradient)
    variables = list(ctx.variables)
    steps = [
        Step.of(
            phrasing.title("stationary.zero.title", grad=phrasing.nabla(ctx.name)),
            phrasing.say("stationary.zero"),
            *(Equation.chain(ordered(g), 0, tag=str(i + 1)) for i, g in enumerate(grad)),
        )
    ]
    points: list[dict[sp.Symbol, sp.Expr]] = []
    complete, searched = True, None
    periodic: tuple[sp.Symbol, ...] = ()
    families: list[dict[str, Any]] = []
    if is_linear(grad, variables):
        run_ = eliminate(grad, variables)
        steps.extend(_elimination_steps(run_))
        if run_.solution is not None and not run_.free:
            points = [run_.solution]
        elif run_.solution is not None:
            families.append(_family(ctx, run_))
            steps.append(
                Step.of(
                    phrasing.text("stationary.family.title"),
                    phrasing.say(
                        "stationary.family",
                        rank=run_.rank,
                        n=len(variables),
                        free=phrasing.listed(run_.free),
                    ),
                    Equation.chain(
                        vector(variables), vector([run_.solution[v] for v in variables])
                    ),
                )
            )
        else:
            steps.append(
                Step.of(phrasing.text("stationary.none.title"), phrasing.say("stationary.none"))
            )
    else:
        points, words, complete, searched, periodic = _nonlinear(ctx, grad)
        steps.append(Step(phrasing.text("stationary.solve.title"), (words,)))
    h = ctx.hessian
    kinds = []
    for point in points:
        at = h.subs(point)
        if any(v.has(sp.Float) for v in point.values()):
            at = at.evalf(15)  # a point found numerically: H as numbers, not π and e^(…)
        curvature = classify(at)
        kinds.append(curvature.kind)
        coords = phrasing.listed(sp.Eq(v, point[v], evaluate=False) for v in variables)
        where = phrasing.point([point[v] for v in variables])
        steps.append(
            Step.of(
                phrasing.title("stationary.classify.title", point=where),
                Equation.chain(
                    phrasing.applied(Label("H", "H"), [point[v] for v in variables]),
                    sp.ImmutableMatrix(at),
                ),
                _eigen_words(coords, curvature),
            )
        )
    families += [
        {
            "point": {v.name: str(p[v]) for v in variables},
            "directions": [],
            "period": {v.name: "2*pi" for v in periodic},
            "kind": kind,
        }
        for p, kind in zip(points, kinds, strict=True)
        if periodic
    ]
    result = Stationary(
        tuple(variables), tuple(points), tuple(kinds), complete, tuple(families), searched
    )
    checks = [_zero_gradient_check(ctx, p) for p in points]
    if points:  # one check over every point: each line would otherwise read the same
        checks.append(
            hessian_check(
                ctx.judge,
                ctx.variables,
                h,
                [tuple(float(p[v]) for v in variables) for p in points],
                phrasing.text("stationary.check.hessian", count=len(points), n=len(points)),
            )
        )
    title = phrasing.text(TITLE)
    return Section(NAME, title, {}, result, tuple(steps), tuple(checks))


#: Where the numeric search looks when the system cannot be solved completely.
BOX = (-5.0, 5.0)


Found = tuple[
    list[dict[sp.Symbol, sp.Expr]],
    Paragraph,
    bool,
    dict[str, list[float]] | None,
    tuple[sp.Symbol, ...],
]


def _nonlinear(ctx: Context, grad: list[sp.Expr]) -> Found:
    """Real solutions of ∇f = 0, the words that say how they were found, whether the list is
    provably complete, and the box a numeric search covered when it is not.

    A polynomial gradient is solved completely (:mod:`tutor.calculus.polysystem`). Anything
    else gets SymPy's solve (whose real answers are kept when they are real to 30 digits) and
    multi-start Newton in a stated box; the list then says it may be incomplete."""
    variables = list(ctx.variables)
    exact = polynomial_system(grad, variables)
    if exact is not None:
        points = [p for p in exact.points if _in_domain(ctx, p)]
        n = len(points)
        words = phrasing.say("stationary.polynomial", count=n, last=variables[-1], f=ctx.name, n=n)
        return points, words, True, None, ()
    periodic = trig_system(grad, variables)
    if periodic is not None:
        points = [p for p in periodic.points if _in_domain(ctx, p)]
        n = len(points)
        words = phrasing.say(
            "stationary.periodic",
            count=n,
            names=phrasing.listed(periodic.periodic),
            n=n,
            f=ctx.name,
        )
        points.sort(key=lambda p: [float(p[v]) for v in variables])
        return points, words, True, None, periodic.periodic
    found: list[dict[sp.Symbol, sp.Expr]] = []
    try:
        with within(SOLVE_BUDGET):
            solved = sp.solve(grad, variables, dict=True)
    except (NotImplementedError, ValueError, TypeError, OverBudget):
        solved = []
    for p in solved:
        if set(p) >= set(variables) and all(_real(p[v]) for v in variables):
            found.append({v: _tidy_real(p[v]) for v in variables})
    box = {v.name: _box(v) for v in variables}
    numeric, unrefined = _numeric_roots(ctx, grad, box)
    for root in numeric:
        if not any(_same(root, q, variables) for q in found):
            found.append(root)
    found.sort(key=lambda p: [float(p[v]) for v in variables])
    inside = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in box.values())
    parts = phrasing.phrase(
        "stationary.search", count=len(found), starts=STARTS, box=inside, n=len(found)
    )
    if unrefined:
        parts += phrasing.phrase(
            "stationary.unrefined", count=unrefined, n=unrefined, f=ctx.name, most=MAX_ROOTS
        )
    words = Paragraph(parts)
    return found, words, False, {k: list(v) for k, v in box.items()}, ()


def _in_domain(ctx: Context, point: dict[sp.Symbol, sp.Expr]) -> bool:
    """The function itself is real and finite at the point (log(x) at x = −1 is not)."""
    (value,) = ctx.values([[float(point[v]) for v in ctx.variables]])
    return math.isfinite(value)


def _box(v: sp.Symbol) -> tuple[float, float]:
    lo, hi = BOX
    if v.is_positive or v.is_nonnegative:
        return (0.0, hi)
    if v.is_negative or v.is_nonpositive:
        return (lo, 0.0)
    return (lo, hi)


def _real(value: sp.Expr) -> bool:
    """Real, judged at 30 digits: SymPy writes some real roots with complex radicals."""
    try:
        number = complex(sp.N(value, 30))
    except (TypeError, ValueError):
        return False
    return abs(number.imag) <= 1e-25 * (1 + abs(number.real)) and abs(number.real) < float("inf")


def _tidy_real(value: sp.Expr) -> sp.Expr:
    return value if value.is_real else sp.Float(sp.re(sp.N(value, 30)), 15)


def _same(
    p: dict[sp.Symbol, sp.Expr], q: dict[sp.Symbol, sp.Expr], variables: list[sp.Symbol]
) -> bool:
    return max(abs(float(p[v]) - float(q[v])) for v in variables) < 1e-8


def _numeric_roots(
    ctx: Context, grad: list[sp.Expr], box: dict[str, tuple[float, float]]
) -> tuple[list[dict[sp.Symbol, sp.Expr]], int]:
    """Roots of the gradient in the box: vectorised Newton from a grid of starts
    (:mod:`tutor.numeric.roots`), the lowest :data:`MAX_ROOTS` by f refined to 15 digits by
    mpmath (minima first); and how many more were found but not refined."""
    variables = list(ctx.variables)
    n = len(variables)
    g = numpy_function(variables, grad)
    h = numpy_function(variables, [[ctx.hessian[i, j] for j in range(n)] for i in range(n)])
    limits = [box[v.name] for v in variables]
    candidates = newton_roots(g, h, limits)
    heights = [
        v if math.isfinite(v) else math.inf for v in ctx.values([list(c) for c in candidates])
    ]
    candidates = [c for _, c in sorted(zip(heights, candidates, strict=True), key=lambda t: t[0])]
    roots: list[dict[sp.Symbol, sp.Expr]] = []
    for candidate in candidates[:MAX_ROOTS]:
        try:
            value = sp.nsolve(grad, variables, [float(c) for c in candidate], prec=20)
        except (ValueError, ZeroDivisionError, TypeError):
            continue
        point = [sp.S.Zero if abs(float(v)) < 1e-12 else sp.Float(v, 15) for v in value]
        if not all(p.is_real for p in point):
            continue
        root = _exact_if_proved(dict(zip(variables, point, strict=True)), grad)
        inside = all(
            lo <= float(root[v]) <= hi for v, (lo, hi) in zip(variables, limits, strict=True)
        )
        if inside and not any(_same(root, q, variables) for q in roots):
            roots.append(root)
    return roots, max(0, len(candidates) - MAX_ROOTS)


def _exact_if_proved(
    root: dict[sp.Symbol, sp.Expr], grad: list[sp.Expr]
) -> dict[sp.Symbol, sp.Expr]:
    """The root in closed form (π, √2/2, 3/4...) when every coordinate is one to 12 digits
    and the gradient is exactly zero there; else as found."""
    guess = {}
    for v, value in root.items():
        exact = sp.nsimplify(value, [sp.pi, sp.sqrt(2), sp.sqrt(3)], tolerance=1e-12)
        if sp.count_ops(exact) > 6 or exact.has(sp.Float):
            return root
        guess[v] = exact
    try:
        proved = all(sp.simplify(g.subs(guess)) == 0 for g in grad)
    except (TypeError, ValueError):
        return root
    return guess if proved else root


def _family(ctx: Context, run_: Elimination) -> dict[str, Any]:
    """A line, plane... of stationary points: a point, the directions that span it, the kind."""
    assert run_.solution is not None
    variables = list(ctx.variables)
    origin = {f: sp.S.Zero for f in run_.free}
    point = {v.name: str(sp.sympify(run_.solution[v]).subs(origin)) for v in variables}
    directions = [[str(sp.diff(run_.solution[v], f)) for v in variables] for f in run_.free]
    values = [
        float(e)
        for e in ctx.hessian.subs(
            {v: sp.sympify(run_.solution[v]).subs(origin) for v in variables}
        ).eigenvals(multiple=True)
    ]
    kind = "minimum" if min(values) >= -1e-12 else "maximum" if max(values) <= 1e-12 else "saddle"
    return {"point": point, "directions": directions, "kind": kind}


def _eigen_words(coords: tuple[Any, ...], curvature: Curvature) -> Paragraph:
    values = phrasing.listed(curvature.shown)
    verdict = phrasing.curvature_verdict(curvature.kind)
    if curvature.minors:
        det = Label("det(H − λI)", r"\det(H - \lambda I)")
        characteristic = (det, " = ", curvature.characteristic)
        return phrasing.say(
            "stationary.eigenvalues.minors",
            coords=coords,
            values=values,
            characteristic=characteristic,
            minors=phrasing.curvature_minors(curvature),
            verdict=verdict,
        )
    kind = "zero" if all(sign == 0 for sign in curvature.signs) else curvature.kind
    signs = phrasing.phrase(f"stationary.signs.{kind}")
    return phrasing.say(
        "stationary.eigenvalues", coords=coords, values=values, signs=signs, verdict=verdict
    )


def _elimination_steps(run: Elimination) -> list[Step]:
    steps = []
    for op in run.operations:
        if op.kind == "eliminate":
            steps.append(
                Step.of(
                    phrasing.operation_title(op),
                    Equation.chain(ordered(op.equation), 0, tag=str(op.label)),
                )
            )
        elif op.kind == "solve" and op.solved is not None:
            var, value = op.solved
            steps.append(
                Step.of(
                    phrasing.operation_title(op),
                    Equation.chain(
                        ordered(op.equation),
                        0,
                        Link(sp.Eq(var, ordered(value), evaluate=False), relation="⇒"),
                    ),
                )
            )
        else:
            words = (
                "elimination.dependent" if op.kind == "dependent" else "elimination.inconsistent"
            )
            steps.append(Step.of(phrasing.operation_title(op), phrasing.say(words)))
    return steps


def _zero_gradient_check(ctx: Context, point: dict[sp.Symbol, sp.Expr]) -> Check:
    import torch

    f = ctx.judge
    coords = [float(point[v]) for v in ctx.variables]
    x = torch.tensor(coords, dtype=torch.float64, requires_grad=True)
    g = autograd_gradient(f(*x.unbind()), x)
    return Check.numeric(
        what=phrasing.text(
            "stationary.check.zero", coords=", ".join(phrasing.number(c) for c in coords)
        ),
        method="torch.autograd.grad (float64)",
        error=float(g.abs().max()),
        tolerance=100 * tolerance.float64(max(abs(c) for c in coords)),
        points=(tuple(coords),),
    )
