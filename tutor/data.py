"""Data columns for model + data problems: inline, from a CSV file, or generated with a seed."""

from __future__ import annotations

import csv
import math
import mmap
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import ExpressionError, InputError
from .expr import FUNCTIONS, Function, check_name, parse, parse_number
from .numeric.compile import numpy_function
from .partitions import Source, is_pattern, open_source

MAX_ROWS = 10_000_000
_DISTRIBUTIONS = ("uniform", "normal")


#: A CSV with more rows than this is read as float64, not as exact decimals: exact sums would
#: not be used past it (design.EXACT_SUMS_BUDGET), and a SymPy number per cell costs minutes.
EXACT_ROWS = 100_000
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")
_NONZERO_DIGIT = re.compile("[1-9]")
_BIG_EXPONENT = re.compile(rb"[eE][-+]?\d{3}")


@dataclass(frozen=True)
class Origin:
    """Where a dataset came from, as :mod:`tutor.statement` says it (``data.origin.<kind>``):
    ``inline``, ``csv``, ``csv_float`` (too many rows to keep exact), ``generated``, or
    ``parquet`` and ``csv_glob`` (partitioned: ``n`` is the number of partitions)."""

    kind: str
    file: str = ""
    n: int = 0
    seed: int = 0


@dataclass(frozen=True)
class Dataset:
    """Named columns of equal length; ``exact`` holds Rationals when every value was exact."""

    arrays: Mapping[str, np.ndarray]
    exact: Mapping[str, tuple[sp.Expr, ...]] | None
    origin: Origin
    #: Data beyond memory (:mod:`tutor.partitions`): then ``arrays`` holds its first rows
    #: only, and ``rows`` the count once a pass over the partitions has made it.
    partitioned: Source | None = None
    rows: int | None = None

    @property
    def m(self) -> int:
        if self.rows is not None:
            return self.rows
        return len(next(iter(self.arrays.values())))

    def column(self, name: str) -> tuple[sp.Expr, ...]:
        """The column as SymPy numbers: exact where the data was, Floats otherwise."""
        if self.exact is not None:
            return self.exact[name]
        return tuple(sp.Float(float(v)) for v in self.arrays[name])


def load_data(raw: Any, base_dir: Path) -> Dataset:
    """Build a :class:`Dataset` from the ``data`` key of a problem file."""
    if not isinstance(raw, Mapping) or not raw:
        raise InputError(
            "expected a mapping of columns, {csv: FILE}, {csv: 'part-*.csv'}, {parquet: DIR} or "
            "{generate: {...}}"
        )
    if "parquet" in raw or (
        "csv" in raw and isinstance(raw["csv"], str) and is_pattern(raw["csv"])
    ):
        kind = "parquet" if "parquet" in raw else "csv"
        if len(raw) != 1:
            raise InputError("{kind}: give the files alone, without other keys", kind=kind)
        source, head = open_source(kind, raw[kind], base_dir)
        origin = Origin(
            "parquet" if kind == "parquet" else "csv_glob", source.given, source.partitions
        )
        return Dataset(head, None, origin, partitioned=source)
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
            raise exc.with_key(key) from None
        if not isinstance(values, list) or not values:
            raise InputError("expected a non-empty list of numbers", key=key)
        column = []
        for i, v in enumerate(values):
            try:
                column.append(parse_number(v))
            except ExpressionError as exc:
                raise exc.with_key(f"{key}[{i}]") from None
        exact[key] = tuple(column)
    return _dataset(exact, Origin("inline"), "data")


