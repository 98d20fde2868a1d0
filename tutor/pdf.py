"""A worked solution as a PDF: figures drawn, LaTeX written, compiled safely, written atomically.

Compilation runs ``latexmk`` in a fresh temporary folder with shell escape off and kpathsea's
``openin_any``/``openout_any`` set to paranoid (no reading or writing outside that folder, no
dot files), under a time limit, with no rc file read. The job always has the fixed name
:data:`JOB`: no argument given to latexmk comes from the user (a problem file named
``-pdflatex=CMD.yaml`` once became a latexmk option that ran CMD). The user's file name is used
only for the destination, which must be a regular file or nothing, and which the PDF reaches
only whole (:mod:`tutor.output`). Text from the problem file is escaped by the LaTeX printer
before it gets here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import figures
from .document import Solution
from .errors import InputError
from .output import check_destination, write_bytes
from .render.latex import PREAMBLE, LatexPrinter

COMPILE_TIMEOUT = 180
JOB = "solution"  # the LaTeX job's name, never one derived from user text
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
INSTALL = "apt-get install latexmk texlive-latex-recommended texlive-pictures lmodern"


class PdfError(RuntimeError):
    """LaTeX failed; the message holds the relevant lines of its log."""


def document(solution: Solution, folder: Path) -> str:
    """Draw the figures into ``folder`` and return the LaTeX source that includes them."""
    plans = figures.plan(solution)
    figures.draw(plans, folder)
    return LatexPrinter().document(figures.attach(solution, plans))


def _engine(tex: str) -> tuple[str, str]:
    """(latexmk's engine flag, the source to compile): xelatex with ctex for Chinese text."""
    if not _CJK.search(tex):
        return "-pdf", tex
    if not _has("ctex.sty"):
        raise InputError(
            "the problem has Chinese text: a PDF of it needs xelatex and ctex "
            "(apt-get install texlive-xetex texlive-lang-chinese)"
        )
    fonts = "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
    return "-xelatex", tex.replace(PREAMBLE, PREAMBLE.replace(fonts, "\\usepackage{ctex}\n"), 1)


def _has(file: str) -> bool:
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return False
    found = subprocess.run([kpsewhich, file], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def compile_tex(tex: str, folder: Path) -> Path:
    """Compile ``tex`` in ``folder`` (which holds its figures) as ``JOB.tex``; the PDF's path."""
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise InputError(f"making a PDF needs latexmk and pdflatex from TeX Live ({INSTALL})")
    flag, source = _engine(tex)
    (folder / f"{JOB}.tex").write_text(source, encoding="utf-8")
    env = {
        **os.environ,
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "TEXMF_OUTPUT_DIRECTORY": "",
    }
    command = [
        "latexmk",
        "-norc",  # the build is what this list says, whatever rc files lie around
        flag,
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-no-shell-escape",
        "-file-line-error",
        f"{JOB}.tex",  # fixed: latexmk has no "--", and a name like "-x.tex" is an option
    ]
    try:
        done = subprocess.run(
            command,
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMPILE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise PdfError(f"LaTeX took longer than {COMPILE_TIMEOUT} s; gave up") from None
    pdf = folder / f"{JOB}.pdf"
    if done.returncode != 0 or not pdf.exists():
        raise PdfError("LaTeX failed:\n" + _log_errors(folder / f"{JOB}.log", done.stdout))
    return pdf


def _log_errors(log: Path, fallback: str) -> str:
    """The log's error lines (``! ...`` or ``file:line: ...``) and the two after each."""
    text = log.read_text(errors="replace") if log.exists() else fallback
    lines = text.splitlines()
    picked: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^\S+\.tex:\d+: ", line):
            picked += lines[i : i + 3]
    return "\n".join(picked[:30] or lines[-20:])


def write_pdf(solution: Solution, target: Path, keep: Path | None = None) -> Path:
    """Make ``target`` (a PDF); with ``keep``, also leave the .tex, figures and PDF there.

    In ``keep`` the .tex and PDF take ``target``'s name; the figures keep their own.
    """
    check_destination(target)
    with tempfile.TemporaryDirectory(prefix="tutor-pdf-") as tmp:
        work = Path(tmp)
        tex = document(solution, work)
        pdf = compile_tex(tex, work)
        write_bytes(target, pdf.read_bytes())
        if keep is not None:
            for path in sorted(work.iterdir()):
                if path.suffix in (".tex", ".pdf", ".png"):
                    name = target.stem + path.suffix if path.stem == JOB else path.name
                    write_bytes(keep / name, path.read_bytes())
    return target
