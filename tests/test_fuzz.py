"""A short derandomised fuzz run (issue 17): expressions, problem files and raw bytes from
hypothesis strategies (tests/fuzzing.py) never end in an internal error or past 30 s.

``python3 tests/fuzz_long.py --count 20000`` is the long run; every crasher either finds
becomes a case in ``tests/corpus/fuzz/`` (test_fuzz_corpus below).
"""

import json
import os
from pathlib import Path

import pytest
from fuzzing import STRATEGIES, Case, acceptable, run
from hypothesis import HealthCheck, given, settings

EXAMPLES = int(os.environ.get("TUTOR_FUZZ_EXAMPLES", "40"))
CORPUS = Path(__file__).parent / "corpus" / "fuzz"


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_fuzzed_inputs_get_an_answer_or_one_line(kind):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(STRATEGIES[kind])
    def check(case):
        outcome = run(case)
        assert acceptable(outcome), f"{case.describe()}\n-> exit {outcome.code} in " + (
            f"{outcome.seconds:.1f} s: {outcome.stderr}"
        )

    check()


def corpus():
    return sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_fuzz_corpus(path):
    """Each input a fuzz run once broke tutor with, kept as it was found."""
    raw = json.loads(path.read_text())
    case = Case(
        raw["kind"],
        tuple(raw["args"]),
        tuple((name, content.encode("latin-1")) for name, content in raw["files"]),
    )
    outcome = run(case)
    assert acceptable(outcome), f"exit {outcome.code} in {outcome.seconds:.1f} s: {outcome.stderr}"
