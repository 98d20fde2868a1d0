"""Time per derivation on the textbook corpus (tests/corpus/derivatives.txt), in one run.

For each derivative, interleaved and repeated, each call from a cold SymPy cache:

- sympy.diff + simplify: the plain SymPy way to get a readable derivative (the reference);
- tutor steps: the rule tree, the lesson's one-line form and the tidy result;
- tutor steps + verify: the same, plus every rule application checked against sympy.diff;
- autograd: torch.autograd.grad of the compiled expression at one point (how a numeric
  check costs, for scale).

Run: python benchmarks/derive.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.calculus.diffsteps import diff_steps, verify  # noqa: E402
from tutor.calculus.tidy import tidy_with_note  # noqa: E402
from tutor.expr import evaluate, parse  # noqa: E402

SYMBOLS = {n: sp.Symbol(n, real=True) for n in "xyz"}


def corpus() -> list[tuple[str, str]]:
    rows = []
    for line in (ROOT / "tests" / "corpus" / "derivatives.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            expr, var, _ = (part.strip() for part in line.split(";"))
            rows.append((expr, var))
    return rows


def timed(fn: Callable[[], object]) -> float:
    """Seconds for one call, from a cold SymPy cache (a derivation is usually new work)."""
    clear_cache()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import torch

    from tutor.numeric.compile import compile_expr
    from tutor.numeric.verify import autograd_gradient

    variables = list(SYMBOLS.values())
    times: dict[str, list[float]] = {"sympy": [], "steps": [], "verified": [], "autograd": []}
    for text, var in corpus():
        shown = parse(text, SYMBOLS, evaluate=False)
        expr, v = evaluate(shown), SYMBOLS[var]
        f = compile_expr(expr, variables)

        def steps(shown: sp.Expr = shown, v: sp.Symbol = v) -> None:
            rule = diff_steps(shown, v)
            _ = rule.applied
            tidy_with_note(rule.result, variables)

        def verified(shown: sp.Expr = shown, v: sp.Symbol = v) -> None:
            rule = diff_steps(shown, v)
            _ = rule.applied
            tidy_with_note(rule.result, variables)
            verify(rule)

        def autograd(f: Callable[..., torch.Tensor] = f) -> None:
            x = torch.tensor([0.7, 0.3, 0.2], dtype=torch.float64, requires_grad=True)
            autograd_gradient(f(*x.unbind()), x)

        runs: dict[str, Callable[[], object]] = {
            "sympy": lambda expr=expr, v=v: sp.simplify(sp.diff(expr, v)),
            "steps": steps,
            "verified": verified,
            "autograd": autograd,
        }
        best: dict[str, float] = {k: float("inf") for k in runs}
        for _ in range(args.repeat):  # interleaved, best of N: the least disturbed run
            for name, fn in runs.items():
                best[name] = min(best[name], timed(fn))
        for name in runs:
            times[name].append(best[name])
    n = len(times["sympy"])
    print(f"{n} derivatives, best of {args.repeat} interleaved runs each (ms)\n")
    print(f"{'':28} {'median':>8} {'p90':>8} {'max':>8} {'median / sympy':>15}")
    ref = statistics.median(times["sympy"])
    labels = {
        "sympy": "sympy.diff + simplify",
        "steps": "tutor steps",
        "verified": "tutor steps + verify",
        "autograd": "autograd at one point",
    }
    for name, label in labels.items():
        ms = sorted(t * 1000 for t in times[name])
        median = statistics.median(ms)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        print(f"{label:28} {median:8.2f} {p90:8.2f} {ms[-1]:8.2f} {median / (ref * 1000):14.2f}x")
    target = statistics.median(times["verified"]) * 1000
    print(
        f"\ntarget: median verified derivation under 100 ms: {target:.1f} ms "
        f"({'met' if target < 100 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
