"""Forty variants of Lesson 5's two-point fit, as a teacher makes them for a class: drawn,
solved with every check, typeset as a sheet and a key each (the issue asks for under two
minutes), beside the same forty problems solved and typeset one after another by hand
(``tutor.solve`` and ``write_pdf`` on each filled-in file, no drawing, no sheets).

    python benchmarks/variants.py [--count 40]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tutor.loading import load
from tutor.pdf import write_pdf
from tutor.solve import solve
from tutor.variant_files import Run, write_run

TEMPLATE = Path(__file__).resolve().parent.parent / "problems" / "templates"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        started = time.perf_counter()
        written = write_run(Run(TEMPLATE / "lesson5-two-points.yaml", count, 1, out))
        made = time.perf_counter() - started
        started = time.perf_counter()
        for k in range(1, min(count, 10) + 1):
            problem = load(out / f"v{k:02d}" / "problem.yaml")
            write_pdf(solve(problem), Path(tmp) / f"by-hand-{k}.pdf")
        by_hand = (time.perf_counter() - started) * count / min(count, 10)
    print(f"tutor variants, {written} variants with sheet and key PDFs: {made:.1f} s")
    print(f"  per variant: {made / written:.2f} s")
    print(f"solve + key PDF one after another, no sheets (est.): {by_hand:.1f} s")
    print(f"ratio tutor / by hand: {made / by_hand:.2f}")


if __name__ == "__main__":
    main()
