"""What the eigenvalues of a Hessian say about a point: minimum, maximum, saddle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..expr import ordered

MAX_EXACT_EIGEN = 3


@dataclass(frozen=True)
class Curvature:
    """The eigenvalues of a Hessian at a point and the kind of point they make it."""

    kind: str
    eigenvalues: tuple[sp.Expr, ...]
    numeric: tuple[float, ...]
    signs: tuple[int, ...]
    #: The leading principal minors, when they (not the eigenvalues) decided the kind.
    minors: tuple[sp.Expr, ...] = ()
    matrix: sp.Matrix | None = None

    @property
    def shown(self) -> tuple[sp.Expr, ...]:
        """The eigenvalues to print: exact where known, else rounded floats."""
        return self.eigenvalues or tuple(sp.Float(v, 15) for v in self.numeric)

    @property
    def characteristic(self) -> sp.Expr | None:
        """det(H − λI) expanded, when the eigenvalues are shown as floats (the minors decided)."""
        if not self.minors or self.matrix is None:
            return None
        lam = sp.Symbol("λ")
        return ordered(sp.expand((self.matrix - lam * sp.eye(self.matrix.shape[0])).det()))


def classify(h: sp.Matrix) -> Curvature:
    """Minimum, maximum, saddle or degenerate, from the signs of the eigenvalues.

    A symmetric matrix has real eigenvalues; they are shown exactly when SymPy can write them
    without complex radicals, else as floats (``numpy.linalg.eigvalsh``), and then an exact
    matrix is decided by its leading principal minors (Sylvester's criterion), exactly.

    >>> c = classify(sp.Matrix([[20, 8], [8, 4]]))
    >>> c.kind, c.eigenvalues
    ('minimum', (12 - 8*sqrt(2), 8*sqrt(2) + 12))
    >>> classify(sp.Matrix([[2, 0], [0, -3]])).kind
    'saddle'
    >>> c = classify(sp.Matrix([[4, 1, 0], [1, 2, -1], [0, -1, 6]]))
    >>> c.kind, c.minors, c.characteristic
    ('minimum', (4, 7, 38), -λ**3 + 12*λ**2 - 42*λ + 38)
    """
    n = h.shape[0]
    exact_entries = all(e.is_number and not e.has(sp.Float) for e in h)
    numeric = tuple(sorted(np.linalg.eigvalsh(np.array(h.evalf(), dtype=float)).tolist()))
    exact: tuple[sp.Expr, ...] = ()
    if exact_entries and n <= MAX_EXACT_EIGEN:
        try:
            values = h.eigenvals(multiple=True)
        except (NotImplementedError, TypeError, ValueError, RuntimeError):
            values = []
        readable = all(
            not v.has(sp.I, sp.CRootOf) and sp.count_ops(v) <= 30 and v.is_real is not False
            for v in values
        )
        if values and (n <= 2 or readable):
            exact = tuple(sorted(values, key=lambda v: float(sp.re(v))))
    if exact:
        numeric = tuple(float(sp.re(v)) for v in exact)
    scale = max([1.0, *map(abs, numeric)])
    signs = []
    for i, value in enumerate(numeric):
        if exact and exact[i].is_zero is not None:
            signs.append(0 if exact[i].is_zero else (1 if exact[i].is_positive else -1))
        else:
            signs.append(0 if abs(value) <= 1e-12 * scale else (1 if value > 0 else -1))
    minors: tuple[sp.Expr, ...] = ()
    if exact_entries and not exact:
        minors = tuple(sp.nsimplify(h[:k, :k].det()) for k in range(1, n + 1))
        if minors[-1] != 0:
            if all(m > 0 for m in minors):
                signs = [1] * n
            elif all((m < 0) if k % 2 == 0 else (m > 0) for k, m in enumerate(minors)):
                signs = [-1] * n
            elif 1 not in signs or -1 not in signs:  # indefinite, proved: keep both signs
                signs = [-1 if v < 0 else 1 for v in numeric]
        else:
            minors = ()
    if all(s > 0 for s in signs):
        kind = "minimum"
    elif all(s < 0 for s in signs):
        kind = "maximum"
    elif 1 in signs and -1 in signs:
        kind = "saddle"
    else:
        kind = "degenerate"
    return Curvature(kind, exact, numeric, tuple(signs), minors, sp.ImmutableMatrix(h))
