"""σ(u) = 1/(1 + e^(−u)), the logistic function, as a formula part.

A logistic loss's derivatives read as a textbook writes them in it: ∂L/∂w = (1/m)Σ(σ(ŷᵢ) −
yᵢ)xᵢ and σ(ŷ)(1 − σ(ŷ)) for the curvature, where SymPy's own quotients of exponentials do
not. It is for showing: what tutor computes and checks stays in exponentials, and a shown σ
form is compared with it (``rewrite(sp.exp)``).
"""

from __future__ import annotations

from typing import Any

import sympy as sp


class sigmoid(sp.Function):  # noqa: N801 - SymPy names functions in lower case
    """σ(u), with σ' = σ(1 − σ).

    >>> u = sp.Symbol("u")
    >>> sigmoid(u).diff(u), sigmoid(0), sigmoid(u).rewrite(sp.exp)
    ((1 - sigmoid(u))*sigmoid(u), 1/2, 1/(1 + exp(-u)))
    """

    @classmethod
    def eval(cls, u: sp.Expr) -> sp.Expr | None:
        if u.is_zero:
            return sp.S.Half
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, u: sp.Expr, **kwargs: Any) -> sp.Expr:
        return 1 / (1 + sp.exp(-u))

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real
