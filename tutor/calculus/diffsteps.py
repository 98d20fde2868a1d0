"""Differentiation as named rules, in the manner of SymPy's ``manualintegrate``.

:func:`diff_steps` turns ``d/dx expr`` into a tree of rules. Each rule is a frozen dataclass
whose docstring is its mathematics; it knows the expression it differentiates (as written, so
a teacher's ``2 - a - b`` keeps its order), its result, and ``applied``: the derivative with
this rule applied and every inner derivative already worked out, which is the line a lesson
writes (``2(2 − a − b)·(−1)``). A rule the engine lacks becomes :class:`Unsupported`, whose
result is SymPy's, so a derivation still prints; :func:`verify` checks every node against
``sympy.diff``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import sympy as sp

from ..expr import evaluate, ordered
from .equality import equal

Builder = Callable[[sp.Expr], sp.Expr]


def _u(expr: sp.Expr) -> sp.Expr:
    return evaluate(expr)


@dataclass(frozen=True)
class Rule:
    """A rule applied to ``d/d var expr``."""

    name: ClassVar[str] = "rule"
    expr: sp.Expr
    var: sp.Symbol

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return ()

    @cached_property
    def result(self) -> sp.Expr:
        """The derivative, in SymPy's evaluated form."""
        return self._result()

    def _result(self) -> sp.Expr:
        raise NotImplementedError

    @cached_property
    def applied(self) -> sp.Expr:
        """The derivative as a lesson writes it: this rule applied, inner derivatives done."""
        return self._applied()

    def _applied(self) -> sp.Expr:
        return ordered(self.result)

    def walk(self) -> Iterator[Rule]:
        """This rule and every rule below it, depth first."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()


@dataclass(frozen=True)
class ConstantRule(Rule):
    """d/dx c = 0, for any c that does not depend on x."""

    name = "constant rule"

    def _result(self) -> sp.Expr:
        return sp.S.Zero


@dataclass(frozen=True)
class VariableRule(Rule):
    """d/dx x = 1"""

    name = "variable rule"

    def _result(self) -> sp.Expr:
        return sp.S.One


@dataclass(frozen=True)
class SumRule(Rule):
    """d/dx (f + g) = df/dx + dg/dx"""

    name = "sum rule"
    terms: tuple[Rule, ...] = ()

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.terms

    def _result(self) -> sp.Expr:
        return sp.Add(*(t.result for t in self.terms))

    def _applied(self) -> sp.Expr:
        shown = [t.applied for t in self.terms if not t.result.is_zero]
        if not shown:
            return sp.S.Zero
        if len(shown) == 1:
            return shown[0]
        return sp.Add(*shown, evaluate=False)


@dataclass(frozen=True)
class ConstantMultipleRule(Rule):
    """d/dx (c*f) = c * df/dx"""

    name = "constant multiple rule"
    constant: sp.Expr = sp.S.One
    inner: Rule | None = None

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.inner,) if self.inner else ()

    def _result(self) -> sp.Expr:
        assert self.inner is not None
        return _u(self.constant) * self.inner.result

    def _applied(self) -> sp.Expr:
        assert self.inner is not None
        return _times(self.constant, self.inner.applied)


@dataclass(frozen=True)
class ProductRule(Rule):
    """d/dx (f*g*h) = f'*g*h + f*g'*h + f*g*h'"""

    name = "product rule"
    factors: tuple[sp.Expr, ...] = ()
    derivatives: tuple[Rule, ...] = ()

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.derivatives

    def _terms(self, evaluated: bool) -> list[sp.Expr]:
        terms = []
        for i, step in enumerate(self.derivatives):
            if step.result.is_zero:
                continue
            if evaluated:
                others = [_u(f) for j, f in enumerate(self.factors) if j != i]
                terms.append(sp.Mul(step.result, *others))
            else:
                shown = [ordered(step.result) if j == i else f for j, f in enumerate(self.factors)]
                terms.append(_times(*shown))
        return terms

    def _result(self) -> sp.Expr:
        return sp.Add(*self._terms(evaluated=True))

    def _applied(self) -> sp.Expr:
        terms = self._terms(evaluated=False)
        return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]


