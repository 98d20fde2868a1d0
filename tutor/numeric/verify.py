"""Autograd as the judge: symbolic derivatives compared with torch at real points."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import sympy as sp

from ..document import Check
from .compile import compile_expr, compile_exprs

RTOL = 1e-9


def sample_points(variables: Sequence[sp.Symbol], n: int, seed: int = 0) -> list[tuple[float, ...]]:
    """``n`` reproducible random points, respecting each variable's sign assumptions.

    >>> x = sp.Symbol("x", positive=True)
    >>> all(p[0] > 0 for p in sample_points([x], 5))
    True
    """
    rng = random.Random(seed)
    points = []
    for _ in range(n):
        point = []
        for v in variables:
            value = round(rng.uniform(-2.5, 2.5), 3)
            if v.is_positive or v.is_nonnegative:
                value = round(rng.uniform(0.1, 3.0), 3)
            elif v.is_negative or v.is_nonpositive:
                value = -round(rng.uniform(0.1, 3.0), 3)
            point.append(value)
        points.append(tuple(point))
    return points


def gradient_check(
    objective: sp.Expr,
    variables: Sequence[sp.Symbol],
    claimed: Sequence[sp.Expr],
    points: Sequence[Sequence[float]],
    what: str,
) -> Check:
    """Compare ``claimed`` (the partials of ``objective``) with ``torch.autograd.grad``.

    Points where the objective or its gradient is not finite (outside the domain) are
    skipped; the check reports the points it used.
    """
    import torch

    f = compile_expr(objective, variables)
    g = compile_exprs(list(claimed), variables)
    worst, used = 0.0, []
    tolerance = RTOL
    for point in points:
        x = torch.tensor(list(point), dtype=torch.float64, requires_grad=True)
        try:
            y = f(*x.unbind())
            if y.is_complex() or not torch.isfinite(y):
                continue  # outside the real domain of the objective
            auto = autograd_gradient(y, x)
            with torch.no_grad():
                mine = torch.stack(g(*x.detach().unbind()))
        except (TypeError, RuntimeError):
            continue  # a complex constant (log of a negative base): not a real point
        if mine.is_complex() or not (torch.isfinite(auto).all() and torch.isfinite(mine).all()):
            continue
        used.append(tuple(float(v) for v in point))
        worst = max(worst, float((mine - auto).abs().max()))
        tolerance = max(tolerance, RTOL * (1 + float(auto.abs().max())))
    if not used:
        return Check(what, "torch.autograd.grad (float64)", math.inf, tolerance, ())
    return Check(what, "torch.autograd.grad (float64)", worst, tolerance, tuple(used))


def autograd_gradient(y: Any, x: Any) -> Any:
    """``torch.autograd.grad(y, x)``, where a ``y`` that does not depend on ``x`` has gradient 0."""
    import torch

    if not y.requires_grad:
        return torch.zeros_like(x)
    (grad,) = torch.autograd.grad(y, x, allow_unused=True)
    return torch.zeros_like(x) if grad is None else grad


def value_check(
    claimed: Sequence[float], computed: Any, what: str, method: str, point: Sequence[float]
) -> Check:
    """A check of values computed two ways (exact vs torch)."""
    errors = [abs(float(a) - float(b)) for a, b in zip(claimed, computed, strict=True)]
    scale = max([1.0, *(abs(float(b)) for b in computed)])
    return Check(what, method, max(errors, default=0.0), RTOL * scale, (tuple(point),))


def hessian_check(
    objective: sp.Expr,
    variables: Sequence[sp.Symbol],
    claimed: sp.Matrix,
    points: Sequence[Sequence[float]],
    what: str,
) -> Check:
    """Compare the symbolic Hessian with ``torch.autograd.functional.hessian`` at points;
    points where either is not finite are skipped."""
    import torch

    f = compile_expr(objective, variables)
    n = len(variables)
    h = compile_exprs([claimed[i, j] for i in range(n) for j in range(n)], variables)
    worst, used, tolerance = 0.0, [], RTOL
    for point in points:
        x = torch.tensor(list(point), dtype=torch.float64)
        try:
            auto = torch.autograd.functional.hessian(lambda t: f(*t.unbind()), x)
            mine = torch.stack(h(*x.unbind())).reshape(n, n)
        except (TypeError, RuntimeError):
            continue
        if not (torch.isfinite(auto).all() and torch.isfinite(mine).all()):
            continue
        used.append(tuple(float(v) for v in point))
        worst = max(worst, float((auto - mine).abs().max()))
        tolerance = max(tolerance, RTOL * (1 + float(auto.abs().max())))
    method = "torch.autograd.functional.hessian (float64)"
    if not used:
        return Check(what, method, math.inf, tolerance, ())
    return Check(what, method, worst, tolerance, tuple(used))