def _dataset(exact: dict[str, tuple[sp.Expr, ...]], origin: Origin, key: str) -> Dataset:
    lengths = {name: len(col) for name, col in exact.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{n} has {k}" for n, k in lengths.items())
        raise InputError("columns have different lengths ({shown})", shown=shown)
    try:
        arrays = {
            n: np.array([float(v) for v in col], dtype=np.float64) for n, col in exact.items()
        }
    except OverflowError:
        raise InputError(
            "a value is too large for a float (beyond about 1.8e308)", key=key
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
        raise InputError("{raw!r} is outside the problem file's folder", key="csv", raw=raw)
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(
            "cannot read {raw!r}: {strerror}", key="csv", raw=raw, strerror=exc.strerror
        ) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("{raw!r} is empty", key="csv", raw=raw) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError("{raw!r}: {exc}", key="csv", raw=raw, exc=exc) from None
        names = [h.strip() for h in header]
        for name in names:
            try:
                check_name(name)
            except ExpressionError as exc:
                raise InputError("{raw!r} header: {why}", key="csv", raw=raw, why=exc) from None
        if len(set(names)) != len(names):
            raise InputError("{raw!r} header repeats a column name", key="csv", raw=raw)
        fast = _float_table(path, len(names))
        if fast is not None and len(fast) > EXACT_ROWS:
            arrays = {n: np.ascontiguousarray(fast[:, j]) for j, n in enumerate(names)}
            return Dataset(arrays, None, Origin("csv_float", file=raw))
        floats: list[list[float]] = [[] for _ in names]
        exact: list[list[sp.Expr]] | None = [[] for _ in names]
        try:
            for line_no, row in enumerate(reader, start=2):
                if not row or all(not cell.strip() for cell in row):
                    continue
                if len(row) != len(names):
                    raise InputError(
                        "{raw!r} line {line_no}: {count} cells, header has {count2}",
                        key="csv",
                        raw=raw,
                        line_no=line_no,
                        count=len(row),
                        count2=len(names),
                    )
                if exact is not None and len(floats[0]) >= EXACT_ROWS:
                    exact = None  # past this many rows the data is float64, and says so
                for j, cell in enumerate(row):
                    try:
                        value, number = _cell(cell.strip(), exact is not None)
                    except ExpressionError as exc:
                        raise InputError(
                            "{raw!r} line {line_no}, column {value}: {why}",
                            key="csv",
                            raw=raw,
                            line_no=line_no,
                            value=names[j],
                            why=exc,
                        ) from None
                    floats[j].append(value)
                    if exact is not None and number is not None:
                        exact[j].append(number)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError("{raw!r}: {exc}", key="csv", raw=raw, exc=exc) from None
    if not floats or not floats[0]:
        raise InputError("{raw!r} has a header but no rows", key="csv", raw=raw)
    if exact is not None:
        columns = {n: tuple(c) for n, c in zip(names, exact, strict=True)}
        return _dataset(columns, Origin("csv", file=raw), "csv")
    arrays = {n: np.array(c, dtype=np.float64) for n, c in zip(names, floats, strict=True)}
    if not all(np.isfinite(a).all() for a in arrays.values()):
        raise InputError(
            "{raw!r}: a value is too large for a float (beyond about 1.8e308)", key="csv", raw=raw
        )
    return Dataset(arrays, None, Origin("csv_float", file=raw))


def _float_table(path: Path, columns: int) -> np.ndarray | None:
    """The rows after the header as float64, read by NumPy's C parser (a million rows in a
    quarter of a second); None when the file needs the careful reader: a quoted or fractional
    cell, a ragged row, a non-finite value, an exponent of three digits or more."""
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            if _BIG_EXPONENT.search(mm):
                return None
        table = np.loadtxt(
            path,
            delimiter=",",
            skiprows=1,
            dtype=np.float64,
            ndmin=2,
            comments=None,
            encoding="utf-8",
        )
    except (ValueError, OSError, UnicodeDecodeError):
        return None
    if table.shape[1] != columns or not np.isfinite(table).all():
        return None
    return table


def _cell(text: str, exact: bool) -> tuple[float, sp.Expr | None]:
    """A CSV cell as a float and, when ``exact``, as an exact SymPy number.

    A plain decimal is read directly (a million rows in seconds, not minutes through the
    expression parser); anything else ("1/3", "sqrt(2)") goes through :func:`parse_number`.
    """
    if _PLAIN_NUMBER.fullmatch(text):
        value = float(text)
        if value == 0.0 and _NONZERO_DIGIT.search(text.split("e")[0].split("E")[0]):
            raise ExpressionError("{text} is too small for float64 (below 1e-300)", text=text)
        if not math.isfinite(value):
            raise ExpressionError(
                "{text} is too large for a float (beyond about 1.8e308)", text=text
            )
        return value, (sp.Rational(text) if exact else None)
    number = parse_number(text)
    try:
        value = float(number)
    except (OverflowError, TypeError):
        value = math.inf
    if not math.isfinite(value):
        raise ExpressionError("{text} is too large for a float (beyond about 1.8e308)", text=text)
    return value, number


def _generate(raw: Any) -> Dataset:
    if not isinstance(raw, Mapping):
        raise InputError("expected {n: ROWS, seed: SEED, column: EXPRESSION, ...}", key="generate")
    n, seed = raw.get("n"), raw.get("seed", 0)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_ROWS:
        raise InputError(
            "expected a whole number of rows from 1 to {MAX_ROWS}",
            key="generate.n",
            MAX_ROWS=MAX_ROWS,
        )
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
            raise exc.with_key(key) from None
        arrays[name] = _sample(expr, symbols, arrays, rng, n, key)
        symbols[name] = sp.Symbol(name)
    if not arrays:
        raise InputError("give at least one column", key="generate")
    return Dataset(arrays, None, Origin("generated", n=n, seed=seed))


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
            raise InputError("{func}() takes numbers as arguments", key=key, func=call.func)
        try:
            low, high = (float(a) for a in call.args)
        except (OverflowError, TypeError, ValueError):
            raise InputError(
                "{call} needs real arguments of float size", key=key, call=call
            ) from None
        if not (np.isfinite(low) and np.isfinite(high) and abs(high - low) < 1e300):
            raise InputError("{call}: its range is not finite in float64", key=key, call=call)
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
    fn = numpy_function([sp.Symbol(s) for s in inputs], expr)
    with np.errstate(all="ignore"):
        out = np.broadcast_to(np.asarray(fn(*inputs.values()), dtype=np.float64), (n,)).copy()
    if not np.all(np.isfinite(out)):
        raise InputError("produced values that are not finite (NaN or infinity)", key=key)
    return out