@dataclass(frozen=True)
class PowerRule(Rule):
    """d/dx x**n = n*x**(n - 1), for a constant n"""

    name = "power rule"

    def _result(self) -> sp.Expr:
        n = _u(self.expr.exp)
        return n * self.var ** (n - 1)

    def _applied(self) -> sp.Expr:
        return _power_outer(self.var, _u(self.expr.exp))


@dataclass(frozen=True)
class ExponentialRule(Rule):
    """d/dx a**x = a**x * ln(a), for a constant a > 0 (and d/dx e**x = e**x)"""

    name = "exponential rule"

    def _result(self) -> sp.Expr:
        base = _u(self.expr.base) if self.expr.is_Pow else sp.E
        value = _u(self.expr)
        return value if base == sp.E else value * sp.log(base)

    def _applied(self) -> sp.Expr:
        base = self.expr.base if self.expr.is_Pow else sp.E
        if base == sp.E:
            return self.expr
        return _times(self.expr, sp.log(base, evaluate=False))


@dataclass(frozen=True)
class FunctionRule(Rule):
    """d/dx f(x) = f'(x), from the table of elementary derivatives"""

    name = "function rule"
    rule_name: str = ""
    formula: Builder | None = None

    def _result(self) -> sp.Expr:
        assert self.formula is not None
        return _u(self.formula(self.var))

    def _applied(self) -> sp.Expr:
        assert self.formula is not None
        return self.formula(self.var)


@dataclass(frozen=True)
class ChainRule(Rule):
    """d/dx f(u) = f'(u) * du/dx"""

    name = "chain rule"
    u: sp.Expr = sp.S.Zero
    outer_name: str = ""
    outer: Builder | None = None
    inner: Rule | None = None

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.inner,) if self.inner else ()

    def _result(self) -> sp.Expr:
        assert self.outer is not None and self.inner is not None
        return _u(self.outer(self.u)) * self.inner.result

    def _applied(self) -> sp.Expr:
        assert self.outer is not None and self.inner is not None
        return _times(self.outer(self.u), ordered(self.inner.result))


@dataclass(frozen=True)
class LogDiffRule(Rule):
    """d/dx f**g = f**g * (g' * ln(f) + g * f'/f), by logarithmic differentiation"""

    name = "logarithmic differentiation"
    base: Rule | None = None
    exponent: Rule | None = None

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return tuple(r for r in (self.base, self.exponent) if r)

    def _result(self) -> sp.Expr:
        assert self.base is not None and self.exponent is not None
        f, g = _u(self.expr.base), _u(self.expr.exp)
        return _u(self.expr) * (self.exponent.result * sp.log(f) + g * self.base.result / f)

    def _applied(self) -> sp.Expr:
        assert self.base is not None and self.exponent is not None
        f, g = self.expr.base, self.expr.exp
        inside = sp.Add(
            _times(ordered(self.exponent.result), sp.log(f, evaluate=False)),
            _times(g, ordered(self.base.result), sp.Pow(f, -1, evaluate=False)),
            evaluate=False,
        )
        return _times(self.expr, inside)


@dataclass(frozen=True)
class Unsupported(Rule):
    """No rule applies: SymPy's ``diff`` gives the result, without steps."""

    name = "no step-by-step rule (SymPy's diff)"

    def _result(self) -> sp.Expr:
        return sp.diff(_u(self.expr), self.var)


def _times(*factors: sp.Expr) -> sp.Expr:
    """An unevaluated product that drops ones and keeps a lone factor bare."""
    kept: list[sp.Expr] = []
    for f in factors:
        kept.extend(f.args if f.is_Mul and not f.is_Number else [f])
    kept = [f for f in kept if f != 1]
    if any(f.is_zero for f in kept):
        return sp.S.Zero
    if not kept:
        return sp.S.One
    if len(kept) == 1:
        return kept[0]
    if kept[0] == -1 and kept[1].is_Number:
        kept = [-kept[1], *kept[2:]]
    return sp.Mul(*kept, evaluate=False) if len(kept) > 1 else kept[0]


