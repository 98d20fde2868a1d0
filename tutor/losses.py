"""The losses a model may be fitted with: each one object, in every form tutor uses it.

A loss is ``L(w) = scale(m) · Σᵢ ℓ(yᵢ, ŷᵢ)`` over m data rows, with ŷ the model's prediction
(a score, for the logistic loss). One :class:`Loss` holds everything about it:

- its name (the key a problem file gives) and the objective's default name (``SSE``, ``L``);
- ``scale``: the factor in front of the sum, exact;
- ``row`` and ``shown``: one row's term, evaluated and as a lesson writes it;
- ``slope``: ∂ℓ/∂ŷ, what the chain rule multiplies by ∂ŷ/∂wⱼ;
- ``numpy_rows`` and ``numpy_slope``: the same over arrays of rows, for the descent engine;
- ``torch_rows``: the judge's form, written with torch's own primitives (``F.mse_loss``,
  ``F.binary_cross_entropy_with_logits``), never derived from ``row``: the twin that checks a
  fit must not be made from the object it checks;
- its words and headers, for the problem statement.

Adding a loss is adding one entry to :data:`LOSSES` here; the problem schema, the objective,
the descent engine, the twin and the figures read it from there.

>>> import sympy as sp
>>> y, p = sp.symbols("y p", real=True)
>>> LOSSES["mse"].scale(4), LOSSES["half_mse"].scale(4), LOSSES["sse"].scale(4)
(1/4, 1/8, 1)
>>> LOSSES["sse"].slope(y, p), LOSSES["logistic"].slope(y, p)
(2*p - 2*y, -y + 1/(1 + exp(-p)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import sympy as sp

Expr: TypeAlias = sp.Expr


@dataclass(frozen=True, kw_only=True)
class Loss:
    """One loss in every form; built by keyword, every field required (a fit that forgot its
    loss once descended on the squared loss when it meant the logistic one)."""

    key: str
    #: The objective's name when the problem file gives none.
    name: str
    #: m ↦ the exact factor in front of the sum over rows.
    scale: Callable[[int], sp.Rational]
    #: (1/m), (1/2m) or nothing, written before Σ: (text, LaTeX).
    scale_shown: tuple[str, str]
    #: One row's term ℓ(y, ŷ), evaluated, and as the lesson writes it (unevaluated).
    row: Callable[[Expr, Expr], Expr]
    shown: Callable[[Expr, Expr], Expr]
    #: ∂ℓ/∂ŷ for one row, and its words for the row rule: (text, LaTeX).
    slope: Callable[[Expr, Expr], Expr]
    slope_shown: tuple[str, str]
    #: ℓ over arrays (y, ŷ) → rows, and ∂ℓ/∂ŷ over arrays, for the NumPy engine.
    numpy_rows: Callable[[np.ndarray, np.ndarray], np.ndarray]
    numpy_slope: Callable[[np.ndarray, np.ndarray], np.ndarray]
    #: The judge's loss of a batch: (torch.nn.functional, predictions (runs, m), y) → (runs,).
    torch_rows: Callable[[Any, Any, Any], Any]
    #: Whether ŷ is a score whose σ is a probability (then labels are classes 0 and 1).
    score: bool
    #: Whether the rows sum squared residuals: least squares (the normal equation, XᵀX).
    least_squares: bool
    #: The head of the row table's last column: (text, LaTeX), the output's name written
    #: ``{y}`` in the text and ``<y>`` in the LaTeX (whose braces are LaTeX's own).
    header: tuple[str, str]

    def definition(self, output: str) -> tuple[str, str]:
        """``(1/m) Σᵢ (yᵢ − ŷᵢ)²``: the loss over rows in the output's own name (text, LaTeX)."""
        text, latex = self._sum
        return (
            self.scale_shown[0] + text.format(y=output),
            self.scale_shown[1] + latex.replace("<y>", output),
        )

    @property
    def _sum(self) -> tuple[str, str]:
        if self.least_squares:
            return "Σᵢ ({y}ᵢ − ŷᵢ)²", r"\sum_{i=1}^{m} \left(<y>_i - \hat{y}_i\right)^2"
        return (
            "Σᵢ [log(1 + e^ŷᵢ) − {y}ᵢ·ŷᵢ]",
            r"\sum_{i=1}^{m} \left[\log\left(1 + e^{\hat{y}_i}\right) - <y>_i \hat{y}_i\right]",
        )

    def header_label(self, output: str) -> tuple[str, str]:
        """The row table's last column head in the output's own name (text, LaTeX)."""
        text, latex = self.header
        return text.format(y=output), latex.replace("<y>", output)

    def probability(self, prediction: Expr) -> Expr:
        """What a figure draws over the data: the prediction, or σ of a score."""
        return 1 / (1 + sp.exp(-prediction)) if self.score else prediction


