"""The one model every printer reads: a Solution of Sections of Steps, all frozen data.

Tasks build these; printers in :mod:`tutor.render` turn them into text, LaTeX, Markdown or
JSON. Formulas stay SymPy objects until a printer formats them, so every format shows the
same expression.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import sympy as sp

if TYPE_CHECKING:
    from .problem import Problem


@dataclass(frozen=True)
class Label:
    """A named quantity written differently per format: ``∂SSE/∂a`` and its LaTeX."""

    text: str
    latex: str


Formula: TypeAlias = sp.Basic | Label
#: Inline content of a paragraph or table cell: words, or a formula.
Inline: TypeAlias = str | sp.Basic | Label


@dataclass(frozen=True)
class Paragraph:
    """Words with inline formulas: ``("the gradient at ", point, " is ", value)``."""

    parts: tuple[Inline, ...]

    @classmethod
    def of(cls, *parts: Inline) -> Paragraph:
        return cls(tuple(parts))


@dataclass(frozen=True)
class Link:
    """One ``= expr`` of an equation chain, with the reason it holds."""

    expr: Formula
    note: str = ""
    relation: str = "="


@dataclass(frozen=True)
class Equation:
    """A displayed chain ``lhs = e1 = e2 ...`` (an ``align*`` block in LaTeX)."""

    lhs: Formula | None
    links: tuple[Link, ...]
    tag: str = ""

    @classmethod
    def chain(cls, lhs: Formula | None, *links: Link | Formula, tag: str = "") -> Equation:
        return cls(lhs, tuple(x if isinstance(x, Link) else Link(x) for x in links), tag)


@dataclass(frozen=True)
class Table:
    """A table of values; cells are words or formulas."""

    headers: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class DiagramNode:
    """A node of a drawn graph: its name, what it computes (None for a leaf), where it sits."""

    name: Formula
    op: Formula | None
    column: int
    row: int


@dataclass(frozen=True)
class DiagramEdge:
    """An edge ``source → target``, labelled (a local derivative)."""

    source: int
    target: int
    label: Formula


@dataclass(frozen=True)
class Diagram:
    """A computational graph to draw: leaves in column 0, the output rightmost."""

    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]


@dataclass(frozen=True)
class Picture:
    """A figure drawn to ``name.pdf`` and ``name.png`` beside the document, with its caption."""

    name: str
    caption: str


Block: TypeAlias = Paragraph | Equation | Table | Diagram | Picture


@dataclass(frozen=True)
class Step:
    """One named step of a worked solution: a rule, a row operation, an evaluation."""

    title: str | Label
    blocks: tuple[Block, ...]

    @classmethod
    def of(cls, title: str | Label, *blocks: Block) -> Step:
        return cls(title, tuple(blocks))


CheckKind: TypeAlias = Literal["symbolic", "numeric", "unchecked"]


@dataclass(frozen=True, kw_only=True)
class Check:
    """One judgement of a result by an independent route, of one of three kinds.

    - ``symbolic``: ``count`` things compared exactly (or at 60 digits), ``failed`` of them
      disagreeing; made by :meth:`symbolic`;
    - ``numeric``: the largest error at ``points`` against a ``tolerance`` that says what it
      is scaled by; made by :meth:`numeric`;
    - ``unchecked``: no honest comparison was possible, and ``reason`` says why; ``ok`` is
      None, never False. Made by :meth:`unchecked`.

    >>> Check.symbolic(what="rules", method="sympy.diff", count=3, failed=0).ok
    True
    >>> Check.numeric(what="w", method="lstsq", error=2e-9, tolerance=1e-9, points=()).ok
    False
    >>> print(Check.unchecked(what="f", method="autograd", reason="no real point").ok)
    None
    """

    what: str
    method: str
    kind: CheckKind
    count: int = 0
    failed: int = 0
    max_abs_err: float = 0.0
    tolerance: float = 0.0
    points: tuple[tuple[float, ...], ...] = ()
    reason: str = ""

    @classmethod
    def symbolic(cls, *, what: str, method: str, count: int, failed: int) -> Check:
        return cls(what=what, method=method, kind="symbolic", count=count, failed=failed)

    @classmethod
    def numeric(
        cls,
        *,
        what: str,
        method: str,
        error: float,
        tolerance: float,
        points: tuple[tuple[float, ...], ...],
    ) -> Check:
        return cls(
            what=what,
            method=method,
            kind="numeric",
            max_abs_err=float(error),
            tolerance=float(tolerance),
            points=points,
        )

    @classmethod
    def unchecked(cls, *, what: str, method: str, reason: str) -> Check:
        return cls(what=what, method=method, kind="unchecked", reason=reason)

    @property
    def ok(self) -> bool | None:
        """True agreed, False disagreed, None could not be checked (``reason`` says why)."""
        if self.kind == "unchecked":
            return None
        if self.kind == "symbolic":
            return self.failed == 0
        return bool(self.max_abs_err <= self.tolerance)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "kind": self.kind, "what": self.what}
        out["method"] = self.method
        if self.kind == "symbolic":
            out |= {"count": self.count, "failed": self.failed}
        elif self.kind == "numeric":
            out |= {
                "max_abs_err": _finite(self.max_abs_err),
                "tolerance": float(self.tolerance),
                "points": [list(p) for p in self.points],
            }
        else:
            out["reason"] = self.reason
        return out


def _finite(value: float) -> float | None:
    """JSON has no inf or NaN: an error that is not finite is written as null."""
    return float(value) if math.isfinite(value) else None


def verdict(checks: tuple[Check, ...]) -> bool | None:
    """Checks folded into one: False if any disagreed, None if none could be made (every one
    unchecked), else True (the summary's ``reason`` names any left unchecked).

    >>> done = Check.symbolic(what="a", method="m", count=1, failed=0)
    >>> skipped = Check.unchecked(what="b", method="m", reason="r")
    >>> verdict((done, skipped)), verdict((skipped,)), verdict(())
    (True, None, True)
    """
    oks = [c.ok for c in checks]
    if False in oks:
        return False
    return None if oks and all(ok is None for ok in oks) else True


@dataclass(frozen=True)
class Section:
    """The worked solution of one task."""

    task: str
    title: str
    params: Mapping[str, Any]
    result: Mapping[str, Any]
    steps: tuple[Step, ...]
    checks: tuple[Check, ...] = ()
    #: False when a time limit stopped the task; ``stopped`` says which and what is missing.
    complete: bool = True
    stopped: str = ""
    #: The input error that kept this task from being done (the file, the key, the fix); the
    #: other tasks are done all the same.
    refused: str = ""

    @property
    def ok(self) -> bool:
        """No check disagreed (an unchecked result is not a failure; its check says why)."""
        return verdict(self.checks) is not False

    def _repr_markdown_(self) -> str:
        from .render.markdown import MarkdownPrinter

        return MarkdownPrinter()._section(1, self)

    def __str__(self) -> str:
        from .render.text import TextPrinter

        return TextPrinter()._section(1, self)

    def check_summary(self) -> dict[str, Any]:
        """SPEC §4's ``check``: every check of the section folded into one verdict.

        ``ok`` is True, False (a check disagreed) or None (nothing disagreed, but something
        could not be checked: ``reason`` says what and why).
        """
        points: list[list[float]] = []
        for c in self.checks:
            points.extend(list(p) for p in c.points if list(p) not in points)
        numeric = [c.max_abs_err for c in self.checks if c.kind == "numeric"]
        summary: dict[str, Any] = {
            "ok": verdict(self.checks),
            "method": "; ".join(dict.fromkeys(c.method for c in self.checks)),
            "max_abs_err": _finite(max(numeric, default=0.0)),
            "points": points,
        }
        unchecked = [f"{c.what}: {c.reason}" for c in self.checks if c.kind == "unchecked"]
        if unchecked:
            summary["reason"] = "; ".join(unchecked)
        return summary


@dataclass(frozen=True)
class Solution:
    """A problem worked out: its statement, how its objective was built, and each task."""

    title: str
    variables: tuple[sp.Symbol, ...]
    objective: sp.Expr
    objective_shown: sp.Expr
    name: Label
    objective_display: Formula | None = None
    source: str = ""
    description: str = ""
    setup: tuple[Step, ...] = ()
    sections: tuple[Section, ...] = field(default=())
    #: The problem worked out (its model and data feed the figures); not printed.
    problem: Problem | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """No check of any section disagreed."""
        return all(s.ok for s in self.sections)

    @property
    def complete(self) -> bool:
        """No time limit stopped a task, and none was refused for its input."""
        return all(s.complete for s in self.sections)

    @property
    def refused(self) -> list[str]:
        """The input errors of tasks that could not be done, one line each."""
        return [s.refused for s in self.sections if s.refused]

    @property
    def objective_formula(self) -> Formula:
        """The objective as a reader sees it (a thousand-row sum is shown by its row form)."""
        return (
            self.objective_display if self.objective_display is not None else (self.objective_shown)
        )

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for s in self.sections for c in s.checks)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of SPEC §4."""
        from .render.jsonout import solution_dict

        return solution_dict(self)

    def to_json(self, indent: int | None = 2) -> str:
        import json

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        from .render.text import TextPrinter

        return TextPrinter().document(self)

    def to_markdown(self) -> str:
        from .render.markdown import MarkdownPrinter

        return MarkdownPrinter().document(self)

    def to_latex(self) -> str:
        from .render.latex import LatexPrinter

        return LatexPrinter().document(self)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def figures(self) -> Any:
        """The figures that help this solution, drawn: a gallery Jupyter shows inline (PNG
        with captions); iterate it for the matplotlib figures, or ``.save(folder)``."""
        from .figures import Gallery, plan

        return Gallery(tuple(plan(self)))
