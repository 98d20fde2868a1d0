"""Randomised variants of a problem template: ``params:`` draws the numbers, ``require:`` says
which draws make a good exercise, and every variant is solved and checked before it is kept.

A template is a problem file with two more keys::

    params:
      x1: {int: [1, 4]}                 # an integer in [1, 4]
      y1: {choice: [1, 2, 5]}           # one of a list
      r:  {rational: [0, 1], denominator: 10}   # p/q in [0, 1], q ≤ 10
    require:
      - "x1 != x2"                      # a comparison of formulas in the params
      - distinct: [y1, y2]              # these values differ
      - stationary_point: {denominator: 10}     # every stationary point a fraction, q ≤ 10
      - positive_definite               # the Hessian at every stationary point (or everywhere)
      - invertible                      # XᵀX (the normal equations) is invertible
      - converges                       # every descent converges at its rate

``data: {x: [...], y: [...], shuffle: true}`` shuffles a template's inline data rows (every
column alike) in each variant. Params are used by name in the expression keys
(``objective``, ``model``, ``constants``, ``data`` and the tasks' parameters) and as
``{name}`` in the prose (``title``, ``description``). Values are numbers tutor drew, written
into the text as numbers: nothing from the file is evaluated, and conditions are parsed by
the same whitelist as objectives.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from .document import Solution
from .errors import ExpressionError, InputError
from .expr import check_name, parse
from .loading import problem_from_dict
from .problem import Problem

#: Draws tried for one variant before ``require:`` is called impossible, and of those, how
#: many may be solved (a solve is about half a second; a comparison of params is free).
MAX_DRAWS = 200
MAX_SOLVES = 40
#: The keys whose strings are formulas (params by name) and those that are prose ({name}).
FORMULA_KEYS = ("objective", "model", "constants", "data", "tasks")
PROSE_KEYS = ("title", "source", "description")
PREDICATES = ("stationary_point", "positive_definite", "invertible", "converges", "distinct")
_COMPARISON = re.compile(r"(<=|>=|!=|==|<|>)")
#: The order of a variant's data rows (empty: as written).
Order = tuple[int, ...]


@dataclass(frozen=True)
class Param:
    """One named random value: how it is drawn."""

    name: str
    kind: str
    values: tuple[Fraction, ...] = ()
    low: Fraction = Fraction(0)
    high: Fraction = Fraction(0)
    denominator: int = 1

    def draw(self, rng: random.Random) -> Fraction:
        if self.kind == "choice":
            return rng.choice(self.values)
        if self.kind == "int":
            return Fraction(rng.randint(int(self.low), int(self.high)))
        q = rng.choice(self.denominators)
        return Fraction(rng.randint(math.ceil(self.low * q), math.floor(self.high * q)), q)

    @property
    def denominators(self) -> list[int]:
        """The denominators q ≤ ``denominator`` with some p/q in [low, high]."""
        return [
            q
            for q in range(1, self.denominator + 1)
            if math.ceil(self.low * q) <= math.floor(self.high * q)
        ]


@dataclass(frozen=True)
class Requirement:
    """One ``require:`` entry: a comparison of params, or a predicate on the solved variant."""

    text: str
    kind: str
    args: Any = None


@dataclass
class Template:
    """A problem file with ``params:``: its raw YAML, its params and its requirements."""

    raw: Mapping[str, Any]
    params: tuple[Param, ...]
    require: tuple[Requirement, ...]
    file: str | None = None
    failures: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Variant:
    """One drawn variant: its id, the values, the problem file as written, and its solution."""

    id: str
    values: Mapping[str, Fraction]
    raw: Mapping[str, Any]
    problem: Problem
    solution: Solution
    #: The order its data rows were shuffled into (empty: as the template has them).
    order: tuple[int, ...] = ()


def template(raw: Any, file: str | None = None) -> Template:
    """Read a template's ``params:`` and ``require:`` (the rest is checked when a variant is
    loaded, as any problem file is)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("params"), Mapping):
        raise InputError("params: expected a mapping of names to how each is drawn", file=file)
    variables = {
        str(v.get("name")) if isinstance(v, Mapping) else str(v) for v in raw.get("variables") or []
    }
    params = []
    for name, spec in raw["params"].items():
        key = f"params.{name}"
        try:
            check_name(name)
        except ExpressionError as exc:
            raise exc.located(file=file, key=key) from None
        if name in variables:
            raise InputError(
                "{name!r} is a variable; a param needs a name of its own",
                file=file,
                key=key,
                name=name,
            )
        params.append(_param(name, spec, file, key))
    entries = raw.get("require") or []
    if not isinstance(entries, list):
        raise InputError("expected a list of conditions", file=file, key="require")
    names = {p.name for p in params}
    require = tuple(_requirement(e, names, file, f"require[{i}]") for i, e in enumerate(entries))
    return Template(raw, tuple(params), require, file)


