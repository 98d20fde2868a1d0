"""Differentiation as named rules, in the manner of SymPy's ``manualintegrate``.

:func:`diff_steps` turns ``d/dx expr`` into a tree of rules (see :mod:`.rules`). A rule the
engine lacks becomes :class:`~.rules.Unsupported`, whose result is SymPy's, so a derivation
still prints; :func:`verify` checks every node of the tree against ``sympy.diff``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp

from ..expr import evaluate
from .difftable import FUNCTION_TABLE
from .equality import decide, equals_numeric_derivative
from .rules import (
    Atan2Rule,
    ChainRule,
    ConstantMultipleRule,
    ConstantRule,
    ExponentialRule,
    FunctionRule,
    LogBaseRule,
    LogDiffRule,
    MaxMinRule,
    PowerRule,
    ProductRule,
    QuotientRule,
    Rule,
    SumRule,
    Unsupported,
    VariableRule,
    power_outer,
    times,
)

__all__ = [
    "Atan2Rule",
    "ChainRule",
    "ConstantMultipleRule",
    "ConstantRule",
    "ExponentialRule",
    "FunctionRule",
    "LogBaseRule",
    "LogDiffRule",
    "MaxMinRule",
    "PowerRule",
    "ProductRule",
    "QuotientRule",
    "Rule",
    "SumRule",
    "Unsupported",
    "VariableRule",
    "diff_steps",
    "count_lines",
    "lines",
    "rule_names",
    "verify",
]


def diff_steps(expr: sp.Expr, var: sp.Symbol) -> Rule:
    """The rule tree for d/d``var`` ``expr``; ``expr`` may be an unevaluated tree.

    >>> x = sp.Symbol("x", real=True)
    >>> rule = diff_steps(sp.sin(x**2), x)
    >>> type(rule).__name__, rule.result, rule.applied
    ('ChainRule', 2*x*cos(x**2), cos(x**2)*2*x)
    """
    if not expr.has(var):
        return ConstantRule(expr, var)
    if expr == var:
        return VariableRule(expr, var)
    if expr.is_Add:
        return SumRule(expr, var, terms=tuple(diff_steps(t, var) for t in expr.args))
    if expr.is_Mul:
        return _mul_rule(expr, var)
    if expr.is_Pow:
        return _pow_rule(expr, var)
    if isinstance(expr, sp.atan2):
        first, second = (diff_steps(a, var) for a in expr.args)
        return Atan2Rule(expr, var, first=first, second=second)
    if isinstance(expr, sp.Max | sp.Min):
        return MaxMinRule(expr, var, derivatives=tuple(diff_steps(a, var) for a in expr.args))
    for cls in FUNCTION_TABLE:
        if issubclass(expr.func, cls) and len(expr.args) == 1:
            return _function_rule(expr, var, cls)
    return Unsupported(expr, var)


def _is_log_base(factor: sp.Expr) -> bool:
    """``1/log(b)`` for a constant b: the mark of ``log(u, b)``."""
    return bool(
        factor.is_Pow
        and factor.exp == -1
        and isinstance(factor.base, sp.log)
        and factor.base.args[0].is_number
    )


def _mul_rule(expr: sp.Expr, var: sp.Symbol) -> Rule:
    constants = [f for f in expr.args if not f.has(var)]
    varying = [f for f in expr.args if f.has(var)]
    bases = [f for f in constants if _is_log_base(f)]
    if len(varying) == 1 and isinstance(varying[0], sp.log) and len(bases) == 1:
        u, base = varying[0].args[0], bases[0].base.args[0]
        rule: Rule = LogBaseRule(
            times(varying[0], bases[0]), var, u=u, base=base, inner=diff_steps(u, var)
        )
        rest = [c for c in constants if c is not bases[0]]
        if not rest:
            return rule
        return ConstantMultipleRule(expr, var, constant=_constant(rest), inner=rule)
    numer = [f for f in varying if not _is_reciprocal(f)]
    denom = [f for f in varying if _is_reciprocal(f)]
    if numer and denom:
        top = numer[0] if len(numer) == 1 else sp.Mul(*numer, evaluate=False)
        bottom_factors = [_reciprocal_base(f) for f in denom]
        bottom = bottom_factors[0] if len(denom) == 1 else sp.Mul(*bottom_factors, evaluate=False)
        inner: Rule = QuotientRule(
            times(top, sp.Pow(bottom, -1, evaluate=False)),
            var,
            numerator=diff_steps(top, var),
            denominator=diff_steps(bottom, var),
        )
    elif len(varying) == 1:
        inner = diff_steps(varying[0], var)
    else:
        rest = sp.Mul(*varying, evaluate=False)
        inner = ProductRule(
            rest,
            var,
            factors=tuple(varying),
            derivatives=tuple(diff_steps(f, var) for f in varying),
        )
    if not constants:
        return inner
    return ConstantMultipleRule(expr, var, constant=_constant(constants), inner=inner)


def _constant(factors: list[sp.Expr]) -> sp.Expr:
    return sp.Mul(*factors) if all(c.is_Number for c in factors) else times(*factors)


def _is_reciprocal(factor: sp.Expr) -> bool:
    return bool(factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative)


def _reciprocal_base(factor: sp.Expr) -> sp.Expr:
    exp = -factor.exp
    return factor.base if exp == 1 else sp.Pow(factor.base, exp, evaluate=False)


def _pow_rule(expr: sp.Expr, var: sp.Symbol) -> Rule:
    base, exp = expr.base, expr.exp
    if not exp.has(var):
        if base == var:
            return PowerRule(expr, var)
        n = evaluate(exp)
        return ChainRule(
            expr,
            var,
            u=base,
            outer_name="power rule",
            outer=lambda u: power_outer(u, n),
            inner=diff_steps(base, var),
        )
    if not base.has(var):
        if exp == var:
            return ExponentialRule(expr, var)
        return ChainRule(
            expr,
            var,
            u=exp,
            outer_name="exponential rule",
            outer=lambda u: (
                sp.exp(u, evaluate=False)
                if base == sp.E
                else times(sp.Pow(base, u, evaluate=False), sp.log(base, evaluate=False))
            ),
            inner=diff_steps(exp, var),
        )
    return LogDiffRule(expr, var, base=diff_steps(base, var), exponent=diff_steps(exp, var))


def _function_rule(expr: sp.Expr, var: sp.Symbol, cls: type) -> Rule:
    arg = expr.args[0]
    rule_name, formula, kink = FUNCTION_TABLE[cls]
    if arg == var:
        if cls is sp.exp:
            return ExponentialRule(expr, var)
        return FunctionRule(expr, var, rule_name=rule_name, formula=formula, kink=kink)
    return ChainRule(
        expr,
        var,
        u=arg,
        outer_name=rule_name,
        outer=formula,
        inner=diff_steps(arg, var),
        kink=kink,
    )


def rule_names(rule: Rule, *, inner: bool = True) -> list[str]:
    """The distinct rules a derivation uses, in the order they are first applied.

    With ``inner=False``, the derivatives of the chain rule's inner functions are left out:
    the rules of the one-line form a lesson writes.
    """
    names: list[str] = []
    for step in rule.walk() if inner else _outer_walk(rule):
        for name in step.names:
            if name not in names:
                names.append(name)
    return names


def _outer_walk(rule: Rule) -> Iterator[Rule]:
    yield rule
    if isinstance(rule, ChainRule | LogBaseRule):
        return
    for sub in rule.substeps:
        yield from _outer_walk(sub)


@dataclass(frozen=True)
class Failure:
    """A rule application whose ``line`` (its result, or a line the reader sees: ``applied``,
    ``unfold``) disagrees with ``sympy.diff``."""

    rule: Rule
    expected: sp.Expr
    line: str = "result"
    #: Neither proved equal nor shown different (no point where both sides are finite).
    undecided: bool = False


def lines(rule: Rule) -> Iterator[tuple[Rule, str, sp.Expr]]:
    """Every form the derivation states for every rule application: (rule, which, form).

    ``result`` is what the next rule builds on; ``applied`` is the lesson's line; ``unfold``
    is the full-detail line with ∂/∂x(...) placeholders.
    """
    for step in rule.walk():
        yield step, "result", step.result
        yield step, "applied", step.applied
        if step.unfold is not None:
            yield step, "unfold", step.unfold


def _as_function(form: sp.Expr, step: Rule) -> sp.Expr:
    """A printed form as a function: the tree evaluated, each ∂/∂x(u) placeholder done by
    SymPy, or, where SymPy cannot (sign(asec(z))), replaced by the substep's result, which is
    verified on its own in the same walk."""
    value = sp.sympify(evaluate(form))
    if not value.has(sp.Derivative):
        return value
    done = value.doit()
    if not done.has(sp.Derivative):
        return done
    known = {sp.Derivative(evaluate(sub.expr), step.var): sub.result for sub in step.substeps}
    return value.xreplace(known).doit()


def _domain(expr: sp.Expr) -> sp.Expr:
    """Real exactly where every function application and root inside ``expr`` (as written)
    is real: the sum of them all. mpmath's cosh(acosh(0.5)) is the real 0.5, though acosh(0.5)
    is not; the sum has acosh(0.5)'s imaginary part."""
    parts = [a for a in expr.atoms(sp.Function, sp.Pow) if a.free_symbols]
    return sp.Add(*parts, evaluate=False) if len(parts) > 1 else (parts[0] if parts else expr)


