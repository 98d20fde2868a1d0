"""A worked solution as a PDF: figures drawn, LaTeX written, compiled safely, written atomically.

Compilation runs ``latexmk`` in a fresh temporary folder with shell escape off and kpathsea's
``openin_any``/``openout_any`` set to paranoid (no reading or writing outside that folder, no
dot files), under a time limit. The PDF reaches its destination only whole: it is copied next
to the destination under a temporary name and renamed over it. Text from the problem file is
escaped by the LaTeX printer before it gets here.
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
from .render.latex import PREAMBLE, LatexPrinter

COMPILE_TIMEOUT = 180
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


def compile_tex(tex: str, folder: Path, stem: str = "solution") -> Path:
    """Compile ``tex`` in ``folder`` (which holds its figures); the PDF's path."""
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise InputError(f"making a PDF needs latexmk and pdflatex from TeX Live ({INSTALL})")
    flag, source = _engine(tex)
    (folder / f"{stem}.tex").write_text(source, encoding="utf-8")
    env = {
        **os.environ,
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "TEXMF_OUTPUT_DIRECTORY": "",
    }
    command = [
        "latexmk",
        flag,
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-no-shell-escape",
        "-file-line-error",
        f"{stem}.tex",
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
    pdf = folder / f"{stem}.pdf"
    if done.returncode != 0 or not pdf.exists():
        raise PdfError("LaTeX failed:\n" + _log_errors(folder / f"{stem}.log", done.stdout))
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
    """Make ``target`` (a PDF); with ``keep``, also leave the .tex, figures and PDF there."""
    with tempfile.TemporaryDirectory(prefix="tutor-pdf-") as tmp:
        work = Path(tmp)
        tex = document(solution, work)
        stem = target.stem
        pdf = compile_tex(tex, work, stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(pdf, target)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for path in work.iterdir():
                if path.suffix in (".tex", ".pdf", ".png"):
                    _replace(path, keep / path.name)
    return target


def _replace(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` atomically: whole or not at all."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
