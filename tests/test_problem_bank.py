"""Every problem in problems/: solves, every cross-check agrees, every format renders."""

import json

import pytest
from conftest import PROBLEMS, solved

BANK = sorted(PROBLEMS.glob("*.yaml"))


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_problem_solves_with_every_check_agreeing(path):
    sol = solved(path)
    assert sol.checks and sol.ok, [c for c in sol.checks if not c.ok]
    json.loads(sol.to_json())
    assert sol.to_text() and sol.to_markdown()
    # pdflatex reads ASCII: tutor's own Unicode (XᵀX, λ, ŵ, ∂) must arrive as LaTeX. (A
    # Chinese solution's words are Chinese: xelatex with ctex sets it, tests/test_languages.py.)
    if sol.lang == "en":
        sol.to_latex().encode("ascii")
