"""Rendering every problem of problems/ to a PDF: seconds per problem, split by stage.

solve: the derivations and checks; figures: matplotlib, each figure to PDF and PNG;
latex: latexmk + pdflatex on the written document. Run: python benchmarks/render.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tutor  # noqa: E402
from tutor import figures  # noqa: E402
from tutor.pdf import compile_tex  # noqa: E402
from tutor.render.latex import LatexPrinter  # noqa: E402


def main() -> None:
    rows = []
    for path in sorted((ROOT / "problems").glob("*.yaml")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            start = time.perf_counter()
            solution = tutor.solve(path)
            solved = time.perf_counter()
            plans = figures.plan(solution)
            figures.draw(plans, folder)
            drawn = time.perf_counter()
            tex = LatexPrinter().document(figures.attach(solution, plans))
            compile_tex(tex, folder)
            done = time.perf_counter()
        rows.append((path.stem, len(plans), solved - start, drawn - solved, done - drawn))
    heads = ("figures", "solve s", "figures s", "latex s", "total s")
    print(f"{'problem':28} " + " ".join(f"{h:>9}" for h in heads))
    for name, count, a, b, c in rows:
        print(f"{name:28} {count:9d} {a:9.2f} {b:9.2f} {c:9.2f} {a + b + c:9.2f}")
    totals = [sum(r[i] for r in rows) for i in (2, 3, 4)]
    n = len(rows)
    print(
        f"{'mean of ' + str(n):28} {'':9} {totals[0] / n:9.2f} {totals[1] / n:9.2f} "
        f"{totals[2] / n:9.2f} {sum(totals) / n:9.2f}"
    )


if __name__ == "__main__":
    main()