def verify(rule: Rule) -> list[Failure]:
    """Check every rule application in the tree against ``sympy.diff``, and every line the
    reader sees as well as the result; return the failures (``undecided`` ones were neither
    proved nor disproved).

    >>> x = sp.Symbol("x", real=True)
    >>> verify(diff_steps(x**x * sp.atan(x), x))
    []
    """
    failures = []
    expected_of: dict[int, sp.Expr] = {}
    for step, which, form in lines(rule):
        function = evaluate(step.expr)
        if id(step) not in expected_of:
            expected_of[id(step)] = sp.diff(function, step.var)
        expected = expected_of[id(step)]
        symbols = step.var.free_symbols | step.expr.free_symbols
        shown = form if which == "result" else _as_function(form, step)
        if expected.has(sp.Derivative):  # SymPy could not: judge by a numerical derivative
            agrees = equals_numeric_derivative(shown, function, step.var, symbols)
        else:
            # The domain is the function as written: SymPy evaluates cosh(acosh(y)) to y,
            # real everywhere, but acosh(y) is real only for y ≥ 1.
            agrees = decide(shown, expected, symbols, domain=_domain(step.expr))
        if agrees is not True:
            failures.append(Failure(step, expected, which, undecided=agrees is None))
    return failures


def count_lines(rule: Rule) -> int:
    """How many forms :func:`verify` compares for ``rule`` (what a check line counts)."""
    return sum(1 for _ in lines(rule))
