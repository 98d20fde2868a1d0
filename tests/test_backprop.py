"""backprop (issue 7): the gradient notes' J = 3(a + bc) and Lesson 5's SSE through the graph."""

import json

import pytest
import sympy as sp
from click.testing import CliRunner
from conftest import PROBLEMS

import tutor
from tutor.calculus.graph import MAX_NODES
from tutor.cli import main
from tutor.loading import problem_from_dict


def backprop(path_or_dict):
    sol = tutor.solve(path_or_dict)
    assert sol.ok, [c for c in sol.checks if not c.ok]
    return sol, next(s for s in sol.sections if s.task == "backprop")


def nodes(section):
    return {n["name"]: n for n in section.result["nodes"]}


def test_notes_j_forward_u_11_v_6_j_33_and_gradient_3_6_9():
    sol, section = backprop(PROBLEMS / "backprop-notes.yaml")
    by_name = nodes(section)
    assert [n["name"] for n in section.result["nodes"]] == ["a", "b", "c", "v", "u", "J"]
    assert {k: by_name[k]["value"] for k in ("v", "u", "J")} == {"v": "6", "u": "11", "J": "33"}
    assert by_name["v"]["op"] == "b*c" and by_name["u"]["op"] == "a + v"
    assert section.result["grad"] == {"a": "3", "b": "6", "c": "9"}
    assert by_name["u"]["adjoint"] == "3" and by_name["v"]["adjoint"] == "3"


def test_notes_j_torch_grad_leaves_and_grad_fn_names():
    _, section = backprop(PROBLEMS / "backprop-notes.yaml")
    torch_view = {name: node["torch"] for name, node in nodes(section).items()}
    assert {k: v["grad"] for k, v in torch_view.items()} == {
        "a": 3.0,
        "b": 6.0,
        "c": 9.0,
        "v": 3.0,
        "u": 3.0,
        "J": 1.0,
    }
    assert [k for k, v in torch_view.items() if v["is_leaf"]] == ["a", "b", "c"]
    assert {k: v["grad_fn"] for k, v in torch_view.items()} == {
        "a": None,
        "b": None,
        "c": None,
        "v": "MulBackward0",
        "u": "AddBackward0",
        "J": "MulBackward0",
    }
    torch_check = section.checks[1]
    assert torch_check.ok and torch_check.max_abs_err == 0.0


def test_notes_j_text_reads_the_edges_like_the_notes():
    sol, _ = backprop(PROBLEMS / "backprop-notes.yaml")
    text = sol.to_text()
    assert "∂J/∂b = 3·1·c\n        = 3·1·2\n        = 6" in text  # dJ/db = 3 × 1 × c
    assert "v = bc     ← b [c], c [b]" in text
    assert "∂J/∂v    ∂J/∂u·∂u/∂v  3·1              3" in text


def test_lesson5_sse_through_the_graph_is_minus_28_minus_12():
    _, section = backprop(PROBLEMS / "sse-backprop.yaml")
    assert section.result["grad"] == {"a": "-28", "b": "-12"}
    by_name = nodes(section)
    # residuals 2 − a − b and 4 − 3a − b at (0, 0), their squares, the sum
    assert [by_name[k]["value"] for k in ("p", "u", "q", "v", "SSE")] == ["2", "4", "4", "16", "20"]
    assert by_name["q"]["local"] == {"a": "-3", "b": "-1"}


def test_shared_subexpression_is_one_node():
    sol, section = backprop(
        {
            "title": "t",
            "variables": ["a", "b"],
            "objective": "(a + b)**2 + exp(a + b)",
            "tasks": [{"backprop": {"at": [1, 2]}}],
        }
    )
    sums = [n for n in section.result["nodes"] if n["op"] == "a + b"]
    assert len(sums) == 1
    # two edges leave a + b: ∂f/∂p = 2p + e^p = 6 + e³
    assert sp.sympify(sums[0]["adjoint"]) == 6 + sp.exp(3)
    assert section.result["grad"] == {"a": "6 + exp(3)", "b": "6 + exp(3)"}


def test_formats_draw_the_graph(tmp_path):
    sol, _ = backprop(PROBLEMS / "backprop-notes.yaml")
    latex = sol.to_latex()
    assert r"\begin{tikzpicture}" in latex and r"\usepackage{tikz}" in latex
    assert r"\draw[->] (n1) -- node[edge] {$c$} (n3);" in latex  # b → v, ∂v/∂b = c
    markdown = sol.to_markdown()
    assert "```mermaid" in markdown and 'n1 -->|"c"| n3' in markdown
    data = json.loads(sol.to_json())
    (section,) = data["tasks"]
    assert section["result"]["grad"] == {"a": "3", "b": "6", "c": "9"}
    assert len(section["result"]["nodes"]) == 6


@pytest.mark.parametrize(
    ("objective", "task", "message"),
    [
        ("sqrt(a) + b", "backprop: {at: [0, 1]}", "tasks[0].backprop.at: at (0, 1) node"),
        ("a + b", "backprop: {}", "tasks[0].backprop.at: required key is missing"),
        (
            " + ".join(f"sin({k}*a + b)" for k in range(1, 40)),
            "backprop: {at: [0, 0]}",
            f"backprop: the graph has more than {MAX_NODES} nodes",
        ),
    ],
    ids=["not-differentiable", "no-point", "too-large"],
)
def test_bad_backprop_exits_2_with_one_line(tmp_path, objective, task, message):
    path = tmp_path / "p.yaml"
    path.write_text(f"title: t\nvariables: [a, b]\nobjective: {objective}\ntasks:\n  - {task}\n")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_graph_names_do_not_clash_with_variables():
    p = problem_from_dict(
        {
            "title": "t",
            "variables": ["u", "v"],
            "objective": "(u*v + 1)**2",
            "tasks": [{"backprop": {"at": [1, 2]}}],
        }
    )
    _, section = backprop(p)
    names = [n["name"] for n in section.result["nodes"]]
    assert names == ["u", "v", "q", "p", "f"] and section.result["grad"] == {"u": "12", "v": "6"}
