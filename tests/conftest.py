from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"


@pytest.fixture(scope="session")
def sse_solution():
    import tutor

    return tutor.solve(PROBLEMS / "sse.yaml")
