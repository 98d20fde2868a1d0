"""Autograd as the judge: symbolic derivatives compared with torch at real points."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp

from ..checks import Check
from . import tolerance
from .compile import compile_exprs

NO_POINT = "no sampled point lies where both sides are real and finite"


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


#: Where to look for points of the domain when the first draw misses it, in turn: near 0,
#: positive (roots, logs), wide (log(log(x)) needs x > e), narrow (exp(cosh(y³)) overflows
#: beyond |y| ≈ 2), tiny.
STAGES = ((-2.5, 2.5), (0.1, 3.0), (0.1, 30.0), (-30.0, 30.0), (-0.5, 0.5), (0.001, 0.1))
CANDIDATES = 600
#: Row-evaluations one batch of candidates may cost (a model over a million rows: 10 points).
BATCH_ROWS = 10_000_000


def domain_points(
    twin: Callable[[Any], Any],
    variables: Sequence[sp.Symbol],
    n: int,
    seed: int = 0,
    rows: int = 1,
) -> list[tuple[float, ...]]:
    """``n`` reproducible points where the problem's own function (its twin, a batch function)
    and its autograd gradient are real and finite: :func:`sample_points` first, then draws
    from widening ranges until ``n`` are found or :data:`CANDIDATES` were tried.

    >>> import torch
    >>> x = sp.Symbol("x", real=True)
    >>> twin = lambda w: torch.log(torch.log(torch.log(w[:, 0])))
    >>> points = domain_points(twin, [x], 3)
    >>> len(points), all(p[0] > 2.72 for p in points)
    (3, True)
    """
    found = [p for p in sample_points(variables, n, seed) if _finite_at(twin, [p], rows)[0]]
    rng = random.Random(seed + 1)
    tried = 0
    while len(found) < n and tried < CANDIDATES:
        size = max(1, min(100, BATCH_ROWS // max(rows, 1)))
        batch = [_draw(variables, rng, tried + i) for i in range(size)]
        tried += size
        for point, ok in zip(batch, _finite_at(twin, batch, rows), strict=True):
            if ok and point not in found and len(found) < n:
                found.append(point)
    return found


def _draw(variables: Sequence[sp.Symbol], rng: random.Random, k: int) -> tuple[float, ...]:
    lo, hi = STAGES[k % len(STAGES)]
    point = []
    for v in variables:
        value = float(f"{rng.uniform(lo, hi):.3g}")
        if v.is_positive or v.is_nonnegative:
            value = abs(value) or hi
        elif v.is_negative or v.is_nonpositive:
            value = -abs(value) or -hi
        point.append(value)
    return tuple(point)


def _finite_at(
    twin: Callable[[Any], Any], points: Sequence[tuple[float, ...]], rows: int
) -> list[bool]:
    """Whether the twin and its gradient are real and finite at each point."""
    import torch

    w = torch.tensor([list(p) for p in points], dtype=torch.float64, requires_grad=True)
    try:
        values = twin(w)
        if values.is_complex():
            return [False] * len(points)
        if values.requires_grad:
            (grad,) = torch.autograd.grad(values.sum(), w, allow_unused=True)
        else:
            grad = None
    except (TypeError, RuntimeError, ValueError, OverflowError):
        return [False] * len(points)
    ok = torch.isfinite(values.detach())
    if grad is not None:
        ok &= torch.isfinite(grad).all(dim=1)
    return [bool(v) for v in ok]


def gradient_check(
    f: Callable[..., Any],
    variables: Sequence[sp.Symbol],
    claimed: Sequence[sp.Expr],
    points: Sequence[Sequence[float]],
    what: str,
    no_point: str = NO_POINT,
) -> Check:
    """Compare ``claimed`` (the partials) with ``torch.autograd.grad`` of ``f``, the problem's
    own definition in torch (:func:`tutor.numeric.twin.at_point`), never the object judged.

    Points where f or its gradient is not finite (outside the domain) are skipped; the check
    reports the points it used, and is *unchecked* when there are none (``no_point`` says
    why, in the caller's words).
    """
    import torch

    g = compile_exprs(list(claimed), variables)
    worst, used = 0.0, []
    tol = tolerance.FLOAT64_RTOL
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
        tol = max(tol, tolerance.float64(float(auto.abs().max())))
    method = "torch.autograd.grad (float64)"
    if not used:
        return Check.unchecked(what=what, method=method, reason=no_point)
    return Check.numeric(what=what, method=method, error=worst, tolerance=tol, points=tuple(used))


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
    return Check.numeric(
        what=what,
        method=method,
        error=max(errors, default=0.0),
        tolerance=tolerance.FLOAT64_RTOL * scale,
        points=(tuple(point),),
    )


def hessian_check(
    f: Callable[..., Any],
    variables: Sequence[sp.Symbol],
    claimed: sp.Matrix,
    points: Sequence[Sequence[float]],
    what: str,
    no_point: str = NO_POINT,
) -> Check:
    """Compare the symbolic Hessian with ``torch.autograd.functional.hessian`` of ``f`` (the
    problem's definition in torch) at points; points where either is not finite are skipped."""
    import torch

    n = len(variables)
    h = compile_exprs([claimed[i, j] for i in range(n) for j in range(n)], variables)
    worst, used, tol = 0.0, [], tolerance.FLOAT64_RTOL
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
        tol = max(tol, tolerance.float64(float(auto.abs().max())))
    method = "torch.autograd.functional.hessian (float64)"
    if not used:
        return Check.unchecked(what=what, method=method, reason=no_point)
    return Check.numeric(what=what, method=method, error=worst, tolerance=tol, points=tuple(used))
