"""A linear model's design matrix X and target y over its data, exact or in float64."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import sympy as sp

from .calculus.linear import Design
from .data import Dataset
from .numeric.compile import numpy_function


def float_columns(
    design: Design, data: Dataset, output: str
) -> tuple[list[np.ndarray], np.ndarray]:
    """X's columns (each feature over every row) and y minus the model's offset, float64."""
    m = data.m
    inputs = sorted(
        set().union(*(f.free_symbols for f in (*design.features, design.offset))), key=str
    )
    arrays = {s: data.arrays[s.name] for s in inputs}
    columns = [column_values(f, arrays, m) for f in design.features]
    target = data.arrays[output] - column_values(design.offset, arrays, m)
    return columns, target


def column_values(expr: sp.Expr, arrays: Mapping[sp.Symbol, np.ndarray], m: int) -> np.ndarray:
    """``expr`` of data columns, over all m rows, float64 (a constant broadcast to m)."""
    symbols = sorted(expr.free_symbols, key=str)
    fn = numpy_function(symbols, expr)
    with np.errstate(all="ignore"):
        out = np.asarray(fn(*(arrays[s] for s in symbols)), dtype=np.float64)
    return np.broadcast_to(out, (m,))


def exact_matrices(design: Design, data: Dataset, output: str) -> tuple[sp.Matrix, sp.Matrix]:
    """X and y - offset as exact SymPy matrices (data given exactly, rows few)."""
    inputs = sorted(
        set().union(*(f.free_symbols for f in (*design.features, design.offset))), key=str
    )
    columns = {s: data.column(s.name) for s in inputs}
    y = data.column(output)
    rows, targets = [], []
    for i in range(data.m):
        point = {s: columns[s][i] for s in inputs}
        rows.append([f.xreplace(point) for f in design.features])
        targets.append(y[i] - design.offset.xreplace(point))
    return sp.Matrix(rows), sp.Matrix(targets)


#: Exact sums cost about (n + 1)²·m rational products: NIST's Filip (82 × 11) takes 40 ms.
EXACT_SUMS_BUDGET = 2_000_000


def exact_sums(
    design: Design, data: Dataset, output: str
) -> tuple[sp.Matrix, sp.Matrix, sp.Expr] | None:
    """XᵀX, Xᵀy and yᵀy in exact rationals when the data was given exactly and the sums are
    affordable (:data:`EXACT_SUMS_BUDGET`); None otherwise.

    Exact sums make ill-conditioned fits exact too: float64 loses every digit of NIST's
    Filip (cond(X) ≈ 1e15), rationals lose none.
    """
    n = len(design.features)
    if data.exact is None or (n + 1) ** 2 * data.m > EXACT_SUMS_BUDGET:
        return None
    from sympy.polys.matrices import DomainMatrix

    x, y = exact_matrices(design, data, output)
    if not all(v.is_Rational for v in (*x, *y)):
        return None
    xq = DomainMatrix.from_Matrix(x).convert_to(sp.QQ)
    yq = DomainMatrix.from_Matrix(y).convert_to(sp.QQ)
    xt = xq.transpose()
    gram, moment = (xt * xq).to_Matrix(), (xt * yq).to_Matrix()
    return gram, moment, (yq.transpose() * yq).to_Matrix()[0, 0]
