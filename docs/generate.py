"""Write the generated pages of docs/: the CLI reference (from ``--help``) and one page per
task (a small problem file and the output tutor gives for it). The tests compare these pages
with what this script would write, so they cannot drift. Run: python docs/generate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

#: task: (what it is for, a problem file showing it). Numbers from the lessons where they have one.
TASKS = {
    "partials": (
        "Each partial derivative, step by step, every rule named, then tidied.",
        """title: Lesson 5's SSE
variables: [a, b]
name: SSE
objective: (2 - a - b)**2 + (4 - 3*a - b)**2
tasks: [partials]
""",
    ),
    "gradient": (
        "The gradient vector; at a point its value and its length.",
        """title: Chapter 3's ellipse
variables: [w0, w1]
name: L
objective: 2*w0**2 + 3*w1**2
tasks:
  - gradient: {at: [3, 4]}
""",
    ),
    "directional_derivative": (
        "The rate of change along a direction: the unit vector, the limit definition, ∇f·u, "
        "and the steepest direction.",
        """title: A paraboloid along (1, 1)
variables: [x, y]
objective: x**2 + y**2
tasks:
  - directional_derivative: {at: [1, 2], direction: [1, 1]}
""",
    ),
    "hessian": (
        "Every second partial, the matrix, and at a point its eigenvalues.",
        """title: A quadratic bowl
variables: [x, y]
objective: x**2 + x*y + 2*y**2
tasks:
  - hessian: {at: [0, 0]}
""",
    ),
    "taylor": (
        "The Taylor expansion at a point; with a displacement, exact change against the "
        "first- and second-order estimates.",
        """title: e^x near 0
variables: [x]
objective: exp(x)
tasks:
  - taylor: {at: [0], order: 3, displacement: ["1/10"]}
""",
    ),
    "convexity": (
        "A proof of convexity (f'' or the Hessian), a counterexample, or why it is undecided; "
        "with points, the chord definition checked on them.",
        """title: x³ is not convex
variables: [x]
objective: x**3
tasks:
  - convexity: {points: [[-3], [1]]}
""",
    ),
    "stationary_points": (
        "∇f = 0 solved (linear systems by elimination, in fractions), each point classified.",
        """title: The extremum notes' bowl
variables: [x0, x1]
objective: x0**2 + x1**2 + x0*x1 + 5*x0 + 7*x1
tasks: [stationary_points]
""",
    ),
    "normal_equation": (
        "Least squares in matrix form: XᵀXŵ = Xᵀy derived and solved exactly. Float data are "
        "solved from the SVD of X (`result.method: svd`), or, read in partitions beyond memory, "
        "from XᵀX (`gram`); either way `result.digits` gives the significant digits of ŵ its "
        "error bound guarantees ([scale.md](../scale.md)).",
        """title: Lesson 6's three points
variables: [w]
model: y = w*x
data: {x: [1, 2, 3], y: [2, 4, 6]}
loss: sse
tasks: [normal_equation]
""",
    ),
    "gradient_descent": (
        "Gradient descent: the update rule, the first steps, a table, why it stopped, and the "
        "same run in torch autograd.",
        """title: Lesson 6's step size
variables: [w]
model: y = w*x
data: {x: [1], y: [2]}
loss: half_mse
tasks:
  - gradient_descent: {start: [0], lr: 1, steps: 6, show: 2, exact: true}
""",
    ),
    "backprop": (
        "The computational graph, the forward and backward passes, and torch's .grad beside "
        "every adjoint.",
        """title: The gradient notes' graph
variables: [a, b, c]
name: J
objective: 3*(a + b*c)
tasks:
  - backprop: {at: [5, 3, 2]}
""",
    ),
}


def cli_reference() -> str:
    """Every command's ``--help``, as the command prints it."""
    import click

    from tutor.cli import main

    parts = [
        "# Command-line reference",
        "",
        "Generated from `tutor COMMAND --help` by `docs/generate.py`; a test keeps it current.",
        "",
    ]
    # fixed, not the terminal's width, and the group's own settings (-h as well as --help)
    width = {"terminal_width": 100, "max_content_width": 100, **main.context_settings}
    ctx = click.Context(main, info_name="tutor", **width)
    parts += ["## tutor", "", "```text", main.get_help(ctx), "```", ""]
    for name, command in main.commands.items():
        sub = click.Context(command, info_name=name, parent=ctx, **width)
        parts += [f"## tutor {name}", "", "```text", command.get_help(sub), "```", ""]
    return "\n".join(parts)


def task_page(task: str) -> str:
    """One task: what it is for, a problem file, and tutor's output for it."""
    import yaml

    import tutor

    purpose, source = TASKS[task]
    solution = tutor.solve(yaml.safe_load(source))
    text = solution.to_text()
    return "\n".join(
        [
            f"# `{task}`",
            "",
            purpose,
            "",
            "Its parameters are listed in [problem-files.md](../problem-files.md#tasks). This "
            "problem file:",
            "",
            "```yaml",
            source.rstrip(),
            "```",
            "",
            "gives (`tutor solve FILE`; generated by `docs/generate.py`, kept current by a test):",
            "",
            "```text",
            text.rstrip(),
            "```",
            "",
        ]
    )


def pages() -> dict[Path, str]:
    out = {DOCS / "cli.md": cli_reference()}
    for task in TASKS:
        out[DOCS / "tasks" / f"{task}.md"] = task_page(task)
    return out


if __name__ == "__main__":
    for path, text in pages().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(DOCS.parent)}")
