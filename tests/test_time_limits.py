"""Time limits (issue 16): a task out of time is stopped and marked, the others still print,
and the command exits 4; a whole-file time-out is exit 4 too, not bad input."""

import dataclasses
import json
import time

from click.testing import CliRunner

import tutor
from tutor import tasks
from tutor.cli import main

PROBLEM = """title: four tasks
variables: [a, b]
objective: (2 - a - b)**2 + (4 - 3*a - b)**2
tasks:
  - partials
  - hessian
  - gradient: {at: [0, 0]}
  - stationary_points
"""


def forever(ctx, params):
    ctx.rule(ctx.variables[0])  # something finished before the stop: ∂f/∂a
    while True:
        time.sleep(0.01)


def test_a_task_out_of_time_is_marked_and_the_others_print(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text(PROBLEM)
    slow = dataclasses.replace(tasks.TASKS["hessian"], run=forever)
    monkeypatch.setitem(tasks.TASKS, "hessian", slow)
    result = CliRunner().invoke(
        main, ["solve", str(path), "--format", "json", "--task-timeout", "1"]
    )
    assert result.exit_code == 4, result.output
    assert result.stderr == f"tutor: {path}: stopped by the time limit: hessian\n"
    out = json.loads(result.stdout)
    assert out["complete"] is False and out["ok"] is True
    done = {t["task"]: t for t in out["tasks"]}
    assert done["hessian"]["complete"] is False
    assert done["hessian"]["reason"] == "stopped after 1 s (the per-task limit, --task-timeout)"
    assert "∂f/∂a = " in done["hessian"]["steps"][1]["text"]
    assert done["partials"]["result"] == {"a": "20*a + 8*b - 28", "b": "8*a + 4*b - 12"}
    assert done["gradient"]["result"]["value"] == [-28.0, -12.0]
    assert done["stationary_points"]["result"]["points"][0] == {
        "a": "1",
        "b": "1",
        "kind": "minimum",
    }
    assert all(done[t]["complete"] for t in ("partials", "gradient", "stationary_points"))


def test_the_api_marks_the_stopped_task(monkeypatch):
    slow = dataclasses.replace(tasks.TASKS["gradient"], run=forever)
    monkeypatch.setitem(tasks.TASKS, "gradient", slow)
    problem = {
        "title": "t",
        "variables": ["x"],
        "objective": "x**2",
        "tasks": ["gradient", "partials"],
    }
    solution = tutor.solve(problem, task_timeout=0.5)
    assert [s.complete for s in solution.sections] == [False, True]
    assert not solution.complete and solution.ok


def test_a_whole_file_time_out_is_exit_4(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text(PROBLEM)
    slow = dataclasses.replace(tasks.TASKS["partials"], run=forever)
    monkeypatch.setitem(tasks.TASKS, "partials", slow)
    result = CliRunner().invoke(main, ["solve", str(path), "--timeout", "1", "--task-timeout", "0"])
    assert result.exit_code == 4
    assert "gave up after 1 s (--timeout)" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_negative_timeout_is_bad_input(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROBLEM)
    result = CliRunner().invoke(main, ["solve", str(path), "--timeout", "-1"])
    assert result.exit_code == 2 and "--timeout" in result.stderr
