"""Titles in any script build a PDF (issue 17): xelatex, Latin Modern, fallback fonts per run."""

import shutil

import pytest
from click.testing import CliRunner
from test_pdf import pdftotext

from tutor import fonts
from tutor.cli import main
from tutor.render.latex import escape

needs_xelatex = pytest.mark.skipif(
    shutil.which("xelatex") is None or shutil.which("pdftotext") is None,
    reason="texlive-xetex and poppler are installed by .ci/run",
)


def build(tmp_path, title):
    (tmp_path / "p.yaml").write_text(
        f'title: "{title}"\nvariables: [x]\nobjective: "x**2 + 3*x"\ntasks: [partials]\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "p.yaml"), "--pdf", "p.pdf"])
    assert result.exit_code == 0, result.output
    return pdftotext(tmp_path / "p.pdf")


@needs_xelatex
@pytest.mark.parametrize(
    "title",
    ["Σκλήρυνση Ταχύτητα", "Градиентный спуск", "Fit 😀 ✈", "Over ℝ ∀x ∫∮"],
    ids=["greek", "cyrillic", "emoji", "math symbols"],
)
def test_a_title_in_any_script_builds_and_reads_back(tmp_path, monkeypatch, title):
    monkeypatch.chdir(tmp_path)
    text = build(tmp_path, title)
    assert title in text
    assert "2x + 3" in text


@needs_xelatex
def test_right_to_left_words_keep_their_letters_and_a_missing_glyph_shows_its_code(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    text = build(tmp_path, "مرحبا بالعالم \ue000 done")
    assert set("مرحبا بالعالم") <= set(text)
    assert "U+E000" in text  # a private-use character no font has: its code, visibly


def test_runs_go_to_the_first_font_that_has_them():
    dejavu = fonts.fallbacks()[0]
    assert dejavu.fontspec == "DejaVuSerif.ttf"  # bundled with matplotlib: always here
    assert fonts.set_runs("x = Привет мир!") == r"x = {\tutorfontA{Привет мир}}!"
    assert fonts.set_runs("e\u0301 Ω") == "e\u0301 Ω"  # Latin Modern has both
    assert fonts.set_runs("\ue000") == r"{\tutormissing{E000}}"


def test_without_fallback_fonts_every_foreign_character_shows_its_code(monkeypatch):
    monkeypatch.setattr(fonts, "fallbacks", lambda: ())
    assert fonts.set_runs("ж1") == r"{\tutormissing{0436}}1"


def test_a_greek_word_is_text_and_a_greek_letter_alone_is_math():
    assert escape("Ταχύτητα α = 0.1") == r"Ταχύτητα \ensuremath{\alpha} = 0.1"


def test_a_long_word_may_break():
    word = "W" * 45
    assert escape(word) == r"\allowbreak{}".join(["W" * 20, "W" * 20, "W" * 5])
    assert escape("W" * 39) == "W" * 39
