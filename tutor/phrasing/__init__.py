"""Every sentence a solution says: message templates keyed by meaning, filled with parts.

A message is a template with named slots, keyed by what it means, not by its English::

    "gradient.meaning": "The gradient points in the direction of steepest ascent; ..."
    "convexity.second.nonnegative":
        "{f2} = {value} ≥ 0 for every {x}{domain}: {f} is convex (a proof)."

:func:`say` fills the slots and returns a :class:`~tutor.document.Paragraph`: the template's
words stay words, and each part stays what it is (a SymPy formula, a :class:`Label`, a
number), so the text printer shows ``f'' = 1/x²`` and the LaTeX printer typesets
``f''=\\frac{1}{x^{2}}``. The parts carry the problem's own names (its f, its variables, its
β and λ), never a hard-coded ``f`` or ``x``.

:mod:`tutor.phrasing.messages` is the message catalog the Chinese narration translates
(issue 20): a translation gives another template for the same key, keeps the slots and may
reorder them, and is made active with :data:`CATALOG`.
No task and no calculus module formats prose; they pass parts to these functions.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> say("convexity.second.nonnegative", f2=sp.Symbol("g''"), value=1 / x**2, x=x,
...     domain="", f=sp.Symbol("g")).parts
(g'', ' = ', x**(-2), ' ≥ 0 for every ', x, '', ': ', g, ' is convex (a proof).')
>>> text("steps.stopped.reason", seconds=2.5)
'stopped after 2.5 s (the per-task limit, --task-timeout)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sympy as sp

from .. import errors
from ..document import Inline, Label, Paragraph
from ..render.mathprint import format_float, math_latex, math_text
from .catalogs import known_language, translated_phrase, translation
from .messages import MESSAGES

errors.translator = translated_phrase  # a Phrase (an error) is said in its reader's language

#: The active catalog's overrides: key → template, ahead of the language's. None: none.
CATALOG: ContextVar[Mapping[str, str] | None] = ContextVar("tutor_catalog", default=None)
#: The language sentences are said in: ``en``, or one with a catalog in ``tutor/locale``.
LANGUAGE: ContextVar[str] = ContextVar("tutor_language", default="en")


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Say everything inside in ``lang`` (:func:`tutor.phrasing.catalogs.languages`)."""
    token = LANGUAGE.set(known_language(lang))
    try:
        yield
    finally:
        LANGUAGE.reset(token)


_SLOT = re.compile(r"\{(\w+)\}")


def template(key: str, count: int | None = None) -> str:
    """The template for ``key``: an override in :data:`CATALOG`, else the active language's
    translation, else English. With a ``count``, the plural form: English's ``key.one`` or
    ``key.other``, a catalog's by its own Plural-Forms rule."""
    english = f"{key}.{'one' if count == 1 else 'other'}" if count is not None else key
    catalog = CATALOG.get()
    if catalog is not None and english in catalog:
        return catalog[english]
    translated = translation(LANGUAGE.get())
    if translated is not None:
        found = translated.template(key, count)
        if found is not None:
            return found
    return MESSAGES[english]


def phrase(key: str, count: int | None = None, **parts: Any) -> tuple[Inline, ...]:
    """The template's words with each slot filled by its part, as inline pieces."""
    out: list[Inline] = []
    pieces = _SLOT.split(template(key, count))
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if piece:
                out.append(piece.replace("{{", "{").replace("}}", "}"))
            continue
        if piece not in parts:
            raise KeyError(f"message {key!r} needs the part {piece!r}")
        out.extend(_inline(parts[piece]))
    return tuple(out)


def say(key: str, count: int | None = None, **parts: Any) -> Paragraph:
    """A paragraph: the message ``key`` with its slots filled by ``parts``."""
    return Paragraph(phrase(key, count, **parts))


def text(key: str, count: int | None = None, **parts: Any) -> str:
    """The message as plain words (every part a word or a number): a title, a check's name."""
    out = []
    for part in phrase(key, count, **parts):
        if not isinstance(part, str):
            raise TypeError(f"message {key!r}: a formula part needs say(), not text()")
        out.append(part)
    return "".join(out)


def title(key: str, count: int | None = None, **parts: Any) -> str | Paragraph:
    """A step's title: plain words when every part is a word, else a paragraph."""
    pieces = phrase(key, count, **parts)
    if all(isinstance(p, str) for p in pieces):
        return "".join(str(p) for p in pieces)
    return Paragraph(pieces)


def named(name: str) -> str:
    """A rule's or a step's name as the active language says it: ``tutor.calculus`` names its
    rules in English ("chain rule", "expand and collect"), and each has a ``name.*`` message.

    >>> named("chain rule"), named("max/min rule")
    ('chain rule', 'max/min rule')
    """
    key = "name." + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return template(key) if key in MESSAGES else name


def names(items: Iterable[str]) -> str:
    """Rule or step names in a list: ``sum rule, chain rule`` (in Chinese, ``和法则、链式法则``)."""
    return template("list.separator").join(named(n) for n in items)


def listed(items: Iterable[Any], separator: str = ", ") -> tuple[Inline, ...]:
    """Parts joined by a separator: ``x, y, z`` with each kept a formula."""
    out: list[Inline] = []
    for k, item in enumerate(items):
        if k:
            out.append(separator)
        out.extend(_inline(item))
    return tuple(out)


def number(value: float) -> str:
    """A float as a sentence shows it: 6 significant digits, with a true minus sign.

    >>> number(0.1 + 0.2), number(12345678.0), number(2.0), number(-1.5)
    ('0.3', '1.23457e+07', '2', '−1.5')
    """
    return f"{value:.6g}".replace("-", "−")


