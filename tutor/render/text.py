"""Plain Unicode text for a terminal: the worked solution as a student reads it."""

from __future__ import annotations

import unicodedata

import sympy as sp

from .. import phrasing
from ..document import (
    Diagram,
    Equation,
    Label,
    Paragraph,
    Picture,
    Section,
    Solution,
    Step,
    Table,
)
from .base import DocumentPrinter, check_line, section_heading
from .mathprint import math_text

INDENT = "  "


def columns(text: str) -> int:
    """The terminal columns ``text`` takes: a Chinese character takes two. Every alignment
    of this printer (headings, equations, tables, the graph) measures with it.

    >>> columns("偏导数"), columns("Gradient")
    (6, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def padded(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal columns (:func:`columns`)."""
    return text + " " * (width - columns(text))


class TextPrinter(DocumentPrinter):
    """``Solution.to_text()``: headings underlined, equations aligned on ``=``."""

    def label(self, label: Label) -> str:
        return label.text

    def formula(self, expr: sp.Basic) -> str:
        return math_text(expr)

    def _print_Solution(self, sol: Solution) -> str:
        out = [sol.title, "=" * columns(sol.title)]
        if sol.source:
            out.append(phrasing.text("head.source", source=sol.source))
        if sol.description:
            out += ["", sol.description.strip()]
        variables = ", ".join(math_text(v) for v in sol.variables)
        out += ["", phrasing.text("head.variables", variables=variables)]
        if sol.constants:
            constants = ", ".join(math_text(c) for c in sol.constants)
            out.append(phrasing.text("head.constants", constants=constants))
        objective = f"{sol.name.text} = {self.inline(sol.objective_formula)}"
        out.append(phrasing.text("head.objective", objective=objective))
        for step in sol.setup:
            out += ["", self.print(step)]
        for i, section in enumerate(sol.sections, start=1):
            out += ["", self._section(i, section)]
        return "\n".join(out).rstrip() + "\n"

    def _section(self, index: int, section: Section) -> str:
        heading = section_heading(index, section)
        out = [heading, "-" * columns(heading)]
        for step in section.steps:
            out += [self.print(step), ""]
        if section.checks:
            out.append(phrasing.text("head.checks"))
            out += [INDENT + check_line(c) for c in section.checks]
        return "\n".join(out).rstrip()

    def _print_Step(self, step: Step) -> str:
        lines = [self.title(step.title)]
        for block in step.blocks:
            text = self.print(block)
            lines += [INDENT + line if line else "" for line in text.split("\n")]
        return "\n".join(lines)

    def _print_Paragraph(self, p: Paragraph) -> str:
        return "".join(self.inline(part) for part in p.parts)

    def _print_Equation(self, eq: Equation) -> str:
        lhs = self.inline(eq.lhs) if eq.lhs is not None else ""
        rows: list[list[str]] = []
        for link in eq.links:
            piece = (
                f" {link.relation} {self.inline(link.expr)}"
                if link.relation
                else (f" {self.inline(link.expr)}")
            )
            if rows and link.relation == "⇒":
                rows[-1][0] += f"   ⇒ {self.inline(link.expr)}"
                continue
            head = lhs if not rows else " " * columns(lhs)
            rows.append([(head + piece) if lhs else piece.lstrip(), link.note])
        width = max(columns(r[0]) for r in rows)
        lines = []
        for i, (text, note) in enumerate(rows):
            tag = f"({eq.tag})" if eq.tag and i == 0 else ""
            extra = "    ".join(x for x in (tag, f"[{note}]" if note else "") if x)
            lines.append(f"{padded(text, width)}    {extra}" if extra else text)
        return "\n".join(lines)

    def _print_Table(self, table: Table) -> str:
        cells = [[self.inline(h) for h in table.headers]]
        cells += [[self.inline(c) for c in row] for row in table.rows]
        widths = [max(columns(row[j]) for row in cells) for j in range(len(cells[0]))]
        lines = [
            "  ".join(padded(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        ]
        if table.caption:
            lines.insert(0, table.caption)
        return "\n".join(lines)

    def _print_Diagram(self, diagram: Diagram) -> str:
        """Leaves, then each node with the edges into it: ``v = bc  ← b [c], c [b]``."""
        names = [self.inline(n.name) for n in diagram.nodes]
        leaves = [names[i] for i, n in enumerate(diagram.nodes) if n.op is None]
        lines = [phrasing.text("diagram.leaves", leaves=", ".join(leaves))]
        rows = []
        for i, node in enumerate(diagram.nodes):
            if node.op is None:
                continue
            inputs = ", ".join(
                f"{names[e.source]} [{self.inline(e.label)}]"
                for e in diagram.edges
                if e.target == i
            )
            rows.append((f"{names[i]} = {self.inline(node.op)}", inputs))
        width = max(columns(r[0]) for r in rows) if rows else 0
        lines += [f"{padded(left, width)}  ← {right}" for left, right in rows]
        return "\n".join(lines)

    def _print_Picture(self, picture: Picture) -> str:
        shown = phrasing.text("head.figure", name=f"{picture.name}.png", caption=picture.caption)
        return f"[{shown}]"
