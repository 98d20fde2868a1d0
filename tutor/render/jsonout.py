"""JSON per SPEC §4: exact values as SymPy-readable strings, numbers as JSON numbers."""

from __future__ import annotations

from typing import Any

from ..document import Section, Solution, Step
from .latex import LatexPrinter
from .text import TextPrinter


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
        "result": dict(section.result),
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


def derivation_dict(sol: Solution, expr: str) -> dict[str, Any]:
    """``tutor derive --format json``: ``{expr, wrt, result, steps, check}``."""
    partials = sol.sections[0]
    out = {
        "expr": expr,
        "wrt": [v.name for v in sol.variables],
        "result": dict(partials.result),
        "steps": [step_dict(s) for s in partials.steps],
        "check": partials.check_summary(),
    }
    if len(sol.sections) > 1:
        out["gradient"] = section_dict(sol.sections[1])
    return out
