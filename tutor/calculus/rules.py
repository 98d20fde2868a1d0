"""The differentiation rules, each a frozen dataclass whose docstring is its mathematics.

A rule knows the expression it differentiates (as written, so a teacher's ``2 - a - b`` keeps
its order) and offers three views of the derivative:

- ``result``: SymPy's evaluated form, composed from the substeps' results;
- ``applied``: the line a lesson writes, this rule applied and every inner derivative done
  (``2(2 − a − b)·(−1)``);
- ``unfold``: this rule applied once, inner derivatives left as ``∂/∂x(...)`` placeholders,
  for the full rule tree (``2(2 − a − b)·∂/∂a(2 − a − b)``); ``None`` for a table rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import sympy as sp

from ..expr import evaluate, ordered

Builder = Callable[[sp.Expr], sp.Expr]


@dataclass(frozen=True)
class Caveat:
    """Where a rule's derivative may not hold: ``kind`` is "kink" (not differentiable where
    ``at`` = 0), "jump" (not continuous where ``at`` = 0), "positive" (valid where ``at`` > 0)
    or "equal_arguments" (max/min where two arguments are equal). Words: tutor.phrasing."""

    kind: str
    at: sp.Expr | None


@dataclass(frozen=True)
class Rule:
    """A rule applied to ``d/d var expr``."""

    name: ClassVar[str] = "rule"
    expr: sp.Expr
    var: sp.Symbol

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return ()

    @property
    def names(self) -> tuple[str, ...]:
        """The rule names this application stands for (a chain rule names its outer rule)."""
        return (self.name,)

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

    @property
    def unfold(self) -> sp.Expr | None:
        """This rule applied once, with ∂/∂x(...) standing for each inner derivative."""
        return None

    @property
    def caveat(self) -> Caveat | None:
        """Where the derivative does not exist, when the rule knows (|u| at u = 0...)."""
        return None

    def walk(self) -> Iterator[Rule]:
        """This rule and every rule below it, depth first."""
        yield self
        for sub in self.substeps:
            yield from sub.walk()


def d(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """The placeholder ``∂/∂var(expr)`` of an unfolded rule."""
    return sp.Derivative(expr, var, evaluate=False)


def times(*factors: sp.Expr) -> sp.Expr:
    """An unevaluated product that drops ones, flattens products, and keeps a lone factor bare."""
    kept: list[sp.Expr] = []
    for f in factors:
        kept.extend(f.args if f.is_Mul and not f.is_Number else [f])
    kept = [f for f in kept if f != 1]
    if any(f.is_zero for f in kept):
        return sp.S.Zero
    if not kept:
        return sp.S.One
    if len(kept) > 1 and kept[0] == -1 and kept[1].is_Number:
        kept = [-kept[1], *kept[2:]]
    return sp.Mul(*kept, evaluate=False) if len(kept) > 1 else kept[0]


def plus(*terms: sp.Expr) -> sp.Expr:
    """An unevaluated sum that drops zeros."""
    kept = [t for t in terms if not t.is_zero]
    if not kept:
        return sp.S.Zero
    return sp.Add(*kept, evaluate=False) if len(kept) > 1 else kept[0]


def neg(expr: sp.Expr) -> sp.Expr:
    return times(sp.S.NegativeOne, expr)


def recip(expr: sp.Expr) -> sp.Expr:
    return sp.Pow(expr, -1, evaluate=False)


def power(expr: sp.Expr, n: sp.Expr) -> sp.Expr:
    return sp.Pow(expr, n, evaluate=False)


def power_outer(u: sp.Expr, n: sp.Expr) -> sp.Expr:
    """n*u**(n - 1), written out: 2u, 3u², (1/2)u^(-1/2)."""
    m = n - 1
    if m == 0:
        return n
    return times(n, u if m == 1 else power(u, m))


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
        return plus(*(t.applied for t in self.terms if not t.result.is_zero))

    @property
    def unfold(self) -> sp.Expr:
        return sp.Add(*(d(t.expr, self.var) for t in self.terms), evaluate=False)


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
        return evaluate(self.constant) * self.inner.result

    def _applied(self) -> sp.Expr:
        assert self.inner is not None
        return times(self.constant, self.inner.applied)

    @property
    def unfold(self) -> sp.Expr:
        assert self.inner is not None
        return times(self.constant, d(self.inner.expr, self.var))


@dataclass(frozen=True)
class ProductRule(Rule):
    """d/dx (f*g*h) = f'*g*h + f*g'*h + f*g*h'"""

    name = "product rule"
    factors: tuple[sp.Expr, ...] = ()
    derivatives: tuple[Rule, ...] = ()

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.derivatives

    def _terms(self, shown: Callable[[Rule], sp.Expr]) -> list[sp.Expr]:
        terms = []
        for i, step in enumerate(self.derivatives):
            if step.result.is_zero:
                continue
            terms.append(times(*(shown(step) if j == i else f for j, f in enumerate(self.factors))))
        return terms

    def _result(self) -> sp.Expr:
        total = sp.S.Zero
        for i, step in enumerate(self.derivatives):
            others = [evaluate(f) for j, f in enumerate(self.factors) if j != i]
            total += sp.Mul(step.result, *others)
        return total

    def _applied(self) -> sp.Expr:
        return plus(*self._terms(lambda step: ordered(step.result)))

    @property
    def unfold(self) -> sp.Expr:
        return plus(*self._terms(lambda step: d(step.expr, self.var)))


