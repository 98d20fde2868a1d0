"""SymPy to torch: callables that keep autograd alive, evaluated in float64 by default."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp


def _torch() -> Any:
    import torch

    return torch


def _max(*xs: Any) -> Any:
    torch = _torch()
    out = xs[0]
    for x in xs[1:]:
        out = torch.maximum(torch.as_tensor(out), torch.as_tensor(x))
    return out


def _min(*xs: Any) -> Any:
    torch = _torch()
    out = xs[0]
    for x in xs[1:]:
        out = torch.minimum(torch.as_tensor(out), torch.as_tensor(x))
    return out


def _atan2(y: Any, x: Any) -> Any:
    torch = _torch()
    ref = x if torch.is_tensor(x) else y
    kind = {"dtype": ref.dtype, "device": ref.device}
    return torch.atan2(torch.as_tensor(y, **kind), torch.as_tensor(x, **kind))


def _dirac(x: Any) -> Any:
    """δ(x): 0 away from 0; infinite at 0, so a check skips that point as not finite."""
    torch = _torch()
    x = torch.as_tensor(x)
    return torch.where(x == 0, torch.full_like(x, float("inf")), torch.zeros_like(x))


def _heaviside(x: Any, at_zero: Any = 0.5) -> Any:
    """H(x), with derivative 0 away from 0 (torch.heaviside has no derivative, so every
    autograd check of a problem with H failed): 0·x keeps x in the graph."""
    torch = _torch()
    x = torch.as_tensor(x)
    step = torch.where(x > 0, 1.0, torch.where(x < 0, 0.0, float(at_zero))).to(x.dtype)
    return step + 0 * x


_EXTRA_NAMES = frozenset(
    "Max Min Heaviside DiracDelta atan2 sign "
    "sec csc cot asec acsc acot sech csch coth acoth".split()
)


def _modules() -> list[Any]:
    torch = _torch()
    extras = {
        "Max": _max,
        "Min": _min,
        "Heaviside": _heaviside,
        "DiracDelta": _dirac,
        "atan2": _atan2,
        "sign": torch.sign,
        "sec": lambda x: 1 / torch.cos(x),
        "csc": lambda x: 1 / torch.sin(x),
        "cot": lambda x: 1 / torch.tan(x),
        "asec": lambda x: torch.acos(1 / x),
        "acsc": lambda x: torch.asin(1 / x),
        "acot": lambda x: torch.atan(1 / x),
        "sech": lambda x: 1 / torch.cosh(x),
        "csch": lambda x: 1 / torch.sinh(x),
        "coth": lambda x: 1 / torch.tanh(x),
        "acoth": lambda x: torch.atanh(1 / x),
    }
    return [extras, "torch"]


#: What lambdify's NumPy namespace lacks: the functions a derivative of |x|, sign or H brings.
NUMPY_EXTRAS = {
    "DiracDelta": lambda x, *k: np.where(np.asarray(x) == 0, np.inf, 0.0),
    "Heaviside": lambda x, h=0.5: np.heaviside(x, h),
}


def numpy_function(variables: Sequence[sp.Symbol], expr: Any) -> Callable[..., Any]:
    """``expr`` (one expression, or a nested list of them) as a NumPy function of
    ``variables``. lambdify prints the whitelisted SymPy tree, never a problem file's text;
    arguments are dummies, so a variable named like a function cannot shadow it.

    >>> x = sp.Symbol("x", real=True)
    >>> numpy_function([x], sp.diff(sp.Abs(x), x, 2))(np.array([0.0, 1.0])).tolist()
    [inf, 0.0]
    """
    fn: Callable[..., Any] = sp.lambdify(
        list(variables), _floats_nested(expr), [NUMPY_EXTRAS, "numpy"], dummify=True
    )
    return fn


def _floats_nested(expr: Any) -> Any:
    """:func:`_constants_as_floats` through lists and matrices (an integer past int64 made
    NumPy compute on Python objects, which have no log)."""
    if isinstance(expr, list | tuple):
        return [_floats_nested(e) for e in expr]
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(_constants_as_floats)
    return _constants_as_floats(sp.sympify(expr))


def _printer() -> Any:
    from sympy.printing.pytorch import TorchPrinter

    class _Printer(TorchPrinter):
        """SymPy 1.14 prints Max/Min as torch.max/min, which take no scalars: use ours."""

        def _call(self, name: str, expr: sp.Expr) -> str:
            return f"{name}({', '.join(self._print(a) for a in expr.args)})"

        def _print_Function(self, expr: sp.Expr) -> str:
            name = type(expr).__name__
            if name in _EXTRA_NAMES:
                return self._call(name, expr)
            return str(super()._print_Function(expr))

        _print_Max = _print_Min = _print_Heaviside = _print_Function

    return _Printer(
        {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True}
    )


def _constants_as_floats(expr: sp.Expr) -> sp.Expr:
    """``log(10)``, ``sqrt(2)``, ``pi`` as float64 numbers: torch's functions take tensors only."""
    if expr.is_number and not expr.is_Rational and expr.is_extended_real:
        try:
            return sp.Float(expr.evalf(20), 20)
        except OverflowError:
            return sp.oo
    if expr.is_Integer and abs(expr) >= 2**63:  # torch takes no integer past int64
        return sp.Float(expr, 20)
    if not expr.args or expr.is_Atom:
        return expr
    try:
        result: sp.Expr = expr.func(*(_constants_as_floats(a) for a in expr.args))
    except OverflowError:  # mpmath past its range (parse refuses such constants): inf, as float64
        return sp.oo
    return result


