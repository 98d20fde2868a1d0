"""A model fitted to data, and its objective built from the rows: the numeric work of loading.

``scale · Σᵢ ℓ(yᵢ, ŷ(xᵢ))`` is written out row by row (exact, for SymPy to derive), or, for a
model linear in its weights over many rows, collapsed once to the quadratic form
``wᵀ(XᵀX)w − 2wᵀ(Xᵀy) + yᵀy`` with the sums computed in float64 chunks. What a reader is
shown of it is :mod:`tutor.statement`'s job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .calculus.linear import Design, linear_design
from .data import Dataset
from .design import exact_sums, float_columns
from .errors import ExpressionError, InputError
from .expr import check_name, ordered
from .losses import Loss
from .numeric.device import DEVICE
from .numeric.stats import moments as compute_moments
from .partitions import Plan, count, reduce
from .problem import Model, expression

MAX_SYMBOLIC_ROWS = 2000
#: Beyond this many rows a linear model's least-squares loss is built from XᵀX, Xᵀy, yᵀy.
SUM_ROWS = 50
#: The rows the statement's table shows.
SHOWN_ROWS = 8


@dataclass(frozen=True)
class Objective:
    """The loss over the data: evaluated (what the engine derives), as written (the row terms
    left unevaluated), and the first rows for the statement's table."""

    value: sp.Expr
    shown: sp.Expr
    #: (row number, inputs..., y, ŷ, the row's residual or term) for the first rows.
    rows: tuple[tuple[sp.Expr | str, ...], ...]
    #: Whether the rows were collapsed to XᵀX, Xᵀy and yᵀy.
    collapsed: bool


def fitted_model(
    text: str,
    names: Mapping[str, sp.Expr],
    variables: tuple[sp.Symbol, ...],
    data: Dataset,
    loss: Loss,
) -> Model:
    """``output = rhs`` read against the data's columns, with the sums a linear least-squares
    fit over many rows needs."""
    if text.count("=") != 1:
        raise InputError("write the model as output = expression, e.g. y = a*x + b", key="model")
    left, right = (part.strip() for part in text.split("="))
    try:
        check_name(left)
    except ExpressionError as exc:
        raise InputError("left of '=': {why}", key="model", why=exc) from None
    if left not in data.arrays:
        raise InputError("output {left!r} is not a data column", key="model", left=left)
    if left in names:
        raise InputError("output {left!r} is also a variable or constant", key="model", left=left)
    columns = {c: sp.Symbol(c, real=True) for c in data.arrays if c != left and c not in names}
    rhs = expression(right, {**columns, **names}, "model")
    shown = expression(right, {**columns, **names}, "model", evaluate=False)
    inputs = tuple(s for s in columns.values() if s in rhs.free_symbols)
    if not rhs.free_symbols & set(variables):
        raise InputError("the model does not use any of the variables", key="model")
    design = linear_design(rhs, variables)
    if data.partitioned is not None:
        return _partitioned(left, rhs, shown, inputs, data, loss, design, variables)
    if loss.score:
        values = data.arrays[left]
        if not np.all((values >= 0) & (values <= 1)):
            raise InputError(
                "the {key_} loss needs labels {left} between 0 and 1 (classes 0 and 1)",
                key="data",
                key_=loss.key,
                left=left,
            )
    moments = None
    if design is not None and data.m > SUM_ROWS and loss.least_squares:
        features, target = float_columns(design, data, left)
        moments = dataclasses.replace(
            compute_moments(features, target), exact=exact_sums(design, data, left)
        )
        if not (np.isfinite(moments.gram).all() and np.isfinite(moments.moment).all()):
            raise InputError("the data give features that are not finite (NaN or ∞)", key="data")
    return Model(left, rhs, shown, inputs, data, loss, design, moments)


def _partitioned(
    output: str,
    rhs: sp.Expr,
    shown: sp.Expr,
    inputs: tuple[sp.Symbol, ...],
    data: Dataset,
    loss: Loss,
    design: Design | None,
    variables: tuple[sp.Symbol, ...],
) -> Model:
    """A linear least-squares model over partitioned data: its sums made in one Dask pass."""
    source = data.partitioned
    assert source is not None
    if design is None or not loss.least_squares:  # no sums carry it: a pass per step
        counted = count(source, [s.name for s in inputs], output)
        if loss.score and not (0 <= counted.low and counted.high <= 1):
            raise InputError(
                "the {key_} loss needs labels {left} between 0 and 1 (classes 0 and 1)",
                key="data",
                key_=loss.key,
                left=output,
            )
        data = dataclasses.replace(data, rows=counted.rows)
        return Model(output, rhs, shown, inputs, data, loss, design)
    plan = Plan(design.features, design.offset, output, rhs, variables, inputs, device=DEVICE.get())
    reduced = reduce(source, plan)
    data = dataclasses.replace(data, rows=reduced.engine.m)
    return Model(output, rhs, shown, inputs, data, loss, design, reduced.engine, reduced.judge)