def _power_outer(u: sp.Expr, n: sp.Expr) -> sp.Expr:
    """n*u**(n - 1), written out: 2u, 3u², (1/2)u^(-1/2)."""
    m = n - 1
    if m == 0:
        return n
    power = u if m == 1 else sp.Pow(u, m, evaluate=False)
    return _times(n, power)


def _neg(expr: sp.Expr) -> sp.Expr:
    return _times(sp.S.NegativeOne, expr)


def _recip(expr: sp.Expr) -> sp.Expr:
    return sp.Pow(expr, -1, evaluate=False)


def _pow(expr: sp.Expr, n: sp.Expr) -> sp.Expr:
    return sp.Pow(expr, n, evaluate=False)


def _fn(f: type, x: sp.Expr) -> sp.Expr:
    result: sp.Expr = f(x, evaluate=False)
    return result


_one_minus_sq: Builder = lambda u: sp.Add(1, _neg(_pow(u, 2)), evaluate=False)  # noqa: E731
_one_plus_sq: Builder = lambda u: sp.Add(1, _pow(u, 2), evaluate=False)  # noqa: E731
_sq_minus_one: Builder = lambda u: sp.Add(_pow(u, 2), -1, evaluate=False)  # noqa: E731

#: f -> (rule name, f'(u)) for the functions a lesson differentiates by table.
FUNCTION_TABLE: dict[type, tuple[str, Builder]] = {
    sp.exp: ("exponential rule", lambda u: sp.exp(u, evaluate=False)),
    sp.log: ("logarithm rule", lambda u: _recip(u)),
    sp.sin: ("sine rule", lambda u: _fn(sp.cos, u)),
    sp.cos: ("cosine rule", lambda u: _neg(_fn(sp.sin, u))),
    sp.tan: ("tangent rule", lambda u: _pow(_fn(sp.sec, u), 2)),
    sp.cot: ("cotangent rule", lambda u: _neg(_pow(_fn(sp.csc, u), 2))),
    sp.sec: ("secant rule", lambda u: _times(_fn(sp.sec, u), _fn(sp.tan, u))),
    sp.csc: ("cosecant rule", lambda u: _neg(_times(_fn(sp.csc, u), _fn(sp.cot, u)))),
    sp.asin: ("arcsine rule", lambda u: _recip(_pow(_one_minus_sq(u), sp.S.Half))),
    sp.acos: ("arccosine rule", lambda u: _neg(_recip(_pow(_one_minus_sq(u), sp.S.Half)))),
    sp.atan: ("arctangent rule", lambda u: _recip(_one_plus_sq(u))),
    sp.acot: ("arccotangent rule", lambda u: _neg(_recip(_one_plus_sq(u)))),
    sp.asec: (
        "arcsecant rule",
        lambda u: _recip(_times(_pow(u, 2), _pow(_one_minus_sq(_recip(u)), sp.S.Half))),
    ),
    sp.acsc: (
        "arccosecant rule",
        lambda u: _neg(_recip(_times(_pow(u, 2), _pow(_one_minus_sq(_recip(u)), sp.S.Half)))),
    ),
    sp.sinh: ("hyperbolic sine rule", lambda u: _fn(sp.cosh, u)),
    sp.cosh: ("hyperbolic cosine rule", lambda u: _fn(sp.sinh, u)),
    sp.tanh: ("hyperbolic tangent rule", lambda u: _one_minus_sq(_fn(sp.tanh, u))),
    sp.coth: ("hyperbolic cotangent rule", lambda u: _one_minus_sq(_fn(sp.coth, u))),
    sp.sech: ("hyperbolic secant rule", lambda u: _neg(_times(_fn(sp.sech, u), _fn(sp.tanh, u)))),
    sp.csch: (
        "hyperbolic cosecant rule",
        lambda u: _neg(_times(_fn(sp.csch, u), _fn(sp.coth, u))),
    ),
    sp.asinh: ("inverse sinh rule", lambda u: _recip(_pow(_one_plus_sq(u), sp.S.Half))),
    sp.acosh: ("inverse cosh rule", lambda u: _recip(_pow(_sq_minus_one(u), sp.S.Half))),
    sp.atanh: ("inverse tanh rule", lambda u: _recip(_one_minus_sq(u))),
    sp.acoth: ("inverse coth rule", lambda u: _recip(_one_minus_sq(u))),
    sp.Abs: ("absolute value rule", lambda u: _fn(sp.sign, u)),
    sp.sign: ("sign rule", lambda u: sp.S.Zero),
}


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
    if isinstance(expr, sp.exp):
        return _function_rule(expr, var, sp.exp)
    for cls in FUNCTION_TABLE:
        if issubclass(expr.func, cls) and len(expr.args) == 1:
            return _function_rule(expr, var, cls)
    return Unsupported(expr, var)


