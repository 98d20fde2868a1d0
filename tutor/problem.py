"""The problem file: read, validate, and build the objective (from text, or model + data + loss).

>>> p = problem_from_dict({"title": "t", "variables": ["x"], "objective": "x**2",
...                        "tasks": ["partials"]})
>>> p.variables, p.objective, p.name.text
((x,), x**2, 'f')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pydantic
import sympy as sp

from .calculus.linear import Design, linear_design
from .data import Dataset, load_data
from .design import exact_sums, float_columns
from .document import Equation, Formula, Label, Link, Paragraph, Step, Table
from .errors import ExpressionError, InputError
from .expr import check_name, ordered, parse, parse_number
from .numeric.stats import Moments
from .numeric.stats import moments as compute_moments
from .yamlfile import read_yaml

ASSUMPTIONS = ("positive", "negative", "nonnegative", "nonpositive", "nonzero")
LOSS_NAMES = {"sse": "SSE", "mse": "MSE", "half_mse": "L", "logistic": "L"}
#: Losses that sum squared residuals; ``logistic`` sums log(1 + e^ŷ) − y·ŷ instead.
SQUARED = ("sse", "mse", "half_mse")
MAX_VARIABLES = 50
MAX_SYMBOLIC_ROWS = 2000
#: Beyond this many rows a linear model's loss is built from X^T X, X^T y, y^T y instead.
SUM_ROWS = 50
SHOWN_ROWS = 8


class _Spec(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = pydantic.Field(min_length=1)
    source: str = ""
    description: str = ""
    variables: list[Any] = pydantic.Field(min_length=1, max_length=MAX_VARIABLES)
    name: str | None = None
    # strict: YAML's `false` is not the objective 0
    objective: pydantic.StrictStr | pydantic.StrictInt | pydantic.StrictFloat | None = None
    model: str | None = None
    data: dict[Any, Any] | None = None
    loss: Literal["sse", "mse", "half_mse", "logistic"] | None = None
    constants: dict[str, Any] = {}
    tasks: list[Any] = pydantic.Field(min_length=1)


@dataclass(frozen=True)
class TaskCall:
    """One entry of ``tasks``: the task's name, its validated params, and where it was written."""

    name: str
    params: Any
    key: str


@dataclass(frozen=True)
class Model:
    """``output = rhs`` fitted to data with a loss."""

    output: str
    rhs: sp.Expr
    rhs_shown: sp.Expr
    inputs: tuple[sp.Symbol, ...]
    data: Dataset
    loss: str
    design: Design | None = None
    moments: Moments | None = None

    @property
    def scale(self) -> sp.Expr:
        """The factor in front of the sum over rows: 1, 1/m or 1/(2m)."""
        m = self.data.m
        if self.loss == "sse":
            return sp.S.One
        return sp.Rational(1, 2 * m) if self.loss == "half_mse" else sp.Rational(1, m)

    @property
    def squared(self) -> bool:
        """Whether the loss sums squared residuals (else the logistic loss)."""
        return self.loss in SQUARED


@dataclass(frozen=True)
class Problem:
    """A validated problem: SymPy objects ready for the tasks."""

    title: str
    variables: tuple[sp.Symbol, ...]
    objective: sp.Expr
    objective_shown: sp.Expr
    name: Label
    tasks: tuple[TaskCall, ...] = ()
    source: str = ""
    description: str = ""
    constants: Mapping[str, sp.Expr] | None = None
    model: Model | None = None
    setup: tuple[Step, ...] = ()
    path: str | None = None
    objective_display: Formula | None = None

    def where(self, key: str | None = None) -> dict[str, str | None]:
        """Keyword arguments locating an :class:`InputError` in this problem's file."""
        return {"file": self.path, "key": key}


def load(path: str | Path) -> Problem:
    """Read and validate the problem file at ``path``."""
    raw = read_yaml(path)
    try:
        problem = problem_from_dict(raw, base_dir=Path(path).parent)
    except InputError as exc:
        raise exc.located(file=str(path)) from None
    return dataclasses.replace(problem, path=str(path))


