"""Least squares at a million rows: tutor's normal_equation beside plain torch, in one run.

The problem: m = 1,000,000 generated rows, 5 features plus an intercept, y = Xw + noise.
Each way runs in its own fresh process (so peak memory is its own), in turns:

- tutor: load the problem (generate the data, collapse it to X^T X, X^T y, y^T y) and run
  the normal_equation task with all its checks (lstsq, autograd, elimination);
- torch lstsq: the same data as tensors, torch.linalg.lstsq (the plain-torch way);
- torch normal equations: X^T X and X^T y by hand, then torch.linalg.solve.

Run: python benchmarks/least_squares.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRUE = [1.5, -2.0, 0.75, 3.0, -0.5, 2.73]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import numpy as np, torch
rows, way = {rows}, {way!r}
true = {true!r}
recipe = {{"n": rows, "seed": 0}}
for j in range(5):
    recipe[f"x{{j + 1}}"] = "uniform(-2, 2)"
terms = [f"{{w}}*x{{j + 1}}" for j, w in enumerate(true[:5])]
recipe["y"] = " + ".join(terms) + f" + {{true[5]}} + normal(0, 0.5)"
problem = {{"title": "bench", "variables": ["w1", "w2", "w3", "w4", "w5", "b"],
           "model": "y = w1*x1 + w2*x2 + w3*x3 + w4*x4 + w5*x5 + b",
           "data": {{"generate": recipe}}, "tasks": ["normal_equation"]}}
start = time.perf_counter()
if way == "tutor":
    import tutor
    sol = tutor.solve(problem)
    assert sol.ok, [c for c in sol.checks if not c.ok]
    w = [float(v) for v in sol.sections[0].result["solution"].values()]
else:
    from tutor.data import load_data
    from pathlib import Path
    data = load_data({{"generate": recipe}}, Path("."))
    cols = [torch.from_numpy(data.arrays[f"x{{j + 1}}"]) for j in range(5)]
    X = torch.stack([*cols, torch.ones(rows, dtype=torch.float64)], dim=1)
    y = torch.from_numpy(data.arrays["y"])
    if way == "lstsq":
        w = torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1).tolist()
    else:
        w = torch.linalg.solve(X.T @ X, X.T @ y).tolist()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak,
                  "err": max(abs(a - b) for a, b in zip(w, true))}}))
"""


def run(way: str, rows: int) -> dict[str, float]:
    code = CHILD.format(root=str(ROOT), rows=rows, way=way, true=TRUE)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ways = {
        "tutor": "tutor normal_equation",
        "lstsq": "torch.linalg.lstsq",
        "normal": "torch X^T X solve",
    }
    results: dict[str, list[dict[str, float]]] = {w: [] for w in ways}
    for _ in range(args.repeat):  # interleaved
        for way in ways:
            results[way].append(run(way, args.rows))
    print(f"m = {args.rows:,} rows, 5 features + intercept; median of {args.repeat} runs,")
    print("each a fresh process, timed from data generation to weights (import not counted)\n")
    print(f"{'':24} {'seconds':>8} {'peak MB':>8} {'max |w - true|':>15} {'time / lstsq':>13}")
    ref = statistics.median(r["seconds"] for r in results["lstsq"])
    for way, label in ways.items():
        sec = statistics.median(r["seconds"] for r in results[way])
        peak = max(r["peak_mb"] for r in results[way])
        err = max(r["err"] for r in results[way])
        print(f"{label:24} {sec:8.2f} {peak:8.0f} {err:15.4f} {sec / ref:12.2f}x")
    tutor_sec = statistics.median(r["seconds"] for r in results["tutor"])
    tutor_peak = max(r["peak_mb"] for r in results["tutor"])
    tutor_err = max(r["err"] for r in results["tutor"])
    ok = tutor_sec < 15 and tutor_peak < 3072 and tutor_err < 0.01
    verdict = "met" if ok else "NOT met"
    print(
        "\ntarget: tutor under 15 s and 3 GB, weights within 0.01: "
        f"{tutor_sec:.1f} s, {tutor_peak:.0f} MB, {tutor_err:.4f} ({verdict})"
    )


if __name__ == "__main__":
    main()
