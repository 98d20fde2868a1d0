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
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

#: Seconds one task may take before it is stopped and marked incomplete (--task-timeout).
TASK_TIMEOUT = 60.0


class OverBudget(Exception):
    """An operation ran past its budget."""


class TaskOverTime(Exception):
    """A whole task ran past its time limit. Not an :class:`OverBudget`: an operation's own
    fallback must not catch the task's limit and carry on."""


#: The exceptions a time limit raises: a ``except Exception`` that means "this point is
#: outside the domain" must let these through (``except TIME_UP: raise`` before it).
TIME_UP = (OverBudget, TaskOverTime)


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block if it runs longer than ``seconds``.

    >>> with within(1.0):
    ...     total = sum(range(1000))
    >>> total
    499500
    """
    with alarm(seconds, OverBudget):
        yield


@contextlib.contextmanager
def alarm(seconds: float, kind: type[BaseException]) -> Iterator[None]:
    """Raise ``kind`` in the block after ``seconds`` (the interval timer, SIGALRM).

    Nests: inside another alarm that ends sooner this one does nothing (the outer fires
    first); otherwise the outer resumes afterwards with the time it had left. Off the main
    thread, or where there is no SIGALRM, the block runs unbounded.
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
    previous = signal.signal(signal.SIGALRM, raising(kind))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with quiet_unraisable(kind):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


#: When a raised time-out is swallowed (it landed in a finalizer), raise it again this soon.
RETRY = 0.05


def raising(kind: type[BaseException]) -> Any:
    """A SIGALRM handler that raises ``kind``, re-armed first: a signal that arrives while
    the garbage collector runs a weakref callback raises there, where Python swallows it, so
    it is raised again until it reaches the code that runs over its time."""

    def expire(signum: int, frame: Any) -> None:
        signal.setitimer(signal.ITIMER_REAL, RETRY)
        raise kind()

    return expire


@contextlib.contextmanager
def quiet_unraisable(kind: type[BaseException]) -> Iterator[None]:
    """While in the block, a swallowed ``kind`` (raised in a finalizer) is dropped silently
    instead of printing "Exception ignored in ..."; anything else goes to the usual hook."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, kind):
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = previous
