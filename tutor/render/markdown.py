"""Markdown with ``$`` and ``$$`` math, as the lesson texts are written (MathJax/KaTeX)."""

from __future__ import annotations

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
from .base import DocumentPrinter, check_line
from .latex import LatexPrinter, escape_web_math_text
from .mathprint import math_latex, math_text


class _WebLatexPrinter(LatexPrinter):
    text_in_math = staticmethod(escape_web_math_text)
    page = False  # a browser's math scrolls; MathJax's aligned takes no tags


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#|$"})
#: A description keeps its Markdown emphasis and code, but HTML and links are shown as text: a
#: stranger's <script> or [link](javascript:...) must not run wherever the Markdown becomes
#: HTML (Jupyter's _repr_markdown_, a course site).
_MD_DESCRIPTION = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


class MarkdownPrinter(DocumentPrinter):
    """``Solution.to_markdown()``; equations reuse the LaTeX printer's ``aligned`` rows."""

    def __init__(self) -> None:
        self._latex = _WebLatexPrinter()

    def words(self, text: str) -> str:
        return text.translate(_MD_SPECIAL)

    def label(self, label: Label) -> str:
        return f"${label.latex}$"

    def formula(self, expr: sp.Basic) -> str:
        return f"${math_latex(expr)}$"

    def _print_Solution(self, sol: Solution) -> str:
        out = [f"# {self.words(sol.title)}", ""]
        if sol.source:
            out += [self.words(phrasing.text("head.source", source=sol.source)), ""]
        if sol.description:
            out += [sol.description.strip().translate(_MD_DESCRIPTION), ""]
        out.append(self.said("head.variables", variables=phrasing.listed(sol.variables)))
        if sol.constants:
            out += ["", self.said("head.constants", constants=phrasing.listed(sol.constants))]
        out += [
            "",
            f"$${sol.name.latex} = {self._latex.math(sol.objective_formula)}$$",
            "",
        ]
        if sol.setup:
            out += [f"## {self.words(phrasing.text('head.setup'))}", ""]
            out += [self.print(step) for step in sol.setup]
        for i, section in enumerate(sol.sections, start=1):
            out.append(self._section(i, section))
        return "\n".join(out).rstrip() + "\n"

    def _section(self, index: int, section: Section) -> str:
        out = [f"## {index}. {self.words(section.title)}", ""]
        out += [self.print(step) for step in section.steps]
        if section.checks:
            out += [f"**{self.words(phrasing.text('head.checks'))}**", ""]
            out += [f"- {self.words(check_line(c))}" for c in section.checks]
            out.append("")
        return "\n".join(out)

    def _print_Step(self, step: Step) -> str:
        out = [f"**{self.title(step.title)}**", ""]
        for block in step.blocks:
            out += [self.print(block), ""]
        return "\n".join(out)

    def _print_Paragraph(self, p: Paragraph) -> str:
        return "".join(self.inline(part) for part in p.parts)

    def _print_Equation(self, eq: Equation) -> str:
        rows = self._latex.align_rows(eq)
        return "$$\n\\begin{aligned}\n" + rows + "\n\\end{aligned}\n$$"

    def _print_Table(self, table: Table) -> str:
        head = "| " + " | ".join(self.inline(h) for h in table.headers) + " |"
        rule = "|" + "|".join(":---:" for _ in table.headers) + "|"
        rows = ["| " + " | ".join(self.inline(c) for c in row) + " |" for row in table.rows]
        return "\n".join([head, rule, *rows])

    def _print_Diagram(self, diagram: Diagram) -> str:
        """A Mermaid flowchart (GitHub, GitLab and Jupyter render it), labels in plain text."""

        def text(part: object) -> str:
            shown = part.text if isinstance(part, Label) else math_text(part)
            return shown.replace('"', "#quot;")

        lines = ["```mermaid", "flowchart LR"]
        for i, n in enumerate(diagram.nodes):
            label = text(n.name) if n.op is None else f"{text(n.name)} = {text(n.op)}"
            lines.append(f'  n{i}(("{label}"))')
        lines += [f'  n{e.source} -->|"{text(e.label)}"| n{e.target}' for e in diagram.edges]
        lines.append("```")
        return "\n".join(lines)

    def _print_Picture(self, picture: Picture) -> str:
        caption = picture.caption.replace("]", "\\]")
        return f"![{caption}]({picture.name}.png)"
