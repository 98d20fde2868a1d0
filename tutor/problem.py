"""The problem file's schema: its keys validated, its names and expressions parsed.

This module only reads and validates; :mod:`tutor.objective` builds a model's objective from
its data, :mod:`tutor.statement` shows it, and :mod:`tutor.loading` puts the three together.

>>> spec = validate({"title": "t", "variables": ["x"], "objective": "x**2",
...                  "tasks": ["partials"]})
>>> variables(spec.variables), spec.objective
((x,), 'x**2')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic
import sympy as sp

from .calculus.linear import Design
from .data import Dataset
from .document import Formula, Label, Step
from .errors import N_, ExpressionError, InputError
from .expr import check_name, parse, parse_number
from .losses import LOSSES, Loss
from .numeric.stats import Moments

ASSUMPTIONS = ("positive", "negative", "nonnegative", "nonpositive", "nonzero")
MAX_VARIABLES = 50


class Grading(pydantic.BaseModel):
    """A problem's ``grading:`` key: how ``tutor grade`` scores answers to it.

    ``weights`` gives a part (``partials.a``) or a whole task (``partials``, shared among its
    parts) its points; a part's own weight wins. ``tolerance`` is how close a number must be
    (relative, and absolute below 1); ``unsimplified`` the share of the points a right but
    unsimplified answer gets.
    """

    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, pydantic.NonNegativeFloat] = {}
    tolerance: float = pydantic.Field(default=1e-3, gt=0, le=0.5)
    unsimplified: float = pydantic.Field(default=0.5, ge=0, le=1)


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
    loss: str | None = None
    constants: dict[str, Any] = {}
    lang: str = "en"
    tasks: list[Any] = pydantic.Field(min_length=1)
    grading: Grading = Grading()
    #: A template's random values and the conditions on them (tutor variants); a template
    #: is not solved as it is.
    params: dict[str, Any] | None = None
    require: list[Any] | None = None


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
    loss: Loss
    design: Design | None = None
    moments: Moments | None = None
    #: The judge's own sums over partitioned data (torch autograd of ``rhs``, not ``design``).
    judged: Moments | None = None

    @property
    def scale(self) -> sp.Expr:
        """The factor in front of the sum over rows: 1, 1/m or 1/(2m)."""
        return self.loss.scale(self.data.m)


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
    #: The language its solution is narrated in (``en``, ``zh``).
    lang: str = "en"
    #: How ``tutor grade`` scores answers to it (the file's ``grading:`` key).
    grading: Grading = field(default_factory=Grading)

    def where(self, key: str | None = None) -> dict[str, str | None]:
        """Keyword arguments locating an :class:`InputError` in this problem's file."""
        return {"file": self.path, "key": key}


def pydantic_error(exc: pydantic.ValidationError, model: type[pydantic.BaseModel]) -> InputError:
    error = exc.errors()[0]
    loc = [p for p in error["loc"] if p not in ("str", "int", "float")]
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        known = ", ".join(_model_at(model, loc[:-1]).model_fields)
        return InputError("unknown key (known: {known})", key=key or None, known=known)
    if kind in _PYDANTIC:
        return InputError(_PYDANTIC[kind], key=key or None, **{k: str(v) for k, v in ctx.items()})
    return InputError("invalid value: {detail}", key=key or None, detail=error["msg"])


def _model_at(model: type[pydantic.BaseModel], loc: list[Any]) -> type[pydantic.BaseModel]:
    """The nested schema at ``loc`` (``grading`` for ``grading.tol``), whose keys an unknown
    key's message lists."""
    for part in loc:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = field.annotation if field is not None else None
        if not (isinstance(inner, type) and issubclass(inner, pydantic.BaseModel)):
            break
        model = inner
    return model


