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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .compile import compile_expr

if TYPE_CHECKING:
    from ..problem import Problem

#: The losses a model may be fitted with, each from torch's own definition, per run (runs, m).
LOSSES: dict[str, Callable[[Any, Any], Any]] = {}


def _register(name: str) -> Callable[[Callable[[Any, Any], Any]], Callable[[Any, Any], Any]]:
    def add(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        LOSSES[name] = fn
        return fn

    return add


@_register("sse")
def _sse(prediction: Any, y: Any) -> Any:
    """Σᵢ (yᵢ − ŷᵢ)²."""
    import torch.nn.functional as F

    return F.mse_loss(prediction, y.expand_as(prediction), reduction="none").sum(dim=-1)


@_register("mse")
def _mse(prediction: Any, y: Any) -> Any:
    """(1/m) Σᵢ (yᵢ − ŷᵢ)²."""
    import torch.nn.functional as F

    return F.mse_loss(prediction, y.expand_as(prediction), reduction="none").mean(dim=-1)


@_register("half_mse")
def _half_mse(prediction: Any, y: Any) -> Any:
    """(1/2m) Σᵢ (yᵢ − ŷᵢ)², Lesson 6's gradient-descent loss."""
    return 0.5 * _mse(prediction, y)


@_register("logistic")
def _logistic(prediction: Any, y: Any) -> Any:
    """The mean binary cross-entropy of σ(ŷ) against labels y ∈ [0, 1]."""
    import torch.nn.functional as F

    target = y.expand_as(prediction)
    return F.binary_cross_entropy_with_logits(prediction, target, reduction="none").mean(dim=-1)


Twin = Callable[[Any], Any]


def definition_loss(problem: Problem) -> Twin:
    """``loss(W)`` for a batch of weights ``W`` (a float64 tensor, runs × n): one loss a run.

    >>> import torch
    >>> from tutor.problem import problem_from_dict
    >>> p = problem_from_dict({"title": "t", "variables": ["a", "b"], "model": "y = a*x + b",
    ...                   "data": {"x": [1, 3], "y": [2, 4]}, "loss": "sse",
    ...                   "tasks": ["partials"]})
    >>> definition_loss(p)(torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)).tolist()
    [20.0, 0.0]
    """
    variables = list(problem.variables)
    model = problem.model
    if model is None:
        f = compile_expr(problem.objective, variables)
        return lambda w: f(*_columns(w)).expand(w.shape[0])
    predict = compile_expr(model.rhs, [*variables, *model.inputs])
    inputs = [_tensor(model.data.arrays[s.name]) for s in model.inputs]
    y = _tensor(model.data.arrays[model.output])
    loss = LOSSES[model.loss]
    m = len(y)

    def twin(w: Any) -> Any:
        weights = [c[:, None] for c in _columns(w)]  # (runs, 1) against (m,) data
        prediction = predict(*weights, *inputs)
        return loss(prediction.expand(w.shape[0], m), y)

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
