"""The tasks of SPEC §2: one module each, ``run(ctx, params) -> Section``, registered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydantic

from .. import phrasing
from ..document import Equation, Section, Step
from ..errors import InputError
from ..outcome import Empty
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
    title: str  # the message key of its section's title


TASKS: dict[str, Task] = {
    module.NAME: Task(module.NAME, module.Params, module.run, module.TITLE)
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


def stopped_section(ctx: Context, name: str, seconds: float) -> Section:
    """The section of a task a time limit stopped: what it had finished, and why it stops.

    What the problem's context already derived (each partial derivative, in the form first
    derived, before tidying) is shown; nothing is claimed beyond it."""
    reason = phrasing.text("steps.stopped.reason", seconds=seconds)
    steps = [
        Step.of(
            phrasing.text("steps.stopped.title"), phrasing.say("steps.stopped", seconds=seconds)
        )
    ]
    done = [(v, ctx.finished_rule(v)) for v in ctx.variables]
    shown = [Equation.chain(ctx.partial_label(v), rule.result) for v, rule in done if rule]
    if shown:
        steps.append(Step(phrasing.text("steps.stopped.derived"), tuple(shown)))
    return Section(
        name, _title(name), {}, Empty(), tuple(steps), (), complete=False, stopped=reason
    )


def refused_section(name: str, error: InputError) -> Section:
    """A task its input made impossible (a point where f has no value, a point of the wrong
    length): what was wrong and how to fix it, in place of the task; the others are done."""
    lang = phrasing.LANGUAGE.get()
    message = str(error.located(lang=lang))
    step = Step.of(
        phrasing.text("steps.refused.title"),
        phrasing.say("steps.refused", error=error.said(error.lang or lang)),
    )
    return Section(
        name,
        _title(name),
        {},
        Empty(),
        (step,),
        (),
        complete=False,
        stopped=message,
        refused=message,
    )


def _title(name: str) -> str:
    """A task's section title, in the solution's language."""
    return phrasing.text(TASKS[name].title)
