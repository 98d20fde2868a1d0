"""The one tolerance policy: how far two routes to the same number may differ, and why.

Every numeric check takes its tolerance from here, scaled by the size of what it compares.
Symbolic checks have none: they are decided exactly, or at 60 digits
(:mod:`tutor.calculus.equality`).

>>> float64(3.0), path("float32", 0.0), finite_difference()
(4e-09, 0.0001, 1e-05)
"""

from __future__ import annotations

#: Two float64 evaluations of one function by different routes (a lambdified symbolic
#: derivative, torch autograd) differ by round-off: a few ulps times the terms that cancel.
FLOAT64_RTOL = 1e-9
#: Two float64 descents of the same loss by different code agree to round-off per step.
PATH_RTOL = {"float64": 1e-10, "float32": 1e-4}  # float32 carries ~7 digits
#: A forward difference with h = 1e-7 is off by about h·|f''|/2 + ε|f|/h ≈ 1e-7.
FD_TOL = 1e-5
#: A float computation that starts from an exact value (a point, a solution) and should give
#: zero, relative to the size of the terms that cancel on the way.
ZERO_RTOL = 1e-10
#: A float64 solve of a well-posed linear system against the exact solution.
SOLVE_RTOL = 1e-7
#: Two closed forms SymPy cannot prove equal, evaluated at 50 digits.
DIGITS50_TOL = 1e-40


def float64(scale: float) -> float:
    """Two float64 routes to a value of size ``scale``."""
    return FLOAT64_RTOL * (1 + abs(scale))


def path(dtype: str, scale: float) -> float:
    """A ``dtype`` descent against its float64 autograd twin, on a path of size ``scale``."""
    return PATH_RTOL[dtype] * (1 + abs(scale))


def zero(scale: float) -> float:
    """A float64 value that should be zero, computed through terms of size ``scale``."""
    return ZERO_RTOL * max(1.0, abs(scale))


def solve(scale: float) -> float:
    """A float64 linear solve of a solution of size ``scale``."""
    return SOLVE_RTOL * (1 + abs(scale))


def finite_difference() -> float:
    """A forward difference quotient (h = 1e-7) against the exact one-sided derivative."""
    return FD_TOL