def _param(name: str, spec: Any, file: str | None, key: str) -> Param:
    kinds = ("int", "choice", "rational")
    if not isinstance(spec, Mapping) or not any(k in spec for k in kinds):
        raise InputError(
            "expected {{int: [low, high]}}, {{choice: [...]}} or {{rational: [low, high], "
            "denominator: q}}",
            file=file,
            key=key,
        )
    kind = next(k for k in kinds if k in spec)
    unknown = [k for k in spec if k not in (kind, "denominator")]
    if unknown:
        raise InputError(
            "unknown key {name!r}", file=file, key=f"{key}.{unknown[0]}", name=str(unknown[0])
        )
    try:
        if kind == "choice":
            values = spec["choice"]
            if not isinstance(values, list) or not values:
                raise InputError("expected a non-empty list", key="choice")
            return Param(name, kind, tuple(_fraction(v) for v in values))
        bounds = spec[kind]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise InputError("expected [low, high]", key=kind)
        low, high = (_fraction(b) for b in bounds)
        if low > high:
            raise InputError("low is above high", key=kind)
        if kind == "int":
            if low.denominator != 1 or high.denominator != 1:
                raise InputError("expected whole numbers", key=kind)
            return Param(name, kind, low=low, high=high)
        q = spec.get("denominator", 10)
        if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= 1000:
            raise InputError("expected a whole number from 1 to 1000", key="denominator")
        param = Param(name, kind, low=low, high=high, denominator=q)
        if not param.denominators:
            raise InputError(
                "no fraction with a denominator up to {q} lies in [{low}, {high}]",
                key=kind,
                q=q,
                low=str(low),
                high=str(high),
            )
        return param
    except InputError as exc:
        raise exc.located(file=file, key=key) from None


def _fraction(value: Any) -> Fraction:
    """A param's bound or choice, exactly: an int, a decimal, or "p/q"."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError("expected a number")
    try:
        number = Fraction(str(value)) if not isinstance(value, float) else Fraction(repr(value))
    except (ValueError, ZeroDivisionError):
        raise InputError("expected a number, got {value!r}", value=value) from None
    if abs(number) > 10**9 or number.denominator > 10**6:
        raise InputError("{value!r} is too large for a param", value=value)
    return number


def _requirement(entry: Any, names: set[str], file: str | None, key: str) -> Requirement:
    if isinstance(entry, str):
        if entry in PREDICATES:
            return Requirement(entry, entry)
        parts = _COMPARISON.split(entry)
        if len(parts) != 3:
            raise InputError(
                "write one comparison (a != b, 2*a < b), or one of: {known}",
                file=file,
                key=key,
                known=", ".join(PREDICATES),
            )
        symbols = {n: sp.Symbol(n) for n in names}
        try:
            left, right = (parse(p, symbols) for p in (parts[0], parts[2]))
        except ExpressionError as exc:
            raise exc.located(file=file, key=key) from None
        return Requirement(entry, "compare", (left, parts[1], right))
    if isinstance(entry, Mapping) and len(entry) == 1:
        ((name, args),) = entry.items()
        if name == "distinct":
            if not isinstance(args, list) or not all(a in names for a in args):
                raise InputError("distinct: expected a list of params", file=file, key=key)
            return Requirement(f"distinct {args}", "distinct", tuple(args))
        if name == "stationary_point":
            q = args.get("denominator", 1) if isinstance(args, Mapping) else None
            if isinstance(q, bool) or not isinstance(q, int) or q < 1:
                raise InputError("expected {{denominator: q}}", file=file, key=f"{key}.{name}")
            return Requirement(f"stationary_point (denominator ≤ {q})", name, q)
    raise InputError(
        "expected a comparison or one of: {known}", file=file, key=key, known=", ".join(PREDICATES)
    )


# -- drawing ---------------------------------------------------------------------------


def seed_for(seed: int, ident: str) -> int:
    """The seed of one variant: a hash of the run's seed and the variant's id (a student's
    id on a roster), so a variant never changes when others are added."""
    digest = hashlib.sha256(f"{seed}:{ident}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def draws(t: Template, seed: int, ident: str) -> Iterator[tuple[dict[str, Fraction], Order]]:
    """The values of successive draws for one variant, reproducible from seed and id, each
    with the order of the data rows where the template shuffles them."""
    rng = random.Random(seed_for(seed, ident))
    rows = _rows(t.raw)
    for _ in range(MAX_DRAWS):
        values = {p.name: p.draw(rng) for p in t.params}
        yield values, tuple(rng.sample(range(rows), rows)) if rows else ()


def _rows(raw: Mapping[str, Any]) -> int:
    """How many inline data rows a template shuffles (``data: {..., shuffle: true}``), or 0."""
    data = raw.get("data")
    if not (isinstance(data, Mapping) and data.get("shuffle") is True):
        return 0
    columns = [v for k, v in data.items() if k != "shuffle" and isinstance(v, list)]
    return len(columns[0]) if columns and all(len(c) == len(columns[0]) for c in columns) else 0


def _shuffled(data: Any, order: Order) -> Any:
    """Inline data with its rows in ``order`` (every column alike) and ``shuffle`` gone."""
    if not isinstance(data, Mapping) or "shuffle" not in data:
        return data
    out = {k: v for k, v in data.items() if k != "shuffle"}
    if order:
        out = {k: [v[i] for i in order] if isinstance(v, list) else v for k, v in out.items()}
    return out


def _names(raw: Mapping[str, Any]) -> dict[str, sp.Expr]:
    """The names a template's formulas use: variables, constants and data columns."""
    found = [v.get("name") if isinstance(v, Mapping) else v for v in raw.get("variables") or []]
    for key in ("constants", "data"):
        if isinstance(raw.get(key), Mapping):
            found += list(raw[key])
    return {n: sp.Symbol(n) for n in found if isinstance(n, str)}


