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
    keys = {m.context for m in catalog if m.id}
    source = {key for key, _ in catalogs._entries()}
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