@dataclass(frozen=True)
class QuotientRule(Rule):
    """d/dx (f/g) = (f'*g - f*g') / g**2"""

    name = "quotient rule"
    numerator: Rule | None = None
    denominator: Rule | None = None

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return tuple(r for r in (self.numerator, self.denominator) if r)

    def _parts(self) -> tuple[Rule, Rule]:
        assert self.numerator is not None and self.denominator is not None
        return self.numerator, self.denominator

    def _result(self) -> sp.Expr:
        f, g = self._parts()
        fe, ge = evaluate(f.expr), evaluate(g.expr)
        return (f.result * ge - fe * g.result) / ge**2

    def _shown(self, df: sp.Expr, dg: sp.Expr) -> sp.Expr:
        f, g = self._parts()
        top = plus(times(df, g.expr), neg(times(f.expr, dg)))
        return times(top, recip(power(g.expr, 2)))

    def _applied(self) -> sp.Expr:
        f, g = self._parts()
        return self._shown(ordered(f.result), ordered(g.result))

    @property
    def unfold(self) -> sp.Expr:
        f, g = self._parts()
        return self._shown(d(f.expr, self.var), d(g.expr, self.var))


@dataclass(frozen=True)
class PowerRule(Rule):
    """d/dx x**n = n*x**(n - 1), for a constant n"""

    name = "power rule"

    def _result(self) -> sp.Expr:
        n = evaluate(self.expr.exp)
        return n * self.var ** (n - 1)

    def _applied(self) -> sp.Expr:
        return power_outer(self.var, evaluate(self.expr.exp))


@dataclass(frozen=True)
class ExponentialRule(Rule):
    """d/dx a**x = a**x * ln(a), for a constant a > 0 (and d/dx e**x = e**x)"""

    name = "exponential rule"

    def _result(self) -> sp.Expr:
        base = evaluate(self.expr.base) if self.expr.is_Pow else sp.E
        value = evaluate(self.expr)
        return value if base == sp.E else value * sp.log(base)

    def _applied(self) -> sp.Expr:
        base = self.expr.base if self.expr.is_Pow else sp.E
        return self.expr if base == sp.E else times(self.expr, sp.log(base, evaluate=False))


@dataclass(frozen=True)
class FunctionRule(Rule):
    """d/dx f(x) = f'(x), from the table of elementary derivatives"""

    name = "function rule"
    rule_name: str = ""
    formula: Builder | None = None
    kink: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.rule_name,)

    def _result(self) -> sp.Expr:
        assert self.formula is not None
        return evaluate(self.formula(self.var))

    def _applied(self) -> sp.Expr:
        assert self.formula is not None
        return self.formula(self.var)

    @property
    def caveat(self) -> Caveat | None:
        return Caveat(self.kink, self.var) if self.kink else None


@dataclass(frozen=True)
class ChainRule(Rule):
    """d/dx f(u) = f'(u) * du/dx"""

    name = "chain rule"
    u: sp.Expr = sp.S.Zero
    outer_name: str = ""
    outer: Builder | None = None
    inner: Rule | None = None
    kink: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.outer_name)

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.inner,) if self.inner else ()

    def _result(self) -> sp.Expr:
        assert self.outer is not None and self.inner is not None
        return evaluate(self.outer(self.u)) * self.inner.result

    def _applied(self) -> sp.Expr:
        assert self.outer is not None and self.inner is not None
        return times(self.outer(self.u), ordered(self.inner.result))

    @property
    def unfold(self) -> sp.Expr:
        assert self.outer is not None
        return times(self.outer(self.u), d(self.u, self.var))

    @property
    def caveat(self) -> Caveat | None:
        return Caveat(self.kink, self.u) if self.kink else None