def build(model: Model) -> Objective:
    """The loss over the data, row by row (or collapsed to its quadratic form)."""
    m = model.data.m
    if model.moments is not None:
        return _quadratic(model)
    if model.data.partitioned is not None:
        return _row_sum(model)
    if m > MAX_SYMBOLIC_ROWS:
        raise InputError(
            "{m} rows: the model is not linear in the variables, and an explicit sum over rows is "
            "built for at most {MAX_SYMBOLIC_ROWS} rows",
            key="data",
            m=m,
            MAX_SYMBOLIC_ROWS=MAX_SYMBOLIC_ROWS,
        )
    loss = model.loss
    y = model.data.column(model.output)
    xs = {s: model.data.column(s.name) for s in model.inputs}
    terms, shown_terms, rows = [], [], []
    for i in range(m):
        point = {s: xs[s][i] for s in model.inputs}
        prediction = model.rhs.xreplace(point)
        terms.append(loss.row(y[i], prediction))
        shown_terms.append(loss.shown(y[i], prediction))
        if i < SHOWN_ROWS:
            last = shown_terms[-1].base if loss.least_squares else shown_terms[-1]
            rows.append((str(i + 1), *point.values(), y[i], ordered(prediction), last))
    value = model.scale * sp.Add(*terms)
    summed = sp.Add(*shown_terms, evaluate=False) if m > 1 else shown_terms[0]
    shown = summed if model.scale == 1 else sp.Mul(model.scale, summed, evaluate=False)
    if m > SHOWN_ROWS and model.design is not None and loss.least_squares:
        shown = ordered(sp.expand(value))  # a polynomial: compact when expanded
    return Objective(value, shown, tuple(rows), collapsed=False)


def _row_sum(model: Model) -> Objective:
    """Partitioned rows that no sums carry: the loss as a SymPy ``Sum`` over row i (what
    JSON's ``objective`` says), the first rows for the table. Only gradient descent works on
    it, a pass over the partitions per step (:mod:`tutor.partitions`)."""
    i = sp.Symbol("i", integer=True, positive=True)
    rows_of = {s: sp.IndexedBase(s.name, real=True)[i] for s in model.inputs}
    y = sp.IndexedBase(model.output, real=True)[i]
    term = model.loss.row(y, model.rhs.xreplace(rows_of))
    value = model.scale * sp.Sum(term, (i, 1, model.data.m))
    return Objective(value, value, _first_rows(model, whole=True), collapsed=False)


def _first_rows(model: Model, whole: bool) -> tuple[tuple[sp.Expr | str, ...], ...]:
    """The statement's first rows from the data in floats (6 digits): i, inputs, y, ŷ and the
    residual or row term; ``whole``: a whole-number y as an integer (a class, 0 or 1)."""
    rows = []
    for k in range(min(SHOWN_ROWS, len(model.data.arrays[model.output]))):
        point = {s: sp.Float(float(model.data.arrays[s.name][k]), 6) for s in model.inputs}
        given = float(model.data.arrays[model.output][k])
        y = sp.Integer(int(given)) if whole and given.is_integer() else sp.Float(given, 6)
        prediction = model.rhs.xreplace(point)
        shown = model.loss.shown(y, prediction)
        last = shown.base if model.loss.least_squares else shown
        rows.append((str(k + 1), *point.values(), y, ordered(prediction), last))
    return tuple(rows)


def _quadratic(model: Model) -> Objective:
    """A linear model over many rows: SSE(w) = wᵀGw − 2cᵀw + yᵀy, G and c summed once."""
    assert model.moments is not None and model.design is not None
    stats = model.moments
    w = sp.Matrix(model.design.weights)
    gram, moment = stats.symbolic()
    sse = (w.T * gram * w)[0] - 2 * (moment.T * w)[0] + stats.yy_symbolic
    value = sp.expand(model.scale * sse)
    return Objective(value, ordered(value), _first_rows(model, whole=False), collapsed=True)
