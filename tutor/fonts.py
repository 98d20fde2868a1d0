"""Which font sets each character of a PDF, so that any title builds (issue 17).

pdflatex with Latin Modern sets ASCII and Latin-1, which is what most problems hold. Anything
else (Greek or Cyrillic words, Arabic, Hangul, kana, emoji, ℝ, combining marks) goes to xelatex,
where Latin Modern stays the main font and each run of characters it lacks is set in the first
fallback font whose character map has them: DejaVu Serif, DejaVu Sans and STIX, which ship with
matplotlib and so are always here, then Noto CJK and Symbola where the system has them
(``apt-get install fonts-noto-cjk fonts-symbola``). A character that no font has is printed as
its code point, ``[U+1F600]``: visible and honest, never a silent gap or a failed build.

Fonts are read with fontTools (a dependency of matplotlib); the files that matplotlib ships are
copied into the build folder, so TeX reads nothing outside it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

#: Characters pdflatex sets with T1 Latin Modern and inputenc: ASCII and Latin-1.
PDFLATEX_MAX = 0xFF
#: Han ideographs and CJK punctuation, set by ctex's xeCJK when ctex is installed.
CJK_RANGES = ((0x3000, 0x303F), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
_MAIN = "lmroman10-regular.otf"
_BUNDLED = ("DejaVuSerif.ttf", "DejaVuSans.ttf", "STIXGeneral.ttf")
_SYSTEM = ("Noto Serif CJK SC", "Noto Sans CJK SC", "Symbola")


@dataclass(frozen=True)
class Font:
    """A fallback font: the TeX command that selects it and the characters it has."""

    command: str  # e.g. "tutorfontA"
    fontspec: str  # \newfontfamily's argument: a file in the build folder or a family name
    source: Path | None  # a file to copy into the build folder, if any
    chars: frozenset[int]


def needs_unicode_engine(tex: str) -> bool:
    """True when ``tex`` has a character pdflatex cannot set (it goes to xelatex)."""
    return any(ord(ch) > PDFLATEX_MAX for ch in tex)


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in CJK_RANGES)


@functools.cache
def _cmap(path: Path, number: int = 0) -> frozenset[int]:
    try:
        with TTFont(path, fontNumber=number, lazy=True) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # an unreadable font is a font we do without
        return frozenset()


@functools.cache
def main_chars() -> frozenset[int]:
    """What xelatex's main font (Latin Modern Roman) has; ASCII and Latin-1 if it is not found."""
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is not None:
        found = subprocess.run(
            [kpsewhich, _MAIN], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found:
            return _cmap(Path(found))
    return frozenset(range(PDFLATEX_MAX + 1))


@functools.cache
def system_font(family: str) -> tuple[Path, int] | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listed = subprocess.run(
        [fc_list, "-f", "%{file}|%{index}|%{family}\n", f":family={family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for line in listed.splitlines():
        file, index, families = (line.split("|", 2) + ["", ""])[:3]
        if family in families.split(",") and Path(file).is_file():
            return Path(file), int(index or 0)
    return None


@functools.cache
def fallbacks() -> tuple[Font, ...]:
    """The fallback fonts present here, in order of preference."""
    fonts: list[Font] = []
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for file in _BUNDLED:
        if (bundled / file).is_file():
            command = "tutorfont" + "ABCDEFGH"[len(fonts)]
            fonts.append(Font(command, file, bundled / file, _cmap(bundled / file)))
    for family in _SYSTEM:
        found = system_font(family)
        if found is not None:
            command = "tutorfont" + "ABCDEFGH"[len(fonts)]
            fonts.append(Font(command, family, None, _cmap(*found)))
    return tuple(fonts)


def _font_of(code: int, leave_cjk: bool) -> Font | str | None:
    """ "" for the main font, a fallback Font, or None when no font here has the character."""
    if code < 0x80 or code in main_chars() or (leave_cjk and is_cjk(chr(code))):
        return ""
    for font in fallbacks():
        if code in font.chars:
            return font
    return None


def set_runs(tex: str, leave_cjk: bool = False) -> str:
    r"""``tex`` with each run of characters the main font lacks put in a font that has them.

    A run becomes ``\tutorfontA{...}``; a character no font has becomes ``\tutormissing{1F600}``.
    Combining marks stay with the character before them. With ``leave_cjk``, Han characters are
    left to ctex.
    """
    out: list[str] = []
    run: list[str] = []
    current: Font | str | None = ""

    def flush() -> None:
        text = "".join(run)
        if text and isinstance(current, Font):
            words = text.rstrip(" ")
            if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in words):
                words = f"\\beginR {words}\\endR"  # right to left (XeTeX's TeX--XeT)
            out.append(
                f"{{\\{current.command}{{{words}}}}}" + " " * (len(text) - len(text.rstrip(" ")))
            )
        else:
            out.append(text)
        run.clear()

    for ch in tex:
        if unicodedata.category(ch) in ("Mn", "Me") and run:
            run.append(ch)  # a combining mark belongs to the letter before it
            continue
        if ch == " " and run and isinstance(current, Font):
            run.append(ch)  # a phrase stays one run: words of a right-to-left script keep order
            continue
        font = _font_of(ord(ch), leave_cjk)
        if font is None:
            flush()
            current = ""
            out.append(f"{{\\tutormissing{{{ord(ch):04X}}}}}")
            continue
        if font != current:
            flush()
            current = font
        run.append(ch)
    flush()
    return "".join(out)


def preamble(used: str, ctex: bool = False) -> str:
    """The xelatex font set-up for a document whose body is ``used`` (after :func:`set_runs`);
    with ``ctex``, Chinese line breaking is xeCJK's (XeTeX's own locale breaking would fight
    it and leave lines overfull)."""
    lines = [
        "\\usepackage{fontspec}",
        "\\setmainfont{Latin Modern Roman}",
        "\\TeXXeTstate=1",
        "\\newcommand{\\tutormissing}[1]{\\ifmmode\\text{\\textsf{[U+#1]}}"
        "\\else\\textsf{[U+#1]}\\fi}",
    ]
    if not ctex and any(is_cjk(ch) for ch in used):  # lines may break between CJK characters
        lines += ['\\XeTeXlinebreaklocale "zh"', "\\XeTeXlinebreakskip = 0pt plus 1pt"]
    for font in fallbacks():
        if f"\\{font.command}{{" not in used:
            continue
        spec = (
            f"{{{Path(font.fontspec).stem}}}[Extension=.ttf]"
            if font.source
            else (f"{{{font.fontspec}}}")
        )
        lines.append(f"\\newfontfamily\\{font.command}font{spec}")
        lines.append(
            f"\\newcommand{{\\{font.command}}}[1]{{\\ifmmode\\text{{\\{font.command}font #1}}"
            f"\\else{{\\{font.command}font #1}}\\fi}}"
        )
    return "\n".join(lines) + "\n"


def copy_into(folder: Path, used: str) -> None:
    """Copy the bundled fonts that ``used`` needs into the build folder."""
    for font in fallbacks():
        if font.source is not None and f"\\{font.command}{{" in used:
            shutil.copyfile(font.source, folder / font.fontspec)
