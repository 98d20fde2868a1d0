"""A standalone LaTeX document: sections per task, derivations in ``align*`` chains.

Every piece of the problem file's text is escaped (:func:`escape`), so a title cannot run
TeX commands.
"""

from __future__ import annotations

import re
import unicodedata

import sympy as sp

from .. import phrasing
from ..document import (
    Check,
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
from .mathprint import broken_product, broken_sum, math_latex, math_text

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "−": r"\ensuremath{-}",
    "∂": r"\ensuremath{\partial}",
    "∇": r"\ensuremath{\nabla}",
    "≈": r"\ensuremath{\approx}",
    "⇒": r"\ensuremath{\Rightarrow}",
    "≤": r"\ensuremath{\le}",
    "×": r"\ensuremath{\times}",
    "·": r"\ensuremath{\cdot}",
    "Σ": r"\ensuremath{\Sigma}",
    "✓": r"\ensuremath{\checkmark}",
    "✗": r"\ensuremath{\times}",
    "⋯": r"\ensuremath{\cdots}",
    "√": r"\ensuremath{\surd}",
    "‖": r"\ensuremath{\|}",
    "∞": r"\ensuremath{\infty}",
    "–": "--",
    "ö": r"\"{o}",
    "±": r"\ensuremath{\pm}",
    "∓": r"\ensuremath{\mp}",
    "≥": r"\ensuremath{\ge}",
    "ŵ": r"\ensuremath{\hat{w}}",
    "ŷ": r"\ensuremath{\hat{y}}",
    "π": r"\ensuremath{\pi}",
    "½": r"\ensuremath{\tfrac{1}{2}}",
    "∈": r"\ensuremath{\in}",
    "∪": r"\ensuremath{\cup}",
    "→": r"\ensuremath{\to}",
    "←": r"\ensuremath{\leftarrow}",
    "ⁿ": r"\textsuperscript{n}",
    "ₙ": r"\textsubscript{n}",
    "₊": r"\textsubscript{+}",
    "⁽": r"\textsuperscript{(}",
    "⁾": r"\textsuperscript{)}",
    "ᵏ": r"\textsuperscript{k}",
    "ₖ": r"\textsubscript{k}",
    "ⱼ": r"\textsubscript{j}",
    **{
        g: rf"\ensuremath{{\{name}}}"
        for g, name in (
            ("α", "alpha"),
            ("β", "beta"),
            ("γ", "gamma"),
            ("δ", "delta"),
            ("ε", "epsilon"),
            ("η", "eta"),
            ("θ", "theta"),
            ("λ", "lambda"),
            ("μ", "mu"),
            ("σ", "sigma"),
            ("τ", "tau"),
            ("φ", "phi"),
            ("ω", "omega"),
            ("ρ", "rho"),
            ("ξ", "xi"),
            ("ν", "nu"),
            ("κ", "kappa"),
        )
    },
    **{
        s: rf"\textsuperscript{{{t}}}"
        for s, t in zip("ᵀ⁺⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "T+-0123456789", strict=True)
    },
    **{s: rf"\textsubscript{{{t}}}" for s, t in zip("ᵢ₀₁₂₃₄₅₆₇₈₉", "i0123456789", strict=True)},
}
_BAR = re.compile("(.)\u0304")
#: A comment before each part of the document naming the problem's key it comes from, so that
#: a LaTeX error can be traced to the input (``% tutor-source: tasks[2] (hessian)``).
SOURCE_MARK = "% tutor-source: "
_GREEK_WORD = re.compile("([\u0370-\u03ff\u1f00-\u1fff]{2,})")
_LONG_WORD = re.compile("[^\\s\x00\x01]{40,}")
_DOTTED = re.compile(r"(?<=[A-Za-z_])\.(?=[A-Za-z_])")
_RELATIONS = {
    "=": "=",
    "≈": r"\approx",
    "⇒": r"\Rightarrow",
    "<": "<",
    "≤": r"\le",
    "←": r"\leftarrow",
}
#: Characters of a formula's text form that fit on one line of the page (11pt, 2.5cm margins).
LINE_WIDTH = 72
#: A note longer than this is wrapped at the right margin.
NOTE_WIDTH = 40


def _width(part: object) -> int:
    """How wide a formula is, measured by its one-line text form (a fraction counts its
    numerator and denominator side by side: an overestimate, so a line never runs over)."""
    if isinstance(part, Label):
        return len(part.text)
    if isinstance(part, str):
        return len(part)
    if isinstance(part, sp.MatrixBase):
        return max((sum(_width(e) + 3 for e in row) for row in part.tolist()), default=0)
    return len(math_text(part))


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage{booktabs}
\usepackage{tikz}
\usepackage{graphicx}
\usepackage{float}
\usepackage[margin=2.5cm]{geometry}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
\setlength{\emergencystretch}{3em}
\allowdisplaybreaks
\renewcommand{\arraystretch}{1.45}
"""


def escape(text: str) -> str:
    r"""Text safe to put in a LaTeX document: every special character made literal.

    >>> escape(r"\input{/etc/passwd} 50% & $x_1$")
    '\\textbackslash{}input\\{/etc/passwd\\} 50\\% \\& \\$x\\_1\\$'
    """
    # Control and invisible format characters (NUL, ESC, a right-to-left override, a zero-width
    # joiner) carry no text to set; removed first, they also cannot forge the markers below.
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    text = _BAR.sub(lambda m: f"\x00{m.group(1)}\x01", text)  # x̄: a letter and a macron
    text = _LONG_WORD.sub(lambda m: "\x02".join(re.findall(".{1,20}", m.group())), text)
    # a dotted name (torch.autograd.functional.hessian) may break after each dot
    text = _DOTTED.sub(".\x02", text)
    # A Greek letter alone (α = 0.1) is set as math; a Greek word is text, for the fonts to set.
    out = "".join(
        part if _GREEK_WORD.fullmatch(part) else "".join(_SPECIAL.get(ch, ch) for ch in part)
        for part in _GREEK_WORD.split(text)
    )
    return (
        out.replace("\x00", r"\ensuremath{\bar{")
        .replace("\x01", "}}")
        .replace("\x02", r"\allowbreak{}")  # a 300-letter word may break, not run off the page
    )


#: In a web page's math (MathJax, KaTeX), \text{} shows Unicode as it is but treats
#: backslash escapes unevenly: LaTeX's special characters become harmless look-alikes.
_WEB_TEXT = str.maketrans(
    {
        "\\": "∖",
        "{": "(",
        "}": ")",
        "$": "＄",
        "&": "＆",
        "%": "％",
        "#": "＃",
        "_": "＿",
        "^": "ˆ",
        "~": "∼",
    }
)


def escape_web_math_text(text: str) -> str:
    """Text for \\text{} in MathJax or KaTeX: Unicode kept, LaTeX specials defused.

    >>> escape_web_math_text("(A − B)ᵀ & {x}")
    '(A − B)ᵀ ＆ (x)'
    """
    return text.translate(_WEB_TEXT)


class LatexPrinter(DocumentPrinter):
    """``Solution.to_latex()``: compiles with pdflatex; ``body`` alone for embedding."""

    #: How words inside math (\text{}) are escaped: for pdflatex here, for the web in Markdown.
    text_in_math = staticmethod(escape)

    def words(self, text: str) -> str:
        return escape(text)

    def label(self, label: Label) -> str:
        return f"${label.latex}$"

    def formula(self, expr: sp.Basic) -> str:
        return f"${math_latex(expr)}$"

    def math(self, part: object) -> str:
        if isinstance(part, Label):
            return part.latex
        if isinstance(part, str):
            return r"\text{" + self.text_in_math(part) + "}"
        return math_latex(part)

    def _print_Solution(self, sol: Solution) -> str:
        return (
            PREAMBLE
            + f"{SOURCE_MARK}title\n\\title{{{escape(sol.title)}}}\n\\date{{}}\n"
            + "\\begin{document}\n\\maketitle\n"
            + self.body(sol)
            + "\\end{document}\n"
        )

    def body(self, sol: Solution) -> str:
        out = []
        if sol.source:
            out.append(f"\\textit{{{escape(phrasing.text('head.source', source=sol.source))}}}\n")
        if sol.description:
            out.append(f"{SOURCE_MARK}description\n" + escape(sol.description.strip()) + "\n")
        out.append(f"{SOURCE_MARK}objective")
        out.append(self.said("head.variables", variables=phrasing.listed(sol.variables)) + "\n")
        if sol.constants:
            constants = phrasing.listed(sol.constants)
            out.append(self.said("head.constants", constants=constants) + "\n")
        objective = Equation.chain(sol.name, sol.objective_formula)
        out.append(
            self.said("head.objective", objective="").rstrip() + "\n" + self.print(objective) + "\n"
        )
        if sol.setup:
            out.append(f"\\section*{{{escape(phrasing.text('head.setup'))}}}\n")
            out += [self.print(step) for step in sol.setup]
        for i, section in enumerate(sol.sections):
            out += [f"{SOURCE_MARK}tasks[{i}] ({section.task})", self.print(section)]
        return "\n".join(out)

    def _print_Section(self, section: Section) -> str:
        out = [f"\\section{{{escape(section.title)}}}\n"]
        out += [self.print(step) for step in section.steps]
        if section.checks:
            out.append(f"\\paragraph{{{escape(phrasing.text('head.checks'))}}}\n\\begin{{itemize}}")
            out += [self.print(check) for check in section.checks]
            out.append("\\end{itemize}\n")
        return "\n".join(out)

    def _print_Check(self, check: Check) -> str:
        return f"  \\item {escape(check_line(check))}"

    def title(self, title: str | Label | Paragraph) -> str:
        """A heading's formulas at display size: ∂SSE/∂a as a full fraction, not a small one."""
        text = super().title(title)
        return text.replace("$\\frac", "$\\displaystyle\\frac") if "$" in text else text

    def _print_Step(self, step: Step) -> str:
        out = [f"\\subsection*{{{self.title(step.title)}}}"]
        out += [self.print(block) for block in step.blocks]
        return "\n".join(out) + "\n"

    def _print_Paragraph(self, p: Paragraph) -> str:
        return "".join(self.inline(part) for part in p.parts) + "\n"

    def _print_Equation(self, eq: Equation) -> str:
        return "\\begin{align*}\n" + self.align_rows(eq) + "\n\\end{align*}"

    #: A page has a width: long formulas are broken over lines and notes set as tags, which
    #: amsmath moves below a row too wide for them. The web's ``aligned`` has no page.
    page = True

    def align_rows(self, eq: Equation) -> str:
        if not self.page:
            return self._web_rows(eq)
        lhs = self.math(eq.lhs) if eq.lhs is not None else ""
        budget = LINE_WIDTH - (_width(eq.lhs) if eq.lhs is not None else 0)
        rows: list[str] = []
        for link in eq.links:
            rel = _RELATIONS.get(link.relation, link.relation)
            if rows and link.relation == "⇒":
                rows[-1] += f" \\quad {rel} \\quad {self.math(link.expr)}"
                if link.note and "\\tag" not in rows[-1]:
                    rows[-1] += self._note(link.note, "")
                continue
            head = lhs if not rows else ""
            first = len(rows)
            if isinstance(link.expr, sp.MatrixBase) and _width(link.expr) > budget:
                rows += self._entry_rows(head, rel, eq.lhs, link.expr, budget)
            elif head and _width(link.expr) > budget and _width(link.expr) <= LINE_WIDTH - 4:
                # a long left side: the right side starts on the next line, whole
                rows.append(f"{head} &{rel} {{}}")
                rows.append(f" &\\quad {self.math(link.expr)}")
            else:
                lines = self._broken(link.expr, budget)
                rows.append(f"{head} &{rel} {lines[0]}")
                rows += [f" &\\quad {line}" for line in lines[1:]]
            if link.note:
                rows[first] += self._note(link.note, eq.tag if first == 0 else "")
        if eq.tag and "\\tag" not in rows[0]:
            rows[0] += f" \\tag{{{escape(eq.tag)}}}"
        return " \\\\\n".join(rows)

    def _web_rows(self, eq: Equation) -> str:
        lhs = self.math(eq.lhs) if eq.lhs is not None else ""
        rows: list[str] = []
        for link in eq.links:
            rel = _RELATIONS.get(link.relation, link.relation)
            note = f" && \\text{{{self.text_in_math(link.note)}}}" if link.note else ""
            if rows and link.relation == "⇒":
                rows[-1] += f" \\quad {rel} \\quad {self.math(link.expr)}{note}"
                continue
            head = lhs if not rows else ""
            rows.append(f"{head} &{rel} {self.math(link.expr)}{note}")
        if eq.tag:
            rows[0] += f" \\tag{{{escape(eq.tag)}}}"
        return " \\\\\n".join(rows)

    def _note(self, note: str, tag: str) -> str:
        """A row's note at the right margin (below the row when the row is too wide), a long
        one wrapped; with the equation's number in front when the row has one."""
        words = escape(note)
        if len(note) > NOTE_WIDTH:
            words = f"\\parbox[t]{{0.4\\linewidth}}{{\\raggedleft {words}}}"
        number = f"({escape(tag)})\\quad " if tag else ""
        return f" \\tag*{{{number}\\footnotesize {words}}}"

    def _broken(self, expr: object, budget: int) -> list[str]:
        """``expr`` in lines of about ``budget`` characters: a long sum breaks before a + or
        −, as a textbook sets it, also inside a number times a sum; anything else stays whole."""
        if _width(expr) <= budget:
            return [self.math(expr)]
        if isinstance(expr, sp.Add):
            return broken_sum(expr, budget)
        product = broken_product(expr, budget) if isinstance(expr, sp.Mul) else None
        if product is not None:
            return product
        if isinstance(expr, sp.Mul):
            sums = [f for f in expr.args if isinstance(f, sp.Add)]
            rest = [f for f in expr.args if not isinstance(f, sp.Add)]
            if len(sums) == 1 and all(f.is_number for f in rest):
                coefficient = math_latex(sp.Mul(*rest)) if rest else ""
                lines = broken_sum(sums[0], budget - 4)
                lines[0] = f"{coefficient} \\bigl( {lines[0]}"
                lines[-1] += " \\bigr)"
                return lines
        return [self.math(expr)]

    def _entry_rows(
        self, head: str, rel: str, name: object, matrix: sp.MatrixBase, budget: int
    ) -> list[str]:
        """A matrix too wide for the page, entry by entry: [H]₁₁ = …, [H]₁₂ = …"""
        label = self.math(name) if name is not None else "M"
        rows_n, cols_n = matrix.shape
        # a vector by one index, (v₁, v₂, …); a matrix by two, under its size
        cells = [
            (f"{i + 1}" if cols_n == 1 else f"{i + 1}{j + 1}", matrix[i, j])
            for i in range(rows_n)
            for j in range(cols_n)
        ]
        shape = (
            ", ".join(f"\\left[{label}\\right]_{{{index}}}" for index, _ in cells)
            if cols_n == 1
            else f"{rows_n} \\times {cols_n}"
        )
        rows = [f"{head} &{rel} \\left({shape}\\right)"]
        for index, entry in cells:
            lines = self._broken(entry, budget)
            rows.append(f"\\left[{label}\\right]_{{{index}}} &= {lines[0]}")
            rows += [f" &\\quad {line}" for line in lines[1:]]
        return rows

    def _print_Table(self, table: Table) -> str:
        cols = "c" * len(table.headers)
        lines = [f"\\begin{{center}}\\begin{{tabular}}{{{cols}}}", "\\toprule"]
        lines.append(" & ".join(self.inline(h) for h in table.headers) + r" \\")
        lines.append("\\midrule")
        lines += [" & ".join(self.inline(c) for c in row) + r" \\" for row in table.rows]
        lines += ["\\bottomrule", "\\end{tabular}"]
        rows = (table.headers, *table.rows)
        wide = sum(max(_width(row[j]) for row in rows) + 2 for j in range(len(table.headers)))
        if wide > LINE_WIDTH + 8:  # wider than the page: scaled to its width, not clipped
            lines[0] = (
                "\\begin{center}\\resizebox{\\linewidth}{!}{" + lines[0][len("\\begin{center}") :]
            )
            lines[-1] += "}"
        return "\n".join(lines) + "\\end{center}"

    def _print_Diagram(self, diagram: Diagram) -> str:
        """A TikZ picture: leaves left, the output right, edges labelled."""
        height = {n.column: 0 for n in diagram.nodes}
        for n in diagram.nodes:
            height[n.column] = max(height[n.column], n.row + 1)
        lines = [
            r"\begin{center}\begin{tikzpicture}[>=stealth, x=3.2cm, y=1.7cm,",
            r"  box/.style={draw, circle, minimum size=8mm, inner sep=1pt},",
            r"  edge/.style={midway, sloped, above, font=\scriptsize, inner sep=1pt}]",
        ]
        for i, n in enumerate(diagram.nodes):
            y = (height[n.column] - 1) / 2 - n.row
            lines.append(f"\\node[box] (n{i}) at ({n.column}, {y:g}) {{${self.math(n.name)}$}};")
            if n.op is not None:
                lines.append(
                    f"\\node[below, font=\\scriptsize] at (n{i}.south) {{$= {self.math(n.op)}$}};"
                )
        for e in diagram.edges:
            lines.append(
                f"\\draw[->] (n{e.source}) -- node[edge] {{${self.math(e.label)}$}} (n{e.target});"
            )
        lines.append(r"\end{tikzpicture}\end{center}")
        return "\n".join(lines)

    def _print_Picture(self, picture: Picture) -> str:
        # the name is tutor's own (surface, descent-2): never text from the problem file
        return (
            "\\begin{figure}[H]\\centering\n"
            f"\\includegraphics[width=0.72\\linewidth]{{{picture.name}.pdf}}\n"
            f"\\caption{{{escape(picture.caption)}}}\n\\end{{figure}}"
        )
