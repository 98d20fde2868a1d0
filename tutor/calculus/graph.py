"""The computational graph of an expression, and backpropagation on it, in exact arithmetic.

The gradient notes draw J(a, b, c) = 3(a + bc) as a graph: leaves a, b, c; intermediates
v = bc and u = a + v; the output J = 3u. The forward pass computes each node from its
children; the backward pass starts from ∂J/∂J = 1 and hands each node's adjoint ∂J/∂node back
along its edges, multiplied by the edge's local derivative (the chain rule), summing where
edges meet. A subexpression written twice is one node (a DAG, not a tree).

Nodes are the operations as written: a sum keeps its constant term and the numeric
coefficients of its terms (2 − a − 3b is one node with local derivatives −1 and −3), a
product keeps its numeric factor and powers (3u, a²b, a/b), a function is one node (e^u).

>>> a, b, c = sp.symbols("a b c", real=True)
>>> shown = sp.Mul(3, sp.Add(a, sp.Mul(b, c, evaluate=False), evaluate=False), evaluate=False)
>>> g = build_graph(shown, [a, b, c], "J")
>>> [(n.name, str(n.op)) for n in g.nodes]
[('a', 'None'), ('b', 'None'), ('c', 'None'), ('v', 'b*c'), ('u', 'a + v'), ('J', '3*u')]
>>> values = g.forward({a: 5, b: 3, c: 2})
>>> values, g.backward(g.local_values(values))
([5, 3, 2, 6, 11, 33], [3, 6, 9, 3, 3, 1])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from ..expr import evaluate, substitute

#: Names for intermediate nodes, in the notes' style (u, v first); u₁, u₂, ... beyond these.
NAMES = ("u", "v", "p", "q", "r", "s", "t", "g", "h", "k")
MAX_NODES = 60


class GraphError(ValueError):
    """The expression cannot be drawn as a graph of at most MAX_NODES nodes."""


@dataclass(frozen=True)
class Node:
    """A leaf (``op`` is None) or an operation ``op`` on its children's symbols."""

    name: str
    symbol: sp.Symbol
    expr: sp.Expr
    shown: sp.Expr
    op: sp.Expr | None = None
    children: tuple[int, ...] = ()
    local: tuple[sp.Expr, ...] = ()

    @property
    def leaf(self) -> bool:
        return self.op is None


@dataclass(frozen=True)
class Graph:
    """Nodes in topological order: every child before its parents, the output last."""

    nodes: tuple[Node, ...]

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    def parents(self, index: int) -> list[tuple[int, int]]:
        """(parent, position of ``index`` among the parent's children) for every edge up."""
        return [
            (p, k)
            for p, node in enumerate(self.nodes)
            for k, child in enumerate(node.children)
            if child == index
        ]

    def forward(self, at: Mapping[sp.Symbol, sp.Expr]) -> list[sp.Expr]:
        """Each node's value, leaves from ``at``, the rest from their children."""
        values: list[sp.Expr] = []
        for node in self.nodes:
            if node.op is None:
                values.append(sp.sympify(at[node.symbol]))
            else:
                env = {self.nodes[c].symbol: values[c] for c in node.children}
                values.append(_at(evaluate(node.op), env))
        return values

    def local_values(self, values: Sequence[sp.Expr]) -> list[tuple[sp.Expr, ...]]:
        """Each node's local derivatives at the forward values."""
        out = []
        for node in self.nodes:
            env = {self.nodes[c].symbol: values[c] for c in node.children}
            out.append(tuple(_at(d, env) for d in node.local))
        return out

    def backward(self, local: Sequence[tuple[sp.Expr, ...]]) -> list[sp.Expr]:
        """Each node's adjoint ∂output/∂node, from the output back to the leaves, given the
        local derivatives at the point (:meth:`local_values`)."""
        adjoints: list[sp.Expr] = [sp.S.Zero] * len(self.nodes)
        adjoints[-1] = sp.S.One
        for i in range(len(self.nodes) - 2, -1, -1):
            adjoints[i] = sp.Add(*(adjoints[p] * local[p][k] for p, k in self.parents(i)))
        return adjoints

    def symbolic_adjoints(self) -> list[sp.Expr]:
        """Each adjoint as the product of local derivatives along the paths (3·1·c), unevaluated,
        in the nodes' symbols."""
        adjoints: list[sp.Expr] = [sp.S.Zero] * len(self.nodes)
        adjoints[-1] = sp.S.One
        for i in range(len(self.nodes) - 2, -1, -1):
            terms = []
            for p, k in self.parents(i):
                # the notes' 3 × 1 × c: every local derivative on the path, 1s included
                upstream = [] if p == len(self.nodes) - 1 else list(sp.Mul.make_args(adjoints[p]))
                factors = [*upstream, *sp.Mul.make_args(self.nodes[p].local[k])]
                terms.append(sp.Mul(*factors, evaluate=False) if len(factors) > 1 else factors[0])
            adjoints[i] = sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
        return adjoints


@dataclass(frozen=True)
class _Entry:
    expr: sp.Expr
    op: sp.Expr | None
    children: tuple[int, ...]


