"""A derivative's rule tree as document blocks: the lesson's one line, or every rule."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from .. import phrasing
from ..calculus.diffsteps import (
    ChainRule,
    LogBaseRule,
    Rule,
    Unsupported,
    count_lines,
    rule_names,
    verify,
)
from ..document import Block, Check, Equation, Label, Link, Paragraph
from ..expr import evaluate, ordered

DETAILS = ("compact", "full")


def derivative_label(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    return sp.Derivative(expr, var, evaluate=False)


def derivation_blocks(
    rule: Rule, label: Label, final: sp.Expr, note: str, detail: str = "compact"
) -> list[Block]:
    """The blocks that derive ``label = final`` from ``rule``.

    ``compact`` is the lesson's line (rules applied, inner derivatives done) then the tidy
    form; ``full`` adds every rule application top-down, each derivative shown once.
    """
    blocks: list[Block] = []
    if detail == "full":
        blocks += _full_tree(rule)
    links = [Link(rule.applied, note=phrasing.names(rule_names(rule, inner=False)))]
    if not phrasing.reads_same(ordered(final), rule.applied):
        links.append(Link(ordered(final), note=phrasing.named(note)))
    blocks.append(Equation(label, tuple(links)))
    if detail == "compact":
        blocks.extend(_chain_notes(rule))
    blocks.extend(_caveats(rule))
    if any(isinstance(r, Unsupported) for r in rule.walk()):
        blocks.append(phrasing.say("derivation.unsupported"))
    return blocks


def _full_tree(rule: Rule) -> list[Block]:
    """Every rule application, top-down; a derivative already shown is not shown again."""
    shown: set[tuple[str, str]] = set()
    blocks: list[Block] = []
    stack = [rule]
    while stack:
        node = stack.pop(0)
        key = (sp.srepr(evaluate(node.expr)), node.var.name)
        if key in shown:
            continue
        shown.add(key)
        names = phrasing.names(node.names)
        if isinstance(node, ChainRule | LogBaseRule) and node.unfold is not None:
            names += f"; u = {phrasing.symbol(node.u).text}"
        lhs = derivative_label(node.expr, node.var)
        unfold = node.unfold
        links: tuple[Link, ...]
        if unfold is None:
            links = (Link(node.applied, note=names),)
        elif sp.srepr(unfold) == sp.srepr(node.applied):
            links = (Link(unfold, note=names),)
        else:
            links = (Link(unfold, note=names), Link(node.applied))
        blocks.append(Equation(lhs, links))
        stack = [s for s in node.substeps if not s.expr.is_Number] + stack
    return blocks


def _chain_notes(rule: Rule) -> list[Block]:
    """One line per outermost chain rule: the inner function u and its derivative."""
    notes: list[Block] = []
    stack = [rule]
    while stack:
        node = stack.pop(0)
        if isinstance(node, ChainRule | LogBaseRule) and node.inner is not None:
            if node.u != node.var:
                outer = node.outer_name if isinstance(node, ChainRule) else node.name
                notes.append(
                    phrasing.say(
                        "derivation.chain",
                        outer=phrasing.named(outer),
                        u=sp.Eq(sp.Symbol("u"), node.u, evaluate=False),
                        du=phrasing.partial(Label("u", "u"), node.var),
                        value=ordered(node.inner.result),
                        rules=phrasing.names(rule_names(node.inner)),
                    )
                )
            continue
        stack.extend(node.substeps)
    return notes


def _caveats(rule: Rule) -> list[Block]:
    seen: list[Paragraph] = []
    for node in rule.walk():
        if node.caveat is not None:
            note = phrasing.caveat(node.caveat)
            if note not in seen:
                seen.append(note)
    return list(seen)


def derivation_checks(rules: Sequence[Rule]) -> list[Check]:
    """Every rule application's result and every line a reader sees (compact and full
    detail) compared with ``sympy.diff``, as functions; lines that could be neither proved
    nor disproved are reported as unchecked, with why."""
    applications = sum(1 for r in rules for _ in r.walk())
    failures = [f for r in rules for f in verify(r)]
    undecided = sum(1 for f in failures if f.undecided)
    method = phrasing.text("method.rules")
    checks = [
        Check.symbolic(
            what=phrasing.text("derivation.check", n=str(applications)),
            method=method,
            count=sum(count_lines(r) for r in rules) - undecided,
            failed=len(failures) - undecided,
        )
    ]
    if undecided:
        checks.append(
            Check.unchecked(
                what=phrasing.text("derivation.check.more", count=undecided, n=str(undecided)),
                method=method,
                reason=phrasing.text("derivation.check.undecided"),
            )
        )
    return checks