def problem_from_dict(raw: Any, *, base_dir: Path = Path(".")) -> Problem:
    """Validate a parsed problem file and build its objective."""
    if not isinstance(raw, Mapping):
        raise InputError("a problem file is a mapping of keys (title, variables, ...)")
    try:
        spec = _Spec.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise _pydantic_error(exc, _Spec) from None
    variables = _variables(spec.variables)
    names: dict[str, sp.Expr] = {v.name: v for v in variables}
    constants = _constants(spec.constants, names)
    names.update(constants)
    if (spec.objective is None) == (spec.model is None):
        key = "objective" if spec.objective is not None else None
        raise InputError("give either objective, or model with data (and loss)", key=key)
    setup: tuple[Step, ...] = ()
    model = None
    if spec.objective is not None:
        for key in ("data", "loss"):
            if getattr(spec, key) is not None:
                raise InputError(f"{key} goes with model, not with objective", key=key)
        objective = _expr(spec.objective, names, "objective")
        shown = _expr(spec.objective, names, "objective", evaluate=False)
        display: Formula = shown
        label = _label(spec.name or "f", "name")
    else:
        assert spec.model is not None
        if spec.data is None:
            raise InputError("model needs data", key="data")
        try:
            data = load_data(spec.data, base_dir)
        except InputError as exc:
            raise exc.located(key="data") from None
        loss = spec.loss or "sse"
        model = _model(spec.model, names, variables, data, loss)
        label = _label(spec.name or LOSS_NAMES[loss], "name")
        objective, shown, setup, display = build_objective(model, label)
    from .tasks import parse_tasks

    return Problem(
        title=spec.title,
        source=spec.source,
        description=spec.description,
        variables=variables,
        objective=objective,
        objective_shown=shown,
        objective_display=display,
        name=label,
        tasks=parse_tasks(spec.tasks),
        constants=constants,
        model=model,
        setup=setup,
    )


def _pydantic_error(exc: pydantic.ValidationError, model: type[pydantic.BaseModel]) -> InputError:
    error = exc.errors()[0]
    loc = [p for p in error["loc"] if p not in ("str", "int", "float")]
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind = error["type"]
    if kind == "missing":
        message = "required key is missing"
    elif kind == "extra_forbidden":
        message = f"unknown key (known: {', '.join(model.model_fields)})"
    elif kind == "string_type":
        message = "expected text"
    elif kind == "too_short":
        message = "must not be empty"
    else:
        message = error["msg"]
    return InputError(message, key=key or None)


def _variables(raw: list[Any]) -> tuple[sp.Symbol, ...]:
    symbols: list[sp.Symbol] = []
    for i, entry in enumerate(raw):
        key = f"variables[{i}]"
        if isinstance(entry, Mapping):
            unknown = set(entry) - {"name", *ASSUMPTIONS}
            if unknown:
                raise InputError(
                    f"unknown key {sorted(unknown)[0]!r} (known: name, {', '.join(ASSUMPTIONS)})",
                    key=key,
                )
            if "name" not in entry:
                raise InputError("required key is missing", key=f"{key}.name")
            assumptions = {}
            for a in ASSUMPTIONS:
                if a in entry:
                    if not isinstance(entry[a], bool):
                        raise InputError("expected true or false", key=f"{key}.{a}")
                    assumptions[a] = entry[a]
            name = entry["name"]
        else:
            name, assumptions = entry, {}
        try:
            check_name(name)
            symbol = sp.Symbol(name, real=True, **assumptions)
        except ExpressionError as exc:
            raise InputError(exc.message, key=key) from None
        except ValueError:  # SymPy's message lists twenty derived facts: name the given ones
            given = " and ".join(f"{a}: {v}".lower() for a, v in assumptions.items())
            raise InputError(
                f"contradictory assumptions ({given} cannot all hold)", key=key
            ) from None
        if symbol.name in {s.name for s in symbols}:
            raise InputError(f"{name!r} is declared twice", key=key)
        symbols.append(symbol)
    return tuple(symbols)


