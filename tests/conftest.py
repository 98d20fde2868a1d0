import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"


@pytest.fixture(scope="session")
def sse_solution():
    import tutor

    return tutor.solve(PROBLEMS / "sse.yaml")


@functools.cache
def solved(path: Path):
    """A problem file worked out once per test session (several tests read the whole bank)."""
    import tutor

    return tutor.solve(path)


@pytest.fixture(autouse=True)
def _batches_in_process(monkeypatch):
    """Batches run in the test's own process (``TUTOR_SCHEDULER=inprocess``): a local Dask
    cluster per batch would cost seconds each. tests/test_cluster.py runs them on real
    clusters, the local default included, and compares."""
    monkeypatch.setenv("TUTOR_SCHEDULER", "inprocess")