@dataclass(frozen=True)
class LogBaseRule(Rule):
    """d/dx log_b(u) = u' / (u * ln b), for a constant base b"""

    name = "logarithm base b rule"
    u: sp.Expr = sp.S.One
    base: sp.Expr = sp.E
    inner: Rule | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) if self.u == self.var else ("chain rule", self.name)

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return (self.inner,) if self.inner else ()

    def _result(self) -> sp.Expr:
        assert self.inner is not None
        return self.inner.result / (evaluate(self.u) * sp.log(self.base))

    def _shown(self, du: sp.Expr) -> sp.Expr:
        return times(du, recip(times(self.u, sp.log(self.base, evaluate=False))))

    def _applied(self) -> sp.Expr:
        assert self.inner is not None
        return self._shown(ordered(self.inner.result))

    @property
    def unfold(self) -> sp.Expr | None:
        return None if self.u == self.var else self._shown(d(self.u, self.var))


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
        f, g = evaluate(self.expr.base), evaluate(self.expr.exp)
        return evaluate(self.expr) * (self.exponent.result * sp.log(f) + g * self.base.result / f)

    def _shown(self, df: sp.Expr, dg: sp.Expr) -> sp.Expr:
        f, g = self.expr.base, self.expr.exp
        inside = plus(times(dg, sp.log(f, evaluate=False)), times(g, df, recip(f)))
        return times(self.expr, inside)

    def _applied(self) -> sp.Expr:
        assert self.base is not None and self.exponent is not None
        return self._shown(ordered(self.base.result), ordered(self.exponent.result))

    @property
    def unfold(self) -> sp.Expr:
        return self._shown(d(self.expr.base, self.var), d(self.expr.exp, self.var))

    @property
    def caveat(self) -> Caveat | None:
        return Caveat("positive", self.expr.base)


@dataclass(frozen=True)
class MaxMinRule(Rule):
    """d/dx max(f, g) = f'·H(f − g) + g'·H(g − f) (H the Heaviside step); min likewise"""

    name = "max/min rule"
    derivatives: tuple[Rule, ...] = ()

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return self.derivatives

    def _steps(self, args: list[sp.Expr], i: int) -> list[sp.Expr]:
        others = [a for j, a in enumerate(args) if j != i]
        if isinstance(self.expr, sp.Max):
            return [sp.Heaviside(ordered(args[i] - o)) for o in others]
        return [sp.Heaviside(ordered(o - args[i])) for o in others]

    def _result(self) -> sp.Expr:
        args = [evaluate(a) for a in self.expr.args]
        total = sp.Add(
            *(sp.Mul(r.result, *self._steps(args, i)) for i, r in enumerate(self.derivatives))
        )
        return evaluate(total)

    def _shown(self, shown: Callable[[Rule], sp.Expr]) -> sp.Expr:
        args = [evaluate(a) for a in self.expr.args]
        return plus(
            *(
                times(shown(r), *self._steps(args, i))
                for i, r in enumerate(self.derivatives)
                if not r.result.is_zero
            )
        )

    def _applied(self) -> sp.Expr:
        return self._shown(lambda r: ordered(r.result))

    @property
    def unfold(self) -> sp.Expr:
        return self._shown(lambda r: d(r.expr, self.var))

    @property
    def caveat(self) -> Caveat | None:
        return Caveat("equal_arguments", None)


@dataclass(frozen=True)
class Unsupported(Rule):
    """No rule applies: SymPy's ``diff`` gives the result, without steps."""

    name = "no step-by-step rule (SymPy's diff)"

    def _result(self) -> sp.Expr:
        return sp.diff(evaluate(self.expr), self.var)


@dataclass(frozen=True)
class Atan2Rule(Rule):
    """d/dx atan2(v, w) = (w*v' - v*w') / (v**2 + w**2)"""

    name = "atan2 rule"
    first: Rule | None = None
    second: Rule | None = None

    @property
    def substeps(self) -> tuple[Rule, ...]:
        return tuple(r for r in (self.first, self.second) if r)

    def _result(self) -> sp.Expr:
        assert self.first is not None and self.second is not None
        v, w = (evaluate(a) for a in self.expr.args)
        return (w * self.first.result - v * self.second.result) / (v**2 + w**2)

    def _shown(self, dv: sp.Expr, dw: sp.Expr) -> sp.Expr:
        v, w = self.expr.args
        top = plus(times(w, dv), neg(times(v, dw)))
        return times(top, recip(plus(power(v, 2), power(w, 2))))

    def _applied(self) -> sp.Expr:
        assert self.first is not None and self.second is not None
        return self._shown(ordered(self.first.result), ordered(self.second.result))

    @property
    def unfold(self) -> sp.Expr:
        v, w = self.expr.args
        return self._shown(d(v, self.var), d(w, self.var))
