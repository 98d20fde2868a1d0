"""The sentences a graded part says to the student, from the message catalog (``grade.*``):
the formula parts printed as one line of text, since feedback goes to terminals, JSON and
gradebooks alike."""

from __future__ import annotations

from typing import Any

import sympy as sp

from .. import phrasing
from ..calculus.slips import Slip
from ..document import Label
from ..errors import InputError, Phrase
from ..phrasing.messages import MESSAGES


def words(key: str, count: int | None = None, **parts: Any) -> str:
    """The message ``key`` with each formula part printed as plain text."""
    return phrasing.text(key, count, **{k: _plain(v) for k, v in parts.items()})


def _plain(part: Any) -> Any:
    if isinstance(part, Label):
        return part.text
    if isinstance(part, sp.Basic):
        return phrasing.plain(part)
    if isinstance(part, tuple | list):
        return "(" + ", ".join(str(_plain(p)) for p in part) + ")"
    if isinstance(part, float):
        return phrasing.number(part)
    return part


def slip_key(slip: Slip) -> str:
    """The message key of a slip's sentence: kind, then detail, then ``everywhere``."""
    key = f"grade.slip.{slip.kind}"
    if slip.detail:
        key += f".{slip.detail}"
    return key + (".everywhere" if slip.everywhere else "")


def slip_sentence(slip: Slip, var: sp.Symbol | None = None) -> str:
    """What went wrong, where: "In the chain rule for (2 − a − b)², the inner derivative −1
    is missing." ``var`` is the variable of the derivative (for "b was not held constant").
    A slip made everywhere without a sentence of its own says the single slip's, marked."""
    part = slip.part if slip.part is not None else sp.S.Zero
    parts = {"where": slip.where, "part": part, "x": var if var is not None else ""}
    key = slip_key(slip)
    if key in MESSAGES:
        return words(key, **parts)
    single = words(key.removesuffix(".everywhere"), **parts)
    return words("grade.slip.everywhere", sentence=single.rstrip("."))


def said(item: Phrase | InputError) -> str:
    """An error or a reading, in the language being graded in."""
    return item.said(phrasing.LANGUAGE.get())