def _constants(raw: Mapping[str, Any], names: Mapping[str, sp.Expr]) -> dict[str, sp.Expr]:
    constants = {}
    for name, value in raw.items():
        key = f"constants.{name}"
        try:
            check_name(name)
            constants[name] = parse_number(value)
        except ExpressionError as exc:
            raise InputError(exc.message, key=key) from None
        if name in names:
            raise InputError(f"{name!r} is already a variable", key=key)
    return constants


def _expr(text: Any, names: Mapping[str, sp.Expr], key: str, evaluate: bool = True) -> sp.Expr:
    try:
        return parse(text, names, evaluate=evaluate)
    except ExpressionError as exc:
        raise InputError(exc.message, key=key) from None


def _label(name: Any, key: str) -> Label:
    try:
        check_name(name)
    except ExpressionError as exc:
        raise InputError(exc.message, key=key) from None
    from .render.mathprint import math_latex, unicode_name

    if len(name) == 1 or unicode_name(name) != name:
        latex = math_latex(sp.Symbol(name))
    else:
        latex = "\\mathrm{" + name.replace("_", "\\_") + "}"
    return Label(unicode_name(name), latex)


def _model(
    text: str,
    names: Mapping[str, sp.Expr],
    variables: tuple[sp.Symbol, ...],
    data: Dataset,
    loss: str,
) -> Model:
    if text.count("=") != 1:
        raise InputError("write the model as output = expression, e.g. y = a*x + b", key="model")
    left, right = (part.strip() for part in text.split("="))
    try:
        check_name(left)
    except ExpressionError as exc:
        raise InputError(f"left of '=': {exc.message}", key="model") from None
    if left not in data.arrays:
        raise InputError(f"output {left!r} is not a data column", key="model")
    if left in names:
        raise InputError(f"output {left!r} is also a variable or constant", key="model")
    columns = {c: sp.Symbol(c, real=True) for c in data.arrays if c != left and c not in names}
    rhs = _expr(right, {**columns, **names}, "model")
    shown = _expr(right, {**columns, **names}, "model", evaluate=False)
    inputs = tuple(s for s in columns.values() if s in rhs.free_symbols)
    if not rhs.free_symbols & set(variables):
        raise InputError("the model does not use any of the variables", key="model")
    if loss == "logistic":
        values = data.arrays[left]
        if not np.all((values >= 0) & (values <= 1)):
            raise InputError(
                f"the logistic loss needs labels {left} between 0 and 1 (classes 0 and 1)",
                key="data",
            )
    design = linear_design(rhs, variables)
    moments = None
    if design is not None and data.m > SUM_ROWS and loss in SQUARED:
        features, target = float_columns(design, data, left)
        moments = dataclasses.replace(
            compute_moments(features, target), exact=exact_sums(design, data, left)
        )
        if not (np.isfinite(moments.gram).all() and np.isfinite(moments.moment).all()):
            raise InputError("the data give features that are not finite (NaN or ∞)", key="data")
    return Model(left, rhs, shown, inputs, data, loss, design, moments)


