"""docs/ (issue 9): every example runs, generated pages are current, the tutorial executes."""

import doctest
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
sys.path.insert(0, str(DOCS))


def blocks(kind):
    for page in sorted(DOCS.rglob("*.md")):
        for i, match in enumerate(FENCE.finditer(page.read_text(encoding="utf-8"))):
            if match.group(1) == kind:
                yield pytest.param(page, match.group(2), id=f"{page.relative_to(ROOT)}#{i}")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A scratch folder that sees the problem bank, so examples write nothing into the repo."""
    (tmp_path / "problems").symlink_to(ROOT / "problems")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pages_with(kind):
    return sorted({p.values[0] for p in blocks(kind)}, key=str)


@pytest.mark.parametrize("page", pages_with("python"), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_examples_run(page, workdir):
    """A page's Python blocks in order, sharing names: doctests where they show output."""
    namespace: dict = {"__name__": "__docs__"}
    for param in blocks("python"):
        if param.values[0] != page:
            continue
        code = param.values[1]
        if ">>>" in code:
            test = doctest.DocTestParser().get_doctest(code, namespace, page.name, str(page), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            runner.run(test, clear_globs=False)
            namespace.update(test.globs)  # DocTest works on a copy: keep what it defined
            assert runner.failures == 0, f"{page}: {runner.failures} example(s) failed"
        else:
            exec(compile(code, str(page), "exec"), namespace)


def tutor_lines(code):
    for line in code.splitlines():
        command = line.split("  #")[0].strip().removeprefix("$ ")
        if command.startswith("tutor "):
            yield command


TRANSCRIPTS = [p for p in blocks("") if p.values[1].startswith("$ tutor")]


@pytest.fixture
def this_tutor(tmp_path_factory):
    """A PATH whose ``tutor`` is ``sys.executable -m tutor``: the tutor under test, not
    whichever one is installed first on PATH (or none)."""
    folder = tmp_path_factory.mktemp("bin")
    shim = folder / "tutor"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tutor "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.mark.parametrize(("page", "code"), list(blocks("sh")) + TRANSCRIPTS)
def test_shell_examples_run(page, code, workdir, this_tutor):
    for command in tutor_lines(code):
        if "--pdf" in command and shutil.which("latexmk") is None:
            continue  # TeX Live is installed by .ci/run
        done = subprocess.run(
            ["bash", "-c", command],
            capture_output=True,
            text=True,
            cwd=workdir,
            timeout=300,
            env=this_tutor,
        )
        assert done.returncode == 0, f"{page}: {command}\n{done.stderr}"
        if code.lstrip().startswith("$ tutor"):  # a transcript: what it shows must be printed
            shown = code.split("\n", 1)[1]
            printed = " ".join(done.stdout.split())
            for line in shown.splitlines():
                assert " ".join(line.split()) in printed, f"{page}: {line!r} not printed"


@pytest.mark.parametrize(("page", "code"), list(blocks("yaml")))
def test_yaml_examples_parse(page, code):
    assert yaml.safe_load(code) is not None


def test_generated_pages_are_current():
    import generate

    stale = [
        str(path.relative_to(ROOT))
        for path, text in generate.pages().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run python docs/generate.py: {stale} are out of date"


def test_every_task_has_a_page():
    from tutor.tasks import TASKS

    assert {p.stem for p in (DOCS / "tasks").glob("*.md")} - {"README"} == set(TASKS)


def test_tutorial_notebook_runs_top_to_bottom(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    shown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "20 a + 8 b - 28" in shown  # the partials, displayed with their math
    html = " ".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    # the figures, inline: surface, then path, loss and fit for each of the two runs
    assert html.count("data:image/png;base64,") == 7
