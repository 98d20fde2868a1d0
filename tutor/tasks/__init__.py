"""The tasks of SPEC §2: one module each, ``run(ctx, params) -> Section``, registered here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from ..document import Paragraph, Section, Step
from ..errors import InputError
from . import (
    backprop,
    convexity,
    descent,
    directional,
    gradient,
    hessian,
    normal_equation,
    partials,
    stationary,
    taylor,
)
from .context import Context


@dataclass(frozen=True)
class Task:
    """A task's name, its parameter schema, and the function that works it out."""

    name: str
    params: type[pydantic.BaseModel]
    run: Callable[[Context, Any], Section]


TASKS: dict[str, Task] = {
    module.NAME: Task(module.NAME, module.Params, module.run)
    for module in (
        partials,
        gradient,
        directional,
        hessian,
        taylor,
        convexity,
        stationary,
        normal_equation,
        descent,
        backprop,
    )
}


def parse_tasks(raw: list[Any]) -> tuple[Any, ...]:
    """Validate the ``tasks`` list: bare names or one-key mappings ``name: {params}``."""
    from ..problem import TaskCall, _pydantic_error

    calls = []
    for i, entry in enumerate(raw):
        key = f"tasks[{i}]"
        params: Any
        if isinstance(entry, str):
            name, params = entry, {}
        elif isinstance(entry, Mapping) and len(entry) == 1:
            name, params = next(iter(entry.items()))
            params = {} if params is None else params
            if not isinstance(name, str):
                raise InputError("a task name must be text", key=key)
            if not isinstance(params, Mapping):
                raise InputError("expected a mapping of parameters", key=f"{key}.{name}")
        else:
            raise InputError("expected a task name, or one  name: {params}  mapping", key=key)
        task = TASKS.get(name)
        if task is None:
            known = ", ".join(TASKS)
            raise InputError(f"unknown task {name!r} (known: {known})", key=key)
        try:
            validated = task.params.model_validate(params)
        except pydantic.ValidationError as exc:
            raise _pydantic_error(exc, task.params).located(key=f"{key}.{name}") from None
        calls.append(TaskCall(name, validated, f"{key}.{name}"))
    return tuple(calls)


def stopped_section(ctx: Context, name: str, seconds: float) -> Section:
    """The section of a task a time limit stopped: what it had finished, and why it stops.

    What the problem's context already derived (each partial derivative, in the form first
    derived, before tidying) is shown; nothing is claimed beyond it."""
    from ..document import Equation

    reason = f"stopped after {seconds:g} s (the per-task limit, --task-timeout)"
    steps = [
        Step.of(
            "Stopped",
            Paragraph.of(
                f"This task ran longer than {seconds:g} s and was stopped; what it had "
                "finished is below, and the other tasks are complete."
            ),
        )
    ]
    done = [(v, ctx.finished_rule(v)) for v in ctx.variables]
    shown = [Equation.chain(ctx.partial_label(v), rule.result) for v, rule in done if rule]
    if shown:
        steps.append(Step("Derived before the stop (not yet tidied)", tuple(shown)))
    title = name.replace("_", " ").capitalize()
    return Section(name, title, {}, {}, tuple(steps), (), complete=False, stopped=reason)


def refused_section(name: str, error: InputError) -> Section:
    """A task its input made impossible (a point where f has no value, a point of the wrong
    length): what was wrong and how to fix it, in place of the task; the others are done."""
    message = str(error)
    step = Step.of(
        "Not done",
        Paragraph.of(f"This task could not be done: {error.message}. The other tasks are done."),
    )
    title = name.replace("_", " ").capitalize()
    return Section(
        name, title, {}, {}, (step,), (), complete=False, stopped=message, refused=message
    )
