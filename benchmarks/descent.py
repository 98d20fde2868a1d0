"""Gradient descent, three ways, in one run: tutor, the autograd loop, a hand-written loop.

- Lesson problem: Lesson 5's SSE (2 × 2), 10,000 steps of lr 0.01.
  tutor: the gradient it derived, as a quadratic (∇L = Hw + g) in NumPy;
  autograd: loss.backward() every step, as the lessons do; plain Python floats, by hand.
- Least squares, m rows × d = 10 features, 1000 steps of SSE/(2m), float64 and float32,
  end to end: tutor collapses the data to XᵀX, Xᵀy once (float64, chunked) and steps on
  that; autograd recomputes the loss over all rows each step; the hand-written loop
  computes Xᵀ(Xw − y)/m each step.

Run: python benchmarks/descent.py [--rows 100000 1000000] [--steps 1000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from tutor.numeric.descent import descend, quadratic_functions  # noqa: E402
from tutor.numeric.stats import moments  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def compare(
    title: str,
    rows: dict[str, Callable[[], np.ndarray]],
    steps: int,
    repeat: int,
    reference: str,
    ratio_label: str,
) -> None:
    """Time each way, then print ms per step, the speed against ``reference``, and how far
    each final w is from the autograd loop's."""
    finals = {name: fn() for name, fn in rows.items()}
    results = {name: best_of(fn, repeat) for name, fn in rows.items()}
    print(title)
    print(f"{'':22} {'total ms':>10} {'ms/step':>9} {ratio_label:>16} {'max |w − autograd w|':>22}")
    for label, sec in results.items():
        ratio = results[reference] / sec
        gap = float(np.abs(finals[label] - finals["autograd loop"]).max())
        print(f"{label:22} {sec * 1e3:10.1f} {sec / steps * 1e3:9.3f} {ratio:15.2f}x {gap:22.2e}")
    print()


def lesson(repeat: int) -> None:
    import tutor
    from tutor.numeric.descent import as_quadratic

    problem = tutor.load(ROOT / "problems" / "sse.yaml")
    steps, lr = 10_000, 0.01

    def with_tutor() -> None:
        quad = as_quadratic(problem.objective, problem.variables)
        assert quad is not None
        grad, loss = quadratic_functions(quad)
        descend(grad, loss, [0.0, 0.0], [lr], steps)

    def with_autograd() -> None:
        w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        for _ in range(steps):
            a, b = w[0], w[1]
            sse = (2 - a - b) ** 2 + (4 - 3 * a - b) ** 2
            sse.backward()
            with torch.no_grad():
                w -= lr * w.grad
                w.grad.zero_()

    def by_hand() -> None:
        a = b = 0.0
        for _ in range(steps):
            ga, gb = 20 * a + 8 * b - 28, 8 * a + 4 * b - 12
            a, b = a - lr * ga, b - lr * gb

    rows = {"tutor": with_tutor, "autograd loop": with_autograd, "plain Python floats": by_hand}
    print(f"Lesson 5 SSE, {steps:,} steps (best of {repeat}):")
    print(f"{'':22} {'total ms':>10} {'µs/step':>9} {'autograd / this':>16}")
    results = {name: best_of(fn, repeat) for name, fn in rows.items()}
    for name, sec in results.items():
        ratio = results["autograd loop"] / sec
        print(f"{name:22} {sec * 1e3:10.1f} {sec / steps * 1e6:9.2f} {ratio:15.1f}x")
    print()


def least_squares(m: int, steps: int, dtype: torch.dtype, repeat: int) -> None:
    d = 10
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(m, d, generator=gen, dtype=torch.float64)
    true = torch.linspace(-1, 1, d, dtype=torch.float64)
    y = x @ true + 0.1 * torch.randn(m, generator=gen, dtype=torch.float64)
    xt, yt = x.to(dtype), y.to(dtype)
    # tutor holds data as one array per column (what a problem file's features evaluate to)
    columns = [xt[:, j].contiguous().numpy() for j in range(d)]
    target = yt.numpy()
    lr = 0.1

    def with_tutor() -> np.ndarray:
        stats = moments(columns, target)
        np_dtype = np.float32 if dtype == torch.float32 else np.float64
        # SSE/(2m): H = XᵀX/m, g = −Xᵀy/m, summed in float64 and only then cast
        h = (stats.gram / m).T.astype(np_dtype)
        g = (-stats.moment / m).astype(np_dtype)

        def grad(w: np.ndarray) -> np.ndarray:
            return w @ h + g

        def loss(w: np.ndarray) -> np.ndarray:
            return np.zeros(len(w), dtype=np_dtype)  # not needed to step; kept cheap

        run = descend(grad, loss, [0.0] * d, [lr], steps, dtype=np_dtype)
        return run.history[-1, 0]

    def with_autograd() -> np.ndarray:
        w = torch.zeros(d, dtype=dtype, requires_grad=True)
        for _ in range(steps):
            loss = ((xt @ w - yt) ** 2).sum() / (2 * m)
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                w.grad.zero_()
        return w.detach().numpy()

    def by_hand() -> np.ndarray:
        w = torch.zeros(d, dtype=dtype)
        xs = xt.T.contiguous()  # features as rows: the faster layout
        for _ in range(steps):
            w -= lr * (xs @ (xt @ w - yt)) / m
        return w.numpy()

    rows = {
        "tutor (XᵀX once)": with_tutor,
        "autograd loop": with_autograd,
        "hand-written loop": by_hand,
    }
    name = "float32" if dtype == torch.float32 else "float64"
    title = f"Least squares m = {m:,}, d = {d}, {steps} steps, {name} (best of {repeat}):"
    compare(title, rows, steps, repeat, "autograd loop", "autograd / this")


