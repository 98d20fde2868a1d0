"""Output paths and names from strangers (issue 13): no name runs a command, nothing but a
regular file is ever replaced, and files get the mode the umask says."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import pytest
from click.testing import CliRunner

from tutor import pdf as pdf_module
from tutor.cli import main
from tutor.output import write_text

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("pdftotext") is None,
    reason="TeX Live and poppler are installed by .ci/run",
)

PROBLEM = "title: Names\nvariables: [x]\nobjective: x**2 + 3*x\ntasks: [partials]\n"
NAMES = [
    "-pdflatex=touch X;.yaml",
    "-pdflatex=cd ..;touch X;.yaml",  # the exploit: out of the temporary folder
    "--help.yaml",
    "a$b.yaml",
    "a%b.yaml",
    "x~y.yaml",
    ".hidden.yaml",
]


@needs_tex
def test_batch_pdfs_from_hostile_file_names_run_nothing(tmp_path, monkeypatch):
    incoming, out, scratch = tmp_path / "incoming", tmp_path / "out", tmp_path / "scratch"
    for folder in (incoming, scratch):
        folder.mkdir()
    for name in NAMES:
        (incoming / name).write_text(PROBLEM)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # "cd .." would land in scratch
    monkeypatch.chdir(incoming)
    commands: list[list[str]] = []
    real_run = subprocess.run

    def spy(command, *args, **kwargs):
        commands.append(list(command))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(pdf_module.subprocess, "run", spy)
    files = [str(incoming / name) for name in NAMES]
    result = CliRunner().invoke(main, ["solve", *files, "--pdf-dir", str(out)])

    assert result.exit_code == 0, result.output
    assert not list(tmp_path.rglob("X")), "a command from a file name ran"
    latexmk = [c for c in commands if c[0] == "latexmk"]
    assert len(latexmk) == len(NAMES)
    for command in latexmk:
        assert command[-1] == "solution.tex"
        assert not any("pdflatex=" in arg or "touch" in arg for arg in command)
    for name in NAMES:
        pdf = out / (name[: -len(".yaml")] + ".pdf")
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "2x + 3" in text, name
    assert sorted(p.name for p in out.iterdir()) == sorted(n[:-5] + ".pdf" for n in NAMES)


def test_pdf_onto_a_fifo_is_refused_and_the_fifo_stays(tmp_path):
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    problem = tmp_path / "p.yaml"
    problem.write_text(PROBLEM)
    result = CliRunner().invoke(main, ["solve", str(problem), "--pdf", str(fifo)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"tutor: error: {fifo}: is a FIFO (named pipe), not a regular file; "
        "tutor only replaces regular files: choose another path\n"
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_out_onto_a_device_is_refused(tmp_path, fmt):
    problem = tmp_path / "p.yaml"
    problem.write_text(PROBLEM)
    (tmp_path / "out").mkdir()
    os.symlink("/dev/null", tmp_path / "out" / f"p.{'txt' if fmt == 'text' else 'md'}")
    result = CliRunner().invoke(
        main, ["solve", str(problem), "--format", fmt, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "is a character device, not a regular file" in result.stderr
    assert result.stderr.count("\n") == 1
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_pdf_dir_skips_a_fifo_and_goes_on(tmp_path):
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / "p.pdf")
    problem = tmp_path / "p.yaml"
    problem.write_text(PROBLEM)
    result = CliRunner().invoke(main, ["solve", str(problem), "--pdf-dir", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "is a FIFO (named pipe), not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.stat(tmp_path / "out" / "p.pdf").st_mode)


def test_pdf_onto_a_folder_is_refused(tmp_path):
    (tmp_path / "p.pdf").mkdir()
    problem = tmp_path / "p.yaml"
    problem.write_text(PROBLEM)
    result = CliRunner().invoke(main, ["solve", str(problem), "--pdf", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert (tmp_path / "p.pdf").is_dir()


def test_written_files_follow_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        written = write_text(tmp_path / "note.txt", "hello")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o644


def test_a_symlink_to_a_file_is_kept_and_its_file_replaced(tmp_path):
    (tmp_path / "real.txt").write_text("old")
    os.symlink(tmp_path / "real.txt", tmp_path / "link.txt")
    write_text(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


def test_a_folder_under_a_regular_file_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    problem = tmp_path / "p.yaml"
    problem.write_text(PROBLEM)
    out = tmp_path / "file" / "sub"
    result = CliRunner().invoke(main, ["solve", str(problem), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"tutor: error: {out / 'p.txt'}: cannot write here: Not a directory\n"


@needs_tex
def test_sigterm_during_a_build_leaves_no_temporary_folder(tmp_path):
    (tmp_path / "p.yaml").write_text(PROBLEM)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "tutor", "solve", "p.yaml", "--pdf", "p.pdf"]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        # as from a shell: SIGTERM at its default, whatever this test process inherited
        preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any(scratch.glob("tutor-pdf-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(scratch.glob("tutor-pdf-*")), "the build never started"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, (process.returncode, stderr)
    assert stderr == "tutor: terminated\n"
    assert not list(scratch.iterdir())
