"""Grading a formula a student wrote: equivalence by the project's equality engine (on the
function's domain, never by comparing strings), how simplified it is, the slip that explains
a wrong one, and an answer written as a derivation line by line."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import mpmath
import sympy as sp

from ..budget import TIME_UP, OverBudget, within
from ..calculus.equality import decide, reproduces
from ..calculus.slips import Slip, coefficient_slip, line_slips
from ..document import Label
from ..errors import ExpressionError
from ..expr import evaluate, ordered
from ..reading import Reading, read
from .feedback import said, slip_sentence, words
from .report import Line

#: The order in which slips are named when two explain the same answer: the commoner first.
PRIORITY = (
    "chain_rule_inner_dropped",
    "sign_lost",
    "power_rule_exponent",
    "power_rule_coefficient",
    "product_rule_term_missing",
    "quotient_rule",
    "not_held_constant",
    "constant_derivative",
    "term_dropped",
    "arithmetic",
)
#: Points at which slips and answers are compared before a match is proved.
FINGERPRINT_POINTS = 3
#: Seconds to simplify a student's answer when judging how simplified it is.
SIMPLIFY_BUDGET = 1.0


@dataclass(frozen=True)
class Graded:
    """What grading one formula found: the verdict, the slip that explains it (or None),
    the sentence for the student, and the line-by-line marks."""

    verdict: str
    diagnosis: str | None = None
    feedback: str = ""
    lines: tuple[Line, ...] = ()
    readings: tuple[str, ...] = ()
    #: The share of the part's points earned where it is not all or nothing (three of four
    #: entries right); None: by the verdict.
    credit: float | None = None

    def earned(self, unsimplified: float = 0.5) -> float:
        """The share of the points: ``credit``, else 1 if correct, ``unsimplified`` if right
        but unsimplified, else 0."""
        if self.credit is not None:
            return self.credit
        return {"correct": 1.0, "unsimplified": unsimplified}.get(self.verdict, 0.0)


@dataclass
class Target:
    """A formula an answer is graded against: the right one, its name (∂SSE/∂a), the slips
    of its derivation, and where it is defined (the function it derives from)."""

    right: sp.Expr
    label: Label
    symbols: tuple[sp.Symbol, ...]
    slips: Sequence[Slip] = ()
    domain: sp.Expr | None = None
    var: sp.Symbol | None = None
    _prints: dict[int, tuple[Any, ...] | None] = field(default_factory=dict)

    @cached_property
    def points(self) -> list[list[mpmath.mpf]]:
        """A few points where the right formula is real: slips and answers meet there first."""
        rng = random.Random(5)
        f = _function(self.right, self.symbols)
        found: list[list[mpmath.mpf]] = []
        for attempt in range(60):
            point = [
                mpmath.mpf(rng.uniform(-3, 3) if attempt % 2 else rng.uniform(0.1, 4))
                for _ in self.symbols
            ]
            value = _at(f, point)
            if value is not None:
                found.append(point)
                if len(found) == FINGERPRINT_POINTS:
                    break
        return found

    def fingerprint(self, expr: sp.Expr) -> tuple[Any, ...] | None:
        f = _function(expr, self.symbols)
        if f is None:
            return None
        values = tuple(_at(f, p) for p in self.points)
        return None if any(v is None for v in values) else values

    def explaining(self, given: sp.Expr) -> Slip | None:
        """The first slip (by :data:`PRIORITY`) whose derivative is the student's formula,
        proved: exactly, or equal to 45 of 60 digits at random points."""
        mine = self.fingerprint(given)
        if mine is None:
            return None
        ordered_slips = sorted(self.slips, key=rank)
        for slip in ordered_slips:
            key = id(slip)
            if key not in self._prints:
                self._prints[key] = self.fingerprint(slip.result)
            theirs = self._prints[key]
            if theirs is None or not _agree(mine, theirs):
                continue
            if reproduces(slip.result, given, self.symbols):
                return slip
        return None


def rank(slip: Slip) -> tuple[int, bool]:
    """Where a slip comes in :data:`PRIORITY` (a single slip before the same made everywhere)."""
    kind = PRIORITY.index(slip.kind) if slip.kind in PRIORITY else len(PRIORITY)
    return (kind, slip.everywhere)


def _function(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> Any:
    """``expr`` as a function of a point: in floats first (a value past 1e300, an exp tower,
    is no fingerprint: mpmath would spend minutes on it), then at 30 digits."""
    try:
        quick = sp.lambdify(list(symbols), expr, modules="math")
        precise = sp.lambdify(list(symbols), expr, modules="mpmath")
    except TIME_UP:
        raise
    except Exception:  # noqa: BLE001 - a formula mpmath cannot evaluate: no fingerprint
        return None
    return quick, precise


def _at(f: Any, point: list[mpmath.mpf]) -> mpmath.mpf | None:
    if f is None:
        return None
    quick, precise = f
    try:
        rough = quick(*(float(v) for v in point))
        if not (isinstance(rough, int | float) and abs(rough) < 1e300):
            return None
        with mpmath.workdps(30):
            value = mpmath.mpc(precise(*point))
    except TIME_UP:
        raise
    except Exception:  # noqa: BLE001 - outside the domain
        return None
    if not mpmath.isfinite(value) or abs(value.imag) > 1e-20 * max(1, abs(value.real)):
        return None
    return value.real


def _agree(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(abs(x - y) <= 1e-12 * max(1, abs(x), abs(y)) for x, y in zip(a, b, strict=True))


def grade_formula(
    target: Target, answer: Any, names: Mapping[str, sp.Expr], unsimplified: bool = True
) -> Graded:
    """Grade ``answer`` (a formula, or a list of lines ending in one) against ``target``."""
    if isinstance(answer, list) and answer:
        return _grade_lines(target, answer, names)
    try:
        reading = read(answer, names)
    except ExpressionError as exc:
        return Graded("unreadable", feedback=said(exc))
    return _graded(target, reading, unsimplified)


def _graded(target: Target, reading: Reading, unsimplified: bool = True) -> Graded:
    readings = tuple(said(p) for p in reading.readings)
    same = decide(reading.expr, target.right, target.symbols, domain=target.domain)
    if same is None:
        return Graded(
            "undecided", feedback=words("grade.undecided", f=target.label), readings=readings
        )
    if same:
        if unsimplified and not simplified(reading.written, target.right):
            return Graded(
                "unsimplified",
                feedback=words("grade.unsimplified", f=target.label, value=ordered(target.right)),
                readings=readings,
            )
        return Graded("correct", feedback=words("grade.correct"), readings=readings)
    slip = target.explaining(reading.expr) or coefficient_slip(target.right, reading.expr)
    if slip is not None:
        return Graded("incorrect", slip.kind, _sentence(slip, target), readings=readings)
    return Graded("incorrect", None, _differs(target, reading.expr), readings=readings)


def _sentence(slip: Slip, target: Target) -> str:
    if slip.kind == "arithmetic":
        return arithmetic_sentence(slip)
    return slip_sentence(slip, target.var)


def arithmetic_sentence(slip: Slip) -> str:
    """An arithmetic slip: the term that should be there, and what was written instead."""
    right, given = slip.where, slip.part if slip.part is not None else sp.S.Zero
    if right == 0:
        return words("grade.slip.arithmetic.extra", part=given)
    if given == 0:
        return words("grade.slip.arithmetic.missing", where=right)
    return words("grade.slip.arithmetic", where=right, part=given)


def _differs(target: Target, given: sp.Expr) -> str:
    """No slip explains it: say where the two differ, at a point with simple coordinates."""
    f, g = _function(target.right, target.symbols), _function(given, target.symbols)
    for point in _simple_points(len(target.symbols)):
        right, mine = _at(f, point), _at(g, point)
        if right is not None and mine is not None and abs(right - mine) > 1e-9 * max(1, abs(right)):
            at = tuple(sp.Integer(int(v)) for v in point)
            return words(
                "grade.differs",
                f=target.label,
                point=at,
                value=_short(mine),
                right=_short(right),
            )
    return words("grade.differs.nowhere", f=target.label)


def _short(value: mpmath.mpf) -> sp.Expr:
    """A value as a sentence shows it: a small fraction exactly, anything else to 6 digits."""
    number = sp.nsimplify(float(value), rational=True, tolerance=1e-12)
    small = number.is_Rational and number.q < 1000 and abs(number) < 10**6
    return number if small else sp.Float(float(value), 6)


def _simple_points(n: int) -> list[list[mpmath.mpf]]:
    base = [
        [0] * n,
        [1] * n,
        *[[1 if i == k else 0 for i in range(n)] for k in range(n)],
        [2] * n,
        [-1] * n,
        [1 + i for i in range(n)],
    ]
    return [[mpmath.mpf(v) for v in p] for p in base]


def simplified(written: sp.Expr, right: sp.Expr) -> bool:
    """Is the formula as written simplified? It is not when it is more than one operation
    longer than both the right formula's simplest form (expanded, factored, or tutor's tidy
    form) and its own evaluated or expanded form: like terms left uncombined, a rule's line
    left unexpanded. An expanded product and its factored form are both simplified."""
    mine = _ops(written)
    best = own = _ops(right)
    try:
        with within(SIMPLIFY_BUDGET):
            for form in (sp.expand(right), sp.factor(right)):
                best = min(best, _ops(form))
            value = evaluate(written)
            own = min(_ops(value), _ops(sp.expand(value)))
    except (OverBudget, sp.PolynomialError, TypeError, ValueError):
        return True  # too costly to judge: not marked down for it
    return mine <= best + 1 or mine <= own + 1


def _ops(expr: sp.Expr) -> int:
    return int(sp.count_ops(expr))


def _grade_lines(target: Target, texts: list[Any], names: Mapping[str, sp.Expr]) -> Graded:
    """Each line judged against the one before (the first against the derivative); the
    first line that does not follow is named with its slip; the last line is the answer."""
    lines: list[Line] = []
    previous: Reading | None = None
    first_slip: tuple[str | None, str] | None = None
    readings: list[str] = []
    for k, text in enumerate(texts):
        shown = text if isinstance(text, str) else str(text)
        try:
            reading = read(text, names)
        except ExpressionError as exc:
            lines.append(Line(shown, None, None, said(exc)))
            if k == len(texts) - 1:
                return Graded(
                    "unreadable",
                    feedback=words("grade.line.unreadable", n=k + 1, error=said(exc)),
                    lines=tuple(lines),
                )
            previous = None
            continue
        readings += [said(p) for p in reading.readings]
        if previous is None:
            follows, slip = _first_line(target, reading, k)
        else:
            follows, slip = _next_line(target, previous, reading)
            if follows is False and first_slip is not None and _is_right(target, reading):
                slip = None  # back on track after a slip: not a slip of its own
        sentence = ""
        if follows is False:
            sentence = _sentence(slip, target) if slip is not None else ""
            if first_slip is None:
                first_slip = (slip.kind if slip else None, _line_feedback(k, sentence))
        lines.append(Line(shown, follows, slip.kind if slip and not follows else None, sentence))
        previous = reading
    last = _graded(target, previous, unsimplified=True) if previous else Graded("unreadable")
    feedback, diagnosis = last.feedback, last.diagnosis
    if first_slip is not None:
        kind, sentence = first_slip
        if last.verdict != "correct":
            diagnosis = kind or diagnosis
        feedback = sentence
        if last.verdict == "correct":
            feedback = words("grade.also", first=last.feedback, second=sentence)
    return Graded(last.verdict, diagnosis, feedback, tuple(lines), tuple(readings))


def _is_right(target: Target, reading: Reading) -> bool:
    return decide(reading.expr, target.right, target.symbols, domain=target.domain) is True


def _line_feedback(k: int, sentence: str) -> str:
    if k == 0:
        return words("grade.line.first", sentence=sentence).strip()
    return words("grade.line.next", n=k + 1, m=k, sentence=sentence).strip()


def _first_line(target: Target, reading: Reading, k: int) -> tuple[bool | None, Slip | None]:
    same = decide(reading.expr, target.right, target.symbols, domain=target.domain)
    if same is not False:
        return same, None
    return False, target.explaining(reading.expr)


def _next_line(
    target: Target, previous: Reading, reading: Reading
) -> tuple[bool | None, Slip | None]:
    same = decide(reading.expr, previous.expr, target.symbols, domain=target.domain)
    if same is not False:
        return same, None
    for slip in sorted(line_slips(previous.written, reading.written), key=rank):
        if reproduces(evaluate(slip.result), reading.expr, target.symbols):
            return False, slip
    return False, None
