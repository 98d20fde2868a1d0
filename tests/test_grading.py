"""Grading students' answers (issue 21): verdicts, diagnoses verified by replaying the slip,
line-by-line marks, partial credit, a class at once, and hostile answers files."""

import csv
import json
from pathlib import Path

import pytest
import sympy as sp
import yaml
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main
from tutor.errors import ExpressionError
from tutor.grading import answer_key, grade_answers
from tutor.loading import load
from tutor.phrasing import language
from tutor.reading import read
from tutor.solve import solve

HERE = Path(__file__).parent / "grading"
CORPUS = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))
_KEYS: dict[str, object] = {}


def key(name):
    if name not in _KEYS:
        path = HERE / f"{name}.yaml"
        if not path.exists():
            path = PROBLEMS / f"{name}.yaml"
        problem = load(path)
        _KEYS[name] = answer_key(problem, solve(problem))
    return _KEYS[name]


def graded(problem, task, part, answer, whole=None):
    """The part ``task.part`` of a report on an answers file holding only this answer (or
    ``whole``, the task's whole answer)."""
    shaped = {
        "partials": {part: answer},
        "gradient": {part: answer},
        "gradient_descent": {"history": answer},
        "hessian": {"matrix": answer},
    }.get(task, answer)
    if whole is not None:
        shaped = whole
    report = grade_answers(key(problem), {task: shaped})
    return next(p for p in report.parts if p.task == task and p.part == part)


def test_the_corpus_is_as_large_as_the_issue_asks():
    assert len(CORPUS["wrong"]) >= 40 and len(CORPUS["right"]) >= 40
    kinds = {row[4] for row in CORPUS["wrong"]}
    assert {
        "chain_rule_inner_dropped",
        "sign_lost",
        "power_rule_exponent",
        "power_rule_coefficient",
        "product_rule_term_missing",
        "quotient_rule",
        "not_held_constant",
        "constant_derivative",
        "arithmetic",
        "wrong_point",
        "ascent",
        "wrong_learning_rate",
        "missing_factor",
        "not_normalized",
    } <= kinds


@pytest.mark.parametrize("row", CORPUS["wrong"], ids=lambda r: f"{r[0]}-{r[1]}-{r[4]}")
def test_a_slipped_answer_is_incorrect_with_its_slip_named(row):
    problem, task, part, answer, diagnosis = row
    got = graded(problem, task, part, answer)
    assert (got.verdict, got.diagnosis) == ("incorrect", diagnosis), got.feedback
    assert got.score < got.max and got.feedback


@pytest.mark.parametrize("row", CORPUS["right"], ids=lambda r: f"{r[0]}-{r[1]}-{r[3]}")
def test_a_rewritten_right_answer_is_correct(row):
    problem, task, part, answer = row
    got = graded(problem, task, part, answer)
    assert got.verdict == "correct", got.feedback
    assert got.score == got.max


def test_the_feedback_says_which_step_and_which_factor():
    got = graded("sse", "partials", "a", "2(2 - a - b) + 2(4 - 3a - b)(-3)")
    assert got.feedback == (
        "In the chain rule for (2 − a − b)², the inner derivative −1 is missing: multiply by it."
    )
    got = graded(
        "quotient", "partials", "x", "(2x cos(x^2)(x + y) - sin(x^2))/(x + y) + e^y + 3y^2"
    )
    assert (
        got.feedback
        == "In the quotient rule for sin(x²)/(x + y), the denominator is squared: (x + y)²."
    )
    got = graded("bowl", "gradient_descent", "history", [[1, 1], [1.03, 0.79], [1.0645, 0.6169]])
    assert got.feedback == "From step 1 on, the steps use the learning rate 3/100, not 1/10."


def test_an_unsimplified_answer_earns_the_share_the_problem_sets():
    got = graded("sse", "partials", "a", "2(2 - a - b)*(-1) + 2(4 - 3a - b)*(-3)")
    assert (got.verdict, got.score, got.max) == ("unsimplified", 0.5, 1.0)
    assert got.feedback == "Right, but not simplified: ∂SSE/∂a = 20a + 8b − 28."


