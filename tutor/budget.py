"""Time budgets for symbolic operations that can run for minutes (``sympy.solve``, ...).

``with within(5): ...`` raises :class:`OverBudget` after 5 s, so the caller falls back to a
cheaper method and says so. Budgets nest with the command's own ``--timeout`` (the same
interval timer): an inner budget never extends the outer one, and the outer timer resumes
with the time it had left. Outside the main thread (a Dask worker runs its tasks in threads,
where signals cannot be set) a timer thread raises the exception in the working thread
instead (``PyThreadState_SetAsyncExc``): like a signal, it lands between two bytecodes, so
pure-Python work (SymPy) is stopped and a long C call (one LAPACK solve) finishes first.
"""

from __future__ import annotations

import contextlib
import ctypes
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
    thread, or where there is no SIGALRM, :func:`thread_alarm` keeps the time instead.
    """
    if seconds <= 0:
        yield
        return
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        with thread_alarm(seconds, kind):
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
        if importing(frame):  # raised once the import is done: never half a module
            return
        raise kind()

    return expire


def importing(frame: Any) -> bool:
    """Whether ``frame`` runs inside an import. A time limit raised there would leave a
    half-initialised module in ``sys.modules`` (torch imports ``torch._dynamo`` lazily in
    the middle of a double backward: "partially initialized module 'torch._dynamo'")."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


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


_deadlines = threading.local()


@contextlib.contextmanager
def thread_alarm(seconds: float, kind: type[BaseException]) -> Iterator[None]:
    """:func:`alarm` for a thread that is not the main one: a timer thread raises ``kind`` in
    this thread after ``seconds`` (and again every :data:`RETRY` s until the block is left,
    as the signal handler does), nesting the same way.

    >>> import threading
    >>> caught = []
    >>> def work():
    ...     try:
    ...         with thread_alarm(0.05, OverBudget):
    ...             while True:
    ...                 pass
    ...     except OverBudget:
    ...         caught.append("stopped")
    >>> t = threading.Thread(target=work); t.start(); t.join(5)
    >>> caught
    ['stopped']
    """
    stack: list[float] = _deadlines.__dict__.setdefault("stack", [])
    deadline = time.monotonic() + seconds
    if stack and stack[-1] <= deadline:  # an outer limit comes first: let it fire
        yield
        return
    ident = threading.get_ident()
    lock = threading.Lock()
    left = threading.Event()

    def fire() -> None:
        if left.wait(seconds):
            return
        while True:
            with lock:
                if left.is_set():
                    return
                if not importing(sys._current_frames().get(ident)):
                    _raise_in(ident, kind)
            if left.wait(RETRY):
                return

    stack.append(deadline)
    timer = threading.Thread(target=fire, name="tutor-budget", daemon=True)
    timer.start()
    try:
        with quiet_unraisable(kind):
            yield
    finally:
        while True:  # a raise may land here too, until ``left`` is set under the lock
            try:
                with lock:
                    left.set()
                    _raise_in(ident, None)  # one raised but not yet delivered is withdrawn
                break
            except kind:
                continue
        stack.pop()


def _raise_in(ident: int, kind: type[BaseException] | None) -> None:
    """Raise ``kind`` in thread ``ident`` at its next bytecode (None: withdraw a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(kind) if kind is not None else None
    )
