"""A million-row gradient_descent problem end to end, beside a plain torch autograd loop.

tutor: ``tutor.solve`` of the problem (data generated, the loss collapsed to XᵀX, Xᵀy, the
derivation, 1000 steps, every check, its autograd twin included), timed from the problem
dict to the finished Solution. torch: the lessons' loop on the same data as tensors,
``loss.backward()`` and ``w -= lr * w.grad`` for the same 1000 steps (data already in
memory: its generation is not timed). Both in this process, in turns; best of ``--repeat``.

Run: python benchmarks/descent_end_to_end.py [--rows 1000000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import tutor  # noqa: E402
from tutor.data import load_data  # noqa: E402

STEPS, LR = 1000, 0.1


def problem(rows: int) -> dict[str, object]:
    recipe = {
        "n": rows,
        "seed": 0,
        "x1": "uniform(-2, 2)",
        "x2": "uniform(-2, 2)",
        "x3": "uniform(-2, 2)",
        "y": "1.5*x1 - 2*x2 + 0.75*x3 + 0.7 + normal(0, 0.5)",
    }
    return {
        "title": "bench",
        "variables": ["w1", "w2", "w3", "b"],
        "model": "y = w1*x1 + w2*x2 + w3*x3 + b",
        "loss": "half_mse",
        "data": {"generate": recipe},
        "tasks": [{"gradient_descent": {"start": [0, 0, 0, 0], "lr": LR, "steps": STEPS}}],
    }


def tutor_run(rows: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    solution = tutor.solve(problem(rows))
    seconds = time.perf_counter() - start
    assert solution.ok
    return seconds, list(solution.sections[0].result["final"].values())


def torch_run(rows: int) -> tuple[float, list[float]]:
    data = load_data(problem(rows)["data"], Path("."))  # type: ignore[arg-type]
    xs = [torch.from_numpy(np.ascontiguousarray(data.arrays[f"x{j}"])) for j in (1, 2, 3)]
    y = torch.from_numpy(np.ascontiguousarray(data.arrays["y"]))
    start = time.perf_counter()
    w = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    for _ in range(STEPS):
        prediction = w[0] * xs[0] + w[1] * xs[1] + w[2] * xs[2] + w[3]
        loss = ((y - prediction) ** 2).mean() / 2
        loss.backward()
        with torch.no_grad():
            w -= LR * w.grad
            w.grad.zero_()
    return time.perf_counter() - start, w.detach().tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"tutor": [], "torch": []}
    finals: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for name, run in (("tutor", tutor_run), ("torch", torch_run)):
            seconds, final = run(args.rows)
            times[name].append(seconds)
            finals[name] = final
    best = {name: min(t) for name, t in times.items()}
    cold = times["tutor"][0]  # the first solve in this process: SymPy's caches empty
    gap = max(abs(a - b) for a, b in zip(finals["tutor"], finals["torch"], strict=True))
    print(f"{args.rows:,} rows × 3 features, {STEPS} steps, float64 (best of {args.repeat}):")
    print(f"{'':34}{'seconds':>9}{'torch / this':>14}")
    ratio = best["torch"] / best["tutor"]
    print(f"{'tutor solve, first run (cold)':34}{cold:9.2f}{best['torch'] / cold:13.1f}x")
    print(f"{'tutor solve, end to end (warm)':34}{best['tutor']:9.2f}{ratio:13.1f}x")
    print(f"{'torch autograd loop (steps only)':34}{best['torch']:9.2f}{1.0:13.1f}x")
    print(f"max |w_tutor − w_torch| = {gap:.2e}")


if __name__ == "__main__":
    main()