#: Pydantic's error types as tutor says them (in every language; its own words are English).
_PYDANTIC = {
    "missing": N_("required key is missing"),
    "string_type": N_("expected text"),
    "too_short": N_("must not be empty"),
    "float_parsing": N_("expected a number"),
    "float_type": N_("expected a number"),
    "int_parsing": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a mapping (key: value)"),
    "model_type": N_("expected a mapping (key: value)"),
    "literal_error": N_("expected {expected}"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
}


def variables(raw: list[Any]) -> tuple[sp.Symbol, ...]:
    symbols: list[sp.Symbol] = []
    for i, entry in enumerate(raw):
        key = f"variables[{i}]"
        if isinstance(entry, Mapping):
            unknown = set(entry) - {"name", *ASSUMPTIONS}
            if unknown:
                raise InputError(
                    "unknown key {value!r} (known: name, {value2})",
                    key=key,
                    value=sorted(unknown)[0],
                    value2=", ".join(ASSUMPTIONS),
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
            raise exc.with_key(key) from None
        except ValueError:  # SymPy's message lists twenty derived facts: name the given ones
            given = " and ".join(f"{a}: {v}".lower() for a, v in assumptions.items())
            raise InputError(
                "contradictory assumptions ({given} cannot all hold)", key=key, given=given
            ) from None
        if symbol.name in {s.name for s in symbols}:
            raise InputError("{name!r} is declared twice", key=key, name=name)
        symbols.append(symbol)
    return tuple(symbols)


def constants(raw: Mapping[str, Any], names: Mapping[str, sp.Expr]) -> dict[str, sp.Expr]:
    constants = {}
    for name, value in raw.items():
        key = f"constants.{name}"
        try:
            check_name(name)
            constants[name] = parse_number(value)
        except ExpressionError as exc:
            raise exc.with_key(key) from None
        if name in names:
            raise InputError("{name!r} is already a variable", key=key, name=name)
    return constants


def expression(text: Any, names: Mapping[str, sp.Expr], key: str, evaluate: bool = True) -> sp.Expr:
    try:
        return parse(text, names, evaluate=evaluate)
    except ExpressionError as exc:
        raise exc.with_key(key) from None


def validate(raw: Any) -> _Spec:
    """The file's keys checked against the schema (types, required keys, no unknown ones)."""
    if not isinstance(raw, Mapping):
        raise InputError("a problem file is a mapping of keys (title, variables, ...)")
    try:
        spec = _Spec.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise pydantic_error(exc, _Spec) from None
    if spec.params is not None:
        raise InputError(
            "this file is a template (params:): make its variants with tutor variants FILE "
            "--count N --out DIR, then solve or grade one of them",
            key="params",
        )
    if spec.loss is not None and spec.loss not in LOSSES:
        raise InputError(
            "unknown loss {loss!r} (known: {value})",
            key="loss",
            loss=spec.loss,
            value=", ".join(LOSSES),
        )
    if (spec.objective is None) == (spec.model is None):
        key = "objective" if spec.objective is not None else None
        raise InputError("give either objective, or model with data (and loss)", key=key)
    if spec.objective is not None:
        for key in ("data", "loss"):
            if getattr(spec, key) is not None:
                raise InputError("{key_} goes with model, not with objective", key=key, key_=key)
    elif spec.data is None:
        raise InputError("model needs data", key="data")
    return spec


def task_call(raw: Any, i: int, known: Mapping[str, type[pydantic.BaseModel]]) -> TaskCall:
    """``tasks[i]``: a bare name or one ``name: {params}`` mapping, its params validated by
    the schema ``known`` gives for its name."""
    key = f"tasks[{i}]"
    params: Any
    if isinstance(raw, str):
        name, params = raw, {}
    elif isinstance(raw, Mapping) and len(raw) == 1:
        name, params = next(iter(raw.items()))
        params = {} if params is None else params
        if not isinstance(name, str):
            raise InputError("a task name must be text", key=key)
        if not isinstance(params, Mapping):
            raise InputError("expected a mapping of parameters", key=f"{key}.{name}")
    else:
        raise InputError("expected a task name, or one  name: {params}  mapping", key=key)
    schema = known.get(name)
    if schema is None:
        raise InputError(
            "unknown task {name!r} (known: {value})", key=key, name=name, value=", ".join(known)
        )
    try:
        validated = schema.model_validate(params)
    except pydantic.ValidationError as exc:
        raise pydantic_error(exc, schema).located(key=f"{key}.{name}") from None
    return TaskCall(name, validated, f"{key}.{name}")
