"""A loss summed over data rows: scale·Σᵢ ℓ(yᵢ, ŷ(xᵢ; w)), differentiated once, for one row.

The row loss ℓ and its derivative in ŷ (what the chain rule multiplies by ∂ŷ/∂wⱼ) come
from the :class:`~tutor.losses.Loss` (its ``slope``, ``numpy_rows`` and ``numpy_slope``).

The gradient ∂L/∂wⱼ = scale·Σᵢ ∂ℓ/∂ŷ(yᵢ, ŷᵢ)·∂ŷ/∂wⱼ(xᵢ) is one lambdified expression per
weight, evaluated over every row and every run of a batch at once; a step costs what the
hand-written NumPy loop costs (benchmarks/descent.py).

>>> import sympy as sp
>>> a, x = sp.symbols("a x", real=True)
>>> from tutor.losses import LOSSES
>>> loss = RowLoss(rhs=a * x, variables=[a], inputs=[x], columns=[np.array([1.0, 2.0])],
...                target=np.array([2.0, 4.0]), loss=LOSSES["sse"])
>>> gradient, value = loss.numpy_functions()
>>> gradient(np.array([[0.0], [2.0]])).tolist(), value(np.array([[0.0]])).tolist()
([[-20.0], [0.0]], [20.0])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from ..calculus.linear import Design, linear_design
from ..design import column_values
from ..losses import Loss

#: Below this many rows the objective's own lambdified sum descends as fast as the row engine
#: (benchmarks/descent.py), and its round-off is the objective's.
ROW_ENGINE_ROWS = 8


@dataclass(frozen=True, kw_only=True)
class RowLoss:
    """scale·Σᵢ ℓ(yᵢ, ŷ(xᵢ; w)) over data columns: what a model fitted to data minimises.

    Every field by keyword, and ``loss`` has no default: a fit that forgot its loss once
    descended on the squared loss when it meant the logistic one."""

    rhs: sp.Expr
    variables: Sequence[sp.Symbol]
    inputs: Sequence[sp.Symbol]
    columns: Sequence[np.ndarray]
    target: np.ndarray
    loss: Loss

    def numpy_functions(
        self,
    ) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
        """The gradient and the loss as NumPy functions of a batch of points (runs × n).

        A model linear in the weights (a logistic regression's score w·x + b) steps on its
        design matrix: ŷ = Xw + offset and ∇ = scale·Xᵀ(∂ℓ/∂ŷ), two products a step, as the
        hand-written loop does; any other model on its row gradient, lambdified.
        """
        design = linear_design(self.rhs, self.variables)
        if design is not None:
            return self._linear_functions(design)
        per_row, predict = row_functions(
            self.rhs, tuple(self.variables), tuple(self.inputs), self.loss.key
        )
        columns, target, rows = list(self.columns), self.target, self.loss.numpy_rows
        m = len(target)
        scale = float(self.loss.scale(m))

        def gradient(ws: np.ndarray) -> np.ndarray:
            # each weight as a (runs, 1) column against (m,) data: every run in one pass
            values = per_row(*ws.T[:, :, None], *columns, target)
            out = np.empty_like(ws)
            for j, v in enumerate(values):
                out[:, j] = scale * np.broadcast_to(v, (len(ws), m)).sum(axis=1)
            return out

        def loss(ws: np.ndarray) -> np.ndarray:
            z = np.broadcast_to(predict(*ws.T[:, :, None], *columns, target), (len(ws), m))
            return (scale * rows(target, z).sum(axis=1)).astype(ws.dtype)

        return gradient, loss

    def _linear_functions(
        self, design: Design
    ) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
        m = len(self.target)
        arrays = dict(zip(self.inputs, self.columns, strict=True))
        x = np.column_stack([column_values(f, arrays, m) for f in design.features])
        offset, target = column_values(design.offset, arrays, m), self.target
        scale, rows, slope = float(self.loss.scale(m)), self.loss.numpy_rows, self.loss.numpy_slope

        def scores(ws: np.ndarray) -> np.ndarray:
            return ws @ x.T + offset

        def gradient(ws: np.ndarray) -> np.ndarray:
            return scale * (slope(target, scores(ws)) @ x)

        def loss(ws: np.ndarray) -> np.ndarray:
            return (scale * rows(target, scores(ws)).sum(axis=1)).astype(ws.dtype)

        return gradient, loss


@functools.lru_cache(maxsize=16)
def row_functions(
    rhs: sp.Expr, variables: tuple[sp.Symbol, ...], inputs: tuple[sp.Symbol, ...], loss: str
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Each row's gradient terms ∂ℓ/∂ŷ·∂ŷ/∂wⱼ and its ŷ, as NumPy functions of (weights...,
    inputs..., y), lambdified once per process (a pass over partitioned data asks again
    each step, :mod:`tutor.partitions`)."""
    from ..losses import LOSSES

    y = sp.Dummy("y", real=True)
    slope = LOSSES[loss].slope(y, rhs)
    terms = [slope * sp.diff(rhs, w) for w in variables]
    arguments = [*variables, *inputs, y]
    # lambdify prints the whitelisted SymPy tree, never a problem file's text.
    per_row = sp.lambdify(arguments, terms, "numpy", cse=True)
    predict = sp.lambdify(arguments, rhs, "numpy", cse=True)
    return per_row, predict
