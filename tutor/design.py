"""A linear model's design matrix X and target y over its data, exact or in float64."""

from __future__ import annotations

import numpy as np
import sympy as sp

from .calculus.linear import Design
from .data import Dataset


def float_columns(
    design: Design, data: Dataset, output: str
) -> tuple[list[np.ndarray], np.ndarray]:
    """X's columns (each feature over every row) and y minus the model's offset, float64."""
    m = data.m
    inputs = sorted(
        set().union(*(f.free_symbols for f in (*design.features, design.offset))), key=str
    )
    arrays = [data.arrays[s.name] for s in inputs]

    def values(expr: sp.Expr) -> np.ndarray:
        # lambdify prints the whitelisted SymPy tree, never the file's text.
        fn = sp.lambdify(inputs, expr, "numpy")
        with np.errstate(all="ignore"):
            out = np.asarray(fn(*arrays), dtype=np.float64)
        return np.broadcast_to(out, (m,))

    columns = [values(f) for f in design.features]
    target = data.arrays[output] - values(design.offset)
    return columns, target


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