class _Builder:
    def __init__(self, variables: Sequence[sp.Symbol]):
        self.variables = set(variables)
        self.raw: list[_Entry] = []
        self.index: dict[sp.Basic, int] = {}

    def constant(self, expr: sp.Expr) -> bool:
        return not (expr.free_symbols & self.variables)

    def visit(self, expr: sp.Expr) -> int:
        if expr in self.index:
            return self.index[expr]
        if expr in self.variables:
            i = self._add(expr, None, [])
        else:
            op, children = self._operation(expr)
            i = self._add(expr, op, children)
        self.index[expr] = i
        return i

    def _add(self, expr: sp.Expr, op: sp.Expr | None, children: list[int]) -> int:
        if len(self.raw) >= MAX_NODES:
            raise GraphError(f"the graph has more than {MAX_NODES} nodes")
        self.raw.append(_Entry(expr, op, tuple(children)))
        return len(self.raw) - 1

    def _operation(self, expr: sp.Expr) -> tuple[sp.Expr, list[int]]:
        """The node's operation on placeholder symbols (one per child), and the children."""
        children: list[int] = []

        def child(e: sp.Expr) -> sp.Expr:
            i = self.visit(e)
            if i not in children:
                children.append(i)
            return sp.Symbol(f"_node{i}")

        if expr.is_Add:
            terms = []
            for arg in expr.args:
                if self.constant(arg):
                    terms.append(arg)
                    continue
                coeff, rest = _split_coefficient(arg)
                terms.append(child(rest) if coeff == 1 else sp.Mul(coeff, child(rest)))
            return sp.Add(*terms, evaluate=False), children
        if expr.is_Mul:
            factors = []
            for arg in expr.args:
                if self.constant(arg):
                    factors.append(arg)
                elif arg.is_Pow and self.constant(arg.exp):
                    factors.append(sp.Pow(child(arg.base), arg.exp, evaluate=False))
                else:
                    factors.append(child(arg))
            return sp.Mul(*factors, evaluate=False), children
        if expr.is_Pow:
            base = expr.base if self.constant(expr.base) else child(expr.base)
            exp = expr.exp if self.constant(expr.exp) else child(expr.exp)
            return sp.Pow(base, exp, evaluate=False), children
        if isinstance(expr, sp.Function) or (expr.args and not expr.is_Relational):
            args = [a if self.constant(a) else child(a) for a in expr.args]
            return expr.func(*args, evaluate=False), children
        raise GraphError(f"cannot draw {expr} as a graph node")


def _split_coefficient(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """−3a → (−3, a); a·b → (1, a·b); −(a·b) → (−1, a·b)."""
    if not expr.is_Mul:
        return sp.S.One, expr
    numbers = [a for a in expr.args if a.is_Number]
    rest = [a for a in expr.args if not a.is_Number]
    if not numbers:
        return sp.S.One, expr
    coeff = sp.Mul(*numbers)
    body = rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    return coeff, body


def build_graph(expr: sp.Expr, variables: Sequence[sp.Symbol], output: str) -> Graph:
    """The graph of ``expr`` (as written, unevaluated) in ``variables``; the output is named
    ``output`` and the intermediates u, v, p, ... breadth first from it, as the notes do.

    The builder appends a node only after its children, so its order is topological."""
    builder = _Builder(variables)
    if builder.constant(expr):
        raise GraphError("the objective does not depend on the variables")
    root = builder.visit(expr)
    raw = builder.raw
    order, seen, queue = [], {root}, [root]
    while queue:
        i = queue.pop(0)
        order.append(i)
        for c in raw[i].children:
            if c not in seen:
                seen.add(c)
                queue.append(c)
    taken = {v.name for v in variables} | {output}
    pool = [n for n in NAMES if n not in taken]
    inner = [i for i in order if i != root and raw[i].op is not None]
    if len(inner) > len(pool):
        pool = [f"u_{k + 1}" for k in range(len(inner))]
    names = {i: str(raw[i].expr) for i in order if raw[i].op is None}
    names.update({i: pool[k] for k, i in enumerate(inner)})
    names[root] = output
    symbols = {
        i: entry.expr if entry.op is None else sp.Symbol(names[i], real=True)
        for i, entry in enumerate(raw)
    }
    nodes = []
    for i, entry in enumerate(raw):
        op, local = entry.op, ()
        if op is not None:
            op = substitute(op, {sp.Symbol(f"_node{c}"): symbols[c] for c in entry.children})
            local = tuple(sp.diff(evaluate(op), symbols[c]) for c in entry.children)
        nodes.append(
            Node(names[i], symbols[i], evaluate(entry.expr), entry.expr, op, entry.children, local)
        )
    return Graph(tuple(nodes))


def _at(expr: sp.Expr, env: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``expr`` at the children's values, or nan where SymPy cannot give one (Max of log(-2) =
    log(2) + iπ): the caller names the node as having no finite value."""
    try:
        value: sp.Expr = sp.simplify(expr.xreplace(env))
    except (ValueError, TypeError, ZeroDivisionError):
        return sp.nan
    return value
