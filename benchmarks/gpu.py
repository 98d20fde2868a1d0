"""The GPU checks of issue 23, as one prepared script: ``--device cuda`` beside the CPU.

1. A 10⁸-row reduction: XᵀX, Xᵀy, yᵀy of 10⁸ rows × 10 features (generated in chunks of a
   million on the device, never all in memory), summed in float64 in torch on the GPU,
   beside the same sums by tutor's CPU path (``tutor.numeric.stats.moments``, NumPy) on the
   same chunks; the largest relative difference of the two Gram matrices.
2. The million-row descent: ``tutor.solve`` of a 10⁶-row least-squares problem with 1,000
   steps of gradient descent and every check (its autograd twin over the rows), with
   ``device="cuda"`` and ``device="cpu"``; the final weights of the two must agree.

Each figure is printed with the device that gave it (``torch.cuda.get_device_name``).
Without CUDA the script says so and runs only the CPU columns (for a dry run).

Run: python benchmarks/gpu.py [--rows 100000000] [--descent-rows 1000000]
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
from tutor.numeric.stats import moments  # noqa: E402

FEATURES, CHUNK = 10, 1_000_000
TRUE = [0.5 * (j + 1) * (-1) ** j for j in range(FEATURES)]


def _chunk(k: int, device: str) -> torch.Tensor:
    """Chunk k: [x₁..x₁₀ | y] as a (CHUNK, 11) float64 tensor, the same on every device."""
    g = torch.Generator().manual_seed(k)
    x = torch.randn((CHUNK, FEATURES), generator=g, dtype=torch.float64)
    y = x @ torch.tensor(TRUE, dtype=torch.float64) + 0.75 + 0.1 * torch.randn(CHUNK, generator=g)
    return torch.cat([x, y[:, None]], dim=1).to(device)


def reduction(rows: int, device: str) -> tuple[float, np.ndarray]:
    """Seconds to sum [X | y]ᵀ[X | y] over ``rows`` rows on ``device`` (torch), or with
    tutor's NumPy path (``device="numpy"``); generation is not timed."""
    total = np.zeros((FEATURES + 1, FEATURES + 1))
    seconds = 0.0
    on = "cpu" if device == "numpy" else device
    acc = torch.zeros((FEATURES + 1, FEATURES + 1), dtype=torch.float64, device=on)
    for k in range(rows // CHUNK):
        block = _chunk(k, "cpu" if device == "numpy" else device)
        if device != "numpy" and device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        if device == "numpy":
            b = block.numpy()
            stats = moments([b[:, j] for j in range(FEATURES)], b[:, FEATURES])
            n = FEATURES
            total[:n, :n] += stats.gram
            total[:n, n] += stats.moment
            total[n, :n] += stats.moment
            total[n, n] += stats.yy
        else:
            acc += block.T @ block
            if device.startswith("cuda"):
                torch.cuda.synchronize()
        seconds += time.perf_counter() - start
    if device != "numpy":
        total = acc.cpu().numpy()
    return seconds, total


def descent(rows: int, device: str) -> tuple[float, list[float]]:
    recipe: dict[str, object] = {"n": rows, "seed": 0}
    for j in range(3):
        recipe[f"x{j + 1}"] = "normal(0, 1)"
    recipe["y"] = "1.5*x1 - 2*x2 + 0.5*x3 + 0.75 + normal(0, 0.1)"
    problem = {
        "title": "gpu descent",
        "variables": ["a", "b", "c", "d"],
        "model": "y = a*x1 + b*x2 + c*x3 + d",
        "data": {"generate": recipe},
        "loss": "half_mse",
        "tasks": [{"gradient_descent": {"start": [0, 0, 0, 0], "lr": 0.5, "steps": 1000}}],
    }
    start = time.perf_counter()
    solution = tutor.solve(problem, device=device)
    seconds = time.perf_counter() - start
    assert solution.ok, [c for c in solution.checks if c.ok is False]
    return seconds, [float(v) for v in solution.sections[0].result["final"].values()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--descent-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    cuda = torch.cuda.is_available()
    card = torch.cuda.get_device_name(0) if cuda else "none (CPU only: a dry run)"
    print(f"torch {torch.__version__}; CUDA device: {card}")
    cpu_s, cpu_total = reduction(args.rows, "numpy")
    print(f"reduction of {args.rows:,} rows, tutor's NumPy path (CPU): {cpu_s:.2f} s")
    torch_s, torch_total = reduction(args.rows, "cpu")
    same = np.abs(torch_total - cpu_total).max() / np.abs(cpu_total).max()
    print(f"reduction of {args.rows:,} rows, torch on the CPU: {torch_s:.2f} s ({same:.1e} apart)")
    if cuda:
        gpu_s, gpu_total = reduction(args.rows, "cuda")
        scale = np.abs(cpu_total).max()
        diff = np.abs(gpu_total - cpu_total).max() / scale
        print(
            f"reduction of {args.rows:,} rows, torch on {card}: {gpu_s:.2f} s "
            f"({cpu_s / gpu_s:.1f}× the CPU path); largest relative difference {diff:.1e}"
        )
    cpu_d, w_cpu = descent(args.descent_rows, "cpu")
    print(f"descent over {args.descent_rows:,} rows, device cpu: {cpu_d:.2f} s, w = {w_cpu}")
    if cuda:
        gpu_d, w_gpu = descent(args.descent_rows, "cuda")
        agree = max(abs(a - b) for a, b in zip(w_cpu, w_gpu, strict=True))
        print(
            f"descent over {args.descent_rows:,} rows, device cuda ({card}): {gpu_d:.2f} s; "
            f"weights agree to {agree:.1e}"
        )


if __name__ == "__main__":
    main()
