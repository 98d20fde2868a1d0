"""What the eigenvalues of a Hessian say about a point: minimum, maximum, saddle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

MAX_EXACT_EIGEN = 3


@dataclass(frozen=True)
class Curvature:
    """The eigenvalues of a Hessian at a point and the kind of point they make it."""

    kind: str
    eigenvalues: tuple[sp.Expr, ...]
    numeric: tuple[float, ...]
    signs: tuple[int, ...]

    @property
    def shown(self) -> tuple[sp.Expr, ...]:
        """The eigenvalues to print: exact where known, else rounded floats."""
        return self.eigenvalues or tuple(sp.Float(v, 6) for v in self.numeric)

    @property
    def verdict(self) -> str:
        return _VERDICTS[self.kind]

    @property
    def reason(self) -> str:
        """``eigenvalues −3 < 0 < 2: a saddle point``, in plain words."""
        from ..render.mathprint import math_text

        text = [math_text(v) for v in self.shown]
        if self.kind == "saddle":
            neg = ", ".join(t for t, s in zip(text, self.signs, strict=True) if s < 0)
            pos = ", ".join(t for t, s in zip(text, self.signs, strict=True) if s > 0)
            values = f"{neg} < 0 < {pos}"
        else:
            values = ", ".join(text) + _SIGN_WORDS[self.kind]
        return f"eigenvalues {values}: {self.verdict}"


_VERDICTS = {
    "minimum": "positive definite, a minimum",
    "maximum": "negative definite, a maximum",
    "saddle": "a saddle point",
    "degenerate": "the second-derivative test cannot decide",
}
_SIGN_WORDS = {"minimum": " > 0", "maximum": " < 0", "degenerate": " include 0"}


def classify(h: sp.Matrix) -> Curvature:
    """Minimum, maximum, saddle or degenerate, from the signs of the eigenvalues.

    >>> classify(sp.Matrix([[20, 8], [8, 4]])).reason
    'eigenvalues 12 − 8√2, 12 + 8√2 > 0: positive definite, a minimum'
    >>> classify(sp.Matrix([[2, 0], [0, -3]])).reason
    'eigenvalues −3 < 0 < 2: a saddle point'
    """
    exact: tuple[sp.Expr, ...] = ()
    if h.shape[0] <= MAX_EXACT_EIGEN and all(e.is_number for e in h):
        try:
            values = h.eigenvals(multiple=True)
            if all(v.is_real is not False for v in values):
                exact = tuple(sorted(values, key=lambda v: float(sp.re(v))))
        except (NotImplementedError, TypeError, ValueError):
            exact = ()
    if exact:
        numeric = tuple(float(sp.re(v)) for v in exact)
    else:
        numeric = tuple(sorted(np.linalg.eigvalsh(np.array(h.evalf(), dtype=float)).tolist()))
    scale = max([1.0, *map(abs, numeric)])
    signs = []
    for i, value in enumerate(numeric):
        if exact and exact[i].is_zero is not None:
            signs.append(0 if exact[i].is_zero else (1 if exact[i].is_positive else -1))
        else:
            signs.append(0 if abs(value) <= 1e-12 * scale else (1 if value > 0 else -1))
    if all(s > 0 for s in signs):
        kind = "minimum"
    elif all(s < 0 for s in signs):
        kind = "maximum"
    elif 1 in signs and -1 in signs:
        kind = "saddle"
    else:
        kind = "degenerate"
    return Curvature(kind, exact, numeric, tuple(signs))
