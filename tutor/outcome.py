"""What a task found, typed: each task returns an :class:`Outcome` of its own (a frozen
dataclass of SymPy values, floats and arrays), not a dict of strings that other code parses.

- ``to_json()`` gives SPEC §4's ``result`` object. Its values may still be formulas or
  sentences (SymPy objects, :class:`~tutor.document.Paragraph`); the JSON printer writes
  each as the SymPy-readable string or the plain text it is.
- ``figures()`` says which pictures help, as :class:`Figure` requests (a descent path, a
  gradient field, a tangent, a fit); :mod:`tutor.figures` draws each kind, whatever task
  asked for it, so a new task needs no change there.
- Read as a mapping (``section.result["exact"]``) an outcome is its JSON ``result``, so a
  notebook sees what the JSON shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .document import FORMATS


@dataclass(frozen=True)
class Figure:
    """A picture a task's outcome asks for. ``points`` are where it looks (the figure's box
    is drawn around every point a solution mentions)."""

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        return ()


@dataclass(frozen=True)
class Point(Figure):
    """A point the task worked at: only widens the box (``at`` of a hessian, a start)."""

    at: tuple[float, ...]

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        return (np.array(self.at, dtype=float),)


@dataclass(frozen=True)
class Minimum(Figure):
    """A minimum the task found (a stationary point, the least-squares fit): marked on
    descent paths."""

    at: tuple[float, ...]

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        return (np.array(self.at, dtype=float),)


@dataclass(frozen=True)
class Run:
    """One descent run: its learning rate (None for a single run), the iterates kept, the
    iteration of each, and whether it stays in the picture (a diverging run would stretch it
    to 1e37)."""

    lr: float | None
    path: np.ndarray
    steps: np.ndarray
    diverged: bool


@dataclass(frozen=True)
class DescentPaths(Figure):
    """The paths of gradient descent over the contour map, and the loss per iteration."""

    runs: tuple[Run, ...]

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        out: list[np.ndarray] = []
        for run in self.runs:
            if not run.diverged:
                out += list(run.path[np.isfinite(run.path).all(axis=1)])
        return tuple(out)


@dataclass(frozen=True)
class GradientField(Figure):
    """Level curves with gradient arrows, the one at ``at`` in red."""

    at: tuple[float, ...]
    gradient: tuple[sp.Expr, ...]

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        return (np.array(self.at, dtype=float),)


@dataclass(frozen=True)
class Tangent(Figure):
    """f of one variable with its tangent line at ``at``."""

    at: float
    slope: float

    @property
    def points(self) -> tuple[np.ndarray, ...]:
        return (np.array([self.at]),)


@dataclass(frozen=True)
class Fit(Figure):
    """The data of a one-input model and the fitted curve: ``fitted`` is the model with the
    weights put in; ``score`` when it is a score whose σ is drawn."""

    fitted: sp.Expr
    curve: sp.Expr
    input: sp.Symbol
    output: str
    x: np.ndarray
    y: np.ndarray
    score: bool


class Outcome(Mapping[str, Any]):
    """The base of every task's typed result (subclasses are frozen dataclasses)."""

    def to_json(self) -> dict[str, Any]:
        """SPEC §4's ``result`` object: the task's keys, formulas and sentences unprinted."""
        raise NotImplementedError

    def figures(self) -> tuple[Figure, ...]:
        """The pictures that help this result (none by default)."""
        return ()

    def _printed(self) -> dict[str, Any]:
        out: dict[str, Any] = FORMATS["json-result"](self)
        return out

    def __getitem__(self, key: str) -> Any:
        return self._printed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_json())

    def __len__(self) -> int:
        return len(self.to_json())

    def __repr__(self) -> str:
        """What a notebook shows: the JSON ``result`` (subclasses are ``repr=False``)."""
        return repr(self._printed())


@dataclass(frozen=True, eq=False, repr=False)
class Empty(Outcome):
    """A task stopped or refused before it had a result."""

    def to_json(self) -> dict[str, Any]:
        return {}
