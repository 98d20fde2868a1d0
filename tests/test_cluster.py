"""Batches and data on a real Dask cluster (issue 23): a ``dask scheduler`` and two ``dask
worker`` processes started on loopback by the test, the same commands through
``--scheduler`` and in this process, and their outputs compared byte for byte."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tutor import cluster
from tutor.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"
#: Quick problems (about a second each here): a batch of them, and their PDFs.
BATCH = ["sse.yaml", "paraboloid.yaml", "convex-x-squared.yaml", "extremum-bowl.yaml"]
DASK = shutil.which("dask")

pytestmark = [
    pytest.mark.skipif(DASK is None, reason="the dask command is not installed"),
    pytest.mark.xdist_group("cluster"),  # one pytest worker, one cluster for them all
]


@pytest.fixture(autouse=True)
def _collect_the_clusters_sockets():
    """A Dask client or local cluster made in this process (the local default, an address
    that answers nothing) leaves a socket or two to the garbage collector after it closes;
    collected in a later test, their ResourceWarning would land there. Collect them here."""
    yield
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on loopback, stopped afterwards."""

    def __init__(self, workers: int = 2):
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "TUTOR_SCHEDULER"}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
             "--dashboard-address", ":0", "--no-show"],
            **quiet,
        )  # fmt: skip
        self.workers = [
            subprocess.Popen(
                [
                    DASK,
                    "worker",
                    self.address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    f"w{k}",
                ],
                cwd=ROOT,
                **quiet,
            )  # fmt: skip
            for k in range(workers)
        ]
        self._wait(workers)

    def _wait(self, workers: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with Client(self.address, timeout="2s") as client:
                    client.wait_for_workers(workers, timeout=60)
                    # every worker imports tutor once, before the timed work
                    client.run(lambda: __import__("tutor.cli") and None)
                    return
            except (OSError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the Dask cluster did not start")

    def ran(self, prefix: str, state: str = "memory") -> int:
        """How many tasks named ``prefix`` reached ``state`` on this cluster's scheduler
        ("memory": finished on a worker), or with ``state="suspicious"``, how many were
        running on a worker that died."""
        from distributed import Client

        def count(dask_scheduler, prefix=prefix, state=state):
            found = dask_scheduler.task_prefixes.get(prefix)
            if found is None:
                return 0
            return found.suspicious if state == "suspicious" else found.state_counts[state]

        with Client(self.address, timeout="5s") as client:
            return int(client.run_on_scheduler(count))

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 20 s; every process reaped (a Popen left running
        warns when it is collected, in whichever test that happens)."""
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def dask_cluster():
    running = Cluster(workers=2)
    yield running
    running.stop()


def _run(args, **env):
    """``tutor ARGS`` in a process of its own (as a user runs it), with ``env`` added."""
    environment = {k: v for k, v in os.environ.items() if k != "TUTOR_SCHEDULER"}
    environment.update({"SOURCE_DATE_EPOCH": "1700000000", **env})
    return subprocess.run(
        [sys.executable, "-m", "tutor", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _here(args, monkeypatch):
    """``tutor ARGS`` in this process, no cluster, on the date :func:`_run` gives."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(main, [*map(str, args), "--scheduler", "inprocess"])
    assert result.exit_code == 0, result.output
    return result


def test_solve_batch_on_the_cluster_gives_the_local_pdfs(dask_cluster, tmp_path, monkeypatch):
    files = [PROBLEMS / f for f in BATCH[:2]]
    before = dask_cluster.ran("solve_unit")
    there = _run(["solve", *files, "--pdf-dir", tmp_path / "cluster",
                  "--scheduler", dask_cluster.address])  # fmt: skip
    assert there.returncode == 0, there.stderr
    assert dask_cluster.ran("solve_unit") == before + len(files)  # on the workers
    assert "all 2 done" in there.stderr
    _here(["solve", *files, "--pdf-dir", tmp_path / "here"], monkeypatch)
    cluster_pdfs, local_pdfs = _tree(tmp_path / "cluster"), _tree(tmp_path / "here")
    assert sorted(cluster_pdfs) == ["paraboloid.pdf", "sse.pdf"]
    assert cluster_pdfs == local_pdfs  # byte for byte: one date for the batch, same LaTeX


def test_parquet_least_squares_reduced_on_the_workers(dask_cluster, tmp_path):
    import tutor

    rng = np.random.default_rng(3)
    (tmp_path / "rows").mkdir()
    for k in range(6):
        x = rng.uniform(-1, 1, (5000, 2))
        y = x @ [1.5, -0.5] + 2 + rng.normal(0, 0.05, 5000)
        frame = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y})
        frame.to_parquet(tmp_path / "rows" / f"{k}.parquet")
    problem = tmp_path / "fit.yaml"
    problem.write_text(
        "title: Parquet on a cluster\nvariables: [a, b, c]\nmodel: y = a*x1 + b*x2 + c\n"
        "data: {parquet: rows}\nloss: sse\ntasks: [normal_equation]\n"
    )
    before = dask_cluster.ran("partition_sums")
    there = _run(["solve", problem, "--format", "json", "--scheduler", dask_cluster.address])
    assert there.returncode == 0, there.stderr
    assert dask_cluster.ran("partition_sums") == before + 6  # every partition, on the workers
    assert json.loads(there.stdout) == tutor.solve(problem).to_dict()
    weights = json.loads(there.stdout)["tasks"][0]["result"]["solution"]
    assert [round(float(weights[v]), 2) for v in "abc"] == [1.5, -0.5, 2.0]


