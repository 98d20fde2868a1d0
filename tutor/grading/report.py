"""A graded answers file, as data: one :class:`Part` per part of each task, and the whole
:class:`Report`, whose ``to_json()`` is SPEC §5's object for a learning-management system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The verdicts, best first. ``undecided``: neither shown right nor wrong (no point where
#: both sides are defined, and simplify does not decide); a teacher should look.
VERDICTS = ("correct", "unsimplified", "incorrect", "undecided", "unreadable", "missing")


@dataclass(frozen=True)
class Line:
    """One line of an answer written as a derivation: whether it follows from the one
    before (the first: whether it is the derivative), and the slip that explains it if not."""

    text: str
    follows: bool | None
    slip: str | None = None
    feedback: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "follows": self.follows, "slip": self.slip}


@dataclass(frozen=True)
class Part:
    """One graded part: ``task`` is the answers file's key, ``part`` the part within it."""

    task: str
    part: str
    verdict: str
    score: float
    max: float
    feedback: str = ""
    diagnosis: str | None = None
    lines: tuple[Line, ...] = ()
    #: How the answer was read, where that was a choice ("read 'ab' as a·b").
    readings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "task": self.task,
            "part": self.part,
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "score": _round(self.score),
            "max": _round(self.max),
            "feedback": self.feedback,
        }
        if self.readings:
            out["readings"] = list(self.readings)
        if self.lines:
            out["lines"] = [line.to_json() for line in self.lines]
        return out


@dataclass(frozen=True)
class Report:
    """One student's graded answers file; ``error`` (one line) where the file could not be
    graded at all, in which case there are no parts and the score is 0."""

    student: str
    file: str | None
    parts: tuple[Part, ...] = ()
    max: float = 0.0
    error: str | None = None
    lang: str = "en"

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "student": self.student,
            "file": self.file,
            "score": _round(self.score),
            "max": _round(self.max),
            "parts": [p.to_json() for p in self.parts],
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def _round(value: float) -> float | int:
    """A score as a person writes it: 2, 1.5, 0.33."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded
