"""Worked-solution PDFs (issue 8): the derivation in the text, figures, safety, batches."""

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor import pdf as pdf_module
from tutor.cli import main
from tutor.pdf import PdfError, compile_tex

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("pdftotext") is None,
    reason="TeX Live and poppler are installed by .ci/run",
)


def pdftotext(path):
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pages(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines() if "Pages:" in line))


@pytest.fixture(scope="module")
def sse_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sse")
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(PROBLEMS / "sse.yaml"),
            "--pdf",
            str(folder / "sse.pdf"),
            "--out",
            str(folder / "src"),
        ],
    )
    assert result.exit_code == 0, result.output
    return folder


@needs_tex
def test_lesson5_pdf_has_the_derivation_and_the_surface(sse_pdf):
    text = pdftotext(sse_pdf / "sse.pdf")
    for line in ("20a + 8b − 28", "Substitute a = 1 into (2)", "4b − 4 = 0", "b = 1"):
        assert line in text
    tex = (sse_pdf / "src" / "sse.tex").read_text()
    assert r"\includegraphics[width=0.72\linewidth]{surface.pdf}" in tex
    for name in ("surface", "gradient-2", "fit-4"):
        assert (sse_pdf / "src" / f"{name}.pdf").stat().st_size > 1000
        assert (sse_pdf / "src" / f"{name}.png").stat().st_size > 1000
    assert (sse_pdf / "src" / "sse.pdf").read_bytes() == (sse_pdf / "sse.pdf").read_bytes()


@needs_tex
def test_every_page_renders(sse_pdf, tmp_path):
    count = pages(sse_pdf / "sse.pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(sse_pdf / "sse.pdf"), str(tmp_path / "p")], check=True
    )
    rendered = sorted(tmp_path.glob("p-*.png"))
    assert count >= 5 and len(rendered) == count
    assert all(p.stat().st_size > 2000 for p in rendered)


HOSTILE = r"\input{/etc/hostname} \write18{touch pwned} $ & % # _ ^ ~ {}"