def build_objective(
    model: Model, label: Label
) -> tuple[sp.Expr, sp.Expr, tuple[Step, ...], Formula]:
    """The loss over the data: evaluated, as the engine derives it, the steps that built it,
    and how a reader sees it."""
    m = model.data.m
    if model.moments is not None:
        objective, shown, steps = _quadratic_objective(model, label)
        return objective, shown, steps, shown
    if m > MAX_SYMBOLIC_ROWS:
        raise InputError(
            f"{m} rows: the model is not linear in the variables, and an explicit sum of "
            f"squares is built for at most {MAX_SYMBOLIC_ROWS} rows",
            key="data",
        )
    y = model.data.column(model.output)
    xs = {s: model.data.column(s.name) for s in model.inputs}
    terms, shown_terms, rows = [], [], []
    for i in range(m):
        point = {s: xs[s][i] for s in model.inputs}
        prediction = model.rhs.xreplace(point)
        if model.squared:
            terms.append((y[i] - prediction) ** 2)
            residual = _residual(y[i], prediction)
            shown_terms.append(sp.Pow(residual, 2, evaluate=False))
            last = residual
        else:
            terms.append(sp.log(1 + sp.exp(prediction)) - y[i] * prediction)
            shown_terms.append(_logistic_term(y[i], ordered(prediction)))
            last = shown_terms[-1]
        if i < SHOWN_ROWS:
            rows.append((str(i + 1), *point.values(), y[i], ordered(prediction), last))
    objective = model.scale * sp.Add(*terms)
    summed = sp.Add(*shown_terms, evaluate=False) if m > 1 else shown_terms[0]
    shown = summed if model.scale == 1 else sp.Mul(model.scale, summed, evaluate=False)
    display: Formula = shown
    if m > SHOWN_ROWS and model.design is not None and model.squared:
        shown = display = ordered(sp.expand(objective))  # a polynomial: compact when expanded
    elif m > SHOWN_ROWS:
        display = _row_form(model)  # a thousand written-out squares help no one
    headers = _row_headers(model)
    if m > SHOWN_ROWS:
        rows.append(("⋯",) * len(headers))
    step = Step.of(
        "The objective from the data",
        _model_sentence(model, "each point gives a prediction and a residual:"),
        Table(headers, tuple(rows)),
        Equation(label, (Link(_definition(model)), Link(display))),
    )
    return objective, shown, (step,), display


def _row_form(model: Model) -> Label:
    """The loss with the model written for row i: (1/m)·Σᵢ (y_i − a·e^(b·x_i))², m = 1,000."""
    from .render.mathprint import math_latex, math_text

    row = {s: sp.Symbol(f"{s.name}_i", real=True) for s in model.inputs}
    prediction = model.rhs_shown.xreplace(row)
    y = sp.Symbol(f"{model.output}_i", real=True)
    if model.squared:
        residual = sp.Add(y, sp.Mul(-1, prediction, evaluate=False), evaluate=False)
        text = f"Σᵢ ({math_text(residual)})²"
        latex = rf"\sum_{{i=1}}^{{m}} \left({math_latex(residual)}\right)^2"
    else:
        term = _logistic_term(y, prediction)
        text = f"Σᵢ [{math_text(term)}]"
        latex = rf"\sum_{{i=1}}^{{m}} \left[{math_latex(term)}\right]"
    if model.scale != 1:
        text = (
            f"{math_text(model.scale).replace('1/', '(1/')})·{text}"
            if "/" in math_text(model.scale)
            else f"{math_text(model.scale)}·{text}"
        )
        latex = rf"{math_latex(model.scale)} {latex}"
    return Label(f"{text}, m = {model.data.m:,}", rf"{latex}, \quad m = {model.data.m}")


def _logistic_term(y: sp.Expr, score: sp.Expr) -> sp.Expr:
    """One row of the logistic loss as written: log(1 + e^ŷ) − y·ŷ (y = 0 drops the product)."""
    softplus = sp.log(sp.Add(1, sp.exp(score, evaluate=False), evaluate=False), evaluate=False)
    if y == 0:
        return softplus
    product = score if y == 1 else sp.Mul(y, score, evaluate=False)
    return sp.Add(softplus, sp.Mul(-1, product, evaluate=False), evaluate=False)


def _row_headers(model: Model) -> tuple[Any, ...]:
    y_sym = sp.Symbol(model.output, real=True)
    last = (
        Label(f"{model.output} − ŷ", model.output + r" - \hat{y}")
        if model.squared
        else Label(
            f"log(1 + e^ŷ) − {model.output}·ŷ",
            rf"\log(1 + e^{{\hat{{y}}}}) - {model.output} \hat{{y}}",
        )
    )
    return ("i", *model.inputs, y_sym, Label("ŷ", r"\hat{y}"), last)


