"""Which pictures a worked solution gets, drawing them to files, and placing them in it.

One or two variables: the objective's surface with its contour map (the curve for one).
Then each task's outcome asks for what helps it (:meth:`tutor.outcome.Outcome.figures`),
and each kind is drawn the one way here, whichever task asked:

- :class:`~tutor.outcome.DescentPaths`: the paths over the contour map (two variables or
  fewer), the minimum marked, and the loss per iteration (a sweep's rates on one plot);
- :class:`~tutor.outcome.GradientField` (two variables): level curves with gradient arrows;
- :class:`~tutor.outcome.Tangent` (one variable): f with its tangent line;
- :class:`~tutor.outcome.Fit` (one input): the data and the fitted curve.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
from matplotlib.figure import Figure as MplFigure

from . import phrasing, plots
from .document import Picture, Solution, Step
from .expr import ordered
from .numeric.compile import numpy_function
from .outcome import DescentPaths, Figure, Fit, GradientField, Minimum, Run, Tangent
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
    draw: Callable[[], MplFigure]


def plan(solution: Solution) -> list[Plan]:
    """The figures that help this solution, not yet drawn: the objective's surface (or
    curve), then what each section's outcome asks for, drawn by kind."""
    variables = solution.variables
    n = len(variables)
    names = [math_text(v) for v in variables] + [solution.name.text]
    f = _numpy(solution.objective, variables)
    requests = [(i, r) for i, s in enumerate(solution.sections) for r in s.result.figures()]
    box = _box(n, [r for _, r in requests])
    minimum = next((r.at for _, r in requests if isinstance(r, Minimum)), None)
    scene = _Scene(solution, f, box, names, None if minimum is None else np.array(minimum))
    plans: list[Plan] = []
    # A loss summed over partitioned rows is a formula of no closed form here: every point
    # of its surface would be a pass over the data.
    if n <= 2 and not solution.objective.has(sp.Sum):
        plans.append(
            Plan(
                "surface",
                phrasing.text("figure.curve.title" if n == 1 else "figure.surface.title"),
                phrasing.text("figure.curve" if n == 1 else "figure.surface", f=solution.name.text),
                None,
                lambda: plots.draw_surface(f, box, names),
            )
        )
    for i, request in requests:
        draw = _DRAWERS.get(type(request))
        if draw is not None:
            plans += draw(scene, i, request)
    lang = phrasing.LANGUAGE.get()
    return [dataclasses.replace(p, draw=_localised(p.draw, lang)) for p in plans]


def _localised(draw: Callable[[], MplFigure], lang: str) -> Callable[[], MplFigure]:
    """``draw`` in the solution's language (its labels), in fonts that have its letters."""

    def drawn() -> MplFigure:
        with phrasing.language(lang):
            return plots.use_fonts(draw())

    return drawn


@dataclass(frozen=True)
class _Scene:
    """What every figure of one solution shares: f in NumPy, the box, the axis names."""

    solution: Solution
    f: plots.Func
    box: list[tuple[float, float]]
    names: list[str]
    minimum: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.solution.variables)


def _paths(scene: _Scene, i: int, request: DescentPaths) -> list[Plan]:
    runs = [
        (_run_label(run), run.path, run.steps)
        if not run.diverged
        else (_run_label(run), run.path[:DIVERGING_SHOWN], run.steps[:DIVERGING_SHOWN])
        for run in request.runs
    ]
    f, box, names, minimum, k = scene.f, scene.box, scene.names, scene.minimum, i + 1
    name = scene.solution.name.text
    out: list[Plan] = []
    if scene.n <= 2:
        caption = phrasing.text(
            "figure.path",
            each=phrasing.text("figure.path.each") if len(runs) > 1 else "",
            minimum=phrasing.text("figure.path.minimum") if minimum is not None else ".",
        )
        out.append(
            Plan(
                f"descent-{k}",
                phrasing.text("figure.path.title"),
                caption,
                i,
                lambda: plots.draw_path(
                    f, box, [(label, path) for label, path, _ in runs], minimum, names
                ),
            )
        )
    out.append(
        Plan(
            f"loss-{k}",
            phrasing.text("figure.loss.title"),
            phrasing.text("figure.loss", count=len(runs), f=name),
            i,
            lambda: plots.draw_losses(
                [(label, steps, _values(f, path)) for label, path, steps in runs], name
            ),
        )
    )
    return out


def _run_label(run: Run) -> str:
    return "path" if run.lr is None else f"α = {run.lr:g}"


def _field(scene: _Scene, i: int, request: GradientField) -> list[Plan]:
    if scene.n != 2:
        return []
    at = np.array(request.at, dtype=float)
    grad = _numpy_vector(list(request.gradient), scene.solution.variables)
    f, box, names = scene.f, scene.box, scene.names
    return [
        Plan(
            f"gradient-{i + 1}",
            phrasing.text("figure.gradient.title"),
            phrasing.text("figure.gradient"),
            i,
            lambda: plots.draw_gradient_field(f, grad, box, at, names),
        )
    ]


def _tangent(scene: _Scene, i: int, request: Tangent) -> list[Plan]:
    if scene.n != 1:
        return []
    f, box, names = scene.f, scene.box, scene.names
    variable = math_text(scene.solution.variables[0])
    caption = phrasing.text(
        "figure.tangent", f=scene.solution.name.text, x=variable, at=f"{request.at:g}"
    )
    return [
        Plan(
            f"tangent-{i + 1}",
            phrasing.text("figure.tangent.title"),
            caption,
            i,
            lambda: plots.draw_tangent(f, box[0], request.at, request.slope, names),
        )
    ]


def _fit(scene: _Scene, i: int, request: Fit) -> list[Plan]:
    curve = _numpy(request.curve, [request.input])
    fitted = math_text(ordered_float(request.fitted))
    label = (
        f"P({request.output} = 1) = σ({fitted})"
        if request.score
        else f"{request.output} = {fitted}"
    )
    axes = [request.input.name, request.output]
    x, y = request.x, request.y
    return [
        Plan(
            f"fit-{i + 1}",
            phrasing.text("figure.fit.title"),
            phrasing.text("figure.fit", label=label),
            i,
            lambda: plots.draw_fit(x, y, curve, axes, label),
        )
    ]


#: Each kind of figure a task's outcome may ask for, and how it is drawn.
_DRAWERS: dict[type, Callable[[_Scene, int, Any], list[Plan]]] = {
    DescentPaths: _paths,
    GradientField: _field,
    Tangent: _tangent,
    Fit: _fit,
}


def ordered_float(expr: sp.Expr) -> sp.Expr:
    """Coefficients to 4 significant digits, for a legend."""
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


def _box(n: int, requests: Sequence[Figure]) -> list[tuple[float, float]]:
    """A region around every point the solution mentions (starts, paths, points, minima)."""
    points = [p for r in requests for p in r.points]
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
        figure.savefig(folder / f"{p.name}.pdf", metadata=_dated())
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

    def __iter__(self) -> Iterator[MplFigure]:
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


def _dated() -> dict[str, Any]:
    """The PDF figure's creation date: the batch's (:data:`tutor.output.SOURCE_DATE`), else
    matplotlib's own (SOURCE_DATE_EPOCH, else now)."""
    import datetime

    from .output import SOURCE_DATE

    date = SOURCE_DATE.get()
    if date is None:
        return {}
    return {"CreationDate": datetime.datetime.fromtimestamp(date, tz=datetime.UTC)}