def nonlinear(m: int, steps: int, repeat: int) -> None:
    """ŷ = a·e^(bx), MSE: not quadratic in b. tutor's engine derives ∂ŷ/∂a, ∂ŷ/∂b once and
    evaluates them over all rows each step (what the problem-file path runs, up to the 2000
    rows a nonlinear problem file allows today; here called directly at any m)."""
    import sympy as sp

    from tutor.numeric.rowloss import RowLoss

    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, m)
    y = 2 * np.exp(0.5 * x) + rng.normal(0, 0.05, m)
    a, b, xs = sp.symbols("a b x", real=True)
    lr, start = 0.1, [1.0, 0.0]

    def with_tutor() -> np.ndarray:
        grad, loss = RowLoss(a * sp.exp(b * xs), [a, b], [xs], [x], y, 1 / m).numpy_functions()
        return descend(grad, loss, start, [lr], steps).history[-1, 0]

    def by_hand() -> np.ndarray:
        w = np.array(start)
        for _ in range(steps):
            e = np.exp(w[1] * x)
            r = y - w[0] * e
            w = w - lr * np.array([np.sum(-2 * r * e), np.sum(-2 * r * w[0] * x * e)]) / m
        return w

    def with_autograd() -> np.ndarray:
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        for _ in range(steps):
            loss = ((yt - w[0] * torch.exp(w[1] * xt)) ** 2).sum() / m
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                w.grad.zero_()
        return w.detach().numpy()

    rows = {
        "tutor (row gradient)": with_tutor,
        "autograd loop": with_autograd,
        "hand-written NumPy": by_hand,
    }
    title = (
        f"Nonlinear fit y = a·e^(bx), MSE, m = {m:,}, {steps} steps, float64 (best of {repeat}):"
    )
    compare(title, rows, steps, repeat, "hand-written NumPy", "hand / this")


def logistic(m: int, steps: int, repeat: int) -> None:
    """A logistic regression on d = 5 features: the cross-entropy of σ(w·x + b), mean over rows.
    tutor derives the row gradient (σ(ŷ) − y)·∂ŷ/∂wⱼ once; by hand it is Xᵀ(σ(Xw) − y)/m."""
    import sympy as sp

    from tutor.numeric.rowloss import RowLoss

    d = 5
    rng = np.random.default_rng(0)
    x = rng.normal(size=(m, d))
    truth = np.linspace(-1, 1, d)
    y = (rng.uniform(size=m) < 1 / (1 + np.exp(-(x @ truth + 0.3)))).astype(float)
    columns = [np.ascontiguousarray(x[:, j]) for j in range(d)]
    ws, xs = sp.symbols(f"w1:{d + 1}", real=True), sp.symbols(f"x1:{d + 1}", real=True)
    b = sp.Symbol("b", real=True)
    score = sum(w * xi for w, xi in zip(ws, xs, strict=True)) + b
    lr, start = 0.5, [0.0] * (d + 1)

    def with_tutor() -> np.ndarray:
        loss = RowLoss(score, [*ws, b], xs, columns, y, 1 / m, kind="logistic")
        grad, value = loss.numpy_functions()
        return descend(grad, value, start, [lr], steps).history[-1, 0]

    def by_hand() -> np.ndarray:
        # The fastest of three layouts tried: w as a row, (σ(wXᵀ) − y)X (0.48 ms a step at
        # m = 1e5, against 0.68 for a contiguous Xᵀ and 0.93 for X.T @ (...)).
        design = np.column_stack([x, np.ones(m)])
        w = np.array([start])
        for _ in range(steps):
            w = w - lr * ((1 / (1 + np.exp(-(w @ design.T))) - y) @ design) / m
        return w[0]

    def with_autograd() -> np.ndarray:
        design = torch.from_numpy(np.column_stack([x, np.ones(m)]))
        target = torch.from_numpy(y)
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        for _ in range(steps):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(design @ w, target)
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
                w.grad.zero_()
        return w.detach().numpy()

    rows = {
        "tutor (row gradient)": with_tutor,
        "autograd loop": with_autograd,
        "hand-written NumPy": by_hand,
    }
    title = f"Logistic regression, d = {d}, m = {m:,}, {steps} steps, float64 (best of {repeat}):"
    compare(title, rows, steps, repeat, "hand-written NumPy", "hand / this")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(2)
    lesson(args.repeat)
    for m in (2_000, 100_000):
        nonlinear(m, args.steps, args.repeat)
    for m in (2_000, 100_000):
        logistic(m, args.steps, args.repeat)
    for m in args.rows:
        for dtype in (torch.float64, torch.float32):
            least_squares(m, args.steps, dtype, 1 if m >= 1_000_000 else args.repeat)


if __name__ == "__main__":
    main()
