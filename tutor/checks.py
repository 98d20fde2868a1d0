"""A check of a result by an independent route: symbolic, numeric, or honestly unchecked."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

CheckKind: TypeAlias = Literal["symbolic", "numeric", "unchecked"]


@dataclass(frozen=True, kw_only=True)
class Check:
    """One judgement of a result by an independent route, of one of three kinds.

    - ``symbolic``: ``count`` things compared exactly (or at 60 digits), ``failed`` of them
      disagreeing; made by :meth:`symbolic`;
    - ``numeric``: the largest error at ``points`` against a ``tolerance`` that says what it
      is scaled by; made by :meth:`numeric`;
    - ``unchecked``: no honest comparison was possible, and ``reason`` says why; ``ok`` is
      None, never False. Made by :meth:`unchecked`.

    >>> Check.symbolic(what="rules", method="sympy.diff", count=3, failed=0).ok
    True
    >>> Check.numeric(what="w", method="lstsq", error=2e-9, tolerance=1e-9, points=()).ok
    False
    >>> print(Check.unchecked(what="f", method="autograd", reason="no real point").ok)
    None
    """

    what: str
    method: str
    kind: CheckKind
    count: int = 0
    failed: int = 0
    max_abs_err: float = 0.0
    tolerance: float = 0.0
    points: tuple[tuple[float, ...], ...] = ()
    reason: str = ""

    @classmethod
    def symbolic(cls, *, what: str, method: str, count: int, failed: int) -> Check:
        return cls(what=what, method=method, kind="symbolic", count=count, failed=failed)

    @classmethod
    def numeric(
        cls,
        *,
        what: str,
        method: str,
        error: float,
        tolerance: float,
        points: tuple[tuple[float, ...], ...],
    ) -> Check:
        return cls(
            what=what,
            method=method,
            kind="numeric",
            max_abs_err=float(error),
            tolerance=float(tolerance),
            points=points,
        )

    @classmethod
    def unchecked(cls, *, what: str, method: str, reason: str) -> Check:
        return cls(what=what, method=method, kind="unchecked", reason=reason)

    @property
    def ok(self) -> bool | None:
        """True agreed, False disagreed, None could not be checked (``reason`` says why)."""
        if self.kind == "unchecked":
            return None
        if self.kind == "symbolic":
            return self.failed == 0
        return bool(self.max_abs_err <= self.tolerance)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "kind": self.kind, "what": self.what}
        out["method"] = self.method
        if self.kind == "symbolic":
            out |= {"count": self.count, "failed": self.failed}
        elif self.kind == "numeric":
            out |= {
                "max_abs_err": finite(self.max_abs_err),
                "tolerance": float(self.tolerance),
                "points": [list(p) for p in self.points],
            }
        else:
            out["reason"] = self.reason
        return out


def finite(value: float) -> float | None:
    """JSON has no inf or NaN: an error that is not finite is written as null."""
    return float(value) if math.isfinite(value) else None


def verdict(checks: tuple[Check, ...]) -> bool | None:
    """Checks folded into one: False if any disagreed, None if none could be made (every one
    unchecked), else True (the summary's ``reason`` names any left unchecked).

    >>> done = Check.symbolic(what="a", method="m", count=1, failed=0)
    >>> skipped = Check.unchecked(what="b", method="m", reason="r")
    >>> verdict((done, skipped)), verdict((skipped,)), verdict(())
    (True, None, True)
    """
    oks = [c.ok for c in checks]
    if False in oks:
        return False
    return None if oks and all(ok is None for ok in oks) else True
