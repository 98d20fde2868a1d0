"""JSON per SPEC §4: exact values as SymPy-readable strings, numbers as JSON numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from ..document import Label, Paragraph, Section, Solution, Step
from .latex import LatexPrinter
from .text import TextPrinter


def plain(value: Any) -> Any:
    """A result's value as JSON: a formula as its SymPy-readable string, a sentence as its
    text, a tuple or array as a list, a mapping key by key.

    >>> x = sp.Symbol("x")
    >>> plain({"expr": (2 * x, x**2), "ok": True, "why": Paragraph.of("at ", x, " = 1")})
    {'expr': ['2*x', 'x**2'], 'ok': True, 'why': 'at x = 1'}
    """
    if isinstance(value, str | bool | int | float) or value is None:
        return value
    if isinstance(value, Paragraph):
        return TextPrinter().print(value)
    if isinstance(value, Label):
        return value.text
    if isinstance(value, sp.Basic):
        return str(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def result_dict(outcome: Any) -> dict[str, Any]:
    """SPEC §4's ``result`` of a task's typed outcome."""
    out: dict[str, Any] = plain(outcome.to_json())
    return out


def step_dict(step: Step) -> dict[str, Any]:
    """A step as JSON: its title and its blocks rendered as text and as LaTeX."""
    text, latex = TextPrinter(), LatexPrinter()
    return {
        "title": text.title(step.title),
        "text": "\n".join(text.print(b) for b in step.blocks),
        "latex": "\n".join(latex.print(b) for b in step.blocks),
    }


def section_dict(section: Section) -> dict[str, Any]:
    return {
        "task": section.task,
        "params": dict(section.params),
        "result": result_dict(section.result),
        "steps": [step_dict(s) for s in section.steps],
        "check": section.check_summary(),
        "checks": [c.to_dict() for c in section.checks],
        "complete": section.complete,
        **({"reason": section.stopped} if section.stopped else {}),
        **({"refused": section.refused} if section.refused else {}),
    }


def solution_dict(sol: Solution) -> dict[str, Any]:
    return {
        "title": sol.title,
        "source": sol.source,
        "variables": [v.name for v in sol.variables],
        "name": sol.name.text,
        "objective": str(sol.objective),
        "objective_latex": LatexPrinter().math(sol.objective_formula),
        "setup": [step_dict(s) for s in sol.setup],
        "tasks": [section_dict(s) for s in sol.sections],
        "ok": sol.ok,
        "complete": sol.complete,
    }


def derivation_dict(sol: Solution) -> dict[str, Any]:
    """``tutor derive --format json``: ``{expr, wrt, result, steps, check}``."""
    partials = sol.sections[0]
    out = {
        "expr": sol.expression,
        "wrt": [v.name for v in sol.variables],
        "result": result_dict(partials.result),
        "steps": [step_dict(s) for s in partials.steps],
        "check": partials.check_summary(),
    }
    if len(sol.sections) > 1:
        out["gradient"] = section_dict(sol.sections[1])
    return out
