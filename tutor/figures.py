"""Which pictures a worked solution gets, drawing them to files, and placing them in it.

- one or two variables: the objective's surface with its contour map (the curve for one);
- ``gradient_descent``: the path over the contour map (or the curve), the minimum marked, and
  the loss per iteration (every learning rate of a sweep on one plot);
- ``gradient`` and ``directional_derivative`` in two variables: level curves with gradient
  arrows; ``taylor`` in one variable: f with its tangent line;
- a model with one input fitted by ``normal_equation`` or ``gradient_descent``: the data and
  the fitted curve.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from . import plots
from .document import Picture, Section, Solution, Step
from .expr import parse_number
from .numeric.compile import numpy_function
from .render.mathprint import math_text

#: A diverging run's first steps show it leaving; the rest would only cover the picture.
DIVERGING_SHOWN = 12


@dataclass(frozen=True)
class Plan:
    """A figure to draw: its file stem, heading, caption, and the section it follows (None:
    the problem statement)."""

    name: str
    title: str
    caption: str
    section: int | None
    draw: Callable[[], Figure]


def plan(solution: Solution) -> list[Plan]:
    """The figures that help this solution, not yet drawn."""
    variables = solution.variables
    n = len(variables)
    names = [math_text(v) for v in variables] + [solution.name.text]
    f = _numpy(solution.objective, variables)
    box = _box(solution)
    plans: list[Plan] = []
    if n <= 2:
        shape = "curve" if n == 1 else "surface, with its contour map beneath"
        plans.append(
            Plan(
                "surface",
                "The surface" if n == 2 else "The curve",
                f"{solution.name.text} over the region of interest: its {shape}.",
                None,
                lambda: plots.draw_surface(f, box, names),
            )
        )
    for i, section in enumerate(solution.sections):
        plans += _section_plans(solution, i, section, f, box, names)
    return plans


def _section_plans(
    solution: Solution,
    i: int,
    section: Section,
    f: plots.Func,
    box: list[tuple[float, float]],
    names: list[str],
) -> list[Plan]:
    variables, n, k = solution.variables, len(solution.variables), i + 1
    result = section.result
    out: list[Plan] = []
    if section.task == "gradient_descent":
        runs = [
            (label, path, steps)
            if kept
            else (label, path[:DIVERGING_SHOWN], steps[:DIVERGING_SHOWN])
            for (label, path, steps), kept in zip(_runs(result), _converging(result), strict=True)
        ]
        if n <= 2:
            minimum = _minimum(solution)
            out.append(
                Plan(
                    f"descent-{k}",
                    "The path",
                    "The gradient-descent path"
                    + (" for each learning rate" if len(runs) > 1 else "")
                    + (", the minimum marked." if minimum is not None else "."),
                    i,
                    lambda: plots.draw_path(
                        f, box, [(label, path) for label, path, _ in runs], minimum, names
                    ),
                )
            )
        out.append(
            Plan(
                f"loss-{k}",
                "The loss per iteration",
                f"{solution.name.text} per iteration"
                + (", one line per learning rate." if len(runs) > 1 else "."),
                i,
                lambda: plots.draw_losses(
                    [(label, steps, _values(f, path)) for label, path, steps in runs],
                    solution.name.text,
                ),
            )
        )
    if section.task in ("gradient", "directional_derivative") and n == 2 and "at" in section.params:
        at = np.array([float(parse_number(v)) for v in section.params["at"]])
        grad = _numpy_vector([sp.diff(solution.objective, v) for v in variables], variables)
        out.append(
            Plan(
                f"gradient-{k}",
                "Level curves and gradient arrows",
                "Level curves with gradient arrows: each arrow is normal to the level curve "
                "through its foot and points uphill; the red one is at the point.",
                i,
                lambda: plots.draw_gradient_field(f, grad, box, at, names),
            )
        )
    if section.task == "taylor" and n == 1:
        at0 = float(parse_number(section.params["at"][0]))
        slope = float(sp.diff(solution.objective, variables[0]).subs(variables[0], at0))
        out.append(
            Plan(
                f"tangent-{k}",
                "The tangent line",
                f"{solution.name.text} and its tangent line at {variables[0]} = {at0:g}.",
                i,
                lambda: plots.draw_tangent(f, box[0], at0, slope, names),
            )
        )
    weights = _fitted_weights(section)
    model = solution.problem.model if solution.problem is not None else None
    if weights is not None and model is not None and len(model.inputs) == 1:
        fitted = model.rhs.xreplace(dict(zip(variables, weights, strict=True)))
        shown = fitted if model.squared else 1 / (1 + sp.exp(-fitted))  # a score: σ of it
        curve = _numpy(shown, model.inputs)
        x = np.asarray(model.data.arrays[model.inputs[0].name])
        y = np.asarray(model.data.arrays[model.output])
        label = f"{model.output} = {math_text(ordered_float(fitted))}"
        if not model.squared:
            label = f"P({model.output} = 1) = σ({math_text(ordered_float(fitted))})"
        out.append(
            Plan(
                f"fit-{k}",
                "The fitted model",
                f"The data and the fitted model {label}.",
                i,
                lambda: plots.draw_fit(x, y, curve, [model.inputs[0].name, model.output], label),
            )
        )
    return out


def ordered_float(expr: sp.Expr) -> sp.Expr:
    """Coefficients to 4 significant digits, for a legend."""
    from .expr import ordered

    return ordered(
        expr.xreplace({c: sp.Float(float(f"{float(c):.4g}")) for c in expr.atoms(sp.Float)})
    )


def _numpy(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> plots.Func:
    fn: plots.Func = numpy_function(list(variables), expr)
    return fn


def _numpy_vector(exprs: list[sp.Expr], variables: Sequence[sp.Symbol]) -> plots.Func:
    fn: plots.Func = sp.lambdify(list(variables), exprs, "numpy")
    return fn


def _values(f: plots.Func, path: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(f(*path.T), dtype=float), path.shape[:1]).copy()


def _runs(result: Mapping[str, Any]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, path, the iteration of each point) for every run."""
    entries = result.get("runs") or [
        {"lr": None, "iterations": result["iterations"], "history": result["history"]}
    ]
    out = []
    for run in entries:
        path = np.array(run["history"], dtype=float)
        stride = max(1, int(run["iterations"]) // 200)
        label = "path" if run["lr"] is None else f"α = {run['lr']:g}"
        out.append((label, path, np.arange(len(path)) * stride))
    return out


def _converging(result: Mapping[str, Any]) -> list[bool]:
    """For each run, whether it stays in the picture (it does not diverge)."""
    if "runs" in result:
        return [run["status"] != "diverged" for run in result["runs"]]
    return [not result["diverged"]]


def _minimum(solution: Solution) -> np.ndarray | None:
    for section in solution.sections:
        if section.task == "stationary_points":
            for point in section.result.get("points", []):
                if point.get("kind") == "minimum":
                    return np.array(
                        [float(parse_number(point[v.name])) for v in solution.variables]
                    )
    for section in solution.sections:
        if section.task == "normal_equation":
            return np.array(
                [
                    float(parse_number(section.result["solution"][v.name]))
                    for v in solution.variables
                ]
            )
    return None


def _fitted_weights(section: Section) -> list[sp.Expr] | None:
    if section.task == "normal_equation":
        return [parse_number(v) for v in section.result["solution"].values()]
    if section.task == "gradient_descent" and not section.result["diverged"]:
        return [sp.Float(v) for v in section.result["final"].values()]
    return None


def _box(solution: Solution) -> list[tuple[float, float]]:
    """A region around every point the solution mentions (starts, paths, points, minima)."""
    n = len(solution.variables)
    points: list[np.ndarray] = []
    for section in solution.sections:
        if "at" in section.params:
            points.append(np.array([float(parse_number(v)) for v in section.params["at"]]))
        if section.task == "gradient_descent":
            runs = zip(_runs(section.result), _converging(section.result), strict=True)
            for (_, path, _), kept in runs:
                if kept:  # a diverging run would stretch the picture to 1e37
                    points += list(path[np.isfinite(path).all(axis=1)])
    minimum = _minimum(solution)
    if minimum is not None:
        points.append(minimum)
    if not points:
        return [(-3.0, 3.0)] * n
    cloud = np.array(points)
    low, high = cloud.min(axis=0), cloud.max(axis=0)
    pad = np.maximum(1.0, 0.3 * (high - low))
    return [(float(a), float(b)) for a, b in zip(low - pad, high + pad, strict=True)]


def draw(plans: Sequence[Plan], folder: Path) -> None:
    """Each planned figure to ``folder/name.pdf`` (vector) and ``folder/name.png``."""
    for p in plans:
        figure = p.draw()
        figure.savefig(folder / f"{p.name}.pdf")
        figure.savefig(folder / f"{p.name}.png", dpi=150)


def attach(solution: Solution, plans: Sequence[Plan]) -> Solution:
    """The solution with each figure placed after its section's steps (or the statement)."""
    setup = list(solution.setup)
    sections = list(solution.sections)
    for p in plans:
        step = Step.of(p.title, Picture(p.name, p.caption))
        if p.section is None:
            setup.append(step)
        else:
            s = sections[p.section]
            sections[p.section] = dataclasses.replace(s, steps=(*s.steps, step))
    return dataclasses.replace(solution, setup=tuple(setup), sections=tuple(sections))


@dataclass(frozen=True)
class Gallery:
    """A solution's figures for a notebook: shown inline as PNGs with their captions."""

    plans: tuple[Plan, ...]

    def __iter__(self) -> Iterator[Figure]:
        return (p.draw() for p in self.plans)

    def __len__(self) -> int:
        return len(self.plans)

    def save(self, folder: str | Path) -> None:
        """Each figure as ``folder/name.pdf`` and ``folder/name.png``."""
        Path(folder).mkdir(parents=True, exist_ok=True)
        draw(self.plans, Path(folder))

    def _repr_html_(self) -> str:
        parts = []
        for p in self.plans:
            buffer = io.BytesIO()
            p.draw().savefig(buffer, format="png", dpi=96)
            data = base64.b64encode(buffer.getvalue()).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(p.title)}"/>'
                f"<figcaption>{html.escape(p.caption)}</figcaption></figure>"
            )
        return "\n".join(parts)
