"""A student's expression as written on paper: ``2a``, ``2(x + 1)``, ``x sin(y)``, ``a^2``.

Students do not write Python. Before the whitelisted parser (:func:`tutor.expr.parse`) sees
the text, this module tokenises it and inserts the stars a reader inserts: between a number
and a name (``2a``), a closing and an opening parenthesis (``(a)(b)``), a name and a
parenthesis that is not a function call (``a(b + 1)``), and two names (``x sin(y)``), as
STACK's "insert stars" does. ``^`` is a power, the usual look-alike characters (−, ×, ·, ²)
are what they look like, and an undeclared ``e`` is Euler's number. Nothing is evaluated:
the result is still text that :func:`tutor.expr.parse` reads by its whitelist.

Where a reading is ambiguous (``ab`` could be one name, ``a(b + 1)`` a function, ``1/2a``
either ``(1/2)a`` or ``1/(2a)``), :attr:`Reading.readings` says which reading was taken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from .errors import ExpressionError, Phrase
from .expr import CONSTANTS, FUNCTIONS, MAX_LENGTH, evaluate, parse

#: Look-alike characters as a student types or pastes them, and what they mean.
_LOOKALIKE = {
    "−": "-",
    "–": "-",
    "—": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∗": "*",
    "÷": "/",
    "²": "^2",
    "³": "^3",
    "π": "pi",
    "（": "(",
    "）": ")",
    "，": ",",
}
_TOKEN = re.compile(
    r"\s+|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^(),])|(?P<other>.)"
)
#: A product is implied between these: the end of one operand and the start of the next.
_ENDS = ("number", "name", ")")
_STARTS = ("number", "name", "(")


@dataclass(frozen=True)
class Reading:
    """A student's expression: as evaluated, as written (an unevaluated tree, to judge how
    simplified it is), the text handed to the parser, and the ambiguous readings taken."""

    expr: sp.Expr
    written: sp.Expr
    text: str
    readings: tuple[Phrase, ...] = ()


@dataclass
class _Token:
    kind: str
    text: str


def read(text: object, names: Mapping[str, sp.Expr]) -> Reading:
    """Read a student's expression over ``names`` (the problem's variables and constants).

    >>> a, b = sp.symbols("a b")
    >>> r = read("2(2 - a - b)(-1) + 2a^2", {"a": a, "b": b})
    >>> r.text, r.expr
    ('2*(2 - a - b)*(-1) + 2*a**2', 2*a**2 + 2*a + 2*b - 4)
    >>> r = read("ab + 1/2a", {"a": a, "b": b})
    >>> r.text, [str(p) for p in r.readings]
    ('a*b + 1/2*a', ["read 'ab' as a·b", "read '1/2a' as (1/2)·a"])
    >>> read("__import__('os')", {"a": a})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tutor.errors.ExpressionError: unknown name '__import__' ...
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ExpressionError("expected an expression, got {kind}", kind=type(text).__name__)
    source = str(text).strip()
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            "expression is too long ({count} > {MAX_LENGTH} characters)",
            count=len(source),
            MAX_LENGTH=MAX_LENGTH,
        )
    for ch, instead in _LOOKALIKE.items():
        source = source.replace(ch, instead)
    tokens, readings = _starred(_tokens(source), names)
    normalised = _joined(tokens)
    written = parse(normalised, names, evaluate=False)  # it evaluated the tree to check it
    return Reading(evaluate(written), written, normalised, tuple(readings))


def _tokens(source: str) -> list[_Token]:
    out = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if kind is None:  # whitespace: it separates, and the stars below say what it meant
            out.append(_Token("space", " "))
            continue
        piece = match.group()
        out.append(_Token(kind, "**" if piece == "^" else piece))
    return out