def _cleaned(text: Any, names: Mapping[str, sp.Expr]) -> Any:
    """A formula with the drawn numbers in, written as a person would: ``(1)*x**2 +
    (0)*x*y + (-4)*x`` as ``x**2 - 4*x``, in the template's order (nothing is reordered or
    simplified beyond ones, zeros and signs). Left as it is where it does not parse."""
    if not isinstance(text, str):
        return text
    try:
        tree = parse(text, names, evaluate=False)
    except ExpressionError:
        return text
    return sp.sstr(_trimmed(tree), order="none")


def _trimmed(e: sp.Expr) -> sp.Expr:
    """``e`` without factors of 1, terms of 0 and powers of 1 (an unevaluated tree stays one)."""
    if not e.args or e.is_Atom:
        return e
    args = [_trimmed(a) for a in e.args]
    if e.is_Mul:
        if any(a == 0 for a in args):
            return sp.S.Zero
        kept = [a for a in args if a != 1]
        if len(kept) > 1 and kept[0] == -1 and kept[1].is_Number:
            kept = [-kept[1], *kept[2:]]
        return sp.Mul(*kept, evaluate=False) if len(kept) > 1 else (kept[0] if kept else sp.S.One)
    if e.is_Add:
        kept = [a for a in args if a != 0]
        return sp.Add(*kept, evaluate=False) if len(kept) > 1 else (kept[0] if kept else sp.S.Zero)
    if e.is_Pow:
        base, exp = args
        return base if exp == 1 else (sp.S.One if exp == 0 else sp.Pow(base, exp, evaluate=False))
    try:
        return e.func(*args, evaluate=False)
    except TypeError:
        return e.func(*args)


def filled(t: Template, values: Mapping[str, Fraction], order: Order = ()) -> dict[str, Any]:
    """The problem file of one variant: params replaced by their values, as numbers, in
    the formula keys, and ``{name}`` in the prose; ``params`` and ``require`` gone."""
    out: dict[str, Any] = {}
    names = _names(t.raw)
    for key, value in t.raw.items():
        if key in ("params", "require"):
            continue
        if key == "objective":
            out[key] = _cleaned(_in_formulas(value, values), names)
            continue
        if key == "model" and isinstance(value, str) and value.count("=") == 1:
            left, right = _in_formulas(value, values).split("=")
            out[key] = f"{left.strip()} = {_cleaned(right.strip(), names)}"
            continue
        if key == "data":
            out[key] = _in_formulas(_shuffled(value, order), values)
        elif key in FORMULA_KEYS:
            out[key] = _in_formulas(value, values)
        elif key in PROSE_KEYS and isinstance(value, str):
            out[key] = _in_prose(value, values)
        else:
            out[key] = value
    return out


def _written(value: Fraction) -> int | str:
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _in_formulas(value: Any, values: Mapping[str, Fraction]) -> Any:
    if isinstance(value, str):
        if value in values:
            return _written(values[value])
        if not values:
            return value
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, values)) + r")\b")
        return pattern.sub(lambda m: f"({_written(values[m.group(1)])})", value)
    if isinstance(value, list):
        return [_in_formulas(v, values) for v in value]
    if isinstance(value, Mapping):
        return {k: _in_formulas(v, values) for k, v in value.items()}
    return value


