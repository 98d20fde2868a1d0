"""Time budgets for symbolic operations that can run for minutes (``sympy.solve``, ...).

``with within(5): ...`` raises :class:`OverBudget` after 5 s, so the caller falls back to a
cheaper method and says so. Budgets nest with the command's own ``--timeout`` (the same
interval timer): an inner budget never extends the outer one, and the outer timer resumes
with the time it had left. Outside the main thread (where signals cannot be set) the work
runs unbounded, as it would without tutor.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any


class OverBudget(Exception):
    """An operation ran past its budget."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block if it runs longer than ``seconds``.

    >>> with within(1.0):
    ...     total = sum(range(1000))
    >>> total
    499500
    """
    if (
        seconds <= 0
        or not hasattr(signal, "SIGALRM")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    if 0 < outer_left <= seconds:  # the outer limit comes first: let it fire
        yield
        return
    started = time.monotonic()

    def expire(signum: int, frame: Any) -> None:
        raise OverBudget()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
