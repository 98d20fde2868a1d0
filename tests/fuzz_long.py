"""The long fuzz run (issue 17), before a stop: ``python3 tests/fuzz_long.py --count 20000``.

Draws ``--count`` cases from tests/fuzzing.py's strategies (a third each of expressions, problem
files and raw bytes), runs them in worker processes (each under an address-space limit, and
killed past 60 s, so a hang or a memory bomb is counted, not suffered), and prints counts by
kind and outcome. Every case that is not acceptable is written to ``--found DIR`` as JSON in
the format of tests/corpus/fuzz/, ready to become a regression test.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fuzzing import LIMIT_S, STRATEGIES, Case, Outcome, acceptable, run  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

MEMORY_LIMIT = 8 * 2**30  # address space per worker: a memory bomb fails there, not here
HANG_S = 60.0


def draw(kind: str, count: int, seed: int) -> list[Case]:
    cases: list[Case] = []

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(STRATEGIES[kind])
    def collect(case: Case) -> None:
        cases.append(case)

    import hypothesis

    hypothesis.seed(seed)(collect)()
    return cases[:count]


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _work(case: Case) -> tuple[Case, Outcome]:
    try:
        return case, run(case)
    except MemoryError:
        return case, Outcome(3, 0.0, "MemoryError escaped")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=mp.cpu_count())
    parser.add_argument("--found", type=Path, default=Path("fuzz-found"))
    args = parser.parse_args()
    per_kind = args.count // len(STRATEGIES)
    cases = [c for kind in STRATEGIES for c in draw(kind, per_kind, args.seed)]
    print(f"drew {len(cases)} cases", flush=True)
    args.found.mkdir(parents=True, exist_ok=True)
    counts: Counter[tuple[str, str]] = Counter()
    slowest = 0.0
    start = time.monotonic()
    with mp.get_context("spawn").Pool(
        args.workers, initializer=_limit, maxtasksperchild=200
    ) as pool:
        pending = [pool.apply_async(_work, (case,)) for case in cases]
        for i, (case, result) in enumerate(zip(cases, pending, strict=True)):
            try:
                case, outcome = result.get(timeout=HANG_S + LIMIT_S)
            except mp.TimeoutError:
                outcome = Outcome(-1, HANG_S + LIMIT_S, "hung: killed")
            slowest = max(slowest, outcome.seconds)
            verdict = "ok" if acceptable(outcome) else "BAD"
            counts[(case.kind, f"exit {outcome.code}" if verdict == "ok" else verdict)] += 1
            if verdict == "BAD":
                record = {
                    "kind": case.kind,
                    "args": list(case.args),
                    "files": [[n, c.decode("latin-1")] for n, c in case.files],
                    "outcome": [outcome.code, round(outcome.seconds, 1), outcome.stderr],
                }
                (args.found / f"{case.kind}-{i}.json").write_text(json.dumps(record, indent=1))
            if (i + 1) % 500 == 0:
                print(f"{i + 1} run, {time.monotonic() - start:.0f} s", flush=True)
    print(f"{len(cases)} cases in {time.monotonic() - start:.0f} s; slowest {slowest:.1f} s")
    for (kind, what), n in sorted(counts.items()):
        print(f"  {kind:10} {what:8} {n}")
    bad = sum(n for (_, what), n in counts.items() if what == "BAD")
    print(f"not acceptable: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