def test_grading_a_class_on_the_cluster_matches_grading_here(dask_cluster, tmp_path, monkeypatch):
    answers = sorted((PROBLEMS / "answers").glob("sse-*.yaml"))
    copies = []
    for k in range(2):  # four students: two copies of each example
        for a in answers:
            copy = tmp_path / f"{a.stem}-{k}.yaml"
            copy.write_bytes(a.read_bytes())
            copies.append(copy)
    args = ["grade", PROBLEMS / "sse.yaml", *copies, "--format", "json"]
    before = dask_cluster.ran("grade_unit")
    there = _run([*args, "--scheduler", dask_cluster.address])
    assert there.returncode == 0, there.stderr
    assert dask_cluster.ran("grade_unit") == before + len(copies)
    assert json.loads(there.stdout) == json.loads(_here(args, monkeypatch).output)


def test_check_on_the_cluster_prints_what_it_prints_here(dask_cluster, monkeypatch):
    files = [PROBLEMS / f for f in BATCH[:2]]
    before = dask_cluster.ran("check_unit")
    there = _run(["check", *files, "--scheduler", dask_cluster.address])
    assert there.returncode == 0, there.stderr
    assert dask_cluster.ran("check_unit") == before + 2
    here = _here(["check", *files], monkeypatch)
    assert there.stdout == here.stdout
    assert there.stdout.startswith(f"{files[0]}: all ")  # in file order


