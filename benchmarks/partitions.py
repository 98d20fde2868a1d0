"""Least squares over data beyond memory: 10⁸ rows × 10 features in Parquet, the normal
equation through a local Dask cluster, beside the in-memory ways at the largest size that
fits (10⁷ rows), in one run, as ratios.

Ways, each in a process of its own (so that each peak memory is its own):

- ``tutor dask``: ``tutor.solve`` of ``data: {parquet: DIR}``, through a local Dask cluster
  of ``--workers`` single-threaded worker processes (the client connected as the default):
  XᵀX, Xᵀy, yᵀy and the judge's sums per partition, added in a tree, then ŵ and its checks.
  Peak memory of the client (this process) and of each worker (``ru_maxrss``).
- ``tutor memory``: ``tutor.solve`` of the same model over ``generate:`` data in memory
  (its SVD path), at ``--memory-rows``.
- ``numpy lstsq`` and ``numpy normal``: ``np.linalg.lstsq(X, y)`` and
  ``np.linalg.solve(XᵀX, Xᵀy)`` on X already in memory (its generation not timed).
- ``torch lstsq``: ``torch.linalg.lstsq`` (gelsd) on the same X.

Every way reports its largest error against the true weights (which must be below 0.01).

Run: python benchmarks/partitions.py [--rows 100000000] [--memory-rows 10000000]
     [--folder /tmp/tutor-parquet] [--workers 2]
The Parquet files (8.8 GB at 10⁸ rows) are written once and reused.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURES = 10
TRUE = [round(0.5 * (j + 1) * (-1) ** j, 2) for j in range(FEATURES)] + [0.75]
ROWS_PER_FILE = 1_000_000


def generate(folder: Path, rows: int) -> float:
    """``rows`` rows in files of a million: x₁..x₁₀ ~ N(0, 1), y = x·w + b + N(0, 0.1)."""
    import numpy as np
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"done-{rows}"
    if marker.exists():
        return 0.0
    for old in folder.glob("*.parquet"):
        old.unlink()
    start = time.perf_counter()
    rng = np.random.default_rng(0)
    for k in range(0, rows, ROWS_PER_FILE):
        n = min(ROWS_PER_FILE, rows - k)
        x = rng.standard_normal((n, FEATURES))
        y = x @ TRUE[:FEATURES] + TRUE[FEATURES] + rng.normal(0, 0.1, n)
        frame = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(FEATURES)])
        frame["y"] = y
        frame.to_parquet(folder / f"part-{k // ROWS_PER_FILE:05d}.parquet")
    marker.write_text("")
    return time.perf_counter() - start


def _model() -> tuple[list[str], str]:
    names = [f"w{j + 1}" for j in range(FEATURES)] + ["b"]
    terms = [f"w{j + 1}*x{j + 1}" for j in range(FEATURES)]
    return names, "y = " + " + ".join(terms) + " + b"


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _error(weights: list[float]) -> float:
    return max(abs(a - b) for a, b in zip(weights, TRUE, strict=True))


def child_dask(folder: str, workers: int) -> dict[str, object]:
    import logging

    from distributed import Client, LocalCluster

    import tutor

    names, model = _model()
    problem = folder + "/problem.yaml"
    Path(problem).write_text(
        json.dumps(
            {
                "title": "bench",
                "variables": names,
                "model": model,
                "data": {"parquet": "."},
                "loss": "mse",
                "tasks": ["normal_equation"],
            }
        )
    )
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            memory_limit=0,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("tutor.partitions") and None)  # warm, not timed
        start = time.perf_counter()
        solution = tutor.solve(problem)
        seconds = time.perf_counter() - start
        worker_peaks = client.run(_peak_mb)
    assert solution.ok, [c for c in solution.checks if c.ok is False]
    result = solution.sections[0].result
    weights = [float(v) for v in result["solution"].values()]
    return {
        "seconds": seconds,
        "client_mb": _peak_mb(),
        "worker_mb": max(worker_peaks.values()),
        "err": _error(weights),
        "digits": result.get("digits"),
    }


def child_memory(way: str, rows: int) -> dict[str, object]:
    import numpy as np

    names, model = _model()
    recipe: dict[str, object] = {"n": rows, "seed": 0}
    for j in range(FEATURES):
        recipe[f"x{j + 1}"] = "normal(0, 1)"
    terms = [f"{w}*x{j + 1}" for j, w in enumerate(TRUE[:FEATURES])]
    recipe["y"] = " + ".join(terms) + f" + {TRUE[FEATURES]} + normal(0, 0.1)"
    if way == "tutor memory":
        import tutor

        problem = {
            "title": "bench",
            "variables": names,
            "model": model,
            "data": {"generate": recipe},
            "loss": "mse",
            "tasks": ["normal_equation"],
        }
        start = time.perf_counter()
        solution = tutor.solve(problem)
        seconds = time.perf_counter() - start
        weights = [float(v) for v in solution.sections[0].result["solution"].values()]
        return {"seconds": seconds, "client_mb": _peak_mb(), "err": _error(weights)}
    from tutor.data import load_data

    data = load_data({"generate": recipe}, Path("."))
    x = np.column_stack([data.arrays[f"x{j + 1}"] for j in range(FEATURES)] + [np.ones(rows)])
    y = data.arrays["y"]
    start = time.perf_counter()
    if way == "numpy lstsq":
        weights = np.linalg.lstsq(x, y, rcond=None)[0].tolist()
    elif way == "numpy normal":
        weights = np.linalg.solve(x.T @ x, x.T @ y).tolist()
    else:
        import torch

        xt, yt = torch.from_numpy(x), torch.from_numpy(y).unsqueeze(1)
        weights = torch.linalg.lstsq(xt, yt, driver="gelsd").solution.squeeze(1).tolist()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "client_mb": _peak_mb(), "err": _error(weights)}


def run(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--memory-rows", type=int, default=10_000_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/tutor-parquet"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "dask":
            print(json.dumps(child_dask(rest[0], int(rest[1]))))
        else:
            print(json.dumps(child_memory(rest[0], int(rest[1]))))
        return
    print(f"generating {args.rows:,} rows × {FEATURES} features as Parquet in {args.folder}")
    made = generate(args.folder, args.rows)
    size = sum(p.stat().st_size for p in args.folder.glob("*.parquet")) / 1e9
    print(f"  {size:.1f} GB" + (f", written in {made:.0f} s" if made else " (reused)"))
    results = {f"tutor dask ({args.rows:.0e} rows, Parquet)": run("dask", str(args.folder),
                                                                   str(args.workers))}  # fmt: skip
    for way in ("tutor memory", "numpy lstsq", "numpy normal", "torch lstsq"):
        results[f"{way} ({args.memory_rows:.0e} rows)"] = run("memory", way, str(args.memory_rows))
    base = results[f"numpy normal ({args.memory_rows:.0e} rows)"]["seconds"]
    assert isinstance(base, float)
    head = f"{'way':38} {'seconds':>8} {'× numpy normal':>15} {'client MB':>10}"
    print(f"{head} {'max |w − w*|':>13}")
    for way, r in results.items():
        seconds = r["seconds"]
        assert isinstance(seconds, float)
        print(
            f"{way:38} {seconds:8.1f} {seconds / base:15.1f} {r['client_mb']:10.0f} "
            f"{r['err']:13.1e}"
        )
    dask = results[f"tutor dask ({args.rows:.0e} rows, Parquet)"]
    print(f"tutor dask: worker peak {dask['worker_mb']:.0f} MB, digits claimed {dask['digits']}")
    for r in results.values():
        assert isinstance(r["err"], float) and r["err"] < 0.01, r


if __name__ == "__main__":
    main()
