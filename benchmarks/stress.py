"""The cost of a derivation on random nested expressions, beside sympy.diff, in one run.

Nests of every supported function, one to three variables, depth up to 5
(tests/randexpr.py), each derived by tutor (steps, tidy, every printed line verified, the
autograd check) and by ``sympy.diff`` alone (no simplify: that alone can take minutes).
Prints the distribution (median,
p90, p99, max, in ms) and the verdicts.

Run: python benchmarks/stress.py [--seed 1] [--count 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sympy as sp  # noqa: E402
from randexpr import sample  # noqa: E402

import tutor  # noqa: E402
from tutor.errors import InputError  # noqa: E402
from tutor.expr import parse  # noqa: E402


def quantiles(values: list[float]) -> tuple[float, float, float, float]:
    ordered = sorted(values)
    n = len(ordered)
    return (
        statistics.median(ordered),
        ordered[min(n - 1, int(0.9 * n))],
        ordered[min(n - 1, int(0.99 * n))],
        ordered[-1],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    ours: list[float] = []
    theirs: list[float] = []
    verdicts: Counter[str] = Counter()
    for text, names in sample(args.seed, args.count):
        symbols = {n: sp.Symbol(n, real=True) for n in names}
        try:
            expr = parse(text, symbols)
        except InputError:
            verdicts["refused (exit 2)"] += 1
            continue
        start = time.perf_counter()
        for v in symbols.values():
            sp.diff(expr, v)
        theirs.append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        try:
            solution = tutor.derive(text, wrt=list(names))
        except InputError:
            verdicts["refused (exit 2)"] += 1
            continue
        except Exception:  # noqa: BLE001 - counted, so that one bug does not end the run
            verdicts["INTERNAL ERROR"] += 1
            continue
        ours.append(1000 * (time.perf_counter() - start))
        oks = [c.ok for c in solution.checks]
        verdicts["✗ disagreed" if False in oks else "unchecked part" if None in oks else "✓"] += 1
    print(f"{len(ours)} random expressions (seed {args.seed}), ms per derivation:")
    print(f"{'':28}{'median':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    for label, values in (("sympy.diff", theirs), ("tutor derive (verified)", ours)):
        print(f"{label:28}" + "".join(f"{q:9.0f}" for q in quantiles(values)))
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in verdicts.most_common()))


if __name__ == "__main__":
    main()