def compile_exprs(
    exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]
) -> Callable[..., list[Any]]:
    """One torch callable for several expressions: ``f(*xs) -> [tensor, ...]``.

    The arguments are tensors (one per variable, any common shape); results broadcast to it.
    lambdify prints the SymPy tree, never a problem file's text.

    >>> import torch
    >>> a, b = sp.symbols("a b")
    >>> f = compile_exprs([20*a + 8*b - 28, sp.Integer(4)], [a, b])
    >>> [t.tolist() for t in f(torch.tensor(0.0), torch.tensor(1.0))]
    [-20.0, 4.0]
    """
    torch = _torch()
    exprs = [_constants_as_floats(sp.sympify(e)) for e in exprs]
    fn = sp.lambdify(
        list(variables),
        list(exprs),
        modules=_modules(),
        printer=_printer(),
        cse=True,
        dummify=True,  # a variable named pow, torch or DiracDelta must not shadow a function
    )

    def call(*xs: Any) -> list[Any]:
        ref = torch.broadcast_tensors(*xs)[0] if xs else torch.tensor(0.0, dtype=torch.float64)
        return [
            torch.as_tensor(v, dtype=ref.dtype, device=ref.device).expand_as(ref) for v in fn(*xs)
        ]

    return call


def torch_function(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., Any]:
    """One expression as a bare torch function: nothing is added after its last operation, so
    the result's ``grad_fn`` is that operation's (``MulBackward0`` for ``3*u``).

    >>> import torch
    >>> u = sp.Symbol("u")
    >>> t = torch.tensor(11.0, requires_grad=True)
    >>> torch_function(3 * u, [u])(t).grad_fn.name()
    'MulBackward0'
    """
    # lambdify prints the SymPy tree, never a problem file's text.
    fn: Callable[..., Any] = sp.lambdify(
        list(variables),
        _constants_as_floats(expr),
        modules=_modules(),
        printer=_printer(),
        dummify=True,
    )
    return fn


def compile_expr(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., Any]:
    """A torch callable for one expression: ``f(*xs) -> tensor``."""
    many = compile_exprs([expr], variables)
    return lambda *xs: many(*xs)[0]
