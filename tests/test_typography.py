"""Pages a teacher can hand out (issue 19): every problem of the bank and a teacher's own
homework set (π and √ in points, Greek-named variables, a 3×3 Hessian, the logistic Hessian,
twelve variables) build to PDF with no word past the margins, and no Python syntax or raw
name leaks into the words."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROBLEMS, ROOT, solved

from tutor.pdf import compile_tex

HOMEWORK = sorted((ROOT / "tests" / "corpus" / "homework").glob("*.yaml"))
BANK = sorted(PROBLEMS.glob("*.yaml"))
#: The page is US letter or A4 with 2.5 cm margins: text stays within [x0, x1] points.
MARGIN = 70.87
SLACK = 2.0

needs_tex = pytest.mark.skipif(
    shutil.which("latexmk") is None or shutil.which("pdftotext") is None,
    reason="TeX Live and poppler are installed by .ci/run",
)

WORD = re.compile(
    r'<page width="([\d.]+)" height="[\d.]+">|'
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
#: Full-width punctuation ends a Chinese line as typeset (xeCJK, quanjiao): its glyph lies in
#: the left half of its em box, and the blank right half is what pdftotext's box adds.
FULL_WIDTH_END = "，。；：、）！？"


def words_past_the_margins(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word whose box crosses the left or right margin, with its page."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out, page, width = [], 0, 0.0
    for m in WORD.finditer(boxes):
        if m.group(1):
            page, width = page + 1, float(m.group(1))
            continue
        x0, y0, x1, y1, word = m.group(2, 3, 4, 5, 6)
        x0, x1 = float(x0), float(x1)
        inked = x1 - 0.6 * (float(y1) - float(y0)) if word[-1:] in FULL_WIDTH_END else x1
        if x0 < MARGIN - SLACK or inked > width - MARGIN + SLACK:
            out.append((page, x0, x1, word))
    return out


@needs_tex
@pytest.mark.parametrize("path", HOMEWORK + BANK, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_page_keeps_its_words_within_the_margins(path, tmp_path):
    pdf = compile_tex(solved(path).to_latex(), tmp_path)
    assert words_past_the_margins(pdf) == []


#: What a student must never read: Python's syntax and SymPy's names.
LEAKS = {
    "a Python power": re.compile(r"\*\*"),
    "a Python product": re.compile(r"[\w)]\*[\w(]"),
    "sqrt(": re.compile(r"sqrt\("),
    "SymPy's imaginary unit": re.compile(r"\bI·"),
    "a cube root as a power": re.compile(r"(?<!\We)\^\(1/3\)"),
    "≈ of an exact integer": re.compile(r"(?<![\d.])(-?\d+) ≈ \1(?![\d.])"),
    "a raw Greek name": re.compile(r"(?<![\\\w])(alpha|beta|gamma|theta|lambda|lam|sigma)\b"),
}


def _prose(solution) -> str:
    """The words and formulas a reader sees in text, Markdown and LaTeX, without the problem's
    own title and description, and without Markdown's own ``**bold**`` markup."""
    from tutor.render.latex import LatexPrinter
    from tutor.render.markdown import MarkdownPrinter
    from tutor.render.text import TextPrinter

    steps = [*solution.setup, *(s for section in solution.sections for s in section.steps)]
    printers = (TextPrinter(), MarkdownPrinter(), LatexPrinter())
    shown = "\n".join(p.print(step) for step in steps for p in printers)
    return re.sub(r"^\*\*|\*\*$", "", shown, flags=re.M)


@pytest.mark.parametrize("path", HOMEWORK + BANK, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_python_syntax_or_raw_name_leaks_into_the_words(path):
    solution = solved(path)
    shown = _prose(solution) + "\n" + "\n".join(c.what for s in solution.sections for c in s.checks)
    found = {name: p.findall(shown)[:3] for name, p in LEAKS.items() if p.search(shown)}
    assert found == {}