def _squared_shown(y: Expr, prediction: Expr) -> Expr:
    return sp.Pow(residual(y, prediction), 2, evaluate=False)


def residual(y: Expr, prediction: Expr) -> Expr:
    """``y - prediction`` written the lesson's way: ``2 - a - b``, not ``-a - b + 2``.

    >>> a, b = sp.symbols("a b", real=True)
    >>> residual(sp.Integer(2), a + b).args  # unevaluated: 2 first, as written
    (2, -a, -b)
    """
    from .expr import ordered

    terms = [-t for t in ordered(prediction).args] if prediction.is_Add else [-prediction]
    if y == 0:
        return sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
    return sp.Add(y, *terms, evaluate=False)


def _logistic_shown(y: Expr, score: Expr) -> Expr:
    """log(1 + e^ŷ) − y·ŷ as written (y = 0 drops the product)."""
    from .expr import ordered

    score = ordered(score)
    softplus = sp.log(sp.Add(1, sp.exp(score, evaluate=False), evaluate=False), evaluate=False)
    if y == 0:
        return softplus
    product = score if y == 1 else sp.Mul(y, score, evaluate=False)
    return sp.Add(softplus, sp.Mul(-1, product, evaluate=False), evaluate=False)


def _squared_rows(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    return (y - z) ** 2


def _squared_slope(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    return -2 * (y - z)


def _squares_torch(F: Any, prediction: Any, y: Any) -> Any:
    return F.mse_loss(prediction, y.expand_as(prediction), reduction="none").sum(dim=-1)


def _squared(key: str, name: str, scale: Callable[[int], sp.Rational], shown: str) -> Loss:
    latex = {"": "", "(1/m) ": r"\frac{1}{m}", "(1/2m) ": r"\frac{1}{2m}"}[shown]
    return Loss(
        key=key,
        name=name,
        scale=scale,
        scale_shown=(shown, latex),
        row=lambda y, p: (y - p) ** 2,
        shown=_squared_shown,
        slope=lambda y, p: -2 * (y - p),
        slope_shown=("−2(yᵢ − ŷᵢ)", r"-2(y_i - \hat{y}_i)"),
        numpy_rows=_squared_rows,
        numpy_slope=_squared_slope,
        # torch's own mean squared error, rescaled to the loss's factor per row
        torch_rows=lambda F, p, y: _squares_torch(F, p, y) * float(scale(p.shape[-1])),
        score=False,
        least_squares=True,
        header=("{y} − ŷ", r"<y> - \hat{y}"),
    )


LOSSES: dict[str, Loss] = {
    loss.key: loss
    for loss in (
        _squared("sse", "SSE", lambda m: sp.S.One, ""),
        _squared("mse", "MSE", lambda m: sp.Rational(1, m), "(1/m) "),
        # Lesson 6's gradient-descent loss
        _squared("half_mse", "L", lambda m: sp.Rational(1, 2 * m), "(1/2m) "),
        Loss(
            key="logistic",
            name="L",
            scale=lambda m: sp.Rational(1, m),
            scale_shown=("(1/m) ", r"\frac{1}{m}"),
            row=lambda y, p: sp.log(1 + sp.exp(p)) - y * p,
            shown=_logistic_shown,
            slope=lambda y, p: 1 / (1 + sp.exp(-p)) - y,
            slope_shown=("(σ(ŷᵢ) − yᵢ)", r"\left(\sigma(\hat{y}_i) - y_i\right)"),
            # log(1 + e^ŷ) without overflow
            numpy_rows=lambda y, z: np.logaddexp(0, z) - y * z,
            numpy_slope=lambda y, z: 1 / (1 + np.exp(-z)) - y,
            # the mean binary cross-entropy of σ(ŷ) against labels y ∈ [0, 1]
            torch_rows=lambda F, p, y: F.binary_cross_entropy_with_logits(
                p, y.expand_as(p), reduction="none"
            ).mean(dim=-1),
            score=True,
            least_squares=False,
            header=("log(1 + e^ŷ) − {y}·ŷ", r"\log(1 + e^{\hat{y}}) - <y> \hat{y}"),
        ),
    )
}
