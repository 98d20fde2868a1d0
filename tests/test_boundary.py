"""Where a stranger's input enters, it is refused with one line or answered (issue 17)."""

import json
import time

import pytest
from click.testing import CliRunner

from tutor.cli import main


def derive(*args):
    return CliRunner().invoke(main, ["derive", *args])


def test_heaviside_is_checked_by_autograd_not_left_unchecked():
    result = derive("Heaviside(x - 1)*x**2", "--wrt", "x")
    assert result.exit_code == 0, result.output
    assert "✓ every ∂f/∂· against autograd at 5 random points" in result.output


def test_a_complex_constant_inside_another_function_is_refused_at_once():
    start = time.monotonic()
    result = derive("atan2(acos(1000), acos(1000))*x", "--wrt", "x")
    assert time.monotonic() - start < 10  # SymPy searched for minutes when given it whole
    assert result.exit_code == 2
    assert "acos(1000) is not a real number" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9" * 309 + "*x", "1.0e+309 is beyond float64's range (about 1.8e308)"),
        ("x*1e308*1e308", "1.0e+616 is beyond float64's range"),
        ("x*Min(10**379, 10**380)", "1.0e+379 is beyond float64's range"),
    ],
)
def test_numbers_beyond_float64_are_refused_where_they_are_written(text, message):
    result = derive(text, "--wrt", "x", "--at", "0")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_a_memory_bomb_is_estimated_not_expanded():
    start = time.monotonic()
    result = derive("(a+b+c+d)**1000", "--wrt", "a,b,c,d")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - start < 30  # it expanded for 2 s per partial, growing 125 MB/s
    assert "∂f/∂a = 1000(a + b + c + d)⁹⁹⁹" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("lambda", "'lambda' is a Python keyword, which expressions cannot use"),
        ("None", "'None' is a Python keyword"),
        ("v" + "a" * 40, "is 41 characters long: a name has at most 32"),
    ],
)
def test_names_expressions_cannot_use_are_refused_by_key(tmp_path, name, message):
    (tmp_path / "p.yaml").write_text(
        f"title: t\nvariables: [{name}]\nobjective: x\ntasks: [partials]\n"
    )
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "p.yaml")])
    assert result.exit_code == 2
    assert "p.yaml: variables[0]: " in result.stderr and message in result.stderr


@pytest.mark.parametrize("name", ["pow", "torch", "DiracDelta", "x0"])
def test_a_variable_named_like_generated_code_does_not_shadow_it(tmp_path, name):
    (tmp_path / "p.yaml").write_text(
        f"title: t\nvariables: [{name}, y]\nobjective: ({name} - 1)**2 + {name}*y + Abs(y)\n"
        "tasks: [partials, hessian, gradient_descent: {start: [0.5, 0.5], lr: 0.1, steps: 3}]\n"
    )
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "p.yaml")])
    assert result.exit_code == 0, result.stderr


def test_control_characters_in_a_key_are_shown_escaped_on_one_line(tmp_path):
    (tmp_path / "p.yaml").write_text(
        'title: t\nvariables: [x]\nobjective: x\ntasks: [partials]\n"bad\\e[31mRED\\nkey": 1\n'
    )
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "p.yaml")])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and result.stderr.count("\n") == 1
    assert "p.yaml: bad\\x1b[31mRED\\nkey: unknown key" in result.stderr


def test_a_task_its_input_makes_impossible_is_refused_and_the_others_are_done(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "title: t\nvariables: [x, y]\nobjective: log(-y) + x**2\n"
        "tasks: [partials, backprop: {at: [1, 2]}, gradient: {at: [1, -1]}]\n"
    )
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "p.yaml"), "--format", "json"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "p.yaml: tasks[1].backprop.at: at (1, 2) node" in result.stderr
    assert result.stderr.endswith("(the other tasks are done)\n")

    tasks = json.loads(result.stdout)["tasks"]
    assert [t["task"] for t in tasks] == ["partials", "backprop", "gradient"]
    assert tasks[0]["result"] == {"x": "2*x", "y": "1/y"}
    assert tasks[1]["complete"] is False and "has no finite value" in tasks[1]["refused"]
    assert tasks[2]["result"]["exact"] == ["2", "-1"]
