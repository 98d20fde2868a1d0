"""Issue 20, the ground: the narration's languages are gettext catalogs read with Babel."""

import io
import json
import re

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor import phrasing
from tutor.cli import main
from tutor.phrasing import catalogs

_SLOT = re.compile(r"\{(\w+)\}")


def _catalog(lang):
    with catalogs.catalog_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=catalogs.DOMAIN)


@pytest.mark.parametrize("lang", catalogs.languages()[1:])
def test_every_catalog_holds_every_message_and_compiles(lang):
    catalog = _catalog(lang)
    keys = {m.context for m in catalog if m.id and m.context != catalogs.PHRASE}
    source = {key for key, _ in catalogs._entries()}
    errors = {m.id for m in catalog if m.context == catalogs.PHRASE}
    assert errors == set(catalogs.phrase_templates())
    assert keys == source, (
        f"{lang}: run python -m tutor.phrasing.catalogs update {lang} "
        f"(new: {sorted(source - keys)[:5]}, gone: {sorted(keys - source)[:5]})"
    )
    assert [(m.context, errors) for m, errors in catalog.check()] == []
    out = io.BytesIO()
    write_mo(out, catalog)
    assert out.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # the .mo magic


@pytest.mark.parametrize("lang", catalogs.languages()[1:])
def test_a_translation_keeps_every_slot_of_its_message(lang):
    for message in _catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_SLOT.findall(ids[-1]))
        for s in filter(None, strings):
            assert set(_SLOT.findall(s)) == wanted, (message.context, s)


def test_sse_in_chinese_says_the_lessons_words_with_the_same_mathematics():
    english = tutor.solve(PROBLEMS / "sse.yaml")
    chinese = tutor.solve(PROBLEMS / "sse.yaml", lang="zh")
    assert chinese.ok and chinese.lang == "zh"
    text = chinese.to_text()
    assert "1. 偏导数" in text and "SSE 对 a 求偏导，把 b 看作常数。" in text
    assert "∂SSE/∂a = 2(2 − a − b)·(−1) + 2(4 − 3a − b)·(−3)" in text
    assert "= 20a + 8b − 28" in text
    assert "驻点是所有偏导数都为零的点" in text and "正定，是极小值点" in text
    # JSON keys and machine values do not change with the language
    results = [[s["result"] for s in sol.to_dict()["tasks"]] for sol in (english, chinese)]
    assert results[0] == results[1]


