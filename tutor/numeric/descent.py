"""Gradient descent on derived gradients, several learning rates at once, and its autograd twin.

Per-call overhead rules small problems (PERF_NOTES: an autograd step ~150 µs, a NumPy step a
few µs), so the loop runs in NumPy on a batch of points, one row per learning rate:

- a quadratic L(w) = ½wᵀHw + gᵀw + c (least squares, even over a million rows once collapsed
  to XᵀX) steps on ∇L = Hw + g: O(d²) a step, whatever the data size;
- anything else steps on the gradient SymPy derived, lambdified to NumPy.

A run that leaves every sensible scale (|w| > 1e100, or not finite) is stopped and reported as
diverged at that iteration; no NaN reaches a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

DIVERGED = 1e100


@dataclass(frozen=True)
class Quadratic:
    """L(w) = ½ wᵀHw + gᵀw + c, exactly."""

    h: sp.Matrix
    g: sp.Matrix
    c: sp.Expr


def as_quadratic(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Quadratic | None:
    """The quadratic form of ``expr`` when it is a polynomial of degree at most 2.

    >>> a, b = sp.symbols("a b")
    >>> q = as_quadratic((2 - a - b)**2 + (4 - 3*a - b)**2, [a, b])
    >>> q.h, q.g.T, q.c
    (Matrix([
    [20, 8],
    [ 8, 4]]), Matrix([[-28, -12]]), 20)
    """
    if not expr.is_polynomial(*variables):
        return None
    poly = sp.Poly(expr, *variables)
    if poly.total_degree() > 2:
        return None
    zero = {v: 0 for v in variables}
    h = sp.hessian(expr, variables)
    g = sp.Matrix([sp.diff(expr, v).subs(zero) for v in variables])
    return Quadratic(h, g, expr.subs(zero))


@dataclass(frozen=True)
class Run:
    """One descent per learning rate; ``history[k, r]`` is the point after k steps of run r."""

    lrs: np.ndarray
    history: np.ndarray
    losses: np.ndarray
    iterations: np.ndarray
    reasons: tuple[str, ...]

    def diverged(self, r: int) -> bool:
        return self.reasons[r] == "diverged"

    def converged(self, r: int) -> bool:
        return self.reasons[r] in ("step", "gradient")


def descend(
    gradient: Callable[[np.ndarray], np.ndarray],
    loss: Callable[[np.ndarray], np.ndarray],
    start: Sequence[float],
    lrs: Sequence[float],
    steps: int,
    tol: float | None = None,
    dtype: type = np.float64,
) -> Run:
    """Run ``w ← w − α∇L(w)`` from ``start`` for each α in ``lrs``, as one batch.

    ``gradient`` and ``loss`` take an array of shape (runs, n). A run stops when it has taken
    ``steps`` steps, when a step or the gradient is smaller than ``tol`` (max norm), or when it
    diverges; the others go on.
    """
    k = len(lrs)
    alpha: np.ndarray = np.asarray(lrs, dtype=dtype)[:, None]
    w: np.ndarray = np.tile(np.asarray(start, dtype=dtype), (k, 1))
    history: np.ndarray = np.empty((steps + 1, k, w.shape[1]), dtype=dtype)
    losses: np.ndarray = np.empty((steps + 1, k), dtype=dtype)
    history[0] = w
    with np.errstate(all="ignore"):
        losses[0] = loss(w)
    active = np.ones(k, dtype=bool)
    iterations = np.full(k, steps)
    reasons = ["steps"] * k
    for step in range(1, steps + 1):
        with np.errstate(all="ignore"):
            g = gradient(w)
            new = w - alpha * g
            new_loss = loss(new)
        new[~active] = w[~active]
        new_loss[~active] = losses[step - 1][~active]
        history[step], losses[step] = new, new_loss
        bad = active & ~(np.isfinite(new).all(axis=1) & (np.abs(new).max(axis=1) < DIVERGED))
        for r in np.flatnonzero(bad):
            reasons[r], iterations[r], active[r] = "diverged", step, False
        if tol is not None:
            small_step = active & (np.abs(new - w).max(axis=1) < tol)
            small_grad = active & (np.abs(g).max(axis=1) < tol)
            for r in np.flatnonzero(small_grad | small_step):
                reasons[r] = "gradient" if small_grad[r] else "step"
                iterations[r], active[r] = step, False
        w = new
        if not active.any():
            history, losses = history[: step + 1], losses[: step + 1]
            break
    return Run(np.asarray(lrs, dtype=float), history, losses, iterations, tuple(reasons))


def quadratic_functions(
    q: Quadratic, dtype: type = np.float64
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """∇L = Hw + g and L as NumPy functions of a batch of points."""
    h: np.ndarray = np.array(q.h.tolist(), dtype=dtype)
    g: np.ndarray = np.array([float(v) for v in q.g], dtype=dtype)
    c = float(q.c)

    def gradient(w: np.ndarray) -> np.ndarray:
        return w @ h.T + g

    def loss(w: np.ndarray) -> np.ndarray:
        return 0.5 * np.einsum("ri,ij,rj->r", w, h, w) + w @ g + c

    return gradient, loss


def lambdified_functions(
    objective: sp.Expr, gradient: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """The derived gradient and the objective as NumPy functions of a batch of points."""
    # lambdify prints the whitelisted SymPy tree, never a problem file's text.
    grad_fn = sp.lambdify(list(variables), list(gradient), "numpy", cse=True)
    loss_fn = sp.lambdify(list(variables), objective, "numpy", cse=True)

    def grad(w: np.ndarray) -> np.ndarray:
        cols = grad_fn(*w.T)
        return np.stack([np.broadcast_to(c, w.shape[:1]) for c in cols], axis=1)

    def loss(w: np.ndarray) -> np.ndarray:
        return np.broadcast_to(loss_fn(*w.T), w.shape[:1]).astype(w.dtype)

    return grad, loss


def autograd_twin(
    objective: sp.Expr,
    variables: Sequence[sp.Symbol],
    start: Sequence[float],
    lr: float,
    steps: int,
) -> np.ndarray:
    """The same descent as the lessons write it: ``loss.backward()`` and ``w -= lr * w.grad``."""
    import torch

    from .compile import compile_expr

    f = compile_expr(objective, variables)
    w = torch.tensor(list(start), dtype=torch.float64, requires_grad=True)
    out = np.empty((steps + 1, len(start)))
    out[0] = w.detach().numpy()
    for k in range(1, steps + 1):
        loss = f(*w.unbind())
        if w.grad is not None:
            w.grad.zero_()
        if loss.requires_grad:
            loss.backward()
        with torch.no_grad():
            if w.grad is not None:
                w -= lr * w.grad
        out[k] = w.detach().numpy()
        if not np.isfinite(out[k]).all() or np.abs(out[k]).max() > DIVERGED:
            return out[: k + 1]
    return out
