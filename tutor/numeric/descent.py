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
    loss_fn: Callable[[np.ndarray], np.ndarray]
    iterations: np.ndarray
    reasons: tuple[str, ...]

    def loss(self, k: int, r: int) -> float:
        """The loss after k steps of run r, computed when asked: over a large data set each
        value is a pass over every row, and a report shows a dozen of the thousands."""
        with np.errstate(all="ignore"):
            return float(self.loss_fn(self.history[k, r][None, :])[0])

    def diverged(self, r: int) -> bool:
        return self.reasons[r] == "diverged"

    def converged(self, r: int) -> bool:
        return self.reasons[r] in ("small_step", "small_gradient")

    def last(self, r: int) -> int:
        """The last step worth reporting: the one before a divergence, else the final one."""
        return int(self.iterations[r]) - (1 if self.diverged(r) else 0)


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
    diverges; the others go on. Each step costs one gradient call and one update: stopping
    is judged on blocks of steps afterwards, and a loss only when a report asks for it.
    """
    k = len(lrs)
    alpha: np.ndarray = np.asarray(lrs, dtype=dtype)[:, None]
    w: np.ndarray = np.tile(np.asarray(start, dtype=dtype), (k, 1))
    history: np.ndarray = np.empty((steps + 1, k, w.shape[1]), dtype=dtype)
    grads: np.ndarray = np.empty((steps, k, w.shape[1]), dtype=dtype)
    history[0] = w
    iterations = np.full(k, steps)
    reasons = ["max_steps"] * k
    active = np.ones(k, dtype=bool)
    done = 0
    with np.errstate(all="ignore"):
        while done < steps and active.any():
            block = min(BLOCK, steps - done)
            for step in range(done, done + block):
                g = gradient(w)
                grads[step] = g
                w = w - alpha * g
                history[step + 1] = w
            _judge(history, grads, done, done + block, active, iterations, reasons, tol)
            done += block
            if not active.all():  # freeze stopped runs where they stopped
                w = history[done].copy()
                for r in np.flatnonzero(~active):
                    w[r] = history[min(iterations[r], done), r]
        last = int(iterations.max())
        history = history[: last + 1]
        for run in range(k):  # a stopped run stays where it stopped
            history[iterations[run] + 1 :, run] = history[iterations[run], run]
    return Run(np.asarray(lrs, dtype=float), history, loss, iterations, tuple(reasons))


BLOCK = 256


def _judge(
    history: np.ndarray,
    grads: np.ndarray,
    start: int,
    stop: int,
    active: np.ndarray,
    iterations: np.ndarray,
    reasons: list[str],
    tol: float | None,
) -> None:
    """Find, for each active run, the first step in [start, stop) where it must stop."""
    points = history[start + 1 : stop + 1]
    big = ~np.isfinite(points).all(axis=2) | (np.abs(points).max(axis=2) >= DIVERGED)
    small = np.zeros_like(big)
    small_grad = np.zeros_like(big)
    if tol is not None:
        moves = np.abs(points - history[start:stop]).max(axis=2)
        small_grad = np.abs(grads[start:stop]).max(axis=2) < tol
        small = (moves < tol) | small_grad
    for r in np.flatnonzero(active):
        hits = np.flatnonzero(big[:, r] | small[:, r])
        if hits.size:
            i = int(hits[0])
            iterations[r] = start + i + 1
            reasons[r] = (
                "diverged" if big[i, r] else "small_gradient" if small_grad[i, r] else "small_step"
            )
            active[r] = False


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
    loss_of: Callable[[object], object], start: Sequence[float], lrs: Sequence[float], steps: int
) -> np.ndarray:
    """The same descents as the lessons write them, every rate at once: ``loss.backward()``
    and ``w -= lr * w.grad``. ``loss_of`` maps weights (a float64 tensor, runs × n) to one
    loss a run; the runs are independent, so their summed loss gives each its own gradient.
    ``out[k, r]`` is run r after k steps; a run that leaves every sensible scale stays there.
    The weights live on the device asked for (``--device``), as the twin's data do.
    """
    import torch

    from .device import DEVICE

    device = torch.device(DEVICE.get())
    w = torch.tensor(
        [list(start)] * len(lrs), dtype=torch.float64, device=device, requires_grad=True
    )
    alpha = torch.tensor(list(lrs), dtype=torch.float64, device=device)[:, None]
    out = np.empty((steps + 1, len(lrs), len(start)))
    out[0] = w.detach().cpu().numpy()
    for k in range(1, steps + 1):
        loss = loss_of(w).sum()  # type: ignore[attr-defined]
        if w.grad is not None:
            w.grad.zero_()
        if loss.requires_grad:
            loss.backward()
        with torch.no_grad():
            if w.grad is not None:
                live = torch.isfinite(w).all(dim=1, keepdim=True) & (
                    w.abs().amax(dim=1, keepdim=True) < DIVERGED
                )
                w -= torch.where(live, alpha * w.grad, torch.zeros_like(w))
        out[k] = w.detach().cpu().numpy()
    return out
