"""Time budgets nest inside the command's own time limit (tutor.budget)."""

import signal
import time

import pytest

from tutor.budget import OverBudget, within
from tutor.cli import TimeLimit, time_limit


def test_a_budget_stops_a_slow_operation():
    started = time.monotonic()
    with pytest.raises(OverBudget), within(0.2):
        while True:
            pass
    assert time.monotonic() - started < 1.0


def test_the_outer_time_limit_survives_an_inner_budget():
    with pytest.raises(TimeLimit), time_limit(0.6):
        with within(0.2):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.3 < left <= 0.6
        while True:
            pass


def test_an_inner_budget_never_extends_the_outer_limit():
    with pytest.raises(TimeLimit), time_limit(0.3), within(5.0):
        while True:
            pass


class SleepsThroughTheAlarm:
    def __del__(self):
        time.sleep(0.2)  # the first alarm (at 0.05 s) fires in here, and Python swallows it


def test_a_budget_that_lands_in_a_finalizer_is_raised_again():
    """Python swallows an exception raised in __del__; the budget must still end the block
    (re-armed 50 ms later) and print nothing ("Exception ignored in ..."). Without the
    re-arm the loop below runs its full 5 s and the test fails; it never hangs."""
    started = time.monotonic()
    raised = False
    try:
        with within(0.05):
            SleepsThroughTheAlarm()
            while time.monotonic() - started < 5:
                sum(range(1000))
    except OverBudget:
        raised = True
    assert raised and time.monotonic() - started < 1.0


def test_a_time_limit_never_leaves_half_a_module(tmp_path, monkeypatch):
    """A limit that runs out during an import lands after it: the module is whole (torch's
    lazy ``import torch._dynamo`` was once left "partially initialized" by a task's limit)."""
    import sys
    import threading

    from tutor.budget import OverBudget, within

    (tmp_path / "slow_module_a.py").write_text(
        "import time\nstart = time.monotonic()\nwhile time.monotonic() - start < 0.3:\n"
        "    pass\nDONE = True\n"
    )
    (tmp_path / "slow_module_b.py").write_text((tmp_path / "slow_module_a.py").read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(OverBudget):  # the main thread: SIGALRM
        with within(0.05):
            import slow_module_a  # noqa: F401

            while True:
                pass
    assert sys.modules["slow_module_a"].DONE is True
    caught = []

    def work():  # a Dask worker's thread: the timer thread
        try:
            with within(0.05):
                import slow_module_b  # noqa: F401

                while True:
                    pass
        except OverBudget:
            caught.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert caught == [True] and sys.modules["slow_module_b"].DONE is True
