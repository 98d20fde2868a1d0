"""``convexity``: is f convex? By the second derivative (one variable) or the Hessian: a proof
when SymPy can decide it, else a counterexample, else an honest "cannot tell"; with points,
the definition checked on them (ch3, 3.7: x² with A = (−3, 9), B = (5, 25), α = (0.3, 0.7))."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pydantic
import sympy as sp

from .. import phrasing
from ..budget import OverBudget, within
from ..calculus.composition import convex_by_rules
from ..calculus.hessian import classify
from ..document import Block, Check, Equation, Label, Paragraph, Section, Step, Table
from ..errors import ExpressionError, InputError
from ..expr import ordered, parse_number
from ..numeric.compile import numpy_function
from ..numeric.verify import sample_points
from ..outcome import Outcome
from .context import Context, defined, hessian_check

NAME = "convexity"
#: The message key of its section\'s title.
TITLE = "convexity.title"
SEARCH_POINTS = 400
#: Seconds the symbolic second-derivative test may take before the numeric search.
SYMBOLIC_BUDGET = 5.0


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    points: Any = None
    weights: Any = None


@dataclass(frozen=True, eq=False, repr=False)
class Convexity(Outcome):
    """Convex (True), not (False, with a counterexample), or undecided (None), and why; with
    the definition checked on given points when asked."""

    convex: bool | None
    reason: Paragraph
    counterexample: tuple[sp.Expr, ...] | None = None
    definition: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"convex": self.convex, "reason": self.reason}
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.definition is not None:
            out["definition"] = self.definition
        return out


def run(ctx: Context, params: Params) -> Section:
    h = ctx.hessian
    n = len(ctx.variables)
    steps: list[Step] = []
    if n == 1:
        label = ctx.second_label(0, 0)
        steps.append(
            Step.of(
                phrasing.text("convexity.second.title"), Equation.chain(label, ordered(h[0, 0]))
            )
        )
    else:
        steps.append(
            Step.of(
                phrasing.text("hessian.matrix.title"),
                Equation.chain(Label("H", "H"), sp.ImmutableMatrix(h.applyfunc(ordered))),
            )
        )
    convex, reason, witness = _decide(ctx, h)
    steps.append(Step.of(phrasing.text("convexity.question"), reason))
    definition = None
    params_out: dict[str, Any] = {}
    if params.points is not None:
        step, definition = _definition(ctx, params)
        steps.append(step)
        params_out = {"points": definition["points"], "weights": definition["weights"]}
    result = Convexity(convex, reason, witness, definition)
    points = ctx.random_points()
    checks = [
        hessian_check(ctx.judge, ctx.variables, h, points, phrasing.text("convexity.check.second"))
    ]
    if witness is not None:
        checks.append(_witness_check(ctx, witness))
    title = phrasing.text(TITLE)
    return Section(NAME, title, params_out, result, tuple(steps), tuple(checks))


def _decide(
    ctx: Context, h: sp.Matrix
) -> tuple[bool | None, Paragraph, tuple[sp.Expr, ...] | None]:
    """(convex, the reason in words, a point where curvature is negative or None)."""
    n = len(ctx.variables)
    f = ctx.name
    second = phrasing.second_prime(ctx.name) if n == 1 else None
    domain = _domain_words(ctx)
    if all(e.is_number for e in h):
        curvature = classify(h)
        if all(s >= 0 for s in curvature.signs):
            if curvature.minors:
                sylvester = phrasing.curvature_minors(curvature)
                reason = phrasing.say("convexity.constant.minors", minors=sylvester, f=f)
                return True, reason, None
            values = phrasing.listed(curvature.shown)
            if n == 1:
                return (
                    True,
                    phrasing.say("convexity.constant.second", f2=second, values=values, f=f),
                    None,
                )
            return True, phrasing.say("convexity.constant.eigenvalues", values=values, f=f), None
        point = tuple(sp.S.Zero for _ in ctx.variables)
        values = phrasing.listed(curvature.shown)
        if n == 1:
            return False, phrasing.say("convexity.concave", f2=second, values=values, f=f), point
        return False, phrasing.say("convexity.negative.eigenvalue", values=values, f=f), point
    rules = convex_by_rules(ctx.problem.objective, ctx.variables)
    if rules is not None:
        return True, phrasing.say("convexity.rules", f=f, rules=phrasing.names(rules)), None
    try:
        with within(SYMBOLIC_BUDGET):
            if n == 1:
                assert second is not None
                value = h[0, 0]
                x = ctx.variables[0]
                parts = dict(f2=second, value=ordered(value), x=x, domain=domain, f=f)
                if value.is_nonnegative:
                    return True, phrasing.say("convexity.second.nonnegative", **parts), None
                try:
                    negative = sp.solve_univariate_inequality(value < 0, x, relational=False)
                    negative = negative.intersect(_domain_set(x))
                except (NotImplementedError, TypeError, ValueError):
                    negative = None
                if negative is not None and negative.is_empty:
                    return True, phrasing.say("convexity.second.domain", **parts), None
                if negative is not None and not negative.is_empty:
                    witness = _inside(negative)
                    if witness is not None:
                        at = sp.simplify(value.subs(x, witness))
                        reason = phrasing.say(
                            "convexity.second.negative",
                            **parts,
                            region=negative,
                            at=phrasing.applied(second, (witness,)),
                            there=at,
                        )
                        return False, reason, (witness,)
            else:
                if n <= 3 and _principal_minors_nonnegative(h):
                    return (
                        True,
                        phrasing.say("convexity.minors.semidefinite", domain=domain, f=f),
                        None,
                    )
                minors = [h[:k, :k].det() for k in range(1, n + 1)]
                if all(sp.simplify(m).is_positive for m in minors):
                    return True, phrasing.say("convexity.minors.definite", domain=domain, f=f), None
    except OverBudget:  # the symbolic test ran out of time: search for a counterexample
        late = True
    else:
        late = False
    found = _search(ctx, h)
    if found is not None:
        point, smallest = found
        key = "convexity.search.second" if n == 1 else "convexity.search.eigenvalue"
        reason = phrasing.say(
            key, point=phrasing.point(point), f2=second or "", value=smallest, n=SEARCH_POINTS, f=f
        )
        return False, reason, point
    why = (
        phrasing.phrase("convexity.undecided.late", seconds=SYMBOLIC_BUDGET)
        if late
        else phrasing.phrase("convexity.undecided.unproved")
    )
    return None, phrasing.say("convexity.undecided", why=why, n=SEARCH_POINTS), None


def _principal_minors_nonnegative(h: sp.Matrix) -> bool:
    """H is positive semidefinite iff every principal minor is ≥ 0 (Sylvester)."""
    from itertools import combinations

    n = h.shape[0]
    for k in range(1, n + 1):
        for rows in combinations(range(n), k):
            minor = sp.simplify(h.extract(list(rows), list(rows)).det())
            if minor.is_nonnegative is True:
                continue
            # w₁²/(w₀² + w₁²)^(3/2): SymPy will not say ≥ 0 (the denominator may vanish),
            # but a fraction of nonnegative parts is ≥ 0 wherever it is defined.
            top, bottom = sp.fraction(sp.together(minor))
            if not (top.is_nonnegative and bottom.is_nonnegative):
                return False
    return True


def _domain_set(x: sp.Symbol) -> sp.Set:
    if x.is_positive:
        return sp.Interval.open(0, sp.oo)
    if x.is_nonnegative:
        return sp.Interval(0, sp.oo)
    if x.is_negative:
        return sp.Interval.open(-sp.oo, 0)
    return sp.S.Reals


def _domain_words(ctx: Context) -> tuple[Any, ...]:
    """`` (where x > 0, y ≥ 0)`` from the variables' declared signs, or nothing."""
    signs = [("positive", " > 0"), ("nonnegative", " ≥ 0"), ("negative", " < 0")]
    parts = []
    for v in ctx.variables:
        relation = next((r for key, r in signs if getattr(v, f"is_{key}")), None)
        if relation is not None:
            parts.append((v, relation))
    return phrasing.phrase("convexity.domain", signs=phrasing.listed(parts)) if parts else ("",)