def test_a_derivation_is_marked_line_by_line():
    lines = [
        "2(2 - a - b)*(-1) + 2(4 - 3a - b)*(-1)",
        "-4 + 2a - 2b - 8 + 6a + 2b",
        "8a + 4b - 12",
    ]
    got = graded("sse", "partials", "b", lines)
    assert [(x.follows, x.slip) for x in got.lines] == [
        (True, None),
        (False, "sign_lost"),
        (False, None),
    ]
    assert got.verdict == "correct"
    assert "Line 2 does not follow from line 1: Expanding 2(2 − a − b)·(−1), the sign of 2b" in (
        got.feedback
    )
    wrong = [
        "2(2 - a - b)*(-1) + 2(4 - 3a - b)*(-3)",
        "-4 + 2a + 2b - 24 + 18a + 6b",
        "20a + 6b - 28",
    ]
    got = graded("sse", "partials", "a", wrong)
    assert [x.follows for x in got.lines] == [True, True, False]
    # 2b + 6b collected as 6b: the term 2b dropped
    assert (got.verdict, got.diagnosis) == ("incorrect", "term_dropped")
    assert got.feedback == "Line 3 does not follow from line 2: The term 2b was dropped."
    assert got.to_json()["lines"][2] == {
        "text": "20a + 6b - 28",
        "follows": False,
        "slip": "term_dropped",
    }


def test_students_write_as_on_paper_and_ambiguous_readings_are_said():
    a, b, x, y = sp.symbols("a b x y")
    names = {"a": a, "b": b, "x": x, "y": y}
    assert read("2(x + 1)", names).expr == 2 * x + 2
    assert read("(a)(b)", names).expr == a * b
    assert read("x sin(y)", names).expr == x * sp.sin(y)
    assert read("a^2 − 3·b", names).expr == a**2 - 3 * b
    assert read("e^x", names).expr == sp.exp(x)
    reading = read("ab + 1/2a + a(b + 1)", names)
    assert reading.expr == a * b + a / 2 + a * (b + 1)
    assert [str(p) for p in reading.readings] == [
        "read 'ab' as a·b",
        "read '1/2a' as (1/2)·a",
        "read a(…) as a·(…), a product: a is not a function",
    ]
    with pytest.raises(ExpressionError, match=r"write sin\(x\)"):
        read("sin x", names)
    with pytest.raises(ExpressionError, match="invalid syntax"):
        read("2 3", names)  # not 23


