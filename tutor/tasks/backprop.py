"""``backprop``: the computational graph, the forward pass, the backward pass node by node, and
the same graph built in torch, its ``.grad`` compared with every adjoint.

The gradient notes' J(a, b, c) = 3(a + bc) with v = bc, u = a + v at (5, 3, 2): forward
v = 6, u = 11, J = 33; backward ∂J/∂u = 3, ∂J/∂v = 3·1, ∂J/∂a = 3·1 = 3, ∂J/∂b = 3·1·c = 6,
∂J/∂c = 3·1·b = 9.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pydantic
import sympy as sp

from .. import phrasing
from ..calculus.graph import Graph, GraphError, build_graph
from ..document import (
    Block,
    Check,
    Diagram,
    DiagramEdge,
    DiagramNode,
    Equation,
    Label,
    Link,
    Section,
    Step,
    Table,
)
from ..errors import InputError
from ..expr import ordered, substitute
from ..numeric import tolerance
from ..outcome import Figure, Outcome, Point
from .context import Context

NAME = "backprop"
#: The message key of its section\'s title.
TITLE = "backprop.title"


class Params(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    at: Any


def run(ctx: Context, params: Params) -> Section:
    at = ctx.point(params.at, "at")
    try:
        graph = build_graph(ctx.problem.objective_shown, ctx.variables, ctx.name.text)
    except GraphError as exc:
        raise InputError("backprop: {exc}", exc=exc) from None
    point = dict(zip(ctx.variables, at, strict=True))
    values = graph.forward(point)
    local = graph.local_values(values)
    adjoints = graph.backward(local)
    bad = [
        node.name
        for node, value, adjoint in zip(graph.nodes, values, adjoints, strict=True)
        if not (_finite(value) and _finite(adjoint))
    ]
    if bad:
        raise InputError(
            "at {text} node {value} has no finite value or derivative; choose another point",
            key="at",
            text=phrasing.point(at).text,
            value=bad[0],
        )
    torch_run = _torch_graph(graph, values)
    steps = [
        _graph_step(ctx, graph),
        _forward_step(ctx, graph, values),
        _backward_step(ctx, graph, values, local, adjoints),
        _gradient_step(ctx, graph, values, adjoints),
        _torch_step(ctx, graph, adjoints, torch_run),
    ]
    grad = {v.name: _leaf_adjoint(graph, adjoints, v) for v in ctx.variables}
    checks = (
        _symbolic_check(ctx, at, grad),
        _torch_check(ctx, graph, adjoints, torch_run, at),
    )
    result = Backprop(at, grad, graph, tuple(values), tuple(adjoints), tuple(torch_run))
    title = phrasing.text(TITLE)
    return Section(NAME, title, {"at": [str(v) for v in at]}, result, tuple(steps), checks)


@dataclass(frozen=True, eq=False, repr=False)
class Backprop(Outcome):
    """The graph worked at a point: each node's value and adjoint, what torch reported for
    it, and the gradient (the leaves' adjoints)."""

    at: tuple[sp.Expr, ...]
    grad: dict[str, sp.Expr]
    graph: Graph
    node_values: tuple[sp.Expr, ...]
    adjoints: tuple[sp.Expr, ...]
    torch_run: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        graph = self.graph
        nodes = [
            {
                "name": node.name,
                "kind": _kind(graph, i),
                "op": node.op,
                "expr": node.expr,
                "children": [graph.nodes[c].name for c in node.children],
                "local": {
                    graph.nodes[c].name: d for c, d in zip(node.children, node.local, strict=True)
                },
                "value": self.node_values[i],
                "adjoint": self.adjoints[i],
                "torch": dict(self.torch_run[i]),
            }
            for i, node in enumerate(graph.nodes)
        ]
        return {"at": self.at, "grad": self.grad, "nodes": nodes}

    def figures(self) -> tuple[Figure, ...]:
        return (Point(tuple(float(v) for v in self.at)),)


def _finite(value: sp.Expr) -> bool:
    return bool(value.is_finite) and not value.has(sp.nan, sp.zoo) and value.is_real is not False


def _kind(graph: Graph, i: int) -> str:
    if graph.nodes[i].leaf:
        return "leaf"
    return "output" if i == len(graph.nodes) - 1 else "intermediate"


def _leaf_adjoint(graph: Graph, adjoints: list[sp.Expr], var: sp.Symbol) -> sp.Expr:
    for node, adjoint in zip(graph.nodes, adjoints, strict=True):
        if node.leaf and node.symbol == var:
            return adjoint
    return sp.S.Zero  # the variable does not appear in the objective


def _node_partial(ctx: Context, graph: Graph, parent: int, child: int) -> Label:
    """∂parent/∂child for one edge; the output keeps the problem's own label."""
    p = graph.nodes[parent]
    top = ctx.name if parent == len(graph.nodes) - 1 else phrasing.symbol(p.symbol)
    return phrasing.partial(top, graph.nodes[child].symbol)


def _adjoint_label(ctx: Context, graph: Graph, i: int) -> Label:
    return phrasing.partial(ctx.name, graph.nodes[i].symbol)


def _graph_step(ctx: Context, graph: Graph) -> Step:
    depth: list[int] = []
    for node in graph.nodes:
        depth.append(1 + max((depth[c] for c in node.children), default=-1))
    rows_in: dict[int, int] = {}
    diagram_nodes = []
    for i, node in enumerate(graph.nodes):
        row = rows_in.get(depth[i], 0)
        rows_in[depth[i]] = row + 1
        name: sp.Basic | Label = ctx.name if i == len(graph.nodes) - 1 else node.symbol
        diagram_nodes.append(DiagramNode(name, node.op, depth[i], row))
    edges = tuple(
        DiagramEdge(c, i, ordered(d))
        for i, node in enumerate(graph.nodes)
        for c, d in zip(node.children, node.local, strict=True)
    )
    leaves = [n for n in graph.nodes if n.leaf]
    inner = [n for n in graph.nodes[:-1] if not n.leaf]
    rows = []
    for i, node in enumerate(graph.nodes):
        kind = phrasing.text(f"backprop.kind.{_kind(graph, i)}")
        name = ctx.name if i == len(graph.nodes) - 1 else node.symbol
        rows.append((name, kind, "" if node.op is None else node.op, node.shown))
    middle = (
        phrasing.phrase("backprop.intermediate", nodes=phrasing.listed(n.symbol for n in inner))
        if inner
        else ""
    )
    intro = phrasing.say(
        "backprop.graph",
        inputs=phrasing.listed(n.symbol for n in leaves),
        intermediate=middle,
        f=ctx.name,
    )
    headers = tuple(phrasing.text(f"backprop.column.{k}") for k in ("node", "kind", "op", "expr"))
    return Step.of(
        phrasing.text("backprop.graph.title"),
        intro,
        Table(headers, tuple(rows)),
        Diagram(tuple(diagram_nodes), edges),
    )


def _forward_step(ctx: Context, graph: Graph, values: list[sp.Expr]) -> Step:
    rows = []
    for i, node in enumerate(graph.nodes):
        name = ctx.name if i == len(graph.nodes) - 1 else node.symbol
        if node.op is None:
            rows.append((name, phrasing.text("backprop.input"), "", values[i]))
            continue
        env = {graph.nodes[c].symbol: values[c] for c in node.children}
        rows.append((name, node.op, substitute(node.op, env), values[i]))
    leaves = tuple(values[i] for i, n in enumerate(graph.nodes) if n.leaf)
    keys = ("node", "operation", "values", "value")
    return Step.of(
        phrasing.title("backprop.forward.title", point=phrasing.point(leaves)),
        phrasing.say("backprop.forward"),
        Table(tuple(phrasing.text(f"backprop.column.{k}") for k in keys), tuple(rows)),
    )


def _backward_step(
    ctx: Context,
    graph: Graph,
    values: list[sp.Expr],
    local: list[tuple[sp.Expr, ...]],
    adjoints: list[sp.Expr],
) -> Step:
    out = len(graph.nodes) - 1
    start = phrasing.text("backprop.start")
    rows: list[tuple[Any, ...]] = [(_adjoint_label(ctx, graph, out), start, "", sp.S.One)]
    for i in range(out - 1, -1, -1):
        chain_text, chain_latex, numbers = [], [], []
        for p, k in graph.parents(i):
            edge = _node_partial(ctx, graph, p, i)
            if p == out:
                chain_text.append(edge.text)
                chain_latex.append(edge.latex)
                numbers.append(local[p][k])
            else:
                upstream = _adjoint_label(ctx, graph, p)
                chain_text.append(f"{upstream.text}·{edge.text}")
                chain_latex.append(f"{upstream.latex} \\cdot {edge.latex}")
                numbers.append(sp.Mul(adjoints[p], local[p][k], evaluate=False))
        chain = Label(" + ".join(chain_text), " + ".join(chain_latex))
        shown = sp.Add(*numbers, evaluate=False) if len(numbers) > 1 else numbers[0]
        rows.append((_adjoint_label(ctx, graph, i), chain, shown, adjoints[i]))
    keys = ("adjoint", "chain", "values", "value")
    return Step.of(
        phrasing.text("backprop.backward.title"),
        phrasing.say("backprop.backward", f=ctx.name),
        Table(tuple(phrasing.text(f"backprop.column.{k}") for k in keys), tuple(rows)),
    )


def _gradient_step(
    ctx: Context, graph: Graph, values: list[sp.Expr], adjoints: list[sp.Expr]
) -> Step:
    symbolic = graph.symbolic_adjoints()
    env = {n.symbol: v for n, v in zip(graph.nodes, values, strict=True)}
    blocks: list[Block] = [phrasing.say("backprop.gradient")]
    for var in ctx.variables:
        label = ctx.partial_label(var)
        index = next((i for i, n in enumerate(graph.nodes) if n.leaf and n.symbol == var), None)
        if index is None:
            absent = phrasing.text("backprop.absent", x=var.name)
            blocks.append(Equation.chain(label, Link(sp.S.Zero, absent)))
            continue
        links = [Link(symbolic[index])]
        if symbolic[index].free_symbols:
            links.append(Link(substitute(symbolic[index], env)))
        if links[-1].expr != adjoints[index]:
            links.append(Link(adjoints[index]))
        blocks.append(Equation(label, tuple(links)))
    return Step(phrasing.text("gradient.vector.title"), tuple(blocks))


def _torch_graph(graph: Graph, values: list[sp.Expr]) -> list[dict[str, Any]]:
    """The same graph in torch: leaves with requires_grad, retain_grad() on the others,
    backward() from the output; what torch reports for each node."""
    import torch

    from ..numeric.compile import torch_function

    tensors: list[Any] = []
    for i, node in enumerate(graph.nodes):
        if node.op is None:
            t = torch.tensor(float(values[i]), dtype=torch.float64, requires_grad=True)
        else:
            fn = torch_function(node.op, [graph.nodes[c].symbol for c in node.children])
            t = fn(*(tensors[c] for c in node.children))
            t.retain_grad()
        tensors.append(t)
    tensors[-1].backward()
    out = []
    for t in tensors:
        out.append(
            {
                "is_leaf": bool(t.is_leaf),
                "grad_fn": None if t.grad_fn is None else t.grad_fn.name(),
                "grad": None if t.grad is None else float(t.grad),
            }
        )
    return out


def _torch_step(
    ctx: Context, graph: Graph, adjoints: list[sp.Expr], torch_run: list[dict[str, Any]]
) -> Step:
    rows = []
    for i, node in enumerate(graph.nodes):
        name = ctx.name if i == len(graph.nodes) - 1 else node.symbol
        report = torch_run[i]
        grad = report["grad"]
        rows.append(
            (
                name,
                str(report["is_leaf"]),
                report["grad_fn"] or "None",
                "None" if grad is None else sp.Float(grad),
                adjoints[i],
            )
        )
    headers = ("node", "is_leaf", "grad_fn", ".grad", phrasing.text("backprop.column.above"))
    headers = (phrasing.text("backprop.column.node"), *headers[1:])
    return Step.of(
        phrasing.text("backprop.torch.title"),
        phrasing.say("backprop.torch", f=ctx.name.text),
        Table(headers, tuple(rows)),
    )


def _symbolic_check(ctx: Context, at: tuple[sp.Expr, ...], grad: dict[str, sp.Expr]) -> Check:
    errors = []
    for var, partial in zip(ctx.variables, ctx.gradient, strict=True):
        difference = sp.simplify(grad[var.name] - ctx.at(partial, at))
        errors.append(0.0 if difference == 0 else abs(float(sp.N(difference, 50))))
    return Check.numeric(
        what=phrasing.text("backprop.check.symbolic", f=ctx.name.text),
        method=phrasing.text("method.backprop.exact"),
        error=max(errors),
        tolerance=tolerance.DIGITS50_TOL,
        points=(tuple(float(v) for v in at),),
    )


def _torch_check(
    ctx: Context,
    graph: Graph,
    adjoints: list[sp.Expr],
    torch_run: list[dict[str, Any]],
    at: tuple[sp.Expr, ...],
) -> Check:
    ours = np.array([float(a) for a in adjoints])
    theirs = np.array([np.nan if r["grad"] is None else r["grad"] for r in torch_run], dtype=float)
    error = float(np.abs(ours - theirs).max()) if np.isfinite(theirs).all() else float("inf")
    return Check.numeric(
        what=phrasing.text("backprop.check.torch", n=len(graph.nodes)),
        method="torch autograd, retain_grad() (float64)",
        error=error,
        tolerance=tolerance.float64(float(np.abs(ours).max())),
        points=(tuple(float(v) for v in at),),
    )
