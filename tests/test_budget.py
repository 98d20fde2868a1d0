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


class Slow:
    def __del__(self):
        time.sleep(0.001)  # about half of the loop's time is spent in finalizers


def test_a_budget_that_lands_in_a_finalizer_is_raised_again():
    """Python swallows an exception raised in __del__; the budget must still end the block,
    and print nothing ("Exception ignored in ...")."""
    started = time.monotonic()
    with pytest.raises(OverBudget), within(0.2):
        while True:
            Slow()
            sum(range(20_000))  # and about half outside them
    assert time.monotonic() - started < 2.0