def _inside(region: sp.Set) -> sp.Expr | None:
    """A simple point inside a set of reals: an integer if there is one."""
    for interval in region.args if isinstance(region, sp.Union) else (region,):
        if isinstance(interval, sp.Interval):
            lo, hi = interval.start, interval.end
            for candidate in (0, -1, 1, -2, 2, -5, 5, -10, 10):
                if interval.contains(candidate) is sp.true:
                    return sp.Integer(candidate)
            if lo.is_finite and hi.is_finite:
                return (lo + hi) / 2
            return (
                lo - 1
                if hi.is_finite is False and lo.is_finite is False
                else (hi - 1 if hi.is_finite else lo + 1)
            )
    return None


def _search(ctx: Context, h: sp.Matrix) -> tuple[tuple[sp.Expr, ...], float] | None:
    """Sample the domain for negative curvature; return the point and the eigenvalue."""
    n = len(ctx.variables)
    fn = numpy_function(ctx.variables, h)
    rng = random.Random(ctx.seed)
    for point in sample_points(ctx.variables, SEARCH_POINTS, rng.randrange(1 << 30)):
        with np.errstate(all="ignore"):
            try:
                raw = np.asarray(fn(*point))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                continue
        if np.iscomplexobj(raw):  # outside the real domain (x**x at x < 0)
            continue
        value = raw.astype(float).reshape(n, n)
        if not np.isfinite(value).all():
            continue
        smallest = float(np.linalg.eigvalsh(value)[0])
        if smallest < -1e-9 * max(1.0, float(np.abs(value).max())):
            return tuple(sp.Rational(str(v)) for v in point), smallest
    return None


