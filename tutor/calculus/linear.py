"""Linear least squares in exact arithmetic: the design of a model, and X^T X ŵ = X^T y.

A model ŷ = Σ wⱼ·φⱼ(x) + φ₀(x) is linear in its weights wⱼ: each feature φⱼ is the
derivative of ŷ by wⱼ and does not involve any weight. That is the test used here, so
``y = a*x**2 + b*sin(x) + c`` is linear (features x², sin x, 1) and ``y = a*exp(b*x)`` is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class Design:
    """ŷ = Σ wⱼ·features[j] + offset, with every feature free of the weights."""

    weights: tuple[sp.Symbol, ...]
    features: tuple[sp.Expr, ...]
    offset: sp.Expr


def linear_design(rhs: sp.Expr, weights: Sequence[sp.Symbol]) -> Design | None:
    """The features of a model linear in ``weights``, or None when it is not linear.

    >>> a, b, x = sp.symbols("a b x")
    >>> linear_design(a*x + b, [a, b])
    Design(weights=(a, b), features=(x, 1), offset=0)
    >>> linear_design(a*sp.exp(b*x), [a, b]) is None
    True
    """
    features = []
    for w in weights:
        feature = sp.diff(rhs, w)
        if feature.has(*weights):
            return None
        features.append(feature)
    offset = sp.expand(rhs - sum(w * f for w, f in zip(weights, features, strict=True)))
    if offset.has(*weights):
        return None
    return Design(tuple(weights), tuple(features), offset)


@dataclass(frozen=True)
class NormalSolution:
    """The solution of the (possibly ridge-regularised) normal equation."""

    gram: sp.Matrix
    moment: sp.Matrix
    rank: int
    singular: bool
    solution: sp.Matrix
    method: str
    inverse: sp.Matrix | None = None


def solve_normal(gram: sp.Matrix, moment: sp.Matrix, ridge: sp.Expr | None) -> NormalSolution:
    """Solve X^T X ŵ = X^T y exactly: the inverse when X^T X has full rank; with ``ridge``
    λ, (X^T X + λI)⁻¹ X^T y; when singular without ridge, the minimum-norm solution.

    >>> sol = solve_normal(sp.Matrix([[10, 4], [4, 2]]), sp.Matrix([14, 6]), None)
    >>> sol.solution.T, sol.rank, sol.method
    (Matrix([[1, 1]]), 2, 'inverse')
    >>> sing = solve_normal(sp.Matrix([[1, 2], [2, 4]]), sp.Matrix([1, 2]), None)
    >>> sing.solution.T, sing.singular, sing.method
    (Matrix([[1/5, 2/5]]), True, 'minimum norm')
    """
    n = gram.shape[0]
    rank = gram.rank()
    singular = rank < n
    if ridge is not None:
        regularised = gram + ridge * sp.eye(n)
        inverse = regularised.inv()
        return NormalSolution(gram, moment, rank, singular, inverse * moment, "ridge", inverse)
    if not singular:
        inverse = gram.inv()
        return NormalSolution(gram, moment, rank, singular, inverse * moment, "inverse", inverse)
    pinv = gram.pinv()
    return NormalSolution(gram, moment, rank, singular, pinv * moment, "minimum norm", pinv)


def null_direction(gram: sp.Matrix) -> sp.Matrix | None:
    """A direction v with X^T X v = 0: moving ŵ along it leaves the loss unchanged."""
    space = gram.nullspace()
    if not space:
        return None
    v = space[0]
    scale = sp.lcm([sp.fraction(e)[1] for e in v]) if all(e.is_Rational for e in v) else 1
    return v * scale
