"""The judge's own copy of a problem: its loss in torch, built from the definition.

Every autograd check compares a result with what torch computes from *this*, never from the
object under test. For a problem with an ``objective`` that is the teacher's expression
compiled to torch. For a model fitted to data it is the model evaluated on the raw data
columns and the named loss written with torch's own primitives (``F.mse_loss``,
``F.binary_cross_entropy_with_logits``): not the symbolic sum tutor built, not the XᵀX it
collapsed the data to, not the row engine it descends with. A mistake in any of those (a
logistic fit that descended on the squared loss once passed its check because its twin was
made from the same object) shows up as a disagreement.

The twin takes a batch of weights, shape (runs, n), and returns one loss per run, so a sweep
of learning rates is judged in one torch loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from ..losses import Loss
from .compile import compile_expr

Twin = Callable[[Any], Any]


def definition_loss(variables: Sequence[sp.Symbol], objective: sp.Expr) -> Twin:
    """``f(W)`` for a batch of points ``W`` (a float64 tensor, runs × n): the teacher's
    objective compiled to torch.

    >>> import torch
    >>> x, y = sp.symbols("x y", real=True)
    >>> definition_loss([x, y], x**2 + y)(torch.tensor([[1.0, 2.0], [3.0, 0.0]])).tolist()
    [3.0, 9.0]
    """
    f = compile_expr(objective, list(variables))
    return lambda w: f(*_columns(w)).expand(w.shape[0])


def model_loss(
    *,
    variables: Sequence[sp.Symbol],
    rhs: sp.Expr,
    inputs: Sequence[sp.Symbol],
    columns: Mapping[str, np.ndarray],
    output: str,
    loss: Loss,
) -> Twin:
    """``loss(W)`` for a batch of weights ``W`` (runs × n): the model evaluated on the raw
    data columns and the loss in torch's own primitives (:attr:`Loss.torch_rows`).

    >>> import torch
    >>> from tutor.losses import LOSSES
    >>> a, b, x = sp.symbols("a b x", real=True)
    >>> twin = model_loss(variables=[a, b], rhs=a * x + b, inputs=[x], output="y",
    ...                   columns={"x": np.array([1.0, 3.0]), "y": np.array([2.0, 4.0])},
    ...                   loss=LOSSES["sse"])
    >>> twin(torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)).tolist()
    [20.0, 0.0]
    """
    import torch.nn.functional as F

    from .device import DEVICE

    predict = compile_expr(rhs, [*variables, *inputs])
    device = DEVICE.get()
    xs = [_tensor(columns[s.name]).to(device) for s in inputs]
    y = _tensor(columns[output]).to(device)
    m = len(y)

    def twin(w: Any) -> Any:
        # the rows stay on the device asked for; weights come and the losses go back
        weights = [c[:, None] for c in _columns(w.to(y.device))]  # (runs, 1) against (m,)
        prediction = predict(*weights, *xs)
        return loss.torch_rows(F, prediction.expand(w.shape[0], m), y).to(w.device)

    return twin


def gram_loss(
    *, variables: Sequence[sp.Symbol], gram: np.ndarray, moment: np.ndarray, yy: float, scale: float
) -> Twin:
    """``scale·(wᵀGw − 2wᵀc + yᵀy)`` for a batch of weights: the loss of a linear model over
    data too large to hold, from sums the judge made itself over every row (torch autograd's
    ∂ŷ/∂w per row and y − ŷ(0), :func:`tutor.partitions.partition_sums`).

    >>> import torch
    >>> twin = gram_loss(variables=sp.symbols("a b"), gram=np.array([[10.0, 4.0], [4.0, 2.0]]),
    ...                  moment=np.array([14.0, 6.0]), yy=20.0, scale=1.0)
    >>> twin(torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)).tolist()
    [20.0, 0.0]
    """
    g, c = _tensor(np.asarray(gram)), _tensor(np.asarray(moment))
    assert g.shape == (len(variables), len(variables))

    def twin(w: Any) -> Any:
        return scale * (((w @ g) * w).sum(dim=-1) - 2 * (w @ c) + yy)

    return twin


def at_point(twin: Twin) -> Callable[..., Any]:
    """The twin as a function of one point's coordinates, ``f(*xs) -> scalar``."""
    import torch

    return lambda *xs: twin(torch.stack(list(xs))[None, :])[0]


def _columns(w: Any) -> Sequence[Any]:
    return list(w.unbind(dim=-1))


def _tensor(values: np.ndarray) -> Any:
    import torch

    return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float64))


def with_ridge(twin: Twin, weight: sp.Expr) -> Twin:
    """The twin plus ``weight``·‖w‖² (ridge regression's penalty)."""
    factor = float(weight)
    return lambda w: twin(w) + factor * (w**2).sum(dim=-1)