def _in_prose(text: str, values: Mapping[str, Fraction]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(_written(value)))
    return text


def compares(req: Requirement, values: Mapping[str, Fraction]) -> bool:
    """A comparison of params, exactly (rationals compare exactly)."""
    if req.kind == "distinct":
        picked = [values[n] for n in req.args]
        return len(set(picked)) == len(picked)
    left, op, right = req.args
    subs = {sp.Symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in values.items()}
    a, b = sp.sympify(left.subs(subs)), sp.sympify(right.subs(subs))
    if not (a.is_number and b.is_number and a.is_real and b.is_real):
        return False
    return bool(
        {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
    )


def make(
    t: Template,
    ids: Sequence[str],
    seed: int,
    solve: Callable[[Problem], Solution],
    progress: Callable[[str], None] = lambda ident: None,
) -> list[Variant]:
    """One variant per id: drawn until it meets every requirement, differs from the others
    and solves with every check agreeing; an :class:`InputError` naming the requirement that
    failed most when :data:`MAX_DRAWS` draws do not give one."""
    out: list[Variant] = []
    seen: set[tuple[tuple[tuple[str, Fraction], ...], Order]] = set()
    for ident in ids:
        variant = _one(t, ident, seed, solve, seen)
        seen.add((tuple(sorted(variant.values.items())), variant.order))
        out.append(variant)
        progress(ident)
    return out


def _one(
    t: Template,
    ident: str,
    seed: int,
    solve: Callable[[Problem], Solution],
    seen: set[tuple[tuple[tuple[str, Fraction], ...], Order]],
) -> Variant:
    failed: Counter[str] = Counter()
    solves = 0
    for values, order in draws(t, seed, ident):
        if solves >= MAX_SOLVES:
            break
        drawn = (tuple(sorted(values.items())), order)
        if drawn in seen:
            failed["differs from the other variants"] += 1
            continue
        early = [r for r in t.require if r.kind in ("compare", "distinct")]
        broken = next((r for r in early if not compares(r, values)), None)
        if broken is not None:
            failed[broken.text] += 1
            continue
        raw = filled(t, values, order)
        try:
            problem = problem_from_dict(raw)
        except InputError as exc:
            failed[f"loads as a problem ({exc.message})"] += 1
            continue
        solution = solve(problem)
        solves += 1
        if not (solution.ok and solution.complete and not solution.refused):
            failed["every check agrees"] += 1
            continue
        late = [r for r in t.require if r.kind not in ("compare", "distinct")]
        broken = next((r for r in late if not meets(r, problem, solution)), None)
        if broken is not None:
            failed[broken.text] += 1
            continue
        return Variant(ident, values, raw, problem, solution, order)
    worst, times = failed.most_common(1)[0] if failed else ("", 0)
    raise InputError(
        "no variant met every condition in {count} draws ({solves} solved) for {ident}: "
        "{worst!r} failed {times} times; loosen it or widen the params",
        file=t.file,
        key="require",
        count=sum(failed.values()),
        solves=solves,
        ident=ident,
        worst=worst,
        times=times,
    )


def meets(req: Requirement, problem: Problem, solution: Solution) -> bool:
    """A predicate on a solved variant (from its tasks' results where it has them)."""
    from .tasks.descent import Descent
    from .tasks.normal_equation import NormalEquation
    from .tasks.stationary import Stationary

    results = [s.result for s in solution.sections]
    if req.kind == "converges":
        runs = [r for r in results if isinstance(r, Descent)]
        return bool(runs) and all(all(s == "converged" for s in r.statuses) for r in runs)
    if req.kind == "invertible":
        fits = [r for r in results if isinstance(r, NormalEquation)]
        if fits:
            return all(not r.singular for r in fits)
        return _hessian(problem).det() != 0
    points = [r for r in results if isinstance(r, Stationary)]
    if req.kind == "stationary_point":
        if not points or not all(r.complete and r.points for r in points):
            return False
        return all(
            v.is_Rational and v.q <= req.args for r in points for p in r.points for v in p.values()
        )
    if req.kind == "positive_definite":
        h = _hessian(problem)
        where = [p for r in points for p in r.points] if points else [{}]
        return all(_positive_definite(h.subs(p)) for p in where)
    return False


def _hessian(problem: Problem) -> sp.Matrix:
    return sp.hessian(problem.objective, problem.variables)


def _positive_definite(h: sp.Matrix) -> bool:
    if h.free_symbols:
        return False  # not constant here: not shown positive definite
    return all(sp.Matrix(h[:k, :k]).det() > 0 for k in range(1, h.rows + 1))