@needs_tex
def test_hostile_title_prints_literally(tmp_path):
    problem = tmp_path / "p.yaml"
    problem.write_text(
        "title: '" + HOSTILE + "'\nvariables: [x]\nobjective: x**2\ntasks: [partials]\n"
    )
    result = CliRunner().invoke(main, ["solve", str(problem), "--pdf", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.output
    text = pdftotext(tmp_path / "p.pdf")
    assert HOSTILE in " ".join(text.split())
    assert not list(tmp_path.rglob("pwned"))


@needs_tex
def test_failed_compile_shows_the_log_and_leaves_no_pdf(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"the old PDF")
    with pytest.raises(PdfError) as info:
        tex = "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}\n"
        compile_tex(tex, tmp_path)
    assert "Undefined control sequence" in str(info.value)
    assert target.read_bytes() == b"the old PDF"


@needs_tex
def test_a_failed_build_is_one_line_naming_the_task_and_keeps_the_old_pdf(tmp_path, monkeypatch):
    from tutor.render.latex import LatexPrinter

    # A printer bug (the only way LaTeX can fail on escaped text), put in the hessian's section.
    printed = LatexPrinter._print_Section

    def broken(self, section):
        return printed(self, section) + ("\\undefinedmacro" if section.task == "hessian" else "")

    monkeypatch.setattr(LatexPrinter, "_print_Section", broken)
    (tmp_path / "p.yaml").write_text(
        "title: t\nvariables: [x, y]\nobjective: x**2*y\ntasks: [partials, hessian]\n"
    )
    (tmp_path / "p.pdf").write_bytes(b"the old PDF")
    args = [str(tmp_path / "p.yaml"), "--pdf", str(tmp_path / "p.pdf"), "--out", str(tmp_path)]
    result = CliRunner().invoke(main, ["solve", *args])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1, result.stderr
    assert "LaTeX failed on tasks[1] (hessian): Undefined control sequence" in result.stderr
    assert (tmp_path / "p.pdf").read_bytes() == b"the old PDF"
    assert "\\undefinedmacro" in (tmp_path / "p.tex").read_text()  # kept to inspect


@needs_tex
def test_paranoid_tex_cannot_read_outside_its_folder(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.tex").write_text("SECRET\n")
    inside = tmp_path / "inside"
    inside.mkdir()
    for path in (str(tmp_path / "outside" / "secret.tex"), "../outside/secret.tex"):
        tex = f"\\documentclass{{article}}\\begin{{document}}\\input{{{path}}}\\end{{document}}\n"
        with pytest.raises(PdfError) as info:
            compile_tex(tex, inside)
        assert "LaTeX Error: File `" in str(info.value)  # it exists, but TeX may not see it
        assert not (inside / "solution.pdf").exists()
    (inside / "ok.tex").write_text("HELLO\n")  # the same \\input inside the folder works
    tex = "\\documentclass{article}\\begin{document}\\input{ok.tex}\\end{document}\n"
    assert "HELLO" in pdftotext(compile_tex(tex, inside))


def test_missing_tex_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    result = CliRunner().invoke(
        main, ["solve", str(PROBLEMS / "convex-x-squared.yaml"), "--pdf", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 2
    assert "making a PDF needs latexmk and pdflatex from TeX Live (apt-get install" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@needs_tex
def test_batch_goes_on_past_a_failure_and_lists_it(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nvariables: [x]\nobjective: x +\ntasks: [partials]\n")
    good = PROBLEMS / "convex-x-squared.yaml"
    result = CliRunner().invoke(
        main, ["solve", str(bad), str(good), "--pdf-dir", str(tmp_path / "out")]
    )
    assert result.exit_code == 2  # the worst of the files: one was bad input
    assert "tutor: 1 of 2 failed:" in result.stderr and f"{bad}: objective" in result.stderr
    assert (tmp_path / "out" / "convex-x-squared.pdf").exists()
    assert not (tmp_path / "out" / "bad.pdf").exists()


def test_several_files_need_a_folder():
    files = [str(PROBLEMS / "sse.yaml"), str(PROBLEMS / "paraboloid.yaml")]
    result = CliRunner().invoke(main, ["solve", *files])
    assert result.exit_code == 2 and "--pdf-dir DIR" in result.stderr


def test_markdown_with_out_writes_its_figures_under_each_problems_name(tmp_path):
    # Two problems in one folder: each keeps its own surface (both once wrote surface.png).
    files = [str(PROBLEMS / "extremum-bowl.yaml"), str(PROBLEMS / "himmelblau.yaml")]
    result = CliRunner().invoke(
        main, ["solve", *files, "--format", "markdown", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "extremum-bowl.md").read_text()
    path = "![The gradient-descent path, the minimum marked.](extremum-bowl-descent-1.png)"
    assert path in markdown
    assert "(himmelblau-surface.png)" in (tmp_path / "himmelblau.md").read_text()
    for name in ("extremum-bowl-descent-1", "extremum-bowl-loss-1", "himmelblau-surface"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000


def test_files_with_one_stem_do_not_overwrite_each_other(tmp_path):
    for folder, objective in (("a", "x**2"), ("b", "x**3")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "p.yaml").write_text(
            f"title: {folder}\nvariables: [x]\nobjective: {objective}\ntasks: [partials]\n"
        )
    files = [str(tmp_path / "a" / "p.yaml"), str(tmp_path / "b" / "p.yaml")]
    result = CliRunner().invoke(main, ["solve", *files, "--format", "json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert '"2*x"' in (tmp_path / "a-p.json").read_text()
    assert '"3*x**2"' in (tmp_path / "b-p.json").read_text()
    (tmp_path / "a-p.yaml").write_text((tmp_path / "a" / "p.yaml").read_text())
    clash = CliRunner().invoke(main, ["solve", *files, str(tmp_path / "a-p.yaml"), "--out", "o"])
    assert clash.exit_code == 2
    assert clash.stderr.endswith("would both write a-p.*: rename one\n"), clash.stderr


def test_figure_plans_follow_the_tasks():
    from tutor.figures import plan

    names = {p.name for p in plan(tutor.solve(PROBLEMS / "ch3-ellipse.yaml"))}
    assert {"surface", "gradient-1"} <= names
    names = {p.name for p in plan(tutor.solve(PROBLEMS / "exp-taylor.yaml"))}
    assert names == {"surface", "tangent-1"}


@pytest.mark.parametrize("name", ["lesson6-gradient-descent", "ch3-cone", "logistic-pass-fail"])
def test_every_planned_figure_draws(tmp_path, name):
    # a sweep with a diverging rate, a gradient undefined at the point, a classifier's fit
    from tutor.figures import draw, plan

    plans = plan(tutor.solve(PROBLEMS / f"{name}.yaml"))
    draw(plans, tmp_path)
    assert plans and all((tmp_path / f"{p.name}.png").stat().st_size > 1000 for p in plans)
