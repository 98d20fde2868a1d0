"""Data columns for model + data problems: inline, from a CSV file, or generated with a seed."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import ExpressionError, InputError
from .expr import FUNCTIONS, Function, check_name, parse, parse_number

MAX_ROWS = 10_000_000
_DISTRIBUTIONS = ("uniform", "normal")


@dataclass(frozen=True)
class Dataset:
    """Named columns of equal length; ``exact`` holds Rationals when every value was exact."""

    arrays: Mapping[str, np.ndarray]
    exact: Mapping[str, tuple[sp.Expr, ...]] | None
    origin: str

    @property
    def m(self) -> int:
        return len(next(iter(self.arrays.values())))

    def column(self, name: str) -> tuple[sp.Expr, ...]:
        """The column as SymPy numbers: exact where the data was, Floats otherwise."""
        if self.exact is not None:
            return self.exact[name]
        return tuple(sp.Float(float(v)) for v in self.arrays[name])


def load_data(raw: Any, base_dir: Path) -> Dataset:
    """Build a :class:`Dataset` from the ``data`` key of a problem file."""
    if not isinstance(raw, Mapping) or not raw:
        raise InputError("expected a mapping of columns, {csv: FILE} or {generate: {...}}")
    if "csv" in raw:
        if len(raw) != 1:
            raise InputError("csv: give the file alone, without other keys")
        return _from_csv(raw["csv"], base_dir)
    if "generate" in raw:
        if len(raw) != 1:
            raise InputError("generate: give the recipe alone, without other keys")
        return _generate(raw["generate"])
    return _from_columns(raw)


def _from_columns(raw: Mapping[Any, Any]) -> Dataset:
    exact: dict[str, tuple[sp.Expr, ...]] = {}
    for name, values in raw.items():
        key = str(name)
        try:
            check_name(name)
        except ExpressionError as exc:
            raise InputError(exc.message, key=key) from None
        if not isinstance(values, list) or not values:
            raise InputError("expected a non-empty list of numbers", key=key)
        column = []
        for i, v in enumerate(values):
            try:
                column.append(parse_number(v))
            except ExpressionError as exc:
                raise InputError(exc.message, key=f"{key}[{i}]") from None
        exact[key] = tuple(column)
    return _dataset(exact, "inline data")


def _dataset(exact: dict[str, tuple[sp.Expr, ...]], origin: str) -> Dataset:
    lengths = {name: len(col) for name, col in exact.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{n} has {k}" for n, k in lengths.items())
        raise InputError(f"columns have different lengths ({shown})")
    try:
        arrays = {
            n: np.array([float(v) for v in col], dtype=np.float64) for n, col in exact.items()
        }
    except OverflowError:
        raise InputError(
            f"{origin}: a value is too large for a float (beyond about 1.8e308)"
        ) from None
    return Dataset(arrays, exact, origin)


def _from_csv(raw: Any, base_dir: Path) -> Dataset:
    if not isinstance(raw, str) or not raw:
        raise InputError("expected a file name", key="csv")
    if "\0" in raw:
        raise InputError("a file name cannot contain a NUL character", key="csv")
    path = (base_dir / raw).resolve()
    if not path.is_relative_to(base_dir.resolve()):
        # A stranger's problem file must not make tutor print another file of this machine.
        raise InputError(f"{raw!r} is outside the problem file's folder", key="csv")
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {raw!r}: {exc.strerror}", key="csv") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{raw!r} is empty", key="csv") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{raw!r}: {exc}", key="csv") from None
        names = [h.strip() for h in header]
        for name in names:
            try:
                check_name(name)
            except ExpressionError as exc:
                raise InputError(f"{raw!r} header: {exc.message}", key="csv") from None
        if len(set(names)) != len(names):
            raise InputError(f"{raw!r} header repeats a column name", key="csv")
        columns: list[list[sp.Expr]] = [[] for _ in names]
        try:
            for line_no, row in enumerate(reader, start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(names):
                    raise InputError(
                        f"{raw!r} line {line_no}: {len(row)} cells, header has {len(names)}",
                        key="csv",
                    )
                for j, cell in enumerate(row):
                    try:
                        columns[j].append(parse_number(cell.strip()))
                    except ExpressionError as exc:
                        raise InputError(
                            f"{raw!r} line {line_no}, column {names[j]}: {exc.message}",
                            key="csv",
                        ) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{raw!r}: {exc}", key="csv") from None
    if not columns or not columns[0]:
        raise InputError(f"{raw!r} has a header but no rows", key="csv")
    return _dataset({n: tuple(c) for n, c in zip(names, columns, strict=True)}, f"CSV file {raw}")


def _generate(raw: Any) -> Dataset:
    if not isinstance(raw, Mapping):
        raise InputError("expected {n: ROWS, seed: SEED, column: EXPRESSION, ...}", key="generate")
    n, seed = raw.get("n"), raw.get("seed", 0)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_ROWS:
        raise InputError(f"expected a whole number of rows from 1 to {MAX_ROWS}", key="generate.n")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("expected a non-negative whole number", key="generate.seed")
    rng = np.random.default_rng(seed)
    functions = {**FUNCTIONS, **{d: Function(sp.Function(d), (2,)) for d in _DISTRIBUTIONS}}
    arrays: dict[str, np.ndarray] = {}
    symbols: dict[str, sp.Symbol] = {}
    for name, text in raw.items():
        if name in ("n", "seed"):
            continue
        key = f"generate.{name}"
        try:
            check_name(name)
            expr = parse(text, symbols, functions=functions)
        except ExpressionError as exc:
            raise InputError(exc.message, key=key) from None
        arrays[name] = _sample(expr, symbols, arrays, rng, n, key)
        symbols[name] = sp.Symbol(name)
    if not arrays:
        raise InputError("give at least one column", key="generate")
    return Dataset(arrays, None, f"generated data (n = {n}, seed = {seed})")


def _sample(
    expr: sp.Expr,
    symbols: Mapping[str, sp.Symbol],
    arrays: Mapping[str, np.ndarray],
    rng: np.random.Generator,
    n: int,
    key: str,
) -> np.ndarray:
    draws: dict[sp.Basic, sp.Symbol] = {}
    values: dict[str, np.ndarray] = {}
    for call in sorted(expr.atoms(AppliedUndef), key=sp.default_sort_key):
        if not all(a.is_number for a in call.args):
            raise InputError(f"{call.func}() takes numbers as arguments", key=key)
        try:
            low, high = (float(a) for a in call.args)
        except (OverflowError, TypeError, ValueError):
            raise InputError(f"{call} needs real arguments of float size", key=key) from None
        if not (np.isfinite(low) and np.isfinite(high) and abs(high - low) < 1e300):
            raise InputError(f"{call}: its range is not finite in float64", key=key)
        name = f"_draw{len(draws)}"
        if str(call.func) == "uniform":
            if not low < high:
                raise InputError("uniform(low, high) needs low < high", key=key)
            values[name] = rng.uniform(low, high, n)
        else:
            if high < 0:
                raise InputError("normal(mean, sd) needs sd >= 0", key=key)
            values[name] = rng.normal(low, high, n)
        draws[call] = sp.Symbol(name)
    expr = expr.xreplace(draws)
    inputs = {**arrays, **values}
    # lambdify prints the whitelisted SymPy tree, never the file's text.
    fn = sp.lambdify([sp.Symbol(s) for s in inputs], expr, "numpy")
    with np.errstate(all="ignore"):
        out = np.broadcast_to(np.asarray(fn(*inputs.values()), dtype=np.float64), (n,)).copy()
    if not np.all(np.isfinite(out)):
        raise InputError("produced values that are not finite (NaN or infinity)", key=key)
    return out
