"""The classic slips of differentiation, replayed on a derivation's rule tree.

A student's wrong derivative is diagnosed by re-deriving with one slip at a time (the inner
derivative of a chain rule dropped, a sign lost, the power rule's exponent kept, a term of a
product rule missing, the quotient rule's sign, another variable not held constant, a
constant differentiated to 1) and finding the one that gives the student's answer. Each
:class:`Slip` is the derivation with that one change made at one place (``node``) or at
every place it applies (``everywhere``), and its ``result`` is the slipped derivative,
composed by the same rules as the right one.

Algebra after the rules (expanding, collecting) has its own slips, :func:`line_slips`: a
term's sign flipped, a term dropped, one coefficient wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import sympy as sp

from ..budget import OverBudget, within
from ..expr import evaluate, ordered
from .rules import (
    ChainRule,
    ConstantMultipleRule,
    ConstantRule,
    FunctionRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    Rule,
)

#: Seconds the slips of one derivative may take to build; past it the ones built so far
#: are what a diagnosis can name (the rest are not tried, and a report says "no slip found").
SLIP_BUDGET = 5.0
#: Seconds to expand one difference when comparing a student's line with a slipped one.
EXPAND_BUDGET = 0.5


@dataclass(frozen=True)
class Slip:
    """One slip: its machine name (``kind``), where (the written expression of the rule
    application it happened in), what went wrong there (``part``: the inner derivative
    dropped, the exponent kept, the product term missing...), and the slipped derivative."""

    kind: str
    where: sp.Expr
    part: sp.Expr | None
    result: sp.Expr
    #: The slip made at every place it applies, not only at ``where``.
    everywhere: bool = False
    #: A finer name within ``kind`` ("denominator_not_squared" of a quotient rule...).
    detail: str = ""


@dataclass(frozen=True)
class Slipped(Rule):
    """A rule application replaced by a slipped result (the rest of the tree is rebuilt on it)."""

    name = "slipped"
    value: sp.Expr = sp.S.Zero

    def _result(self) -> sp.Expr:
        return self.value


def rebuilt(rule: Rule, replacements: dict[int, Rule]) -> Rule:
    """``rule`` with the applications whose ``id`` is in ``replacements`` replaced; every
    rule above a replaced one is rebuilt, so its result is composed anew."""
    if id(rule) in replacements:
        return replacements[id(rule)]
    changed: dict[str, Rule | tuple[Rule, ...]] = {}
    for field in dataclasses.fields(rule):
        value = getattr(rule, field.name)
        if isinstance(value, Rule):
            new = rebuilt(value, replacements)
            if new is not value:
                changed[field.name] = new
        elif isinstance(value, tuple) and value and all(isinstance(v, Rule) for v in value):
            news = tuple(rebuilt(v, replacements) for v in value)
            if any(n is not o for n, o in zip(news, value, strict=True)):
                changed[field.name] = news
    return dataclasses.replace(rule, **changed) if changed else rule


def _slipped(node: Rule, value: sp.Expr) -> Slipped:
    return Slipped(node.expr, node.var, value=sp.sympify(value))


#: One slip at one node: (kind, detail, part, slipped value of that node).
Local = tuple[str, str, sp.Expr | None, sp.Expr]


def _power_slips(u: sp.Expr, n: sp.Expr, du: sp.Expr) -> Iterator[Local]:
    """d/dx uⁿ = n·uⁿ⁻¹·u' written with the exponent kept (n·uⁿ), raised (n·uⁿ⁺¹), or its
    coefficient dropped (uⁿ⁻¹) or lowered too ((n − 1)·uⁿ⁻¹)."""
    u = evaluate(u)
    yield "power_rule_exponent", "kept", n, n * u**n * du
    yield "power_rule_exponent", "raised", n, n * u ** (n + 1) * du
    yield "power_rule_coefficient", "dropped", n, u ** (n - 1) * du
    if n != 2:
        yield "power_rule_coefficient", "lowered", n, (n - 1) * u ** (n - 1) * du


def local_slips(node: Rule) -> Iterator[Local]:
    """The slips a student can make at this one rule application."""
    if isinstance(node, ChainRule) and node.inner is not None and node.outer is not None:
        inner = node.inner.result
        outer = evaluate(node.outer(node.u))
        if inner != 1:
            yield "chain_rule_inner_dropped", "", ordered(inner), outer
        if inner.could_extract_minus_sign():
            yield "sign_lost", "inner", ordered(inner), -outer * inner
        if node.outer_name == "power rule" and evaluate(node.expr).is_Pow:
            yield from _power_slips(node.u, evaluate(node.expr).exp, inner)
        elif node.outer_name not in ("power rule", "exponential rule"):
            yield "sign_lost", "outer", outer, -outer * inner
    elif isinstance(node, PowerRule):
        yield from _power_slips(node.var, evaluate(node.expr.exp), sp.S.One)
    elif isinstance(node, FunctionRule):
        yield "sign_lost", "outer", node.result, -node.result
    elif isinstance(node, ConstantRule) and node.expr.is_number and node.expr != 0:
        yield "constant_derivative", "one", evaluate(node.expr), sp.S.One
        if node.expr != 1:
            yield "constant_derivative", "itself", evaluate(node.expr), evaluate(node.expr)
    elif isinstance(node, ConstantMultipleRule) and node.inner is not None:
        constant = evaluate(node.constant)
        if constant.could_extract_minus_sign():
            yield "sign_lost", "constant", constant, -node.result
    elif isinstance(node, ProductRule):
        yield from _product_slips(node)
    elif isinstance(node, QuotientRule) and node.numerator and node.denominator:
        f, g = evaluate(node.numerator.expr), evaluate(node.denominator.expr)
        df, dg = node.numerator.result, node.denominator.result
        yield "quotient_rule", "sign", None, (f * dg - df * g) / g**2
        yield "quotient_rule", "plus", None, (df * g + f * dg) / g**2
        yield "quotient_rule", "denominator_not_squared", g, (df * g - f * dg) / g
        if dg != 0:
            yield "quotient_rule", "quotient_of_derivatives", None, df / dg


def _product_slips(node: ProductRule) -> Iterator[Local]:
    factors = [evaluate(f) for f in node.factors]
    results = [d.result for d in node.derivatives]
    for i, d in enumerate(results):
        if d == 0:
            continue
        missing = sp.Mul(d, *(f for j, f in enumerate(factors) if j != i))
        yield "product_rule_term_missing", "", ordered(missing), node.result - missing
    if len(factors) == 2 and all(r != 0 for r in results):
        yield "product_rule_term_missing", "product_of_derivatives", None, sp.Mul(*results)


def slips(rule: Rule, variables: Sequence[sp.Symbol], budget: float = SLIP_BUDGET) -> list[Slip]:
    """Every single slip of the derivation ``rule`` (d/d ``rule.var`` of ``rule.expr``), and
    the systematic ones (a slip of one kind made at every place it applies), each with the
    derivative it gives. Slips that give the right derivative are left out.

    >>> a, b = sp.symbols("a b", real=True)
    >>> from .diffsteps import diff_steps
    >>> sse = sp.Add((2 - a - b)**2, (4 - 3*a - b)**2, evaluate=False)
    >>> found = slips(diff_steps(sse, a), [a, b])
    >>> [(s.kind, s.result) for s in found if s.everywhere][:1]
    [('chain_rule_inner_dropped', -8*a - 4*b + 12)]
    """
    right = sp.expand(rule.result)
    found: list[Slip] = []
    by_kind: dict[tuple[str, str], dict[int, Rule]] = {}
    nodes = list(rule.walk())
    try:
        with within(budget):
            for node in nodes:
                for kind, detail, part, value in local_slips(node):
                    replacement = _slipped(node, value)
                    whole = rebuilt(rule, {id(node): replacement}).result
                    found.append(Slip(kind, node.expr, part, whole, detail=detail))
                    by_kind.setdefault((kind, detail), {})[id(node)] = replacement
            for (kind, detail), places in by_kind.items():
                if len(places) > 1:
                    whole = rebuilt(rule, places).result
                    found.append(Slip(kind, rule.expr, None, whole, everywhere=True, detail=detail))
            found.extend(_not_held_constant(rule, variables))
    except OverBudget:
        pass
    return [s for s in found if not _same(sp.expand(s.result), right)]


def _not_held_constant(rule: Rule, variables: Sequence[sp.Symbol]) -> Iterator[Slip]:
    """∂f/∂x written as if another variable moved with x (its derivative taken as 1): the
    other variable not held constant. One slip per other variable, and all of them."""
    f = evaluate(rule.expr)
    others = [v for v in variables if v != rule.var and f.has(v)]
    extra = {v: sp.diff(f, v) for v in others}
    for v in others:
        yield Slip("not_held_constant", v, v, rule.result + extra[v])
    if len(others) > 1:
        total = rule.result + sp.Add(*extra.values())
        yield Slip("not_held_constant", rule.expr, None, total, everywhere=True)


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    return bool(sp.expand(a - b) == 0)


def line_slips(previous: sp.Expr, written: sp.Expr) -> Iterator[Slip]:
    """The algebra slips from one line of a derivation to the next (``previous`` as the
    student wrote it, unevaluated): one term's sign flipped, one term dropped, one monomial's
    sign flipped inside a term's expansion (a minus not distributed), and as a last resort
    one coefficient wrong. Each candidate is the line the slip gives."""
    terms = sp.Add.make_args(previous)
    whole = evaluate(previous)
    for t in terms:
        value = evaluate(t)
        yield Slip("sign_lost", t, t, whole - 2 * value, detail="term")
        yield Slip("term_dropped", t, t, whole - value)
    for t in terms:
        try:
            with within(EXPAND_BUDGET):
                monomials = sp.Add.make_args(sp.expand(evaluate(t)))
        except OverBudget:
            continue
        if len(monomials) > 1:
            for m in monomials:
                yield Slip("sign_lost", t, m, whole - 2 * m, detail="distributed")
    coefficient = coefficient_slip(whole, evaluate(written))
    if coefficient is not None:
        yield coefficient


def coefficient_slip(right: sp.Expr, given: sp.Expr) -> Slip | None:
    """An arithmetic slip: ``given`` differs from ``right`` in exactly one term of their
    expansions (one coefficient, or the constant), named by the term it should have been.

    >>> a, b = sp.symbols("a b")
    >>> s = coefficient_slip(20*a + 8*b - 28, 20*a + 6*b - 28)
    >>> s.kind, s.where, s.part
    ('arithmetic', 8*b, 6*b)
    """
    try:
        with within(EXPAND_BUDGET):
            difference = sp.expand(given - right)
            expanded = sp.expand(right)
    except OverBudget:
        return None
    gap = sp.Add.make_args(difference)
    if difference == 0 or len(gap) != 1:
        return None
    coeff, monomial = gap[0].as_coeff_Mul()
    if not coeff.is_Rational:
        return None
    should = next(
        (t for t in sp.Add.make_args(expanded) if t.as_coeff_Mul()[1] == monomial), sp.S.Zero
    )
    was = sp.expand(should + gap[0])
    return Slip("arithmetic", should, was, sp.sympify(given))
