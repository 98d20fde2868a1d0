"""Over a hundred textbook derivatives (tests/corpus/derivatives.txt), each: derived by rules
only, every rule application equal to sympy.diff, equal to the textbook's answer, and equal
to torch autograd (float64, |error| <= 1e-9 (1 + |autograd|)) at random points."""

import random
from pathlib import Path

import goldens
import pytest
import sympy as sp

from tutor.calculus.diffsteps import Unsupported, diff_steps, verify
from tutor.calculus.equality import equal
from tutor.expr import evaluate, parse
from tutor.numeric.compile import compile_expr
from tutor.numeric.verify import gradient_check

HERE = Path(__file__).parent
SYMBOLS = {n: sp.Symbol(n, real=True) for n in "xyz"}


def corpus() -> list[tuple[str, str, str]]:
    rows = []
    for line in (HERE / "corpus" / "derivatives.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            expr, var, answer = (part.strip() for part in line.split(";"))
            rows.append((expr, var, answer))
    return rows


CORPUS = corpus()


def test_corpus_has_over_a_hundred_derivatives():
    assert len(CORPUS) >= 100


def points(n: int = 40, seed: int = 1) -> list[tuple[float, ...]]:
    # Wider than the default box: log(log(log(x))) lives beyond x = e.
    rng = random.Random(seed)
    return [tuple(round(rng.uniform(-4, 4), 4) for _ in SYMBOLS) for _ in range(n)]


@pytest.mark.parametrize("text,var,answer", CORPUS, ids=[f"{e} d{v}" for e, v, _ in CORPUS])
def test_textbook_derivative(text, var, answer):
    shown = parse(text, SYMBOLS, evaluate=False)
    rule = diff_steps(shown, SYMBOLS[var])
    assert not [r for r in rule.walk() if isinstance(r, Unsupported)]
    assert verify(rule) == []
    domain = evaluate(shown)
    assert equal(rule.result, parse(answer, SYMBOLS), SYMBOLS.values(), domain=domain)
    variables = list(SYMBOLS.values())
    partials = [diff_steps(shown, v).result for v in variables]
    f = compile_expr(evaluate(shown), variables)
    check = gradient_check(f, variables, partials, points(), "corpus")
    assert check.points, "no point of the sample lies in the domain"
    assert check.ok, check


def test_rendered_latex_of_a_dozen_is_pinned():
    """Regenerate with python3 tests/goldens.py (never from a test)."""
    assert goldens.derivatives() == (goldens.GOLDEN / "derivatives.tex").read_text(encoding="utf-8")
