"""The printers registered with the document model (:data:`tutor.document.FORMATS`), so that
``Solution.to_text()`` and a notebook's display work while the document module imports no
printer. ``import tutor`` imports this module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .document import FORMATS, Section, Solution
from .phrasing import language
from .render.jsonout import derivation_dict, result_dict, solution_dict
from .render.latex import LatexPrinter
from .render.markdown import MarkdownPrinter
from .render.text import TextPrinter


def _figures(solution: Solution) -> Any:
    from .figures import Gallery, plan  # matplotlib: loaded when a figure is asked for

    return Gallery(tuple(plan(solution)))


def _section(printer: TextPrinter | MarkdownPrinter) -> Any:
    return lambda section: printer._section(1, section)


def _in_its_language(printer: Callable[[Solution], Any]) -> Callable[[Solution], Any]:
    """A printer that says its own words in the solution's language."""

    def printed(solution: Solution) -> Any:
        with language(solution.lang):
            return printer(solution)

    return printed


FORMATS.update(
    {
        "text": _in_its_language(lambda solution: TextPrinter().document(solution)),
        "markdown": _in_its_language(lambda solution: MarkdownPrinter().document(solution)),
        "latex": _in_its_language(lambda solution: LatexPrinter().document(solution)),
        "dict": solution_dict,
        "derivation": derivation_dict,
        "json-result": result_dict,
        "text-section": _section(TextPrinter()),
        "markdown-section": _section(MarkdownPrinter()),
        "figures": _figures,
    }
)

__all__ = ["FORMATS", "Section"]
