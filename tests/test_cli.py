"""The command line: exit codes and one-line errors of SPEC §3, on real files."""

import json

import click
import pytest
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.cli import main

GOOD = "title: t\nvariables: [a, b]\nobjective: a*b\ntasks: [partials]\n"
BAD_FILES = {
    "code.yaml": ('objective: __import__("os").system("touch PWNED")', "objective"),
    "dunder.yaml": ("objective: a.__class__", "objective"),
    "unknown.yaml": ("objective: a + foo", "objective"),
    "tag.yaml": ("objective: !!python/object/apply:os.system ['touch PWNED']", "line 3"),
    "missing.yaml": ("objective: a\n", None),
    "point.yaml": ("objective: a*b\ntasks:\n  - gradient: {at: [1, 2, 3]}", "tasks[0].gradient.at"),
    "task.yaml": ("objective: a*b\ntasks: [hessiann]", "tasks[0]"),
    "typo.yaml": ("objectve: a*b", "objectve"),
    "malformed.yaml": ("objective: [a*b", "line"),
    "alias.yaml": ("objective: &e a*b\nname: *e", "aliases"),
    "mismatch.yaml": ("model: y = a*x + b\ndata: {x: [1, 2, 3], y: [1, 2]}", "data"),
    "nodata.yaml": ("model: y = a*x + b", "data"),
}


def write_bad(tmp_path, name):
    body, _ = BAD_FILES[name]
    head = "title: t\nvariables: [a, b]\n" if name != "missing.yaml" else "variables: [a, b]\n"
    tail = "" if "tasks" in body else "\ntasks: [partials]\n"
    path = tmp_path / name
    path.write_text(head + body + tail)
    return path


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_problem_file_exits_2_with_one_line(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    path = write_bad(tmp_path, name)
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tutor: error: {path}: ")
    key = BAD_FILES[name][1] or "title: required key is missing"
    assert key in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "PWNED").exists()


def test_missing_file_exits_2():
    result = CliRunner().invoke(main, ["solve", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "tutor: error: no/such/file.yaml: no such file\n"


def test_solve_sse_prints_the_lesson_derivation():
    result = CliRunner().invoke(main, ["solve", str(PROBLEMS / "sse.yaml")])
    assert result.exit_code == 0, result.output
    out = result.output
    order = [
        "4 − 3a − b",
        "∂SSE/∂a = 2(2 − a − b)·(−1) + 2(4 − 3a − b)·(−3)",
        "= 20a + 8b − 28",
        "= 8a + 4b − 12",
        "= (−28, −12)",
        "(1) − 2×(2)",
        "4a − 4 = 0   ⇒ a = 1",
        "4b − 4 = 0   ⇒ b = 1",
        "a minimum",
    ]
    positions = [out.index(fragment) for fragment in order]
    assert positions == sorted(positions)
    assert out.count("✓") == 9 and "✗" not in out


def test_solve_json_and_out_dir(tmp_path):
    result = CliRunner().invoke(
        main, ["solve", str(PROBLEMS / "sse.yaml"), "--format", "json", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "sse.json").read_text())
    assert data["tasks"][0]["result"] == {"a": "20*a + 8*b - 28", "b": "8*a + 4*b - 12"}


def test_failed_cross_check_exits_1(tmp_path, monkeypatch):
    """A deliberately wrong derivative makes the autograd check fail: the check can fail."""
    from tutor.tasks.context import Context

    right = Context.tidied.func
    wrong = property(lambda self: tuple((g + 1, note) for g, note in right(self)))
    monkeypatch.setattr(Context, "tidied", wrong)
    path = tmp_path / "p.yaml"
    path.write_text(GOOD)
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 1
    assert "✗ FAILED every ∂f/∂· against autograd" in result.output
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "DISAGREE" in result.output


def test_check_reports_each_file(tmp_path):
    bad = write_bad(tmp_path, "dunder.yaml")
    result = CliRunner().invoke(main, ["check", str(PROBLEMS / "sse.yaml"), str(bad)])
    assert result.exit_code == 2
    assert "sse.yaml: all 9 checks agree" in result.output
    assert "attribute access not allowed" in result.stderr


def test_derive_json_follows_spec():
    result = CliRunner().invoke(
        main, ["derive", "x**2*sin(x)", "--wrt", "x", "--at", "pi", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["expr"] == "x**2*sin(x)" and data["wrt"] == ["x"]
    assert data["result"] == {"x": "x*(x*cos(x) + 2*sin(x))"}
    assert data["check"]["ok"] is True
    assert data["gradient"]["result"]["exact"] == ["-pi**2"]


def test_derive_bad_expression_exits_2():
    result = CliRunner().invoke(main, ["derive", "x.__class__", "--wrt", "x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("tutor: error: EXPR: attribute access not allowed")


@pytest.mark.parametrize(
    "args,line",
    [
        (
            ["a*x**2", "--wrt", "x"],
            "tutor: error: EXPR: unknown name 'a' (known names: x) (column 1: 'a'): add a to "
            "--wrt to differentiate by it, or hold it fixed with --const a=VALUE",
        ),
        (["x**2", "--wrt", "x", "--at", "1,2"], "tutor: error: --at: give one number per variable"),
        (["x**2", "--wrt", "x", "--at", "q"], "tutor: error: --at: expected a number, got 'q'"),
        (["x**2", "--wrt", "x,x"], "tutor: error: --wrt: 'x' is declared twice"),
        (["a*x", "--wrt", "x", "--const", "a"], "tutor: error: --const a: write NAME=VALUE"),
        (["a*x", "--wrt", "x", "--const", "a=q"], "tutor: error: --const a: expected a number"),
    ],
)
def test_derive_errors_name_what_the_user_typed(args, line):
    result = CliRunner().invoke(main, ["derive", *args])
    assert result.exit_code == 2 and result.stderr.startswith(line), result.stderr
    assert "objective" not in result.stderr and "tasks[" not in result.stderr


def test_derive_holds_constants_fixed_and_the_api_gives_the_cli_json():
    result = CliRunner().invoke(
        main, ["derive", "a*x**2 + y", "--wrt", "x,y", "--const", "a=2.5", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["result"] == {"x": "5*x", "y": "1"}
    api = tutor.derive("a*x**2 + y", "x, y", constants={"a": 2.5})
    assert api.to_dict() == data
    text = api.to_text()
    assert text.startswith("The partial derivatives of 5x²/2 + y by x, y\n")
    assert "Constants: a = 2.5" in text


def test_every_command_has_help_with_an_example():
    # With the group's own settings: click caches each command's help option from the first
    # context that asks, and a bare Context would leave it without -h for docs/cli.md.
    ctx = click.Context(main, **main.context_settings)
    for name, command in main.commands.items():
        text = command.get_help(ctx)
        assert "Example: tutor " + name in text or "Examples:\n    tutor " + name in text, name