def test_the_problem_files_lang_is_used_and_the_flag_wins(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nvariables: [x, y]\nobjective: x**2*y\nlang: zh\ntasks: [partials]\n")
    text = CliRunner().invoke(main, ["solve", str(path)]).output
    assert "f 对 x 求偏导，把 y 看作常数。" in text
    text = CliRunner().invoke(main, ["solve", str(path), "--lang", "en"]).output
    assert "Differentiate f with respect to x, holding y constant." in text
    data = json.loads(CliRunner().invoke(main, ["solve", str(path), "--format", "json"]).output)
    assert data["tasks"][0]["result"] == {"x": "2*x*y", "y": "x**2"}


def test_an_unknown_language_is_refused_by_name(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nvariables: [x]\nobjective: x**2\nlang: fr\ntasks: [partials]\n")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    said = f"tutor: error: {path}: lang: unknown language 'fr': write one of en, zh\n"
    assert result.stderr == said
    result = CliRunner().invoke(main, ["solve", str(PROBLEMS / "sse.yaml"), "--lang", "fr"])
    assert result.exit_code == 2 and "'fr' is not one of 'en', 'zh'" in result.stderr


def test_a_plural_follows_the_catalogs_own_rule():
    with phrasing.language("zh"):
        assert phrasing.text("stationary.check.hessian", count=1, n=1) == (
            "在 1 个驻点处把 H 与 autograd 的海森矩阵比对"
        )
    assert phrasing.text("stationary.check.hessian", count=1, n=1) == (
        "H at the stationary point against autograd's Hessian"
    )


@pytest.mark.parametrize("lang", catalogs.languages()[1:])
def test_every_message_has_a_translation(lang):
    """No message falls back to English: each key, and each plural, has its own template."""
    found = catalogs.translation(lang)
    missing = [
        key
        for key, english in catalogs._entries()
        if found.template(key, 1 if isinstance(english, tuple) else None) is None
    ]
    assert missing == []


def _rule_and_step_names():
    """Every name tutor.calculus gives a rule, a tidy step or a convexity argument."""
    import ast
    import inspect

    from tutor.calculus import composition, difftable, rules, tidy

    names = set(tidy.NOTES)

    def walk(cls):
        for sub in cls.__subclasses__():
            names.add(sub.name)
            walk(sub)

    walk(rules.Rule)
    names |= {entry[0] for entry in difftable.FUNCTION_TABLE.values()}
    for node in ast.walk(ast.parse(inspect.getsource(composition))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_note":
            names.add(node.args[1].value)
    return names


def test_every_rule_and_step_has_a_name_in_the_catalog():
    names = _rule_and_step_names()
    assert {"chain rule", "expand and collect", "affine", "sign rule"} <= names
    unnamed = [n for n in names if phrasing.named(n) == n and n not in phrasing.MESSAGES.values()]
    assert unnamed == []
    with phrasing.language("zh"):
        assert (
            phrasing.names(["sum rule", "chain rule", "power rule"]) == "和法则、链式法则、幂法则"
        )
        untranslated = [n for n in names if phrasing.named(n) == n]
    assert untranslated == []


#: Words a Chinese solution keeps in Latin letters: function names, the tools it checks with
#: (torch, autograd, SymPy and their attributes), Python values in torch's table, and option
#: names a user types.
_KEPT = set(
    """sin cos tan cot sec csc exp log sqrt sign atan asin acos sinh cosh tanh Max Min Abs
    lim cond rank det max min tol
    torch autograd sympy SymPy diff float64 float32 numpy linalg lstsq gelsd cholesky LAPACK
    SVD Gröbner grad hessian functional jvp backward loss requires_grad retain_grad is_leaf
    grad_fn True False None show seed ridge normal_equation stationary_points CSV solve""".split()
)
_WORD = re.compile(r"(?<![\w.])[A-Za-z]{3,}(?:'[a-z]+)?(?![\w(])")


def _english_words(sol):
    """Latin words of three letters or more in a solution's text that are not the problem's
    own (its title, description, source, names) and not kept on purpose."""
    own = " ".join(filter(None, [sol.title, sol.description, sol.source, sol.name.text]))
    own += " " + " ".join(str(s) for s in sol.objective.free_symbols)
    found = set()
    for line in sol.to_text().splitlines():
        if line.strip() and line.strip() in own:
            continue
        for word in _WORD.findall(re.sub(r"[\w.-]+\.csv", "", line)):  # a data file's name
            if word not in _KEPT and word not in own and "Backward" not in word:
                found.add(word)
    return found


@pytest.mark.parametrize("path", sorted(PROBLEMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_english_sentence_reaches_a_chinese_solution(path):
    sol = tutor.solve(path, lang="zh")
    assert sol.ok
    assert _english_words(sol) == set()


def test_the_english_detector_finds_english():
    """The check above can fail: an English solution is full of English words."""
    words = _english_words(tutor.solve(PROBLEMS / "sse.yaml"))
    assert {"Differentiate", "respect", "holding", "constant", "Checks", "agree"} <= words


def _has_chinese_tex():
    import shutil
    import subprocess

    if not all(shutil.which(t) for t in ("latexmk", "xelatex", "pdftotext", "kpsewhich")):
        return False
    found = subprocess.run(["kpsewhich", "ctex.sty"], capture_output=True, text=True)
    return bool(found.stdout.strip())


needs_ctex = pytest.mark.skipif(
    not _has_chinese_tex(), reason="xelatex, ctex and poppler are installed by .ci/run"
)


@needs_ctex
def test_a_chinese_pdf_builds_with_ctex_and_reads_back(tmp_path):
    import subprocess

    target = tmp_path / "sse.pdf"
    path = PROBLEMS / "zh-lesson5-sse.yaml"
    args = ["solve", str(path), "--pdf", str(target), "--out", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "1 偏导数" in text and "20a + 8b − 28" in text
    assert "对 a 求偏导，把 b 看作常数。" in text and "驻点是所有偏导数都为零的点" in text
    assert "[U+" not in text  # no character went without a font
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts  # ctex set the Chinese in Noto CJK (fonts-noto-cjk)


def _cjk_font():
    from tutor import plots

    return len(plots.font_families()) > 1


@pytest.mark.skipif(not _cjk_font(), reason=".ci/run installs fonts-noto-cjk")
def test_a_chinese_figure_has_its_labels_in_a_cjk_font(tmp_path):
    """No tofu: matplotlib warns of a missing glyph, and warnings are errors here."""
    from tutor import figures, plots

    sol = tutor.solve(PROBLEMS / "zh-lesson6-gradient-descent.yaml")
    with phrasing.language(sol.lang):
        plans = figures.plan(sol)
    assert any(family.startswith("Noto Sans CJK") for family in plots.font_families())
    loss = next(p for p in plans if p.name == "loss-2")
    figure = loss.draw()
    assert figure.axes[0].get_xlabel() == "迭代次数"
    figure.savefig(tmp_path / "loss.pdf")
    assert b"NotoSansCJK" in (tmp_path / "loss.pdf").read_bytes()
    fit = next(p for p in plans if p.name == "fit-1").draw()
    assert fit.axes[0].get_legend().get_texts()[0].get_text() == "数据"


@pytest.mark.parametrize("lang", catalogs.languages()[1:])
def test_every_error_message_has_a_translation(lang):
    templates = catalogs.phrase_templates()
    assert "required key is missing" in templates and len(templates) > 150
    found = catalogs.translation(lang)
    assert [t for t in templates if t not in found.phrases] == []


def test_every_error_is_raised_with_a_template_not_an_f_string():
    """Babel extracts only a literal template: an f-string's message could not be translated."""
    import ast

    root = PROBLEMS.parent / "tutor"
    calls = {"InputError": 0, "ExpressionError": 0, "Phrase": 0, "fail": 1, "_fail": 0}
    built = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = calls.get(name)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.JoinedStr | ast.BinOp | ast.IfExp):
                built.append(f"{path.name}:{node.lineno}")
    assert built == []


def test_an_error_is_said_in_the_files_language_and_the_flags(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("title: t\nlang: zh\nvariables: [x]\nobjective: 2x + 1\ntasks: [partials]\n")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"tutor: error: {path}: objective: 无法解析 '2x + 1'："
        "乘法需要写 *：请写 2*x（语法错误，在第 1 列）\n"
    )
    result = CliRunner().invoke(main, ["solve", str(path), "--lang", "en"])
    assert "cannot parse '2x + 1': a product needs *: write 2*x" in result.stderr
    missing = tmp_path / "none.yaml"
    result = CliRunner().invoke(main, ["solve", str(missing), "--lang", "zh"])
    assert result.exit_code == 2 and result.stderr == f"tutor: error: {missing}: 文件不存在\n"
    with pytest.raises(tutor.InputError) as caught:
        tutor.solve(str(path))
    assert caught.value.message.startswith("cannot parse")  # the English, for programs
    assert "无法解析" in str(caught.value)  # and the reader's language, for people


def test_the_command_lines_own_messages_are_said_in_the_files_language(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nlang: zh\nvariables: [x]\nobjective: 2x + 1\ntasks: [partials]\n")
    good = PROBLEMS / "zh-backprop-notes.yaml"
    args = ["solve", str(bad), str(good), "--out", str(tmp_path / "out"), "--lang", "zh"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "tutor: 2 个中有 1 个失败：\n" in result.stderr
    assert "乘法需要写 *" in result.stderr
    result = CliRunner().invoke(main, ["check", str(good)])
    assert result.exit_code == 0 and result.output == f"{good}：全部 2 项检验一致\n"
    target = tmp_path / "sse.pdf"
    if _has_chinese_tex():
        result = CliRunner().invoke(main, ["solve", str(good), "--pdf", str(target)])
        assert result.output == f"已写入 {target}\n"
    result = CliRunner().invoke(main, ["derive", "x", "--wrt", "x", "--const", "a", "--lang", "zh"])
    assert result.exit_code == 2
    assert result.stderr == "tutor: error: --const a：请写成 NAME=VALUE，例如 --const a=2\n"
    result = CliRunner().invoke(main, ["derive", "a*x", "--wrt", "x", "--lang", "zh"])
    assert "要对它求导，把 a 加到 --wrt；要把它看作常数，用 --const a=VALUE" in result.stderr
    result = CliRunner().invoke(main, ["derive", "x**2*y", "--wrt", "x,y", "--lang", "zh"])
    assert result.output.startswith("x²y 对 x, y 的偏导数\n")
