"""The notebook API: one call per task on an expression, no problem file needed.

Each call builds the same problem a file would (the expression goes through the same
whitelisted parser: a SymPy expression is taken as its text) and returns the same
:class:`~tutor.document.Solution`, which Jupyter displays with its math and ``print`` shows
as text. :func:`compile` turns a derived result into a torch function for your own loop.

>>> import tutor
>>> g = tutor.gradient("(2 - a - b)**2 + (4 - 3*a - b)**2", wrt="a b", at=[0, 0])
>>> g.sections[-1].result["exact"]
['-28', '-12']
>>> run = tutor.descend("(x - 2)**2 / 2", wrt="x", start=[0], lr=0.5, steps=30)
>>> round(run.sections[0].result["final"]["x"], 6)
2.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import sympy as sp

from .document import Solution
from .errors import InputError
from .expr import check_name, parse
from .grading.report import Report
from .solve import solve
from .tasks.gradient import Gradient

Expression: TypeAlias = str | sp.Expr
Names: TypeAlias = str | Sequence[str] | Sequence[sp.Symbol]


def _names(wrt: Names) -> list[str]:
    names = wrt.replace(",", " ").split() if isinstance(wrt, str) else [str(v) for v in wrt]
    if not names:
        raise InputError("name at least one variable", key="wrt")
    for n in names:
        check_name(n)
    return names


def _text(expr: Expression) -> str:
    return expr if isinstance(expr, str) else str(expr)


def _problem(expr: Expression, wrt: Names, tasks: list[Any], title: str, name: str) -> Solution:
    names = _names(wrt)
    raw = {
        "title": f"{title} of {_text(expr)}",
        "variables": names,
        "objective": _text(expr),
        "name": name,
        "tasks": tasks,
    }
    return solve(raw)


def _point(at: Sequence[Any] | None) -> dict[str, Any]:
    return {} if at is None else {"at": [str(v) if isinstance(v, sp.Basic) else v for v in at]}


def gradient(
    expr: Expression, wrt: Names, at: Sequence[Any] | None = None, name: str = "f"
) -> Solution:
    """Each partial derivative step by step, then the gradient (and its value at ``at``)."""
    return _problem(expr, wrt, ["partials", {"gradient": _point(at)}], "The gradient", name)


def hessian(
    expr: Expression, wrt: Names, at: Sequence[Any] | None = None, name: str = "f"
) -> Solution:
    """Every second partial step by step, the Hessian, and at ``at`` its eigenvalues.

    >>> h = hessian("x**2 + x*y + 2*y**2", wrt="x y", at=[0, 0])
    >>> h.sections[0].result["matrix"], h.sections[0].result["eigenvalues"]
    ([['2', '1'], ['1', '4']], ['3 - sqrt(2)', 'sqrt(2) + 3'])
    """
    return _problem(expr, wrt, [{"hessian": _point(at)}], "The Hessian", name)


def backprop(expr: Expression, wrt: Names, at: Sequence[Any], name: str = "J") -> Solution:
    """The computational graph, forward and backward passes, compared with torch's ``.grad``.

    >>> bp = backprop("3*(a + b*c)", wrt="a b c", at=[5, 3, 2])
    >>> bp.sections[0].result["grad"]
    {'a': '3', 'b': '6', 'c': '9'}
    """
    return _problem(expr, wrt, [{"backprop": _point(at)}], "Backpropagation", name)


def descend(
    expr: Expression,
    wrt: Names,
    start: Sequence[Any],
    lr: float | str | Sequence[float | str],
    steps: int = 1000,
    tol: float | None = None,
    exact: bool = False,
    name: str = "L",
) -> Solution:
    """Gradient descent on ``expr`` from ``start`` (one learning rate, or a list run as one
    batch), checked step by step against the same run in torch autograd."""
    params: dict[str, Any] = {
        "start": list(start),
        "lr": list(lr) if isinstance(lr, Sequence) and not isinstance(lr, str) else lr,
        "steps": steps,
        "exact": exact,
    }
    if tol is not None:
        params["tol"] = tol
    return _problem(expr, wrt, [{"gradient_descent": params}], "Gradient descent", name)


def compile(  # noqa: A001 - tutor.compile, as the issue names it
    exprs: Expression | Sequence[Expression] | Solution, wrt: Names
) -> Callable[..., Any]:
    """A torch function of the variables in ``wrt`` order: tensors in, a tensor out, autograd
    kept alive, any batch shape. A list (or the Solution of :func:`gradient`) gives its
    entries stacked along a last axis.

    >>> import torch
    >>> g = compile(gradient("(2 - a - b)**2 + (4 - 3*a - b)**2", wrt="a b"), wrt="a b")
    >>> g(torch.tensor(0.0), torch.tensor(0.0)).tolist()
    [-28.0, -12.0]
    """
    import torch

    from .numeric.compile import compile_exprs

    names = _names(wrt)
    symbols = {n: sp.Symbol(n, real=True) for n in names}
    if isinstance(exprs, Solution):
        found = [s.result for s in exprs.sections if isinstance(s.result, Gradient)]
        if not found:
            raise InputError("compile a Solution of tutor.gradient, or give expressions")
        # the gradient's own SymPy expressions, in the solution's symbols: nothing re-parsed
        by_name = {v.name: v for v in exprs.variables}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise InputError(
                "{value!r} is not a variable of this solution", key="wrt", value=unknown[0]
            )
        parsed, many = list(found[0].exprs), True
        variables = [by_name[n] for n in names]
    else:
        texts, many = (
            ([_text(exprs)], False)
            if isinstance(exprs, str | sp.Basic)
            else ([_text(e) for e in exprs], True)
        )
        parsed = [parse(t, symbols) for t in texts]
        variables = [symbols[n] for n in names]
    fn = compile_exprs(parsed, variables)

    def call(*xs: Any) -> Any:
        values = fn(*xs)
        return torch.stack(values, dim=-1) if many else values[0]

    return call


def grade(
    problem: str | Path | dict[str, Any],
    answers: str | Path | Mapping[str, Any] | Sequence[str | Path | Mapping[str, Any]],
    *,
    lang: str | None = None,
) -> Report | list[Report]:
    """Grade a student's answers (a file, or the mapping it holds) to ``problem``; a list of
    them gives a list of reports, the problem solved once for all.

    >>> r = grade("problems/sse.yaml", {"partials": {"a": "2(2 - a - b) + 2(4 - 3a - b)"}})
    >>> part = r.parts[0]
    >>> part.verdict, part.diagnosis
    ('incorrect', 'chain_rule_inner_dropped')
    >>> part.feedback
    'Every chain rule is missing its inner derivative: the derivative of f(u) is f′(u)·u′.'
    """
    from . import phrasing
    from .grading import answer_key, grade_answers, read_answers
    from .loading import load, problem_from_dict
    from .solve import asked_language
    from .yamlfile import read_yaml

    raw = problem if isinstance(problem, dict) else read_yaml(problem)
    lang = lang or asked_language(raw)
    with phrasing.language(lang):
        loaded = problem_from_dict(raw) if isinstance(problem, dict) else load(problem, raw)
        key = answer_key(loaded, solve(loaded, lang=lang))
        many = isinstance(answers, Sequence) and not isinstance(answers, str)
        items: list[Any] = list(answers) if many else [answers]  # type: ignore[arg-type]
        reports = []
        for item in items:
            if isinstance(item, Mapping):
                reports.append(grade_answers(key, item))
                continue
            try:
                found = read_answers(item)
            except InputError as exc:
                reports.append(grade_answers(key, None, file=str(item), error=exc))
                continue
            reports.append(grade_answers(key, found, file=str(item)))
    return reports if many else reports[0]
