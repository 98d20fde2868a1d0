"""Second derivatives: the Hessian matrix and what its eigenvalues say about a point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

MAX_EXACT_EIGEN = 3


def hessian(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> sp.Matrix:
    """The matrix of second partials, each simplified by expansion when polynomial."""
    rows = []
    for vi in variables:
        first = sp.diff(expr, vi)
        rows.append([sp.expand(sp.diff(first, vj)) for vj in variables])
    return sp.Matrix(rows)


@dataclass(frozen=True)
class Curvature:
    """The eigenvalues of a Hessian at a point and the kind of point they make it."""

    kind: str
    eigenvalues: tuple[sp.Expr, ...]
    numeric: tuple[float, ...]
    reason: str


def classify(h: sp.Matrix) -> Curvature:
    """Minimum, maximum, saddle or degenerate, from the signs of the eigenvalues.

    >>> classify(sp.Matrix([[20, 8], [8, 4]])).kind
    'minimum'
    >>> classify(sp.Matrix([[2, 0], [0, -3]])).reason
    'eigenvalues −3 < 0 < 2: a saddle point'
    """
    exact: tuple[sp.Expr, ...] = ()
    if h.shape[0] <= MAX_EXACT_EIGEN and all(e.is_number for e in h):
        try:
            values = h.eigenvals(multiple=True)
            if all(v.is_real is not False for v in values):
                exact = tuple(sorted((sp.nsimplify(v) if v.is_Float else v for v in values),
                                     key=lambda v: float(sp.re(v))))  # fmt: skip
        except (NotImplementedError, TypeError, ValueError):
            exact = ()
    numeric = tuple(
        float(sp.re(v)) for v in exact
    ) or tuple(sorted(np.linalg.eigvalsh(np.array(h.evalf(), dtype=float)).tolist()))
    signs = []
    for i, value in enumerate(numeric):
        sign = exact[i].is_positive if exact else None
        if exact and exact[i].is_zero:
            signs.append(0)
        elif sign is True or (sign is None and value > 1e-12 * max(1, max(map(abs, numeric)))):
            signs.append(1)
        elif exact and exact[i].is_negative or value < -1e-12 * max(1, max(map(abs, numeric))):
            signs.append(-1)
        else:
            signs.append(0)
    from ..render.mathprint import math_text

    shown = [math_text(v) for v in exact] if exact else [f"{v:.6g}" for v in numeric]
    if all(s > 0 for s in signs):
        return Curvature("minimum", exact, numeric, f"eigenvalues {', '.join(shown)} > 0: "
                         "positive definite, a minimum")  # fmt: skip
    if all(s < 0 for s in signs):
        return Curvature("maximum", exact, numeric, f"eigenvalues {', '.join(shown)} < 0: "
                         "negative definite, a maximum")  # fmt: skip
    if any(s > 0 for s in signs) and any(s < 0 for s in signs):
        neg = ", ".join(t for t, s in zip(shown, signs, strict=True) if s < 0)
        pos = ", ".join(t for t, s in zip(shown, signs, strict=True) if s > 0)
        return Curvature("saddle", exact, numeric, f"eigenvalues {neg} < 0 < {pos}: a saddle point")
    return Curvature("degenerate", exact, numeric, f"eigenvalues {', '.join(shown)} include 0: "
                     "the second-derivative test cannot decide")  # fmt: skip