def _starred(tokens: list[_Token], names: Mapping[str, sp.Expr]) -> tuple[list[_Token], list]:
    """The tokens with ``*`` where a product is implied, names split into declared ones where
    a run of letters is not itself a name, and the readings that were a choice."""
    readings: list[Phrase] = []
    known = set(names) | set(FUNCTIONS) | set(CONSTANTS)
    split: list[_Token] = []
    for tok in tokens:
        if tok.kind == "name" and tok.text not in known:
            if tok.text == "e":
                split.append(_Token("name", "E"))
                readings.append(Phrase("read e as Euler's number"))
                continue
            parts = _split_name(tok.text, names)
            if parts:
                readings.append(
                    Phrase(
                        "read {written!r} as {product}", written=tok.text, product="·".join(parts)
                    )
                )
                for k, part in enumerate(parts):
                    if k:
                        split.append(_Token("op", "*"))
                    split.append(_Token("name", part))
                continue
        split.append(tok)
    out: list[_Token] = []
    previous: _Token | None = None
    for tok in split:
        if tok.kind == "space":
            continue
        if previous is not None and _implied(previous, tok, names):
            if previous.kind == "name" and tok.text == "(":
                readings.append(
                    Phrase(
                        "read {name}(…) as {name}·(…), a product: {name} is not a function",
                        name=previous.text,
                    )
                )
            elif (shown := _division_read(out, tok)) is not None:
                readings.append(Phrase("read {written!r} as {product}", **shown))
            out.append(_Token("op", "*"))
        out.append(tok)
        previous = tok
    return out, readings


def _implied(left: _Token, right: _Token, names: Mapping[str, sp.Expr]) -> bool:
    ends = left.kind in ("number", "name") or left.text == ")"
    starts = right.kind in ("number", "name") or right.text == "("
    if not (ends and starts):
        return False
    if left.kind == "number" and right.kind == "number":
        return False  # "2 3" is a slip of the keyboard, not a product: let the parser say so
    if left.kind == "name" and left.text in FUNCTIONS:
        if right.text != "(":
            raise ExpressionError(
                "{name} needs parentheses around its argument: write {name}({arg})",
                name=left.text,
                arg=right.text,
            )
        return False  # sin(x) is a call
    return True


def _operand_start(out: list[_Token], end: int) -> int:
    """Where the operand that ends just before ``end`` starts: a number, a name, or a
    parenthesised group with the function name before it."""
    k = end - 1
    if k < 0:
        return 0
    if out[k].text != ")":
        return k
    depth = 0
    while k >= 0:
        depth += {")": 1, "(": -1}.get(out[k].text, 0)
        if depth == 0:
            break
        k -= 1
    if k > 0 and out[k - 1].kind == "name":
        k -= 1
    return max(k, 0)


def _division_read(out: list[_Token], right: _Token) -> dict[str, str] | None:
    """``1/2a``: the operand just written is the right side of a ``/``, and a product follows
    it; the two readings, as the student wrote it and as it was taken."""
    start = _operand_start(out, len(out))
    if start < 2 or out[start - 1].text != "/":
        return None
    left = _operand_start(out, start - 1)
    divided = "".join(t.text for t in out[left:])
    after = "(…)" if right.text == "(" else right.text
    return {"written": divided + after, "product": f"({divided})·{after}"}


def _split_name(word: str, names: Mapping[str, sp.Expr]) -> list[str] | None:
    """``ab`` as ``[a, b]`` when every piece is a declared name (longest pieces first)."""
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)

    def split(rest: str) -> list[str] | None:
        if not rest:
            return []
        for name in ordered:
            if rest.startswith(name):
                tail = split(rest[len(name) :])
                if tail is not None:
                    return [name, *tail]
        return None

    parts = split(word)
    return parts if parts and len(parts) > 1 else None


def _joined(tokens: list[_Token]) -> str:
    """The tokens as Python text, spaced around + and - as a person would write them; two
    operands with nothing between them stay apart (``2 3`` is not 23)."""
    out: list[str] = []
    for k, tok in enumerate(tokens):
        after_operand = k > 0 and (
            tokens[k - 1].kind in ("number", "name") or tokens[k - 1].text == ")"
        )
        if tok.text in "+-" and after_operand:
            out.append(f" {tok.text} ")
        elif tok.kind in ("number", "name") and k > 0 and tokens[k - 1].kind in ("number", "name"):
            out.append(" " + tok.text)
        else:
            out.append(tok.text)
    return "".join(out)