def decimal(value: float, digits: int = 10) -> str:
    """A float to ``digits`` significant digits without noise, as tables and sentences show
    it: ``0.28``, not ``0.28000000000000003``, and ``−0.02`` with a true minus."""
    return format_float(value, digits).replace("-", "−")


# -- notation: the problem's own names, as formula parts ---------------------------------


def partial(f: Label, var: sp.Symbol) -> Label:
    """``∂f/∂x`` in the problem's names."""
    return Label(
        f"∂{f.text}/∂{math_text(var)}",
        f"\\frac{{\\partial {f.latex}}}{{\\partial {math_latex(var)}}}",
    )


def nabla(f: Label) -> Label:
    """``∇f`` in the problem's name for f."""
    return Label(f"∇{f.text}", f"\\nabla {f.latex}")


def second_prime(f: Label) -> Label:
    """``f''``: the second derivative of a function of one variable, as the lessons write it."""
    return Label(f"{f.text}''", f"{f.latex}''")


def second(f: Label, vi: sp.Symbol, vj: sp.Symbol) -> Label:
    """``∂²f/∂x²`` or ``∂²f/∂y∂x`` (∂f/∂x differentiated by y)."""
    if vi == vj:
        return Label(
            f"∂²{f.text}/∂{math_text(vi)}²",
            f"\\frac{{\\partial^2 {f.latex}}}{{\\partial {math_latex(vi)}^2}}",
        )
    return Label(
        f"∂²{f.text}/∂{math_text(vj)}∂{math_text(vi)}",
        f"\\frac{{\\partial^2 {f.latex}}}{{\\partial {math_latex(vj)} \\partial {math_latex(vi)}}}",
    )


def point(values: Iterable[sp.Expr]) -> Label:
    """A point ``(1, 2)`` as a formula part."""
    values = list(values)
    return Label(
        "(" + ", ".join(math_text(v) for v in values) + ")",
        "(" + ", ".join(math_latex(v) for v in values) + ")",
    )


def applied(f: Label, values: Iterable[sp.Expr], prefix: tuple[str, str] = ("", "")) -> Label:
    """``f(1, 2)`` (or ``∇f(1, 2)`` with a prefix) as a formula part."""
    at = point(values)
    return Label(f"{prefix[0]}{f.text}{at.text}", f"{prefix[1]}{f.latex}{at.latex}")


def plain(expr: sp.Basic) -> str:
    """A formula as plain text, for an error message (which is one line of text)."""
    return math_text(expr)


def symbol(var: sp.Symbol) -> Label:
    """A symbol as a label: ``v``, ``β``."""
    return Label(math_text(var), math_latex(var))


def caveat(note: Any) -> Paragraph:
    """``Note: not differentiable where x = 0.`` for a rule's :class:`Caveat`."""
    words = (
        phrase(f"caveat.{note.kind}", u=note.at)
        if note.at is not None
        else phrase(f"caveat.{note.kind}")
    )
    return say("caveat", caveat=words)


def reads_same(a: sp.Basic, b: sp.Basic) -> bool:
    """Whether two formulas print the same (a second line that repeats the first is left out)."""
    return math_text(a) == math_text(b)


# -- curvature ---------------------------------------------------------------------------


def curvature_verdict(kind: str) -> tuple[Inline, ...]:
    """``positive definite, a minimum``: what the kind of a point means."""
    return phrase(f"curvature.verdict.{kind}")


def curvature_minors(curvature: Any) -> tuple[Inline, ...]:
    """``leading principal minors 4, 7, 38 > 0 (Sylvester's criterion)``."""
    kind = curvature.kind if curvature.kind in ("minimum", "maximum") else "saddle"
    return phrase(f"curvature.minors.{kind}", minors=listed(curvature.minors))


def _number_part(value: sp.Expr) -> str:
    return f"{float(value):.10g}" if value.is_Float else str(value)


def combination(rows: tuple[int, int], factors: tuple[sp.Expr, sp.Expr]) -> str:
    """``(1) − 2×(2)``, ``3×(1) − 5×(2)``, ``(1) + (2)``: the rows an elimination combines."""
    (k, pivot), (p, q) = rows, factors
    left = f"({k})" if p == 1 else f"{_number_part(p)}×({k})"
    sign, mag = ("+", -q) if q.could_extract_minus_sign() else ("−", q)
    right = f"({pivot})" if mag == 1 else f"{_number_part(mag)}×({pivot})"
    return f"{left} {sign} {right}"


def operation_title(op: Any) -> str | Paragraph:
    """A step of elimination as its title says it: ``(1) − 2×(2)``, ``Solve (3) for a``,
    ``Substitute a = 1 into (2)``, ``(4) is 0 = 0``."""
    if op.kind == "eliminate":
        return combination(op.rows, op.factors)
    if op.kind == "solve":
        var = op.solved[0]
        if not op.known:
            return title("elimination.solve", row=f"({op.label})", x=var)
        values = listed(sp.Eq(v, c, evaluate=False) for v, c in op.known)
        return title("elimination.substitute", values=values, row=f"({op.label})")
    if op.kind == "dependent":
        return text("elimination.zero", row=f"({op.label})")
    return title("elimination.says", row=f"({op.label})", value=-op.equation)


def _inline(part: Any) -> tuple[Inline, ...]:
    if isinstance(part, Paragraph):
        return part.parts
    if isinstance(part, tuple):
        return tuple(p for item in part for p in _inline(item))
    if isinstance(part, bool):
        raise TypeError("a message part cannot be a bool")
    if isinstance(part, int):
        return (f"{part:,}",)
    if isinstance(part, float):
        return (number(part),)
    if isinstance(part, str | Label | sp.Basic):
        return (part,)
    raise TypeError(f"a message part cannot be {type(part).__name__}")