def _witness_check(ctx: Context, point: tuple[sp.Expr, ...]) -> Check:
    """autograd's Hessian at the counterexample has a negative eigenvalue too."""
    import torch

    f = ctx.judge
    x = torch.tensor([float(v) for v in point], dtype=torch.float64)
    auto = torch.autograd.functional.hessian(lambda t: f(*t.unbind()), x)
    smallest = float(torch.linalg.eigvalsh(auto.reshape(len(point), len(point)))[0])
    return Check.numeric(
        what=phrasing.text("convexity.check.witness"),
        method=phrasing.text("method.witness"),
        error=max(0.0, smallest),
        tolerance=0.0,
        points=(tuple(x.tolist()),),
    )


def _definition(ctx: Context, params: Params) -> tuple[Step, dict[str, Any]]:
    """C = α₁A + α₂B on the chord against D = (x_C, f(x_C)) on the graph (ch3, 3.7.2)."""
    raw = params.points
    if not isinstance(raw, list) or len(raw) < 2:
        raise InputError("give two or more points: a list like [-3, 5]", key="points")
    xs = [ctx.point(p, f"points[{i}]") for i, p in enumerate(raw)]
    k = len(xs)
    try:
        weights = (
            [parse_number(w) for w in params.weights]
            if params.weights is not None
            else [sp.Rational(1, k)] * k
        )
    except (ExpressionError, TypeError) as exc:
        raise InputError(
            getattr(exc, "message", "expected a list of numbers"), key="weights"
        ) from None
    if (
        len(weights) != k
        or any(w.is_negative for w in weights)
        or sp.simplify(sum(weights) - 1) != 0
    ):
        raise InputError("expected {k} nonnegative weights adding up to 1", key="weights", k=k)
    f = ctx.problem.objective
    values = [ctx.at(f, p) for p in xs]
    if not all(defined(v) for v in values):
        raise InputError(
            "{text} is undefined at one of the points", key="points", text=ctx.name.text
        )
    xc = tuple(sum(w * p[i] for w, p in zip(weights, xs, strict=True)) for i in range(len(xs[0])))
    chord = sum(w * v for w, v in zip(weights, values, strict=True))
    graph = ctx.at(f, xc)
    above = bool(chord >= graph)
    rows = [
        (chr(ord("A") + i), phrasing.point(p), v)
        for i, (p, v) in enumerate(zip(xs, values, strict=True))
    ]
    rows.append((phrasing.text("convexity.chord.row"), phrasing.point(xc), chord))
    rows.append((phrasing.text("convexity.graph.row"), phrasing.point(xc), graph))
    verdict = (
        phrasing.phrase("convexity.definition.holds")
        if above
        else phrasing.phrase("convexity.definition.fails", f=ctx.name)
    )
    blocks: list[Block] = [
        phrasing.say("convexity.definition", weights=phrasing.point(weights)),
        Table(("", "x", ctx.name), tuple(rows)),
        phrasing.say(
            "convexity.definition.verdict",
            comparison=(chord, " ≥ " if above else " < ", graph),
            verdict=verdict,
        ),
    ]
    definition = {
        "points": [[str(v) for v in p] for p in xs],
        "weights": [str(w) for w in weights],
        "chord": str(chord),
        "graph": str(graph),
        "holds": above,
    }
    return Step(phrasing.text("convexity.definition.title"), tuple(blocks)), definition