def test_killing_a_worker_mid_batch_loses_no_unit(tmp_path, monkeypatch):
    """Four files on two workers, the cluster named by TUTOR_SCHEDULER; one worker is killed
    (SIGKILL) once the first output is written. Dask runs its unit again on the other: every
    output is there, and the same as here."""
    own = Cluster(workers=2)
    try:
        files = [PROBLEMS / f for f in BATCH]
        out = tmp_path / "cluster"
        environment = {**os.environ, "TUTOR_SCHEDULER": own.address}
        environment["SOURCE_DATE_EPOCH"] = "1700000000"
        with subprocess.Popen(
            [sys.executable, "-m", "tutor", "solve", *map(str, files), "--out", str(out),
             "--format", "markdown"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
            cwd=ROOT,
        ) as batch:  # fmt: skip
            deadline = time.monotonic() + 120
            while not list(out.glob("*.md")) and time.monotonic() < deadline:
                time.sleep(0.02)
            victim = own.workers[0]
            victim.send_signal(signal.SIGKILL)
            _, stderr = batch.communicate(timeout=240)
        assert victim.wait(10) == -signal.SIGKILL
        assert batch.returncode == 0, stderr
        assert own.ran("solve_unit") == len(files)
        killed = own.ran("solve_unit", "suspicious")  # units running on the worker it killed
        _here(["solve", *files, "--out", tmp_path / "here", "--format", "markdown"], monkeypatch)
        assert _tree(out) == _tree(tmp_path / "here")
        assert len(list(out.glob("*.md"))) == len(files)
        assert killed >= 1  # a unit died with the worker, and ran again on the other
    finally:
        own.stop()


def test_an_unreachable_scheduler_is_one_line_and_exit_2(monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    port = _free_port()  # nothing listens there
    args = ["solve", str(PROBLEMS / "sse.yaml"), str(PROBLEMS / "paraboloid.yaml")]
    result = CliRunner().invoke(
        main, [*args, "--out", str(tmp_path), "--scheduler", f"tcp://127.0.0.1:{port}"]
    )
    assert result.exit_code == 2
    assert result.output.startswith("tutor: error: cannot reach the Dask scheduler at tcp://")
    assert "dask scheduler" in result.output and len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("given", ["8786", "localhost:8786", "http://x:1", "tcp://"])
def test_a_scheduler_that_is_not_an_address_is_refused(given, tmp_path):
    result = CliRunner().invoke(
        main, ["solve", str(PROBLEMS / "sse.yaml"), "--out", str(tmp_path), "--scheduler", given]
    )
    assert result.exit_code == 2
    assert "is not a scheduler address: write tcp://HOST:PORT" in result.output


def test_the_local_default_is_a_cluster_for_four_files_or_more(monkeypatch, tmp_path):
    """No scheduler named: four files go to a local Dask cluster of worker processes, with
    the outputs of the in-process run."""
    files = [PROBLEMS / f for f in BATCH]
    started = []
    real = cluster.connect

    def spy(address, units):
        started.append((address, units))
        return real(address, units)

    monkeypatch.setattr(cluster, "connect", spy)
    monkeypatch.delenv("TUTOR_SCHEDULER")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    local = tmp_path / "local"
    result = CliRunner().invoke(main, ["solve", *map(str, files), "--out", str(local)])
    assert result.exit_code == 0, result.output
    assert started == [(None, 4)]
    _here(["solve", *files, "--out", tmp_path / "here"], monkeypatch)
    assert _tree(local) == _tree(tmp_path / "here")


def test_a_worker_without_latex_fails_its_pdf_unit_naming_the_worker(monkeypatch):
    """The unit as a worker runs it, on a machine with no TeX Live: one line, exit 2, the
    worker named (the docs say TeX Live must be on every worker)."""
    from tutor.cli import solve_unit

    monkeypatch.setattr(cluster, "on_worker", lambda: "tcp://10.0.0.7:40000")
    monkeypatch.setenv("PATH", "/nonexistent")
    spoken = {"lang": "en", "seed": 0, "detail": "compact", "dtype": "float64"}
    spoken |= {"device": "cpu", "task_timeout": 60.0}
    done = solve_unit(str(PROBLEMS / "sse.yaml"), "text", "sse", True, False, spoken, 60, 0)
    assert done.code == 2 and done.files == {}
    assert "making a PDF needs latexmk and pdflatex from TeX Live" in done.line
    assert done.line.endswith("(on worker tcp://10.0.0.7:40000)")


def test_device_cuda_where_there_is_none_is_one_line_and_exit_2():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = CliRunner().invoke(main, ["solve", str(PROBLEMS / "sse.yaml"), "--device", "cuda"])
    assert result.exit_code == 2
    assert result.output.startswith("tutor: error: --device: no CUDA")
    assert "leave --device out to compute on the CPU" in result.output
    assert len(result.output.strip().splitlines()) == 1
