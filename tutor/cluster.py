"""A batch's units on Dask: a local cluster on this machine's cores by default, a running
cluster by its address (``--scheduler tcp://HOST:8786`` or ``TUTOR_SCHEDULER``).

A unit (one problem, one student, one variant) is a plain function of plain arguments that
returns plain data: the files it made as bytes, its exit code, its one-line failure. The
client writes every file (atomically, :mod:`tutor.output`), so a worker needs no access to
the output folder and a worker that dies mid-unit leaves nothing half-written: the scheduler
runs the unit again elsewhere (``distributed.scheduler.allowed-failures``, 3 by default).
The same functions run in this process when there is no cluster, so the serial path and the
cluster's give the same bytes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError, Phrase

#: The environment variable that names a scheduler when ``--scheduler`` is not given.
SCHEDULER_ENV = "TUTOR_SCHEDULER"
#: ``--scheduler inprocess``: no cluster at all, every unit in this process, one at a time.
IN_PROCESS = "inprocess"
_ADDRESS = re.compile(r"(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+")
#: Fewer units than this run in this process unless a scheduler is named: a local cluster
#: costs about 7 s to start and to warm its workers (SymPy, torch), more than it saves on
#: a few units (2 students graded: 5.6 s here, 12.8 s through a local cluster, 2 cores).
SMALL_BATCH = 4
#: How long to wait for a scheduler named by address before saying it cannot be reached.
CONNECT_TIMEOUT = "15s"


def scheduler_address(option: str | None) -> str | None:
    """The scheduler asked for: ``--scheduler``, else ``TUTOR_SCHEDULER``, else None (local).

    >>> scheduler_address("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> scheduler_address("8786")
    Traceback (most recent call last):
    ...
    tutor.errors.InputError: --scheduler: '8786' is not a scheduler address: write tcp://HOST:PORT (or inprocess to use no cluster)
    """  # noqa: E501
    given = option if option is not None else os.environ.get(SCHEDULER_ENV) or None
    key = "--scheduler" if option is not None else SCHEDULER_ENV
    if given is None or given == IN_PROCESS:
        return given
    if not _ADDRESS.fullmatch(given):
        raise InputError(
            "{given!r} is not a scheduler address: write tcp://HOST:PORT (or inprocess to use "
            "no cluster)",
            key=key,
            given=given[:80],
        )
    return given


@contextlib.contextmanager
def connect(address: str | None, units: int) -> Iterator[Any]:
    """A Dask client for ``units`` units, or None to run them here.

    None when asked (``inprocess``), or with no address for fewer than :data:`SMALL_BATCH`
    units or on one core (a local cluster would only add its start-up); a local cluster of
    one single-threaded worker process per core (at most one per unit) with no address; else
    a client of the running cluster at ``address``.
    """
    cores = os.cpu_count() or 1
    if address == IN_PROCESS or (address is None and (units < SMALL_BATCH or cores <= 1)):
        yield None
        return
    from distributed import Client, LocalCluster

    if address is None:
        with (
            LocalCluster(
                n_workers=min(cores, units),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            "cannot reach the Dask scheduler at {address} ({why}): start one with "
            "`dask scheduler` and workers with `dask worker {address}`, or leave --scheduler "
            "out to run on this machine",
            address=address,
            why=str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__,
        ) from None
    with client:
        yield client


@dataclass(frozen=True)
class Done:
    """What a unit gives back: its exit code, its one-line failure (or ""), the files it made
    (path relative to the batch's folders → bytes) and any value the command needs."""

    code: int = 0
    line: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    value: Any = None


def run(
    unit: Callable[..., Done],
    jobs: Sequence[tuple[Any, ...]],
    client: Any,
    lost: Callable[[int, BaseException], Done],
) -> Iterator[tuple[int, Done]]:
    """``unit(*job)`` for every job, as ``(index, Done)`` in the order they finish.

    On a client the jobs are Dask futures and come back as they complete (a progress bar
    follows them); a unit that Dask could not run at all (its workers kept dying, the
    cluster went away) comes back as ``lost(index, error)`` and the batch goes on.
    """
    if client is None:
        for i, job in enumerate(jobs):
            try:
                yield i, unit(*job)
            except Exception as exc:  # a unit catches its own errors; this is the rest
                yield i, lost(i, exc)
        return
    from distributed import as_completed

    futures = [client.submit(unit, *job, pure=False) for job in jobs]
    index = {f.key: i for i, f in enumerate(futures)}
    for future in as_completed(futures):
        try:
            yield index[future.key], future.result()
        except Exception as exc:
            yield index[future.key], lost(index[future.key], exc)
        finally:
            future.release()


def lost_line(where: str, exc: BaseException) -> Phrase:
    """The line for a unit Dask could not run: a worker died under it each time it ran
    (``KilledWorker``), or the cluster went away."""
    return Phrase(
        "{where}: lost on the cluster ({kind}: {why}); run it again",
        where=where,
        kind=type(exc).__name__,
        why=str(exc).splitlines()[0][:160] if str(exc) else "",
    )


def on_worker() -> str | None:
    """The address of the Dask worker this runs on, or None outside a worker."""
    try:
        from distributed import get_worker
    except ImportError:
        return None
    try:
        return str(get_worker().address)
    except ValueError:
        return None


def where_said(line: str, lang: str | None) -> str:
    """A unit's failure line, naming the worker it failed on when it ran on one (a worker
    without TeX Live fails its PDFs: the line says which)."""
    worker = on_worker()
    if worker is None:
        return line
    return Phrase("{line} (on worker {worker})", line=line, worker=worker).said(lang)
