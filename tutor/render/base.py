"""The visitor every document printer is: ``_print_<Node>`` found along the node's MRO."""

from __future__ import annotations

from typing import Any

import sympy as sp

from .. import phrasing
from ..document import Check, Label, Paragraph, Section, Solution


class DocumentPrinter:
    """Walks a :class:`~tutor.document.Solution`; subclasses give one method per node type."""

    def print(self, node: Any) -> str:
        for cls in type(node).__mro__:
            method = getattr(self, f"_print_{cls.__name__}", None)
            if method is not None:
                return str(method(node))
        raise TypeError(f"{type(self).__name__} cannot print {type(node).__name__}")

    def inline(self, part: Any) -> str:
        """Words are escaped for the format; formulas are typeset."""
        if isinstance(part, str):
            return self.words(part)
        if isinstance(part, Label):
            return self.label(part)
        return self.formula(part)

    def words(self, text: str) -> str:
        return text

    def label(self, label: Label) -> str:
        raise NotImplementedError

    def formula(self, expr: sp.Basic) -> str:
        raise NotImplementedError

    def title(self, title: str | Label | Paragraph) -> str:
        if isinstance(title, Paragraph):
            return "".join(self.inline(part) for part in title.parts)
        return self.words(title) if isinstance(title, str) else self.label(title)

    def said(self, key: str, **parts: Any) -> str:
        """A message of the printers' own (``Variables: a, b``) in this printer's markup."""
        return "".join(self.inline(part) for part in phrasing.phrase(key, **parts))

    def document(self, solution: Solution) -> str:
        return self.print(solution)


def check_line(check: Check) -> str:
    """One line per check, by its kind, in the active language.

    ``✓ what: max |error| 3.6e-15 (tolerance 1e-09; method)``, ``✓ what: all 12 agree
    (method)``, ``– unchecked: what (reason; method)``.
    """
    if check.kind == "unchecked":
        return phrasing.text(
            "check.line.unchecked", what=check.what, reason=check.reason, method=check.method
        )
    mark = "✓" if check.ok else phrasing.text("check.failed")
    if check.kind == "symbolic":
        detail = (
            phrasing.text("check.disagree", failed=check.failed, total=check.count)
            if check.failed
            else phrasing.text("check.agree", check.count, total=check.count)
        )
        return phrasing.text(
            "check.line", mark=mark, what=check.what, detail=detail, method=check.method
        )
    return phrasing.text(
        "check.line.numeric",
        mark=mark,
        what=check.what,
        error=f"{check.max_abs_err:.2g}",
        tolerance=f"{check.tolerance:.1g}",
        method=check.method,
    )


def section_heading(index: int, section: Section) -> str:
    return f"{index}. {section.title}"