def _mul_rule(expr: sp.Expr, var: sp.Symbol) -> Rule:
    constants = [f for f in expr.args if not f.has(var)]
    varying = [f for f in expr.args if f.has(var)]
    rest = varying[0] if len(varying) == 1 else sp.Mul(*varying, evaluate=False)
    inner = (
        diff_steps(rest, var)
        if len(varying) == 1
        else ProductRule(
            rest,
            var,
            factors=tuple(varying),
            derivatives=tuple(diff_steps(f, var) for f in varying),
        )
    )
    if not constants:
        return inner
    constant = sp.Mul(*constants) if all(c.is_Number for c in constants) else _times(*constants)
    return ConstantMultipleRule(expr, var, constant=constant, inner=inner)


def _pow_rule(expr: sp.Expr, var: sp.Symbol) -> Rule:
    base, exp = expr.base, expr.exp
    if not exp.has(var):
        if base == var:
            return PowerRule(expr, var)
        n = _u(exp)
        return ChainRule(
            expr,
            var,
            u=base,
            outer_name="power rule",
            outer=lambda u: _power_outer(u, n),
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
                else _times(sp.Pow(base, u, evaluate=False), sp.log(base, evaluate=False))
            ),
            inner=diff_steps(exp, var),
        )
    return LogDiffRule(expr, var, base=diff_steps(base, var), exponent=diff_steps(exp, var))


def _function_rule(expr: sp.Expr, var: sp.Symbol, cls: type) -> Rule:
    arg = expr.args[0]
    rule_name, formula = FUNCTION_TABLE[cls]
    if arg == var:
        if cls is sp.exp:
            return ExponentialRule(expr, var)
        return FunctionRule(expr, var, rule_name=rule_name, formula=formula)
    return ChainRule(
        expr, var, u=arg, outer_name=rule_name, outer=formula, inner=diff_steps(arg, var)
    )


def rule_names(rule: Rule, *, inner: bool = True) -> list[str]:
    """The distinct rules a derivation uses, in the order they are first applied.

    With ``inner=False``, the derivatives of the chain rule's inner functions are left out:
    the rules of the one-line form a lesson writes.
    """
    names: list[str] = []
    for step in rule.walk() if inner else _outer_walk(rule):
        found = [step.name]
        if isinstance(step, ChainRule):
            found.append(step.outer_name)
        if isinstance(step, FunctionRule):
            found = [step.rule_name]
        for name in found:
            if name not in names:
                names.append(name)
    return names


def _outer_walk(rule: Rule) -> Iterator[Rule]:
    yield rule
    if isinstance(rule, ChainRule):
        return
    for sub in rule.substeps:
        yield from _outer_walk(sub)


@dataclass(frozen=True)
class Failure:
    """A rule application whose result disagrees with ``sympy.diff``."""

    rule: Rule
    expected: sp.Expr


def verify(rule: Rule) -> list[Failure]:
    """Check every rule application in the tree against ``sympy.diff``; return the failures.

    >>> x = sp.Symbol("x", real=True)
    >>> verify(diff_steps(x**x * sp.atan(x), x))
    []
    """
    failures = []
    for step in rule.walk():
        expected = sp.diff(_u(step.expr), step.var)
        if not equal(step.result, expected, step.var.free_symbols | step.expr.free_symbols):
            failures.append(Failure(step, expected))
    return failures