HOSTILE = [
    "__import__('os').system('touch PWNED')",
    "a.__class__.__bases__",
    "lambda: 1",
    "[x for x in ()]",
    "(a + b)^1000^1000",
    "9" * 5000,
    "(" * 500 + "a" + ")" * 500,
    "exp(exp(exp(exp(exp(a)))))",
    "a" * 40,
    "'a' + 'b'",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_answer_is_unreadable_or_graded_and_nothing_runs(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = graded("sse", "partials", "a", text)
    assert got.verdict in ("unreadable", "incorrect", "undecided")
    assert not (tmp_path / "PWNED").exists()


MALICIOUS = {
    "tag.yaml": "partials: !!python/object/apply:os.system ['touch PWNED']\n",
    "alias.yaml": "partials: &x {a: 1}\ngradient: *x\n",
    "list.yaml": "- partials\n",
    "unknown.yaml": "partialz: {a: 1}\n",
    "binary.yaml": b"\xff\xfe\x00partials",
}


def test_a_class_at_once_with_a_gradebook_and_a_malicious_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = []
    ada = tmp_path / "ada.yaml"
    ada.write_text(
        "student: Ada\npartials: {a: 20a + 8b - 28, b: 2(2 - a - b) + 2(4 - 3a - b)}\n"
        "gradient: {value: [-28, -12]}\nstationary_points: [{a: 1, b: 1}]\n"
        "normal_equation: {a: 1, b: 1}\n",
        encoding="utf-8",
    )
    files.append(ada)
    for name, body in MALICIOUS.items():
        path = tmp_path / name
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
        files.append(path)
    book = tmp_path / "grades.csv"
    args = ["grade", str(PROBLEMS / "sse.yaml"), *map(str, files), "--gradebook", str(book)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("tutor: error:")]
    assert len(errors) == len(MALICIOUS)  # one line each, and the batch went on
    assert any("tag.yaml: invalid YAML" in line for line in errors)
    assert any("aliases" in line for line in errors)
    assert any("'partialz' is not a task of this problem" in line for line in errors)
    assert not (tmp_path / "PWNED").exists()
    rows = list(csv.DictReader(book.read_text(encoding="utf-8").splitlines()))
    assert [r["student"] for r in rows] == ["Ada", "tag", "alias", "list", "unknown", "binary"]
    assert rows[0]["partials.a"] == "1" and rows[0]["partials.b"] == "0"
    assert (rows[0]["total"], rows[0]["max"]) == ("4", "5")
    assert rows[0]["diagnoses"] == "partials.b: chain_rule_inner_dropped"
    assert rows[1]["total"] == "0" and "invalid YAML" in rows[1]["error"]


def test_json_per_student_has_the_contract_keys(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text('partials: {a: "20a + 8b - 26"}\ngradient: {value: [28, 12]}\n')
    result = CliRunner().invoke(
        main, ["grade", str(PROBLEMS / "sse.yaml"), str(path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"student", "file", "score", "max", "parts"}
    assert (report["student"], report["score"], report["max"]) == ("s", 0, 5)
    first = report["parts"][0]
    assert set(first) == {"task", "part", "verdict", "diagnosis", "score", "max", "feedback"}
    assert (first["verdict"], first["diagnosis"]) == ("incorrect", "arithmetic")
    assert first["feedback"] == "An arithmetic slip: the term −28 is written as −26."
    value = next(p for p in report["parts"] if p["part"] == "value")
    assert (value["verdict"], value["diagnosis"]) == ("incorrect", "sign_lost")
    assert [p["verdict"] for p in report["parts"]].count("missing") == 4


def test_weights_from_the_problem_file(tmp_path):
    problem = tmp_path / "p.yaml"
    problem.write_text(
        "title: t\nvariables: [x, y]\nobjective: x**2*y\n"
        "tasks: [partials, {gradient: {at: [1, 2]}}]\n"
        "grading: {weights: {partials: 4, partials.y: 1, gradient.value: 0}, unsimplified: 0.25}\n"
    )
    report = tutor.grade(problem, {"partials": {"x": "2x y", "y": "(x + 1)^2 - 2x - 1"}})
    scores = {(p.task, p.part): (p.score, p.max) for p in report.parts}
    assert scores[("partials", "x")] == (2.0, 2.0)  # the task's 4, shared by its 2 parts
    assert scores[("partials", "y")] == (0.25, 1.0)  # its own weight; x² unsimplified
    assert scores[("gradient", "value")] == (0.0, 0.0)
    assert report.max == 3.0
    problem.write_text(problem.read_text().replace("gradient.value: 0", "gradient.valu: 0"))
    result = CliRunner().invoke(main, ["grade", str(problem), str(problem)])
    assert result.exit_code == 2
    assert (
        "grading.weights.gradient.valu: no task or part 'gradient.valu' to weigh" in result.stderr
    )


def test_feedback_in_chinese():
    with language("zh"):
        got = graded("sse", "partials", "a", "2(2 - a - b) + 2(4 - 3a - b)(-3)")
    assert got.feedback == "对 (2 − a − b)² 用链式法则时，漏掉了内层导数 −1：要乘上它。"
    report = tutor.grade(PROBLEMS / "zh-lesson5-sse.yaml", {"partials": {"a": "20a + 8b"}})
    assert report.parts[0].feedback == "计算错误：漏掉了项 −28。"


def test_a_students_text_cannot_paint_the_terminal(tmp_path):
    path = tmp_path / "esc.yaml"
    path.write_text('student: "\\e[31mEve"\npartials:\n  a: ["20a + 8b - 28\\e[2J", "x"]\n')
    result = CliRunner().invoke(main, ["grade", str(PROBLEMS / "sse.yaml"), str(path)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mEve: 0 of 5" in result.stdout
    assert "1. ? 20a + 8b - 28\\x1b[2J" in result.stdout


def test_a_right_formula_put_in_wrong_is_an_arithmetic_slip_at_the_point():
    answer = {"expr": ["20a + 8b - 28", "8a + 4b - 12"], "value": [-28, -10]}
    got = graded("sse", "gradient", "value", None, whole=answer)
    assert (got.verdict, got.diagnosis, got.score) == ("incorrect", "arithmetic", 0.5)
    assert got.feedback == (
        "An arithmetic slip: your ∂SSE/∂b is right, and at (0, 0) it is −12, not −10."
    )
    # without the formula, the slip that gives −10 is named: (2 − a − b)² differentiated
    # without its factor 2
    got = graded("sse", "gradient", "value", [-28, -10])
    assert got.diagnosis == "power_rule_coefficient"


def test_a_key_that_disagrees_with_autograd_is_not_trusted(tmp_path, monkeypatch):
    """A deliberately wrong derivative in the key: its check fails, and grade says so."""
    from tutor.tasks.context import Context

    right = Context.tidied.func
    monkeypatch.setattr(
        Context, "tidied", property(lambda self: tuple((g + 1, n) for g, n in right(self)))
    )
    problem = tmp_path / "p.yaml"
    problem.write_text("title: t\nvariables: [a, b]\nobjective: a*b\ntasks: [partials]\n")
    answers = tmp_path / "s.yaml"
    answers.write_text("partials: {a: b, b: a}\n")
    result = CliRunner().invoke(main, ["grade", str(problem), str(answers)])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "1 cross-check(s) of the key disagreed: check these grades by hand"
    )
