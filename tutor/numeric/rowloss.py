"""A loss summed over data rows: scale·Σᵢ ℓ(yᵢ, ŷ(xᵢ; w)), differentiated once, for one row.

Two row losses, each with its derivative in ŷ (what the chain rule multiplies by ∂ŷ/∂wⱼ):

- ``squared``: ℓ = (y − ŷ)², ∂ℓ/∂ŷ = −2(y − ŷ) (SSE, MSE, SSE/2m);
- ``logistic``: ℓ = log(1 + e^ŷ) − y·ŷ with ŷ a score (logit) and y ∈ {0, 1}, the binary
  cross-entropy of σ(ŷ); ∂ℓ/∂ŷ = σ(ŷ) − y.

The gradient ∂L/∂wⱼ = scale·Σᵢ ∂ℓ/∂ŷ(yᵢ, ŷᵢ)·∂ŷ/∂wⱼ(xᵢ) is one lambdified expression per
weight, evaluated over every row and every run of a batch at once; a step costs what the
hand-written NumPy loop costs (benchmarks/descent.py).

>>> import sympy as sp
>>> a, x = sp.symbols("a x", real=True)
>>> loss = RowLoss(rhs=a * x, variables=[a], inputs=[x], columns=[np.array([1.0, 2.0])],
...                target=np.array([2.0, 4.0]), scale=1.0, kind="squared")
>>> gradient, value = loss.numpy_functions()
>>> gradient(np.array([[0.0], [2.0]])).tolist(), value(np.array([[0.0]])).tolist()
([[-20.0], [0.0]], [20.0])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import sympy as sp

from ..calculus.linear import Design, linear_design
from ..design import column_values

Kind = Literal["squared", "logistic"]


def row_slope(kind: Kind, y: sp.Expr, prediction: sp.Expr) -> sp.Expr:
    """∂ℓ/∂ŷ for one row, as SymPy writes it.

    >>> y, p = sp.symbols("y p", real=True)
    >>> row_slope("squared", y, p), row_slope("logistic", y, p)
    (2*p - 2*y, -y + 1/(1 + exp(-p)))
    """
    if kind == "squared":
        return -2 * (y - prediction)
    return 1 / (1 + sp.exp(-prediction)) - y


def _row_losses(kind: Kind, target: np.ndarray, z: np.ndarray, scale: float) -> np.ndarray:
    """scale·Σᵢ ℓ(yᵢ, ŷᵢ) for each run (row of ``z``); log(1 + e^ŷ) without overflow."""
    rows = (target - z) ** 2 if kind == "squared" else np.logaddexp(0, z) - target * z
    return scale * rows.sum(axis=1)


@dataclass(frozen=True, kw_only=True)
class RowLoss:
    """scale·Σᵢ ℓ(yᵢ, ŷ(xᵢ; w)) over data columns: what a model fitted to data minimises.

    Every field by keyword, and ``kind`` has no default: a fit that forgot its loss once
    descended on the squared loss when it meant the logistic one."""

    rhs: sp.Expr
    variables: Sequence[sp.Symbol]
    inputs: Sequence[sp.Symbol]
    columns: Sequence[np.ndarray]
    target: np.ndarray
    scale: float
    kind: Kind

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
        y = sp.Dummy("y", real=True)
        slope = row_slope(self.kind, y, self.rhs)
        terms = [slope * sp.diff(self.rhs, w) for w in self.variables]
        arguments = [*self.variables, *self.inputs, y]
        # lambdify prints the whitelisted SymPy tree, never a problem file's text.
        per_row = sp.lambdify(arguments, terms, "numpy", cse=True)
        predict = sp.lambdify(arguments, self.rhs, "numpy", cse=True)
        columns, target, scale, kind = list(self.columns), self.target, self.scale, self.kind
        m = len(target)

        def gradient(ws: np.ndarray) -> np.ndarray:
            # each weight as a (runs, 1) column against (m,) data: every run in one pass
            values = per_row(*ws.T[:, :, None], *columns, target)
            out = np.empty_like(ws)
            for j, v in enumerate(values):
                out[:, j] = scale * np.broadcast_to(v, (len(ws), m)).sum(axis=1)
            return out

        def loss(ws: np.ndarray) -> np.ndarray:
            z = np.broadcast_to(predict(*ws.T[:, :, None], *columns, target), (len(ws), m))
            return _row_losses(kind, target, z, scale).astype(ws.dtype)

        return gradient, loss

    def _linear_functions(
        self, design: Design
    ) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
        m = len(self.target)
        arrays = dict(zip(self.inputs, self.columns, strict=True))
        x = np.column_stack([column_values(f, arrays, m) for f in design.features])
        offset, target, scale = column_values(design.offset, arrays, m), self.target, self.scale

        def scores(ws: np.ndarray) -> np.ndarray:
            return ws @ x.T + offset

        def gradient(ws: np.ndarray) -> np.ndarray:
            z = scores(ws)
            slope = -2 * (target - z) if self.kind == "squared" else 1 / (1 + np.exp(-z)) - target
            return scale * (slope @ x)

        def loss(ws: np.ndarray) -> np.ndarray:
            return _row_losses(self.kind, target, scores(ws), scale).astype(ws.dtype)

        return gradient, loss
