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

from . import figures, fonts, phrasing
from .document import Solution
from .errors import InputError
from .output import SOURCE_DATE, check_destination, write_bytes
from .render.latex import PREAMBLE, SOURCE_MARK, LatexPrinter

COMPILE_TIMEOUT = 180
JOB = "solution"  # the LaTeX job's name, never one derived from user text
INSTALL = "apt-get install latexmk texlive-latex-recommended texlive-pictures lmodern"


class PdfError(RuntimeError):
    """LaTeX failed; the message holds the relevant lines of its log."""


def document(solution: Solution, folder: Path) -> str:
    """Draw the figures into ``folder`` and return the LaTeX source that includes them, all in
    the solution's language."""
    with phrasing.language(solution.lang):
        plans = figures.plan(solution)
        figures.draw(plans, folder)
        return LatexPrinter().document(figures.attach(solution, plans))


def _engine(tex: str, folder: Path) -> tuple[str, str]:
    """(latexmk's engine flag, the source to compile).

    pdflatex for ASCII and Latin-1; otherwise xelatex, with each run of characters that Latin
    Modern lacks set in a fallback font (:mod:`tutor.fonts`) and Chinese left to ctex when it is
    installed.
    """
    if not fonts.needs_unicode_engine(tex):
        return "-pdf", tex
    if shutil.which("xelatex") is None:
        raise InputError(
            "the problem has characters beyond Latin-1: a PDF of it needs xelatex "
            "(apt-get install texlive-xetex)"
        )
    if PREAMBLE not in tex:  # a document of someone else's: compiled as it is
        return "-xelatex", tex
    ctex = any(fonts.is_cjk(ch) for ch in tex) and _has("ctex.sty")
    head, body = tex.split(PREAMBLE, 1)
    body = fonts.set_runs(body, leave_cjk=ctex)
    fonts.copy_into(folder, body)
    setup = fonts.preamble(body, ctex=ctex) + (_ctex() if ctex else "")
    latin = "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n"
    return "-xelatex", head + PREAMBLE.replace(latin, setup, 1) + body


#: The CJK fonts ctex sets Chinese in when the system has them (Debian's fonts-noto-cjk);
#: without them ctex uses its own default (Fandol, with texlive-lang-chinese).
CJK_SERIF, CJK_SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"


def _ctex() -> str:
    """ctex (xeCJK: Chinese line breaking and spacing beside Latin), in Noto CJK if present."""
    if fonts.system_font(CJK_SERIF) is None or fonts.system_font(CJK_SANS) is None:
        return "\\usepackage{ctex}\n"
    return (
        "\\usepackage[fontset=none]{ctex}\n"
        f"\\setCJKmainfont{{{CJK_SERIF}}}[BoldFont={{* Bold}}]\n"
        f"\\setCJKsansfont{{{CJK_SANS}}}[BoldFont={{* Bold}}]\n"
        f"\\setCJKmonofont{{{CJK_SANS}}}\n"
    )


def _has(file: str) -> bool:
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return False
    found = subprocess.run([kpsewhich, file], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _dated() -> dict[str, str]:
    """LaTeX's reproducible-build settings for :data:`SOURCE_DATE`, when set."""
    date = SOURCE_DATE.get()
    if date is None:
        return {}
    return {"SOURCE_DATE_EPOCH": str(date), "FORCE_SOURCE_DATE": "1"}


def compile_tex(tex: str, folder: Path) -> Path:
    """Compile ``tex`` in ``folder`` (which holds its figures) as ``JOB.tex``; the PDF's path."""
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise InputError(
            "making a PDF needs latexmk and pdflatex from TeX Live ({INSTALL})", INSTALL=INSTALL
        )
    flag, source = _engine(tex, folder)
    (folder / f"{JOB}.tex").write_text(source, encoding="utf-8")
    env = {
        **os.environ,
        **_dated(),
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
        log = folder / f"{JOB}.log"
        raise PdfError(
            _first_error(log.read_text(errors="replace") if log.exists() else "", source)
        )
    return pdf


def _first_error(log: str, source: str) -> str:
    """One line: the part of the problem whose LaTeX failed, LaTeX's message, and where.

    >>> source = "a\\n% tutor-source: title\\nb"
    >>> _first_error("./solution.tex:3: Undefined control sequence.", source)
    'LaTeX failed on title: Undefined control sequence (solution.tex line 3)'
    """
    first = re.search(r"^(?:! |\S*solution\.tex:\d+: )(.*)$", log, re.M)
    found = re.search(r"^\S*solution\.tex:(\d+): ", log, re.M)
    message = first.group(1).strip().rstrip(".") if first else "no PDF was produced"
    if found is None:
        return f"LaTeX failed: {message}"
    line = int(found.group(1))
    part = "the preamble"
    for text in source.splitlines()[:line]:
        if text.startswith(SOURCE_MARK):
            part = text[len(SOURCE_MARK) :]
    return f"LaTeX failed on {part}: {message} (solution.tex line {line})"


def write_pdf(solution: Solution, target: Path, keep: Path | None = None) -> Path:
    """Make ``target`` (a PDF); with ``keep``, also leave the .tex, figures and PDF there.

    In ``keep`` the .tex and PDF take ``target``'s name; the figures keep their own.
    """
    check_destination(target)
    with tempfile.TemporaryDirectory(prefix="tutor-pdf-") as tmp:
        work = Path(tmp)
        tex = document(solution, work)
        try:
            pdf = compile_tex(tex, work)
            write_bytes(target, pdf.read_bytes())
        finally:  # kept also when LaTeX failed: the .tex is what there is to inspect
            if keep is not None:
                for path in sorted(work.iterdir()):
                    if path.suffix in (".tex", ".pdf", ".png", ".log"):
                        name = target.stem + path.suffix if path.stem == JOB else path.name
                        write_bytes(keep / name, path.read_bytes())
    return target
