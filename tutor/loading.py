"""A problem file read into a :class:`~tutor.problem.Problem`: the schema (:mod:`tutor.problem`),
the objective built from a model and its data (:mod:`tutor.objective`), how that is shown
(:mod:`tutor.statement`), and the tasks' parameters (each task's own schema).

>>> p = problem_from_dict({"title": "t", "variables": ["x"], "objective": "x**2",
...                        "tasks": ["partials"]})
>>> p.variables, p.objective, p.name.text
((x,), x**2, 'f')
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import sympy as sp

from . import objective as objectives
from . import statement
from .data import load_data
from .document import Formula, Label, Step
from .errors import ExpressionError, InputError
from .expr import check_name
from .losses import LOSSES
from .phrasing.catalogs import known_language
from .problem import Problem, constants, expression, task_call, validate, variables
from .render.mathprint import math_latex, unicode_name
from .tasks import TASKS
from .yamlfile import read_yaml


def load(path: str | Path, raw: Any = None) -> Problem:
    """Read and validate the problem file at ``path`` (``raw``: its YAML, already read)."""
    if raw is None:
        raw = read_yaml(path)
    try:
        problem = problem_from_dict(raw, base_dir=Path(path).parent)
    except InputError as exc:
        raise exc.located(file=str(path)) from None
    return dataclasses.replace(problem, path=str(path))


def problem_from_dict(raw: Any, *, base_dir: Path = Path(".")) -> Problem:
    """Validate a parsed problem file and build its objective."""
    spec = validate(raw)
    symbols = variables(spec.variables)
    names: dict[str, sp.Expr] = {v.name: v for v in symbols}
    given = constants(spec.constants, names)
    names.update(given)
    setup: tuple[Step, ...] = ()
    model = None
    if spec.objective is not None:
        value = expression(spec.objective, names, "objective")
        shown = expression(spec.objective, names, "objective", evaluate=False)
        display: Formula = shown
        label = _label(spec.name or "f", "name")
    else:
        assert spec.model is not None and spec.data is not None
        try:
            data = load_data(spec.data, base_dir)
        except InputError as exc:
            raise exc.located(key="data") from None
        loss = LOSSES[spec.loss or "sse"]
        model = objectives.fitted_model(spec.model, names, symbols, data, loss)
        label = _label(spec.name or loss.name, "name")
        built = objectives.build(model)
        value, shown = built.value, built.shown
        setup, display = statement.setup(model, built, label)
    known = {name: task.params for name, task in TASKS.items()}
    return Problem(
        title=spec.title,
        source=spec.source,
        description=spec.description,
        variables=symbols,
        objective=value,
        objective_shown=shown,
        objective_display=display,
        name=label,
        tasks=tuple(task_call(entry, i, known) for i, entry in enumerate(spec.tasks)),
        constants=given,
        model=model,
        setup=setup,
        lang=known_language(spec.lang),
        grading=spec.grading,
    )


def _label(name: Any, key: str) -> Label:
    """The objective's name as each format writes it: ``SSE`` is upright, ``β`` a symbol."""
    try:
        check_name(name)
    except ExpressionError as exc:
        raise exc.with_key(key) from None
    if len(name) == 1 or unicode_name(name) != name:
        latex = math_latex(sp.Symbol(name))
    else:
        latex = "\\mathrm{" + name.replace("_", "\\_") + "}"
    return Label(unicode_name(name), latex)
