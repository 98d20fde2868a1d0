"""Randomised variants (issue 22): params and require, reproducible draws, rosters, keys, a
Moodle quiz whose answers are the keys', and an impossible require refused in one line."""

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
import sympy as sp
import yaml
from click.testing import CliRunner
from conftest import PROBLEMS

from tutor.cli import main
from tutor.expr import parse_number
from tutor.loading import load

TEMPLATES = PROBLEMS / "templates"


def variants(tmp_path, template, *args):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["variants", str(TEMPLATES / template), "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return out


def test_the_same_seed_gives_byte_identical_files_and_answers(tmp_path):
    args = ["--count", "4", "--seed", "1", "--no-pdf"]
    one = variants(tmp_path / "1", "lesson5-two-points.yaml", *args)
    two = variants(tmp_path / "2", "lesson5-two-points.yaml", *args)
    for name in ("v1/problem.yaml", "v4/problem.yaml", "key.json", "key.csv"):
        name = name.replace("v1", "v01").replace("v4", "v04")
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    other = variants(
        tmp_path / "3", "lesson5-two-points.yaml", "--count", "4", "--seed", "2", "--no-pdf"
    )
    assert (one / "key.json").read_bytes() != (other / "key.json").read_bytes()


def test_every_variant_is_distinct_and_meets_its_require(tmp_path):
    out = variants(tmp_path, "quadratic-min.yaml", "--count", "6", "--seed", "3", "--no-pdf")
    files = sorted(out.glob("v*/problem.yaml"))
    assert len(files) == 6
    texts = {f.read_text(encoding="utf-8") for f in files}
    assert len(texts) == 6  # distinct
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    for f in files:
        raw = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert "params" not in raw and "require" not in raw
        # written as a person writes it: no 1*x**2, no 0*x*y, no + (-4)*x
        assert not re.search(r"(?<![\d.])[01]\*|\(-", raw["objective"]), raw["objective"]
        points = key[f.parent.name]["stationary_points"]["points"]
        assert len(points) == 1 and points[0]["kind"] == "minimum"
        assert all(sp.Rational(points[0][v]).q == 1 for v in ("x", "y"))  # an integer minimum
        h = key[f.parent.name]["hessian"]["matrix"]
        matrix = sp.Matrix([[parse_number(e) for e in row] for row in h])
        assert matrix.is_positive_definite
        problem = load(f)  # the written file is a problem file like any other
        assert problem.variables[0].name == "x"


def test_lesson5_variants_keep_the_lessons_structure(tmp_path):
    out = variants(tmp_path, "lesson5-two-points.yaml", "--count", "3", "--seed", "1", "--no-pdf")
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    raw = yaml.safe_load((out / "v01" / "problem.yaml").read_text(encoding="utf-8"))
    (x1, x2), (y1, y2) = raw["data"]["x"], raw["data"]["y"]
    assert raw["title"] == f"Fit y = a*x + b through ({x1}, {y1}) and ({x2}, {y2})"
    slope = Fraction(y2 - y1, x2 - x1)  # the line through two points, by hand
    solution = key["v01"]["normal_equation"]["solution"]
    assert parse_number(solution["a"]) == sp.Rational(slope.numerator, slope.denominator)
    rows = list(csv.DictReader((out / "key.csv").read_text(encoding="utf-8").splitlines()))
    assert {"id": "v01", "task": "params", "key": "x1", "value": str(x1)} in rows


def test_descent_variants_converge_at_their_rate(tmp_path):
    out = variants(tmp_path, "lesson6-descent.yaml", "--count", "3", "--seed", "5", "--no-pdf")
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    for v in ("v01", "v02", "v03"):
        run = key[v]["gradient_descent"]
        assert run["status"] == "converged"
        assert abs(run["final"]["a"] - 1) < 1e-3 and abs(run["final"]["b"] - 1) < 1e-3


def test_a_roster_gives_each_student_a_variant_that_never_changes(tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\nada,Ada\nbo,Bo\n", encoding="utf-8")
    first = variants(tmp_path / "a", "directional.yaml", "--roster", str(roster), "--no-pdf")
    roster.write_text("id,name\nada,Ada\nbo,Bo\ncy,Cy\n", encoding="utf-8")
    grown = variants(tmp_path / "b", "directional.yaml", "--roster", str(roster), "--no-pdf")
    for student in ("ada", "bo"):
        assert (first / student / "problem.yaml").read_bytes() == (
            grown / student / "problem.yaml"
        ).read_bytes()
    assert (grown / "cy" / "problem.yaml").exists()


def test_the_moodle_quiz_has_the_documented_structure_and_the_keys_answers(tmp_path):
    quiz = tmp_path / "quiz.xml"
    out = variants(
        tmp_path,
        "lesson5-two-points.yaml",
        "--count",
        "3",
        "--seed",
        "1",
        "--no-pdf",
        "--moodle",
        str(quiz),
    )
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    root = ET.parse(quiz).getroot()
    assert root.tag == "quiz"
    category, *questions = list(root)
    assert category.get("type") == "category"
    assert category.findtext("category/text") == "$course$/tutor/lesson5-two-points"
    assert len(questions) == 3
    for q, ident in zip(questions, ("v01", "v02", "v03"), strict=True):
        assert q.get("type") == "cloze"
        assert q.findtext("name/text") == f"lesson5-two-points {ident}"
        assert q.find("questiontext").get("format") == "html"
        assert q.findtext("penalty") and q.findtext("hidden") == "0"
        body = q.findtext("questiontext/text")
        numbers = [float(v) for v in re.findall(r"NUMERICAL:=([-0-9.e]+):", body)]
        want = [*key[ident]["gradient"]["value"]]
        want += [float(parse_number(key[ident]["normal_equation"]["solution"][v])) for v in "ab"]
        for w in want:
            assert any(abs(n - w) < 1e-9 for n in numbers), (ident, w, numbers)
        assert f"SHORTANSWER:={key[ident]['partials']['a']}" in body


def test_an_impossible_require_stops_with_one_line_and_writes_nothing(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(
        "title: t\nvariables: [x]\nobjective: (x - c)**2\nparams: {c: {int: [1, 3]}}\n"
        'require: ["c > 10"]\ntasks: [partials]\n'
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["variants", str(template), "--count", "2", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "require: no variant met every condition in 200 draws" in result.stderr
    assert "'c > 10' failed 200 times" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("params", "require", "key"),
    [
        ("{c: {int: [3, 1]}}", "[]", "params.c.int: low is above high"),
        ("{x: {int: [1, 3]}}", "[]", "params.x: 'x' is a variable"),
        ("{c: {normal: [0, 1]}}", "[]", "params.c: expected {int: [low, high]}"),
        ("{c: {int: [1, 3]}}", '["c >> 2"]', "require[0]"),
        ("{c: {int: [1, 3]}}", '["__import__(1) > 2"]', "require[0]: unknown function"),
        ("{c: {int: [1, 3]}}", "[sometimes]", "require[0]: write one comparison"),
        (
            "{c: {rational: [0.11, 0.12], denominator: 5}}",
            "[]",
            "params.c.rational: no fraction with a denominator up to 5 lies in [11/100, 3/25]",
        ),
    ],
)
def test_a_bad_template_is_one_line_naming_its_key(tmp_path, params, require, key):
    template = tmp_path / "t.yaml"
    template.write_text(
        f"title: t\nvariables: [x]\nobjective: (x - c)**2\nparams: {params}\n"
        f"require: {require}\ntasks: [partials]\n"
    )
    result = CliRunner().invoke(
        main, ["variants", str(template), "--count", "1", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and key in result.stderr, result.stderr


def test_a_template_is_not_solved_as_it_is():
    result = CliRunner().invoke(main, ["solve", str(TEMPLATES / "quadratic-min.yaml")])
    assert result.exit_code == 2
    assert "params: this file is a template (params:)" in result.stderr


def test_a_variants_answers_are_graded_against_its_own_key(tmp_path):
    out = variants(tmp_path, "quadratic-min.yaml", "--count", "2", "--seed", "3", "--no-pdf")
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    answers = tmp_path / "a.yaml"
    answers.write_text(
        yaml.safe_dump({"stationary_points": key["v02"]["stationary_points"]["points"]})
    )
    mine = CliRunner().invoke(
        main, ["grade", str(out / "v02" / "problem.yaml"), str(answers), "--format", "json"]
    )
    theirs = CliRunner().invoke(
        main, ["grade", str(out / "v01" / "problem.yaml"), str(answers), "--format", "json"]
    )
    verdict = {
        r: json.loads(x.stdout)["parts"][2]["verdict"] for r, x in (("v02", mine), ("v01", theirs))
    }
    assert verdict == {"v02": "correct", "v01": "incorrect"}


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="TeX Live is installed by .ci/run")
def test_a_sheet_asks_and_a_key_answers(tmp_path):
    out = variants(tmp_path, "quadratic-min.yaml", "--count", "1", "--seed", "3")
    sheet = subprocess.run(
        ["pdftotext", str(out / "v01" / "sheet.pdf"), "-"], capture_output=True, text=True
    ).stdout
    key = subprocess.run(
        ["pdftotext", str(out / "v01" / "key.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Find every stationary point of f and classify it." in sheet
    assert "Checks" not in sheet and "positive definite" not in sheet  # no answers on it
    assert "Checks" in key and "positive definite" in key


def test_shuffled_rows_stay_rows(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(
        "title: Fit y = w*x\nvariables: [w]\nmodel: y = w*x\nloss: sse\n"
        "data: {x: [1, 2, 3, k], y: [2, 4, 6, 8], shuffle: true}\n"
        "params: {k: {int: [4, 9]}}\ntasks: [normal_equation]\n"
    )
    out = tmp_path / "out"
    args = ["variants", str(template), "--count", "4", "--seed", "2", "--out", str(out), "--no-pdf"]
    assert CliRunner().invoke(main, args).exit_code == 0
    orders = set()
    for f in sorted(out.glob("v*/problem.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))["data"]
        assert "shuffle" not in data
        k = next(x for x in data["x"] if x not in (1, 2, 3))
        assert sorted(zip(data["x"], data["y"], strict=True)) == [(1, 2), (2, 4), (3, 6), (k, 8)]
        orders.add(tuple(data["y"]))
    assert len(orders) > 1  # the rows were shuffled, differently in different variants
