"""The one model every printer reads: a Solution of Sections of Steps, all frozen data.

Tasks build these; printers in :mod:`tutor.render` turn them into text, LaTeX, Markdown or
JSON. Formulas stay SymPy objects until a printer formats them, so every format shows the
same expression. This module imports no printer: each registers itself in :data:`FORMATS`
(``tutor.render`` does, on import), and ``Solution.to_text()`` looks its printer up there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias

import sympy as sp

from .checks import Check, finite, verdict

#: The formats a document prints to, each registered by its printer: name → function of a
#: Solution or a Section. ``tutor.render`` fills it; ``figures`` registers the gallery.
FORMATS: dict[str, Callable[[Any], Any]] = {}


def _printed(fmt: str, node: Any) -> Any:
    try:
        printer = FORMATS[fmt]
    except KeyError:
        raise LookupError(f"no printer registered for {fmt!r}: import tutor") from None
    return printer(node)


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

    title: str | Label | Paragraph
    blocks: tuple[Block, ...]

    @classmethod
    def of(cls, title: str | Label | Paragraph, *blocks: Block) -> Step:
        return cls(title, tuple(blocks))


class Result(Protocol):
    """What a task found, typed (:class:`tutor.outcome.Outcome`): SPEC §4's ``result`` and
    the figures that help it."""

    def to_json(self) -> dict[str, Any]: ...

    def figures(self) -> tuple[Any, ...]: ...

    def __getitem__(self, key: str) -> Any: ...


@dataclass(frozen=True)
class Section:
    """The worked solution of one task."""

    task: str
    title: str
    params: Mapping[str, Any]
    #: The task's typed outcome (:class:`tutor.outcome.Outcome`); read as a mapping it is
    #: SPEC §4's ``result``.
    result: Result
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
        return str(_printed("markdown-section", self))

    def __str__(self) -> str:
        return str(_printed("text-section", self))

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
            "max_abs_err": finite(max(numeric, default=0.0)),
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
    #: The named constants, each ``name = value`` (an unevaluated ``sp.Eq``).
    constants: tuple[sp.Basic, ...] = ()
    #: The language its words are in; printers say their own words in it too.
    lang: str = "en"
    #: The expression as typed, when this solution is a derivation (``tutor derive``): its
    #: JSON then has the derivation's shape, ``{expr, wrt, result, steps, check}``.
    expression: str = ""

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
        """The JSON object of SPEC §4 (a derivation's own shape for ``tutor.derive``), the
        same object ``--format json`` prints."""
        out: dict[str, Any] = _printed("derivation" if self.expression else "dict", self)
        return out

    def to_json(self, indent: int | None = 2) -> str:
        import json

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        return str(_printed("text", self))

    def to_markdown(self) -> str:
        return str(_printed("markdown", self))

    def to_latex(self) -> str:
        return str(_printed("latex", self))

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def figures(self) -> Any:
        """The figures that help this solution, drawn: a gallery Jupyter shows inline (PNG
        with captions); iterate it for the matplotlib figures, or ``.save(folder)``."""
        return _printed("figures", self)
