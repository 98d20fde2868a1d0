"""The pinned outputs of tests/golden/: how each is made, compared by the tests, and written
only by running this file (``python3 tests/goldens.py``), never by a test: a test that could
rewrite its own expectation could not fail. Read ``git diff tests/golden`` after a run."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
ROOT = HERE.parent

#: Float round-off in the last bits differs between CPUs; everything else must match exactly.
#: Markdown escapes the bars (``max \|error\|``).
ERROR = re.compile(r"max \\?\|error\\?\| [0-9.e+-]+")

#: The derivatives whose rendered LaTeX is pinned in derivatives.tex.
PINNED = [
    "(2 - x - y)**2 + (4 - 3*x - y)**2",
    "x**2*exp(x)",
    "sin(x)/x",
    "exp(-x**2/2)",
    "log(x, 10)",
    "1/(1 + exp(-x))",
    "x**x",
    "tan(3*x)",
    "asin(2*x)",
    "tanh(x)**2",
    "Abs(x**2 - 1)",
    "Max(x, 0)",
    "sqrt(1 + sqrt(1 + x**2))",
]


def normalise(text: str) -> str:
    return ERROR.sub("max |error| <err>", text)


def sse(fmt: str) -> str:
    import tutor

    return normalise(getattr(tutor.solve(ROOT / "problems" / "sse.yaml"), f"to_{fmt}")())


def derivatives() -> str:
    import tutor
    from tutor.render.latex import LatexPrinter

    printer = LatexPrinter()
    parts = []
    for text in PINNED:
        step = tutor.derive(text, wrt="x, y").sections[0].steps[0]
        parts.append(f"% d/dx {text}\n" + printer.print(step))
    return "\n".join(parts)


GOLDENS: dict[str, Callable[[], str]] = {
    "sse.txt": lambda: sse("text"),
    "sse.tex": lambda: sse("latex"),
    "sse.md": lambda: sse("markdown"),
    "derivatives.tex": derivatives,
}


def main() -> None:
    names = sys.argv[1:] or list(GOLDENS)
    for name in names:
        (GOLDEN / name).write_text(GOLDENS[name](), encoding="utf-8")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
