"""How a model fitted to data is shown: the rows, the loss's definition, the objective as a
reader sees it. Presentation only: the numbers come from :mod:`tutor.objective`, the words
from :mod:`tutor.phrasing`."""

from __future__ import annotations

from typing import Any

import sympy as sp

from . import phrasing
from .data import EXACT_ROWS, Origin
from .document import Equation, Formula, Inline, Label, Link, Paragraph, Step, Table
from .objective import SHOWN_ROWS, Objective
from .problem import Model
from .render.mathprint import math_latex, math_text

YHAT = Label("ŷ", r"\hat{y}")


def setup(model: Model, objective: Objective, label: Label) -> tuple[tuple[Step, ...], Formula]:
    """The steps that build the objective from the data, and the objective as displayed."""
    headers = _headers(model)
    rows = list(objective.rows)
    m = model.data.m
    if objective.collapsed:
        return _collapsed(model, objective, label, headers, rows), objective.shown
    display: Formula = objective.shown
    if m > SHOWN_ROWS and not (model.design is not None and model.loss.least_squares):
        display = row_form(model)  # a thousand written-out terms help no one
    if m > SHOWN_ROWS:
        rows.append(("⋯",) * len(headers))
    step = Step.of(
        phrasing.text("statement.objective"),
        _model_sentence(model, "statement.residuals"),
        Table(headers, tuple(rows)),
        Equation(label, (Link(Label(*model.loss.definition(model.output))), Link(display))),
    )
    return (step,), display


def _collapsed(
    model: Model, objective: Objective, label: Label, headers: tuple[Any, ...], rows: list[Any]
) -> tuple[Step, ...]:
    assert model.moments is not None and model.design is not None
    stats = model.moments
    gram, moment = stats.symbolic()
    rows.append(("⋯",) * len(headers))
    quadratic = Label(
        "ŵᵀ(XᵀX)ŵ − 2ŵᵀ(Xᵀy) + yᵀy",
        r"\hat{w}^T (X^T X) \hat{w} - 2 \hat{w}^T (X^T y) + y^T y",
    )
    if model.scale != 1:
        quadratic = Label(
            f"({model.scale})·({quadratic.text})",
            rf"{sp.latex(model.scale)} \left({quadratic.latex}\right)",
        )
    weights = tuple(model.design.weights)
    step = Step.of(
        phrasing.text("statement.objective.collapsed"),
        _model_sentence(model, "statement.first_rows"),
        Table(headers, tuple(rows)),
        phrasing.say(
            "statement.collapsed.partitions"
            if model.data.partitioned is not None
            else "statement.collapsed",
            weights=phrasing.listed(weights),
            m=stats.m,
        ),
        Equation.chain(Label("XᵀX", "X^T X"), gram),
        Equation.chain(Label("Xᵀy", "X^T y"), moment),
        Equation.chain(Label("yᵀy", "y^T y"), stats.yy_symbolic),
        Equation(
            label,
            (
                Link(Label(*model.loss.definition(model.output))),
                Link(quadratic),
                Link(objective.shown),
            ),
        ),
    )
    return (step,)


def row_form(model: Model) -> Label:
    """The loss with the model written for row i: (1/m)·Σᵢ (y_i − a·e^(b·x_i))², m = 1,000."""
    row = {s: sp.Symbol(f"{s.name}_i", real=True) for s in model.inputs}
    prediction = model.rhs_shown.xreplace(row)
    y = sp.Symbol(f"{model.output}_i", real=True)
    term = model.loss.shown(y, prediction)
    if model.loss.least_squares:
        residual = term.base
        text = f"Σᵢ ({math_text(residual)})²"
        latex = rf"\sum_{{i=1}}^{{m}} \left({math_latex(residual)}\right)^2"
    else:
        text = f"Σᵢ [{math_text(term)}]"
        latex = rf"\sum_{{i=1}}^{{m}} \left[{math_latex(term)}\right]"
    if model.scale != 1:
        scale = math_text(model.scale)
        text = f"{scale.replace('1/', '(1/')})·{text}" if "/" in scale else f"{scale}·{text}"
        latex = rf"{math_latex(model.scale)} {latex}"
    return Label(f"{text}, m = {model.data.m:,}", rf"{latex}, \quad m = {model.data.m}")


def _headers(model: Model) -> tuple[Any, ...]:
    y = sp.Symbol(model.output, real=True)
    return ("i", *model.inputs, y, YHAT, Label(*model.loss.header_label(model.output)))


def _origin(origin: Origin) -> tuple[Inline, ...]:
    """``inline data``, ``CSV file data.csv``, ``generated data (n = 100, seed = 0)``."""
    return phrasing.phrase(
        f"data.origin.{origin.kind}",
        file=origin.file,
        rows=EXACT_ROWS,
        n=str(origin.n),
        seed=str(origin.seed),
    )


def _model_sentence(model: Model, tail: str) -> Paragraph:
    m = model.data.m
    sigma = Label("σ(ŷ) = 1/(1 + e^(−ŷ))", r"\sigma(\hat{y}) = \frac{1}{1 + e^{-\hat{y}}}")
    output = sp.Symbol(model.output, real=True)
    score = phrasing.phrase("statement.score", sigma=sigma, y=output) if model.loss.score else ""
    return phrasing.say(
        "statement.model",
        count=m,
        yhat=YHAT,
        rhs=model.rhs_shown,
        m=m,
        origin=_origin(model.data.origin),
        score=score,
        tail=phrasing.phrase(tail),
    )