def _definition(model: Model) -> Label:
    sigma = {
        "sse": ("", ""),
        "mse": ("(1/m) ", r"\frac{1}{m}"),
        "half_mse": ("(1/2m) ", r"\frac{1}{2m}"),
        "logistic": ("(1/m) ", r"\frac{1}{m}"),
    }[model.loss]
    if not model.squared:
        y = model.output
        return Label(
            f"(1/m) Σᵢ [log(1 + e^ŷᵢ) − {y}ᵢ·ŷᵢ]",
            r"\frac{1}{m}\sum_{i=1}^{m} \left[\log\left(1 + e^{\hat{y}_i}\right) - "
            + y
            + r"_i \hat{y}_i\right]",
        )
    return Label(
        f"{sigma[0]}Σᵢ ({model.output}ᵢ − ŷᵢ)²",
        sigma[1] + r"\sum_{i=1}^{m} \left(" + model.output + r"_i - \hat{y}_i\right)^2",
    )


def _model_sentence(model: Model, tail: str) -> Paragraph:
    m = model.data.m
    return Paragraph.of(
        "Model ",
        Label("ŷ", r"\hat{y}"),
        " = ",
        model.rhs_shown,
        f" on {m:,} data point{'s' if m != 1 else ''} ({model.data.origin}); "
        + (
            ""
            if model.squared
            else f"ŷ is a score, σ(ŷ) = 1/(1 + e^(−ŷ)) the probability of {model.output} = 1; "
        )
        + tail,
    )


def _quadratic_objective(model: Model, label: Label) -> tuple[sp.Expr, sp.Expr, tuple[Step, ...]]:
    """A linear model over many rows: SSE(w) = wᵀGw − 2cᵀw + yᵀy, G and c summed once."""
    assert model.moments is not None and model.design is not None
    stats = model.moments
    w = sp.Matrix(model.design.weights)
    gram, moment = stats.symbolic()
    sse = (w.T * gram * w)[0] - 2 * (moment.T * w)[0] + stats.yy_symbolic
    objective = sp.expand(model.scale * sse)
    rows = []
    for i in range(min(SHOWN_ROWS, stats.m)):
        point = {s: sp.Float(float(model.data.arrays[s.name][i]), 6) for s in model.inputs}
        y = sp.Float(float(model.data.arrays[model.output][i]), 6)
        prediction = model.rhs.xreplace(point)
        rows.append((str(i + 1), *point.values(), y, ordered(prediction), _residual(y, prediction)))
    headers = _row_headers(model)
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
    shown = ordered(objective)
    weights = ", ".join(v.name for v in model.design.weights)
    step = Step.of(
        "The objective from the data, collapsed",
        _model_sentence(model, "the first rows:"),
        Table(headers, tuple(rows)),
        Paragraph.of(
            f"The model is linear in {weights}, so the sum over all {stats.m:,} rows is a "
            "quadratic form in the weights. Its coefficients are sums over the data, "
            "computed once in float64, in chunks:"
        ),
        Equation.chain(Label("XᵀX", "X^T X"), gram),
        Equation.chain(Label("Xᵀy", "X^T y"), moment),
        Equation.chain(Label("yᵀy", "y^T y"), stats.yy_symbolic),
        Equation(label, (Link(_definition(model)), Link(quadratic), Link(shown))),
    )
    return objective, shown, (step,)


def _residual(y: sp.Expr, prediction: sp.Expr) -> sp.Expr:
    """``y - prediction`` written the lesson's way: ``2 - a - b``, not ``-a - b + 2``."""
    terms = [-t for t in ordered(prediction).args] if prediction.is_Add else [-prediction]
    if y == 0:
        return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
    return sp.Add(y, *terms, evaluate=False)
